//! Errors of the token core. Each decoding error names the field it was reading; where
//! Hadoop has a message of its own for the same failure, the text is Hadoop's.

use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `text` with control characters escaped (`\u{1b}`, `\n`, ...) and everything else as it is:
/// for text from a token or a file (a kind, an algorithm name) that goes into a message, so a
/// crafted token cannot write terminal control sequences. Printable text, hadoop-aws's texts
/// included, is unchanged.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// What went wrong while reading one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The input ended before the field did.
    Truncated { needed: u64, available: usize },
    /// A VInt held a value outside `int` (Hadoop: "value too long to fit in integer").
    VIntOutOfRange(i64),
    /// A length was negative.
    NegativeLength(i64),
    /// `Text.readString(in, max)`: the bound is inclusive.
    AboveInclusiveLimit { len: i64, max: usize },
    /// `Text.readFields(in, max)`: the bound is exclusive.
    AtOrAboveExclusiveLimit { len: i64, max: usize },
    /// A malformed protobuf field.
    Protobuf(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Truncated { needed, available } => write!(
                f,
                "truncated: needs {needed} more bytes but only {available} remain"
            ),
            Problem::VIntOutOfRange(v) => write!(f, "value too long to fit in integer ({v})"),
            Problem::NegativeLength(n) => write!(f, "expected non-negative integer, got {n}"),
            Problem::AboveInclusiveLimit { len, max } => {
                write!(f, "expected integer less or equal to {max}, got {len}")
            }
            Problem::AtOrAboveExclusiveLimit { len, max } => write!(
                f,
                "tried to deserialize {len} bytes of data, but maxLength = {max}"
            ),
            Problem::Protobuf(m) => f.write_str(m),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field could not be decoded.
    #[error("{field}: {problem}")]
    Field {
        field: &'static str,
        problem: Problem,
    },
    /// Same text as Hadoop's `Credentials.readTokenStorageStream`.
    #[error("Bad header found in token storage.")]
    BadHeader,
    /// Same text as Hadoop's `Credentials.SerializedFormat.valueOf`.
    #[error("Unknown credential format: {0}")]
    UnknownFormat(u8),
    /// Same text as `AbstractDelegationTokenIdentifier.readFields`.
    #[error("Unknown version of delegation token {0}")]
    UnknownIdentifierVersion(i8),
    /// Same text as hadoop-aws's `EncryptionSecrets.readFields`.
    #[error("Incompatible EncryptionSecrets version: {0}")]
    IncompatibleEncryptionSecrets(i64),
    /// Same text as hadoop-aws's `S3AEncryptionMethods.getMethod`.
    #[error("Unknown encryption algorithm {}", safe(.0))]
    UnknownEncryptionAlgorithm(String),
    /// The token's kind is not one of the S3A kinds.
    #[error("not an S3A delegation token kind: {0:?}")]
    NotS3AKind(String),
    /// The identifier had bytes left over that no known layout accounts for.
    #[error("{0} unexpected bytes after the identifier")]
    TrailingBytes(usize),
    /// A token's URL-safe string form could not be decoded.
    #[error("invalid token string: {0}")]
    UrlString(String),
    /// A value cannot be written because it breaks a limit the reader enforces.
    #[error("{field} is too long to be serialized! ({len} bytes, limit {max})")]
    TooLongToWrite {
        field: &'static str,
        len: usize,
        max: usize,
    },
    /// Context added around another error: which file, which token.
    #[error("{context}: {source}")]
    Context {
        context: String,
        #[source]
        source: Box<Error>,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn field(field: &'static str, problem: Problem) -> Self {
        Error::Field { field, problem }
    }

    /// `field` needs `needed` more bytes than the `available` ones.
    pub(crate) fn truncated(field: &'static str, needed: u64, available: usize) -> Self {
        Error::field(field, Problem::Truncated { needed, available })
    }

    /// Wrap with a description of where the error happened (`token 3 (alias "s3a://b")`).
    pub fn context(self, context: impl Into<String>) -> Self {
        Error::Context {
            context: context.into(),
            source: Box::new(self),
        }
    }

    /// The innermost error, past every [`Error::Context`].
    pub fn root(&self) -> &Error {
        match self {
            Error::Context { source, .. } => source.root(),
            other => other,
        }
    }
}
