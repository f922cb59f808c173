//! Hadoop's Writable primitives: zero-compressed VInt/VLong (`WritableUtils`), `Text`, big-endian
//! `long`, `byte`.
//!
//! The [`Reader`] never trusts a length: it checks the bytes are there before it allocates, so a
//! length prefix of 2^31 in a 40-byte input is an error naming the field, not an allocation.
//! It accepts the same non-canonical VInt encodings Hadoop accepts; the [`Writer`] always writes
//! the canonical form, as Hadoop does.

use crate::error::{Error, Problem, Result};
use std::fmt;

/// Hadoop's `Text.DEFAULT_MAX_LEN`.
pub const TEXT_DEFAULT_MAX_LEN: usize = 1024 * 1024;

/// How a length-prefixed string is bounded on read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Only by the input (`Text.readFields(in)`).
    Input,
    /// `Text.readFields(in, max)`: lengths `>= max` are rejected.
    Exclusive(usize),
    /// `Text.readString(in, max)`: lengths `> max` are rejected.
    Inclusive(usize),
}

/// A Hadoop `Text`: bytes that are meant to be UTF-8. Kept as bytes so that reading and writing
/// back is exact even when they are not valid UTF-8 (Hadoop keeps the bytes too); shown with
/// U+FFFD for malformed sequences, as `Text.toString()` does.
///
/// Up to [`Text::INLINE`] bytes are held in the value itself, longer ones on the heap: kinds,
/// services and aliases are mostly short, and reading a token file allocated three of them per
/// token. Equality, order and hash are those of the bytes, whichever way they are held.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, buf: [u8; Text::INLINE] },
    Heap(Vec<u8>),
}

impl Default for Text {
    fn default() -> Self {
        Text::from_slice(&[])
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

/// Hashes as the `Vec<u8>` it used to be (length, then bytes).
impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state)
    }
}

impl Text {
    /// The longest text held without a heap allocation.
    pub const INLINE: usize = 38;

    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        if bytes.len() <= Text::INLINE {
            Text::from_slice(&bytes)
        } else {
            Text(Repr::Heap(bytes))
        }
    }

    /// A `Text` holding a copy of `bytes` (no allocation up to [`Text::INLINE`] bytes).
    #[inline]
    pub fn from_slice(bytes: &[u8]) -> Self {
        if bytes.len() <= Text::INLINE {
            // Built in place, then filled: a buffer filled on the stack and moved out was read
            // back before its bytes were stored (a store-forwarding stall, 18% of reading a
            // token file).
            let mut text = Text(Repr::Inline {
                len: bytes.len() as u8,
                buf: [0u8; Text::INLINE],
            });
            if let Repr::Inline { buf, .. } = &mut text.0 {
                buf[..bytes.len()].copy_from_slice(bytes);
            }
            text
        } else {
            Text(Repr::Heap(bytes.to_vec()))
        }
    }

    /// Make this text a copy of `bytes`, in place: no allocation when it fits inline, and no
    /// value built elsewhere and moved in (see [`Text::from_slice`]).
    #[inline]
    pub fn set_from_slice(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            Repr::Inline { len, buf } if bytes.len() <= Text::INLINE => {
                buf[..bytes.len()].copy_from_slice(bytes);
                *len = bytes.len() as u8;
            }
            _ => *self = Text::from_slice(bytes),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, buf } => &buf[..*len as usize],
            Repr::Heap(v) => v,
        }
    }

    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    pub fn to_string_lossy(&self) -> String {
        utf8_lossy(self.as_bytes()).into_owned()
    }

    /// Java's `Text.hashCode()` (`WritableComparator.hashBytes`): `31 * h + (signed byte)`.
    pub fn java_hash_code(&self) -> i32 {
        self.as_bytes().iter().fold(1i32, |h, &b| {
            h.wrapping_mul(31).wrapping_add(b as i8 as i32)
        })
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::from_slice(s.as_bytes())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::new(s.into_bytes())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&utf8_lossy(self.as_bytes()))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&utf8_lossy(self.as_bytes()), f)
    }
}

/// Reads Writable fields from a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn is_at_end(&self) -> bool {
        self.pos == self.buf.len()
    }

    pub fn take(&mut self, len: u64, field: &'static str) -> Result<&'a [u8]> {
        let available = self.remaining();
        if len > available as u64 {
            return Err(Error::truncated(field, len, available));
        }
        let start = self.pos;
        self.pos += len as usize;
        Ok(&self.buf[start..self.pos])
    }

    pub fn byte(&mut self, field: &'static str) -> Result<i8> {
        Ok(self.take(1, field)?[0] as i8)
    }

    /// `DataInput.readLong`: 8 bytes, big-endian, two's complement.
    pub fn long(&mut self, field: &'static str) -> Result<i64> {
        let b = self.take(8, field)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_be_bytes(a))
    }

    /// `WritableUtils.readVLong`.
    pub fn vlong(&mut self, field: &'static str) -> Result<i64> {
        let first = self.byte(field)?;
        let size = decode_vint_size(first);
        if size == 1 {
            return Ok(first as i64);
        }
        let rest = self.take((size - 1) as u64, field)?;
        let magnitude = rest.iter().fold(0i64, |acc, &b| (acc << 8) | b as i64);
        Ok(if is_negative_vint(first) {
            !magnitude
        } else {
            magnitude
        })
    }

    /// `WritableUtils.readVInt`: a VLong that must fit an `int`.
    pub fn vint(&mut self, field: &'static str) -> Result<i32> {
        let v = self.vlong(field)?;
        i32::try_from(v).map_err(|_| Error::field(field, Problem::VIntOutOfRange(v)))
    }

    /// A VInt length followed by that many bytes, bounded as `limit` says.
    pub fn text_bytes(&mut self, field: &'static str, limit: Limit) -> Result<&'a [u8]> {
        let len = self.vint(field)? as i64;
        if len < 0 {
            return Err(Error::field(field, Problem::NegativeLength(len)));
        }
        match limit {
            Limit::Input => {}
            Limit::Exclusive(max) if len as u64 >= max as u64 => {
                return Err(Error::field(
                    field,
                    Problem::AtOrAboveExclusiveLimit { len, max },
                ))
            }
            Limit::Inclusive(max) if len as u64 > max as u64 => {
                return Err(Error::field(
                    field,
                    Problem::AboveInclusiveLimit { len, max },
                ))
            }
            _ => {}
        }
        self.take(len as u64, field)
    }

    /// A `Text` kept as bytes (`Text.readFields`).
    #[inline]
    pub fn text(&mut self, field: &'static str, limit: Limit) -> Result<Text> {
        Ok(Text::from_slice(self.text_bytes(field, limit)?))
    }

    /// `Text.readString`: decoded with malformed sequences replaced by U+FFFD, as Hadoop does.
    pub fn string(&mut self, field: &'static str, limit: Limit) -> Result<String> {
        Ok(utf8_lossy(self.text_bytes(field, limit)?).into_owned())
    }

    /// A VInt length (must be non-negative) followed by that many raw bytes.
    pub fn vint_bytes(&mut self, field: &'static str) -> Result<&'a [u8]> {
        self.text_bytes(field, Limit::Input)
    }
}

/// `String::from_utf8_lossy`, the same text, but valid UTF-8 (every field of a token Hadoop
/// wrote) is checked by `str::from_utf8`, whose ASCII fast path is several times quicker than
/// the lossy decoder's chunk iterator (a quarter of decoding a Session token's CPU, issue 12).
pub(crate) fn utf8_lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

fn decode_vint_size(first: i8) -> usize {
    if first >= -112 {
        1
    } else if first < -120 {
        (-119 - first as i32) as usize
    } else {
        (-111 - first as i32) as usize
    }
}

fn is_negative_vint(first: i8) -> bool {
    first < -120 || (-112..0).contains(&first)
}

/// Writes Writable fields into a byte vector.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Writer::default()
    }

    pub fn with_capacity(n: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(n),
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    pub fn byte(&mut self, b: i8) {
        self.buf.push(b as u8);
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    pub fn long(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// `WritableUtils.writeVLong`.
    pub fn vlong(&mut self, v: i64) {
        if (-112..=127).contains(&v) {
            self.buf.push(v as i8 as u8);
            return;
        }
        let (magnitude, mut len) = if v < 0 { (!v, -120i32) } else { (v, -112i32) };
        let mut tmp = magnitude;
        while tmp != 0 {
            tmp >>= 8;
            len -= 1;
        }
        self.buf.push(len as i8 as u8);
        let n = if len < -120 {
            -(len + 120)
        } else {
            -(len + 112)
        };
        for idx in (0..n).rev() {
            self.buf.push((magnitude >> (idx * 8)) as u8);
        }
    }

    pub fn vint(&mut self, v: i32) {
        self.vlong(v as i64)
    }

    /// A VInt length and the bytes (`Text.write`, `Text.writeString`, `Token`'s byte arrays).
    /// Lengths above `i32::MAX` cannot be expressed; callers check limits before this.
    pub fn vint_bytes(&mut self, bytes: &[u8]) {
        self.vint(i32::try_from(bytes.len()).unwrap_or(i32::MAX));
        self.raw(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_lossy_is_from_utf8_lossy() {
        for bytes in [
            &b"s3a://bucket"[..],
            "caf\u{e9} \u{1f600}".as_bytes(),
            &b"bad \xff\xfe end"[..],
            &b"cut \xe2\x82"[..],
            &b""[..],
        ] {
            assert_eq!(
                utf8_lossy(bytes),
                String::from_utf8_lossy(bytes),
                "{bytes:?}"
            );
        }
    }

    fn enc(v: i64) -> String {
        let mut w = Writer::new();
        w.vlong(v);
        w.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn vlong_vectors_from_the_spec() {
        for (v, hex) in [
            (0, "00"),
            (127, "7f"),
            (128, "8f80"),
            (255, "8fff"),
            (256, "8e0100"),
            (-1, "ff"),
            (-112, "90"),
            (-113, "8770"),
            (2147483647, "8c7fffffff"),
            (1700000000000, "8a018bcfe56800"),
            (i64::MAX, "887fffffffffffffff"),
            (i64::MIN, "807fffffffffffffff"),
        ] {
            assert_eq!(enc(v), hex, "encoding {v}");
        }
    }

    #[test]
    fn vlong_round_trips_at_every_boundary() {
        let mut values = vec![i64::MIN, i64::MAX, 0, -1];
        for shift in 0..64 {
            let p = 1i64.wrapping_shl(shift);
            values.extend([
                p,
                p.wrapping_sub(1),
                p.wrapping_add(1),
                p.wrapping_neg(),
                p.wrapping_neg().wrapping_sub(1),
                p.wrapping_neg().wrapping_add(1),
            ]);
        }
        for v in values {
            let mut w = Writer::new();
            w.vlong(v);
            let bytes = w.into_bytes();
            let mut r = Reader::new(&bytes);
            assert_eq!((r.vlong("v").unwrap(), r.is_at_end()), (v, true));
        }
    }

    #[test]
    fn non_canonical_vint_is_accepted_like_hadoop() {
        // 0x8f 0x05: one magnitude byte holding 5; Hadoop reads 5.
        assert_eq!(Reader::new(&[0x8f, 0x05]).vlong("v").unwrap(), 5);
    }

    #[test]
    fn vint_out_of_range_is_an_error() {
        let mut w = Writer::new();
        w.vlong(1 << 40);
        let err = Reader::new(w.as_bytes()).vint("seq").unwrap_err();
        assert_eq!(
            err.to_string(),
            "seq: value too long to fit in integer (1099511627776)"
        );
    }

    #[test]
    fn huge_length_in_small_input_is_an_error_not_an_allocation() {
        let mut w = Writer::new();
        w.vint(i32::MAX);
        w.raw(&[0u8; 40]);
        let err = Reader::new(w.as_bytes())
            .text("owner", Limit::Input)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "owner: truncated: needs 2147483647 more bytes but only 40 remain"
        );
    }

    #[test]
    fn text_limits_are_inclusive_or_exclusive_as_in_hadoop() {
        let data = |n: usize| {
            let mut w = Writer::new();
            w.vint_bytes(&vec![b'x'; n]);
            w.into_bytes()
        };
        let d = data(8192);
        assert!(Reader::new(&d)
            .string("uri", Limit::Inclusive(8192))
            .is_ok());
        let d = data(8193);
        let e = Reader::new(&d).string("uri", Limit::Inclusive(8192));
        assert_eq!(
            e.unwrap_err().to_string(),
            "uri: expected integer less or equal to 8192, got 8193"
        );
        let d = data(10);
        assert!(Reader::new(&d).text("owner", Limit::Exclusive(11)).is_ok());
        let e = Reader::new(&d).text("owner", Limit::Exclusive(10));
        assert_eq!(
            e.unwrap_err().to_string(),
            "owner: tried to deserialize 10 bytes of data, but maxLength = 10"
        );
        assert!(matches!(
            Reader::new(&[0xff])
                .text("owner", Limit::Input)
                .unwrap_err(),
            Error::Field {
                problem: Problem::NegativeLength(-1),
                ..
            }
        ));
    }

    #[test]
    fn malformed_utf8_becomes_replacement_char_in_strings_but_text_keeps_bytes() {
        let raw = [3u8, b'a', 0xff, b'b'];
        assert_eq!(
            Reader::new(&raw).string("s", Limit::Input).unwrap(),
            "a\u{fffd}b"
        );
        assert_eq!(
            Reader::new(&raw)
                .text("s", Limit::Input)
                .unwrap()
                .as_bytes(),
            b"a\xffb"
        );
    }

    #[test]
    fn inline_and_heap_texts_are_the_same_values() {
        use std::hash::BuildHasher;
        let h = std::collections::hash_map::RandomState::new();
        for n in [0, 1, Text::INLINE - 1, Text::INLINE, Text::INLINE + 1, 200] {
            let bytes = vec![b'k'; n];
            let (a, b) = (Text::from_slice(&bytes), Text::new(bytes.clone()));
            assert_eq!(
                (a.as_bytes(), a.len(), b.as_bytes()),
                (&bytes[..], n, &bytes[..])
            );
            assert_eq!(h.hash_one(&a), h.hash_one(&bytes));
            assert_eq!(h.hash_one(&b), h.hash_one(&bytes));
            let longer = Text::new(vec![b'k'; n + Text::INLINE]);
            assert!(a < longer && longer > b && a == b);
        }
        assert_eq!(Text::default(), Text::from(""));
        assert_eq!(Text::from(String::from("s3a://b")).as_bytes(), b"s3a://b");
    }

    #[test]
    fn java_hash_code_matches_hadoop_text() {
        // Values computed with Hadoop's WritableComparator.hashBytes (31*h + signed byte, h0 = 1).
        assert_eq!(Text::from("").java_hash_code(), 1);
        assert_eq!(Text::from("a").java_hash_code(), 31 + 97);
        assert_eq!(Text::new(vec![0xffu8]).java_hash_code(), 31 - 1);
    }
}
