//! `s3adt fetch`: one token per bucket into a token file, alias = service = `s3a://bucket`.

use s3adt_core::auth::{issue, issue_file};
use s3adt_token::{TokenFile, TokenFileFormat};

/// The arguments of `s3adt fetch`.
#[derive(clap::Args)]
pub struct FetchArgs {
    #[command(flatten)]
    pub conf: crate::ConfArgs,
    /// The renewer to name in the token (empty by default, as hadoop-aws).
    #[arg(long, default_value = "")]
    pub renewer: String,
    /// The token owner (default: HADOOP_USER_NAME, else the login name).
    #[arg(long)]
    pub owner: Option<String>,
    /// File format: `java` (Writable, as fetchdt) or `protobuf` (as dtutil).
    #[arg(long, default_value = "java")]
    pub format: String,
    /// Add to the tokens already in FILE instead of replacing the file.
    #[arg(long)]
    pub append: bool,
    /// s3a://BUCKET ... then the output FILE.
    #[arg(required = true, num_args = 2.., value_name = "s3a://BUCKET... FILE")]
    pub args: Vec<String>,
}

fn fail(msg: impl std::fmt::Display) -> bool {
    eprintln!("s3adt fetch: {msg}");
    false
}

/// The bucket of `s3a://bucket[/path]`, the `position`th (from 1) of the arguments before FILE.
/// What is not an s3a:// URI is not quoted: it may be a secret typed in the wrong place.
fn bucket_of(position: usize, uri: &str) -> Result<String, String> {
    let rest = uri.strip_prefix("s3a://").ok_or_else(|| {
        format!(
            "argument {position} is not an s3a:// URI (value not shown); \
             expected s3a://BUCKET... then the output FILE"
        )
    })?;
    let bucket = rest.split('/').next().unwrap_or("");
    if bucket.is_empty() {
        return Err(format!("{uri:?} names no bucket"));
    }
    Ok(bucket.to_owned())
}

pub fn run(a: FetchArgs) -> bool {
    // STS may not answer for minutes while the retry budget lasts: say so, not a silent wait.
    s3adt_core::retry::set_retry_listener(Some(std::sync::Arc::new(|n| {
        eprintln!("s3adt fetch: {n}")
    })));
    let Some(format) = TokenFileFormat::from_name(&a.format) else {
        return fail(format!(
            "--format takes java or protobuf, not {:?}",
            a.format
        ));
    };
    let (out, uris) = a.args.split_last().expect("clap requires two or more");
    let conf = match a.conf.load() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let mut file = if a.append && std::path::Path::new(out).exists() {
        match TokenFile::read_path(out) {
            Ok((f, _)) => f,
            Err(e) => return fail(e),
        }
    } else {
        TokenFile::new()
    };
    let owner = a.owner.clone().unwrap_or_else(issue::current_user);
    // Reported once the file is written, not before: a failed write issues nothing usable.
    let mut issued_lines = Vec::new();
    // Every argument is checked before any token is issued.
    let buckets = match uris
        .iter()
        .enumerate()
        .map(|(index, uri)| bucket_of(index + 1, uri))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let issued = match issue_file::issue_token_file(
        // One GetSessionToken serves every bucket that resolves to the same STS and parent keys.
        &mut file,
        &conf,
        &buckets,
        &owner,
        &a.renewer,
        &issue::SessionCache::new(),
    ) {
        Ok(issued) => issued,
        Err(e) => return fail(e),
    };
    for (bucket, issued) in buckets.iter().zip(issued) {
        for w in issued.warnings {
            eprintln!("s3adt fetch: WARN {w}");
        }
        issued_lines.push(format!(
            "{} token for s3a://{bucket} (owner {owner})",
            issued.identifier.kind
        ));
    }
    match file.write_path(out, format) {
        Ok(()) => {
            for line in issued_lines {
                eprintln!("s3adt fetch: {line}, written to {out}");
            }
            true
        }
        Err(e) => fail(format!("{e}; no token written")),
    }
}
