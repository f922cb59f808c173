//! Types for secrets: their `Debug` and `Display` print `<redacted>`, so no log line, error
//! message or description can leak one by accident. The only way to the value is `expose()`,
//! which makes every use easy to find. Memory is zeroed on drop.

use std::fmt;
use zeroize::Zeroize;

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
                self.0.zeroize();
            }
        }
    };
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

// duplicates: deliberate. A newtype over Vec<u8> like writable.rs's Text, with other
// guarantees (redacted, wiped on drop).
/// Secret bytes (a token password, a secret key in a token file).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    pub fn new(value: impl Into<Vec<u8>>) -> Self {
        SecretBytes(value.into())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&[u8]> for SecretBytes {
    fn from(b: &[u8]) -> Self {
        SecretBytes(b.to_vec())
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
}
