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

impl s3adt_config {
    /// The configuration, to change it.
    pub(crate) fn write(&self) -> Result<std::sync::RwLockWriteGuard<'_, Configuration>, FfiError> {
        self.inner.write().map_err(|_| FfiError::poisoned())
    }
}

/// Borrow a live configuration, or fail naming the argument.
///
/// # Safety
/// `config` is NULL or live.
pub(crate) unsafe fn config_arg<'a>(
    config: *const s3adt_config,
) -> Result<&'a s3adt_config, FfiError> {
    // SAFETY: NULL or live by the caller's contract.
    unsafe { config.as_ref() }.ok_or_else(|| FfiError::invalid("config is NULL"))
}

/// Borrow a live token file, or fail naming the argument.
///
/// # Safety
/// `file` is NULL or live.
pub(crate) unsafe fn file_arg<'a>(
    file: *const s3adt_token_file,
) -> Result<&'a s3adt_token_file, FfiError> {
    // SAFETY: NULL or live by the caller's contract.
    unsafe { file.as_ref() }.ok_or_else(|| FfiError::invalid("file is NULL"))
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

/// Free an object handed to C by `Box::into_raw`; NULL is nothing.
///
/// # Safety
/// `p` is NULL, or came from `Box::into_raw` and is not used afterwards.
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: created by Box::into_raw; freed once by the caller's contract.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// An out-parameter C passed, or an invalid-argument error naming it when it is NULL.
///
/// # Safety
/// `p` is NULL or writable by the caller's contract.
pub(crate) unsafe fn out_arg<'a, T>(p: *mut T, what: &str) -> Result<&'a mut T, FfiError> {
    // SAFETY: NULL or writable by the caller's contract.
    unsafe { p.as_mut() }.ok_or_else(|| FfiError::invalid(format!("{what} is NULL")))
}
