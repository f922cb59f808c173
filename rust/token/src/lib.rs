//! s3adt-token: Hadoop delegation tokens carrying S3A credentials, byte-compatible with Apache
//! hadoop-aws 3.3.x to 3.5.x. The wire format and nothing else: no async, no HTTP, no AWS SDK
//! (CI checks the dependency tree), the Rust twin of the pure-Java `org.s3adt.token` package.
//!
//! - [`writable`]: Hadoop's Writable primitives (VInt/VLong, `Text` with Hadoop's limits).
//! - [`token`]: the `Token` Writable and its URL-safe string form.
//! - [`token_file`]: token storage files (`HDTS`), format 0 (Writable) and 1 (protobuf), written
//!   in Java `HashMap` order and atomically.
//! - [`identifier`]: the base delegation-token identifier; [`s3a`]: the S3A identifiers, their
//!   encryption secrets and marshalled credentials.
//! - [`describe`]: a secret-free description of any token; [`javatime`]: Java's time texts;
//!   [`secret`]: the types secrets live in (`<redacted>` in every `Debug` and `Display`).
//!
//! Every decoder treats its input as hostile: it returns an error naming the field, never
//! panics, and never allocates more than the input holds.
#![cfg_attr(not(test), forbid(unsafe_code))]

pub mod describe;
pub mod error;
pub mod identifier;
pub mod javatime;
pub mod s3a;
pub mod secret;
pub mod token;
pub mod token_file;
pub mod writable;

pub use error::{Error, Result};
pub use identifier::DelegationTokenIdentifier;
pub use s3a::{
    CredentialType, EncryptionLayout, EncryptionMethod, EncryptionSecrets, MarshalledCredentials,
    S3ATokenIdentifier, S3ATokenKind,
};
pub use secret::{SecretBytes, SecretString};
pub use token::Token;
pub use token_file::{TokenFile, TokenFileFormat};
pub use writable::Text;
