//! `--mode store`: the same operations through s3adt's own `S3Store`, without the JVM.

use crate::args::{die, Args};
use crate::common::*;
use crate::MIB;
use s3adt_core::store::S3Store;
use std::sync::Arc;
use std::time::Instant;

pub async fn with_store(a: &Args) {
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

    let put_all = |dir: &'static str| {
        let (s, base) = (&s, &base);
        async move {
            for i in 0..a.small {
                let key = format!("{}/{dir}/f{i:05}", a.prefix);
                store_put_small(s, &key, &small_body(base, a.small_size, i as u64)).await;
            }
        }
    };
    // `known`: as the FileSystem's openFile with the length given (one GET, no range); else as
    // open() (one GET of the first 64 KiB, made at once).
    let read_all = |known: bool| {
        let s = &s;
        async move {
            for i in 0..a.small {
                let key = format!("{}/small/f{i:05}", a.prefix);
                let got = if known {
                    store_read_known(s, &key, a.small_size).await
                } else {
                    store_read_small(s, &key, a.small_size).await
                };
                if a.small_size >= 8 && got[..8] != (i as u64).to_le_bytes() {
                    die(&format!("store: {key} read back differs"));
                }
            }
        }
    };
    let t = Instant::now();
    put_all("small").await;
    times.push(("small_create_s", secs(t)));
    let t = Instant::now();
    read_all(false).await;
    times.push(("small_read_s", secs(t)));
    let t = Instant::now();
    read_all(true).await;
    times.push(("small_openfile_s", secs(t)));
    // The store makes no probes: its create with create.performance is the same PUT.
    let t = Instant::now();
    put_all("small-perf").await;
    times.push(("small_create_perf_s", secs(t)));
    rss.end("small");

    let prefix = format!("{}/", a.list_prefix);
    let mut counts = [0; 2];
    for (i, (recursive, name)) in [(true, "list_files_s"), (false, "list_status_s")]
        .into_iter()
        .enumerate()
    {
        let t = Instant::now();
        counts[i] = ls
            .list(&prefix, recursive, 0)
            .await
            .unwrap_or_else(|e| fail("list", e))
            .len();
        times.push((name, secs(t)));
    }
    let [files, status] = counts;
    rss.end("list");
    report(a, init_ms, &times, (files, status), &rss);
}

pub async fn store_put_small(s: &Arc<S3Store>, key: &str, data: &[u8]) {
    let mut w = s.open_write(key).await;
    w.write(data)
        .await
        .unwrap_or_else(|e| die(&format!("write {key}: {e}")));
    w.close()
        .await
        .unwrap_or_else(|e| die(&format!("close {key}: {e}")));
}

pub async fn store_read_small(s: &Arc<S3Store>, key: &str, size: usize) -> Vec<u8> {
    // As the FileSystem's open(): the length unknown, the first GET (bounded to the read-ahead)
    // made at once, which tells the length and holds the bytes.
    read_all(s, key, None, size).await
}

/// openFile with the length known: no HEAD, the one GET the first read makes.
pub async fn store_read_known(s: &Arc<S3Store>, key: &str, size: usize) -> Vec<u8> {
    read_all(s, key, Some(size as u64), size).await
}

async fn read_all(s: &Arc<S3Store>, key: &str, length: Option<u64>, size: usize) -> Vec<u8> {
    let mut r = s
        .open_read(key, length)
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
