//! Replies of the instance-metadata and container-credentials endpoints, whole and cut at every
//! byte, through the reply parser: an error or credentials, never a panic.

/// Replies of the metadata endpoints (instance metadata, container credentials): plain, with a
/// Content-Length, and chunked with a chunk boundary inside a character.
fn metadata_replies() -> Vec<Vec<u8>> {
    let body = r#"{"Code":"Success","LastUpdated":"2023-11-14T22:13:20Z","Type":"AWS-HMAC","AccessKeyId":"ASIAFAKE","SecretAccessKey":"fake-secret-caf\u00e9","Note":"café","Token":"fake-token","Expiration":"2023-11-14T23:13:20.123Z"}"#;
    let split = body.find('\u{e9}').unwrap() + 1;
    let mut chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let (first, second) = body.as_bytes().split_at(split);
    for part in [first, second] {
        chunked.extend(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend(part);
        chunked.extend(b"\r\n");
    }
    chunked.extend(b"0\r\n\r\n");
    vec![
        format!("HTTP/1.1 200 OK\r\n\r\n{body}").into_bytes(),
        format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
        chunked,
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
    ]
}

#[test]
fn metadata_replies_parse_and_every_truncation_is_handled() {
    for reply in metadata_replies() {
        let whole = s3adt_core::parse_metadata_reply_for_fuzzing(&reply);
        if reply.starts_with(b"HTTP/1.1 200") {
            assert_eq!(whole, Ok(()));
        }
        for n in 0..reply.len() {
            let _ = s3adt_core::parse_metadata_reply_for_fuzzing(&reply[..n]);
        }
    }
}
