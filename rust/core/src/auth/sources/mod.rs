//! Credential sources that talk to a local endpoint: instance metadata (IMDSv2) and container
//! credentials, over a small HTTP/1.1 client.

mod http1;
pub(crate) mod metadata;
