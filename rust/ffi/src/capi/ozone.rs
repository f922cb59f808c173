//! Apache Ozone's S3 secrets for C: get one (`PUT /secret`) or revoke it (`DELETE /secret`) at
//! the S3 gateway's webadmin port over SPNEGO, as the process's Kerberos login, what
//! `s3adt ozone getsecret/revokesecret` do (s3adt-core's `ozone`).

use super::credentials::{new_credentials, s3adt_credentials};
use super::error::{boundary, s3adt_error, status, FfiError};
use super::strings::{opt_str_arg, str_arg};
use s3adt_core::ozone::{get_secret, revoke_secret};
use std::ffi::{c_char, c_int};

/// The gateway's URL and the user (NULL: the login's own), borrowed.
///
/// # Safety
/// `url` NULL or NUL-terminated; `user` NULL or NUL-terminated.
unsafe fn secret_args<'a>(
    url: *const c_char,
    user: *const c_char,
) -> Result<(&'a str, Option<&'a str>), FfiError> {
    // SAFETY: by the caller's contract.
    let url = unsafe { str_arg(url, "url")? };
    // SAFETY: NULL or NUL-terminated, by the caller's contract.
    let user = unsafe { opt_str_arg(user, "user")? };
    Ok((url, user))
}

/// Get a new S3 access key and secret from Apache Ozone's S3 gateway, as the Kerberos login of
/// the process: the ticket cache (`KRB5CCNAME`, as after `kinit`), or a client keytab in
/// `KRB5_CLIENT_KTNAME`. `url` is the gateway's webadmin URL, e.g.
/// "http://s3g.example.com:19878" (its host must be the one in the gateway's `HTTP/host`
/// principal). `user` NULL gets the login's own secret; a principal ("bob@EXAMPLE.COM") gets
/// that user's, which only an S3 administrator (`ozone.s3.administrators`) may. The access key
/// is the principal; `session_token` is NULL and `expiration_ms` 0 (the secret lasts until
/// revoked). Free it with `s3adt_credentials_free`, which wipes it.
///
/// Ozone gives a user's secret once: keep it (a second call fails with
/// S3ADT_CODE_ALREADY_EXISTS until it is revoked). Each failure's message says what to do:
/// S3ADT_CODE_CREDENTIALS (no Kerberos login: kinit; or no ticket for the gateway's host),
/// S3ADT_CODE_ACCESS_DENIED (not an S3 administrator, or the ticket refused),
/// S3ADT_CODE_CONFIG (the S3 API port instead of the webadmin one, or the endpoint switched
/// off), S3ADT_CODE_INVALID_ARGUMENT (not an http(s) URL), S3ADT_CODE_IO (no answer, or one
/// Ozone is not known to give). NULL on failure.
///
/// # Safety
/// `url` a NUL-terminated string; `user` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn s3adt_ozone_get_secret(
    url: *const c_char,
    user: *const c_char,
    err: *mut *mut s3adt_error,
) -> *mut s3adt_credentials {
    boundary(err, std::ptr::null_mut(), || {
        // SAFETY: by the caller's contract.
        let (url, user) = unsafe { secret_args(url, user)? };
        let s = get_secret(url, user)?;
        new_credentials(&s.access_key, s.secret.expose(), None, 0)
    })
}

/// Revoke the S3 secret of the Kerberos login (`user` NULL) or of `user` (an S3 administrator
/// only) at Apache Ozone's S3 gateway (`url` as for `s3adt_ozone_get_secret`): every request
/// signed with it is refused from then on, and the next `s3adt_ozone_get_secret` makes a new
/// one. Returns 0, or an error code: S3ADT_CODE_NOT_FOUND when there is no secret to revoke,
/// and the codes of `s3adt_ozone_get_secret` otherwise. Removes no copy the Ozone token binding
/// keeps in its secret store (`s3adt ozone revokesecret` does).
///
/// # Safety
/// As `s3adt_ozone_get_secret`.
#[no_mangle]
pub unsafe extern "C" fn s3adt_ozone_revoke_secret(
    url: *const c_char,
    user: *const c_char,
    err: *mut *mut s3adt_error,
) -> c_int {
    status(err, || {
        // SAFETY: by the caller's contract.
        let (url, user) = unsafe { secret_args(url, user)? };
        Ok(revoke_secret(url, user)?)
    })
}
