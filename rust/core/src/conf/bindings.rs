//! The binding class names hadoop-aws accepts in `fs.s3a.delegation.token.binding`.

pub const FULL: &str = "org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding";
pub const SESSION: &str = "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding";
pub const ROLE: &str = "org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenBinding";
