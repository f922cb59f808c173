//! Exports for the tests of the boundary only: each panics inside the library, so a test can
//! check that the panic comes back as an error naming its location, never its message, and
//! that the process goes on. Built with the cargo feature `test-ffi` only: tests/c/run.sh and
//! tests/java/run.sh build that library as target/test-ffi/libs3adt.so (`h_test_ffi_lib`);
//! never in target/release/libs3adt.so, and not in include/s3adt.h (the C test declares
//! `s3adt_debug_panic` itself).

use crate::capi::{s3adt_error, status, FfiError};
use crate::jni::{boundary, Thrown};
use jni::objects::JClass;
use jni::sys::{jboolean, JNI_TRUE};
use jni::JNIEnv;
use std::ffi::c_int;

/// The panics' message; the tests check that it shows up nowhere.
const DEBUG_PANIC_MARKER: &str = "S3ADT-DEBUG-PANIC-PAYLOAD";

/// `int s3adt_debug_panic(s3adt_error **err)`: panics inside the library, which must come back
/// as S3ADT_CODE_PANIC (with the panic's location, never its message), not abort the process.
#[no_mangle]
pub extern "C" fn s3adt_debug_panic(err: *mut *mut s3adt_error) -> c_int {
    status(err, || -> Result<(), FfiError> {
        panic!("{DEBUG_PANIC_MARKER}: this text must not leave the library")
    })
}

/// `static native void debugPanic()` of the test class `org.s3adt.jni.TestFfi`: panics inside
/// a native, for the tests that prove no panic (nor its message) reaches the JVM.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_TestFfi_debugPanic<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) {
    boundary(&mut env, (), |_| -> Result<(), Thrown> {
        panic!("{DEBUG_PANIC_MARKER}: a deliberate panic whose text must not leave s3adt")
    })
}

/// `static native boolean available()` of `org.s3adt.jni.TestFfi`: true. A library built
/// without the feature has no such native, which the Java tests turn into a skip that says so.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_TestFfi_available<'l>(
    _env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jboolean {
    JNI_TRUE
}
