//! The S3 data path: the object-store primitives a Hadoop `FileSystem` is built from (head,
//! list, put, delete, copy, read and write streams, multipart uploads), over `aws-sdk-s3` with
//! the project's one HTTP client.
//!
//! Settings are hadoop-aws's keys for a bucket-resolved configuration ([`S3Settings`]).
//! Credentials come from the delegation token the filesystem is bound to, looked up at each
//! request (so a bind after the store was built applies) and refused once expired, before any
//! request; or else from the login chain (`fs.s3a.aws.credentials.provider`). A bound token's
//! encryption secrets replace the configured encryption, as in hadoop-aws.
//!
//! Retries are ours, not the SDK's (its retries are off): [`RetryPolicy`] from `fs.s3a.retry.*`
//! backs off with full jitter on 503 SlowDown, throttling, 5xx, timeouts and connection
//! failures, and fails at once on anything retrying cannot fix (404, 403, an expired token).
//!
//! Not here: filesystem semantics (directories, rename, globbing: the Java shim builds those
//! from these primitives), client-side encryption, S3 Express, following a bucket to another
//! region (the region is what the configuration says), S3 Select, the vectored-read API.

use crate::config::{keys as config_keys, ConfigError, Configuration, TimeUnit};
use crate::consume::{check_expiry, now_ms, ConsumeError};
use crate::credentials::CredentialError;
use crate::retry::{Retry, RetryPolicy};
use crate::s3_credentials::StoreCredentials;
use crate::secret::SecretString;
use crate::S3ATokenIdentifier;
use aws_sdk_s3::config::{
    BehaviorVersion, IdentityCache, Region, RequestChecksumCalculation, ResponseChecksumValidation,
    StalledStreamProtectionConfig,
};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier, ServerSideEncryption,
};
use base64::Engine;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub use crate::s3_credentials::TokenLookup;
pub use crate::s3_read::ReadStream;
pub use crate::s3_write::WriteStream;

/// hadoop-aws's keys for the data path, named once.
pub mod keys {
    pub const ENDPOINT: &str = "fs.s3a.endpoint";
    pub const ENDPOINT_REGION: &str = "fs.s3a.endpoint.region";
    pub const PATH_STYLE_ACCESS: &str = "fs.s3a.path.style.access";
    pub const SSL_ENABLED: &str = "fs.s3a.connection.ssl.enabled";
    pub const MULTIPART_SIZE: &str = "fs.s3a.multipart.size";
    pub const MULTIPART_THRESHOLD: &str = "fs.s3a.multipart.threshold";
    pub const READAHEAD_RANGE: &str = "fs.s3a.readahead.range";
    pub const ACTIVE_BLOCKS: &str = "fs.s3a.fast.upload.active.blocks";
    pub const PAGING_MAXIMUM: &str = "fs.s3a.paging.maximum";
    pub const MULTI_OBJECT_DELETE: &str = "fs.s3a.multiobjectdelete.enable";
    pub const ESTABLISH_TIMEOUT: &str = "fs.s3a.connection.establish.timeout";
    pub const SOCKET_TIMEOUT: &str = "fs.s3a.connection.timeout";
    pub const REQUEST_TIMEOUT: &str = "fs.s3a.connection.request.timeout";
    pub const PART_UPLOAD_TIMEOUT: &str = "fs.s3a.connection.part.upload.timeout";
}
use keys as k;

/// S3's smallest part (all but the last); hadoop-aws raises a smaller `fs.s3a.multipart.size`
/// to it.
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// The largest part s3adt buffers (hadoop-aws's limit too: a Java array).
pub const MAX_PART_SIZE: u64 = i32::MAX as u64;
/// S3's part count limit.
pub const MAX_PARTS: i32 = 10_000;
/// The largest object a single CopyObject may copy.
pub const MAX_SINGLE_COPY: u64 = 5 * 1024 * 1024 * 1024;
/// S3 never returns more keys than this in one page.
pub const MAX_PAGE: i32 = 1000;
/// DeleteObjects takes at most this many keys.
pub const DELETE_BATCH: usize = 1000;

type HttpResponse = aws_smithy_runtime_api::http::Response;

/// `Configuration.getLongBytes`: a whole number with an optional binary prefix (k, m, g, t, p,
/// e; either case), as Hadoop's `TraditionalBinaryPrefix.string2long`.
pub fn parse_long_bytes(raw: &str) -> Result<u64, String> {
    let s = raw.trim();
    // The value is not quoted: errors name the key only (a value may be a secret).
    let bad = || "not a size (a whole number with an optional K, M, G, T, P or E)".to_owned();
    let last = s.chars().last().ok_or_else(bad)?;
    let (number, shift) = if last.is_ascii_digit() {
        (s, 0)
    } else {
        let i = "kmgtpe".find(last.to_ascii_lowercase()).ok_or_else(bad)?;
        (&s[..s.len() - 1], 10 * (i as u32 + 1))
    };
    let n: u64 = number.trim().parse().map_err(|_| bad())?;
    n.checked_mul(1u64 << shift)
        .filter(|v| *v <= i64::MAX as u64)
        .ok_or_else(|| "too large".to_owned())
}

fn long_bytes(conf: &Configuration, key: &str, default: &str) -> Result<u64, ConfigError> {
    let raw = conf.get(key).unwrap_or_else(|| default.to_owned());
    parse_long_bytes(&raw).map_err(|message| ConfigError::BadValue {
        key: key.to_owned(),
        message,
    })
}

fn int(conf: &Configuration, key: &str, default: i64) -> Result<i64, ConfigError> {
    match conf.get(key) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError::BadValue {
            key: key.to_owned(),
            message: "expected a whole number".to_owned(),
        }),
    }
}

fn boolean(conf: &Configuration, key: &str, default: bool) -> bool {
    // Configuration.getBoolean: "true"/"false" in any case; anything else is the default.
    match conf.get(key).map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if v == "true" => true,
        Some(v) if v == "false" => false,
        _ => default,
    }
}

/// Server-side encryption as requests carry it.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum S3Encryption {
    #[default]
    None,
    /// SSE-S3: `x-amz-server-side-encryption: AES256`.
    SseS3,
    /// SSE-KMS: `aws:kms`, with the bucket's default key when none is named.
    SseKms { key_id: Option<String> },
    /// DSSE-KMS: `aws:kms:dsse`.
    DsseKms { key_id: Option<String> },
    /// SSE-C: the customer's 256-bit key (base64) and its MD5 (base64) on every request that
    /// reads or writes object data (GET, HEAD, PUT, UploadPart, Complete, Copy).
    SseC { key: SecretString, key_md5: String },
}

impl fmt::Debug for S3Encryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            S3Encryption::None => f.write_str("None"),
            S3Encryption::SseS3 => f.write_str("SseS3"),
            S3Encryption::SseKms { key_id } => write!(f, "SseKms({key_id:?})"),
            S3Encryption::DsseKms { key_id } => write!(f, "DsseKms({key_id:?})"),
            S3Encryption::SseC { key_md5, .. } => write!(f, "SseC(md5 {key_md5})"),
        }
    }
}

impl S3Encryption {
    /// From an algorithm as hadoop-aws names it (`S3AEncryptionMethods`: "", AES256, SSE-KMS,
    /// SSE-C, DSSE-KMS; case-insensitive) and a key, with hadoop-aws's checks: SSE-C needs a
    /// key, SSE-S3 takes none. Client-side encryption (CSE-*) is not supported.
    pub fn from_algorithm(algorithm: &str, key: &str) -> Result<Self, String> {
        use crate::EncryptionMethod as M;
        let method =
            M::from_algorithm(algorithm).map_err(|_| "Unknown encryption algorithm".to_owned())?;
        let key = key.trim();
        let key_id = (!key.is_empty()).then(|| key.to_owned());
        Ok(match method {
            M::None => S3Encryption::None,
            M::SseS3 if !key.is_empty() => {
                return Err(format!(
                    "AES256 is enabled but an encryption key was set in {} (key length = {})",
                    config_keys::ENCRYPTION_KEY,
                    key.len()
                ))
            }
            M::SseS3 => S3Encryption::SseS3,
            M::SseKms => S3Encryption::SseKms { key_id },
            M::DsseKms => S3Encryption::DsseKms { key_id },
            M::SseC => {
                if key.is_empty() {
                    return Err(format!(
                        "SSE-C is enabled but no encryption key is set in {}",
                        config_keys::ENCRYPTION_KEY
                    ));
                }
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(key)
                    .map_err(|_| "the SSE-C key is not base64".to_owned())?;
                if raw.len() != 32 {
                    return Err(format!(
                        "the SSE-C key must be 256 bits (32 bytes), it is {} bytes",
                        raw.len()
                    ));
                }
                use md5::Digest;
                let md5 = md5::Md5::digest(&raw);
                S3Encryption::SseC {
                    key: key.into(),
                    key_md5: base64::engine::general_purpose::STANDARD.encode(md5),
                }
            }
            M::CseKms | M::CseCustom => {
                return Err(format!(
                    "client-side encryption ({}) is not supported by s3adt",
                    method.method()
                ))
            }
        })
    }

    /// From `fs.s3a.encryption.algorithm` / `.key` (or the older
    /// `fs.s3a.server-side-encryption-algorithm` / `.key`).
    pub fn from_config(conf: &Configuration) -> Result<Self, ConfigError> {
        let algorithm = conf
            .get_first_trimmed(&[
                config_keys::ENCRYPTION_ALGORITHM,
                config_keys::SSE_ALGORITHM_OLD,
            ])
            .unwrap_or_default();
        let key = conf
            .get_first_trimmed(&[config_keys::ENCRYPTION_KEY, config_keys::SSE_KEY_OLD])
            .unwrap_or_default();
        Self::from_algorithm(&algorithm, &key).map_err(|message| ConfigError::BadValue {
            key: config_keys::ENCRYPTION_ALGORITHM.to_owned(),
            message,
        })
    }

    /// The token's encryption secrets (`EncryptionSecrets` in the identifier).
    pub fn from_token(id: &S3ATokenIdentifier) -> Result<Self, String> {
        Self::from_algorithm(&id.encryption.algorithm, id.encryption.key.expose()).map_err(|m| {
            format!(
                "encryption secrets of the delegation token for {}: {m}",
                id.uri
            )
        })
    }

    fn sse(&self) -> Option<(ServerSideEncryption, Option<String>)> {
        match self {
            S3Encryption::SseS3 => Some((ServerSideEncryption::Aes256, None)),
            S3Encryption::SseKms { key_id } => Some((ServerSideEncryption::AwsKms, key_id.clone())),
            S3Encryption::DsseKms { key_id } => {
                Some((ServerSideEncryption::AwsKmsDsse, key_id.clone()))
            }
            _ => None,
        }
    }

    /// (algorithm, key, key MD5) for SSE-C.
    pub(crate) fn customer(&self) -> Option<(&'static str, String, String)> {
        match self {
            S3Encryption::SseC { key, key_md5 } => {
                Some(("AES256", key.expose().to_owned(), key_md5.clone()))
            }
            _ => None,
        }
    }
}

/// The SSE-C headers, on any request builder that has them.
macro_rules! sse_c {
    ($b:expr, $enc:expr) => {{
        let b = $b;
        match $enc.customer() {
            Some((alg, key, md5)) => b
                .sse_customer_algorithm(alg)
                .sse_customer_key(key)
                .sse_customer_key_md5(md5),
            None => b,
        }
    }};
}
/// SSE-S3/KMS headers (requests that create objects), then SSE-C.
macro_rules! sse_write {
    ($b:expr, $enc:expr) => {{
        let b = $b;
        let b = match $enc.sse() {
            Some((sse, key_id)) => b.server_side_encryption(sse).set_ssekms_key_id(key_id),
            None => b,
        };
        sse_c!(b, $enc)
    }};
}
pub(crate) use sse_c;

/// Where the bucket is and how to talk to it, from a bucket-resolved configuration.
#[derive(Debug, Clone)]
pub struct S3Settings {
    /// The endpoint URL; None: AWS's own for the region.
    pub endpoint_url: Option<String>,
    pub region: String,
    pub path_style: bool,
    /// Part size of multipart uploads, and the largest object written with one PUT.
    pub multipart_size: u64,
    /// Objects larger than this are copied part by part (UploadPartCopy).
    pub copy_threshold: u64,
    /// A forward seek of at most this many bytes reads on through the open GET instead of
    /// starting a new one; random reads fetch at least this much.
    pub readahead: u64,
    /// Parts uploading at once per output stream.
    pub max_parts_in_flight: usize,
    /// Keys asked for per LIST page (S3 returns at most 1000).
    pub page_size: i32,
    /// DeleteObjects batches (true, S3A's default) or one DeleteObject per key, for stores
    /// that refuse the batch call (Ceph RGW to any session with a session policy).
    pub multi_object_delete: bool,
    /// Configured encryption (a bound token's replaces it).
    pub encryption: S3Encryption,
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    /// Longest wait for bytes on an open connection.
    pub read_timeout: Duration,
    /// One attempt of a request without a large body; None: no limit.
    pub request_timeout: Option<Duration>,
    /// One attempt of a PUT or UploadPart.
    pub part_upload_timeout: Duration,
}

impl S3Settings {
    /// hadoop-aws's keys, with these rules for endpoint and region:
    ///
    /// - `fs.s3a.endpoint` is a host (https, or http when `fs.s3a.connection.ssl.enabled` is
    ///   false) or a URL (any scheme it names: http is for stores on loopback or a private
    ///   network, as hadoop-aws allows). The central `s3.amazonaws.com` means AWS's own
    ///   endpoints, as in hadoop-aws.
    /// - `fs.s3a.endpoint.region` set: that region.
    /// - Else an AWS endpoint names its region (`s3.eu-west-1.amazonaws.com`,
    ///   `s3-eu-west-1…`, `s3.dualstack.…`, VPC endpoints `….s3.<region>.vpce.amazonaws.com`),
    ///   and any other endpoint (MinIO, Ceph RGW, moto) signs for `us-east-1`, what hadoop-aws
    ///   3.3 and those stores use. hadoop-aws 3.4 signs for `us-east-2` there and turns on
    ///   cross-region access, which s3adt does not have.
    /// - No endpoint and no region: `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`.
    pub fn from_config(conf: &Configuration) -> Result<Self, ConfigError> {
        let ssl = boolean(conf, k::SSL_ENABLED, true);
        let endpoint = conf.get_trimmed(k::ENDPOINT, "");
        let configured_region = conf.get(k::ENDPOINT_REGION).map(|r| r.trim().to_owned());
        let central = endpoint.is_empty()
            || endpoint
                .trim_start_matches("https://")
                .trim_end_matches('/')
                .eq_ignore_ascii_case("s3.amazonaws.com");
        let endpoint_url = if central {
            None
        } else if endpoint.contains("://") {
            Some(endpoint.trim_end_matches('/').to_owned())
        } else {
            let scheme = if ssl { "https" } else { "http" };
            Some(format!("{scheme}://{}", endpoint.trim_end_matches('/')))
        };
        let env_region = || {
            ["AWS_REGION", "AWS_DEFAULT_REGION"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|r| !r.is_empty()))
        };
        let region = match configured_region.filter(|r| !r.is_empty()) {
            Some(r) => r,
            None if endpoint_url.is_some() => endpoint_url
                .as_deref()
                .and_then(region_of_aws_endpoint)
                .unwrap_or_else(|| "us-east-1".to_owned()),
            None => env_region().unwrap_or_else(|| "us-east-1".to_owned()),
        };

        let bad = |key: &str, message: &str| ConfigError::BadValue {
            key: key.to_owned(),
            message: message.to_owned(),
        };
        // hadoop-aws raises a part size under S3's minimum to it, and caps it at 2 GiB.
        let multipart_size =
            long_bytes(conf, k::MULTIPART_SIZE, "64M")?.clamp(MIN_PART_SIZE, MAX_PART_SIZE);
        let copy_threshold =
            long_bytes(conf, k::MULTIPART_THRESHOLD, "128M")?.clamp(MIN_PART_SIZE, MAX_SINGLE_COPY);
        let readahead = long_bytes(conf, k::READAHEAD_RANGE, "64K")?;
        let active = int(conf, k::ACTIVE_BLOCKS, 4)?;
        if active < 1 {
            return Err(bad(k::ACTIVE_BLOCKS, "must be at least 1"));
        }
        let paging = int(conf, k::PAGING_MAXIMUM, 5000)?;
        if paging < 1 {
            return Err(bad(k::PAGING_MAXIMUM, "must be at least 1"));
        }
        let ms =
            |key: &str, default: &str| conf.get_time_duration(key, default, TimeUnit::Milliseconds);
        let request_timeout = ms(k::REQUEST_TIMEOUT, "60s")?;
        Ok(S3Settings {
            endpoint_url,
            region,
            path_style: boolean(conf, k::PATH_STYLE_ACCESS, false),
            multipart_size,
            copy_threshold,
            readahead,
            max_parts_in_flight: active.min(64) as usize,
            page_size: paging.min(MAX_PAGE as i64) as i32,
            multi_object_delete: boolean(conf, k::MULTI_OBJECT_DELETE, true),
            encryption: S3Encryption::from_config(conf)?,
            retry: RetryPolicy::from_config(conf)?,
            connect_timeout: ms(k::ESTABLISH_TIMEOUT, "30s")?,
            read_timeout: ms(k::SOCKET_TIMEOUT, "200s")?,
            request_timeout: (!request_timeout.is_zero()).then_some(request_timeout),
            part_upload_timeout: ms(k::PART_UPLOAD_TIMEOUT, "15m")?,
        })
    }

    fn timeouts(&self, attempt: Option<Duration>) -> aws_smithy_types::timeout::TimeoutConfig {
        let mut b = aws_smithy_types::timeout::TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout);
        b.set_operation_attempt_timeout(attempt);
        b.build()
    }
}

/// The region an AWS S3 endpoint names, if it is one.
fn region_of_aws_endpoint(url: &str) -> Option<String> {
    let host = url.split("://").nth(1).unwrap_or(url);
    let host = host.split(['/', ':']).next()?.to_ascii_lowercase();
    let rest = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
    if let Some(vpce) = rest.strip_suffix(".vpce") {
        return vpce.rsplit('.').next().map(str::to_owned);
    }
    let labels: Vec<&str> = rest.split('.').collect();
    // s3.<region>, s3.dualstack.<region>, s3-fips.<region>, bucket.s3.<region>, s3-<region>
    let i = labels.iter().rposition(|l| l.starts_with("s3"))?;
    let label = labels[i];
    if let Some(r) = label
        .strip_prefix("s3-")
        .filter(|r| !r.starts_with("fips") && !r.starts_with("external"))
    {
        return Some(r.to_owned());
    }
    labels
        .get(i + 1..)?
        .iter()
        .rev()
        .find(|l| l.contains('-') && l.chars().last().is_some_and(|c| c.is_ascii_digit()))
        .map(|l| l.to_string())
}

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

pub(crate) fn describe<E>(e: &SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    use crate::sts::error_chain;
    // A refusal by our credentials provider (expired token, no credentials) travels inside
    // the SDK's error: find it, and never retry it.
    let mut source: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(c) = s.downcast_ref::<ConsumeError>() {
            return Failure {
                retry: Retry::Never,
                kind: S3ErrorKind::Token,
                status: None,
                code: None,
                message: c.to_string(),
            };
        }
        if let Some(c) = s.downcast_ref::<CredentialError>() {
            return Failure {
                retry: Retry::Never,
                kind: S3ErrorKind::AccessDenied,
                status: None,
                code: None,
                message: c.to_string(),
            };
        }
        source = s.source();
    }
    match e {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            // Error bodies that are not S3's own shape (a proxy's, an STS-style one) still
            // carry <Code> and <Message>.
            let (code, message) = crate::sts::service_error_text(se.err(), se.raw());
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

fn http_reason(status: u16) -> &'static str {
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
/// upload. Public for the benchmark's direct SDK calls (examples/bench_s3.rs).
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

/// An object's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub key: String,
    pub length: u64,
    /// Milliseconds since the epoch (0 when S3 gave none).
    pub last_modified: i64,
    /// As S3 gives it (quoted).
    pub etag: String,
}

/// One entry of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListEntry {
    Object(ObjectMeta),
    /// A common prefix (a "directory" in a delimited listing), ending in "/".
    Prefix(String),
}

impl ListEntry {
    pub fn key(&self) -> &str {
        match self {
            ListEntry::Object(o) => &o.key,
            ListEntry::Prefix(p) => p,
        }
    }
}

/// A multipart upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadInfo {
    pub key: String,
    pub upload_id: String,
    /// Milliseconds since the epoch.
    pub initiated: i64,
}

fn millis(t: Option<&aws_smithy_types::DateTime>) -> i64 {
    t.and_then(|t| t.to_millis().ok()).unwrap_or(0)
}

/// Percent-encoding for `x-amz-copy-source`: all but unreserved characters and "/".
fn encode_copy_source(bucket: &str, key: &str) -> String {
    let mut out = String::with_capacity(bucket.len() + key.len() + 8);
    out.push_str(bucket);
    out.push('/');
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One bucket's S3 client: the data-path operations. Cheap to share (`Arc`); every operation
/// may run concurrently with any other.
pub struct S3Store {
    bucket: String,
    settings: S3Settings,
    client: aws_sdk_s3::Client,
    credentials: StoreCredentials,
}

impl fmt::Debug for S3Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Store")
            .field("bucket", &self.bucket)
            .field("settings", &self.settings)
            .finish()
    }
}

impl S3Store {
    /// A store for `bucket` from its resolved configuration (`Configuration::for_bucket`).
    /// `token`, when given, is asked at each request for the delegation token the filesystem
    /// is bound to; when it gives none, the login chain of `conf` supplies the credentials.
    pub fn new(
        bucket: &str,
        conf: &Configuration,
        token: Option<TokenLookup>,
    ) -> Result<Self, S3Error> {
        let settings = S3Settings::from_config(conf).map_err(|e| {
            S3Error::new(
                S3ErrorKind::Config,
                "configure",
                format!("s3a://{bucket}/"),
                e.to_string(),
            )
        })?;
        let credentials = StoreCredentials::new(bucket, conf.clone(), token);
        let mut b = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .http_client(crate::runtime::http_client())
            .region(Region::new(settings.region.clone()))
            .force_path_style(settings.path_style)
            .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
            .timeout_config(settings.timeouts(settings.request_timeout))
            // Our own read timeouts guard open GETs; a reader that pauses is not a stall.
            .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
            // The token is looked up at each request: no cache may keep an old one.
            .identity_cache(IdentityCache::no_cache())
            .credentials_provider(aws_sdk_s3::config::SharedCredentialsProvider::new(
                credentials.clone(),
            ))
            // Plain Content-Length bodies, no trailing checksums: what every S3-compatible
            // store takes (hadoop-aws's default since 3.4.2 too).
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(url) = &settings.endpoint_url {
            b = b.endpoint_url(url.clone());
        }
        Ok(S3Store {
            bucket: bucket.to_owned(),
            settings,
            client: aws_sdk_s3::Client::from_conf(b.build()),
            credentials,
        })
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    pub fn settings(&self) -> &S3Settings {
        &self.settings
    }

    pub(crate) fn client(&self) -> &aws_sdk_s3::Client {
        &self.client
    }

    pub(crate) fn path(&self, key: &str) -> String {
        format!("s3a://{}/{key}", self.bucket)
    }

    /// The encryption requests carry now: the bound token's secrets when there is a token (as
    /// hadoop-aws: they replace the configuration's, even when they say "none"), else the
    /// configured ones.
    pub fn encryption(&self) -> Result<S3Encryption, S3Error> {
        match self.credentials.bound() {
            Some(id) => S3Encryption::from_token(&id)
                .map_err(|m| S3Error::new(S3ErrorKind::Config, "encryption", self.path(""), m)),
            None => Ok(self.settings.encryption.clone()),
        }
    }

    /// Refuse before any request when the bound token has expired.
    fn precheck(&self, operation: &'static str, key: &str) -> Result<(), S3Error> {
        if let Some(id) = self.credentials.bound() {
            check_expiry(&id, &self.bucket, now_ms()).map_err(|e| {
                S3Error::new(S3ErrorKind::Token, operation, self.path(key), e.to_string())
            })?;
        }
        Ok(())
    }

    pub(crate) fn error<E>(
        &self,
        operation: &'static str,
        key: &str,
        e: &SdkError<E, HttpResponse>,
        attempts: u32,
    ) -> S3Error
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        let f = describe(e);
        S3Error {
            kind: f.kind,
            operation,
            path: self.path(key),
            code: f.code,
            status: f.status,
            message: f.message,
            attempts,
            failed_keys: Box::default(),
        }
    }

    /// Run one SDK call with our retries.
    pub(crate) async fn call<T, E, F, Fut>(
        &self,
        operation: &'static str,
        key: &str,
        attempt: F,
    ) -> Result<T, S3Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + StdError + 'static,
    {
        self.precheck(operation, key)?;
        let (result, attempts) = self
            .settings
            .retry
            .run(attempt, |e| describe(e).retry)
            .await;
        result.map_err(|e| self.error(operation, key, &e, attempts))
    }

    /// Per-request overrides for requests carrying object data.
    pub(crate) fn upload_config(&self) -> aws_sdk_s3::config::Builder {
        aws_sdk_s3::config::Builder::default().timeout_config(
            self.settings
                .timeouts(Some(self.settings.part_upload_timeout)),
        )
    }

    /// HEAD an object: its metadata, or None when there is none.
    pub async fn head(&self, key: &str) -> Result<Option<ObjectMeta>, S3Error> {
        let enc = self.encryption()?;
        let r = self
            .call("getFileStatus", key, || {
                sse_c!(self.client.head_object().bucket(&self.bucket).key(key), enc).send()
            })
            .await;
        match r {
            Ok(out) => Ok(Some(ObjectMeta {
                key: key.to_owned(),
                length: out.content_length().unwrap_or(0).max(0) as u64,
                last_modified: millis(out.last_modified()),
                etag: out.e_tag().unwrap_or_default().to_owned(),
            })),
            Err(e) if e.kind == S3ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// LIST under `prefix`, every page: with `recursive` every object, otherwise the objects
    /// directly under it and the common prefixes (delimiter "/"). `max_entries > 0` stops after
    /// that many entries (asking for pages of at most that size).
    pub async fn list(
        &self,
        prefix: &str,
        recursive: bool,
        max_entries: usize,
    ) -> Result<Vec<ListEntry>, S3Error> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        let page = if max_entries > 0 {
            self.settings
                .page_size
                .min(max_entries.min(MAX_PAGE as usize) as i32)
        } else {
            self.settings.page_size
        };
        loop {
            let resp = self
                .call("listObjects", prefix, || {
                    self.client
                        .list_objects_v2()
                        .bucket(&self.bucket)
                        .prefix(prefix)
                        .set_delimiter((!recursive).then(|| "/".to_owned()))
                        .max_keys(page)
                        .set_continuation_token(token.clone())
                        .send()
                })
                .await?;
            let mut entries: Vec<ListEntry> = resp
                .contents()
                .iter()
                .map(|o| {
                    ListEntry::Object(ObjectMeta {
                        key: o.key().unwrap_or_default().to_owned(),
                        length: o.size().unwrap_or(0).max(0) as u64,
                        last_modified: millis(o.last_modified()),
                        etag: o.e_tag().unwrap_or_default().to_owned(),
                    })
                })
                .chain(
                    resp.common_prefixes()
                        .iter()
                        .filter_map(|p| p.prefix().map(|p| ListEntry::Prefix(p.to_owned()))),
                )
                .collect();
            entries.sort_by(|a, b| a.key().cmp(b.key()));
            out.extend(entries);
            if max_entries > 0 && out.len() >= max_entries {
                out.truncate(max_entries);
                break;
            }
            match resp.next_continuation_token() {
                Some(t) if resp.is_truncated() == Some(true) && !t.is_empty() => {
                    token = Some(t.to_owned())
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// PUT a zero-length object.
    pub async fn put_empty(&self, key: &str) -> Result<(), S3Error> {
        self.put_object(key, bytes::Bytes::new()).await
    }

    /// PUT a whole object in one request.
    pub async fn put_object(&self, key: &str, data: bytes::Bytes) -> Result<(), S3Error> {
        let enc = self.encryption()?;
        self.call("putObject", key, || {
            sse_write!(
                self.client
                    .put_object()
                    .bucket(&self.bucket)
                    .key(key)
                    .content_length(data.len() as i64)
                    .body(ByteStream::from(data.clone())),
                enc
            )
            .customize()
            .config_override(self.upload_config())
            .send()
        })
        .await
        .map(|_| ())
    }

    /// Delete these keys with DeleteObjects (quiet), in batches of 1,000. A missing key is no
    /// error; keys S3 would not delete are named in the error (and in `failed_keys`).
    pub async fn delete_keys(&self, keys: &[String]) -> Result<(), S3Error> {
        if !self.settings.multi_object_delete {
            return self.delete_one_by_one(keys).await;
        }
        let mut failures: Vec<(String, String, String)> = Vec::new();
        for batch in keys.chunks(DELETE_BATCH) {
            let objects = batch
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    S3Error::new(
                        S3ErrorKind::Other,
                        "deleteObjects",
                        self.path(""),
                        e.to_string(),
                    )
                })?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| {
                    S3Error::new(
                        S3ErrorKind::Other,
                        "deleteObjects",
                        self.path(""),
                        e.to_string(),
                    )
                })?;
            let first = batch.first().map(String::as_str).unwrap_or("");
            let out = self
                .call("deleteObjects", first, || {
                    self.client
                        .delete_objects()
                        .bucket(&self.bucket)
                        .delete(delete.clone())
                        .customize()
                        // Some S3-compatible stores require Content-MD5 here, not the SDK's CRC.
                        .mutate_request(|req| {
                            if let Some(body) = req.body().bytes() {
                                use md5::Digest;
                                let md5 = base64::engine::general_purpose::STANDARD
                                    .encode(md5::Md5::digest(body));
                                req.headers_mut().insert("Content-MD5", md5);
                            }
                        })
                        .send()
                })
                .await?;
            failures.extend(
                out.errors()
                    .iter()
                    .filter(|e| e.code() != Some("NoSuchKey"))
                    .map(|e| {
                        (
                            e.key().unwrap_or_default().to_owned(),
                            e.code().unwrap_or_default().to_owned(),
                            e.message().unwrap_or_default().to_owned(),
                        )
                    }),
            );
        }
        if failures.is_empty() {
            return Ok(());
        }
        let denied = failures.iter().all(|(_, c, _)| c == "AccessDenied");
        let mut message = format!("{} of {} key(s) not deleted: ", failures.len(), keys.len());
        let shown: Vec<String> = failures
            .iter()
            .take(10)
            .map(|(key, code, msg)| format!("{key}: {code}: {msg}"))
            .collect();
        message.push_str(&shown.join("; "));
        if failures.len() > 10 {
            message.push_str(&format!("; and {} more", failures.len() - 10));
        }
        let mut e = S3Error::new(
            if denied {
                S3ErrorKind::AccessDenied
            } else {
                S3ErrorKind::Other
            },
            "deleteObjects",
            self.path(&failures[0].0),
            message,
        );
        e.code = Some(failures[0].1.clone());
        e.failed_keys = failures.into_iter().map(|(k, _, _)| k).collect();
        Err(e)
    }

    /// `fs.s3a.multiobjectdelete.enable=false`: one DeleteObject per key, in turn, as S3A does.
    /// A missing key is no error (S3 answers 204 anyway).
    async fn delete_one_by_one(&self, keys: &[String]) -> Result<(), S3Error> {
        for key in keys {
            self.call("deleteObject", key, || {
                self.client
                    .delete_object()
                    .bucket(&self.bucket)
                    .key(key)
                    .send()
            })
            .await?;
        }
        Ok(())
    }

    /// Server-side copy: CopyObject, or UploadPartCopy in parts of `fs.s3a.multipart.size`
    /// above `fs.s3a.multipart.threshold` (and always above 5 GiB, CopyObject's limit).
    /// FileNotFound when the source is absent. The destination gets the current encryption.
    pub async fn copy(&self, src: &str, dst: &str) -> Result<(), S3Error> {
        let meta = self.head(src).await?.ok_or_else(|| {
            let mut e = S3Error::new(
                S3ErrorKind::NotFound,
                "copyFile",
                self.path(src),
                "no such object",
            );
            e.status = Some(404);
            e
        })?;
        let enc = self.encryption()?;
        let source = encode_copy_source(&self.bucket, src);
        if meta.length <= self.settings.copy_threshold.min(MAX_SINGLE_COPY) {
            let source_c = enc.customer();
            return self
                .call("copyFile", dst, || {
                    let mut b = sse_write!(
                        self.client
                            .copy_object()
                            .bucket(&self.bucket)
                            .key(dst)
                            .copy_source(&source)
                            .copy_source_if_match(&meta.etag),
                        enc
                    );
                    if let Some((alg, key, md5)) = &source_c {
                        b = b
                            .copy_source_sse_customer_algorithm(*alg)
                            .copy_source_sse_customer_key(key)
                            .copy_source_sse_customer_key_md5(md5);
                    }
                    b.customize().config_override(self.upload_config()).send()
                })
                .await
                .map(|_| ());
        }
        crate::s3_write::multipart_copy(self, &source, &meta, dst, &enc).await
    }

    /// Keys and ids of the multipart uploads in progress under `prefix`.
    pub async fn list_uploads(&self, prefix: &str) -> Result<Vec<UploadInfo>, S3Error> {
        let mut out = Vec::new();
        let (mut key_marker, mut id_marker): (Option<String>, Option<String>) = (None, None);
        loop {
            let resp = self
                .call("listMultipartUploads", prefix, || {
                    self.client
                        .list_multipart_uploads()
                        .bucket(&self.bucket)
                        .prefix(prefix)
                        .set_key_marker(key_marker.clone())
                        .set_upload_id_marker(id_marker.clone())
                        .send()
                })
                .await?;
            out.extend(resp.uploads().iter().map(|u| UploadInfo {
                key: u.key().unwrap_or_default().to_owned(),
                upload_id: u.upload_id().unwrap_or_default().to_owned(),
                initiated: millis(u.initiated()),
            }));
            if resp.is_truncated() != Some(true) {
                break;
            }
            let next = (
                resp.next_key_marker().map(str::to_owned),
                resp.next_upload_id_marker().map(str::to_owned),
            );
            if next.0.is_none() || (next.0 == key_marker && next.1 == id_marker) {
                break;
            }
            (key_marker, id_marker) = next;
        }
        Ok(out)
    }

    /// Abort a multipart upload; one that is already gone is no error.
    pub async fn abort_upload(&self, key: &str, upload_id: &str) -> Result<(), S3Error> {
        let r = self
            .call("abortMultipartUpload", key, || {
                self.client
                    .abort_multipart_upload()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(upload_id)
                    .send()
            })
            .await;
        match r {
            Err(e) if e.kind != S3ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Open an object for reading. `length`, when the caller knows it (from a HEAD), saves a
    /// request: the first GET waits for the first read. Otherwise a GET is made now, which
    /// fails with NotFound when there is no object.
    pub async fn open_read(
        self: &Arc<Self>,
        key: &str,
        length: Option<u64>,
    ) -> Result<ReadStream, S3Error> {
        ReadStream::open(self.clone(), key, length).await
    }

    /// Start writing an object: nothing is visible until [`WriteStream::close`]. Must be
    /// called on the runtime (the stream's background uploads run there).
    pub async fn open_write(self: &Arc<Self>, key: &str) -> WriteStream {
        WriteStream::new(self.clone(), key)
    }

    pub(crate) async fn create_upload(&self, key: &str) -> Result<String, S3Error> {
        let enc = self.encryption()?;
        let out = self
            .call("initiateMultipartUpload", key, || {
                sse_write!(
                    self.client
                        .create_multipart_upload()
                        .bucket(&self.bucket)
                        .key(key),
                    enc
                )
                .send()
            })
            .await?;
        out.upload_id().map(str::to_owned).ok_or_else(|| {
            S3Error::new(
                S3ErrorKind::Other,
                "initiateMultipartUpload",
                self.path(key),
                "the reply carried no upload id",
            )
        })
    }

    pub(crate) async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        number: i32,
        data: bytes::Bytes,
    ) -> Result<CompletedPart, S3Error> {
        let enc = self.encryption()?;
        let out = self
            .call("uploadPart", key, || {
                sse_c!(
                    self.client
                        .upload_part()
                        .bucket(&self.bucket)
                        .key(key)
                        .upload_id(upload_id)
                        .part_number(number)
                        .content_length(data.len() as i64)
                        .body(ByteStream::from(data.clone())),
                    enc
                )
                .customize()
                .config_override(self.upload_config())
                .send()
            })
            .await?;
        Ok(CompletedPart::builder()
            .part_number(number)
            .set_e_tag(out.e_tag().map(str::to_owned))
            .build())
    }

    pub(crate) async fn complete_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: Vec<CompletedPart>,
    ) -> Result<(), S3Error> {
        let enc = self.encryption()?;
        let upload = CompletedMultipartUpload::builder()
            .set_parts(Some(parts))
            .build();
        self.call("completeMultipartUpload", key, || {
            let sent = sse_c!(
                self.client
                    .complete_multipart_upload()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(upload_id)
                    .multipart_upload(upload.clone()),
                enc
            )
            .send();
            async move {
                match sent.await {
                    Ok(_) => Ok(()),
                    Err(SdkError::ServiceError(se)) if completed_anyway(se.raw()) => Ok(()),
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_like_get_long_bytes() {
        assert_eq!(parse_long_bytes("64M"), Ok(64 << 20));
        assert_eq!(parse_long_bytes(" 64k "), Ok(64 << 10));
        assert_eq!(parse_long_bytes("1g"), Ok(1 << 30));
        assert_eq!(parse_long_bytes("1T"), Ok(1 << 40));
        assert_eq!(parse_long_bytes("5242880"), Ok(5 << 20));
        assert!(parse_long_bytes("64MB").is_err());
        assert!(parse_long_bytes("1.5M").is_err());
        assert!(parse_long_bytes("-1").is_err());
        assert!(parse_long_bytes("").is_err());
        assert!(parse_long_bytes("9E").is_err(), "overflows a long");
    }

    #[test]
    fn settings_defaults_and_clamps() {
        let mut c = Configuration::new();
        let s = S3Settings::from_config(&c).unwrap();
        assert_eq!(s.multipart_size, 64 << 20);
        assert_eq!(s.readahead, 64 << 10);
        assert_eq!(s.page_size, 1000);
        assert_eq!(s.endpoint_url, None);
        assert!(!s.path_style);
        c.set(k::MULTIPART_SIZE, "1M");
        c.set(k::PATH_STYLE_ACCESS, "TRUE");
        let s = S3Settings::from_config(&c).unwrap();
        assert_eq!(s.multipart_size, MIN_PART_SIZE, "raised to S3's minimum");
        assert!(s.path_style);
        c.set(k::MULTIPART_SIZE, "lots");
        let e = S3Settings::from_config(&c).unwrap_err().to_string();
        assert!(
            e.starts_with("bad value for fs.s3a.multipart.size: not a size"),
            "{e}"
        );
        assert!(!e.contains("lots"), "the value is not quoted: {e}");
    }

    #[test]
    fn endpoints_and_regions() {
        let region = |endpoint: &str, region: Option<&str>| {
            let mut c = Configuration::new();
            c.set(k::ENDPOINT, endpoint);
            if let Some(r) = region {
                c.set(k::ENDPOINT_REGION, r);
            }
            let s = S3Settings::from_config(&c).unwrap();
            (s.endpoint_url, s.region)
        };
        assert_eq!(
            region("http://127.0.0.1:9000", None),
            (Some("http://127.0.0.1:9000".into()), "us-east-1".into())
        );
        assert_eq!(
            region("minio.internal:9000", Some("eu-central-1")),
            (
                Some("https://minio.internal:9000".into()),
                "eu-central-1".into()
            )
        );
        assert_eq!(region("s3.eu-west-1.amazonaws.com", None).1, "eu-west-1");
        assert_eq!(region("s3-eu-west-2.amazonaws.com", None).1, "eu-west-2");
        assert_eq!(
            region("s3.dualstack.ap-south-1.amazonaws.com", None).1,
            "ap-south-1"
        );
        assert_eq!(
            region(
                "bucket.vpce-0a1b2c3d-abcdefgh.s3.us-west-2.vpce.amazonaws.com",
                None
            )
            .1,
            "us-west-2"
        );
        assert_eq!(
            region("s3.amazonaws.com", Some("eu-west-3")),
            (None, "eu-west-3".into())
        );
        let mut c = Configuration::new();
        c.set(k::ENDPOINT, "store.example:80");
        c.set(k::SSL_ENABLED, "false");
        assert_eq!(
            S3Settings::from_config(&c).unwrap().endpoint_url.as_deref(),
            Some("http://store.example:80")
        );
    }

    #[test]
    fn encryption_rules_are_hadoops() {
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        let mut c = Configuration::new();
        c.set(config_keys::SSE_ALGORITHM_OLD, "sse-c");
        c.set(config_keys::SSE_KEY_OLD, key.as_str());
        let S3Encryption::SseC { key_md5, .. } = S3Encryption::from_config(&c).unwrap() else {
            panic!("SSE-C expected")
        };
        use md5::Digest;
        assert_eq!(
            key_md5,
            base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest([7u8; 32]))
        );
        assert!(!format!("{:?}", S3Encryption::from_config(&c).unwrap()).contains(&key));
        c.set(config_keys::ENCRYPTION_ALGORITHM, "SSE-KMS");
        c.set(config_keys::ENCRYPTION_KEY, "arn:aws:kms:us-east-1:1:key/x");
        assert_eq!(
            S3Encryption::from_config(&c).unwrap(),
            S3Encryption::SseKms {
                key_id: Some("arn:aws:kms:us-east-1:1:key/x".into())
            }
        );
        c.set(config_keys::ENCRYPTION_ALGORITHM, "AES256");
        assert!(S3Encryption::from_config(&c)
            .unwrap_err()
            .to_string()
            .contains("AES256 is enabled but an encryption key was set"));
        c.unset(config_keys::ENCRYPTION_KEY);
        c.unset(config_keys::SSE_KEY_OLD);
        assert_eq!(S3Encryption::from_config(&c).unwrap(), S3Encryption::SseS3);
        c.set(config_keys::ENCRYPTION_ALGORITHM, "SSE-C");
        assert!(S3Encryption::from_config(&c).is_err(), "SSE-C needs a key");
        c.set(config_keys::ENCRYPTION_ALGORITHM, "CSE-KMS");
        assert!(S3Encryption::from_config(&c)
            .unwrap_err()
            .to_string()
            .contains("not supported"));
        c.set(config_keys::ENCRYPTION_ALGORITHM, "rot13");
        assert!(S3Encryption::from_config(&c).is_err());
    }

    #[test]
    fn copy_source_is_percent_encoded() {
        assert_eq!(
            encode_copy_source("b", "dir/a b+c%.txt"),
            "b/dir/a%20b%2Bc%25.txt"
        );
        assert_eq!(encode_copy_source("b", "é"), "b/%C3%A9");
    }
}
