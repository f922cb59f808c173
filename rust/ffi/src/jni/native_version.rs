//! Natives of `org.s3adt.jni.NativeVersion` (java/src/main/java/org/s3adt/jni/NativeVersion.java):
//! the library's version, which the jar compares with its own as soon as it has loaded the
//! library, so a stale libs3adt.so is an IOException naming both versions, not a crash later.

use super::boundary;
use jni::objects::JClass;
use jni::sys::jstring;
use jni::JNIEnv;

/// `static native String version()`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_NativeVersion_version<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jstring {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        Ok(env.new_string(env!("CARGO_PKG_VERSION"))?.into_raw())
    })
}
