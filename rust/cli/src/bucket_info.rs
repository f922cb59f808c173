//! `s3adt bucket-info`: the counterpart of `hadoop s3guard bucket-info` for a bucket served by
//! s3adt. Prints the client, committer and security settings, what would sign, and whether the
//! bucket answers one HEAD; never a secret. Exit codes as S3A's tool uses them (Hadoop's
//! `LauncherExitCodes`): 0 fine, 40 bad arguments or settings, 44 no such bucket, 43 the
//! bucket refused the HEAD, 48 no answer or nothing to sign with, 46 a requirement
//! (`--encryption`, `--magic`, `--delegation`, `--token`) not met.

use s3adt_core::bucket_info::{bucket_info, BucketInfo, Signer};
use std::path::PathBuf;

pub const EXIT_ARGUMENT: u8 = 40;
pub const EXIT_FORBIDDEN: u8 = 43;
pub const EXIT_NOT_FOUND: u8 = 44;
pub const EXIT_NOT_ACCEPTABLE: u8 = 46;
pub const EXIT_CONNECTIVITY: u8 = 48;

/// The arguments of `s3adt bucket-info`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub bucket: crate::BucketArgs,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Do not send the HEAD.
    #[arg(long = "no-probe")]
    pub no_probe: bool,
    /// Require this encryption (none, SSE-S3, SSE-KMS, DSSE-KMS, SSE-C), as S3A's -encryption.
    #[arg(long, value_name = "ALGORITHM")]
    pub encryption: Option<String>,
    /// Require the magic committer, as S3A's -magic.
    #[arg(long)]
    pub magic: bool,
    /// Require delegation tokens to be enabled for the bucket.
    #[arg(long)]
    pub delegation: bool,
    /// Require an unexpired delegation token for the bucket in the token file.
    #[arg(long)]
    pub token: bool,
    #[arg(value_name = "s3a://BUCKET")]
    pub uri: String,
}

fn fail(code: u8, msg: impl std::fmt::Display) -> u8 {
    eprintln!("s3adt bucket-info: {msg}");
    code
}

pub fn run(a: Args) -> u8 {
    let Ok(crate::url::S3aUrl { bucket, .. }) = crate::url::parse(&a.uri) else {
        return fail(EXIT_ARGUMENT, "expected s3a://BUCKET (value not shown)");
    };
    if let Err(e) = s3adt_core::auth::issue::check_bucket_name(bucket) {
        return fail(EXIT_ARGUMENT, e);
    }
    let conf = match a.bucket.conf.load() {
        Ok(c) => c,
        Err(e) => return fail(EXIT_ARGUMENT, e),
    };
    let token_file = a.bucket.token_file.clone().or_else(|| {
        std::env::var_os("HADOOP_TOKEN_FILE_LOCATION")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let env = |name: &str| s3adt_core::auth::credentials::process_env(name);
    let info = match bucket_info(bucket, &conf, token_file.as_deref(), &env, !a.no_probe) {
        Ok(i) => i,
        Err(e) => return fail(EXIT_ARGUMENT, e),
    };
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&info).expect("plain data serialises")
        );
    } else {
        print_text(&info);
    }
    verdict(&a, &info)
}

fn print_text(i: &BucketInfo) {
    let or_unset = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unset)".to_owned());
    println!("Filesystem s3a://{}", i.bucket);
    println!();
    println!("S3A Client");
    println!("\tEndpoint: fs.s3a.endpoint={}", or_unset(&i.endpoint));
    println!("\tRegion: {}", i.region);
    println!(
        "\tPath style access: fs.s3a.path.style.access={}",
        i.path_style
    );
    match &i.encryption_key_id {
        Some(k) => println!("\tEncryption: {} (key {k})", i.encryption),
        None => println!("\tEncryption: {}", i.encryption),
    }
    println!();
    println!("S3A Committers");
    println!(
        "\tThe \"magic\" committer is not supported by s3adt{}",
        if i.magic_committer { "" } else { " (yet)" }
    );
    println!(
        "\tS3A Committer factory class: mapreduce.outputcommitter.factory.scheme.s3a={}",
        or_unset(&i.committer_factory)
    );
    println!(
        "\tS3A Committer name: fs.s3a.committer.name={}",
        i.committer
    );
    println!();
    println!("Security");
    match (&i.binding, &i.token_kind) {
        (Some(b), Some(k)) => {
            println!("\tDelegation Support enabled: token kind = {k} ({b} binding)")
        }
        _ => println!("\tDelegation token support is disabled"),
    }
    println!("\tHadoop security mode: {}", i.security);
    match &i.signer {
        Signer::Token {
            file,
            token_kind,
            access_key,
            expires,
            expired,
        } => println!(
            "\tSigned by: the delegation token in {file} ({token_kind}, access key {access_key}, {})",
            match (expires, expired) {
                (Some(e), true) => format!("expired {e}"),
                (Some(e), false) => format!("expires {e}"),
                (None, _) => "no expiry".to_owned(),
            }
        ),
        Signer::Chain { source, access_key } => {
            println!("\tSigned by: {source} (access key {access_key})")
        }
        Signer::None { reason } => println!("\tSigned by: nothing ({reason})"),
    }
    println!();
    println!("Bucket");
    match &i.probe_error {
        None => println!("\tHEAD s3a://{}: it answers", i.bucket),
        Some(e) => println!("\tHEAD s3a://{}: {e}", i.bucket),
    }
}

/// The exit code: a failed requirement first (what the caller asked to check), then the probe.
fn verdict(a: &Args, i: &BucketInfo) -> u8 {
    if let Some(want) = &a.encryption {
        if !want.eq_ignore_ascii_case(&i.encryption) {
            return fail(
                EXIT_NOT_ACCEPTABLE,
                format!(
                    "Bucket s3a://{}: required encryption is {want} but actual encryption is {}",
                    i.bucket, i.encryption
                ),
            );
        }
    }
    if a.magic && !i.magic_committer {
        return fail(
            EXIT_NOT_ACCEPTABLE,
            format!("The magic committer is not enabled for s3a://{}", i.bucket),
        );
    }
    if a.delegation && i.binding.is_none() {
        return fail(
            EXIT_NOT_ACCEPTABLE,
            format!("Delegation tokens are not enabled for s3a://{}", i.bucket),
        );
    }
    if a.token && !matches!(i.signer, Signer::Token { expired: false, .. }) {
        return fail(
            EXIT_NOT_ACCEPTABLE,
            format!("s3a://{}: no unexpired delegation token signs it", i.bucket),
        );
    }
    match (&i.probe_error, &i.signer) {
        (None, _) => 0,
        (Some(_), Signer::None { .. }) => EXIT_CONNECTIVITY,
        (Some(_), _) if i.not_found => EXIT_NOT_FOUND,
        (Some(_), _) if i.access_denied => EXIT_FORBIDDEN,
        (Some(_), _) => EXIT_CONNECTIVITY,
    }
}
