//! Natives of `org.s3adt.jni.S3adtNative` (java/src/main/java/org/s3adt/jni/S3adtNative.java):
//! a filesystem instance's bucket, a [`BucketContext`] named by a handle (`handles.rs`).
//!
//! No native hands a bound token's credentials back to Java: they stay on this side, where the
//! S3 store signs with them.

use super::convert::{byte_arrays, configuration, opt_string, string, token};
use super::handles::{self, BUCKETS};
use super::{boundary, Thrown};
use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::{jlong, jobjectArray, jstring};
use jni::JNIEnv;
use s3adt_core::bucket::BucketContext;
use std::sync::Arc;

/// `static native String version()`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_version<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jstring {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        Ok(env.new_string(env!("CARGO_PKG_VERSION"))?.into_raw())
    })
}

/// `static native long open(String[] conf, String bucket)`: checks the configuration for the
/// bucket (an unknown binding fails here, as hadoop-aws fails to load the class) and returns a
/// handle.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_open<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    kv: JObjectArray<'l>,
    bucket: JString<'l>,
) -> jlong {
    boundary(&mut env, 0, |env| {
        let bucket = string(env, &bucket, "bucket")?;
        if bucket.is_empty() {
            return Err(Thrown::illegal("bucket is empty"));
        }
        let conf = configuration(env, &kv)?;
        let ctx = BucketContext::new(&bucket, &conf)
            .map_err(s3adt_core::auth::issue::IssueError::from)?;
        handles::insert(&BUCKETS, "handle", Arc::new(ctx))
    })
}

/// `static native void close(long handle)`: idempotent.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_close<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    boundary(&mut env, (), |_| {
        handles::table(&BUCKETS, "handle")?.remove(&handle);
        Ok(())
    })
}

/// `static native String tokenKind(long handle)`: the kind of token this bucket's binding
/// issues, or null when delegation tokens are disabled for it.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_tokenKind<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jstring {
    boundary(
        &mut env,
        std::ptr::null_mut(),
        |env| match handles::bucket(handle)?.binding() {
            None => Ok(std::ptr::null_mut()),
            Some(b) => Ok(env.new_string(b.kind().as_str())?.into_raw()),
        },
    )
}

/// `static native void bind(long handle, byte[] identifier, byte[] password, String kind,
/// String service)`: use this token (found in the UGI's credentials) for the bucket. Fails
/// with hadoop-aws's "Token mismatch" text when the kind is not the configured binding's.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_bind<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    identifier: JByteArray<'l>,
    password: JByteArray<'l>,
    kind: JString<'l>,
    service: JString<'l>,
) {
    boundary(&mut env, (), |env| {
        let ctx = handles::bucket(handle)?;
        let token = token(env, &identifier, &password, &kind, &service)?;
        Ok(ctx.bind(&token)?)
    })
}

/// `static native String boundDescription(long handle)`: the bound token's identifier as
/// text (no secrets), or null when the filesystem is not bound to a token.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_boundDescription<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jstring {
    boundary(
        &mut env,
        std::ptr::null_mut(),
        |env| match handles::bucket(handle)?.bound_description()? {
            None => Ok(std::ptr::null_mut()),
            Some(text) => Ok(env.new_string(text)?.into_raw()),
        },
    )
}

/// `static native byte[][] issueToken(long handle, String owner, String renewer)`: a new token
/// for the bucket from its binding: {identifier, password, kind, service} (kind and service
/// as UTF-8). STS is called for Session and Role tokens, with retries inside the configured
/// budget.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_issueToken<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    owner: JString<'l>,
    renewer: JString<'l>,
) -> jobjectArray {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        let ctx = handles::bucket(handle)?;
        let owner = string(env, &owner, "owner")?;
        let renewer = opt_string(env, &renewer)?.unwrap_or_default();
        let token = ctx.issue(&owner, &renewer)?;
        byte_arrays(
            env,
            &[
                &token.identifier,
                token.password.expose(),
                token.kind.as_bytes(),
                token.service.as_bytes(),
            ],
        )
    })
}
