//! The C API. Each export is a thin wrapper: it checks its pointers, runs ordinary Rust inside
//! `boundary` (which catches panics), and turns errors into an `s3adt_error`.

mod bucket;
mod error;

pub use bucket::*;
pub use error::*;

use s3adt_core::config::Configuration;
use s3adt_core::consume::{identifier_for_bucket, now_ms};
use s3adt_core::describe::TokenDescription;
use s3adt_core::issue::{issue_with_cache, SessionCache, TokenRequest};
use s3adt_core::{TokenFile, TokenFileFormat};
use std::ffi::{c_char, c_int, CStr, CString};
use std::sync::RwLock;

/// A Hadoop-style configuration (keys and values, per-bucket options, core-site.xml files).
pub struct s3adt_config {
    inner: RwLock<Configuration>,
}

/// The tokens and secret keys of a Hadoop token storage file.
pub struct s3adt_token_file {
    inner: TokenFile,
}

/// AWS credentials a delegation token carries for one bucket. All strings are NUL-terminated
/// and owned by the struct; free it with `s3adt_credentials_free`, which also wipes them.
#[repr(C)]
pub struct s3adt_credentials {
    /// The AWS access key id.
    pub access_key: *mut c_char,
    /// The AWS secret access key.
    pub secret_key: *mut c_char,
    /// NULL for full (long-lived) credentials.
    pub session_token: *mut c_char,
    /// Milliseconds since the epoch, UTC; 0 when unknown.
    pub expiration_ms: i64,
}

/// Token file formats (`hadoop dtutil -format`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s3adt_format {
    /// Writable (format byte 0): what `hdfs fetchdt` writes.
    Java = 0,
    /// Protobuf (format byte 1): what `hadoop dtutil get` writes by default.
    Protobuf = 1,
}

/// A borrowed C string as &str; NULL or invalid UTF-8 is an invalid argument naming `what`.
unsafe fn str_arg<'a>(p: *const c_char, what: &str) -> Result<&'a str, FfiError> {
    if p.is_null() {
        return Err(FfiError::invalid(format!("{what} is NULL")));
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives the call (API contract).
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| FfiError::invalid(format!("{what} is not valid UTF-8")))
}

fn c_string(s: &str) -> *mut c_char {
    // Interior NULs cannot come from our own JSON or from UTF-8 credentials; replace defensively.
    CString::new(s.replace('\0', "\u{fffd}"))
        .unwrap_or_default()
        .into_raw()
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
            c.load_default_resources().map_err(FfiError::config)?;
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
        // SAFETY: checked non-NULL; the caller guarantees it is a live config.
        let config =
            unsafe { config.as_ref() }.ok_or_else(|| FfiError::invalid("config is NULL"))?;
        // SAFETY: API contract on the strings.
        let (k, v) = unsafe { (str_arg(key, "key")?, str_arg(value, "value")?) };
        config
            .inner
            .write()
            .map_err(|_| FfiError::poisoned())?
            .set(k, v);
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
        // SAFETY: checked non-NULL; the caller guarantees it is a live config.
        let config =
            unsafe { config.as_ref() }.ok_or_else(|| FfiError::invalid("config is NULL"))?;
        // SAFETY: API contract on the string.
        let path = unsafe { str_arg(path, "path")? };
        config
            .inner
            .write()
            .map_err(|_| FfiError::poisoned())?
            .add_resource(std::path::Path::new(path))
            .map_err(FfiError::config)
    })
}

/// Free a configuration. NULL is accepted.
///
/// # Safety
/// `config` must come from `s3adt_config_new` and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_config_free(config: *mut s3adt_config) {
    if !config.is_null() {
        // SAFETY: created by Box::into_raw in s3adt_config_new; freed once by contract.
        drop(unsafe { Box::from_raw(config) });
    }
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
        // SAFETY: checked non-NULL; live by contract.
        let config =
            unsafe { config.as_ref() }.ok_or_else(|| FfiError::invalid("config is NULL"))?;
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
        let renewer = if renewer.is_null() {
            ""
        } else {
            unsafe { str_arg(renewer, "renewer")? }
        };
        // SAFETY: API contract on the string.
        let path = unsafe { str_arg(path, "path")? };
        let conf = config
            .inner
            .read()
            .map_err(|_| FfiError::poisoned())?
            .clone();
        let owner = s3adt_core::issue::current_user();
        let cache = SessionCache::new();
        let mut file = TokenFile::new();
        for bucket in names {
            let req = TokenRequest {
                bucket: bucket.to_owned(),
                owner: owner.clone(),
                renewer: renewer.to_owned(),
            };
            let env = |k: &str| s3adt_core::credentials::process_env(k);
            let issued = s3adt_core::runtime::block_on(issue_with_cache(
                &conf.for_bucket(bucket),
                &req,
                &env,
                Some(&cache),
            ))
            .map_err(|e| FfiError::issue(format!("s3a://{bucket}: {e}")))?;
            let service = format!("s3a://{bucket}");
            let token = s3adt_core::Token::from_s3a(&issued.identifier, service.as_str())
                .map_err(FfiError::malformed)?;
            file.add_token(service.as_str().into(), token);
        }
        let format = match format {
            s3adt_format::Java => TokenFileFormat::Writable,
            s3adt_format::Protobuf => TokenFileFormat::Protobuf,
        };
        file.write_path(path, format).map_err(FfiError::from_core)
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
        let path = if path.is_null() {
            std::env::var("HADOOP_TOKEN_FILE_LOCATION").map_err(|_| {
                FfiError::invalid("path is NULL and HADOOP_TOKEN_FILE_LOCATION is not set")
            })?
        } else {
            // SAFETY: API contract on the string.
            unsafe { str_arg(path, "path")? }.to_owned()
        };
        let (inner, _) = TokenFile::read_path(&path).map_err(FfiError::from_core)?;
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
        let file = unsafe { file.as_ref() }.ok_or_else(|| FfiError::invalid("file is NULL"))?;
        let all = file
            .inner
            .tokens()
            .iter()
            .map(|(alias, t)| TokenDescription::of(Some(&alias.to_string_lossy()), t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(FfiError::from_core)?;
        let json =
            serde_json::to_string(&all).map_err(|e| FfiError::malformed_text(e.to_string()))?;
        Ok(c_string(&json))
    })
}

/// Free a token file. NULL is accepted.
///
/// # Safety
/// `file` comes from `s3adt_token_file_read` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_token_file_free(file: *mut s3adt_token_file) {
    if !file.is_null() {
        // SAFETY: created by Box::into_raw; freed once by contract.
        drop(unsafe { Box::from_raw(file) });
    }
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
        let file = unsafe { file.as_ref() }.ok_or_else(|| FfiError::invalid("file is NULL"))?;
        // SAFETY: API contract on the string.
        let bucket = unsafe { str_arg(bucket, "bucket")? };
        // SAFETY: NULL or live by contract.
        let conf = match unsafe { config.as_ref() } {
            Some(c) => c.inner.read().map_err(|_| FfiError::poisoned())?.clone(),
            None => Configuration::new(),
        };
        let id = identifier_for_bucket(&file.inner, bucket, &conf, now_ms())
            .map_err(FfiError::consume)?;
        let c = &id.credentials;
        Ok(Box::into_raw(Box::new(s3adt_credentials {
            access_key: c_string(&c.access_key),
            secret_key: c_string(c.secret_key.expose()),
            session_token: if c.session_token.is_empty() {
                std::ptr::null_mut()
            } else {
                c_string(c.session_token.expose())
            },
            expiration_ms: c.expiration,
        })))
    })
}

/// Wipe and free credentials. NULL is accepted.
///
/// # Safety
/// `creds` comes from `s3adt_credentials_for_bucket` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_credentials_free(creds: *mut s3adt_credentials) {
    if creds.is_null() {
        return;
    }
    // SAFETY: created by Box::into_raw; freed once by contract.
    let c = unsafe { Box::from_raw(creds) };
    for p in [c.access_key, c.secret_key, c.session_token] {
        if !p.is_null() {
            // SAFETY: each came from CString::into_raw.
            let mut bytes = unsafe { CString::from_raw(p) }.into_bytes();
            zeroize::Zeroize::zeroize(&mut bytes);
        }
    }
}

/// Free a string this library returned. NULL is accepted.
///
/// # Safety
/// `s` comes from this library and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: came from CString::into_raw.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// For tests of the boundary: panics inside the library, which must come back as
/// S3ADT_CODE_PANIC, not abort the process.
#[no_mangle]
pub extern "C" fn s3adt_debug_panic(err: *mut *mut s3adt_error) -> c_int {
    status(err, || -> Result<(), FfiError> {
        panic!("s3adt_debug_panic was called")
    })
}
