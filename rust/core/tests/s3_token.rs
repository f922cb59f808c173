//! Delegation tokens on the S3 data path, against a private moto server on loopback: an expired
//! token is refused before any request, a bound token's credentials and SSE-C key go on every
//! request, and SSE-KMS on writes only. Moto does not enforce SSE-C or signatures, so what
//! requests carry is checked on the wire by a recording proxy.

mod common;

use common::conf::s3_conf as conf;
use common::moto::FaultProxy;
use common::recorder::{header, Recorder};
use common::s3::*;
use s3adt_core::auth::issue::{new_identifier, TokenRequest};
use s3adt_core::conf::{keys, Configuration};
use s3adt_core::store::{S3ErrorKind, S3Store, TokenLookup};
use s3adt_core::*;
use s3adt_token::*;
use std::sync::{Arc, RwLock};

fn token_for(
    bucket: &str,
    access_key: &str,
    expiration: i64,
    enc: EncryptionSecrets,
) -> S3ATokenIdentifier {
    new_identifier(
        S3ATokenKind::Session,
        &TokenRequest {
            bucket: bucket.into(),
            owner: "alice".into(),
            renewer: "yarn".into(),
        },
        "test".into(),
        enc,
        MarshalledCredentials {
            access_key: access_key.into(),
            secret_key: "tokensecret".into(),
            session_token: "tokensession".into(),
            role_arn: String::new(),
            expiration,
        },
    )
}

fn lookup(slot: &Arc<RwLock<Option<S3ATokenIdentifier>>>) -> TokenLookup {
    let slot = slot.clone();
    Arc::new(move || slot.read().unwrap().clone().map(Arc::new))
}

#[test]
fn an_expired_token_is_refused_before_any_request() {
    let b = bucket("data-expired");
    let proxy = FaultProxy::start(MOTO.port, vec![]);
    let id = token_for(
        &b,
        "AKIATOKEN",
        auth::consume::now_ms() - 1000,
        EncryptionSecrets::default(),
    );
    let slot = Arc::new(RwLock::new(Some(id.clone())));
    let s = Arc::new(S3Store::new(&b, &conf(&proxy.endpoint), Some(lookup(&slot))).unwrap());
    let e = run(s.head("x")).unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::Token);
    let expected = format!(
        "the delegation token for s3a://data-expired expired at {}",
        javatime::iso_date_time_utc(id.credentials.expiration)
    );
    assert!(e.to_string().contains(&expected), "{e}");
    let e = run(async {
        let mut w = s.open_write("x").await;
        w.write(b"data").await?;
        w.close().await
    })
    .unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::Token);
    assert_eq!(
        run(s.open_read("x", None)).unwrap_err().kind,
        S3ErrorKind::Token
    );
    assert_eq!(
        run(s.list("", true, 0)).unwrap_err().kind,
        S3ErrorKind::Token
    );
    assert_eq!(proxy.requests(), 0, "nothing reached S3");
}

/// A bucket `name` of its own, a Recorder before moto, and a configuration through it.
fn recorded(name: &str) -> (String, Recorder, Configuration) {
    let rec = Recorder::start(MOTO.port);
    let c = conf(&rec.endpoint);
    (bucket(name), rec, c)
}

#[test]
fn a_bound_token_signs_and_encrypts_and_a_rebind_applies_at_once() {
    use base64::Engine;
    let (b, rec, mut c) = recorded("data-token");
    // Configured encryption, which a bound token's secrets replace.
    c.set(keys::ENCRYPTION_ALGORITHM, "AES256");
    let slot = Arc::new(RwLock::new(None));
    let s = Arc::new(S3Store::new(&b, &c, Some(lookup(&slot))).unwrap());

    // Not bound: the login credentials and the configured SSE-S3.
    put(&s, "t/login", b"x");
    let heads = rec.take();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].contains("credential=akialogin/"), "{}", heads[0]);
    assert_eq!(
        header(&heads[0], "x-amz-server-side-encryption"),
        Some("aes256")
    );

    // Bound (after the store was built): the token's credentials and its SSE-C key.
    let key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let md5 = {
        use md5::Digest;
        base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest([9u8; 32]))
    };
    let enc = EncryptionSecrets {
        algorithm: "SSE-C".into(),
        key: key.as_str().into(),
        ..Default::default()
    };
    *slot.write().unwrap() = Some(token_for(
        &b,
        "AKIATOKEN",
        auth::consume::now_ms() + 3_600_000,
        enc,
    ));
    let body = data(11 * MIB, 7);
    put(&s, "t/big", &body);
    assert!(run(s.head("t/big")).unwrap().is_some());
    assert_eq!(read_all(&s, "t/big"), body);
    run(s.copy("t/big", "t/big-copy")).unwrap();
    let heads = rec.take();
    // create, 3 parts, complete, head, (open GET), head (copy), copy.
    assert!(heads.len() >= 8, "{}", heads.len());
    for h in &heads {
        let line = h.lines().next().unwrap_or_default();
        assert!(h.contains("credential=akiatoken/"), "{line}");
        assert_eq!(
            header(h, "x-amz-security-token"),
            Some("tokensession"),
            "{line}"
        );
        assert_eq!(header(h, "x-amz-server-side-encryption"), None, "{line}");
        // Every request here reads or writes object data: each carries the key.
        assert_eq!(
            header(h, "x-amz-server-side-encryption-customer-algorithm"),
            Some("aes256"),
            "{line}"
        );
        assert_eq!(
            header(h, "x-amz-server-side-encryption-customer-key-md5"),
            Some(md5.to_ascii_lowercase().as_str()),
            "{line}"
        );
    }
    let copy = heads
        .iter()
        .find(|h| h.contains("x-amz-copy-source:"))
        .expect("a CopyObject request");
    assert_eq!(
        header(
            copy,
            "x-amz-copy-source-server-side-encryption-customer-algorithm"
        ),
        Some("aes256")
    );

    // Unbound again: back to the login credentials.
    *slot.write().unwrap() = None;
    assert!(run(s.head("t/login")).unwrap().is_some());
    assert!(rec.take()[0].contains("credential=akialogin/"));
}

#[test]
fn sse_kms_goes_on_writes_only() {
    let (b, rec, mut c) = recorded("data-kms");
    c.set(keys::SSE_ALGORITHM_OLD, "SSE-KMS");
    c.set(
        keys::SSE_KEY_OLD,
        "arn:aws:kms:us-east-1:123456789012:key/k1",
    );
    let s = store(&b, &c);
    put(&s, "k/obj", b"kms");
    assert_eq!(read_all(&s, "k/obj"), b"kms");
    let heads = rec.take();
    let (put_h, get_h) = (&heads[0], &heads[1]);
    assert_eq!(
        header(put_h, "x-amz-server-side-encryption"),
        Some("aws:kms")
    );
    assert_eq!(
        header(put_h, "x-amz-server-side-encryption-aws-kms-key-id"),
        Some("arn:aws:kms:us-east-1:123456789012:key/k1")
    );
    assert!(get_h.starts_with("get "));
    assert_eq!(header(get_h, "x-amz-server-side-encryption"), None);
}
