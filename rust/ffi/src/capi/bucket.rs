//! The data path for C: one bucket, opened with the delegation token a token file holds for it
//! (what a YARN container's `HADOOP_TOKEN_FILE_LOCATION` points to), or with the login chain.
//! The same S3 client the Hadoop FileSystem uses: retries, timeouts, encryption and the token's
//! expiry check at every request.

use super::error::{boundary, s3adt_code, s3adt_error, status, FfiError};
use super::objects::{config_or_empty, free_box, out_arg, s3adt_config, s3adt_token_file};
use super::strings::str_arg;
use s3adt_core::bucket::BucketContext;
use s3adt_core::runtime::block_on;
use s3adt_core::store::S3Store;
use std::ffi::{c_char, c_int};
use std::sync::Arc;

/// One S3 bucket opened for reading and writing objects. Thread-safe: share it freely.
pub struct s3adt_bucket {
    store: Arc<S3Store>,
}

/// Borrow a live bucket, or fail naming the argument.
unsafe fn bucket_arg<'a>(b: *const s3adt_bucket) -> Result<&'a s3adt_bucket, FfiError> {
    // SAFETY: NULL or live by the caller's contract.
    unsafe { b.as_ref() }.ok_or_else(|| FfiError::invalid("bucket is NULL"))
}

/// A live bucket, an object's key and an out-parameter (`what`), or fail naming the first
/// that is NULL (or the key when it is not UTF-8).
///
/// # Safety
/// `b` NULL or live; `key` NULL or NUL-terminated; `out` NULL or writable.
unsafe fn object_args<'a, T>(
    b: *const s3adt_bucket,
    key: *const c_char,
    out: *mut T,
    what: &str,
) -> Result<(&'a s3adt_bucket, &'a str, &'a mut T), FfiError> {
    // SAFETY: by the caller's contract.
    unsafe { Ok((bucket_arg(b)?, str_arg(key, "key")?, out_arg(out, what)?)) }
}

// duplicates: deliberate. C exports are written out in full, signature and boundary, in
// bucket.rs and mod.rs alike: cbindgen reads them to write include/s3adt.h and does not
// expand macros. Their argument checks are the shared *_arg helpers.
/// Open `bucket` (a name: "my-bucket", not a URI) for data access. `config` (may be NULL: an
/// empty configuration) gives the endpoint, region and the other `fs.s3a.*` settings, with
/// `fs.s3a.bucket.<bucket>.*` applied. With `tokens` (may be NULL) every request signs with the
/// credentials of the token the file holds for `s3a://bucket`: there must be one, of the
/// configured binding's kind when `fs.s3a.delegation.token.binding` is set, and a request
/// after its expiry fails with S3ADT_CODE_EXPIRED before anything is sent. Without `tokens`,
/// the credentials come from `fs.s3a.aws.credentials.provider` (or the default chain), as for
/// the Hadoop FileSystem. Makes no request. Fails with S3ADT_CODE_NO_TOKEN,
/// S3ADT_CODE_TOKEN_MISMATCH or S3ADT_CODE_EXPIRED when the file's token cannot be used, and
/// S3ADT_CODE_CONFIG naming a bad setting. The bucket keeps what it needs of `config` and
/// `tokens`: both may be freed once it is open. Free with `s3adt_bucket_free`; NULL on failure.
///
/// # Safety
/// `config` and `tokens` NULL or live; `bucket` a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn s3adt_bucket_open(
    config: *const s3adt_config,
    bucket: *const c_char,
    tokens: *const s3adt_token_file,
    err: *mut *mut s3adt_error,
) -> *mut s3adt_bucket {
    boundary(err, std::ptr::null_mut(), || {
        // SAFETY: API contract on the string.
        let name = unsafe { str_arg(bucket, "bucket")? };
        if name.is_empty() || name.contains('/') || name.contains(':') {
            return Err(FfiError::invalid(format!(
                "bucket \"{name}\" is not a bucket name (give \"my-bucket\", not a URI or a path)"
            )));
        }
        // SAFETY: NULL or live by contract.
        let ctx = BucketContext::new(name, unsafe { &config_or_empty(config)? })?;
        // SAFETY: NULL or live by contract.
        if let Some(file) = unsafe { tokens.as_ref() } {
            ctx.bind_file(&file.inner)?;
        }
        // Built now: a bad S3 setting fails the open, naming the key.
        let store = ctx.store()?;
        Ok(Box::into_raw(Box::new(s3adt_bucket { store })))
    })
}

/// The length in bytes of object `key` (a HEAD request) in `*length`. Returns 0, or
/// S3ADT_CODE_NOT_FOUND when there is no such object, or another error code.
///
/// # Safety
/// `bucket` live; `key` a NUL-terminated string; `length` writable.
#[no_mangle]
pub unsafe extern "C" fn s3adt_bucket_stat(
    bucket: *const s3adt_bucket,
    key: *const c_char,
    length: *mut u64,
    err: *mut *mut s3adt_error,
) -> c_int {
    status(err, || {
        // SAFETY: contract.
        let (b, key, length) = unsafe { object_args(bucket, key, length, "length")? };
        match block_on(b.store.head(key))? {
            Some(meta) => *length = meta.length,
            None => {
                return Err(FfiError::new(
                    s3adt_code::NotFound,
                    format!("s3a://{}/{key}: no such object", b.store.bucket()),
                ))
            }
        }
        Ok(())
    })
}

/// Read up to `capacity` bytes of object `key` from byte `offset` into `buf`, and the number
/// read in `*read` (less than `capacity` only at the object's end; 0 at or past it). One ranged
/// GET, retried on throttling and transient failures; `capacity` 0 makes no request. Each call
/// stands alone: a program reading an object in pieces that must not change meanwhile can
/// compare lengths (`s3adt_bucket_stat`) before and after. Returns 0, or S3ADT_CODE_NOT_FOUND
/// when there is no such object, or another error code.
///
/// # Safety
/// `bucket` live; `key` a NUL-terminated string; `buf` writable for `capacity` bytes (may be
/// NULL when `capacity` is 0); `read` writable.
#[no_mangle]
pub unsafe extern "C" fn s3adt_bucket_read(
    bucket: *const s3adt_bucket,
    key: *const c_char,
    offset: u64,
    buf: *mut u8,
    capacity: usize,
    read: *mut usize,
    err: *mut *mut s3adt_error,
) -> c_int {
    status(err, || {
        // SAFETY: contract.
        let (b, key, read) = unsafe { object_args(bucket, key, read, "read")? };
        if buf.is_null() && capacity > 0 {
            return Err(FfiError::invalid("buf is NULL"));
        }
        let dst: &mut [u8] = if capacity == 0 {
            &mut []
        } else {
            // SAFETY: non-NULL and writable for `capacity` bytes by contract.
            unsafe { std::slice::from_raw_parts_mut(buf, capacity) }
        };
        let data = block_on(b.store.get_range(key, offset, dst.len() as u64))?;
        let n = data.len().min(dst.len());
        dst[..n].copy_from_slice(&data[..n]);
        *read = n;
        Ok(())
    })
}

/// Write `length` bytes from `data` as object `key`: one PUT of a copy of the buffer (S3 takes
/// up to 5 GiB in one PUT), which replaces an existing object; the object appears whole or not
/// at all. Returns 0, or an error code.
///
/// # Safety
/// `bucket` live; `key` a NUL-terminated string; `data` readable for `length` bytes (may be
/// NULL when `length` is 0).
#[no_mangle]
pub unsafe extern "C" fn s3adt_bucket_put(
    bucket: *const s3adt_bucket,
    key: *const c_char,
    data: *const u8,
    length: usize,
    err: *mut *mut s3adt_error,
) -> c_int {
    status(err, || {
        // SAFETY: contract.
        let (b, key) = unsafe { (bucket_arg(bucket)?, str_arg(key, "key")?) };
        if data.is_null() && length > 0 {
            return Err(FfiError::invalid("data is NULL"));
        }
        let bytes = if length == 0 {
            bytes::Bytes::new()
        } else {
            // SAFETY: readable for `length` bytes by contract; copied before returning.
            bytes::Bytes::copy_from_slice(unsafe { std::slice::from_raw_parts(data, length) })
        };
        Ok(block_on(b.store.put_object(key, bytes))?)
    })
}

/// Free a bucket. NULL is accepted.
///
/// # Safety
/// `bucket` comes from `s3adt_bucket_open` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn s3adt_bucket_free(bucket: *mut s3adt_bucket) {
    // SAFETY: from s3adt_bucket_open, not used afterwards, by contract.
    unsafe { free_box(bucket) }
}
