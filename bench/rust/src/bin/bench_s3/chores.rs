//! The benchmark's untimed chores: `--mode setup` and `--mode cleanup`.

use crate::args::{die, Args};
use crate::bare::err;
use crate::common::*;
use std::sync::Arc;
use std::time::Instant;

pub async fn setup(a: &Args) {
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

pub async fn cleanup(a: &Args) {
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
