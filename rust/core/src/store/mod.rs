//! The S3 data path: the object-store primitives a Hadoop `FileSystem` is built from (head,
//! list, put, delete, copy, read and write streams, multipart uploads), over `aws-sdk-s3` with
//! the project's one HTTP client. Listing, aborting and purging multipart uploads in progress
//! (upload hygiene) is `uploads`.
//!
//! Settings are hadoop-aws's keys for a bucket-resolved configuration ([`S3Settings`]).
//! Credentials come from the delegation token the filesystem is bound to, looked up at each
//! request (so a bind after the store was built applies) and refused once expired, before any
//! request; or else from the login chain (`fs.s3a.aws.credentials.provider`). A bound token's
//! encryption secrets replace the configured encryption, as in hadoop-aws.
//!
//! Retries are ours, not the SDK's (its retries are off): [`RetryPolicy`] from `fs.s3a.retry.*`
//! backs off with full jitter on 503 SlowDown, throttling, 5xx, timeouts and connection
//! failures, and fails at once on anything retrying cannot fix (404, 403, an expired token).
//!
//! Not here: filesystem semantics (directories, rename, globbing: the Java shim builds those
//! from these primitives), client-side encryption, S3 Express, following a bucket to another
//! region (the region is what the configuration says), S3 Select, the vectored-read API.

mod buffer;
mod client;
mod copy;
mod direct;
mod encryption;
mod error;
mod multipart;
mod object;
mod read;
mod settings;
mod sigv4;
mod uploads;
mod write;

pub use crate::auth::bound::TokenLookup;
pub use buffer::UploadBuffer;
pub use client::S3Store;
pub use encryption::S3Encryption;
pub use error::{completed_anyway, S3Error, S3ErrorKind};
pub use multipart::PendingUpload;
pub use object::{ListEntry, ObjectMeta, UploadInfo};
pub use read::ReadStream;
pub use settings::{
    keys, parse_long_bytes, S3Settings, DELETE_BATCH, MAX_PAGE, MAX_PARTS, MAX_PART_SIZE,
    MAX_SINGLE_COPY, MIN_PART_SIZE,
};
pub use uploads::{initiated_before, purge_age, purge_keys};
pub use write::WriteStream;
