//! Credential sources that talk to a local endpoint: instance metadata (IMDSv2) and container
//! credentials, over the AWS SDK's HTTP stack ([`get`]).

pub(crate) mod get;
pub(crate) mod metadata;
pub(crate) mod reply;
