//! `--mode bare`: aws-sdk-s3 used directly, the ceiling.

use crate::args::{die, Args};
use crate::common::*;
use crate::MIB;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use bytes::Bytes;
use std::sync::Arc;
use std::time::Instant;

pub async fn bare(a: &Args) {
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
    // duplicates: deliberate. The bare-SDK baseline spells out each aws-sdk-s3 request
    // (create/upload/get look alike) so that nothing of s3adt is in its numbers.
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

    // Small objects, one at a time. The FileSystem's create.performance and openFile (length
    // known) rows are, for the bare client, the same one PUT and one GET again, timed anew.
    let put_all = |dir: &'static str| {
        let (c, base) = (&c, &base);
        async move {
            for i in 0..a.small {
                let key = format!("{}/{dir}/f{i:05}", a.prefix);
                bare_put(c, a, &key, small_body(base, a.small_size, i as u64)).await;
            }
        }
    };
    let get_all = || {
        let c = &c;
        async move {
            for i in 0..a.small {
                let key = format!("{}/small/f{i:05}", a.prefix);
                let got = bare_get_small(c, a, &key).await;
                if got.len() != a.small_size
                    || (a.small_size >= 8 && got[..8] != (i as u64).to_le_bytes())
                {
                    die(&format!("bare: {key} read back differs"));
                }
            }
        }
    };
    let t = Instant::now();
    put_all("small").await;
    times.push(("small_create_s", secs(t)));
    let t = Instant::now();
    get_all().await;
    times.push(("small_read_s", secs(t)));
    let t = Instant::now();
    get_all().await;
    times.push(("small_openfile_s", secs(t)));
    let t = Instant::now();
    put_all("small-perf").await;
    times.push(("small_create_perf_s", secs(t)));
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

pub fn fill_chunks(buf: &mut Vec<u8>, base: &[u8], first: usize, n: usize, size: usize) {
    for i in first..first + n {
        let len = MIB.min(size - i * MIB);
        let start = buf.len();
        buf.extend_from_slice(&base[..len]);
        stamp(&mut buf[start..], i as u64);
    }
}

pub fn err<E: std::error::Error + 'static>(e: &E) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

pub async fn bare_put(c: &aws_sdk_s3::Client, a: &Args, key: &str, body: Vec<u8>) {
    c.put_object()
        .bucket(&a.bucket)
        .key(key)
        .content_length(body.len() as i64)
        .body(ByteStream::from(body))
        .send()
        .await
        .unwrap_or_else(|e| die(&format!("PutObject {key}: {}", err(&e))));
}

pub async fn bare_get_small(c: &aws_sdk_s3::Client, a: &Args, key: &str) -> Bytes {
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
pub async fn bare_list(c: &aws_sdk_s3::Client, a: &Args, recursive: bool) -> usize {
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
