//! Bodies of the instance-metadata and container-credentials replies, whole and cut at every
//! byte (inside a character too), through the body parser: an error or credentials, never a
//! panic. The HTTP framing (status line, headers, chunked bodies) is hyper's, through the AWS
//! SDK's HTTP client; the loopback tests in `auth::sources::metadata` cover it end to end.

/// Bodies of the metadata endpoints' replies: credentials with a multi-byte character, and empty
/// (as a 404 has).
fn metadata_bodies() -> Vec<Vec<u8>> {
    let body = r#"{"Code":"Success","LastUpdated":"2023-11-14T22:13:20Z","Type":"AWS-HMAC","AccessKeyId":"ASIAFAKE","SecretAccessKey":"fake-secret-caf\u00e9","Note":"café","Token":"fake-token","Expiration":"2023-11-14T23:13:20.123Z"}"#;
    vec![body.as_bytes().to_vec(), Vec::new()]
}

#[test]
fn metadata_replies_parse_and_every_truncation_is_handled() {
    for body in metadata_bodies() {
        let whole = s3adt_core::parse_metadata_reply_for_fuzzing(&body);
        assert_eq!(whole.is_ok(), !body.is_empty(), "{whole:?}");
        for n in 0..body.len() {
            let cut = s3adt_core::parse_metadata_reply_for_fuzzing(&body[..n]);
            assert!(cut.is_err(), "a cut body is not credentials: {n}");
            assert!(!cut.unwrap_err().contains("fake-secret"));
        }
    }
    // Cut inside the two bytes of the \u{e9}: not UTF-8, said without the body.
    let body = &metadata_bodies()[0];
    let at = body.windows(2).position(|w| w == "é".as_bytes()).unwrap() + 1;
    let e = s3adt_core::parse_metadata_reply_for_fuzzing(&body[..at]).unwrap_err();
    assert!(e.starts_with("reply body is not UTF-8"), "{e}");
}
