//! Whose credentials sign, and what a delegation token carries. Never imports [`crate::store`].
//!
//! - [`credentials`]: the credentials type and the error of a source (a leaf).
//! - [`sources`] and [`chain`]: where the caller's own credentials come from
//!   (`fs.s3a.aws.credentials.provider`, hadoop-aws's names and order).
//! - [`vault`]: Ozone S3 secrets in HashiCorp Vault / OpenBao (a source, and a secret store).
//! - [`sts`]: GetSessionToken, AssumeRole, AssumeRoleWithWebIdentity with our retries.
//! - [`issue`] (with [`policy`]): the Full, Session and Role bindings that issue S3A tokens;
//!   [`issue_file`]: one token per bucket into a token file (`s3adt fetch`, the C API).
//! - [`consume`]: a token file and a bucket to the identifier, checked against the binding and
//!   the clock; [`bound`]: the bound token first, else the chain, as the S3 client's provider.

pub mod binding;
pub mod bound;
pub mod chain;
pub mod consume;
pub mod credentials;
pub mod issue;
pub mod issue_file;
pub mod policy;
pub(crate) mod sources;
pub mod sts;
pub mod vault;
