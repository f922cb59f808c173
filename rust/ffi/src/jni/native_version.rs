//! Natives of `org.s3adt.jni.NativeVersion` (java/src/main/java/org/s3adt/jni/NativeVersion.java):
//! the library's version, which the jar compares with its own as soon as it has loaded the
//! library, so a stale libs3adt.so is an IOException naming both versions, not a crash later.

use super::Thrown;
use jni::sys::jstring;
use jni::JNIEnv;

/// This library's version as a Java string.
pub(super) fn version(env: &mut JNIEnv<'_>) -> Result<jstring, Thrown> {
    Ok(env.new_string(env!("CARGO_PKG_VERSION"))?.into_raw())
}

natives! {
    /// `static native String version()`
    fn Java_org_s3adt_jni_NativeVersion_version(env) -> jstring = std::ptr::null_mut() => {
        version(env)
    };
}
