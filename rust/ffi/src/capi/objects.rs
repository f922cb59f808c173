//! The opaque objects C holds that more than one file of the C API opens: a configuration
//! and a token file.

use super::error::FfiError;
use s3adt_core::conf::Configuration;
use s3adt_token::TokenFile;
use std::sync::RwLock;

/// A Hadoop-style configuration (keys and values, per-bucket options, core-site.xml files).
pub struct s3adt_config {
    pub(crate) inner: RwLock<Configuration>,
}

/// The tokens and secret keys of a Hadoop token storage file.
pub struct s3adt_token_file {
    pub(crate) inner: TokenFile,
}

/// A copy of `config`'s configuration; NULL is an empty one.
///
/// # Safety
/// `config` is NULL or live.
pub(crate) unsafe fn config_or_empty(
    config: *const s3adt_config,
) -> Result<Configuration, FfiError> {
    // SAFETY: NULL or live by the caller's contract.
    match unsafe { config.as_ref() } {
        Some(c) => Ok(c.inner.read().map_err(|_| FfiError::poisoned())?.clone()),
        None => Ok(Configuration::new()),
    }
}
