//! Unit tests of the bindings that need no STS (moto runs the rest: tests/sts_moto.rs).

use super::*;
use crate::conf::bindings;

fn req() -> TokenRequest {
    TokenRequest {
        bucket: "lake".into(),
        owner: "alice".into(),
        renewer: "yarn".into(),
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn full_binding_from_configuration() {
    let mut c = Configuration::new();
    c.set(keys::DELEGATION_TOKEN_BINDING, bindings::FULL);
    c.set("fs.s3a.bucket.lake.access.key", "AKIALAKE");
    c.set("fs.s3a.bucket.lake.secret.key", "lakesecret");
    c.set(keys::ENCRYPTION_ALGORITHM, "sse-kms");
    c.set(keys::ENCRYPTION_KEY, "arn:kms");
    let c = c.for_bucket("lake");
    assert_eq!(Binding::from_config(&c).unwrap(), Some(Binding::Full));
    let id = issue_full(&c, &req(), &no_env).unwrap();
    assert_eq!(id.kind, S3ATokenKind::Full);
    assert_eq!(id.uri, "s3a://lake");
    assert_eq!(id.credentials.access_key, "AKIALAKE");
    assert_eq!(id.credentials.credential_type(), CredentialType::Full);
    assert!(id.origin.starts_with("Created on "), "{}", id.origin);
    assert!(
        id.origin
            .ends_with("Z.; source = Hadoop configuration data"),
        "{}",
        id.origin
    );
    assert_eq!(id.encryption.algorithm, "SSE-KMS");
    assert_eq!(id.encryption.layout, EncryptionLayout::V1);
    assert_eq!(id.base.renewer.to_string(), "yarn");
    assert!(id.created > 1_700_000_000_000 && id.base.issue_date == id.created);
    assert_eq!(id.uuid.len(), 36);
    let again = S3ATokenIdentifier::decode(id.kind.as_str(), &id.to_bytes().unwrap()).unwrap();
    assert_eq!(again, id);
}

#[test]
fn full_binding_from_environment_then_failure() {
    let c = Configuration::new();
    let env = |k: &str| match k {
        "AWS_ACCESS_KEY" => Some("AKIAENV".to_owned()),
        "AWS_SECRET_KEY" => Some("envsecret".to_owned()),
        _ => None,
    };
    let id = issue_full(&c, &req(), &env).unwrap();
    assert!(id.origin.ends_with("; source = Environment variables"));
    let err = issue_full(&c, &req(), &no_env).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no credentials in configuration or environment variables:  No AWS credentials"
    );
    // an unset ${env.X} stays as text after substitution: refused, naming the key
    let mut c = Configuration::new();
    c.set(keys::ACCESS_KEY, "${env.S3ADT_TEST_UNSET_VARIABLE_43}");
    c.set(keys::SECRET_KEY, "s");
    let err = issue_full(&c, &req(), &no_env).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "fs.s3a.access.key holds the unresolved reference ${env.S3ADT_TEST_UNSET_VARIABLE_43}"
        ),
        "{err}"
    );
}

#[test]
fn bucket_names_are_checked_before_anything_is_issued() {
    for good in [
        "lake",
        "bucket-a",
        "my.bucket.1",
        "a1b",
        "Legacy_Bucket",
        &"x".repeat(255),
    ] {
        check_bucket_name(good).unwrap();
    }
    for bad in [
        "*",
        "",
        "ab",
        "a/b",
        "?",
        "a:b",
        "-lake",
        "lake-",
        "la ke",
        "l\u{1b}[2Jake",
        &"x".repeat(256),
    ] {
        let e = check_bucket_name(bad).unwrap_err().to_string();
        assert!(e.contains("is not an S3 bucket name"), "{e}");
        assert!(!e.contains('\u{1b}'), "control characters are escaped: {e}");
    }
    // no token, not even a Full one, for a wildcard
    let mut c = Configuration::new();
    c.set(keys::DELEGATION_TOKEN_BINDING, bindings::FULL);
    c.set(keys::ACCESS_KEY, "AKIALAKE");
    c.set(keys::SECRET_KEY, "lakesecret");
    let wild = TokenRequest {
        bucket: "*".into(),
        ..req()
    };
    let e = crate::runtime::block_on(issue(&c, &wild, &no_env)).unwrap_err();
    assert!(matches!(e, IssueError::BadBucket(_)), "{e}");
}

#[test]
fn bindings_and_bad_values() {
    let mut c = Configuration::new();
    assert_eq!(Binding::from_config(&c).unwrap(), None);
    c.set(keys::DELEGATION_TOKEN_BINDING, "com.example.Nope");
    assert!(Binding::from_config(&c)
        .unwrap_err()
        .to_string()
        .contains("com.example.Nope"));
    c.set(keys::ENCRYPTION_ALGORITHM, "ROT13");
    assert!(encryption_secrets(&c, EncryptionLayout::V1)
        .unwrap_err()
        .to_string()
        .contains("fs.s3a.encryption.algorithm"));
    c.set(keys::S3ADT_ENCRYPTION_LAYOUT, "v9");
    assert!(encryption_layout(&c)
        .unwrap_err()
        .to_string()
        .contains("v1, v1ctx or v2"));
}

#[test]
fn layout_follows_the_readers_unless_set() {
    let layout = |readers: Option<&str>, explicit: Option<&str>| {
        let mut c = Configuration::new();
        if let Some(r) = readers {
            c.set(keys::S3ADT_TOKEN_READERS, r);
        }
        if let Some(l) = explicit {
            c.set(keys::S3ADT_ENCRYPTION_LAYOUT, l);
        }
        encryption_layout(&c).map_err(|e| e.to_string())
    };
    use EncryptionLayout::*;
    assert_eq!(layout(None, None), Ok(V1));
    for (readers, expected) in [
        ("3.3", V1),
        ("3.4", V1),
        ("3.4.1", V1),
        ("3.3.6-amzn-1", V1),
        ("3.5", V1WithContext),
        (" 3.5.0 ", V1WithContext),
        ("3.5.1-SNAPSHOT", V1WithContext),
        ("3.6", V1WithContext),
        ("4.0", V1WithContext),
    ] {
        assert_eq!(layout(Some(readers), None), Ok(expected), "{readers}");
    }
    // the explicit layout wins over the readers
    assert_eq!(layout(Some("3.5"), Some("v1")), Ok(V1));
    assert_eq!(layout(Some("3.4"), Some("v1ctx")), Ok(V1WithContext));
    assert_eq!(layout(Some("3.4"), Some("v2")), Ok(V2));
    assert_eq!(layout(Some(""), None), Ok(V1));
    for bad in [
        "3",
        "3.",
        "three.five",
        "3.x",
        "v1ctx",
        "3.5beta",
        "-3.5",
        "3..5",
    ] {
        let e = layout(Some(bad), None).unwrap_err();
        assert!(e.contains("fs.s3a.s3adt.token.readers"), "{bad}: {e}");
        assert!(e.contains("3.4 or 3.5"), "{bad}: {e}");
    }
    for old in ["3.2", "2.10.2", "3.0.0"] {
        let e = layout(Some(old), None).unwrap_err();
        assert!(e.contains("fs.s3a.s3adt.token.readers"), "{old}: {e}");
        assert!(e.contains("before 3.3"), "{old}: {e}");
    }
}

#[test]
fn readers_per_bucket() {
    let mut c = Configuration::new();
    c.set(keys::S3ADT_TOKEN_READERS, "3.4");
    c.set("fs.s3a.bucket.lake.s3adt.token.readers", "3.5");
    let lake = c.for_bucket("lake");
    assert_eq!(
        encryption_layout(&lake).unwrap(),
        EncryptionLayout::V1WithContext
    );
    assert_eq!(
        encryption_layout(&c.for_bucket("other")).unwrap(),
        EncryptionLayout::V1
    );
}

#[test]
fn ozone_binding_issues_full_tokens_with_the_given_credentials_only() {
    let mut c = Configuration::new();
    c.set(keys::DELEGATION_TOKEN_BINDING, bindings::OZONE);
    // configured keys are never what an Ozone token carries
    c.set(keys::ACCESS_KEY, "AKIACONF");
    c.set(keys::SECRET_KEY, "confsecret");
    let c = c.for_bucket("lake");
    let b = Binding::from_config(&c).unwrap().unwrap();
    assert_eq!(
        (b, b.kind(), b.name()),
        (Binding::Ozone, S3ATokenKind::Full, "Ozone")
    );
    // the generic path (the CLI, the C API) has no Kerberos login of a JVM to get them with
    let e = crate::runtime::block_on(issue(&c, &req(), &no_env)).unwrap_err();
    assert!(matches!(e, IssueError::OzoneOutsideJvm), "{e}");
    assert!(e.to_string().contains("s3adt ozone getsecret"), "{e}");
    let source = "Ozone S3 secret of alice@EXAMPLE.TEST from the secret store";
    let id = issue_full_with(&c, &req(), "alice@EXAMPLE.TEST", "0123abcd".into(), source).unwrap();
    assert_eq!(id.kind, S3ATokenKind::Full);
    assert_eq!(id.credentials.access_key, "alice@EXAMPLE.TEST");
    assert_eq!(id.credentials.secret_key.expose(), "0123abcd");
    assert_eq!(id.credentials.credential_type(), CredentialType::Full);
    assert!(
        id.origin.ends_with(&format!("; source = {source}")),
        "{}",
        id.origin
    );
    assert!(!id.origin.contains("0123abcd"));
    let e = issue_full_with(&c, &req(), "alice@EXAMPLE.TEST", "".into(), source).unwrap_err();
    assert!(e.to_string().contains("No AWS credentials"), "{e}");
    let wild = TokenRequest {
        bucket: "*".into(),
        ..req()
    };
    assert!(matches!(
        issue_full_with(&c, &wild, "a", "b".into(), source),
        Err(IssueError::BadBucket(_))
    ));
}
