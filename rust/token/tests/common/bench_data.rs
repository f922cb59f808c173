//! The bytes both benchmarks decode: one Session token and a file of 1,000 of them. The
//! criterion bench builds them in process; `examples/write_bench_fixtures` writes the same
//! bytes for the Java side (hadoop-aws's own classes).
#![allow(dead_code)]

use s3adt_token::*;

pub fn session_identifier(i: usize) -> S3ATokenIdentifier {
    S3ATokenIdentifier {
        kind: S3ATokenKind::Session,
        base: DelegationTokenIdentifier {
            owner: "alice@EXAMPLE.TEST".into(),
            renewer: "yarn".into(),
            real_user: Text::default(),
            issue_date: 1700000000000 + i as i64,
            max_date: 0,
            sequence_number: 0,
            master_key_id: 0,
        },
        uri: format!("s3a://bucket-{i:04}"),
        origin: "Created on worker-17.example at time 2023-11-14T22:13:20.123456Z.".into(),
        uuid: format!("5f0c6f1e-8a43-4a4c-9b5e-2d1f3c4b{i:04x}"),
        encryption: EncryptionSecrets {
            algorithm: "SSE-KMS".into(),
            key: "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
            context: "".into(),
            layout: EncryptionLayout::V1,
        },
        created: 1700000000123 + i as i64,
        credentials: MarshalledCredentials {
            access_key: "ASIAEXAMPLEACCESS01".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            session_token: "FwoGZXIvYXdzEJr//////////wEaDOz1example-session-token-of-realistic-length-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".into(),
            role_arn: String::new(),
            expiration: 1700003600000,
        },
    }
}

pub fn session_token(i: usize) -> Token {
    let id = session_identifier(i);
    let uri = id.uri.clone();
    Token::from_s3a(&id, uri).unwrap()
}

pub fn thousand_token_file() -> TokenFile {
    let mut f = TokenFile::new();
    for i in 0..1000 {
        let t = session_token(i);
        f.add_token(t.service.clone(), t);
    }
    f
}
