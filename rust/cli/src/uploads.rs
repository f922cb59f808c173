//! `s3adt uploads`: the counterpart of `hadoop s3guard uploads` for a bucket served by s3adt.
//! Lists the multipart uploads in progress under `s3a://bucket/prefix` (key, upload id, when
//! initiated) and a total; `--abort` aborts them after a yes on stdin (`--force`: no question).
//! `--older-than` keeps the uploads initiated longer ago than a Hadoop time duration (`30s`,
//! `15m`, `2h`, `3d`; a bare number is seconds). Exit codes as bucket-info's: 0 done, 40 bad
//! arguments or settings, 43 refused (the text names the IAM action), 44 no such bucket, 1
//! anything else or an abort not confirmed.

use crate::bucket_info::{EXIT_ARGUMENT, EXIT_FORBIDDEN, EXIT_NOT_FOUND};
use s3adt_core::auth::consume::now_ms;
use s3adt_core::bucket::BucketContext;
use s3adt_core::conf::{parse_time_duration, TimeUnit};
use s3adt_core::error::{ErrorKind, HasKind};
use s3adt_core::runtime::block_on;
use s3adt_core::store::{initiated_before, UploadInfo};
use s3adt_token::javatime::iso_date_time_utc;
use s3adt_token::TokenFile;
use std::io::{BufRead, Write};
use std::time::Duration;

const EXIT_FAIL: u8 = 1;

/// The arguments of `s3adt uploads`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub bucket: crate::BucketArgs,
    /// Only uploads initiated longer ago than this (30s, 15m, 2h, 3d; bare: seconds).
    #[arg(long = "older-than", value_name = "DURATION")]
    pub older_than: Option<String>,
    /// Abort the uploads listed (asks for a yes on stdin unless --force).
    #[arg(long)]
    pub abort: bool,
    /// With --abort: do not ask.
    #[arg(long)]
    pub force: bool,
    #[arg(value_name = "s3a://BUCKET/PREFIX")]
    pub uri: String,
}

fn fail(code: u8, msg: impl std::fmt::Display) -> u8 {
    eprintln!("s3adt uploads: {msg}");
    code
}

fn exit_code(e: &impl HasKind) -> u8 {
    match e.kind() {
        ErrorKind::AccessDenied => EXIT_FORBIDDEN,
        ErrorKind::NotFound => EXIT_NOT_FOUND,
        ErrorKind::Config | ErrorKind::InvalidArgument => EXIT_ARGUMENT,
        _ => EXIT_FAIL,
    }
}

pub fn run(a: Args) -> u8 {
    let Ok(url) = crate::url::parse(&a.uri) else {
        return fail(
            EXIT_ARGUMENT,
            "expected s3a://BUCKET/PREFIX (value not shown)",
        );
    };
    if let Err(e) = s3adt_core::auth::issue::check_bucket_name(url.bucket) {
        return fail(EXIT_ARGUMENT, e);
    }
    if a.force && !a.abort {
        return fail(EXIT_ARGUMENT, "--force goes with --abort");
    }
    let older_than = match a.older_than.as_deref().map(|d| {
        parse_time_duration(d, TimeUnit::Seconds).map_err(|m| format!("--older-than: {m}"))
    }) {
        None => Duration::ZERO,
        Some(Ok(d)) => d,
        Some(Err(e)) => return fail(EXIT_ARGUMENT, e),
    };
    let conf = match a.bucket.conf.load() {
        Ok(c) => c,
        Err(e) => return fail(EXIT_ARGUMENT, e),
    };
    let bucket = match BucketContext::new(url.bucket, &conf) {
        Ok(b) => b,
        Err(e) => return fail(EXIT_ARGUMENT, e),
    };
    if let Some(path) = &a.bucket.token_file {
        let bound = TokenFile::read_path(path)
            .map_err(|e| fail(exit_code(&e), e))
            .and_then(|(file, _)| bucket.bind_file(&file).map_err(|e| fail(exit_code(&e), e)));
        if let Err(code) = bound {
            return code;
        }
    }
    let store = match bucket.store() {
        Ok(s) => s,
        Err(e) => return fail(exit_code(&e), e),
    };
    let uploads = match block_on(store.list_uploads(url.key)) {
        Ok(u) => initiated_before(u, older_than, now_ms()),
        Err(e) => return fail(exit_code(&e), e),
    };
    let path = |u: &UploadInfo| format!("s3a://{}/{}", url.bucket, u.key);
    let line = |u: &UploadInfo| {
        format!(
            "{} {} {}",
            path(u),
            u.upload_id,
            iso_date_time_utc(u.initiated)
        )
    };
    if !a.abort {
        for u in &uploads {
            println!("{}", line(u));
        }
        println!("Total {} uploads found.", uploads.len());
        return 0;
    }
    if !uploads.is_empty() && !a.force && !confirm(uploads.len(), &a.uri) {
        return fail(
            EXIT_FAIL,
            "not confirmed; nothing aborted (--force aborts without asking)",
        );
    }
    let mut aborted = 0;
    for u in &uploads {
        if let Err(e) = block_on(store.abort_upload(&u.key, &u.upload_id)) {
            println!("Total {aborted} uploads aborted.");
            return fail(exit_code(&e), e);
        }
        println!("Aborted {}", line(u));
        aborted += 1;
    }
    println!("Total {aborted} uploads aborted.");
    0
}

/// Ask on stderr, read one line of stdin: yes or y (any case) confirms; anything else, or no
/// input at all, does not.
fn confirm(count: usize, uri: &str) -> bool {
    eprint!("Abort {count} uploads under {uri}? (yes/no) > ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "yes" | "y")
}
