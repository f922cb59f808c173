//! The commands end to end against a real moto server: `s3adt fetch` makes Session and Role
//! tokens through STS, and an ordinary AWS client (boto3) reads S3 with nothing but the token,
//! through `s3adt credentials --format credential-process`.

mod common;
#[path = "../../core/tests/common/moto.rs"]
mod moto;

use common::{s3adt_isolated as s3adt, tmp};
use s3adt_token::TokenFile;
use std::process::{Command, Output};

/// Read `s3://bucket/hello.txt` with boto3, its credentials from `credential_process`.
fn boto3_read_with_credential_process(endpoint: &str, token_file: &str, bucket: &str) -> Output {
    let config = tmp(&format!("aws-config-{bucket}"));
    std::fs::write(
        &config,
        format!(
            "[default]\nregion = us-east-1\ncredential_process = {} credentials --format credential-process --token-file {token_file} s3a://{bucket}\n",
            env!("CARGO_BIN_EXE_s3adt")
        ),
    )
    .unwrap();
    let script = "import boto3, sys\ns3 = boto3.client('s3', endpoint_url=sys.argv[1])\nprint(s3.get_object(Bucket=sys.argv[2], Key='hello.txt')['Body'].read().decode())";
    Command::new("python3")
        .args(["-c", script, endpoint, bucket])
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap()
}

#[test]
fn fetch_session_and_role_tokens_then_read_s3_with_the_token_alone() {
    let moto = moto::Moto::start();
    let (ak, sk, role_arn) = moto.setup_iam();
    let file = tmp("jobs.token");
    let f = file.to_str().unwrap();
    let common = |binding: &str| {
        vec![
            "-D".to_owned(),
            format!("fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.{binding}"),
            "-D".to_owned(),
            format!("fs.s3a.assumed.role.sts.endpoint={}", moto.endpoint),
            "-D".to_owned(),
            "fs.s3a.assumed.role.sts.endpoint.region=us-east-1".to_owned(),
            "-D".to_owned(),
            format!("fs.s3a.access.key={ak}"),
            "-D".to_owned(),
            format!("fs.s3a.secret.key={sk}"),
            "-D".to_owned(),
            format!("fs.s3a.assumed.role.arn={role_arn}"),
        ]
    };
    let mut args = vec!["fetch".to_owned()];
    args.extend(common("SessionTokenBinding"));
    args.extend([
        "--renewer".into(),
        "yarn".into(),
        "s3a://bucket-a".into(),
        f.into(),
    ]);
    let out = s3adt(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut args = vec![
        "fetch".to_owned(),
        "--append".to_owned(),
        "--format".to_owned(),
        "protobuf".to_owned(),
    ];
    args.extend(common("RoleTokenBinding"));
    args.extend(["s3a://bucket-b".into(), f.into()]);
    let out = s3adt(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (tokens, _) = TokenFile::read_path(&file).unwrap();
    let a = tokens
        .token(&"s3a://bucket-a".into())
        .unwrap()
        .decode_s3a_identifier()
        .unwrap();
    let b = tokens
        .token(&"s3a://bucket-b".into())
        .unwrap()
        .decode_s3a_identifier()
        .unwrap();
    assert_eq!(a.kind.as_str(), "S3ADelegationToken/Session");
    assert_eq!(b.kind.as_str(), "S3ADelegationToken/Role");
    assert!(a.base.max_date > 0 && a.base.max_date == a.credentials.expiration);
    let printed = String::from_utf8(s3adt(&["print", f]).stdout).unwrap();
    assert!(!printed.contains(&sk) && !printed.contains(a.credentials.secret_key.expose()));

    for bucket in ["bucket-a", "bucket-b"] {
        let out = boto3_read_with_credential_process(&moto.endpoint, f, bucket);
        assert!(
            out.status.success(),
            "{bucket}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().trim(),
            format!("hello from {bucket}")
        );
    }
    // No token for a third bucket: the AWS client gets no credentials, not someone else's.
    let out = boto3_read_with_credential_process(&moto.endpoint, f, "bucket-c");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no delegation token for s3a://bucket-c"));
}
