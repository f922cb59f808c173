//! `s3adt fetch`: one token per bucket into a token file, alias = service = `s3a://bucket`.

use s3adt_core::auth::issue::{self, TokenRequest};
use s3adt_core::conf::Configuration;
use s3adt_token::{Token, TokenFile, TokenFileFormat};
use std::path::PathBuf;

pub struct FetchArgs {
    pub defines: Vec<String>,
    pub conf_files: Vec<PathBuf>,
    pub renewer: String,
    pub owner: Option<String>,
    pub format: String,
    pub append: bool,
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
    let mut conf = Configuration::new();
    if let Err(e) = conf.load_default_resources() {
        return fail(e);
    }
    for f in &a.conf_files {
        if let Err(e) = conf.add_resource(f) {
            return fail(e);
        }
    }
    for d in &a.defines {
        if let Err(e) = conf.set_override(d) {
            return fail(e);
        }
    }
    let mut file = if a.append && std::path::Path::new(out).exists() {
        match TokenFile::read_path(out) {
            Ok((f, _)) => f,
            Err(e) => return fail(e),
        }
    } else {
        TokenFile::new()
    };
    let owner = a.owner.clone().unwrap_or_else(issue::current_user);
    // One GetSessionToken serves every bucket that resolves to the same STS and parent keys.
    let cache = issue::SessionCache::new();
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
    for bucket in buckets {
        let bucket_conf = conf.for_bucket(&bucket);
        let req = TokenRequest {
            bucket: bucket.clone(),
            owner: owner.clone(),
            renewer: a.renewer.clone(),
        };
        let env = |k: &str| s3adt_core::auth::credentials::process_env(k);
        let id = match s3adt_core::runtime::block_on(issue::issue_with_cache(
            &bucket_conf,
            &req,
            &env,
            Some(&cache),
        )) {
            Ok(issued) => {
                for w in issued.warnings {
                    eprintln!("s3adt fetch: WARN {w}");
                }
                issued.identifier
            }
            Err(e) => return fail(format!("s3a://{bucket}: {e}")),
        };
        let service = format!("s3a://{bucket}");
        match Token::from_s3a(&id, service.as_str()) {
            Ok(t) => file.add_token(service.as_str().into(), t),
            Err(e) => return fail(format!("{service}: {e}")),
        }
        issued_lines.push(format!("{} token for {service} (owner {owner})", id.kind));
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
