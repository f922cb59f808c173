//! What went wrong on S3, as callers branch on it: the kind, the operation and key, and the
//! service's own code and message (never the response body).

use crate::auth::consume::ConsumeError;
use crate::auth::credentials::CredentialError;
use crate::retry::Retry;
use crate::sdk_error::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use std::error::Error as StdError;
use std::fmt;

/// What went wrong, as callers branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3ErrorKind {
    /// 404: no such key, bucket or upload.
    NotFound,
    /// 403, or no credentials at all.
    AccessDenied,
    /// The bound delegation token: expired, or unusable.
    Token,
    /// The configuration is wrong.
    Config,
    /// 412: the object changed while it was being read.
    Changed,
    /// Anything else (5xx after the retries, 400s, network failures).
    Other,
}

/// A failed S3 operation: the service's code and message when it answered.
#[derive(Debug, Clone)]
pub struct S3Error {
    pub kind: S3ErrorKind,
    pub operation: &'static str,
    /// `s3a://bucket/key` (or `s3a://bucket/` for bucket-level calls).
    pub path: String,
    pub code: Option<String>,
    pub status: Option<u16>,
    pub message: String,
    pub attempts: u32,
    /// DeleteObjects: the keys that were not deleted.
    pub failed_keys: Box<[String]>,
}

impl fmt::Display for S3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}: ", self.operation, self.path)?;
        match &self.code {
            Some(c) if self.message.is_empty() => f.write_str(c)?,
            Some(c) => write!(f, "{c}: {}", self.message)?,
            None => f.write_str(&self.message)?,
        }
        match (self.status, self.attempts) {
            (Some(s), n) if n > 1 => write!(f, " (HTTP {s}; {n} attempts)"),
            (Some(s), _) => write!(f, " (HTTP {s})"),
            (None, n) if n > 1 => write!(f, " ({n} attempts)"),
            _ => Ok(()),
        }
    }
}

impl StdError for S3Error {}

impl crate::error::HasKind for S3Error {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self.kind {
            S3ErrorKind::NotFound => ErrorKind::NotFound,
            S3ErrorKind::AccessDenied => ErrorKind::AccessDenied,
            // The one refusal of a bound token at request time is its expiry (`check_expiry`).
            S3ErrorKind::Token => ErrorKind::Expired,
            S3ErrorKind::Config => ErrorKind::Config,
            S3ErrorKind::Changed => ErrorKind::Changed,
            // S3 answering that the session token has expired is the same failure.
            S3ErrorKind::Other if self.code.as_deref() == Some("ExpiredToken") => {
                ErrorKind::Expired
            }
            S3ErrorKind::Other => ErrorKind::S3,
        }
    }
}

impl S3Error {
    pub(crate) fn new(
        kind: S3ErrorKind,
        operation: &'static str,
        path: String,
        message: impl Into<String>,
    ) -> Self {
        S3Error {
            kind,
            operation,
            path,
            code: None,
            status: None,
            message: message.into(),
            attempts: 1,
            failed_keys: Box::default(),
        }
    }
}

/// How an SDK failure is to be treated and reported.
pub(crate) struct Failure {
    pub retry: Retry,
    pub kind: S3ErrorKind,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
}

/// A refusal by our credentials provider (expired token, no credentials) found in `e`'s
/// chain of causes: never retried.
fn refusal(e: &(dyn StdError + 'static)) -> Option<Failure> {
    let mut source: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(s) = source {
        let refused = |kind, message: String| Failure {
            retry: Retry::Never,
            kind,
            status: None,
            code: None,
            message,
        };
        if let Some(c) = s.downcast_ref::<ConsumeError>() {
            return Some(refused(S3ErrorKind::Token, c.to_string()));
        }
        if let Some(c) = s.downcast_ref::<CredentialError>() {
            return Some(refused(S3ErrorKind::AccessDenied, c.to_string()));
        }
        source = s.source();
    }
    None
}

/// The credentials provider's failure to give credentials for a request the store signs
/// itself (`direct.rs`), as [`describe`] reports it when the SDK signs.
pub(crate) fn credential_failure(
    e: &aws_credential_types::provider::error::CredentialsError,
) -> Failure {
    refusal(e).unwrap_or_else(|| Failure {
        retry: Retry::Never,
        kind: S3ErrorKind::Other,
        status: None,
        code: None,
        message: crate::sdk_error::error_chain(e),
    })
}

/// A service's answer with `status` and the error body's `code` and `message`: how it is
/// retried and reported. Shared by the SDK's errors and the direct GET's.
pub(crate) fn service_failure(status: u16, code: Option<String>, message: String) -> Failure {
    let throttled = status == 429
        || status == 503
        || matches!(
            code.as_deref(),
            Some(
                "SlowDown"
                    | "Throttling"
                    | "ThrottlingException"
                    | "RequestLimitExceeded"
                    | "TooManyRequestsException"
                    | "RequestThrottled"
            )
        );
    let transient = status >= 500
        || matches!(
            code.as_deref(),
            Some("RequestTimeout" | "InternalError" | "ServiceUnavailable")
        );
    let kind = match status {
        404 => S3ErrorKind::NotFound,
        403 => S3ErrorKind::AccessDenied,
        412 => S3ErrorKind::Changed,
        _ => S3ErrorKind::Other,
    };
    Failure {
        retry: if throttled {
            Retry::Throttled
        } else if transient {
            Retry::Transient
        } else {
            Retry::Never
        },
        kind,
        status: Some(status),
        code,
        message,
    }
}

pub(crate) fn describe<E>(e: &SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    use crate::sdk_error::error_chain;
    if let Some(f) = refusal(e) {
        return f;
    }
    match e {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            // Error bodies that are not S3's own shape (a proxy's, an STS-style one) still
            // carry <Code> and <Message>.
            let (code, message) = crate::sdk_error::service_error_text(se.err(), se.raw());
            let message = message.unwrap_or_else(|| {
                if code.is_some() || status >= 300 {
                    http_reason(status).to_owned()
                } else {
                    // A 2xx that is still an error (S3's "200 with an <Error> body", or
                    // a reply the SDK could not read): the SDK's own account, without the
                    // body it quotes in its Debug form.
                    error_chain(e)
                }
            });
            service_failure(status, code, message)
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            Failure {
                retry: Retry::Transient,
                kind: S3ErrorKind::Other,
                status: None,
                code: None,
                message: error_chain(e),
            }
        }
        _ => Failure {
            retry: Retry::Never,
            kind: S3ErrorKind::Other,
            status: None,
            code: None,
            message: error_chain(e),
        },
    }
}

pub(crate) fn http_reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        412 => "Precondition Failed",
        416 => "Requested Range Not Satisfiable",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "no message",
    }
}

/// moto answers CompleteMultipartUpload with a `<CompleteMultipartUploadResponse>` root, which
/// the SDK's parser rejects: a 200 with that root, an ETag and no `<Error>` is a completed
/// upload. Public for the benchmark's direct SDK calls (bench/rust/src/bin/bench_s3/bare.rs).
#[doc(hidden)]
pub fn completed_anyway(raw: &HttpResponse) -> bool {
    let body = raw
        .body()
        .bytes()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    raw.status().as_u16() == 200
        && body.contains("<CompleteMultipartUploadResponse")
        && body.contains("<ETag>")
        && !body.contains("<Error>")
}
