//! `s3adt uploads` against a real moto server: multipart uploads left open by an ordinary AWS
//! client (boto3) are listed under a prefix, filtered by age, and aborted only after a yes (or
//! with --force); boto3 checks what is left. moto answers ListMultipartUploads in one page and
//! with one fixed initiation time (2010-11-10T20:48:33Z) for every upload: paging over markers
//! and ages measured in seconds are checked on Ceph RGW (cli_rgw.rs).

mod common;
#[path = "../../core/tests/common/moto.rs"]
mod moto;

use common::s3adt_isolated;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BOTO: &str = r#"
import boto3, sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="k", aws_secret_access_key="s")
op, bucket = sys.argv[2], sys.argv[3]
if op == "bucket":
    s3.create_bucket(Bucket=bucket)
elif op == "start":
    for key in sys.argv[4:]:
        s3.create_multipart_upload(Bucket=bucket, Key=key)
elif op == "left":
    ups = s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    print(" ".join(sorted(u["Key"] for u in ups)))
"#;

fn boto(endpoint: &str, args: &[&str]) -> String {
    let out = moto::python(BOTO, &[&[endpoint], args].concat(), "boto3");
    String::from_utf8(out).unwrap().trim().to_owned()
}

fn settings(endpoint: &str) -> Vec<String> {
    [
        format!("fs.s3a.endpoint={endpoint}"),
        "fs.s3a.endpoint.region=us-east-1".into(),
        "fs.s3a.path.style.access=true".into(),
        "fs.s3a.access.key=k".into(),
        "fs.s3a.secret.key=s".into(),
    ]
    .into_iter()
    .flat_map(|d| ["-D".to_owned(), d])
    .collect()
}

/// `s3adt uploads SETTINGS ARGS`, `stdin` as its standard input.
fn uploads(endpoint: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_s3adt"))
        .arg("uploads")
        .args(settings(endpoint))
        .args(args)
        .env_remove("HADOOP_CONF_DIR")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn lists_filters_by_age_and_aborts_only_when_confirmed() {
    let moto = moto::Moto::start();
    let ep = moto.endpoint.as_str();
    boto(ep, &["bucket", "ups"]);
    // Two uploads of one key, two more under data/, one elsewhere.
    boto(
        ep,
        &[
            "start", "ups", "data/a", "data/a", "data/b", "data/c/d", "other/x",
        ],
    );

    let out = uploads(ep, &["s3a://ups/data/"], "");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(lines[4], "Total 4 uploads found.");
    for (line, key) in lines.iter().zip(["data/a", "data/a", "data/b", "data/c/d"]) {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 3, "path, upload id, initiated: {line}");
        assert_eq!(fields[0], format!("s3a://ups/{key}"));
        assert!(!fields[1].is_empty());
        assert_eq!(
            fields[2], "2010-11-10T20:48:33Z",
            "moto's fixed time: {line}"
        );
    }
    assert_ne!(
        lines[0].split(' ').nth(1),
        lines[1].split(' ').nth(1),
        "two uploads of data/a"
    );

    // moto's uploads date from 2010: older than a day, not older than a century.
    let out = uploads(ep, &["--older-than", "1d", "s3a://ups/data/"], "");
    assert!(
        text(&out).0.ends_with("Total 4 uploads found.\n"),
        "{:?}",
        text(&out)
    );
    let out = uploads(ep, &["--older-than", "36500d", "s3a://ups/"], "");
    assert_eq!(text(&out).0, "Total 0 uploads found.\n");

    // Not confirmed: nothing aborted.
    for answer in ["no\n", ""] {
        let out = uploads(
            ep,
            &["--older-than", "1h", "--abort", "s3a://ups/data/"],
            answer,
        );
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
        assert!(
            stderr.contains("Abort 4 uploads under s3a://ups/data/? (yes/no)"),
            "{stderr}"
        );
        assert!(stderr.contains("nothing aborted"), "{stderr}");
    }
    assert_eq!(
        boto(ep, &["left", "ups"]),
        "data/a data/a data/b data/c/d other/x"
    );

    let out = uploads(
        ep,
        &["--older-than", "1h", "--abort", "s3a://ups/data/"],
        "yes\n",
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stdout.matches("Aborted s3a://ups/data/").count(),
        4,
        "{stdout}"
    );
    assert!(stdout.ends_with("Total 4 uploads aborted.\n"), "{stdout}");
    assert_eq!(boto(ep, &["left", "ups"]), "other/x");

    // --force: no question; nothing left under data/ (no question either way).
    let out = uploads(ep, &["--abort", "--force", "s3a://ups/data"], "");
    assert_eq!(text(&out).0, "Total 0 uploads aborted.\n");
    boto(ep, &["start", "ups", "data/again"]);
    let out = uploads(ep, &["--abort", "--force", "s3a://ups/"], "");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("yes/no"), "{stderr}");
    assert!(stdout.ends_with("Total 2 uploads aborted.\n"), "{stdout}");
    assert_eq!(boto(ep, &["left", "ups"]), "");

    // No such bucket: S3A's exit code 44.
    let out = uploads(ep, &["s3a://no-such-bucket/"], "");
    assert_eq!(out.status.code(), Some(44), "{:?}", text(&out));
}

#[test]
fn bad_arguments_are_refused_before_any_request() {
    // Port 9 (discard): nothing is asked of it, each case fails first.
    let ep = "http://127.0.0.1:9";
    for (args, expect) in [
        (
            &["--older-than", "soon", "s3a://bkt/"][..],
            "--older-than: not a whole number",
        ),
        (
            &["--older-than=-1s", "s3a://bkt/"][..],
            "--older-than: a duration cannot be negative",
        ),
        (&["--force", "s3a://bkt/"][..], "--force goes with --abort"),
        (
            &["hdfs://nn/x"][..],
            "expected s3a://BUCKET/PREFIX (value not shown)",
        ),
        (
            &["s3a:///x"][..],
            "expected s3a://BUCKET/PREFIX (value not shown)",
        ),
    ] {
        let out = uploads(ep, args, "");
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(40), "{args:?}: {stderr}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
    }
    let out = s3adt_isolated(&["uploads", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in ["--older-than", "--abort", "--force", "--token-file"] {
        assert!(help.contains(flag), "{help}");
    }
}
