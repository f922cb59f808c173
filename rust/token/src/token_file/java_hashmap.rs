//! The iteration order of a `java.util.HashMap<Text, _>` filled by successive `put`s, which is
//! the order Hadoop's `Credentials` writes tokens and secrets in. Emulating it makes a file
//! that s3adt writes byte-identical to the one Hadoop writes for the same entries.
//!
//! Modelled: the default table of 16, doubling when size exceeds 3/4 of it, the doubling
//! `treeifyBin` does instead of treeifying while the table is under 64, order-preserving
//! splits. Not modelled: real tree bins (9 or more aliases in one bucket of a table of 64 or
//! more), whose order differs; such a file is still valid, only not byte-identical.

use crate::writable::Text;

const TREEIFY_THRESHOLD: usize = 8;
const MIN_TREEIFY_CAPACITY: usize = 64;

fn spread(h: i32) -> u32 {
    let h = h as u32;
    h ^ (h >> 16)
}

/// Indices of `keys` (distinct, in insertion order) in the map's iteration order.
pub(crate) fn iteration_order<'a>(keys: impl IntoIterator<Item = &'a Text>) -> Vec<usize> {
    let hashes: Vec<i32> = keys.into_iter().map(|k| k.java_hash_code()).collect();
    order_of_hashes(&hashes)
}

/// The same for keys of any type, given their Java `hashCode()`s (distinct keys, in insertion
/// order): e.g. a `HashMap<String, String>`, with `String.hashCode`.
pub fn order_of_hashes(hashes: &[i32]) -> Vec<usize> {
    let hashes: Vec<u32> = hashes.iter().map(|h| spread(*h)).collect();
    if hashes.is_empty() {
        return Vec::new();
    }
    let mut cap = 16usize;
    let mut bins: Vec<Vec<usize>> = vec![Vec::new(); cap];
    let rebin = |bins: &mut Vec<Vec<usize>>, cap: usize| {
        let mut next = vec![Vec::new(); cap];
        for i in bins.iter().flatten() {
            next[hashes[*i] as usize & (cap - 1)].push(*i);
        }
        *bins = next;
    };
    for (i, h) in hashes.iter().enumerate() {
        let bin = *h as usize & (cap - 1);
        bins[bin].push(i);
        if bins[bin].len() > TREEIFY_THRESHOLD && cap < MIN_TREEIFY_CAPACITY {
            cap *= 2;
            rebin(&mut bins, cap);
        }
        if i + 1 > cap * 3 / 4 {
            cap *= 2;
            rebin(&mut bins, cap);
        }
    }
    bins.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_maps_iterate_by_bucket() {
        // "b" hashes to 31+98=129 -> bucket 1; "a" to 128 -> bucket 0.
        let keys = [Text::from("b"), Text::from("a")];
        assert_eq!(iteration_order(&keys), vec![1, 0]);
    }

    #[test]
    fn order_is_a_permutation_for_many_keys() {
        let keys: Vec<Text> = (0..1000)
            .map(|i| Text::from(format!("s3a://bucket-{i}")))
            .collect();
        let mut order = iteration_order(&keys);
        order.sort_unstable();
        assert_eq!(order, (0..1000).collect::<Vec<_>>());
    }
}
