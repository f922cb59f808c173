//! The Rust side of `bench/data.sh` (the data-path benchmark): the same operations the JVM
//! program (bench/data, DataBench.java) makes through the Hadoop FileSystem API, here made by
//!
//! - `--mode bare`: aws-sdk-s3 used directly, the ceiling: one client (rustls/ring HTTP client,
//!   SDK retries at their defaults, checksums only where S3 requires one, as s3adt and
//!   hadoop-aws 3.4.1's SDK); a multipart upload in parts of `--part-size` with at most
//!   `--active` parts in flight, filled from 1 MiB application buffers; one streaming GET read
//!   into a 1 MiB buffer; small objects one PUT / one GET each, one after the other; listings
//!   as ListObjectsV2 pages of `--page` keys (recursive: no delimiter; "status": delimiter "/").
//! - `--mode store`: the same through s3adt's own `S3Store` (what the JNI natives call), without
//!   the JVM: `open_write` + `write` 1 MiB at a time + `close`, `open_read` + `read`, `list`.
//!
//! and the benchmark's untimed chores:
//!
//! - `--mode setup`: create both buckets if missing (moto), and make sure `--list-keys` empty
//!   objects `LIST_PREFIX/k00000..` exist in the list bucket (PUT `--parallel` at a time; skipped when a listing
//!   already counts them).
//! - `--mode cleanup`: delete every object under `--prefix`.
//!
//! Prints `key=value` lines on stdout (the same keys as DataBench): init_ms, write_s, read_s,
//! small_create_s, small_read_s, list_files_s, list_files_n, list_status_s, list_status_n,
//! plus size and small_n, and rss_PHASE_mib, the peak RSS of each phase (start: up to the end of
//! the warm-up; write; read; small: create and read; list), reset between phases, and
//! cpu_PHASE_s, the CPU time (user + system, all threads) each phase used; progress and errors on stderr, exit 1 on any failure (a byte read back
//! that differs from the one written is a failure).
//!
//! usage: bench_s3 --mode bare|store|setup|cleanup --endpoint http://127.0.0.1:PORT
//!                 --access-key AK --secret-key SK --bucket B [--list-bucket LB] [--prefix data/bare]
//!                 [--size 268435456] [--part-size 67108864] [--active 4] [--small 1000]
//!                 [--small-size 1024] [--list-prefix data/list] [--list-keys 10000]
//!                 [--page 1000] [--parallel 32] [--region us-east-1]

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region, RequestChecksumCalculation};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use bytes::Bytes;
use s3adt_core::conf::{keys, Configuration};
use s3adt_core::store::S3Store;
use std::sync::Arc;
use std::time::Instant;

const MIB: usize = 1024 * 1024;

struct Args {
    mode: String,
    endpoint: String,
    access_key: String,
    secret_key: String,
    region: String,
    bucket: String,
    /// Where the listing's keys are: a bucket of their own, so that in a store whose LIST cost
    /// grows with the bucket (moto scans every key of it) they do not slow the other operations.
    list_bucket: String,
    prefix: String,
    size: usize,
    part_size: usize,
    active: usize,
    small: usize,
    small_size: usize,
    list_prefix: String,
    list_keys: usize,
    page: i32,
    parallel: usize,
}

fn parse() -> Args {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| {
        argv.iter()
            .position(|a| a == name)
            .and_then(|i| argv.get(i + 1))
            .cloned()
    };
    let req = |name: &str| get(name).unwrap_or_else(|| die(&format!("{name} is required")));
    let num = |name: &str, default: usize| {
        get(name).map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| die(&format!("{name}: not a number: {v}")))
        })
    };
    Args {
        mode: req("--mode"),
        endpoint: req("--endpoint"),
        access_key: req("--access-key"),
        secret_key: req("--secret-key"),
        region: get("--region").unwrap_or_else(|| "us-east-1".into()),
        bucket: req("--bucket"),
        list_bucket: get("--list-bucket").unwrap_or_else(|| req("--bucket")),
        prefix: get("--prefix").unwrap_or_else(|| "data/bare".into()),
        size: num("--size", 256 * MIB),
        part_size: num("--part-size", 64 * MIB),
        active: num("--active", 4).max(1),
        small: num("--small", 1000),
        small_size: num("--small-size", 1024),
        list_prefix: get("--list-prefix").unwrap_or_else(|| "data/list".into()),
        list_keys: num("--list-keys", 10_000),
        page: num("--page", 1000) as i32,
        parallel: num("--parallel", 32).max(1),
    }
}

fn die(msg: &str) -> ! {
    eprintln!("bench_s3: ERROR: {msg}");
    std::process::exit(1)
}

/// The application's 1 MiB buffer: pseudo-random bytes (xorshift, seed 42), the same as
/// DataBench's. Chunk `i` of the big object is this buffer with its first 8 bytes set to `i`
/// (little endian), so every MiB of the object differs and a misplaced chunk is caught.
fn base_chunk() -> Vec<u8> {
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

fn stamp(chunk: &mut [u8], i: u64) {
    chunk[..8].copy_from_slice(&i.to_le_bytes());
}

/// Checks chunk `i` as read back: its stamp, and the base bytes after it and at its end.
fn check_chunk(got: &[u8], base: &[u8], i: u64, what: &str) {
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
fn small_body(base: &[u8], size: usize, i: u64) -> Vec<u8> {
    let mut v = base[..size].to_vec();
    if size >= 8 {
        stamp(&mut v, i);
    }
    v
}

/// Peak RSS since the last call (VmHWM, MiB), then reset to the current RSS (clear_refs 5), so
/// that each phase's peak is its own; the same as DataBench's.
fn phase_rss() -> f64 {
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
fn cpu_secs() -> f64 {
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
struct Phases {
    cpu_mark: f64,
    lines: Vec<String>,
}

impl Phases {
    fn new() -> Self {
        Phases {
            cpu_mark: 0.0,
            lines: Vec::new(),
        }
    }

    fn end(&mut self, phase: &str) {
        let rss = phase_rss();
        let cpu = cpu_secs();
        self.lines.push(format!("rss_{phase}_mib={rss:.1}"));
        self.lines
            .push(format!("cpu_{phase}_s={:.2}", cpu - self.cpu_mark));
        self.cpu_mark = cpu;
    }
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn bare_client(a: &Args) -> aws_sdk_s3::Client {
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

fn store(a: &Args, bucket: &str) -> Arc<S3Store> {
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

fn report(a: &Args, init_ms: f64, t: &[(&str, f64)], lists: (usize, usize), phases: &Phases) {
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

// ---------------------------------------------------------------------------------- bare

async fn bare(a: &Args) {
    let t0 = Instant::now();
    let c = bare_client(a);
    let init_ms = secs(t0) * 1000.0;
    let base = base_chunk();
    let big = format!("{}/big", a.prefix);
    let mut times = Vec::new();

    // Warm-up, untimed (as DataBench): one small object written and read.
    let warm = format!("{}/warmup", a.prefix);
    bare_put(&c, a, &warm, small_body(&base, a.small_size, 0)).await;
    bare_get_small(&c, a, &warm).await;
    let mut rss = Phases::new();
    rss.end("start");

    // Sequential write: 1 MiB application buffers into parts of part_size, each part uploaded
    // in the background (at most `active` at once) as soon as it is full; the last part at the
    // end. An object of at most one part is one PUT (as s3adt and hadoop-aws).
    let t = Instant::now();
    let chunks = a.size.div_ceil(MIB);
    if a.size <= a.part_size {
        let mut buf = Vec::with_capacity(a.size);
        fill_chunks(&mut buf, &base, 0, chunks, a.size);
        bare_put(&c, a, &big, buf).await;
    } else {
        let id = c
            .create_multipart_upload()
            .bucket(&a.bucket)
            .key(&big)
            .send()
            .await
            .unwrap_or_else(|e| die(&format!("CreateMultipartUpload: {}", err(&e))))
            .upload_id()
            .unwrap_or_else(|| die("no upload id"))
            .to_owned();
        let slots = Arc::new(tokio::sync::Semaphore::new(a.active));
        let mut parts = Vec::new();
        let per_part = a.part_size / MIB;
        let mut next = 0;
        while next < chunks {
            let n = per_part.min(chunks - next);
            let mut buf = Vec::with_capacity(a.part_size);
            fill_chunks(&mut buf, &base, next, n, a.size);
            next += n;
            let permit = slots.clone().acquire_owned().await.unwrap();
            let number = parts.len() as i32 + 1;
            let (c, bucket, key, id) = (c.clone(), a.bucket.clone(), big.clone(), id.clone());
            parts.push(tokio::spawn(async move {
                let body = Bytes::from(buf);
                let out = c
                    .upload_part()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(id)
                    .part_number(number)
                    .content_length(body.len() as i64)
                    .body(ByteStream::from(body))
                    .send()
                    .await
                    .unwrap_or_else(|e| die(&format!("UploadPart {number}: {}", err(&e))));
                drop(permit);
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(out.e_tag().map(str::to_owned))
                    .build()
            }));
        }
        let mut done = Vec::new();
        for p in parts {
            done.push(p.await.unwrap());
        }
        let r = c
            .complete_multipart_upload()
            .bucket(&a.bucket)
            .key(&big)
            .upload_id(&id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(done))
                    .build(),
            )
            .send()
            .await;
        if let Err(e) = r {
            // moto 5.2 answers with a <CompleteMultipartUploadResponse> root, which the SDK's
            // parser rejects although the upload is complete: the same test as S3Store's.
            let done = e
                .raw_response()
                .is_some_and(s3adt_core::store::completed_anyway);
            if !done {
                die(&format!("CompleteMultipartUpload: {}", err(&e)));
            }
        }
    }
    times.push(("write_s", secs(t)));
    rss.end("write");

    // Sequential read: one GET, its body copied into a 1 MiB buffer as a reader would.
    let t = Instant::now();
    let out = c
        .get_object()
        .bucket(&a.bucket)
        .key(&big)
        .send()
        .await
        .unwrap_or_else(|e| die(&format!("GetObject: {}", err(&e))));
    let mut body = out.body;
    let mut buf = vec![0u8; MIB];
    let (mut fill, mut chunk, mut total) = (0usize, 0u64, 0usize);
    while let Some(bytes) = body
        .try_next()
        .await
        .unwrap_or_else(|e| die(&format!("reading the GET body: {e}")))
    {
        let mut b = &bytes[..];
        while !b.is_empty() {
            let n = (MIB - fill).min(b.len());
            buf[fill..fill + n].copy_from_slice(&b[..n]);
            fill += n;
            b = &b[n..];
            if fill == MIB || total + fill == a.size {
                check_chunk(&buf[..fill], &base, chunk, "bare read");
                total += fill;
                chunk += 1;
                fill = 0;
            }
        }
    }
    if total != a.size {
        die(&format!("bare read: {total} bytes, expected {}", a.size));
    }
    times.push(("read_s", secs(t)));
    rss.end("read");

    // Small objects, one at a time.
    let t = Instant::now();
    for i in 0..a.small {
        let key = format!("{}/small/f{i:05}", a.prefix);
        bare_put(&c, a, &key, small_body(&base, a.small_size, i as u64)).await;
    }
    times.push(("small_create_s", secs(t)));
    let t = Instant::now();
    for i in 0..a.small {
        let key = format!("{}/small/f{i:05}", a.prefix);
        let got = bare_get_small(&c, a, &key).await;
        if got.len() != a.small_size || (a.small_size >= 8 && got[..8] != (i as u64).to_le_bytes())
        {
            die(&format!("bare: {key} read back differs"));
        }
    }
    times.push(("small_read_s", secs(t)));
    rss.end("small");

    let t = Instant::now();
    let files = bare_list(&c, a, true).await;
    times.push(("list_files_s", secs(t)));
    let t = Instant::now();
    let status = bare_list(&c, a, false).await;
    times.push(("list_status_s", secs(t)));
    rss.end("list");
    report(a, init_ms, &times, (files, status), &rss);
}

fn fill_chunks(buf: &mut Vec<u8>, base: &[u8], first: usize, n: usize, size: usize) {
    for i in first..first + n {
        let len = MIB.min(size - i * MIB);
        let start = buf.len();
        buf.extend_from_slice(&base[..len]);
        stamp(&mut buf[start..], i as u64);
    }
}

fn err<E: std::error::Error + 'static>(e: &E) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

async fn bare_put(c: &aws_sdk_s3::Client, a: &Args, key: &str, body: Vec<u8>) {
    c.put_object()
        .bucket(&a.bucket)
        .key(key)
        .content_length(body.len() as i64)
        .body(ByteStream::from(body))
        .send()
        .await
        .unwrap_or_else(|e| die(&format!("PutObject {key}: {}", err(&e))));
}

async fn bare_get_small(c: &aws_sdk_s3::Client, a: &Args, key: &str) -> Bytes {
    let out = c
        .get_object()
        .bucket(&a.bucket)
        .key(key)
        .send()
        .await
        .unwrap_or_else(|e| die(&format!("GetObject {key}: {}", err(&e))));
    out.body
        .collect()
        .await
        .unwrap_or_else(|e| die(&format!("GetObject {key} body: {e}")))
        .into_bytes()
}

/// Every key (recursive) or every entry directly under (delimiter "/") the list prefix.
async fn bare_list(c: &aws_sdk_s3::Client, a: &Args, recursive: bool) -> usize {
    let prefix = format!("{}/", a.list_prefix);
    let mut token: Option<String> = None;
    let mut n = 0;
    loop {
        let out = c
            .list_objects_v2()
            .bucket(&a.list_bucket)
            .prefix(&prefix)
            .set_delimiter((!recursive).then(|| "/".to_owned()))
            .max_keys(a.page)
            .set_continuation_token(token.take())
            .send()
            .await
            .unwrap_or_else(|e| die(&format!("ListObjectsV2: {}", err(&e))));
        n += out.contents().len() + out.common_prefixes().len();
        match out.next_continuation_token() {
            Some(t) if out.is_truncated() == Some(true) && !t.is_empty() => {
                token = Some(t.to_owned())
            }
            _ => break,
        }
    }
    n
}

// ---------------------------------------------------------------------------------- store

async fn with_store(a: &Args) {
    let t0 = Instant::now();
    let s = store(a, &a.bucket);
    let ls = store(a, &a.list_bucket);
    let init_ms = secs(t0) * 1000.0;
    let base = base_chunk();
    let big = format!("{}/big", a.prefix);
    let mut times = Vec::new();
    let fail = |what: &str, e: s3adt_core::store::S3Error| -> ! { die(&format!("{what}: {e}")) };

    let warm = format!("{}/warmup", a.prefix);
    store_put_small(&s, &warm, &small_body(&base, a.small_size, 0)).await;
    store_read_small(&s, &warm, a.small_size).await;
    let mut rss = Phases::new();
    rss.end("start");

    let t = Instant::now();
    let mut w = s.open_write(&big).await;
    let mut chunk = base.clone();
    for i in 0..a.size.div_ceil(MIB) {
        let len = MIB.min(a.size - i * MIB);
        stamp(&mut chunk, i as u64);
        w.write(&chunk[..len])
            .await
            .unwrap_or_else(|e| fail("write", e));
    }
    w.close().await.unwrap_or_else(|e| fail("close", e));
    times.push(("write_s", secs(t)));
    rss.end("write");

    let t = Instant::now();
    let mut r = s
        .open_read(&big, None)
        .await
        .unwrap_or_else(|e| fail("open", e));
    let mut buf = vec![0u8; MIB];
    let mut pos = 0u64;
    let mut i = 0u64;
    while (pos as usize) < a.size {
        let want = MIB.min(a.size - pos as usize);
        let mut got = 0;
        while got < want {
            match r.read(pos + got as u64, &mut buf[got..want]).await {
                Ok(Some(n)) => got += n,
                Ok(None) => die(&format!("store read: end of file at {}", pos + got as u64)),
                Err(e) => fail("read", e),
            }
        }
        check_chunk(&buf[..want], &base, i, "store read");
        pos += want as u64;
        i += 1;
    }
    times.push(("read_s", secs(t)));
    rss.end("read");

    let t = Instant::now();
    for i in 0..a.small {
        let key = format!("{}/small/f{i:05}", a.prefix);
        store_put_small(&s, &key, &small_body(&base, a.small_size, i as u64)).await;
    }
    times.push(("small_create_s", secs(t)));
    let t = Instant::now();
    for i in 0..a.small {
        let key = format!("{}/small/f{i:05}", a.prefix);
        let got = store_read_small(&s, &key, a.small_size).await;
        if a.small_size >= 8 && got[..8] != (i as u64).to_le_bytes() {
            die(&format!("store: {key} read back differs"));
        }
    }
    times.push(("small_read_s", secs(t)));
    rss.end("small");

    let prefix = format!("{}/", a.list_prefix);
    let t = Instant::now();
    let files = ls
        .list(&prefix, true, 0)
        .await
        .unwrap_or_else(|e| fail("list", e))
        .len();
    times.push(("list_files_s", secs(t)));
    let t = Instant::now();
    let status = ls
        .list(&prefix, false, 0)
        .await
        .unwrap_or_else(|e| fail("list", e))
        .len();
    times.push(("list_status_s", secs(t)));
    rss.end("list");
    report(a, init_ms, &times, (files, status), &rss);
}

async fn store_put_small(s: &Arc<S3Store>, key: &str, data: &[u8]) {
    let mut w = s.open_write(key).await;
    w.write(data)
        .await
        .unwrap_or_else(|e| die(&format!("write {key}: {e}")));
    w.close()
        .await
        .unwrap_or_else(|e| die(&format!("close {key}: {e}")));
}

async fn store_read_small(s: &Arc<S3Store>, key: &str, size: usize) -> Vec<u8> {
    // As the FileSystem opens a file whose length it knows (from getFileStatus): HEAD, then GET.
    let meta = s
        .head(key)
        .await
        .unwrap_or_else(|e| die(&format!("head {key}: {e}")))
        .unwrap_or_else(|| die(&format!("{key}: not found")));
    let mut r = s
        .open_read(key, Some(meta.length))
        .await
        .unwrap_or_else(|e| die(&format!("open {key}: {e}")));
    let mut buf = vec![0u8; size];
    let mut got = 0;
    while got < size {
        match r.read(got as u64, &mut buf[got..]).await {
            Ok(Some(n)) => got += n,
            Ok(None) => die(&format!("{key}: {got} bytes, expected {size}")),
            Err(e) => die(&format!("read {key}: {e}")),
        }
    }
    buf
}

// ---------------------------------------------------------------------------------- chores

async fn setup(a: &Args) {
    let c = bare_client(a);
    for bucket in [&a.bucket, &a.list_bucket] {
        match c.create_bucket().bucket(bucket).send().await {
            Ok(_) => eprintln!("bench_s3: created bucket {bucket}"),
            Err(e) => {
                let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e).unwrap_or("");
                if code != "BucketAlreadyOwnedByYou" && code != "BucketAlreadyExists" {
                    die(&format!("CreateBucket {bucket}: {}", err(&e)));
                }
            }
        }
    }
    let s = store(a, &a.list_bucket);
    let have = s
        .list(&format!("{}/", a.list_prefix), true, 0)
        .await
        .unwrap_or_else(|e| die(&format!("list: {e}")))
        .len();
    if have == a.list_keys {
        eprintln!("bench_s3: {} keys under {}/ already", have, a.list_prefix);
        return;
    }
    let t = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers: Vec<_> = (0..a.parallel)
        .map(|_| {
            let (s, next, n, prefix) =
                (s.clone(), next.clone(), a.list_keys, a.list_prefix.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let key = format!("{prefix}/k{i:05}");
                    s.put_empty(&key)
                        .await
                        .unwrap_or_else(|e| die(&format!("put {key}: {e}")));
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    eprintln!(
        "bench_s3: {} empty objects under {}/ in {:.1} s",
        a.list_keys,
        a.list_prefix,
        secs(t)
    );
}

async fn cleanup(a: &Args) {
    let s = store(a, &a.bucket);
    let keys: Vec<String> = s
        .list(&format!("{}/", a.prefix), true, 0)
        .await
        .unwrap_or_else(|e| die(&format!("list: {e}")))
        .into_iter()
        .map(|e| e.key().to_owned())
        .collect();
    s.delete_keys(&keys)
        .await
        .unwrap_or_else(|e| die(&format!("delete: {e}")));
    eprintln!(
        "bench_s3: deleted {} objects under {}/",
        keys.len(),
        a.prefix
    );
}

fn main() {
    let a = parse();
    match a.mode.as_str() {
        // The bare client on a runtime of its own (multi-threaded, one worker per core).
        "bare" => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(bare(&a)),
        // s3adt's code on s3adt's runtime, as the JNI natives run it.
        "store" => s3adt_core::runtime::block_on(with_store(&a)),
        "setup" => s3adt_core::runtime::block_on(setup(&a)),
        "cleanup" => s3adt_core::runtime::block_on(cleanup(&a)),
        m => die(&format!("unknown --mode {m}")),
    }
}
