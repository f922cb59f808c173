//! `s3adt print` and `s3adt decode` as a user runs them: the real binary on real files.

#[path = "../../token/tests/common/cases.rs"]
mod cases;
mod common;

use common::{s3adt, tmp};
use s3adt_token::{EncryptionLayout, Token, TokenFile, TokenFileFormat};
use serde_json::Value;
use std::path::PathBuf;

fn case_file(format: TokenFileFormat) -> (cases::Cases, PathBuf) {
    let c = cases::load(&cases::default_path(), EncryptionLayout::V2);
    let path = tmp(&format!("cases.{}", format.name()));
    c.token_file().write_path(&path, format).unwrap();
    (c, path)
}

/// Every secret value the cases hold: none may appear in any output.
fn secrets(c: &cases::Cases) -> Vec<String> {
    let mut out = Vec::new();
    for case in &c.cases {
        let cr = &case.id.credentials;
        for s in [
            cr.secret_key.expose(),
            cr.session_token.expose(),
            case.id.encryption.key.expose(),
        ] {
            if s.len() >= 4 {
                out.push(s.to_owned());
            }
        }
    }
    for o in &c.others {
        out.push(String::from_utf8(o.password.clone()).unwrap());
    }
    out
}

#[test]
fn print_shows_every_token_and_no_secret() {
    for format in [TokenFileFormat::Writable, TokenFileFormat::Protobuf] {
        let (c, path) = case_file(format);
        let out = s3adt(&["print", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        for case in &c.cases {
            assert!(
                text.contains(&format!("alias {}", case.alias)),
                "{}",
                case.alias
            );
        }
        assert!(text.contains("HDFS_DELEGATION_TOKEN"));
        assert!(text.contains("Secret key: alias my.secret.key (value not shown)"));
        for s in secrets(&c) {
            assert!(
                !text.contains(&s),
                "print leaks a secret ({} bytes)",
                s.len()
            );
        }
    }
}

#[test]
fn print_json_has_the_documented_keys_and_values() {
    let (c, path) = case_file(TokenFileFormat::Protobuf);
    let out = s3adt(&["print", "--json", path.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for s in secrets(&c) {
        assert!(!text.contains(&s), "print --json leaks a secret");
    }
    let v: Value = serde_json::from_str(&text).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), c.cases.len() + c.others.len());
    let keys = [
        "alias",
        "kind",
        "service",
        "owner",
        "renewer",
        "realUser",
        "issueDate",
        "maxDate",
        "sequenceNumber",
        "masterKeyId",
        "uri",
        "origin",
        "uuid",
        "created",
        "encryptionAlgorithm",
        "encryptionKeyPresent",
        "encryptionContextPresent",
        "credentialType",
        "expiration",
        "hadoopAwsReaders",
    ];
    for obj in arr {
        for k in keys {
            assert!(obj.get(k).is_some(), "key {k} missing in {obj}");
        }
    }
    let by_alias = |a: &str| arr.iter().find(|o| o["alias"] == a).unwrap();
    let s = by_alias("session-basic");
    assert_eq!(s["kind"], "S3ADelegationToken/Session");
    assert_eq!(s["owner"], "alice");
    assert_eq!(s["renewer"], "yarn");
    assert_eq!(s["credentialType"], "session");
    assert_eq!(s["expiration"], 1700003600000i64);
    assert_eq!(s["encryptionKeyPresent"], false);
    assert_eq!(by_alias("full-basic")["credentialType"], "full");
    assert_eq!(
        by_alias("session-empty-credentials")["credentialType"],
        "empty"
    );
    let kms = by_alias("enc-sse-kms");
    assert_eq!(kms["encryptionAlgorithm"], "SSE-KMS");
    assert_eq!(kms["encryptionKeyPresent"], true);
    assert_eq!(kms["encryptionContextPresent"], true);
    let base = by_alias("session-base-fields");
    assert_eq!(
        (base["issueDate"].as_i64(), base["sequenceNumber"].as_i64()),
        (Some(-1), Some(-113))
    );
    assert_eq!(base["realUser"], "oozie");
    let hdfs = by_alias("hdfs-dt");
    assert_eq!(hdfs["owner"], "alice@EXAMPLE.TEST");
    assert_eq!(hdfs["maxDate"], 1700604800000i64);
    assert_eq!(hdfs["uri"], Value::Null);
    assert_eq!(hdfs["hadoopAwsReaders"], "none");
    // the cases are written in layout v2 (case_file), which no hadoop-aws release reads
    assert_eq!(s["encryptionLayout"], "v2");
    assert_eq!(s["hadoopAwsReaders"], "none");
}

#[test]
fn undecodable_other_kinds_show_hex() {
    let mut f = TokenFile::new();
    f.add_token(
        "x".into(),
        Token::new(vec![7, 0xab], b"p", "WEIRD_KIND".into(), "svc".into()),
    );
    let path = tmp("weird.token");
    f.write_path(&path, TokenFileFormat::Writable).unwrap();
    let out = s3adt(&["print", "--json", path.to_str().unwrap()]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["identifierHex"], "07ab");
    assert_eq!(v[0]["decodeError"], "Unknown version of delegation token 7");
}

#[test]
fn malformed_files_fail_naming_file_token_and_field() {
    let (_, good) = case_file(TokenFileFormat::Writable);
    let bytes = std::fs::read(&good).unwrap();
    let truncated = tmp("truncated.token");
    std::fs::write(&truncated, &bytes[..300]).unwrap();
    let out = s3adt(&["print", truncated.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("truncated.token")
            && err.contains("token 1 (alias")
            && err.contains("truncated"),
        "{err}"
    );

    let bad = tmp("bad-header.token");
    std::fs::write(&bad, b"NOPE\x00").unwrap();
    let out = s3adt(&["print", bad.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "one bad file fails the command");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad-header.token: Bad header found in token storage."),
        "{err}"
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("alias session-basic"),
        "good file still printed"
    );

    let out = s3adt(&["print", tmp("does-not-exist").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("does-not-exist"));
}

#[test]
fn a_broken_s3a_identifier_inside_a_good_file_is_named() {
    let mut f = TokenFile::new();
    f.add_token(
        "s3a://b".into(),
        Token::new(
            vec![0, 1, b'a'],
            b"non-password",
            "S3ADelegationToken/Role".into(),
            "s3a://b".into(),
        ),
    );
    let path = tmp("broken-id.token");
    f.write_path(&path, TokenFileFormat::Protobuf).unwrap();
    let out = s3adt(&["print", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("broken-id.token: token 1 (alias \"s3a://b\", kind S3ADelegationToken/Role): renewer: truncated"), "{err}");
}

#[test]
fn decode_takes_a_url_string() {
    let c = cases::load(&cases::default_path(), EncryptionLayout::V1);
    let case = &c.cases[0];
    let t = Token::new(
        case.id.to_bytes().unwrap(),
        &case.password,
        case.id.kind.as_str().into(),
        case.service.as_str().into(),
    );
    let out = s3adt(&["decode", "--json", &t.encode_to_url_string()]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["uuid"], case.id.uuid.as_str());
    let out = s3adt(&["decode", "not a token"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("s3adt: token string: invalid token string"));
}
