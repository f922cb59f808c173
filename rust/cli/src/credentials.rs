//! `s3adt credentials`: the AWS credentials a delegation token carries for one bucket, for any
//! AWS tool (`credential_process`, environment variables) to use.

use s3adt_core::auth::consume::{identifier_for_bucket, now_ms};
use s3adt_token::javatime::iso_date_time_utc;
use s3adt_token::TokenFile;
use serde_json::json;
use std::path::PathBuf;

fn fail(msg: impl std::fmt::Display) -> bool {
    eprintln!("s3adt credentials: {msg}");
    false
}

/// Quote for a POSIX shell.
pub(crate) fn sh(v: &str) -> String {
    format!("'{}'", v.replace('\'', "'\\''"))
}

pub fn run(token_file: Option<PathBuf>, format: &str, defines: &[String], uris: &[String]) -> bool {
    if !matches!(format, "env" | "json" | "credential-process") {
        return fail(format!(
            "--format takes env, json or credential-process, not {format:?}"
        ));
    }
    let [uri] = uris else {
        return fail(format!(
            "takes one s3a://BUCKET argument, got {} (values not shown)",
            uris.len()
        ));
    };
    let Ok(crate::url::S3aUrl { bucket, .. }) = crate::url::parse(uri) else {
        // Not quoted: a value in the wrong place may be a secret.
        return fail("the s3a://BUCKET argument is not an s3a://bucket URI (value not shown)");
    };
    let Some(path) =
        token_file.or_else(|| std::env::var_os("HADOOP_TOKEN_FILE_LOCATION").map(PathBuf::from))
    else {
        return fail("no --token-file and HADOOP_TOKEN_FILE_LOCATION is not set");
    };
    let conf = match crate::load_conf(&[], defines) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let file = match TokenFile::read_path(&path) {
        Ok((f, _)) => f,
        Err(e) => return fail(e),
    };
    let id = match identifier_for_bucket(&file, bucket, &conf, now_ms()) {
        Ok(id) => id,
        Err(e) => return fail(format!("{}: {e}", path.display())),
    };
    let c = &id.credentials;
    let token = (!c.session_token.is_empty()).then(|| c.session_token.expose());
    let expiry = (c.expiration != 0).then(|| iso_date_time_utc(c.expiration));
    match format {
        "env" => {
            println!("export AWS_ACCESS_KEY_ID={}", sh(&c.access_key));
            println!("export AWS_SECRET_ACCESS_KEY={}", sh(c.secret_key.expose()));
            match token {
                Some(t) => println!("export AWS_SESSION_TOKEN={}", sh(t)),
                None => println!("unset AWS_SESSION_TOKEN"),
            }
        }
        "json" => {
            let v = json!({
                "accessKeyId": c.access_key, "secretAccessKey": c.secret_key.expose(),
                "sessionToken": token, "expiration": expiry, "expirationMillis": (c.expiration != 0).then_some(c.expiration),
                "kind": id.kind.as_str(), "bucket": bucket,
            });
            println!("{v}");
        }
        _ => {
            let mut v = json!({"Version": 1, "AccessKeyId": c.access_key, "SecretAccessKey": c.secret_key.expose()});
            if let Some(t) = token {
                v["SessionToken"] = t.into();
            }
            if let Some(e) = expiry {
                v["Expiration"] = e.into();
            }
            println!("{v}");
        }
    }
    true
}
