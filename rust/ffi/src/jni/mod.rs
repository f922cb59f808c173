//! The JNI natives of the Java shim. One file per Java class with natives
//! (`org.s3adt.jni.S3adtNative`: tokens; `org.s3adt.jni.S3adtOzone`: the Ozone binding's token;
//! `org.s3adt.jni.S3adtStore`: the S3 data path; `org.s3adt.jni.S3adtUploads`: upload hygiene;
//! `org.s3adt.jni.S3adtVault`: Ozone S3 secrets in Vault), over
//! `convert` (Java values) and `handles` (the handle tables). Every native runs inside [`boundary`]: it catches panics,
//! turns errors into Java exceptions of the class hadoop-aws would throw, and never leaves a
//! JNI error unreported. Nothing here blocks on the JVM; STS and S3 calls block the calling
//! Java thread on the one shared tokio runtime.

/// JNI exports: each `fn NAME(env, ARGS) -> RET = FAIL => BODY;` becomes a `#[no_mangle] extern
/// "system"` function taking the JNIEnv and class first and then ARGS, whose BODY (a
/// `Result<RET, Thrown>`, with `env` the `&mut JNIEnv`) runs inside [`boundary`]: FAIL is what
/// it returns with an exception pending. So a native is only what it converts and calls.
macro_rules! natives {
    ($(
        $(#[$meta:meta])*
        fn $name:ident($env:ident $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty = $fail:expr => $body:expr;
    )*) => {$(
        $(#[$meta])*
        #[no_mangle]
        pub extern "system" fn $name<'l>(
            mut env: ::jni::JNIEnv<'l>,
            _class: ::jni::objects::JClass<'l>,
            $($arg: $ty),*
        ) -> $ret {
            $crate::jni::boundary(&mut env, $fail, |$env| $body)
        }
    )*};
}

mod convert;
mod handles;
mod native_version;
mod s3adt_multipart;
mod s3adt_native;
mod s3adt_ozone;
mod s3adt_rebind;
mod s3adt_store;
mod s3adt_uploads;
mod s3adt_vault;

use jni::JNIEnv;
use s3adt_core::auth::consume::ConsumeError;
use s3adt_core::auth::issue::IssueError;
use s3adt_core::conf::ConfigError;
use s3adt_core::error::{ErrorKind, HasKind};
use s3adt_core::store::S3Error;

pub(crate) const IO_EXCEPTION: &str = "java/io/IOException";
pub(crate) const ACCESS_DENIED: &str = "java/nio/file/AccessDeniedException";
pub(crate) const ILLEGAL_ARGUMENT: &str = "java/lang/IllegalArgumentException";
pub(crate) const FILE_NOT_FOUND: &str = "java/io/FileNotFoundException";
/// Hadoop's (an IOException; hadoop-common is on every class path the shim runs on).
pub(crate) const ALREADY_EXISTS: &str = "org/apache/hadoop/fs/FileAlreadyExistsException";
pub(crate) const EOF_EXCEPTION: &str = "java/io/EOFException";
pub(crate) const INDEX_OUT_OF_BOUNDS: &str = "java/lang/IndexOutOfBoundsException";
pub(crate) const NULL_POINTER: &str = "java/lang/NullPointerException";
/// The shim's counterpart of hadoop-aws's `DelegationTokenIOException` (same texts).
pub(crate) const DT_EXCEPTION: &str = "org/s3adt/fs/DelegationTokenIOException";

/// A Java exception to throw: its class and message.
#[derive(Debug)]
pub(crate) struct Thrown {
    class: &'static str,
    message: String,
}

impl Thrown {
    pub(crate) fn new(class: &'static str, message: impl Into<String>) -> Self {
        Thrown {
            class,
            message: message.into(),
        }
    }
    pub(crate) fn io(message: impl Into<String>) -> Self {
        Thrown::new(IO_EXCEPTION, message)
    }
    pub(crate) fn illegal(message: impl Into<String>) -> Self {
        Thrown::new(ILLEGAL_ARGUMENT, message)
    }
}

/// A JNI call failed. When it left a Java exception pending, that exception is the one the
/// caller sees; otherwise the failure becomes an IOException naming it.
impl From<jni::errors::Error> for Thrown {
    fn from(e: jni::errors::Error) -> Self {
        Thrown::io(format!("s3adt: JNI call failed: {e}"))
    }
}

/// The class hadoop-aws throws for each kind of failure (`S3AUtils.translateException`: 404
/// FileNotFoundException, 403 and "no credentials" AccessDeniedException; an unusable or
/// expired token DelegationTokenIOException; Hadoop's `Configuration` IllegalArgumentException).
/// One exhaustive match: a new kind does not compile until it has its class. The C API's
/// `s3adt_code` maps the same kinds (`capi/error.rs`); `kind_table` in the tests pins both.
pub(crate) fn class_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument | ErrorKind::Config => ILLEGAL_ARGUMENT,
        ErrorKind::Malformed
        | ErrorKind::NoToken
        | ErrorKind::TokenMismatch
        | ErrorKind::Expired
        | ErrorKind::Credentials => DT_EXCEPTION,
        ErrorKind::AccessDenied => ACCESS_DENIED,
        ErrorKind::NotFound => FILE_NOT_FOUND,
        ErrorKind::AlreadyExists => ALREADY_EXISTS,
        ErrorKind::Io
        | ErrorKind::Changed
        | ErrorKind::Sts
        | ErrorKind::S3
        | ErrorKind::Internal => IO_EXCEPTION,
    }
}

impl Thrown {
    /// A core error as the exception of its kind, with its own text.
    pub(crate) fn of(e: &(impl HasKind + std::fmt::Display)) -> Self {
        Thrown::new(class_of(e.kind()), e.to_string())
    }
}

/// Core errors become the exception of their kind (one `From` each: `?` in the natives).
macro_rules! thrown_from_kind {
    ($($t:ty),*) => {$(
        impl From<$t> for Thrown {
            fn from(e: $t) -> Self {
                Thrown::of(&e)
            }
        }
    )*};
}
thrown_from_kind!(
    ConfigError,
    IssueError,
    ConsumeError,
    S3Error,
    s3adt_core::bucket::BucketError,
    s3adt_token::Error
);

fn throw(env: &mut JNIEnv<'_>, t: Thrown) {
    // A JNI call that failed may have left its own exception pending: that one stands.
    if env.exception_check().unwrap_or(true) {
        return;
    }
    if env.throw_new(t.class, &t.message).is_err() && !env.exception_check().unwrap_or(true) {
        let _ = env.throw_new(IO_EXCEPTION, &t.message);
    }
}

/// Run the body of a native: its value, or `fail` with a Java exception pending. A panic is
/// caught here and becomes an IOException saying it is a bug and where it happened (never the
/// panic's message); it never unwinds into the JVM.
pub(crate) fn boundary<'local, T>(
    env: &mut JNIEnv<'local>,
    fail: T,
    f: impl FnOnce(&mut JNIEnv<'local>) -> Result<T, Thrown>,
) -> T {
    let outcome = crate::panic::catch(|| f(&mut *env));
    match outcome {
        Ok(Ok(v)) => v,
        Ok(Err(t)) => {
            throw(env, t);
            fail
        }
        Err(what) => {
            // The location only: the panic's own text might quote a secret.
            let t = Thrown::io(format!(
                "s3adt {what} (a Rust panic was caught at the JNI boundary)"
            ));
            throw(env, t);
            fail
        }
    }
}
