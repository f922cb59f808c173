//! Errors across the C boundary: a code for programs to branch on and a message for people.
//! [`boundary`] runs the body of every export, catches any panic, and stores the error.

use s3adt_core::error::{ErrorKind, HasKind};
use std::ffi::{c_char, c_int, CString};

// duplicates: deliberate. include/s3adt.h's enum is generated from this one (cbindgen).
/// What kind of failure an `s3adt_error` is.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s3adt_code {
    /// Success.
    Ok = 0,
    /// A NULL or non-UTF-8 argument, or an argument out of range.
    InvalidArgument = 1,
    /// A file could not be read or written.
    Io = 2,
    /// A token or token file is malformed.
    Malformed = 3,
    /// A configuration value is wrong (the message names the key).
    Config = 4,
    /// No token for the bucket's service in the file.
    NoToken = 5,
    /// The token's kind does not match the configured binding ("Token mismatch").
    TokenMismatch = 6,
    /// The token's credentials have expired (the message names the time), or the store
    /// answered `ExpiredToken`.
    Expired = 7,
    /// The token carries no usable credentials, or the binding lacks what it needs to issue
    /// one (keys, a role ARN).
    Credentials = 8,
    /// An STS call failed after the retries: throttled, an error of STS's, or STS could not
    /// be reached (the message is STS's own). STS refusing the keys is S3ADT_CODE_ACCESS_DENIED.
    Sts = 9,
    /// No such object (HTTP 404).
    NotFound = 10,
    /// The store or STS refused the credentials (HTTP 403), or no credential source gave any.
    AccessDenied = 11,
    /// Any other failure of an S3 request (after the retries): the message has the store's
    /// code, status and text.
    S3 = 12,
    /// What was to be made exists already and cannot be had again: an Ozone S3 secret (Ozone
    /// gives a user's secret once; use the copy kept when it was made, or revoke it).
    AlreadyExists = 13,
    /// A bug: a panic inside the library, caught at the boundary. The message names the
    /// source location only (`internal error (a bug in s3adt) at FILE:LINE:COL`), never the
    /// panic's own text, which might quote a secret.
    Panic = 99,
}

/// An error: read it with `s3adt_error_code` / `s3adt_error_message`, free it with
/// `s3adt_error_free`.
pub struct s3adt_error {
    code: s3adt_code,
    message: CString,
}

#[derive(Debug)]
pub(crate) struct FfiError {
    code: s3adt_code,
    message: String,
}

impl FfiError {
    pub(crate) fn new(code: s3adt_code, message: impl Into<String>) -> Self {
        FfiError {
            code,
            message: message.into(),
        }
    }
    pub(crate) fn invalid(m: impl Into<String>) -> Self {
        FfiError {
            code: s3adt_code::InvalidArgument,
            message: m.into(),
        }
    }
    pub(crate) fn poisoned() -> Self {
        FfiError {
            code: s3adt_code::Panic,
            message: "an earlier panic left this object unusable".into(),
        }
    }
}

/// The code of each kind of failure. One exhaustive match: a new kind does not compile until
/// it has its code (a new code may be added; the numbers above never change). The JNI natives
/// map the same kinds to hadoop-aws's classes (`jni::class_of`); `kind_table` in the tests
/// pins both.
pub(crate) fn code_of(kind: ErrorKind) -> s3adt_code {
    match kind {
        ErrorKind::InvalidArgument => s3adt_code::InvalidArgument,
        ErrorKind::Config => s3adt_code::Config,
        ErrorKind::Malformed => s3adt_code::Malformed,
        ErrorKind::Io => s3adt_code::Io,
        ErrorKind::NoToken => s3adt_code::NoToken,
        ErrorKind::TokenMismatch => s3adt_code::TokenMismatch,
        ErrorKind::Expired => s3adt_code::Expired,
        ErrorKind::Credentials => s3adt_code::Credentials,
        ErrorKind::AccessDenied => s3adt_code::AccessDenied,
        ErrorKind::NotFound => s3adt_code::NotFound,
        ErrorKind::AlreadyExists => s3adt_code::AlreadyExists,
        ErrorKind::Changed | ErrorKind::S3 => s3adt_code::S3,
        ErrorKind::Sts => s3adt_code::Sts,
        ErrorKind::Internal => s3adt_code::Panic,
    }
}

/// Every core error becomes the code of its kind, with its own text (`?` in the exports).
impl<E: HasKind + std::fmt::Display> From<E> for FfiError {
    fn from(e: E) -> Self {
        FfiError::new(code_of(e.kind()), e.to_string())
    }
}

fn store(err: *mut *mut s3adt_error, e: FfiError) -> s3adt_code {
    let code = e.code;
    if !err.is_null() {
        let message = CString::new(e.message.replace('\0', " ")).unwrap_or_default();
        // SAFETY: `err` is non-NULL and points to a writable `s3adt_error *` by contract.
        unsafe { *err = Box::into_raw(Box::new(s3adt_error { code, message })) };
    }
    code
}

/// Run `f`, catching panics; on an error or a panic store it in `*err` (when not NULL) and
/// return its code.
fn run<T>(
    err: *mut *mut s3adt_error,
    f: impl FnOnce() -> Result<T, FfiError>,
) -> Result<T, s3adt_code> {
    if !err.is_null() {
        // SAFETY: non-NULL `err` points to a writable pointer by contract.
        unsafe { *err = std::ptr::null_mut() };
    }
    match crate::panic::catch(f) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(store(err, e)),
        Err(message) => Err(store(
            err,
            FfiError {
                code: s3adt_code::Panic,
                message,
            },
        )),
    }
}

/// For exports that return a pointer or value: `fail` on error.
pub(crate) fn boundary<T>(
    err: *mut *mut s3adt_error,
    fail: T,
    f: impl FnOnce() -> Result<T, FfiError>,
) -> T {
    run(err, f).unwrap_or(fail)
}

/// For exports that return a status: 0, or the error's code.
pub(crate) fn status(
    err: *mut *mut s3adt_error,
    f: impl FnOnce() -> Result<(), FfiError>,
) -> c_int {
    match run(err, f) {
        Ok(()) => 0,
        Err(code) => code as c_int,
    }
}

/// The error's code (0 for NULL).
///
/// # Safety
/// `err` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn s3adt_error_code(err: *const s3adt_error) -> c_int {
    // SAFETY: NULL or live by contract.
    unsafe { err.as_ref() }.map_or(0, |e| e.code as c_int)
}

/// The error's message, owned by the error (valid until `s3adt_error_free`); "" for NULL.
///
/// # Safety
/// `err` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn s3adt_error_message(err: *const s3adt_error) -> *const c_char {
    // SAFETY: NULL or live by contract.
    unsafe { err.as_ref() }.map_or(c"".as_ptr(), |e| e.message.as_ptr())
}

/// Free an error. NULL is accepted.
///
/// # Safety
/// `err` came from this library and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_error_free(err: *mut s3adt_error) {
    // Not objects::free_box: this module is the leaf every other capi module imports.
    if !err.is_null() {
        // SAFETY: created by Box::into_raw in `store`; not used afterwards, by contract.
        drop(unsafe { Box::from_raw(err) });
    }
}
