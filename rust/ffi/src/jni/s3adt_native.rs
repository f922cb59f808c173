//! Natives of `org.s3adt.jni.S3adtNative` (java/src/main/java/org/s3adt/jni/S3adtNative.java):
//! a filesystem instance's bucket, a [`BucketContext`] named by a handle (`handles.rs`).
//!
//! No native hands a bound token's credentials back to Java: they stay on this side, where the
//! S3 store signs with them.

use super::convert::{configuration, opt_jstring, opt_string, string, token, token_parts};
use super::handles::{self, BUCKETS};
use super::Thrown;
use jni::objects::{JByteArray, JObjectArray, JString};
use jni::sys::{jlong, jobjectArray, jstring};
use s3adt_core::bucket::BucketContext;
use std::sync::Arc;

natives! {
    /// `static native String version()` (what `NativeVersion.version` says; kept for jars older
    /// than that class).
    fn Java_org_s3adt_jni_S3adtNative_version(env) -> jstring = std::ptr::null_mut() => {
        super::native_version::version(env)
    };

    /// `static native long open(String[] conf, String bucket)`: checks the configuration for
    /// the bucket (an unknown binding fails here, as hadoop-aws fails to load the class) and
    /// returns a handle.
    fn Java_org_s3adt_jni_S3adtNative_open(env, kv: JObjectArray<'l>, bucket: JString<'l>)
        -> jlong = 0 => {
        let bucket = string(env, &bucket, "bucket")?;
        if bucket.is_empty() {
            return Err(Thrown::illegal("bucket is empty"));
        }
        let conf = configuration(env, &kv)?;
        let ctx = BucketContext::new(&bucket, &conf)
            .map_err(s3adt_core::auth::issue::IssueError::from)?;
        handles::insert(&BUCKETS, "handle", Arc::new(ctx))
    };

    /// `static native void close(long handle)`: idempotent.
    fn Java_org_s3adt_jni_S3adtNative_close(_env, handle: jlong) -> () = () => {
        handles::table(&BUCKETS, "handle")?.remove(&handle);
        Ok(())
    };

    /// `static native String tokenKind(long handle)`: the kind of token this bucket's binding
    /// issues, or null when delegation tokens are disabled for it.
    fn Java_org_s3adt_jni_S3adtNative_tokenKind(env, handle: jlong) -> jstring
        = std::ptr::null_mut() => {
        let kind = handles::bucket(handle)?.binding().map(|b| b.kind().as_str());
        opt_jstring(env, kind)
    };

    /// `static native void bind(long handle, byte[] identifier, byte[] password, String kind,
    /// String service)`: use this token (found in the UGI's credentials) for the bucket. Fails
    /// with hadoop-aws's "Token mismatch" text when the kind is not the configured binding's.
    fn Java_org_s3adt_jni_S3adtNative_bind(
        env,
        handle: jlong,
        identifier: JByteArray<'l>,
        password: JByteArray<'l>,
        kind: JString<'l>,
        service: JString<'l>,
    ) -> () = () => {
        let ctx = handles::bucket(handle)?;
        let token = token(env, &identifier, &password, &kind, &service)?;
        Ok(ctx.bind(&token)?)
    };

    /// `static native String boundDescription(long handle)`: the bound token's identifier as
    /// text (no secrets), or null when the filesystem is not bound to a token.
    fn Java_org_s3adt_jni_S3adtNative_boundDescription(env, handle: jlong) -> jstring
        = std::ptr::null_mut() => {
        let text = handles::bucket(handle)?.bound_description()?;
        opt_jstring(env, text.as_deref())
    };

    /// `static native byte[][] issueToken(long handle, String owner, String renewer)`: a new
    /// token for the bucket from its binding: {identifier, password, kind, service} (kind and
    /// service as UTF-8). STS is called for Session and Role tokens, with retries inside the
    /// configured budget.
    fn Java_org_s3adt_jni_S3adtNative_issueToken(
        env, handle: jlong, owner: JString<'l>, renewer: JString<'l>,
    ) -> jobjectArray = std::ptr::null_mut() => {
        let ctx = handles::bucket(handle)?;
        let owner = string(env, &owner, "owner")?;
        let renewer = opt_string(env, &renewer)?.unwrap_or_default();
        let token = ctx.issue(&owner, &renewer)?;
        token_parts(env, &token)
    };
}
