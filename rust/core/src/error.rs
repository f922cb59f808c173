//! One vocabulary of failures for every edge: each core error type says which [`ErrorKind`] it
//! is ([`HasKind::kind`]), and the C API (`s3adt_code`) and the JNI natives (hadoop-aws's
//! exception classes) each map the kind in one exhaustive `match`. The kind decides the code
//! or class; the text stays the error's own (Hadoop's texts where Hadoop has one).
//!
//! A leaf: imports nothing of the crate, so every layer can name the kinds.

/// What kind of failure an error is, as callers branch on it.
///
/// Not `#[non_exhaustive]`, on purpose: its only users are the edges in this workspace
/// (`rust/ffi`, `rust/cli`), whose maps must stop compiling when a kind is added, until the
/// new kind has its C code and Java class. `#[non_exhaustive]` would force a `_` arm there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An argument no call could succeed with (a name that is not a bucket name).
    InvalidArgument,
    /// A configuration value is wrong or missing (the text names the key), a binding or
    /// credential provider is unknown, or delegation tokens are not enabled for the bucket.
    Config,
    /// A token, identifier or token file could not be decoded.
    Malformed,
    /// A file could not be read or written.
    Io,
    /// The token file holds no token for the bucket's service.
    NoToken,
    /// The token's kind is not the configured binding's (hadoop-aws's "Token mismatch").
    TokenMismatch,
    /// The token's credentials have expired: found by s3adt before a request, or answered by
    /// the store (`ExpiredToken`).
    Expired,
    /// The credentials at hand cannot make or carry a token: a token with unusable
    /// credentials, a binding without what it needs (keys, a role ARN).
    Credentials,
    /// The service refused the credentials (HTTP 403 from S3 or STS), or no credential source
    /// gave any.
    AccessDenied,
    /// No such object, bucket or upload (HTTP 404).
    NotFound,
    /// What was to be made exists already and cannot be had again (an Ozone S3 secret: Ozone
    /// gives a user's secret once).
    AlreadyExists,
    /// The object changed while it was being read (HTTP 412).
    Changed,
    /// Any other failure of an STS call (after the retries): throttling, 5xx, the network.
    Sts,
    /// Any other failure of an S3 request (after the retries): the text has the store's code,
    /// status and message.
    S3,
    /// A bug: state left unusable by an earlier panic.
    Internal,
}

impl ErrorKind {
    /// Every kind, for tables and tests.
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Config,
        ErrorKind::Malformed,
        ErrorKind::Io,
        ErrorKind::NoToken,
        ErrorKind::TokenMismatch,
        ErrorKind::Expired,
        ErrorKind::Credentials,
        ErrorKind::AccessDenied,
        ErrorKind::NotFound,
        ErrorKind::AlreadyExists,
        ErrorKind::Changed,
        ErrorKind::Sts,
        ErrorKind::S3,
        ErrorKind::Internal,
    ];
}

/// The [`ErrorKind`] of an error.
pub trait HasKind {
    fn kind(&self) -> ErrorKind;
}

impl HasKind for s3adt_token::Error {
    fn kind(&self) -> ErrorKind {
        match self.root() {
            s3adt_token::Error::Io { .. } => ErrorKind::Io,
            _ => ErrorKind::Malformed,
        }
    }
}

impl<T: HasKind + ?Sized> HasKind for &T {
    fn kind(&self) -> ErrorKind {
        (**self).kind()
    }
}
