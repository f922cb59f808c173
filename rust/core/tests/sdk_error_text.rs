//! Review M1: errors built from SDK failures hold the HTTP status, the service's code and
//! message and the `Display` of the error's sources, never the raw response the SDK keeps in
//! its `Debug` form. Fake STS and S3 servers on loopback answer with replies the SDK cannot
//! read, holding marker secrets that must not reach the error text.

mod common;

use common::conf::{s3_conf, sts_conf};
use s3adt_core::auth::issue::{issue, TokenRequest};
use s3adt_core::conf::bindings;
use s3adt_core::store::S3Store;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

const MARKER: &str = "MARKER-SECRET-m1";

/// A server on 127.0.0.1 answering every request with `status` and `body` (then closing the
/// connection); it lives as long as the test process.
fn fake_server(status: &'static str, content_type: &'static str, body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            read_request(&mut conn);
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = conn.write_all(reply.as_bytes());
        }
    });
    format!("http://{addr}")
}

/// Reads the request head and its Content-Length body.
fn read_request(conn: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    let _ = conn.read_exact(&mut body);
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn sts_error(status: &'static str, content_type: &'static str, body: String) -> String {
    sts_error_at(fake_server(status, content_type, body))
}

fn sts_error_at(endpoint: String) -> String {
    let mut c = sts_conf(bindings::SESSION, &endpoint);
    c.set("fs.s3a.retry.limit", "0");
    let req = TokenRequest {
        bucket: "bucket-a".into(),
        owner: "alice".into(),
        renewer: "yarn".into(),
    };
    s3adt_core::runtime::block_on(issue(&c, &req, &no_env))
        .unwrap_err()
        .to_string()
}

fn session_response(root: &str, expiration: &str) -> String {
    format!(
        r#"<{root} xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetSessionTokenResult>
    <Credentials>
      <AccessKeyId>ASIAFAKESTS</AccessKeyId>
      <SecretAccessKey>{MARKER}-secret-key</SecretAccessKey>
      <SessionToken>{MARKER}-session-token</SessionToken>
      <Expiration>{expiration}</Expiration>
    </Credentials>
  </GetSessionTokenResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</{root}>"#
    )
}

/// The text is short, names the status, and carries no raw response or Rust `Debug` tail.
fn assert_clean(err: &str) {
    assert!(!err.contains(MARKER), "a marker secret leaked: {err}");
    for debug in [
        "SdkBody",
        "Response {",
        "DispatchFailure(",
        "Unhandled {",
        "b\"",
    ] {
        assert!(!err.contains(debug), "Debug text {debug:?} in: {err}");
    }
    assert!(err.len() < 600, "{} bytes: {err}", err.len());
}

/// An answer with `status` (`"502 Bad Gateway"`) and `body` fails naming the status and the
/// cause only.
fn assert_names_status_and_cause_only(
    status: &'static str,
    content_type: &'static str,
    body: String,
) {
    let err = sts_error(status, content_type, body);
    assert_clean(&err);
    let code = status.split(' ').next().unwrap();
    let start = format!("STS GetSessionToken failed after 1 attempt(s): HTTP {code}: ");
    assert!(err.starts_with(&start), "{err}");
}

/// A 200 answer with `body` that the SDK cannot parse fails naming the status and the cause only.
fn assert_200_names_status_and_cause_only(body: String) {
    assert_names_status_and_cause_only("200 OK", "text/xml", body);
}

#[test]
fn sts_200_with_a_bad_expiration_names_status_and_cause_only() {
    assert_200_names_status_and_cause_only(session_response(
        "GetSessionTokenResponse",
        "not-a-date",
    ));
}

#[test]
fn sts_200_with_a_wrong_root_element_names_status_and_cause_only() {
    assert_200_names_status_and_cause_only(session_response(
        "SomethingElse",
        "2099-01-01T00:00:00Z",
    ));
}

#[test]
fn sts_non_xml_5xx_page_is_not_copied_into_the_error() {
    let page = format!("<html><body><h1>Bad Gateway</h1><p>debug: {MARKER}</p></body></html>");
    assert_names_status_and_cause_only("502 Bad Gateway", "text/html", page);
}

/// Fault review, "Error text": the facts stay, the SDK's `Debug` tail goes.
#[test]
fn a_refused_connection_reads_as_the_chain_of_causes() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = sts_error_at(format!("http://127.0.0.1:{port}"));
    assert_clean(&err);
    assert!(err.contains("dispatch failure: "), "{err}");
    assert!(err.contains("Connection refused"), "{err}");
}

fn s3_list_error(status: &'static str, content_type: &'static str, body: String) -> String {
    let endpoint = fake_server(status, content_type, body);
    let mut c = s3_conf(&endpoint);
    c.set("fs.s3a.retry.limit", "0");
    let store = S3Store::new("bucket-a", &c, None).unwrap();
    s3adt_core::runtime::block_on(store.list("dir/", true, 0))
        .unwrap_err()
        .to_string()
}

#[test]
fn s3_non_xml_5xx_page_is_not_copied_into_the_error() {
    let page = format!("<html><body><h1>Bad Gateway</h1><p>debug: {MARKER}</p></body></html>");
    let err = s3_list_error("502 Bad Gateway", "text/html", page);
    assert_clean(&err);
    assert!(err.contains("(HTTP 502)"), "{err}");
}

#[test]
fn s3_200_the_sdk_cannot_read_is_not_copied_into_the_error() {
    let err = s3_list_error("200 OK", "application/xml", format!("not xml {MARKER}"));
    assert_clean(&err);
    assert!(err.contains("HTTP 200"), "{err}");
}
