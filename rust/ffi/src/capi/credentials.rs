//! The credentials C gets (`s3adt_credentials`): built string by string so that a failure
//! part-way leaves nothing behind, and wiped when freed. A leaf: the exports that hand them out
//! (`s3adt_credentials_for_bucket`, `s3adt_ozone_get_secret`) and free them import it.

use super::error::FfiError;
use super::strings::{self, c_string};
use std::ffi::c_char;

/// AWS credentials: those a delegation token carries for one bucket, or an Apache Ozone S3
/// secret (`s3adt_ozone_get_secret`). All strings are NUL-terminated
/// and owned by the struct; free it with `s3adt_credentials_free`, which also wipes them over
/// their whole original length (even if the caller wrote a NUL into one). Do not replace the
/// pointers.
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

/// New credentials for C, freed (and wiped) by `s3adt_credentials_free`. Built one string at a
/// time into the struct, so a failure part-way frees (and wipes) the rest.
pub(crate) fn new_credentials(
    access_key: &str,
    secret_key: &str,
    session_token: Option<&str>,
    expiration_ms: i64,
) -> Result<*mut s3adt_credentials, FfiError> {
    let mut out = Box::new(s3adt_credentials {
        access_key: std::ptr::null_mut(),
        secret_key: std::ptr::null_mut(),
        session_token: std::ptr::null_mut(),
        expiration_ms,
    });
    let guard = CredentialsGuard(&mut out);
    guard.0.access_key = c_string(access_key)?;
    guard.0.secret_key = c_string(secret_key)?;
    if let Some(t) = session_token {
        guard.0.session_token = c_string(t)?;
    }
    std::mem::forget(guard);
    Ok(Box::into_raw(out))
}

/// Wipe and free credentials; NULL is nothing.
///
/// # Safety
/// `creds` is NULL or came from [`new_credentials`], and is not used afterwards.
pub(crate) unsafe fn free(creds: *mut s3adt_credentials) {
    if creds.is_null() {
        return;
    }
    // SAFETY: created by Box::into_raw; freed once by contract.
    let mut c = unsafe { Box::from_raw(creds) };
    // SAFETY: the strings came from `c_string` and are freed once, here.
    unsafe { free_strings(&mut c) };
}

/// Wipe and free the strings of `c` and set them to NULL.
///
/// # Safety
/// Each non-NULL string came from `c_string` and is not used elsewhere.
unsafe fn free_strings(c: &mut s3adt_credentials) {
    for p in [&mut c.access_key, &mut c.secret_key, &mut c.session_token] {
        // SAFETY: by this function's contract. The length comes from the string's header, so a
        // caller that wrote a NUL into it does not shorten what is wiped and freed.
        unsafe { strings::free(std::mem::replace(p, std::ptr::null_mut())) };
    }
}

/// Frees the strings built so far when `new_credentials` fails part-way.
struct CredentialsGuard<'a>(&'a mut s3adt_credentials);

impl Drop for CredentialsGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: the strings set so far came from `c_string`; nothing else holds them.
        unsafe { free_strings(self.0) };
    }
}
