//! Types for secrets: their `Debug` and `Display` print `<redacted>`, so no log line, error
//! message or description can leak one by accident. The only way to the value is `expose()`,
//! which makes every use easy to find. Memory is zeroed on drop.

use std::fmt;
use std::ops::{Deref, DerefMut};
use zeroize::Zeroize;

/// Wipe `v`'s bytes and its spare capacity, then empty it: what `zeroize`'s `Vec<u8>` impl
/// does, but through its slice impl (one `memset` kept by an optimization barrier) instead of
/// its element-wise impl (one volatile store per byte, about 30x slower: a third of the time
/// of reading a token file went there).
pub fn wipe(v: &mut Vec<u8>) {
    v.spare_capacity_mut().zeroize();
    v.as_mut_slice().zeroize();
    v.clear();
}

/// [`wipe`] for a `String`: its bytes and spare capacity are wiped, and it is left empty.
pub fn wipe_string(s: &mut String) {
    wipe(&mut std::mem::take(s).into_bytes());
}

/// A byte buffer wiped when dropped (like `zeroize::Zeroizing<Vec<u8>>`, with [`wipe`]): for
/// buffers that hold secrets on their way in or out (a file's bytes, an encoded identifier).
/// Not redacted: it is a buffer, not a value to show.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Wiped(Vec<u8>);

impl Wiped {
    pub fn new(v: Vec<u8>) -> Self {
        Wiped(v)
    }

    pub fn with_capacity(n: usize) -> Self {
        Wiped(Vec::with_capacity(n))
    }
}

impl fmt::Debug for Wiped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Wiped({} bytes)", self.0.len())
    }
}

impl Deref for Wiped {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Wiped {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// `Debug` and `Display` that print `<redacted>`, and a `Drop` that wipes the value: what makes
/// a type a secret's home.
macro_rules! redacted {
    ($t:ty) => {
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }

        impl Drop for $t {
            fn drop(&mut self) {
                Wipe::wipe(&mut self.0);
            }
        }
    };
}

/// How each secret type's storage is wiped ([`wipe`], [`wipe_string`]).
trait Wipe {
    fn wipe(&mut self);
}

impl Wipe for Vec<u8> {
    fn wipe(&mut self) {
        wipe(self)
    }
}

impl Wipe for String {
    fn wipe(&mut self) {
        wipe_string(self)
    }
}

/// A secret text (an AWS secret key, a session token, an encryption key).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into())
    }

    /// The secret itself. Call only where the value must leave the process (the wire, an
    /// explicit `credentials` request).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        SecretString(s.to_owned())
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        SecretString(s)
    }
}

redacted!(SecretString);

// duplicates: deliberate. A newtype over bytes like writable.rs's Text, with other
// guarantees (redacted, wiped on drop).
/// Secret bytes (a token password, a secret key in a token file).
#[derive(Clone, Default)]
pub struct SecretBytes(SecretBuf);

#[derive(Clone)]
enum SecretBuf {
    Owned(Vec<u8>),
    /// A value every token of a kind carries, no secret (S3A's `non-password`): not copied.
    Public(&'static [u8]),
}

impl Default for SecretBuf {
    fn default() -> Self {
        SecretBuf::Owned(Vec::new())
    }
}

impl Wipe for SecretBuf {
    fn wipe(&mut self) {
        if let SecretBuf::Owned(v) = self {
            wipe(v)
        }
    }
}

impl SecretBytes {
    pub fn new(value: impl Into<Vec<u8>>) -> Self {
        SecretBytes(SecretBuf::Owned(value.into()))
    }

    /// `value`, or `public` itself without a copy when `value` equals it: for a constant that
    /// is no secret (S3A's token password), which a token file would otherwise hold once a token.
    pub fn new_or_public(value: &[u8], public: &'static [u8]) -> Self {
        if value == public {
            SecretBytes(SecretBuf::Public(public))
        } else {
            SecretBytes::new(value.to_vec())
        }
    }

    pub fn expose(&self) -> &[u8] {
        match &self.0 {
            SecretBuf::Owned(v) => v,
            SecretBuf::Public(b) => b,
        }
    }

    pub fn len(&self) -> usize {
        self.expose().len()
    }

    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for SecretBytes {}

impl From<&[u8]> for SecretBytes {
    fn from(b: &[u8]) -> Self {
        SecretBytes::new(b.to_vec())
    }
}

redacted!(SecretBytes);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = SecretString::new("wJalrXUtnFEMI");
        assert_eq!(
            format!("{s:?} {s} {:?}", Some(&s)),
            "<redacted> <redacted> Some(<redacted>)"
        );
        let b = SecretBytes::new(b"hunter2".to_vec());
        assert_eq!(format!("{b:?}{b}"), "<redacted><redacted>");
        assert_eq!(s.expose(), "wJalrXUtnFEMI");
    }

    #[test]
    fn a_public_value_is_the_same_value_without_a_copy() {
        let p = SecretBytes::new_or_public(b"non-password", b"non-password");
        assert!(matches!(p.0, SecretBuf::Public(_)));
        assert_eq!(p, SecretBytes::new(b"non-password".to_vec()));
        assert_eq!(
            (p.expose(), p.len(), format!("{p:?}")),
            (&b"non-password"[..], 12, "<redacted>".into())
        );
        let s = SecretBytes::new_or_public(b"hunter2", b"non-password");
        assert!(matches!(s.0, SecretBuf::Owned(_)));
        assert_ne!(s, p);
    }
}
