//! s3adt-core: Hadoop delegation tokens carrying S3A credentials, byte-compatible with
//! Apache hadoop-aws.
//!
//! What is here: Hadoop's Writable primitives ([`writable`]), the `Token` Writable and its
//! URL-safe string form ([`token`]), token storage files in both formats ([`token_file`]),
//! the base delegation-token identifier ([`identifier`]) and the S3A identifiers with their
//! encryption secrets and marshalled credentials ([`s3a`]), and a secret-free description of
//! any token ([`describe`]).
//!
//! It also talks to AWS: STS for the bindings ([`issue`], [`sts`]) and S3 for the data path
//! ([`s3`]). What is not here: anything that talks to JNI or C; those live in other crates
//! that build on this one. Every decoder here treats its input as hostile: it returns
//! an error naming the field, never panics, and never allocates more than the input holds.

pub mod config;
pub mod consume;
pub mod credentials;
pub mod describe;
pub mod error;
mod http1;
pub mod identifier;
pub mod issue;
mod java_hashmap;
pub mod javatime;
mod metadata;
pub mod policy;
mod protobuf;
pub mod retry;
pub mod runtime;
pub mod s3;
mod s3_credentials;
mod s3_read;
mod s3_write;
pub mod s3a;
pub mod secret;
pub mod sts;
pub mod token;
pub mod token_file;
pub mod writable;

pub use error::{Error, Result};
pub use identifier::DelegationTokenIdentifier;
#[doc(hidden)]
pub use metadata::parse_reply_for_fuzzing as parse_metadata_reply_for_fuzzing;
pub use s3a::{
    CredentialType, EncryptionLayout, EncryptionMethod, EncryptionSecrets, MarshalledCredentials,
    S3ATokenIdentifier, S3ATokenKind,
};
pub use secret::{SecretBytes, SecretString};
pub use token::Token;
pub use token_file::{TokenFile, TokenFileFormat};
pub use writable::Text;
