//! s3adt-core: the engine under `libs3adt.so` and the `s3adt` command. Async inside, blocking at
//! the edge ([`runtime::block_on`]); nothing here knows JNI or C.
//!
//! The layers, each importing only those before it (checked by `scripts/check-layers.py`):
//!
//! 0. [`error`]: the [`error::ErrorKind`] every error type maps to, for the edges.
//!    `percent`: percent-encoding of URL path parts (copy sources, Ozone's `/secret/<user>`).
//! 1. [`conf`]: Hadoop's `Configuration` as S3A reads it (core-site.xml, `${...}`, per-bucket keys).
//! 2. [`runtime`], [`retry`], `sdk_error`: the one tokio runtime and HTTP client, the retry policy
//!    of `fs.s3a.retry.*`, and the text of an AWS service error.
//! 3. [`auth`]: whose credentials sign. The credential sources and chain, STS, the three S3A
//!    bindings that issue tokens, and consuming a token for a bucket.
//! 4. [`store`]: the S3 object store, signed by a bound token or the chain.
//! 5. [`bucket`]: one opened bucket (configuration, binding, bound token, lazy store), what the
//!    JNI and C edges hold.
//! 4. (beside [`store`]) [`ozone`]: S3 secrets from Apache Ozone's S3 gateway over SPNEGO (MIT
//!    GSSAPI), for the `s3adt ozone` command.
//!
//! The token wire format (Writable, identifiers, token files) is the crate `s3adt-token`, under
//! all of these.

pub mod auth;
pub mod bucket;
pub mod bucket_info;
pub mod conf;
pub mod error;
pub mod ozone;
mod percent;
pub mod retry;
pub mod runtime;
mod sdk_error;
pub mod store;

#[doc(hidden)]
pub use auth::sources::reply::parse_reply_for_fuzzing as parse_metadata_reply_for_fuzzing;
