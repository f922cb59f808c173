//! `s3adt bucket-info` against a real moto: what it prints, that no secret is among it, and the
//! exit codes a script branches on (S3A's tool's: 44 no bucket, 46 a requirement not met).

#[path = "../../core/tests/common/moto.rs"]
mod moto;

use std::process::{Command, Output};

fn s3adt(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_s3adt"))
        .args(args)
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("HADOOP_TOKEN_FILE_LOCATION")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `out` exited with `code` and its output says `says`.
fn exits_saying(out: &Output, code: i32, says: &str) {
    let t = text(out);
    assert_eq!(out.status.code(), Some(code), "{t}");
    assert!(t.contains(says), "{t}");
}

#[test]
fn bucket_info_reports_settings_signer_and_answer_with_s3as_exit_codes() {
    let moto = moto::Moto::start();
    let (ak, sk, _) = moto.setup_iam();
    let conf = |extra: &[&str]| -> Vec<String> {
        let mut v = vec!["bucket-info".to_owned()];
        for d in [
            format!("fs.s3a.endpoint={}", moto.endpoint),
            "fs.s3a.endpoint.region=us-east-1".to_owned(),
            "fs.s3a.path.style.access=true".to_owned(),
            format!("fs.s3a.access.key={ak}"),
            format!("fs.s3a.secret.key={sk}"),
            format!("fs.s3a.assumed.role.sts.endpoint={}", moto.endpoint),
            "fs.s3a.assumed.role.sts.endpoint.region=us-east-1".to_owned(),
            "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding".to_owned(),
        ] {
            v.push("-D".into());
            v.push(d);
        }
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };

    // The chain signs; the bucket answers.
    let out = s3adt(&conf(&["s3a://bucket-a"]));
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    for want in [
        "Filesystem s3a://bucket-a",
        &format!("Endpoint: fs.s3a.endpoint={}", moto.endpoint),
        "Path style access: fs.s3a.path.style.access=true",
        "Encryption: none",
        "S3A Committer name: fs.s3a.committer.name=file",
        "Delegation Support enabled: token kind = S3ADelegationToken/Session (Session binding)",
        "Hadoop security mode: simple",
        &format!("Signed by: SimpleAWSCredentialsProvider (access key {ak})"),
        "HEAD s3a://bucket-a: it answers",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    assert!(!t.contains(&sk), "the secret key is printed:\n{t}");

    // No such bucket: 44, naming it.
    let out = s3adt(&conf(&["s3a://no-such-bucket"]));
    assert_eq!(out.status.code(), Some(44), "{}", text(&out));
    assert!(
        text(&out).contains("HEAD s3a://no-such-bucket:"),
        "{}",
        text(&out)
    );

    // Requirements not met: 46 with S3A's texts.
    let out = s3adt(&conf(&["--encryption", "SSE-KMS", "s3a://bucket-a"]));
    assert_eq!(out.status.code(), Some(46), "{}", text(&out));
    assert!(
        text(&out).contains(
            "Bucket s3a://bucket-a: required encryption is SSE-KMS but actual encryption is none"
        ),
        "{}",
        text(&out)
    );
    let out = s3adt(&conf(&["--magic", "s3a://bucket-a"]));
    assert_eq!(out.status.code(), Some(46), "{}", text(&out));
    assert!(text(&out).contains("The magic committer is not enabled for s3a://bucket-a"));
    let out = s3adt(&conf(&["--token", "s3a://bucket-a"]));
    assert_eq!(out.status.code(), Some(46), "{}", text(&out));

    // Delegation off: said, and --delegation fails.
    let out = s3adt(&rebuild_without_binding(&conf(&[
        "--delegation",
        "--no-probe",
        "s3a://bucket-a",
    ])));
    exits_saying(&out, 46, "Delegation token support is disabled");

    // A token file's token signs: fetch one, then bucket-info --token with it.
    let dir = std::env::temp_dir().join(format!("s3adt-bucket-info-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.token");
    let mut fetch = conf(&["s3a://bucket-a", file.to_str().unwrap()]);
    fetch[0] = "fetch".into();
    let out = s3adt(&fetch);
    assert!(out.status.success(), "{}", text(&out));
    let out = s3adt(&conf(&[
        "--token",
        "--json",
        "--token-file",
        file.to_str().unwrap(),
        "s3a://bucket-a",
    ]));
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["signer"]["kind"], "token", "{t}");
    assert_eq!(
        v["signer"]["token_kind"], "S3ADelegationToken/Session",
        "{t}"
    );
    assert_eq!(v["signer"]["expired"], false, "{t}");
    assert!(v["probe_error"].is_null(), "{t}");
    assert!(!t.contains(&sk), "{t}");

    // A bad setting: 40, naming the key.
    let out = s3adt(&conf(&[
        "-D",
        "fs.s3a.multipart.size=lots",
        "s3a://bucket-a",
    ]));
    exits_saying(&out, 40, "fs.s3a.multipart.size");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The arguments without the `-D fs.s3a.delegation.token.binding=...` pair.
fn rebuild_without_binding(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "-D"
            && args
                .get(i + 1)
                .is_some_and(|v| v.contains("delegation.token.binding"))
        {
            i += 2;
            continue;
        }
        out.push(args[i].clone());
        i += 1;
    }
    out
}
