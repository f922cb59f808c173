//! The binding class names hadoop-aws accepts in `fs.s3a.delegation.token.binding`, and s3adt's
//! own Ozone binding.

pub const FULL: &str = "org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding";
pub const SESSION: &str = "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding";
pub const ROLE: &str = "org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenBinding";
/// s3adt's Ozone binding: Full tokens carrying the Kerberos submitter's Ozone S3 secret, which the
/// Java shim gets (a secret store, else Ozone's S3 gateway over SPNEGO as the UGI's login) and
/// hands to [`crate::bucket::BucketContext::issue_with_credentials`]. Consumed as Full tokens.
pub const OZONE: &str = "org.s3adt.ozone.OzoneTokenBinding";
