//! The handle tables: a filesystem instance, a read stream and a write stream on the Java side
//! each hold a number naming an entry of a process-wide table, never a raw pointer, so a handle
//! used after `close` (or a forged one) is an IOException, not a crash. Handles are random
//! (63 bits, see [`new_handle`]), so other code in the JVM cannot find another filesystem's
//! state by counting. Entries are shared (`Arc`), so any number of Java threads may use one
//! handle at once; each stream has its own lock, so two threads sharing one stream take turns
//! and different streams never wait for each other.

use super::Thrown;
use jni::sys::jlong;
use s3adt_core::bucket::BucketContext;
use s3adt_core::store::{ReadStream, S3Store, WriteStream};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

/// A stream's own lock: held by a Java thread while it blocks on the runtime, never across
/// an await, so a plain mutex.
pub(super) type Shared<T> = Arc<Mutex<T>>;

type Table<T> = Mutex<HashMap<i64, T>>;

/// One `S3adtFileSystem` instance each.
pub(super) static BUCKETS: LazyLock<Table<Arc<BucketContext>>> = LazyLock::new(Table::default);
pub(super) static READS: LazyLock<Table<Shared<ReadStream>>> = LazyLock::new(Table::default);
/// A write stream is taken out (None) by close or abort.
pub(super) static WRITES: LazyLock<Table<Shared<Option<WriteStream>>>> =
    LazyLock::new(Table::default);

/// A new handle for `table`: random, positive (63 bits, never 0) and not in use. Random, not
/// sequential, so that code sharing the JVM cannot reach other filesystems' (or streams')
/// state by counting; the caller inserts it while still holding the table's lock.
fn new_handle<T>(table: &HashMap<i64, T>) -> i64 {
    loop {
        let h = (rand::random::<u64>() >> 1) as i64;
        if h != 0 && !table.contains_key(&h) {
            return h;
        }
    }
}

/// A table locked; a poisoned one is an IOException naming `what` ("handle", "stream").
pub(super) fn table<'a, T>(
    t: &'a Table<T>,
    what: &str,
) -> Result<MutexGuard<'a, HashMap<i64, T>>, Thrown> {
    t.lock()
        .map_err(|_| Thrown::io(format!("s3adt: {what} table poisoned")))
}

/// Add `v` to its table under a new random handle.
pub(super) fn insert<T>(t: &Table<T>, what: &str, v: T) -> Result<jlong, Thrown> {
    let mut table = table(t, what)?;
    let handle = new_handle(&table);
    table.insert(handle, v);
    Ok(handle)
}

/// The entry `handle` names, or an IOException saying it is closed (`closed` names it).
pub(super) fn get<T: Clone>(
    t: &Table<T>,
    what: &str,
    handle: jlong,
    closed: impl FnOnce() -> String,
) -> Result<T, Thrown> {
    table(t, what)?
        .get(&handle)
        .cloned()
        .ok_or_else(|| Thrown::io(closed()))
}

/// The filesystem a handle names.
pub(super) fn bucket(handle: jlong) -> Result<Arc<BucketContext>, Thrown> {
    get(&BUCKETS, "handle", handle, || {
        format!("s3adt: filesystem handle {handle} is closed")
    })
}

/// The S3 store of the filesystem a handle names (built on first use).
pub(super) fn store(handle: jlong) -> Result<Arc<S3Store>, Thrown> {
    Ok(bucket(handle)?.store()?)
}

pub(super) fn read_stream(handle: jlong) -> Result<Shared<ReadStream>, Thrown> {
    get(&READS, "stream", handle, || {
        format!("s3adt: read stream {handle} is closed")
    })
}

pub(super) fn write_stream(handle: jlong) -> Result<Shared<Option<WriteStream>>, Thrown> {
    get(&WRITES, "stream", handle, || {
        format!("s3adt: write stream {handle} is closed")
    })
}

/// A stream's lock; poisoned means an earlier failure left it unusable.
pub(super) fn lock<T>(s: &Mutex<T>) -> Result<MutexGuard<'_, T>, Thrown> {
    s.lock()
        .map_err(|_| Thrown::io("s3adt: stream poisoned by an earlier failure"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_random_positive_and_unused() {
        let mut table = HashMap::new();
        for _ in 0..1000 {
            let h = new_handle(&table);
            assert!(h > 0);
            assert!(table.insert(h, ()).is_none());
        }
        let mut sorted: Vec<i64> = table.keys().copied().collect();
        sorted.sort_unstable();
        // sequential handles would be 1..=1000
        assert!(sorted.windows(2).all(|w| w[1] - w[0] > 1), "{sorted:?}");
        assert!(sorted[999] > 1 << 40);
    }
}
