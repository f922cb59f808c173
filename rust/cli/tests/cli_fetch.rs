//! `s3adt fetch` and `s3adt credentials` as a user runs them: the real binary, tokens fetched
//! with full credentials (no STS), credentials printed from real token files, and the argument
//! and configuration errors, which never quote a secret.

#[path = "../../token/tests/common/cases.rs"]
mod cases;
mod common;

use common::{failed_saying, s3adt, tmp};
use s3adt_token::{EncryptionLayout, Token, TokenFile, TokenFileFormat};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const FULL: &str = "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding";

fn s3adt_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_s3adt"));
    c.args(args)
        .env_remove("AWS_ACCESS_KEY")
        .env_remove("AWS_SECRET_KEY")
        .env_remove("AWS_SESSION_TOKEN");
    c.env_remove("HADOOP_CONF_DIR")
        .env_remove("HADOOP_TOKEN_FILE_LOCATION");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

// duplicates: deliberate. Each test's list of -D settings is its own data; two lists
// of strings look alike.
/// `fetch`, `-D` before each of `defines`, then `rest`.
fn fetch_args<'a>(defines: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["fetch"];
    for d in defines {
        args.extend(["-D", d]);
    }
    args.extend(rest);
    args
}

#[test]
fn fetch_full_tokens_per_bucket_and_append() {
    let out_file = tmp("fetched.token");
    let path = out_file.to_str().unwrap();
    let out = s3adt_env(
        &fetch_args(
            &[
                FULL,
                "fs.s3a.access.key=AKIABASE",
                "fs.s3a.secret.key=basesecret",
                "fs.s3a.bucket.lake.access.key=AKIALAKE",
                "fs.s3a.bucket.lake.secret.key=lakesecret",
                "fs.s3a.bucket.lake.encryption.algorithm=SSE-KMS",
                "fs.s3a.bucket.lake.encryption.key=arn:kms:k",
            ],
            &[
                "--renewer",
                "yarn",
                "--format",
                "protobuf",
                "s3a://lake",
                "s3a://other/some/path",
                path,
            ],
        ),
        &[("HADOOP_USER_NAME", "carol")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (file, format) = TokenFile::read_path(&out_file).unwrap();
    assert_eq!(format, TokenFileFormat::Protobuf);
    let lake = file
        .token(&"s3a://lake".into())
        .unwrap()
        .decode_s3a_identifier()
        .unwrap();
    assert_eq!(lake.credentials.access_key, "AKIALAKE");
    assert_eq!(lake.encryption.algorithm, "SSE-KMS");
    assert_eq!(lake.base.owner.to_string(), "carol");
    assert_eq!(lake.base.renewer.to_string(), "yarn");
    let other = file
        .token(&"s3a://other".into())
        .unwrap()
        .decode_s3a_identifier()
        .unwrap();
    assert_eq!(other.credentials.access_key, "AKIABASE");
    assert_eq!(other.uri, "s3a://other");
    assert!(other
        .origin
        .ends_with("; source = Hadoop configuration data"));
    let printed = s3adt(&["print", path]);
    let text = String::from_utf8(printed.stdout).unwrap();
    assert!(
        !text.contains("lakesecret") && !text.contains("basesecret") && !text.contains("arn:kms:k")
    );

    // --append adds a bucket and keeps the others; credentials from the environment.
    let out = s3adt_env(
        &["fetch", "-D", FULL, "--append", "s3a://third", path],
        &[
            ("AWS_ACCESS_KEY", "AKIAENV"),
            ("AWS_SECRET_KEY", "envsecret"),
            ("AWS_SESSION_TOKEN", "envtoken"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (file, format) = TokenFile::read_path(&out_file).unwrap();
    assert_eq!(
        format,
        TokenFileFormat::Writable,
        "--format defaults to java, as fetchdt"
    );
    assert_eq!(file.tokens().len(), 3);
    let third = file
        .token(&"s3a://third".into())
        .unwrap()
        .decode_s3a_identifier()
        .unwrap();
    assert!(third.origin.ends_with("; source = Environment variables"));
    assert_eq!(third.credentials.session_token.expose(), "envtoken");
}

#[test]
fn fetch_failures_are_clear_and_write_nothing() {
    let out_file = tmp("never-written.token");
    let path = out_file.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["fetch", "s3a://bkt", path], "s3a://bkt: Delegation tokens are not enabled"),
        (&["fetch", "-D", FULL, "s3a://bkt", path], "s3a://bkt: no credentials in configuration or environment variables:  No AWS credentials"),
        (&["fetch", "-D", "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenBinding", "s3a://bkt", path], "s3a://bkt: No role ARN defined in fs.s3a.assumed.role.arn"),
        (&["fetch", "-D", "fs.s3a.delegation.token.binding=x.Y", "s3a://bkt", path], "unknown delegation token binding \"x.Y\""),
        (&["fetch", "-D", FULL, "hdfs://nn/", path], "argument 1 is not an s3a:// URI (value not shown); expected s3a://BUCKET... then the output FILE"),
        (&["fetch", "--format", "xml", "s3a://bkt", path], "--format takes java or protobuf"),
        (&["fetch", "-D", "novalue", "s3a://bkt", path], "-D takes key=value"),
        (&["fetch", "-D", FULL, "-D", "fs.s3a.access.key=a", "-D", "fs.s3a.secret.key=b", "-D", "fs.s3a.encryption.algorithm=ROT13", "s3a://bkt", path], "bad value for fs.s3a.encryption.algorithm"),
        // no token, not even a Full one, for a name that is not a bucket (a Role policy over every bucket)
        (&["fetch", "-D", FULL, "-D", "fs.s3a.access.key=a", "-D", "fs.s3a.secret.key=b", "s3a://*", path], "\"*\" is not an S3 bucket name"),
    ];
    for (args, expected) in cases {
        let out = s3adt_env(args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!out_file.exists(), "{args:?} wrote a file");
    }
}

/// A token file with one Session token for `bucket` expiring at `expiration`.
fn session_token_file(name: &str, bucket: &str, expiration: i64) -> PathBuf {
    let c = cases::load(&cases::default_path(), EncryptionLayout::V1);
    let mut id = c.cases[0].id.clone();
    id.uri = format!("s3a://{bucket}");
    id.credentials.expiration = expiration;
    let mut f = TokenFile::new();
    let service = format!("s3a://{bucket}");
    f.add_token(
        service.as_str().into(),
        Token::from_s3a(&id, service.as_str()).unwrap(),
    );
    let path = tmp(name);
    f.write_path(&path, TokenFileFormat::Protobuf).unwrap();
    path
}

#[test]
fn credentials_prints_what_the_token_carries_in_three_formats() {
    let far = 4102444800000; // 2100-01-01
    let path = session_token_file("creds.token", "lake", far);
    let p = path.to_str().unwrap();
    let out = s3adt_env(&["credentials", "--token-file", p, "s3a://lake"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "export AWS_ACCESS_KEY_ID='ASIAEXAMPLEACCESS01'\nexport AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG+SECRET01'\nexport AWS_SESSION_TOKEN='FwoGZXIvYXdzSESSIONTOKEN01//+=='\n"
    );
    let out = s3adt_env(
        &[
            "credentials",
            "--format",
            "credential-process",
            "s3a://lake/any/path",
        ],
        &[("HADOOP_TOKEN_FILE_LOCATION", p)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Version"], 1);
    assert_eq!(v["AccessKeyId"], "ASIAEXAMPLEACCESS01");
    assert_eq!(v["SessionToken"], "FwoGZXIvYXdzSESSIONTOKEN01//+==");
    assert_eq!(v["Expiration"], "2100-01-01T00:00:00Z");
    let out = s3adt_env(
        &[
            "credentials",
            "--format",
            "json",
            "--token-file",
            p,
            "s3a://lake",
        ],
        &[],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["expirationMillis"].as_i64()),
        (Some("S3ADelegationToken/Session"), Some(far))
    );
}

#[test]
fn credentials_refuses_expired_mismatched_and_missing_tokens() {
    let expired = session_token_file("expired.token", "lake", 1700003600000);
    let p = expired.to_str().unwrap();
    let out = s3adt_env(&["credentials", "--token-file", p, "s3a://lake"], &[]);
    failed_saying(
        &out,
        "the delegation token for s3a://lake expired at 2023-11-14T23:13:20Z",
    );
    assert!(
        out.stdout.is_empty(),
        "nothing printed for an expired token"
    );

    let good = session_token_file("good.token", "lake", 4102444800000);
    let g = good.to_str().unwrap();
    let out = s3adt_env(
        &["credentials", "--token-file", g, "-D", FULL, "s3a://lake"],
        &[],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Token mismatch: expected token for s3a://lake of type S3ADelegationToken/Full but got a token of type S3ADelegationToken/Session"), "{err}");
    let out = s3adt_env(&["credentials", "--token-file", g, "s3a://other"], &[]);
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no delegation token for s3a://other"));
    let out = s3adt_env(&["credentials", "s3a://lake"], &[]);
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no --token-file and HADOOP_TOKEN_FILE_LOCATION is not set"));
    let out = s3adt_env(
        &[
            "credentials",
            "--token-file",
            g,
            "--format",
            "yaml",
            "s3a://lake",
        ],
        &[],
    );
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("--format takes env, json or credential-process"));
}

/// Review H2/L1: a value that names a secret key (`${fs.s3a.secret.key}`) is never expanded,
/// so the failure names the key that holds the reference, not the secret; a `-D` argument
/// without `=` (a secret typed in the wrong place) is not quoted back.
#[test]
fn configuration_errors_never_quote_a_secret() {
    const MARKER: &str = "MARKER-SECRET-h2cli";
    let out_file = tmp("h2-never-written.token");
    let path = out_file.to_str().unwrap();
    let secret = format!("fs.s3a.secret.key={MARKER}");
    let no_equals = format!("fs.s3a.secret.key:{MARKER}");
    let cases: &[(Vec<&str>, &str)] = &[
        (
            vec![
                "fetch",
                "-D",
                "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding",
                "-D",
                // Never reached: the configuration fails first.
                "fs.s3a.assumed.role.sts.endpoint=http://127.0.0.1:1",
                "-D",
                "fs.s3a.assumed.role.sts.endpoint.region=us-east-1",
                "-D",
                "fs.s3a.access.key=AKIAEXAMPLE",
                "-D",
                &secret,
                "-D",
                "fs.s3a.retry.limit=${fs.s3a.secret.key}",
                "s3a://bucket-a",
                path,
            ],
            "bad value for fs.s3a.retry.limit",
        ),
        (
            vec!["fetch", "-D", &no_equals, "s3a://bucket-a", path],
            "-D takes key=value",
        ),
        (
            vec!["credentials", "--token-file", path, "-D", &no_equals, "s3a://bucket-a"],
            "-D takes key=value",
        ),
    ];
    for (args, expected) in cases {
        let out = s3adt_env(args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            !err.contains(MARKER) && !stdout.contains(MARKER),
            "{args:?}"
        );
        assert!(!out_file.exists(), "{args:?} wrote a file");
    }
}

const SESSION: &str =
    "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding";

/// A value typed in the wrong place (here a secret key after an empty `-D ...secret.key=`) is
/// refused by its position, never quoted back.
#[test]
fn a_stray_argument_is_named_by_position_not_quoted() {
    const MARKER: &str = "MARKER-stray-SECRET-7f3a";
    let out_file = tmp("stray.token");
    let path = out_file.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["fetch", "-D", FULL, "-D", "fs.s3a.secret.key=", MARKER, "s3a://b", path],
            "s3adt fetch: argument 1 is not an s3a:// URI (value not shown)",
        ),
        (
            &["fetch", "-D", FULL, "s3a://a", MARKER, "s3a://b", path],
            "s3adt fetch: argument 2 is not an s3a:// URI (value not shown)",
        ),
        (
            &["credentials", "--token-file", path, MARKER],
            "s3adt credentials: the s3a://BUCKET argument is not an s3a://bucket URI (value not shown)",
        ),
        (
            &["credentials", "--token-file", path, "s3a://b", MARKER],
            "s3adt credentials: takes one s3a://BUCKET argument, got 2 (values not shown)",
        ),
    ];
    for (args, expected) in cases {
        let out = s3adt_env(args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        let all = format!("{err}{}", String::from_utf8_lossy(&out.stdout));
        assert!(err.contains(expected), "{expected}: {err}");
        assert!(!all.contains(MARKER), "the stray value is echoed: {all}");
        assert!(!out_file.exists());
    }
}

/// A fetch whose file cannot be written reports no token as issued, only the failure.
#[test]
fn fetch_reports_tokens_only_once_written() {
    let missing = tmp("no-such-dir").join("out.token");
    let path = missing.to_str().unwrap();
    let args = [
        "fetch",
        "-D",
        FULL,
        "-D",
        "fs.s3a.access.key=AKIAW",
        "-D",
        "fs.s3a.secret.key=wsecret",
        "s3a://one",
        "s3a://two",
        path,
    ];
    let out = s3adt_env(&args, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("token for"), "{err}");
    assert_eq!(
        err,
        format!("s3adt fetch: {path}: No such file or directory (os error 2); no token written\n")
    );
    // And when it is written, each token is reported, naming the file.
    let written = tmp("reported.token");
    let path = written.to_str().unwrap();
    let mut args = args;
    args[args.len() - 1] = path;
    let out = s3adt_env(&args, &[("HADOOP_USER_NAME", "wu")]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "s3adt fetch: S3ADelegationToken/Full token for s3a://one (owner wu), written to {path}\n\
             s3adt fetch: S3ADelegationToken/Full token for s3a://two (owner wu), written to {path}\n"
        )
    );
}

/// An STS that accepts connections and never answers: fetch says it is retrying (operation,
/// attempt, wait), gives up within its deadline, and reports no token.
#[test]
fn fetch_says_it_is_retrying_a_silent_sts() {
    const MARKER: &str = "MARKER-sts-SECRET-91c2";
    // Connections complete in the kernel's backlog; nothing ever reads or answers them.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!(
        "fs.s3a.assumed.role.sts.endpoint=http://{}",
        silent.local_addr().unwrap()
    );
    let out_file = tmp("silent-sts.token");
    let path = out_file.to_str().unwrap();
    let out = s3adt_env(
        &fetch_args(
            &[
                SESSION,
                "fs.s3a.access.key=AKIASILENT",
                &format!("fs.s3a.secret.key={MARKER}"),
                &endpoint,
                "fs.s3a.assumed.role.sts.endpoint.region=us-east-1",
                "fs.s3a.s3adt.sts.attempt.timeout=500ms",
                "fs.s3a.retry.interval=50ms",
                "fs.s3a.retry.limit=2",
                "fs.s3a.s3adt.retry.deadline=10s",
            ],
            &["s3a://quiet", path],
        ),
        &[],
    );
    drop(silent);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains(MARKER), "{err}");
    let retries: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("s3adt fetch: STS GetSessionToken: attempt "))
        .collect();
    assert_eq!(retries.len(), 2, "{err}");
    for (i, line) in retries.iter().enumerate() {
        assert!(
            line.starts_with(&format!(
                "s3adt fetch: STS GetSessionToken: attempt {} failed (",
                i + 1
            )) && line.contains("); retrying in "),
            "{line}"
        );
    }
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("s3adt fetch: s3a://quiet: STS GetSessionToken failed after 3 attempt(s)"),
        "{err}"
    );
    assert!(!err.contains("token for"), "{err}");
    assert!(!out_file.exists());
}

#[test]
fn fetch_writes_the_layout_its_readers_read_and_print_names_them() {
    let out_file = tmp("readers.token");
    let path = out_file.to_str().unwrap();
    let fetch = |extra: &[&str], buckets: &[&str]| {
        let mut args = vec!["fetch", "-D", FULL];
        for d in [
            "fs.s3a.access.key=AKIABASE",
            "fs.s3a.secret.key=basesecret",
            "fs.s3a.encryption.algorithm=SSE-KMS",
            "fs.s3a.encryption.key=arn:kms:k",
            "fs.s3a.encryption.context=project=lake",
        ] {
            args.extend(["-D", d]);
        }
        for d in extra {
            args.extend(["-D", *d]);
        }
        args.extend(buckets);
        args.push(path);
        s3adt_env(&args, &[("HADOOP_USER_NAME", "carol")])
    };
    let _ = std::fs::remove_file(&out_file);
    let out = fetch(
        &[
            "fs.s3a.s3adt.token.readers=3.4",
            "fs.s3a.bucket.lake.s3adt.token.readers=3.5",
            "fs.s3a.bucket.trunk.s3adt.token.encryption.layout=v2",
        ],
        &["s3a://lake", "s3a://old", "s3a://trunk", "s3a://plain"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (file, _) = TokenFile::read_path(&out_file).unwrap();
    let layout = |b: &str| {
        file.token(&format!("s3a://{b}").as_str().into())
            .unwrap()
            .decode_s3a_identifier()
            .unwrap()
            .encryption
    };
    assert_eq!(layout("lake").layout, EncryptionLayout::V1WithContext);
    // base64 of {"project":"lake"}, as hadoop-aws 3.5.0 carries fs.s3a.encryption.context
    assert_eq!(layout("lake").context.expose(), "eyJwcm9qZWN0IjoibGFrZSJ9");
    assert_eq!(layout("old").layout, EncryptionLayout::V1);
    assert_eq!(layout("plain").layout, EncryptionLayout::V1);
    assert_eq!(layout("trunk").layout, EncryptionLayout::V2);

    let printed = s3adt(&["print", "--json", path]);
    let v: Value = serde_json::from_slice(&printed.stdout).unwrap();
    let readers = |b: &str| {
        let o = v
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["service"] == format!("s3a://{b}"))
            .unwrap();
        (
            o["encryptionLayout"].as_str().unwrap().to_owned(),
            o["hadoopAwsReaders"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(readers("lake"), ("v1ctx".into(), "3.5.x".into()));
    assert_eq!(readers("old"), ("v1".into(), "3.3.0-3.4.x".into()));
    assert_eq!(readers("trunk"), ("v2".into(), "none".into()));
    let text = String::from_utf8(s3adt(&["print", path]).stdout).unwrap();
    assert!(
        text.contains("  readers         hadoop-aws 3.5.x\n"),
        "{text}"
    );
    assert!(
        text.contains("  readers         hadoop-aws 3.3.0-3.4.x\n"),
        "{text}"
    );
    assert!(
        text.contains("  readers         no hadoop-aws release\n"),
        "{text}"
    );
    assert!(!text.contains("project=lake") && !text.contains("arn:kms:k"));

    // no readers and no layout: V1, the command's default
    let _ = std::fs::remove_file(&out_file);
    let out = fetch(&[], &["s3a://plain"]);
    assert!(out.status.success());
    let (file, _) = TokenFile::read_path(&out_file).unwrap();
    let id = file.tokens()[0].1.decode_s3a_identifier().unwrap();
    assert_eq!(id.encryption.layout, EncryptionLayout::V1);

    // a readers value that is not a Hadoop version is a configuration error naming the key
    let _ = std::fs::remove_file(&out_file);
    let out = fetch(&["fs.s3a.s3adt.token.readers=latest"], &["s3a://plain"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fs.s3a.s3adt.token.readers"), "{err}");
    assert!(!out_file.exists());
}
