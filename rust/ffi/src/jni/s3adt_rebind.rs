//! Natives of `org.s3adt.jni.S3adtRebind` (java/src/main/java/org/s3adt/jni/S3adtRebind.java):
//! a running filesystem moves to a newer token of its binding, found in the UGI's credentials
//! when the bound one nears its expiry ([`BucketContext::rebind`](s3adt_core::bucket::BucketContext::rebind)).

use super::convert::token;
use super::handles;
use jni::objects::{JByteArray, JString};
use jni::sys::{jboolean, jlong, JNI_FALSE};

natives! {
    /// `static native boolean rebind(long handle, byte[] identifier, byte[] password, String kind,
    /// String service)`: sign with this token from the next request on when it is of the bound
    /// token's kind and expires later; true when taken. A token of another binding is hadoop-aws's
    /// "Token mismatch".
    fn Java_org_s3adt_jni_S3adtRebind_rebind(
        env, handle: jlong, identifier: JByteArray<'l>, password: JByteArray<'l>,
        kind: JString<'l>, service: JString<'l>,
    ) -> jboolean = JNI_FALSE => {
        let ctx = handles::bucket(handle)?;
        let token = token(env, &identifier, &password, &kind, &service)?;
        Ok(jboolean::from(ctx.rebind(&token)?))
    };
}
