//! One plain request to a metadata endpoint (EC2 instance metadata, container credentials)
//! through the AWS SDK's HTTP stack and the one HTTP client s3adt shares
//! ([`crate::runtime::http_client`]): hyper parses the reply (status line, headers, chunked
//! bodies), not hand-written code. No retries (a metadata endpoint that does not answer means
//! "not here"), one deadline for the whole request, one request per connection.
//!
//! The reply carries credentials: its body is read chunk by chunk into wiped memory and the
//! read stops with an error as soon as it passes [`MAX_RESPONSE`] (a declared length above it
//! fails before any byte is read), so a misbehaving endpoint cannot make s3adt buffer more than
//! that; it is decoded as UTF-8 once, and every failure is an error whose text never quotes the
//! reply.

use crate::sdk_error::error_chain;
use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime_api::client::interceptors::context::{Error, Output};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::ser_de::DeserializeResponse;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::timeout::TimeoutConfig;
use std::convert::Infallible;
use std::time::Duration;
use zeroize::Zeroizing;

pub(crate) const MAX_RESPONSE: usize = 1024 * 1024;

#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    /// Wiped on drop: metadata replies hold credentials.
    pub body: Zeroizing<String>,
}

/// What the deserializer keeps of a reply: its status and its body, not yet read (the
/// orchestrator's streaming path, so hyper does not buffer the whole body first).
struct Raw {
    status: u16,
    body: SdkBody,
}

/// The SDK may log its output: never the body.
impl std::fmt::Debug for Raw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raw").field("status", &self.status).finish()
    }
}

/// Hands the orchestrator's response over unread, status and body.
#[derive(Debug)]
struct TakeBody;

impl DeserializeResponse for TakeBody {
    fn deserialize_streaming(
        &self,
        response: &mut HttpResponse,
    ) -> Option<Result<Output, OrchestratorError<Error>>> {
        let body = std::mem::replace(response.body_mut(), SdkBody::taken());
        Some(Ok(Output::erase(Raw {
            status: response.status().as_u16(),
            body,
        })))
    }

    fn deserialize_nonstreaming(
        &self,
        _response: &HttpResponse,
    ) -> Result<Output, OrchestratorError<Error>> {
        unreachable!("deserialize_streaming always answers")
    }
}

/// The body into wiped memory, failing as soon as more than `limit` bytes have arrived (or a
/// declared length says there will be).
async fn read_limited(body: SdkBody, limit: usize) -> Result<Zeroizing<Vec<u8>>, String> {
    let too_big = || format!("response larger than {limit} bytes");
    let declared = body.content_length();
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_big());
    }
    let mut out = Zeroizing::new(Vec::with_capacity(declared.unwrap_or(0) as usize));
    let mut stream = ByteStream::new(body);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("reading the reply: {}", error_chain(&e)))?;
        if out.len() + chunk.len() > limit {
            return Err(too_big());
        }
        if out.capacity() < out.len() + chunk.len() {
            // Grow by copying into a new wiped buffer, so no freed block keeps a copy.
            let mut bigger = Zeroizing::new(Vec::with_capacity(
                (out.len() + chunk.len()).max(2 * out.capacity()).min(limit),
            ));
            bigger.extend_from_slice(&out);
            out = bigger;
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// `scheme://authority[/path]` to (`scheme://authority`, `/path`).
fn split_origin(url: &str) -> Result<(&str, &str), String> {
    let after = url
        .find("://")
        .map(|i| i + 3)
        .ok_or_else(|| format!("{url:?}: not an http:// URL"))?;
    Ok(match url[after..].find('/') {
        Some(i) => url.split_at(after + i),
        None => (url, "/"),
    })
}

/// `method url` with `headers`, answered within `timeout` (connect included).
pub(crate) async fn request(
    method: &'static str,
    url: &str,
    headers: &[(&'static str, &str)],
    timeout: Duration,
) -> Result<Response, String> {
    let client = crate::runtime::http_client();
    request_with(method, url, headers, None, timeout, client).await
}

/// [`request`] with a body (sent as it is; the caller sets its content type) and an HTTP client
/// of the caller's (one that trusts another CA: Vault's `tls.ca.file`).
pub(crate) async fn request_with(
    method: &'static str,
    url: &str,
    headers: &[(&'static str, &str)],
    body: Option<bytes::Bytes>,
    timeout: Duration,
    client: aws_smithy_runtime_api::client::http::SharedHttpClient,
) -> Result<Response, String> {
    let (origin, path) = split_origin(url)?;
    let path = path.to_owned();
    let headers: Vec<(&'static str, Zeroizing<String>)> = headers
        .iter()
        .map(|(k, v)| (*k, Zeroizing::new((*v).to_owned())))
        .collect();
    let op = Operation::builder()
        .service_name("metadata")
        .operation_name(method)
        .http_client(client)
        .endpoint_url(origin)
        .no_auth()
        .no_retry()
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(timeout)
                .operation_timeout(timeout)
                .build(),
        )
        .serializer(move |(): ()| {
            let mut req = HttpRequest::new(body.clone().map_or_else(SdkBody::empty, SdkBody::from));
            req.set_method(method)?;
            req.set_uri(path.as_str())?;
            // One request per connection, as the endpoint agents expect.
            req.headers_mut().insert("connection", "close");
            for (k, v) in &headers {
                req.headers_mut().try_insert(*k, v.as_str().to_owned())?;
            }
            Ok(req)
        })
        .deserializer_impl::<Raw, Infallible>(TakeBody)
        .build();
    let read = async {
        let raw = op
            .invoke(())
            .await
            .map_err(|e| format!("{method} {url}: {}", error_chain(&e)))?;
        let body = read_limited(raw.body, MAX_RESPONSE)
            .await
            .map_err(|e| format!("{method} {url}: {e}"))?;
        Ok::<_, String>((raw.status, body))
    };
    // The operation timeout ends with the headers; this one covers the body as well.
    let (status, mut body) = tokio::time::timeout(timeout, read)
        .await
        .map_err(|_| format!("{method} {url}: no whole reply within {timeout:?}"))??;
    // Decoding moves the bytes into the String (no copy); on failure they are wiped here.
    let body = match String::from_utf8(std::mem::take(&mut *body)) {
        Ok(s) => Zeroizing::new(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            drop(Zeroizing::new(e.into_bytes()));
            return Err(format!(
                "{method} {url}: reply body is not UTF-8 (bad byte at offset {at})"
            ));
        }
    };
    Ok(Response { status, body })
}

#[cfg(test)]
#[path = "../../../tests/common/http.rs"]
mod test_http;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_paths() {
        assert_eq!(
            split_origin("http://127.0.0.1:8080/a/b").unwrap(),
            ("http://127.0.0.1:8080", "/a/b")
        );
        assert_eq!(
            split_origin("http://[::1]:9/").unwrap(),
            ("http://[::1]:9", "/")
        );
        assert_eq!(split_origin("http://host").unwrap(), ("http://host", "/"));
        assert!(split_origin("host/x").is_err());
    }

    /// A real HTTP server on loopback: answers one request with `head` and then `body_len`
    /// bytes of `a`s in 64 KiB writes, stopping at the first failed write; returns its URL
    /// and what it managed to write.
    fn serve_once(head: String, body_len: usize) -> (String, std::thread::JoinHandle<usize>) {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/big", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            super::test_http::read_head(&mut conn);
            conn.write_all(head.as_bytes()).unwrap();
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            while sent < body_len {
                let n = chunk.len().min(body_len - sent);
                if conn.write_all(&chunk[..n]).is_err() {
                    break;
                }
                sent += n;
            }
            sent
        });
        (url, server)
    }

    fn get(url: &str) -> Result<Response, String> {
        crate::runtime::block_on(request("GET", url, &[], Duration::from_secs(30)))
    }

    #[test]
    fn a_body_past_the_limit_is_refused_while_it_is_read() {
        // No length announced (the body ends when the connection does) and far more than the
        // limit: the client must stop reading at the limit, not take it all and then refuse.
        let endless = 256 * MAX_RESPONSE;
        let (url, server) = serve_once(
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_owned(),
            endless,
        );
        let e = get(&url).unwrap_err();
        assert!(e.contains("response larger than 1048576 bytes"), "{e}");
        let sent = server.join().unwrap();
        // What the server got out before the client hung up: the limit plus what the two
        // sockets' buffers hold, nowhere near the 256 MiB it would have sent.
        assert!(sent < 32 * MAX_RESPONSE, "server wrote {sent} bytes");

        // One byte past the limit is past it.
        let (url, server) = serve_once(
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_owned(),
            MAX_RESPONSE + 1,
        );
        let e = get(&url).unwrap_err();
        assert!(e.contains("response larger than"), "{e}");
        assert_eq!(server.join().unwrap(), MAX_RESPONSE + 1);
    }

    #[test]
    fn a_declared_length_past_the_limit_is_refused_before_the_body() {
        let (url, server) = serve_once(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
                64 * MAX_RESPONSE
            ),
            64 * MAX_RESPONSE,
        );
        let e = get(&url).unwrap_err();
        assert!(e.contains("response larger than 1048576 bytes"), "{e}");
        assert!(server.join().unwrap() < 32 * MAX_RESPONSE);
    }

    #[test]
    fn a_body_of_exactly_the_limit_is_read_whole() {
        for head in [
            format!("HTTP/1.1 200 OK\r\nContent-Length: {MAX_RESPONSE}\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_owned(),
        ] {
            let (url, server) = serve_once(head, MAX_RESPONSE);
            let r = get(&url).unwrap();
            assert_eq!(server.join().unwrap(), MAX_RESPONSE);
            assert_eq!(r.status, 200);
            assert_eq!(r.body.len(), MAX_RESPONSE);
            assert!(r.body.bytes().all(|b| b == b'a'));
        }
    }
}
