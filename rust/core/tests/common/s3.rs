//! The S3 data-path tests' shared pieces: a bucket of their own on a moto server, a store on
//! it, deterministic bytes, and whole-object writes and reads.
#![allow(dead_code)]

use super::moto::Moto;
use s3adt_core::conf::Configuration;
use s3adt_core::store::{ListEntry, S3Error, S3Store};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

/// This test binary's moto server, started on first use.
pub static MOTO: LazyLock<Moto> = LazyLock::new(Moto::start);

pub const MIB: usize = 1024 * 1024;

pub fn run<F: std::future::Future>(f: F) -> F::Output {
    s3adt_core::runtime::block_on(f)
}

/// Creates bucket `name` on the S3 server at `endpoint` (a bucket of its own for each test).
pub fn create_bucket(endpoint: &str, name: &str) -> String {
    let out = std::process::Command::new("curl")
        .args(["-sf", "-X", "PUT", &format!("{endpoint}/{name}")])
        .output()
        .unwrap();
    assert!(out.status.success(), "creating bucket {name}");
    name.to_owned()
}

/// A bucket of its own for each test, on [`MOTO`].
pub fn bucket(name: &str) -> String {
    create_bucket(&MOTO.endpoint, name)
}

pub fn store(bucket: &str, c: &Configuration) -> Arc<S3Store> {
    Arc::new(S3Store::new(bucket, c, None).unwrap())
}

/// Deterministic bytes that differ at every offset a test reads.
pub fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

pub fn put(s: &Arc<S3Store>, key: &str, bytes: &[u8]) {
    run(async {
        let mut w = s.open_write(key).await;
        w.write(bytes).await?;
        w.close().await
    })
    .unwrap();
}

/// The whole object, read front to back; a read at its end is EOF.
pub fn read_all(s: &Arc<S3Store>, key: &str) -> Vec<u8> {
    run(async {
        let mut r = s.open_read(key, None).await?;
        let mut out = vec![0u8; r.length() as usize];
        let mut at = 0;
        while at < out.len() {
            let n = r
                .read(at as u64, &mut out[at..])
                .await?
                .expect("not at EOF");
            at += n;
        }
        assert_eq!(r.read(at as u64, &mut [0u8; 8]).await?, None);
        Ok::<_, S3Error>(out)
    })
    .unwrap()
}

pub fn keys_of(entries: &[ListEntry]) -> Vec<String> {
    entries.iter().map(|e| e.key().to_owned()).collect()
}

/// Wait until no upload is in progress under `prefix` (a dropped stream aborts in the
/// background).
pub fn no_uploads(s: &Arc<S3Store>, prefix: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !run(s.list_uploads(prefix)).unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "an upload under {prefix} is left"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A write stream aborted once it has started its upload (`body` is more than a part), and
/// one dropped unfinished, at `{prefix}aborted` and `{prefix}dropped`: no upload is left.
pub fn abort_and_drop(s: &Arc<S3Store>, prefix: &str, body: &[u8]) {
    let mut w = run(s.open_write(&format!("{prefix}aborted")));
    run(w.write(body)).unwrap();
    assert!(w.upload_id().is_some());
    run(w.abort()).unwrap();
    let mut w = run(s.open_write(&format!("{prefix}dropped")));
    run(w.write(body)).unwrap();
    drop(w);
    no_uploads(s, prefix);
}
