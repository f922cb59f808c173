//! The keys s3adt reads, named once. (The data path's keys are in `crate::store::keys`.)

pub const DELEGATION_TOKEN_BINDING: &str = "fs.s3a.delegation.token.binding";
pub const ASSUMED_ROLE_ARN: &str = "fs.s3a.assumed.role.arn";
pub const ASSUMED_ROLE_SESSION_DURATION: &str = "fs.s3a.assumed.role.session.duration";
pub const ASSUMED_ROLE_STS_ENDPOINT: &str = "fs.s3a.assumed.role.sts.endpoint";
pub const ASSUMED_ROLE_STS_ENDPOINT_REGION: &str = "fs.s3a.assumed.role.sts.endpoint.region";
pub const AWS_CREDENTIALS_PROVIDER: &str = "fs.s3a.aws.credentials.provider";
pub const ACCESS_KEY: &str = "fs.s3a.access.key";
pub const SECRET_KEY: &str = "fs.s3a.secret.key";
pub const SESSION_TOKEN: &str = "fs.s3a.session.token";
pub const ENCRYPTION_ALGORITHM: &str = "fs.s3a.encryption.algorithm";
pub const ENCRYPTION_KEY: &str = "fs.s3a.encryption.key";
pub const ENCRYPTION_CONTEXT: &str = "fs.s3a.encryption.context";
/// Older names of the encryption keys, still read by hadoop-aws.
pub const SSE_ALGORITHM_OLD: &str = "fs.s3a.server-side-encryption-algorithm";
pub const SSE_KEY_OLD: &str = "fs.s3a.server-side-encryption.key";
/// s3adt's own: which encryption-secrets layout tokens are written in (v1, v1ctx, v2).
pub const S3ADT_ENCRYPTION_LAYOUT: &str = "fs.s3a.s3adt.token.encryption.layout";
/// s3adt's own: the Hadoop version (`3.4`, `3.5`, ...) of the hadoop-aws that reads the tokens;
/// picks the layout when `S3ADT_ENCRYPTION_LAYOUT` is unset. The Java shim sets it from the
/// running Hadoop's `VersionInfo`; the command and the C API take it from their configuration.
pub const S3ADT_TOKEN_READERS: &str = "fs.s3a.s3adt.token.readers";
pub const BUCKET_PREFIX: &str = "fs.s3a.bucket.";
pub const S3A_PREFIX: &str = "fs.s3a.";
