//! The C API. Each export is a thin wrapper: it checks its pointers, runs ordinary Rust inside
//! `boundary` (which catches panics), calls s3adt-core, and turns errors into an `s3adt_error`
//! by their kind (`error.rs`). The exports stay in this file, `bucket.rs` and `ozone.rs`, in
//! the order `include/s3adt.h` lists them (cbindgen keeps the source order).

mod bucket;
mod credentials;
mod error;
mod objects;
mod ozone;
mod strings;

pub use bucket::*;
pub use credentials::s3adt_credentials;
pub use error::*;
pub use objects::{s3adt_config, s3adt_token_file};
pub use ozone::*;

use credentials::new_credentials;
use objects::{config_arg, config_or_empty};
use s3adt_core::auth::consume::{identifier_for_bucket, now_ms};
use s3adt_core::auth::issue::{current_user, SessionCache};
use s3adt_core::auth::issue_file::issue_token_file;
use s3adt_core::conf::Configuration;
use s3adt_token::describe::TokenDescription;
use s3adt_token::{TokenFile, TokenFileFormat};
use std::ffi::{c_char, c_int};
use std::sync::RwLock;
use strings::{c_string, opt_str_arg, str_arg};

/// Token file formats (`hadoop dtutil -format`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s3adt_format {
    /// Writable (format byte 0): what `hdfs fetchdt` writes.
    Java = 0,
    /// Protobuf (format byte 1): what `hadoop dtutil get` writes by default.
    Protobuf = 1,
}

/// The library's version, e.g. "0.1.0". Static; do not free.
#[no_mangle]
pub extern "C" fn s3adt_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// A new, empty configuration, with `$HADOOP_CONF_DIR/core-site.xml` loaded when
/// `load_defaults` is non-zero. Returns NULL on failure.
#[no_mangle]
pub extern "C" fn s3adt_config_new(
    load_defaults: c_int,
    err: *mut *mut s3adt_error,
) -> *mut s3adt_config {
    boundary(err, std::ptr::null_mut(), || {
        let mut c = Configuration::new();
        if load_defaults != 0 {
            c.load_default_resources()?;
        }
        Ok(Box::into_raw(Box::new(s3adt_config {
            inner: RwLock::new(c),
        })))
    })
}

/// Set `key` to `value` (both borrowed). Returns 0, or an error code.
///
/// # Safety
/// `config` must come from `s3adt_config_new`; the strings must be NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn s3adt_config_set(
    config: *mut s3adt_config,
    key: *const c_char,
    value: *const c_char,
    err: *mut *mut s3adt_error,
) -> c_int {
    status(err, || {
        // SAFETY: API contract on the config and the strings.
        let config = unsafe { config_arg(config)? };
        // SAFETY: as above.
        let (k, v) = unsafe { (str_arg(key, "key")?, str_arg(value, "value")?) };
        config.write()?.set(k, v);
        Ok(())
    })
}

/// Read a Hadoop configuration XML file (such as core-site.xml) into `config`.
///
/// # Safety
/// As `s3adt_config_set`.
#[no_mangle]
pub unsafe extern "C" fn s3adt_config_load_xml(
    config: *mut s3adt_config,
    path: *const c_char,
    err: *mut *mut s3adt_error,
) -> c_int {
    status(err, || {
        // SAFETY: API contract on the config and the string.
        let (config, path) = unsafe { (config_arg(config)?, str_arg(path, "path")?) };
        config
            .write()?
            .add_resource(std::path::Path::new(path))
            .map_err(FfiError::from)
    })
}

/// Free a configuration. NULL is accepted.
///
/// # Safety
/// `config` must come from `s3adt_config_new` and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_config_free(config: *mut s3adt_config) {
    // SAFETY: from s3adt_config_new, not used afterwards, by contract.
    unsafe { objects::free_box(config) }
}

/// Issue one delegation token per bucket (`buckets`: `count` bucket names, borrowed) with the
/// binding `config` names (`fs.s3a.delegation.token.binding`, per bucket), and write them to
/// `path` (alias = service = `s3a://bucket`). `renewer` may be NULL. Session credentials are
/// shared between buckets that resolve to the same STS and keys (one STS call). Returns 0, or
/// an error code; on error nothing is written.
///
/// # Safety
/// `config` must be live; `buckets` must point to `count` NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn s3adt_issue_tokens(
    config: *const s3adt_config,
    buckets: *const *const c_char,
    count: usize,
    renewer: *const c_char,
    path: *const c_char,
    format: s3adt_format,
    err: *mut *mut s3adt_error,
) -> c_int {
    status(err, || {
        // SAFETY: NULL or live by contract.
        let config = unsafe { config_arg(config)? };
        if buckets.is_null() || count == 0 {
            return Err(FfiError::invalid("no buckets given"));
        }
        // SAFETY: the caller passes `count` valid pointers.
        let names = unsafe { std::slice::from_raw_parts(buckets, count) };
        let names: Vec<&str> = names
            .iter()
            .enumerate()
            // SAFETY: each is a NUL-terminated string by contract.
            .map(|(i, &p)| unsafe { str_arg(p, &format!("buckets[{i}]")) })
            .collect::<Result<_, _>>()?;
        // SAFETY: NULL or a NUL-terminated string by contract.
        let renewer = unsafe { opt_str_arg(renewer, "renewer")? }.unwrap_or("");
        // SAFETY: API contract on the string.
        let path = unsafe { str_arg(path, "path")? };
        let conf = config
            .inner
            .read()
            .map_err(|_| FfiError::poisoned())?
            .clone();
        let mut file = TokenFile::new();
        issue_token_file(
            &mut file,
            &conf,
            &names,
            &current_user(),
            renewer,
            &SessionCache::new(),
        )?;
        let format = match format {
            s3adt_format::Java => TokenFileFormat::Writable,
            s3adt_format::Protobuf => TokenFileFormat::Protobuf,
        };
        Ok(file.write_path(path, format)?)
    })
}

/// Read a token file; `path` NULL means `$HADOOP_TOKEN_FILE_LOCATION`. Returns NULL on failure.
///
/// # Safety
/// `path` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn s3adt_token_file_read(
    path: *const c_char,
    err: *mut *mut s3adt_error,
) -> *mut s3adt_token_file {
    boundary(err, std::ptr::null_mut(), || {
        // SAFETY: NULL or a NUL-terminated string by contract.
        let path = match unsafe { opt_str_arg(path, "path")? } {
            Some(p) => p.to_owned(),
            None => std::env::var("HADOOP_TOKEN_FILE_LOCATION").map_err(|_| {
                FfiError::invalid("path is NULL and HADOOP_TOKEN_FILE_LOCATION is not set")
            })?,
        };
        let (inner, _) = TokenFile::read_path(&path).map_err(FfiError::from)?;
        Ok(Box::into_raw(Box::new(s3adt_token_file { inner })))
    })
}

/// How many tokens the file holds (0 for NULL).
///
/// # Safety
/// `file` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn s3adt_token_file_count(file: *const s3adt_token_file) -> usize {
    // SAFETY: NULL or live by contract.
    unsafe { file.as_ref() }.map_or(0, |f| f.inner.tokens().len())
}

// duplicates: deliberate. The export signatures look alike (see bucket.rs, s3adt_bucket_open).
/// Every token described as a JSON array (the keys of `s3adt print --json`), never a secret.
/// Free the string with `s3adt_string_free`. NULL on failure.
///
/// # Safety
/// `file` is live.
#[no_mangle]
pub unsafe extern "C" fn s3adt_token_file_describe_json(
    file: *const s3adt_token_file,
    err: *mut *mut s3adt_error,
) -> *mut c_char {
    boundary(err, std::ptr::null_mut(), || {
        // SAFETY: checked non-NULL; live by contract.
        let file = unsafe { objects::file_arg(file)? };
        let all = file
            .inner
            .tokens()
            .iter()
            .map(|(alias, t)| TokenDescription::of(Some(&alias.to_string_lossy()), t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(FfiError::from)?;
        let json = serde_json::to_string(&all)
            .map_err(|e| FfiError::new(s3adt_code::Malformed, e.to_string()))?;
        c_string(&json)
    })
}

/// Free a token file. NULL is accepted.
///
/// # Safety
/// `file` comes from `s3adt_token_file_read` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_token_file_free(file: *mut s3adt_token_file) {
    // SAFETY: from s3adt_token_file_read, not used afterwards, by contract.
    unsafe { objects::free_box(file) }
}

/// The credentials the token for `bucket` carries (`s3a://bucket` service). With a `config`
/// (may be NULL) whose binding is set, the token's kind must match it (hadoop-aws's "Token
/// mismatch"). Expired credentials are refused (S3ADT_CODE_EXPIRED). NULL on failure.
///
/// # Safety
/// `file` live, `config` NULL or live, `bucket` a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn s3adt_credentials_for_bucket(
    file: *const s3adt_token_file,
    config: *const s3adt_config,
    bucket: *const c_char,
    err: *mut *mut s3adt_error,
) -> *mut s3adt_credentials {
    boundary(err, std::ptr::null_mut(), || {
        // SAFETY: checked non-NULL; live by contract.
        let file = unsafe { objects::file_arg(file)? };
        // SAFETY: API contract on the string.
        let bucket = unsafe { str_arg(bucket, "bucket")? };
        // SAFETY: NULL or live by contract.
        let conf = unsafe { config_or_empty(config)? };
        let id = identifier_for_bucket(&file.inner, bucket, &conf, now_ms())?;
        let c = &id.credentials;
        let token = (!c.session_token.is_empty()).then(|| c.session_token.expose());
        new_credentials(&c.access_key, c.secret_key.expose(), token, c.expiration)
    })
}

/// Wipe and free credentials. NULL is accepted.
///
/// # Safety
/// `creds` comes from `s3adt_credentials_for_bucket` or `s3adt_ozone_get_secret` and is not
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_credentials_free(creds: *mut s3adt_credentials) {
    // SAFETY: NULL or from `new_credentials` (via an export), freed once by contract.
    unsafe { credentials::free(creds) };
}

/// Free (and wipe) a string this library returned. NULL is accepted.
///
/// # Safety
/// `s` comes from this library and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_string_free(s: *mut c_char) {
    // SAFETY: NULL or from `c_string` (via an export), freed once by contract. Wiped over its
    // whole original length.
    unsafe { strings::free(s) };
}
