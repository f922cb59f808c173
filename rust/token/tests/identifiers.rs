//! S3A identifiers, tokens and token files against the layout facts in the spec, including its
//! worked example, every encryption layout, and the failures each decoder must report.

use s3adt_token::writable::Writer;
use s3adt_token::*;

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The spec's worked example (§4.6).
fn worked_example() -> S3ATokenIdentifier {
    S3ATokenIdentifier {
        kind: S3ATokenKind::Session,
        base: DelegationTokenIdentifier {
            owner: "alice".into(),
            renewer: "yarn".into(),
            issue_date: 1700000000000,
            ..Default::default()
        },
        uri: "s3a://bucket".into(),
        origin: "origin".into(),
        uuid: "00000000-0000-0000-0000-000000000000".into(),
        encryption: EncryptionSecrets::default(),
        created: 1700000000123,
        credentials: MarshalledCredentials {
            access_key: "AKIA".into(),
            secret_key: "SECRET".into(),
            session_token: "TOKEN".into(),
            role_arn: String::new(),
            expiration: 1700003600000,
        },
    }
}

const WORKED_EXAMPLE_HEX: &str = "
    00 05616c696365 047961726e 00 8a018bcfe56800 00 00 00
    0c 7333613a2f2f6275636b6574 06 6f726967696e
    24 30303030303030302d303030302d303030302d303030302d303030303030303030303030
    10c4d8dd697cd577 00 00 0000018bcfe5687b
    04 414b4941 06 534543524554 05 544f4b454e 00 0000018bd01c5680";

#[test]
fn worked_example_bytes_match_the_spec() {
    let id = worked_example();
    let bytes = id.to_bytes().unwrap();
    assert_eq!(hex(&bytes), hex(&unhex(WORKED_EXAMPLE_HEX)));
    assert_eq!(bytes.len(), 125);
    let back = S3ATokenIdentifier::decode("S3ADelegationToken/Session", &bytes).unwrap();
    assert_eq!(back, id);

    let token = Token::from_s3a(&id, "s3a://bucket").unwrap();
    let url = token.encode_to_url_string();
    assert!(
        url.starts_with("fQAFYWxpY2UEeWFybgCKAYvP5WgAAAAADHMzYTovL2J1Y2tldA"),
        "{url}"
    );
    // The spec also claims the string ends `DHMzYTovL2J1Y2tldA`; that cannot be, as the service
    // starts at byte 166 (not a multiple of 3). The real check is against Java in tests/interop.
    assert!(
        url.ends_with("DG5vbi1wYXNzd29yZBpTM0FEZWxlZ2F0aW9uVG9rZW4vU2Vzc2lvbgxzM2E6Ly9idWNrZXQ"),
        "{url}"
    );
    assert_eq!(Token::decode_from_url_string(&url).unwrap(), token);

    let mut file = TokenFile::new();
    file.add_token("s3a://bucket".into(), token.clone());
    let bytes = file.encode(TokenFileFormat::Writable);
    let mut expected = b"HDTS\x00\x01\x0cs3a://bucket".to_vec();
    expected.extend(token.to_writable_bytes());
    expected.push(0);
    assert_eq!(hex(&bytes), hex(&expected));
}

#[test]
fn display_is_hadoops_text_without_secrets() {
    let id = worked_example();
    let text = id.to_string();
    assert_eq!(
        text,
        "S3ATokenIdentifier{S3ADelegationToken/Session; uri=s3a://bucket; timestamp=1700000000123; \
         renewer=yarn; encryption=(no encryption); 00000000-0000-0000-0000-000000000000; origin}; \
         session credentials, expiry 2023-11-14T23:13:20Z; (valid)"
    );
    let debug = format!("{id:?}");
    for secret in ["SECRET", "TOKEN"] {
        assert!(!debug.contains(secret), "Debug leaks {secret}: {debug}");
    }
    assert!(!text.contains("AKIA") && !debug.contains("SECRET"));
    let token = Token::from_s3a(&id, "s3a://bucket").unwrap();
    assert!(token.to_string().starts_with(
        "Kind: S3ADelegationToken/Session, Service: s3a://bucket, Ident: (S3ATokenIdentifier{"
    ));
    assert!(!format!("{token:?}").contains("SECRET"));
}

#[test]
fn every_layout_round_trips_and_is_recognised() {
    for layout in [
        EncryptionLayout::V1,
        EncryptionLayout::V1WithContext,
        EncryptionLayout::V2,
    ] {
        for (alg, key, ctx) in [
            ("", "", ""),
            ("SSE-KMS", "arn:key", "Y3R4"),
            ("AES256", "", ""),
        ] {
            let mut id = worked_example();
            id.encryption = EncryptionSecrets {
                algorithm: alg.into(),
                key: key.into(),
                context: if layout == EncryptionLayout::V1 {
                    "".into()
                } else {
                    ctx.into()
                },
                layout,
            };
            let bytes = id.to_bytes().unwrap();
            let back = S3ATokenIdentifier::decode(id.kind.as_str(), &bytes).unwrap();
            assert_eq!(back, id, "layout {layout:?} alg {alg:?}");
        }
    }
}

#[test]
fn v1_drops_the_context_because_it_has_no_place_for_it() {
    let mut id = worked_example();
    id.encryption = EncryptionSecrets {
        algorithm: "SSE-KMS".into(),
        key: "k".into(),
        context: "Y3R4".into(),
        layout: EncryptionLayout::V1,
    };
    let back = S3ATokenIdentifier::decode(id.kind.as_str(), &id.to_bytes().unwrap()).unwrap();
    assert!(back.encryption.context.is_empty());
}

#[test]
fn encryption_method_names_are_case_insensitive_and_unknown_ones_fail() {
    assert_eq!(
        EncryptionMethod::from_algorithm("sse-kms").unwrap(),
        EncryptionMethod::SseKms
    );
    assert_eq!(
        EncryptionMethod::from_algorithm("  ").unwrap(),
        EncryptionMethod::None
    );
    let mut id = worked_example();
    id.encryption.algorithm = "ROT13".into();
    assert_eq!(
        id.to_bytes().unwrap_err().to_string(),
        "Unknown encryption algorithm ROT13"
    );
    // Build the bytes by hand to check the reader too.
    let (id, bytes) = with_algorithm_bytes(b"AES999");
    let err = S3ATokenIdentifier::decode(id.kind.as_str(), &bytes).unwrap_err();
    assert_eq!(err.to_string(), "Unknown encryption algorithm AES999");
}

/// The worked example with algorithm AES256, its bytes with those 6 bytes replaced by `algorithm`.
fn with_algorithm_bytes(algorithm: &[u8; 6]) -> (S3ATokenIdentifier, Vec<u8>) {
    let mut id = worked_example();
    id.encryption.algorithm = "AES256".into();
    let mut bytes = id.to_bytes().unwrap();
    let pos = bytes.windows(6).position(|w| w == b"AES256").unwrap();
    bytes[pos..pos + 6].copy_from_slice(algorithm);
    (id, bytes)
}

/// A Session token of the bucket `s3a://bucket` with this identifier.
fn session_token(identifier: Vec<u8>) -> Token {
    Token::new(
        identifier,
        b"non-password",
        "S3ADelegationToken/Session".into(),
        "s3a://bucket".into(),
    )
}

/// Review L9: a token's algorithm goes into error texts; control characters in it (terminal
/// escape sequences from a crafted token file) come out escaped, never raw.
#[test]
fn control_characters_from_a_token_are_escaped_in_errors() {
    let (id, bytes) = with_algorithm_bytes(b"\x1b[2J\x1b[");
    let err = S3ATokenIdentifier::decode(id.kind.as_str(), &bytes).unwrap_err();
    let text = err.to_string();
    assert_eq!(text, "Unknown encryption algorithm \\u{1b}[2J\\u{1b}[");
    let t = session_token(bytes);
    for text in [text, t.to_string()] {
        assert!(!text.contains('\x1b'), "{text:?}");
    }
}

#[test]
fn unknown_encryption_version_has_hadoops_text() {
    let mut bytes = worked_example().to_bytes().unwrap();
    let pos = bytes
        .windows(8)
        .position(|w| w == 1208329045511296375i64.to_be_bytes())
        .unwrap();
    bytes[pos..pos + 8].copy_from_slice(&12345i64.to_be_bytes());
    let err = S3ATokenIdentifier::decode("S3ADelegationToken/Session", &bytes).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Incompatible EncryptionSecrets version: 12345"
    );
}

#[test]
fn every_truncation_is_an_error_naming_a_field() {
    let bytes = worked_example().to_bytes().unwrap();
    for cut in 0..bytes.len() {
        let err = S3ATokenIdentifier::decode("S3ADelegationToken/Session", &bytes[..cut])
            .expect_err(&format!("truncated at {cut} must fail"));
        let msg = err.to_string();
        assert!(
            msg.contains("truncated") || msg.contains("version"),
            "cut {cut}: {msg}"
        );
    }
}

#[test]
fn limits_are_hadoops() {
    let mut id = worked_example();
    id.origin = "o".repeat(8192);
    id.credentials.secret_key = "s".repeat(8192).into();
    id.encryption.algorithm = "SSE-KMS".into();
    id.encryption.key = "k".repeat(2048).into();
    let back = S3ATokenIdentifier::decode(id.kind.as_str(), &id.to_bytes().unwrap()).unwrap();
    assert_eq!(back, id);

    let mut over = id.clone();
    over.origin.push('o');
    assert_eq!(
        over.to_bytes().unwrap_err().to_string(),
        "origin is too long to be serialized! (8193 bytes, limit 8192)"
    );
    // A reader meets an origin of 8193 bytes: Hadoop's inclusive readString bound.
    let mut w = Writer::new();
    id.base.write(&mut w).unwrap();
    w.vint_bytes(b"s3a://bucket");
    w.vint_bytes(&[b'o'; 8193]);
    let err = S3ATokenIdentifier::decode(id.kind.as_str(), w.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "origin: expected integer less or equal to 8192, got 8193"
    );

    let mut over = id.clone();
    over.encryption.key = "k".repeat(2049).into();
    assert!(over
        .to_bytes()
        .unwrap_err()
        .to_string()
        .starts_with("encryption key is too long"));
}

#[test]
fn not_an_s3a_kind() {
    let err = S3ATokenIdentifier::decode("HDFS_DELEGATION_TOKEN", &[0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an S3A delegation token kind: \"HDFS_DELEGATION_TOKEN\""
    );
}

#[test]
fn bucket_is_the_uri_host() {
    let mut id = worked_example();
    assert_eq!(id.bucket(), Some("bucket"));
    id.uri = "s3a://b.c/path".into();
    assert_eq!(id.bucket(), Some("b.c"));
    id.uri = "nonsense".into();
    assert_eq!(id.bucket(), None);
}

#[test]
fn credential_texts() {
    let mut c = MarshalledCredentials::default();
    assert_eq!(c.to_string(), "Empty credentials");
    c.access_key = "a".into();
    c.secret_key = "b".into();
    assert_eq!(c.to_string(), "full credentials (valid)");
    c.session_token = "c".into();
    assert_eq!(
        c.to_string(),
        "session credentials, expiry unknown; (valid)"
    );
    c.role_arn = "arn:r".into();
    c.expiration = 1700003600120;
    assert_eq!(
        c.to_string(),
        "session credentials, expiry 2023-11-14T23:13:20.12Z; role \"arn:r\" (valid)"
    );
}

mod files {
    use super::*;

    fn sample_file() -> TokenFile {
        let mut f = TokenFile::new();
        for i in 0..40 {
            let mut id = worked_example();
            id.uri = format!("s3a://bucket-{i}");
            let t = Token::from_s3a(&id, id.uri.as_str()).unwrap();
            f.add_token(id.uri.as_str().into(), t);
        }
        f.add_secret("a.secret".into(), SecretBytes::new(vec![0, 1, 2, 255]));
        f.add_secret("b.secret".into(), SecretBytes::new(vec![]));
        f
    }

    #[test]
    fn both_formats_round_trip_with_tokens_and_secrets() {
        let f = sample_file();
        for format in [TokenFileFormat::Writable, TokenFileFormat::Protobuf] {
            let bytes = f.encode(format);
            assert_eq!(bytes[4], format.byte());
            let (back, seen) = TokenFile::decode_with_format(&bytes).unwrap();
            assert_eq!(seen, format);
            assert_eq!(back.tokens().len(), 40);
            for (alias, t) in f.tokens() {
                assert_eq!(back.token(alias), Some(t));
            }
            assert_eq!(back.secrets().len(), 2);
            // Re-encoding what was read gives the same bytes: Java's order is stable.
            assert_eq!(back.encode(format), bytes);
        }
    }

    #[test]
    fn header_errors_have_hadoops_texts() {
        assert_eq!(
            TokenFile::decode(b"").unwrap_err().to_string(),
            "Bad header found in token storage."
        );
        assert_eq!(
            TokenFile::decode(b"HDTX\x00\x00\x00")
                .unwrap_err()
                .to_string(),
            "Bad header found in token storage."
        );
        assert_eq!(
            TokenFile::decode(b"HDTS").unwrap_err().to_string(),
            "Bad header found in token storage."
        );
        assert_eq!(
            TokenFile::decode(b"HDTS\x07").unwrap_err().to_string(),
            "Unknown credential format: 7"
        );
    }

    #[test]
    fn truncation_anywhere_is_an_error_naming_the_token() {
        let f = sample_file();
        for format in [TokenFileFormat::Writable, TokenFileFormat::Protobuf] {
            let bytes = f.encode(format);
            for cut in 5..bytes.len() {
                let r = TokenFile::decode(&bytes[..cut]);
                assert!(
                    r.is_err(),
                    "{format:?} cut at {cut} of {} decoded",
                    bytes.len()
                );
            }
            let err = TokenFile::decode(&bytes[..200]).unwrap_err().to_string();
            if format == TokenFileFormat::Writable {
                assert!(err.starts_with("token "), "{err}");
            } else {
                assert!(err.contains("truncated"), "{err}");
            }
        }
    }

    #[test]
    fn a_later_alias_replaces_an_earlier_one() {
        let mut f = TokenFile::new();
        let t1 = Token::new(vec![1], b"p", "K".into(), "s".into());
        let t2 = Token::new(vec![2], b"p", "K".into(), "s".into());
        f.add_token("x".into(), t1);
        f.add_token("x".into(), t2.clone());
        assert_eq!(f.tokens().len(), 1);
        assert_eq!(f.token(&"x".into()), Some(&t2));
    }

    #[test]
    fn write_path_is_private_and_atomic() {
        let dir = std::env::temp_dir().join(format!("s3adt-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.token");
        sample_file()
            .write_path(&path, TokenFileFormat::Protobuf)
            .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let (back, format) = TokenFile::read_path(&path).unwrap();
        assert_eq!(format, TokenFileFormat::Protobuf);
        assert_eq!(back.tokens().len(), 40);
        let err = TokenFile::read_path(dir.join("missing"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// A V1-with-context identifier whose bytes also read exactly as V1 (found by proptest):
/// the plausible creation time decides.
#[test]
fn ambiguous_v1_and_v1ctx_readings_are_settled_by_the_creation_time() {
    for created in [1700000000123i64, 1514764800000, 7258118399999] {
        for ctx_len in 0..40 {
            let mut id = worked_example();
            id.created = created;
            id.encryption = EncryptionSecrets {
                algorithm: "".into(),
                key: "".into(),
                context: "A".repeat(ctx_len).into(),
                layout: EncryptionLayout::V1WithContext,
            };
            let back =
                S3ATokenIdentifier::decode(id.kind.as_str(), &id.to_bytes().unwrap()).unwrap();
            assert_eq!(back, id, "context of {ctx_len}, created {created}");
        }
    }
}

#[test]
fn remove_token_keeps_the_rest_reachable() {
    let mut f = TokenFile::new();
    for i in 0..5 {
        f.add_token(
            format!("a{i}").into(),
            Token::new(vec![i], b"p", "K".into(), "s".into()),
        );
    }
    assert_eq!(f.remove_token(&"a1".into()).unwrap().identifier, vec![1]);
    assert!(f.remove_token(&"a1".into()).is_none());
    for i in [0u8, 2, 3, 4] {
        assert_eq!(
            f.token(&format!("a{i}").into()).unwrap().identifier,
            vec![i]
        );
    }
    assert_eq!(f.tokens().len(), 4);
}

/// Found by cargo-fuzz: a file whose entries are not in Java's order re-encodes in Java's
/// order, and must still compare equal (Credentials are maps).
#[test]
fn files_compare_as_maps() {
    let bytes = b"HDTS\x00\x00\x02\x01\x00\x00\x00\x00\x01\x00";
    let f = TokenFile::decode(bytes).unwrap();
    assert_eq!(f.secrets().len(), 2);
    for format in [TokenFileFormat::Writable, TokenFileFormat::Protobuf] {
        assert_eq!(TokenFile::decode(&f.encode(format)).unwrap(), f);
    }
}

/// Hadoop's Token.toString dumps an undecodable identifier in hex, secrets included; s3adt
/// never does for an S3A kind.
#[test]
fn undecodable_s3a_identifier_is_not_dumped() {
    let (_, bytes) = with_algorithm_bytes(b"AES999");
    let t = session_token(bytes);
    let text = t.to_string();
    assert_eq!(
        text,
        "Kind: S3ADelegationToken/Session, Service: s3a://bucket, Ident: (undecodable S3A identifier of 131 bytes: Unknown encryption algorithm AES999)"
    );
    let secret_hex: String = b"SECRET".iter().map(|b| format!("{b:02x}")).collect();
    assert!(!text.contains(&secret_hex) && !text.contains("SECRET"));
}
