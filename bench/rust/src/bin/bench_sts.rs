//! Token issuing under load, the s3adt side of `bench/sts.sh`: for each binding, each bucket
//! count B and each caller count C, C callers at once each issue one token per bucket for B
//! buckets, the way one job's `s3adt fetch` does (one `SessionCache` and one token file per
//! caller, so Session tokens for many buckets share one GetSessionToken). hadoop-aws's side is
//! bench/sts (IssueBench.java), with the same cells and the same output.
//!
//! Each binding starts with `--warmup-seconds` (default 3) of 10-bucket, 4-caller rounds. A cell
//! is then measured after one warm-up round of the same shape (skipped when B*C is over
//! `--warmup-max`, since the smaller cells before it have warmed everything up), over
//! `ceil(--min-tokens / (B*C))` rounds, so that a 1x1 cell still has enough samples for a p99.
//! Per token: configuration for the bucket, credentials, STS (if any), identifier and `Token`
//! built and added to the caller's token file. STS calls are read from the counting moto server
//! (bench/sts/moto_counting.py) before and after the measured rounds.
//!
//! Prints one line per cell:
//!   s3adt binding=session buckets=10 callers=4 rounds=3 tokens=120 sts=12 sts_per_round=4.0
//!         connections=4 wall_ms_per_round=15.3 p50_ms=0.015 p99_ms=15.0
//! (connections: TLS connections moto accepted during the measured rounds)
//!
//! usage: bench_sts --sts ENDPOINT --access-key AK --secret-key SK [--role-arn ARN]
//!                  [--region us-east-1] [--counts http://127.0.0.1:PORT/counts]
//!                  [--bindings full,session,role] [--buckets 1,10,100] [--callers 1,4,16,64]
//!                  [--min-tokens 100] [--warmup-max 100] [--warmup-seconds 3]
//!                  [--skip role:100x64,...] [--no-share]
//! ENDPOINT is what fs.s3a.assumed.role.sts.endpoint holds (`127.0.0.1:PORT` means https, as in
//! hadoop-aws). `--skip` leaves cells out (binding:BUCKETSxCALLERS). `--no-share` gives every
//! token its own GetSessionToken (hadoop-aws's behaviour).

use s3adt_core::auth::issue::{issue_with_cache, SessionCache, TokenRequest};
use s3adt_core::conf::{bindings, keys, Configuration};
use s3adt_token::{Token, TokenFile};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Instant;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn list(args: &[String], name: &str, default: &str) -> Vec<String> {
    arg(args, name)
        .unwrap_or_else(|| default.to_owned())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The counting moto server's `key=value ...` line (`sts`, `connections`, ...), read with a bare
/// HTTP/1.0 GET so the benchmark adds no client of its own to the build; empty without --counts.
fn counts(url: Option<&str>) -> HashMap<String, u64> {
    let Some(url) = url else {
        return HashMap::new();
    };
    let rest = url
        .strip_prefix("http://")
        .expect("--counts must be http://HOST:PORT/PATH");
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut s = std::net::TcpStream::connect(hostport).expect("connecting to the counts endpoint");
    write!(s, "GET /{path} HTTP/1.0\r\nHost: {hostport}\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let body = resp.split("\r\n\r\n").nth(1).unwrap_or("");
    body.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .filter_map(|(k, v)| Some((k.to_owned(), v.parse().ok()?)))
        .collect()
}

/// `after - before` for `key`, and the same per round; "na" when not counted.
fn delta(
    before: &HashMap<String, u64>,
    after: &HashMap<String, u64>,
    key: &str,
    rounds: usize,
) -> (String, String) {
    match (before.get(key), after.get(key)) {
        (Some(b), Some(a)) => (
            (a - b).to_string(),
            format!("{:.1}", (a - b) as f64 / rounds as f64),
        ),
        _ => ("na".into(), "na".into()),
    }
}

/// Nearest-rank percentile of sorted samples.
fn pct(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// One round: `callers` tasks at once, each issuing tokens for `buckets` buckets in order.
/// Returns the per-token latencies in ms.
fn round(conf: &Arc<Configuration>, buckets: usize, callers: usize, share: bool) -> Vec<f64> {
    s3adt_core::runtime::block_on(async {
        let tasks: Vec<_> = (0..callers)
            .map(|_| {
                let conf = conf.clone();
                tokio::spawn(async move {
                    let no_env = |_: &str| None;
                    let cache = SessionCache::new();
                    let mut file = TokenFile::new();
                    let mut times = Vec::with_capacity(buckets);
                    for b in 0..buckets {
                        let t = Instant::now();
                        let bucket = format!("bench-{b:04}");
                        let req = TokenRequest {
                            bucket: bucket.clone(),
                            owner: "bench".into(),
                            renewer: "yarn".into(),
                        };
                        let issued = issue_with_cache(
                            &conf.for_bucket(&bucket),
                            &req,
                            &no_env,
                            share.then_some(&cache),
                        )
                        .await
                        .unwrap_or_else(|e| panic!("token for {bucket}: {e}"));
                        let service = format!("s3a://{bucket}");
                        let token = Token::from_s3a(&issued.identifier, service.as_str())
                            .expect("encoding the token");
                        file.add_token(service.as_str().into(), token);
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    assert_eq!(file.tokens().len(), buckets);
                    times
                })
            })
            .collect();
        let mut all = Vec::with_capacity(buckets * callers);
        for t in tasks {
            all.extend(t.await.expect("caller task"));
        }
        all
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let need = |n: &str| arg(&args, n).unwrap_or_else(|| panic!("missing {n}"));
    let counts_url = arg(&args, "--counts");
    let share = !args.iter().any(|a| a == "--no-share");
    let min_tokens: usize = arg(&args, "--min-tokens").map_or(100, |v| v.parse().unwrap());
    let warmup_secs: f64 = arg(&args, "--warmup-seconds").map_or(3.0, |v| v.parse().unwrap());
    let warmup_max: usize = arg(&args, "--warmup-max").map_or(100, |v| v.parse().unwrap());
    let skip = list(&args, "--skip", "");
    let num = |v: &String| -> usize { v.parse().expect("a number") };
    let bucket_counts: Vec<usize> = list(&args, "--buckets", "1,10,100")
        .iter()
        .map(num)
        .collect();
    let caller_counts: Vec<usize> = list(&args, "--callers", "1,4,16,64")
        .iter()
        .map(num)
        .collect();

    let mut base = Configuration::new();
    base.set(keys::ASSUMED_ROLE_STS_ENDPOINT, need("--sts"));
    base.set(
        keys::ASSUMED_ROLE_STS_ENDPOINT_REGION,
        arg(&args, "--region").unwrap_or_else(|| "us-east-1".into()),
    );
    base.set(keys::ACCESS_KEY, need("--access-key"));
    base.set(keys::SECRET_KEY, need("--secret-key"));
    base.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    );
    if let Some(arn) = arg(&args, "--role-arn") {
        base.set(keys::ASSUMED_ROLE_ARN, arn);
    }

    for binding in list(&args, "--bindings", "full,session,role") {
        let mut conf = base.clone();
        conf.set(
            keys::DELEGATION_TOKEN_BINDING,
            match binding.as_str() {
                "full" => bindings::FULL,
                "session" => bindings::SESSION,
                "role" => bindings::ROLE,
                other => panic!("unknown binding {other}"),
            },
        );
        let conf = Arc::new(conf);
        let warm = Instant::now();
        loop {
            round(&conf, 10, 4, share);
            if warm.elapsed().as_secs_f64() >= warmup_secs {
                break;
            }
        }
        for &buckets in &bucket_counts {
            for &callers in &caller_counts {
                if skip.contains(&format!("{binding}:{buckets}x{callers}")) {
                    continue;
                }
                let per_round = buckets * callers;
                if per_round <= warmup_max {
                    round(&conf, buckets, callers, share);
                }
                let rounds = min_tokens.div_ceil(per_round).max(1);
                let before = counts(counts_url.as_deref());
                let start = Instant::now();
                let mut all = Vec::with_capacity(rounds * per_round);
                for _ in 0..rounds {
                    all.extend(round(&conf, buckets, callers, share));
                }
                let wall = start.elapsed().as_secs_f64() * 1000.0;
                let after = counts(counts_url.as_deref());
                let (sts, sts_per_round) = delta(&before, &after, "sts", rounds);
                let (conns, _) = delta(&before, &after, "connections", rounds);
                all.sort_by(|a, b| a.total_cmp(b));
                println!(
                    "s3adt binding={binding} buckets={buckets} callers={callers} rounds={rounds} tokens={} sts={sts} sts_per_round={sts_per_round} connections={conns} wall_ms_per_round={:.3} p50_ms={:.3} p99_ms={:.3}",
                    all.len(),
                    wall / rounds as f64,
                    pct(&all, 0.50),
                    pct(&all, 0.99)
                );
                std::io::stdout().flush().ok();
            }
        }
    }
}
