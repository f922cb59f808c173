//! Natives of `org.s3adt.jni.S3adtUploads` (java/src/main/java/org/s3adt/jni/S3adtUploads.java):
//! upload hygiene of a filesystem handle, over `s3adt_core::store` (`uploads.rs`).

use super::handles;
use jni::sys::{jint, jlong};

natives! {
    /// `static native int purge(long fs)`: `fs.s3a.multipart.purge` of the bucket's configuration:
    /// how many uploads older than `fs.s3a.multipart.purge.age` were aborted, or -1 when purging
    /// is off (then no request is made).
    fn Java_org_s3adt_jni_S3adtUploads_purge(_env, fs: jlong) -> jint = -1 => {
        Ok(match handles::bucket(fs)?.purge_uploads()? {
            None => -1,
            Some(n) => jint::try_from(n).unwrap_or(jint::MAX),
        })
    };
}
