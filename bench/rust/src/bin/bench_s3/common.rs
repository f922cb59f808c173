//! What both implementations share: the bytes written and their check, the per-phase RSS and
//! CPU figures, the two clients (the bare SDK's, s3adt's store) and the `key=value` report.

use crate::args::{die, Args};
use crate::MIB;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region, RequestChecksumCalculation};
use s3adt_core::conf::{keys, Configuration};
use s3adt_core::store::S3Store;
use std::sync::Arc;
use std::time::Instant;

/// The application's 1 MiB buffer: pseudo-random bytes (xorshift, seed 42), the same as
/// DataBench's. Chunk `i` of the big object is this buffer with its first 8 bytes set to `i`
/// (little endian), so every MiB of the object differs and a misplaced chunk is caught.
pub fn base_chunk() -> Vec<u8> {
    let mut x: u64 = 42;
    let mut v = vec![0u8; MIB];
    for b in v.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = (x >> 24) as u8;
    }
    v
}

pub fn stamp(chunk: &mut [u8], i: u64) {
    chunk[..8].copy_from_slice(&i.to_le_bytes());
}

/// Checks chunk `i` as read back: its stamp, and the base bytes after it and at its end.
pub fn check_chunk(got: &[u8], base: &[u8], i: u64, what: &str) {
    let n = got.len();
    let ok = n >= 16
        && got[..8] == i.to_le_bytes()
        && got[8..16] == base[8..16]
        && got[n - 8..] == base[n - 8..n];
    if !ok {
        die(&format!(
            "{what}: MiB {i} read back differs from what was written"
        ));
    }
}

/// Small object `i`: `small_size` bytes, its index in the first 8.
pub fn small_body(base: &[u8], size: usize, i: u64) -> Vec<u8> {
    let mut v = base[..size].to_vec();
    if size >= 8 {
        stamp(&mut v, i);
    }
    v
}

/// Peak RSS since the last call (VmHWM, MiB), then reset to the current RSS (clear_refs 5), so
/// that each phase's peak is its own; the same as DataBench's.
pub fn phase_rss() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(f64::NAN);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    kib / 1024.0
}

/// CPU time (user + system, all threads) of this process so far, in seconds: /proc/self/stat
/// counts in USER_HZ ticks, 100 a second on Linux.
pub fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    if f.len() == 2 {
        (f[0] + f[1]) / 100.0
    } else {
        f64::NAN
    }
}

/// One phase's figures: its peak RSS and the CPU it used since the previous phase ended.
pub struct Phases {
    cpu_mark: f64,
    lines: Vec<String>,
}

impl Phases {
    pub fn new() -> Self {
        Phases {
            cpu_mark: 0.0,
            lines: Vec::new(),
        }
    }

    pub fn end(&mut self, phase: &str) {
        let rss = phase_rss();
        let cpu = cpu_secs();
        self.lines.push(format!("rss_{phase}_mib={rss:.1}"));
        self.lines
            .push(format!("cpu_{phase}_s={:.2}", cpu - self.cpu_mark));
        self.cpu_mark = cpu;
    }
}

pub fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

pub fn bare_client(a: &Args) -> aws_sdk_s3::Client {
    use aws_smithy_http_client::{tls, Builder};
    let http = Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new(a.region.clone()))
        .endpoint_url(&a.endpoint)
        .force_path_style(true)
        .credentials_provider(Credentials::new(
            &a.access_key,
            &a.secret_key,
            None,
            None,
            "bench",
        ))
        // No CRC32 computed for every PUT/UploadPart: what s3adt and hadoop-aws 3.4.1 send.
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

pub fn store(a: &Args, bucket: &str) -> Arc<S3Store> {
    let mut c = Configuration::new();
    c.set("fs.s3a.endpoint", a.endpoint.as_str());
    c.set("fs.s3a.endpoint.region", a.region.as_str());
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.connection.ssl.enabled", "false");
    c.set(keys::ACCESS_KEY, a.access_key.as_str());
    c.set(keys::SECRET_KEY, a.secret_key.as_str());
    c.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    );
    c.set("fs.s3a.multipart.size", a.part_size.to_string());
    c.set("fs.s3a.fast.upload.active.blocks", a.active.to_string());
    c.set("fs.s3a.paging.maximum", a.page.to_string());
    let s = S3Store::new(bucket, &c, None).unwrap_or_else(|e| die(&format!("S3Store: {e}")));
    Arc::new(s)
}

pub fn report(a: &Args, init_ms: f64, t: &[(&str, f64)], lists: (usize, usize), phases: &Phases) {
    for line in &phases.lines {
        println!("{line}");
    }
    println!("size={}", a.size);
    println!("small_n={}", a.small);
    println!("init_ms={init_ms:.1}");
    for (k, v) in t {
        println!("{k}={v:.4}");
    }
    println!("list_files_n={}", lists.0);
    println!("list_status_n={}", lists.1);
}
