//! Where the bucket is and how to talk to it: hadoop-aws's keys for the data path, their
//! defaults and limits, parsed from a bucket-resolved configuration.

use super::buffer::UploadBuffer;
use super::encryption::S3Encryption;
use crate::conf::{ConfigError, Configuration, TimeUnit};
use crate::retry::RetryPolicy;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

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
    pub const FAST_UPLOAD_BUFFER: &str = "fs.s3a.fast.upload.buffer";
    pub const BUFFER_DIR: &str = "fs.s3a.buffer.dir";
    pub const PAGING_MAXIMUM: &str = "fs.s3a.paging.maximum";
    pub const MULTI_OBJECT_DELETE: &str = "fs.s3a.multiobjectdelete.enable";
    pub const ESTABLISH_TIMEOUT: &str = "fs.s3a.connection.establish.timeout";
    pub const SOCKET_TIMEOUT: &str = "fs.s3a.connection.timeout";
    pub const REQUEST_TIMEOUT: &str = "fs.s3a.connection.request.timeout";
    pub const PART_UPLOAD_TIMEOUT: &str = "fs.s3a.connection.part.upload.timeout";
    /// s3adt's own: `false` sends every request through the SDK (see `store/direct.rs`).
    pub const DIRECT_REQUESTS: &str = "fs.s3a.s3adt.direct.requests";
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
    /// Where a part waits for its upload (`fs.s3a.fast.upload.buffer`).
    pub upload_buffer: UploadBuffer,
    /// `disk`: the directories parts are buffered in (`fs.s3a.buffer.dir`).
    pub buffer_dirs: Arc<[PathBuf]>,
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
    /// GETs, HEADs and small PUTs over plain HTTP signed and sent by s3adt itself rather than the
    /// SDK (`fs.s3a.s3adt.direct.requests`, true by default; `store/direct.rs`).
    pub direct_requests: bool,
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
        let upload_buffer = match conf.get(k::FAST_UPLOAD_BUFFER) {
            None => UploadBuffer::Disk,
            Some(v) => UploadBuffer::parse(&v)
                .ok_or_else(|| bad(k::FAST_UPLOAD_BUFFER, "expected disk, array or bytebuffer"))?,
        };
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
            upload_buffer,
            buffer_dirs: buffer_dirs(conf),
            page_size: paging.min(MAX_PAGE as i64) as i32,
            multi_object_delete: boolean(conf, k::MULTI_OBJECT_DELETE, true),
            encryption: S3Encryption::from_config(conf)?,
            retry: RetryPolicy::from_config(conf)?,
            connect_timeout: ms(k::ESTABLISH_TIMEOUT, "30s")?,
            read_timeout: ms(k::SOCKET_TIMEOUT, "200s")?,
            request_timeout: (!request_timeout.is_zero()).then_some(request_timeout),
            part_upload_timeout: ms(k::PART_UPLOAD_TIMEOUT, "15m")?,
            direct_requests: boolean(conf, k::DIRECT_REQUESTS, true),
        })
    }

    pub(super) fn timeouts(
        &self,
        attempt: Option<Duration>,
    ) -> aws_smithy_types::timeout::TimeoutConfig {
        let mut b = aws_smithy_types::timeout::TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout);
        b.set_operation_attempt_timeout(attempt);
        b.build()
    }
}

/// `fs.s3a.buffer.dir` as a list of directories. Unset, it is what Hadoop's core-default.xml
/// makes it, `${env.LOCAL_DIRS:-${hadoop.tmp.dir}}/s3a` with `hadoop.tmp.dir` defaulting to
/// `/tmp/hadoop-${user.name}` (the Java shim passes the value the JVM resolved). A `file:`
/// scheme is dropped, as Hadoop's local file system does.
fn buffer_dirs(conf: &Configuration) -> Arc<[PathBuf]> {
    let value = conf
        .get(k::BUFFER_DIR)
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| {
            let base = std::env::var("LOCAL_DIRS")
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| conf.get("hadoop.tmp.dir"))
                .unwrap_or_else(|| {
                    let user = std::env::var("USER").unwrap_or_else(|_| "nobody".to_owned());
                    format!("/tmp/hadoop-{user}")
                });
            format!("{base}/s3a")
        });
    value
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| PathBuf::from(d.strip_prefix("file://").unwrap_or(d)))
        .collect()
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
        assert_eq!(s.upload_buffer, UploadBuffer::Disk);
        c.set(k::FAST_UPLOAD_BUFFER, "array");
        c.set(k::BUFFER_DIR, " /a/s3a, file:///b ,,");
        let s = S3Settings::from_config(&c).unwrap();
        assert_eq!(s.upload_buffer, UploadBuffer::Array);
        assert_eq!(
            &*s.buffer_dirs,
            &[PathBuf::from("/a/s3a"), PathBuf::from("/b")]
        );
        c.set(k::FAST_UPLOAD_BUFFER, "heap");
        let e = S3Settings::from_config(&c).unwrap_err().to_string();
        assert!(e.contains("fs.s3a.fast.upload.buffer"), "{e}");
        c.set(k::FAST_UPLOAD_BUFFER, "disk");
        c.set(k::MULTIPART_SIZE, "1M");
        c.set(k::PATH_STYLE_ACCESS, "TRUE");
        let s = S3Settings::from_config(&c).unwrap();
        assert_eq!(s.multipart_size, MIN_PART_SIZE, "raised to S3's minimum");
        assert!(s.path_style);
        // duplicates: deliberate. The assertions below end like one in tests/sts_moto.rs:
        // shape only.
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
}
