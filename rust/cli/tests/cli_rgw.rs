//! Enforcement on Ceph RGW, which (unlike moto) enforces session policies, signatures and
//! expiry: a Role token for bucket-a works on bucket-a and is denied on bucket-b; a Session token
//! works; an expired token is refused by RGW, and by s3adt before any call. An ordinary AWS
//! client (boto3) does the S3 calls with the credentials the token carries.
//!
//! The direct GET (s3adt's own SigV4 over a kept connection, `rust/core/src/store/direct.rs`)
//! is checked here too, RGW being a server that verifies each signature and keeps connections
//! alive: odd keys, ranges, session credentials, a wrong secret, a session policy.
//!
//! Needs a running RGW: `eval "$(tests/peers/rgw/up.sh DIR)"` exports S3ADT_RGW_*;
//! tests/run-all.sh does that and runs these with `--include-ignored`.

mod common;
#[path = "../../core/tests/common/moto.rs"]
mod moto;

use common::{failed_saying, s3adt_isolated as s3adt, tmp};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

struct Rgw {
    endpoint: String,
    ak: String,
    sk: String,
    role_arn: String,
}

fn rgw() -> Rgw {
    let var = |k: &str| {
        std::env::var(k).unwrap_or_else(|_| {
            panic!("{k} is not set: eval \"$(tests/peers/rgw/up.sh DIR)\" first")
        })
    };
    Rgw {
        endpoint: var("S3ADT_RGW_ENDPOINT"),
        ak: var("S3ADT_RGW_ADMIN_AK"),
        sk: var("S3ADT_RGW_ADMIN_SK"),
        role_arn: var("S3ADT_RGW_ROLE_ARN"),
    }
}

/// `s3adt fetch` for `bucket` with `binding` against RGW's STS, with extra -D settings.
/// `fetch`, which must succeed, then the credentials of the token it wrote for `bucket`.
fn fetched(r: &Rgw, binding: &str, bucket: &str, extra: &[&str], out: &Path) -> serde_json::Value {
    let o = fetch(r, binding, bucket, extra, out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    creds(out, bucket)
}

fn fetch(r: &Rgw, binding: &str, bucket: &str, extra: &[&str], out: &Path) -> Output {
    let mut args: Vec<String> = vec!["fetch".into()];
    for d in [
        format!(
            "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.{binding}"
        ),
        format!("fs.s3a.assumed.role.sts.endpoint={}", r.endpoint),
        "fs.s3a.assumed.role.sts.endpoint.region=us-east-1".into(),
        format!("fs.s3a.access.key={}", r.ak),
        format!("fs.s3a.secret.key={}", r.sk),
        format!("fs.s3a.assumed.role.arn={}", r.role_arn),
        // RGW rejects kms: actions in a session policy.
        "fs.s3a.s3adt.role.policy.kms=false".into(),
    ]
    .into_iter()
    .chain(extra.iter().map(|s| s.to_string()))
    {
        args.push("-D".into());
        args.push(d);
    }
    args.push(format!("s3a://{bucket}"));
    args.push(out.to_str().unwrap().into());
    s3adt(&args)
}

/// The token's credentials for `bucket`, as JSON.
fn creds(file: &Path, bucket: &str) -> serde_json::Value {
    let out = s3adt(&[
        "credentials".into(),
        "--format".into(),
        "json".into(),
        "--token-file".into(),
        file.to_str().unwrap().into(),
        format!("s3a://{bucket}"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One S3 call with boto3 and these credentials: `get`, `put` or `list` on `bucket`.
/// Returns Ok(output) or Err(error code).
fn s3(r: &Rgw, c: &serde_json::Value, op: &str, bucket: &str) -> Result<String, String> {
    let script = r#"
import boto3, botocore, sys
ep, ak, sk, tok, op, bucket = sys.argv[1:7]
s3 = boto3.client("s3", endpoint_url=ep, region_name="us-east-1", aws_access_key_id=ak,
                  aws_secret_access_key=sk, aws_session_token=tok or None,
                  config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
try:
    if op == "get":
        print(s3.get_object(Bucket=bucket, Key="hello.txt")["Body"].read().decode())
    elif op == "put":
        s3.put_object(Bucket=bucket, Key="written-by-token.txt", Body=b"x")
        print("put ok")
    else:
        print(len(s3.list_objects_v2(Bucket=bucket).get("Contents", [])))
except botocore.exceptions.ClientError as e:
    print(e.response["Error"]["Code"] or e.response["ResponseMetadata"]["HTTPStatusCode"], file=sys.stderr)
    sys.exit(3)
"#;
    let tok = c["sessionToken"].as_str().unwrap_or("");
    let out = Command::new("python3")
        .args([
            "-c",
            script,
            &r.endpoint,
            c["accessKeyId"].as_str().unwrap(),
            c["secretAccessKey"].as_str().unwrap(),
            tok,
            op,
            bucket,
        ])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    match out.status.code() {
        Some(0) => Ok(String::from_utf8(out.stdout).unwrap().trim().to_owned()),
        Some(3) => Err(String::from_utf8(out.stderr).unwrap().trim().to_owned()),
        _ => panic!("boto3 failed: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

#[test]
#[ignore = "needs Ceph RGW: run by tests/run-all.sh"]
fn role_token_is_confined_to_its_bucket() {
    let r = rgw();
    let c = fetched(&r, "RoleTokenBinding", "bucket-a", &[], &tmp("role.token"));
    assert_eq!(c["kind"], "S3ADelegationToken/Role");
    assert_eq!(s3(&r, &c, "get", "bucket-a"), Ok("hello from A".into()));
    assert_eq!(s3(&r, &c, "put", "bucket-a"), Ok("put ok".into()));
    assert_eq!(s3(&r, &c, "list", "bucket-a").map(|n| n != "0"), Ok(true));
    assert_eq!(
        s3(&r, &c, "get", "bucket-b"),
        Err("AccessDenied".into()),
        "the session policy confines the token to bucket-a"
    );
    assert_eq!(s3(&r, &c, "put", "bucket-b"), Err("AccessDenied".into()));

    // Without the inline policy (opt-in) the role's own s3:* applies: the policy is what confines.
    let file = tmp("role-nopolicy.token");
    let extra = ["fs.s3a.s3adt.role.inline.policy=false"];
    let c = fetched(&r, "RoleTokenBinding", "bucket-a", &extra, &file);
    assert_eq!(s3(&r, &c, "get", "bucket-b"), Ok("hello from B".into()));
}

#[test]
#[ignore = "needs Ceph RGW: run by tests/run-all.sh"]
fn session_token_works() {
    let r = rgw();
    let c = fetched(
        &r,
        "SessionTokenBinding",
        "bucket-b",
        &[],
        &tmp("session.token"),
    );
    assert_ne!(
        c["accessKeyId"],
        r.ak.as_str(),
        "temporary credentials, not the parent's"
    );
    assert_eq!(s3(&r, &c, "get", "bucket-b"), Ok("hello from B".into()));
    // 30 minutes unless configured, as core-default.xml.
    let minutes = (c["expirationMillis"].as_i64().unwrap() - s3adt_core::auth::consume::now_ms())
        as f64
        / 60000.0;
    assert!((minutes - 30.0).abs() < 2.0, "{minutes}");
}

#[test]
#[ignore = "needs Ceph RGW: run by tests/run-all.sh"]
fn expired_token_is_refused_by_rgw_and_by_s3adt_first() {
    let r = rgw();
    let file = tmp("short.token");
    let extra = ["fs.s3a.assumed.role.session.duration=4s"];
    let c = fetched(&r, "RoleTokenBinding", "bucket-a", &extra, &file);
    assert_eq!(s3(&r, &c, "get", "bucket-a"), Ok("hello from A".into()));
    let expiry = c["expirationMillis"].as_i64().unwrap();
    let wait = expiry - s3adt_core::auth::consume::now_ms() + 1000;
    std::thread::sleep(Duration::from_millis(wait.max(0) as u64));
    // RGW refuses the expired credentials (RGW says AccessDenied; it has no ExpiredToken code).
    assert_eq!(s3(&r, &c, "get", "bucket-a"), Err("AccessDenied".into()));
    // s3adt refuses before any call, naming the expiry.
    let out = s3adt(&[
        "credentials",
        "--token-file",
        file.to_str().unwrap(),
        "s3a://bucket-a",
    ]);
    let err = failed_saying(&out, "the delegation token for s3a://bucket-a expired at ");
    assert!(
        err.contains(&s3adt_token::javatime::iso_date_time_utc(expiry)),
        "{err}"
    );
}

/// An S3 store on RGW's `bucket` signing with these keys, through the direct GET or the SDK.
fn rgw_store(
    r: &Rgw,
    bucket: &str,
    keys: (&str, &str, Option<&str>),
    direct: bool,
) -> std::sync::Arc<s3adt_core::store::S3Store> {
    let mut c = s3adt_core::conf::Configuration::new();
    c.set("fs.s3a.endpoint", r.endpoint.as_str());
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.access.key", keys.0);
    c.set("fs.s3a.secret.key", keys.1);
    let provider = match keys.2 {
        Some(token) => {
            c.set("fs.s3a.session.token", token);
            "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider"
        }
        None => "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    };
    c.set("fs.s3a.aws.credentials.provider", provider);
    c.set("fs.s3a.retry.limit", "0");
    c.set(
        "fs.s3a.s3adt.direct.requests",
        if direct { "true" } else { "false" },
    );
    let s = s3adt_core::store::S3Store::new(bucket, &c, None).unwrap();
    assert_eq!(s.direct_connections().is_some(), direct);
    std::sync::Arc::new(s)
}

/// Read `key` whole with a stream (length unknown: its first GET is a ranged one), and bytes
/// 3..9 with a ranged GET; or the error's text.
fn rgw_read(
    s: &std::sync::Arc<s3adt_core::store::S3Store>,
    key: &str,
) -> Result<(Vec<u8>, Vec<u8>), String> {
    s3adt_core::runtime::block_on(async {
        let mut r = s.open_read(key, None).await?;
        let mut out = vec![0u8; r.length() as usize];
        let mut at = 0;
        while at < out.len() {
            at += r.read(at as u64, &mut out[at..]).await?.unwrap_or(0);
        }
        let range = s.get_range(key, 3, 6).await?;
        Ok::<_, s3adt_core::store::S3Error>((out, range.to_vec()))
    })
    .map_err(|e| e.to_string())
}

#[test]
#[ignore = "needs Ceph RGW: run by tests/run-all.sh"]
fn direct_gets_are_signed_as_rgw_verifies_and_keep_their_connection() {
    let r = rgw();
    let admin = (r.ak.as_str(), r.sk.as_str(), None);
    let direct = rgw_store(&r, "bucket-a", admin, true);
    let body: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let keys = [
        "direct/plain",
        "direct/a b+c=d&e;f,g@h$i!j'k(l)m*n",
        "direct/ünï/çødé",
        "direct/per%cent%2Fslash",
        "direct/tilde~dot.dash-under_score",
    ];
    for key in keys {
        s3adt_core::runtime::block_on(direct.put_object(key, body.clone().into())).unwrap();
        let (whole, range) = rgw_read(&direct, key).unwrap();
        assert!(
            whole == body && range == body[3..9],
            "{key} read back differs"
        );
    }
    for _ in 0..20 {
        assert_eq!(rgw_read(&direct, keys[0]).unwrap().1, body[3..9]);
    }
    // 65 GETs on one connection: the 64 KiB first GET of each stream is read to its end.
    assert_eq!(direct.direct_connections(), Some(1));
    // A stream that stops reading drops its open GET: that connection is closed, the next
    // GET opens another, and the bytes are still right.
    s3adt_core::runtime::block_on(async {
        let mut r = direct
            .open_read(keys[0], Some(body.len() as u64))
            .await
            .unwrap();
        let mut buf = [0u8; 100];
        assert_eq!(r.read(0, &mut buf).await.unwrap(), Some(100));
        assert_eq!(buf[..], body[..100]);
    });
    assert_eq!(rgw_read(&direct, keys[2]).unwrap().0, body);
    assert_eq!(direct.direct_connections(), Some(2));
    // A GET of a MiB or more goes through the SDK: no direct connection for it.
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i * 13 % 253) as u8).collect();
    s3adt_core::runtime::block_on(direct.put_object("direct/big", big.clone().into())).unwrap();
    let connections = direct.direct_connections();
    for _ in 0..3 {
        s3adt_core::runtime::block_on(async {
            let mut r = direct
                .open_read("direct/big", Some(big.len() as u64))
                .await
                .unwrap();
            let mut got = vec![0u8; big.len()];
            let mut at = 0;
            while at < got.len() {
                let end = (at + 1_000_000).min(got.len());
                at += r.read(at as u64, &mut got[at..end]).await.unwrap().unwrap();
            }
            assert!(got == big, "the pumped read differs");
        });
    }
    assert_eq!(direct.direct_connections(), connections);

    // A wrong secret: RGW refuses the signature (with AccessDenied and an empty message), and
    // the error reads as the SDK's.
    let wrong = (r.ak.as_str(), "not-the-secret", None);
    let denied = rgw_read(&rgw_store(&r, "bucket-a", wrong, true), keys[1]).unwrap_err();
    assert_eq!(
        denied,
        rgw_read(&rgw_store(&r, "bucket-a", wrong, false), keys[1]).unwrap_err()
    );
    assert!(denied.ends_with(": AccessDenied (HTTP 403)"), "{denied}");

    // A Role token's session credentials (x-amz-security-token signed): its bucket is
    // readable, the other is denied by the session policy.
    let c = fetched(
        &r,
        "RoleTokenBinding",
        "bucket-a",
        &[],
        &tmp("direct-role.token"),
    );
    let session = (
        c["accessKeyId"].as_str().unwrap(),
        c["secretAccessKey"].as_str().unwrap(),
        c["sessionToken"].as_str(),
    );
    let mine = rgw_store(&r, "bucket-a", session, true);
    let (hello, _) = rgw_read(&mine, "hello.txt").unwrap();
    assert_eq!(hello, b"hello from A");
    s3adt_core::runtime::block_on(mine.put_object("direct/by-role", b"role".to_vec().into()))
        .unwrap();
    assert_eq!(rgw_read(&direct, "direct/by-role").unwrap().0, b"role");
    let put = |direct| {
        let s = rgw_store(&r, "bucket-b", session, direct);
        s3adt_core::runtime::block_on(s.put_object("direct/by-role", b"x".to_vec().into()))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(put(true), put(false));
    // HEAD (getFileStatus): the same metadata either way, and the same refusal.
    let head = |bucket: &str, key: &str, direct| {
        let s = rgw_store(&r, bucket, session, direct);
        s3adt_core::runtime::block_on(s.head(key)).map_err(|e| e.to_string())
    };
    let meta = head("bucket-a", "direct/by-role", true).unwrap().unwrap();
    assert_eq!(
        Some(meta.clone()),
        head("bucket-a", "direct/by-role", false).unwrap()
    );
    assert_eq!(meta.length, 4);
    assert_eq!(head("bucket-a", "direct/none", true), Ok(None));
    let refused = head("bucket-b", "hello.txt", true).unwrap_err();
    assert_eq!(refused, head("bucket-b", "hello.txt", false).unwrap_err());
    assert!(refused.ends_with("Forbidden (HTTP 403)"), "{refused}");
    assert!(put(true).starts_with("putObject on s3a://bucket-b/direct/by-role: AccessDenied"));
    let other = rgw_read(&rgw_store(&r, "bucket-b", session, true), "hello.txt").unwrap_err();
    assert_eq!(
        other,
        rgw_read(&rgw_store(&r, "bucket-b", session, false), "hello.txt").unwrap_err()
    );
    assert!(other.contains("AccessDenied"), "{other}");
}

#[test]
#[ignore = "needs Ceph RGW: run by tests/run-all.sh"]
fn rgw_sts_errors_surface_in_its_own_words() {
    let r = rgw();
    let file = tmp("never.token");
    // (binding, one setting, what the error says); `fetch` exits 1 (ExitCode::FAILURE).
    let cases: [(&str, &str, &[&str]); 4] = [
        // hadoop-aws's policy with its KMS statement: RGW calls it malformed; the error says
        // what to do.
        (
            "RoleTokenBinding",
            "fs.s3a.s3adt.role.policy.kms=true",
            &[
                "STS AssumeRole failed after 1 attempt(s): MalformedPolicyDocument",
                "set fs.s3a.s3adt.role.policy.kms=false",
            ],
        ),
        // GetSessionToken below RGW's 900 s minimum.
        (
            "SessionTokenBinding",
            "fs.s3a.assumed.role.session.duration=5s",
            &["STS GetSessionToken failed after 1 attempt(s): InvalidArgument"],
        ),
        // A role that does not exist.
        (
            "RoleTokenBinding",
            "fs.s3a.assumed.role.arn=arn:aws:iam:::role/no-such-role",
            &["STS AssumeRole failed after 1 attempt(s): NoSuchEntity"],
        ),
        // Wrong parent secret.
        (
            "SessionTokenBinding",
            "fs.s3a.secret.key=wrong",
            &["STS GetSessionToken failed after 1 attempt(s): AccessDenied"],
        ),
    ];
    for (binding, setting, says) in cases {
        let out = fetch(&r, binding, "bucket-a", &[setting], &file);
        for s in says {
            failed_saying(&out, s);
        }
    }
    assert!(!file.exists());
}

/// `s3adt uploads` on RGW, which (unlike moto) pages ListMultipartUploads and dates each upload:
/// six uploads over pages of two, `--older-than` by seconds, and a Role token for bucket-a that
/// aborts there, while its credentials are refused on bucket-b with the IAM action named.
#[test]
#[ignore = "needs Ceph RGW: run by tests/run-all.sh"]
fn uploads_page_by_markers_filter_by_age_and_name_the_denied_action() {
    let r = rgw();
    let boto = |args: &[&str]| {
        let script = r#"
import boto3, botocore, sys
ep, ak, sk, op, bucket = sys.argv[1:6]
s3 = boto3.client("s3", endpoint_url=ep, region_name="us-east-1", aws_access_key_id=ak,
                  aws_secret_access_key=sk, config=botocore.config.Config(s3={"addressing_style": "path"}))
if op == "start":
    for key in sys.argv[6:]:
        s3.create_multipart_upload(Bucket=bucket, Key=key)
else:
    ups = s3.list_multipart_uploads(Bucket=bucket, Prefix="uploads-cli/").get("Uploads", [])
    print(" ".join(sorted(u["Key"] for u in ups)))
"#;
        let ep = [r.endpoint.as_str(), &r.ak, &r.sk];
        let out = moto::python(script, &[&ep[..], args].concat(), "boto3");
        String::from_utf8(out).unwrap().trim().to_owned()
    };
    let uploads = |defines: &[String], args: &[&str]| {
        let mut all: Vec<String> = vec!["uploads".into()];
        for d in [
            format!("fs.s3a.endpoint={}", r.endpoint),
            "fs.s3a.endpoint.region=us-east-1".into(),
            "fs.s3a.path.style.access=true".into(),
            // Two a page: the listing follows the key and upload-id markers.
            "fs.s3a.paging.maximum=2".into(),
        ]
        .iter()
        .chain(defines)
        {
            all.push("-D".into());
            all.push(d.clone());
        }
        all.extend(args.iter().map(|s| s.to_string()));
        let out = s3adt(&all);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let admin = [
        format!("fs.s3a.access.key={}", r.ak),
        format!("fs.s3a.secret.key={}", r.sk),
    ];
    // Leftovers of an earlier run go first.
    uploads(
        &admin,
        &["--abort", "--force", "s3a://bucket-a/uploads-cli/"],
    );
    boto(&[
        "start",
        "bucket-a",
        "uploads-cli/k1",
        "uploads-cli/k1",
        "uploads-cli/k2",
    ]);
    boto(&["start", "bucket-a", "uploads-cli/k3", "uploads-cli/k4"]);
    std::thread::sleep(Duration::from_secs(4));
    boto(&["start", "bucket-a", "uploads-cli/young"]);

    let (code, out, err) = uploads(&admin, &["s3a://bucket-a/uploads-cli/"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.ends_with("Total 6 uploads found.\n"),
        "over three pages: {out}"
    );
    let (_, out, _) = uploads(
        &admin,
        &["--older-than", "3s", "s3a://bucket-a/uploads-cli/"],
    );
    assert!(out.ends_with("Total 5 uploads found.\n"), "{out}");
    assert!(!out.contains("young"), "{out}");

    // A Role token for bucket-a: refused on bucket-b, naming what it lacks; aborts on bucket-a.
    let file = tmp("uploads-role.token");
    let out = fetch(&r, "RoleTokenBinding", "bucket-a", &[], &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = [
        "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenBinding"
            .to_owned(),
    ];
    let f = file.to_str().unwrap();
    // Its credentials (what the token carries for bucket-a) on bucket-b.
    let c = creds(&file, "bucket-a");
    let session = [
        "fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider"
            .to_owned(),
        format!("fs.s3a.access.key={}", c["accessKeyId"].as_str().unwrap()),
        format!(
            "fs.s3a.secret.key={}",
            c["secretAccessKey"].as_str().unwrap()
        ),
        format!(
            "fs.s3a.session.token={}",
            c["sessionToken"].as_str().unwrap()
        ),
    ];
    let (code, _, err) = uploads(&session, &["s3a://bucket-b/"]);
    assert_eq!(code, Some(43), "{err}");
    assert!(
        err.contains("listMultipartUploads on s3a://bucket-b/"),
        "{err}"
    );
    assert!(
        err.contains("(needs s3:ListBucketMultipartUploads)"),
        "{err}"
    );
    let (code, out, err) = uploads(
        &token,
        &[
            "--token-file",
            f,
            "--older-than",
            "3s",
            "--abort",
            "--force",
            "s3a://bucket-a/uploads-cli/",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.ends_with("Total 5 uploads aborted.\n"), "{out}");
    assert_eq!(boto(&["left", "bucket-a"]), "uploads-cli/young");
    uploads(
        &admin,
        &["--abort", "--force", "s3a://bucket-a/uploads-cli/"],
    );
    assert_eq!(boto(&["left", "bucket-a"]), "");
}
