//! Token issuing under load: C callers at once, each issuing tokens for N buckets through STS
//! (one caller = one job's `fetch`). Prints one line with p50/p99 per token and wall time.
//! `--share` gives each caller a SessionCache (one GetSessionToken per caller, not per bucket).
//!
//! usage: bench_sts --sts URL --binding session|role --buckets N --callers C
//!                  --access-key AK --secret-key SK [--role-arn ARN] [--share]

use s3adt_core::config::{bindings, keys, Configuration};
use s3adt_core::issue::{issue_with_cache, SessionCache, TokenRequest};
use std::sync::Arc;
use std::time::Instant;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let need = |n: &str| arg(&args, n).unwrap_or_else(|| panic!("missing {n}"));
    let binding = need("--binding");
    let buckets: usize = need("--buckets").parse().unwrap();
    let callers: usize = need("--callers").parse().unwrap();
    let share = args.iter().any(|a| a == "--share");
    let mut conf = Configuration::new();
    conf.set(
        keys::DELEGATION_TOKEN_BINDING,
        if binding == "role" {
            bindings::ROLE
        } else {
            bindings::SESSION
        },
    );
    conf.set(keys::ASSUMED_ROLE_STS_ENDPOINT, need("--sts"));
    conf.set(keys::ASSUMED_ROLE_STS_ENDPOINT_REGION, "us-east-1");
    conf.set(keys::ACCESS_KEY, need("--access-key"));
    conf.set(keys::SECRET_KEY, need("--secret-key"));
    conf.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    );
    if let Some(arn) = arg(&args, "--role-arn") {
        conf.set(keys::ASSUMED_ROLE_ARN, arn);
    }
    let conf = Arc::new(conf);
    let no_env = |_: &str| None;
    let run_round = |timed: bool| {
        s3adt_core::runtime::block_on(async {
            let start = Instant::now();
            let tasks: Vec<_> = (0..callers)
                .map(|_| {
                    let conf = conf.clone();
                    tokio::spawn(async move {
                        let cache = SessionCache::new();
                        let mut times = Vec::with_capacity(buckets);
                        for b in 0..buckets {
                            let bucket = format!("bench-{b:04}");
                            let req = TokenRequest {
                                bucket: bucket.clone(),
                                owner: "bench".into(),
                                renewer: "yarn".into(),
                            };
                            let t = Instant::now();
                            issue_with_cache(
                                &conf.for_bucket(&bucket),
                                &req,
                                &no_env,
                                share.then_some(&cache),
                            )
                            .await
                            .expect("token");
                            times.push(t.elapsed().as_secs_f64() * 1000.0);
                        }
                        times
                    })
                })
                .collect();
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            let wall = start.elapsed().as_secs_f64() * 1000.0;
            if timed {
                all.sort_by(|a, b| a.partial_cmp(b).unwrap());
                let pct = |p: f64| all[((all.len() as f64 - 1.0) * p).round() as usize];
                println!(
                    "rust binding={binding} share={share} buckets={buckets} callers={callers} tokens={} wall_ms={wall:.0} p50_ms={:.2} p99_ms={:.2}",
                    all.len(),
                    pct(0.50),
                    pct(0.99)
                );
            }
        })
    };
    run_round(false);
    run_round(true);
}
