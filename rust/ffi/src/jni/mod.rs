//! The JNI natives of the Java shim. One file per Java class with natives
//! (`org.s3adt.jni.S3adtNative`: tokens; `org.s3adt.jni.S3adtStore`: the S3 data path). Every native runs inside [`boundary`]: it catches panics,
//! turns errors into Java exceptions of the class hadoop-aws would throw, and never leaves a
//! JNI error unreported. Nothing here blocks on the JVM; STS and S3 calls block the calling
//! Java thread on the one shared tokio runtime.

mod native_version;
mod s3adt_native;
mod s3adt_store;

use jni::JNIEnv;
use s3adt_core::auth::consume::ConsumeError;
use s3adt_core::auth::issue::IssueError;
use s3adt_core::conf::ConfigError;
use s3adt_core::store::{S3Error, S3ErrorKind};

pub(crate) const IO_EXCEPTION: &str = "java/io/IOException";
pub(crate) const ACCESS_DENIED: &str = "java/nio/file/AccessDeniedException";
pub(crate) const ILLEGAL_ARGUMENT: &str = "java/lang/IllegalArgumentException";
pub(crate) const FILE_NOT_FOUND: &str = "java/io/FileNotFoundException";
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

impl From<ConfigError> for Thrown {
    fn from(e: ConfigError) -> Self {
        // Hadoop's Configuration throws NumberFormatException / IllegalArgumentException.
        Thrown::illegal(e.to_string())
    }
}

impl From<IssueError> for Thrown {
    fn from(e: IssueError) -> Self {
        let class = match &e {
            IssueError::Config(_)
            | IssueError::UnknownBinding(_)
            | IssueError::StsSettings(_)
            | IssueError::BadBucket(_) => ILLEGAL_ARGUMENT,
            IssueError::NotEnabled { .. }
            | IssueError::NoRoleArn
            | IssueError::RoleNeedsFullCredentials
            | IssueError::Credentials(_)
            | IssueError::Token(_) => DT_EXCEPTION,
            // hadoop-aws translates "no credentials" and STS's 403 into AccessDeniedException.
            IssueError::Source(_) => ACCESS_DENIED,
            IssueError::Sts(s)
                if s.status == Some(403)
                    || matches!(
                        s.code.as_deref(),
                        Some("AccessDenied" | "InvalidClientTokenId" | "SignatureDoesNotMatch")
                    ) =>
            {
                ACCESS_DENIED
            }
            IssueError::Sts(_) => IO_EXCEPTION,
        };
        Thrown::new(class, e.to_string())
    }
}

impl From<ConsumeError> for Thrown {
    fn from(e: ConsumeError) -> Self {
        match e {
            ConsumeError::Binding(b) => IssueError::from(b).into(),
            other => Thrown::new(DT_EXCEPTION, other.to_string()),
        }
    }
}

/// The classes hadoop-aws's `S3AUtils.translateException` gives: 404 FileNotFoundException,
/// 403 (and no credentials) AccessDeniedException, an expired or unusable token
/// DelegationTokenIOException; the text has S3's code, message and the path.
impl From<S3Error> for Thrown {
    fn from(e: S3Error) -> Self {
        let class = match e.kind {
            S3ErrorKind::NotFound => FILE_NOT_FOUND,
            S3ErrorKind::AccessDenied => ACCESS_DENIED,
            S3ErrorKind::Token => DT_EXCEPTION,
            S3ErrorKind::Config => ILLEGAL_ARGUMENT,
            S3ErrorKind::Changed | S3ErrorKind::Other => IO_EXCEPTION,
        };
        Thrown::new(class, e.to_string())
    }
}

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
