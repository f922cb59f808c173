//! bench_s3's command line (see main.rs for what each flag means).

use crate::MIB;

pub struct Args {
    pub mode: String,
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
    pub bucket: String,
    /// Where the listing's keys are: a bucket of their own, so that in a store whose LIST cost
    /// grows with the bucket (moto scans every key of it) they do not slow the other operations.
    pub list_bucket: String,
    pub prefix: String,
    pub size: usize,
    pub part_size: usize,
    pub active: usize,
    pub small: usize,
    pub small_size: usize,
    pub list_prefix: String,
    pub list_keys: usize,
    pub page: i32,
    pub parallel: usize,
}

pub fn parse() -> Args {
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

pub fn die(msg: &str) -> ! {
    eprintln!("bench_s3: ERROR: {msg}");
    std::process::exit(1)
}
