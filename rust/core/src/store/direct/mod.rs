//! GetObject, HeadObject and PutObject without the SDK's request pipeline, for a store reached
//! over plain HTTP at a configured endpoint (an on-premises store: Ceph RGW, Ozone's S3
//! gateway, MinIO; the benchmark's loopback RGW): the GETs of the read streams, the HEADs of
//! getFileStatus and of a create's probe, and the PUT of each object written whole from memory
//! (up to [`PUT_MAX`]: every small file).
//!
//! Why: a small file's read is one GET and its write one PUT, and the SDK's pipeline around
//! each (endpoint rules, auth-scheme resolution, interceptors, the user-agent, the signer's
//! general canonicalisation, the output deserialiser) was most of the CPU a small file took
//! besides the server's (issue 12). Here the request is signed with SigV4 from the exact bytes
//! sent (`sigv4.rs`) and sent over a pooled HTTP/1.1 connection that the waiting caller drives
//! itself: no connection task, so a small request is no hand-off between threads beyond the
//! socket's readiness. A GET of a MiB or more goes through the SDK (`read.rs` chooses): its
//! HTTP client's connection task reads the socket while the caller copies what came before,
//! which measured at least as fast as a task of ours pumping the body (docs/benchmarks.md).
//!
//! The same semantics as the SDK's requests: the credentials of [`StoreCredentials`] per
//! request (a bound token is looked up each time), the SSE-S3/KMS and SSE-C headers, `Range`
//! and `If-Match`; the answer's status, `Content-Range`, `Content-Length` and `ETag`; a service
//! error's `<Code>` and `<Message>` classified by the same rules (`error::service_failure`),
//! transport failures and timeouts as transient, the same attempt timeouts. A pooled
//! connection that turns out closed is replaced and the request sent again once, as any HTTP
//! client does for an idempotent request (GET, HEAD and PUT are).
//!
//! Not here, left to the SDK: HTTPS (AWS itself and any TLS endpoint), virtual-host addressing
//! of an IP address or of a bucket name with dots, every other operation, and
//! `fs.s3a.s3adt.direct.requests=false`.

use super::error::{credential_failure, http_reason, service_failure, Failure, S3ErrorKind};
use super::settings::S3Settings;
use super::sigv4::{self, SigningKey};
use crate::auth::bound::StoreCredentials;
use crate::retry::Retry;
use aws_credential_types::provider::ProvideCredentials;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::future::{poll_fn, Future};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime};
use tokio::net::TcpStream;

mod link;
pub(crate) use link::DirectBody;
use link::{Link, Pool};

/// The largest PUT sent directly (its body is hashed for the signature); larger objects and
/// parts buffered on disk go through the SDK.
pub(crate) const PUT_MAX: u64 = 8 << 20;
/// GETs of fewer bytes than this are sent directly, larger ones through the SDK.
pub(crate) const GET_MAX: u64 = 1 << 20;
/// The most bytes of an error answer read for its code and message.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Where the direct requests go, for one store. Built by [`Direct::new`] when the store qualifies.
pub(crate) struct Direct {
    /// The `Host` header.
    authority: String,
    /// `host:port` to connect to.
    address: String,
    /// Prepended to `/key`: the endpoint's own path and, path-style, `/bucket`.
    path_prefix: String,
    region: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    pool: Arc<Pool>,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Direct")
            .field("authority", &self.authority)
            .field("path_prefix", &self.path_prefix)
            .finish()
    }
}

/// The requests sent directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    /// A HeadObject: the answer's headers, no body.
    Head,
    /// A PutObject of a body in memory.
    Put,
}

impl Method {
    /// The HTTP method, as signed and sent.
    fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Put => "PUT",
        }
    }
}

/// One GET, HEAD or PUT.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub key: &'a str,
    pub range: Option<&'a str>,
    pub if_match: Option<&'a str>,
    /// SSE-S3/KMS of a new object: `x-amz-server-side-encryption` and the KMS key.
    pub sse: Option<(String, Option<String>)>,
    /// SSE-C: algorithm, key (base64), key MD5 (base64).
    pub sse_c: Option<(&'static str, String, String)>,
    /// A PUT's bytes (empty for a GET or HEAD).
    pub body: Bytes,
    /// The longest one attempt may take (`fs.s3a.connection.request.timeout`, or for a PUT
    /// `fs.s3a.connection.part.upload.timeout`).
    pub attempt_timeout: Option<Duration>,
}

/// A 2xx answer: what the streams use of it, and its body.
pub(crate) struct Answer {
    pub content_range: Option<String>,
    pub content_length: Option<u64>,
    pub etag: Option<String>,
    /// `Last-Modified`, as sent (an HTTP date).
    pub last_modified: Option<String>,
    pub body: DirectBody,
}

fn transient(message: String) -> Failure {
    Failure {
        retry: Retry::Transient,
        kind: S3ErrorKind::Other,
        status: None,
        code: None,
        message,
    }
}

/// `host[:port]` and the path of an `http://` URL; None for any other URL or one with userinfo.
fn split_http_url(url: &str) -> Option<(&str, &str)> {
    let scheme = url.get(..7)?;
    if !scheme.eq_ignore_ascii_case("http://") {
        return None;
    }
    let rest = &url[7..];
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], &rest[i..]),
        Some(_) => return None,
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') || path.contains(['?', '#', '%']) {
        return None;
    }
    Some((authority, path.trim_end_matches('/')))
}

/// A bucket name usable as a DNS label of its own (virtual-host addressing over plain HTTP).
fn dns_label(bucket: &str) -> bool {
    (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !bucket.starts_with('-')
        && !bucket.ends_with('-')
}

impl Direct {
    /// The direct requests for `bucket` when its store is reached over plain HTTP at a
    /// configured endpoint and `fs.s3a.s3adt.direct.requests` is not false; None otherwise (the
    /// SDK then makes every request).
    pub(crate) fn new(settings: &S3Settings, bucket: &str) -> Option<Direct> {
        if !settings.direct_requests {
            return None;
        }
        let (authority, base_path) = split_http_url(settings.endpoint_url.as_deref()?)?;
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !p.contains(']') => (h, p.parse::<u16>().ok()?),
            _ => (authority, 80),
        };
        let ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
        let mut path_prefix = base_path.to_owned();
        let (authority, address) = if settings.path_style {
            path_prefix.push('/');
            crate::percent::encode_into(&mut path_prefix, bucket, b"-._~");
            (authority.to_owned(), format!("{host}:{port}"))
        } else if !ip && host != "localhost" && dns_label(bucket) {
            (
                format!("{bucket}.{authority}"),
                format!("{bucket}.{host}:{port}"),
            )
        } else {
            return None;
        };
        Some(Direct {
            authority,
            address,
            path_prefix,
            region: settings.region.clone(),
            connect_timeout: settings.connect_timeout,
            read_timeout: settings.read_timeout,
            pool: Arc::default(),
        })
    }

    /// Connections opened so far.
    pub(crate) fn connections_opened(&self) -> u64 {
        self.pool.opened.load(Ordering::Relaxed)
    }

    async fn connect(&self) -> Result<Link, Failure> {
        let stream = match tokio::time::timeout(
            self.connect_timeout,
            TcpStream::connect(self.address.as_str()),
        )
        .await
        {
            Err(_) => {
                return Err(transient(format!(
                    "connecting to {}: no connection after {} ms",
                    self.address,
                    self.connect_timeout.as_millis()
                )))
            }
            Ok(Err(e)) => return Err(transient(format!("connecting to {}: {e}", self.address))),
            Ok(Ok(s)) => s,
        };
        let _ = stream.set_nodelay(true);
        let (send, conn) = http1::Builder::new()
            .handshake(TokioIo::new(stream))
            .await
            .map_err(|e| transient(format!("connecting to {}: {e}", self.address)))?;
        self.pool.opened.fetch_add(1, Ordering::Relaxed);
        Ok(Link {
            send,
            conn: Box::pin(conn),
            over: false,
            idle_since: Instant::now(),
        })
    }

    /// One attempt of `call`, signed with the store's credentials now: the answer, or the
    /// failure classified for the retry loop.
    pub(crate) async fn send(
        &self,
        credentials: &StoreCredentials,
        call: &Call<'_>,
    ) -> Result<Answer, Failure> {
        let attempt = self.attempt(credentials, call);
        match call.attempt_timeout {
            None => attempt.await,
            Some(limit) => tokio::time::timeout(limit, attempt)
                .await
                .unwrap_or_else(|_| {
                    let key = match call.method {
                        Method::Get | Method::Head => "fs.s3a.connection.request.timeout",
                        Method::Put => "fs.s3a.connection.part.upload.timeout",
                    };
                    Err(transient(format!(
                        "no answer within {} ms ({key})",
                        limit.as_millis()
                    )))
                }),
        }
    }

    async fn attempt(
        &self,
        credentials: &StoreCredentials,
        call: &Call<'_>,
    ) -> Result<Answer, Failure> {
        let creds = credentials
            .provide_credentials()
            .await
            .map_err(|e| credential_failure(&e))?;
        let mut path = String::with_capacity(self.path_prefix.len() + call.key.len() + 8);
        path.push_str(&self.path_prefix);
        path.push('/');
        crate::percent::encode_into(&mut path, call.key, b"-._~/");
        let payload_sha256 = match call.method {
            Method::Get | Method::Head => sigv4::EMPTY_SHA256.to_owned(),
            Method::Put => sigv4::sha256_hex(&call.body),
        };
        let mut pooled = true;
        let mut link = match self.pool.take().await {
            Some(l) => l,
            None => {
                pooled = false;
                self.connect().await?
            }
        };
        loop {
            let request = self.request(&creds, &path, &payload_sha256, call)?;
            match self.exchange(&mut link, request, call.method).await {
                Ok(response) => return self.answer(link, response).await,
                // A kept connection the server closed meanwhile: once more on a new one (not
                // after a timeout: a server that does not answer is no closed connection).
                Err((_, true)) if pooled => {
                    pooled = false;
                    link = self.connect().await?;
                }
                Err((e, _)) => return Err(e),
            }
        }
    }

    fn request(
        &self,
        creds: &aws_credential_types::Credentials,
        path: &str,
        payload_sha256: &str,
        call: &Call<'_>,
    ) -> Result<hyper::Request<Full<Bytes>>, Failure> {
        let date = sigv4::amz_date(SystemTime::now());
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(12);
        headers.push(("host", &self.authority));
        if let Some(etag) = call.if_match {
            headers.push(("if-match", etag));
        }
        if let Some(range) = call.range {
            headers.push(("range", range));
        }
        headers.push(("x-amz-content-sha256", payload_sha256));
        headers.push(("x-amz-date", &date));
        if let Some(token) = creds.session_token() {
            headers.push(("x-amz-security-token", token));
        }
        if let Some((sse, kms_key)) = &call.sse {
            headers.push(("x-amz-server-side-encryption", sse));
            if let Some(k) = kms_key {
                headers.push(("x-amz-server-side-encryption-aws-kms-key-id", k));
            }
        }
        if let Some((alg, key, md5)) = &call.sse_c {
            headers.push(("x-amz-server-side-encryption-customer-algorithm", alg));
            headers.push(("x-amz-server-side-encryption-customer-key", key));
            headers.push(("x-amz-server-side-encryption-customer-key-md5", md5));
        }
        let authorization = sigv4::authorization(
            &SigningKey {
                access_key: creds.access_key_id(),
                secret_key: creds.secret_access_key(),
                region: &self.region,
                service: "s3",
            },
            call.method.name(),
            path,
            &headers,
            &date,
            payload_sha256,
        );
        let mut b = hyper::Request::builder()
            .method(call.method.name())
            .uri(path);
        if call.method == Method::Put {
            b = b.header("content-length", call.body.len().to_string());
        }
        for (name, value) in &headers {
            b = b.header(*name, *value);
        }
        b.header("authorization", authorization)
            .header("user-agent", concat!("s3adt/", env!("CARGO_PKG_VERSION")))
            .body(Full::new(call.body.clone()))
            .map_err(|e| Failure {
                retry: Retry::Never,
                kind: S3ErrorKind::Other,
                status: None,
                code: None,
                message: format!("building the request: {e}"),
            })
    }

    /// Send `request` on `link` and wait for the answer's head, driving the connection. A
    /// failure says whether the connection failed (true) or the server did not answer in time.
    async fn exchange(
        &self,
        link: &mut Link,
        request: hyper::Request<Full<Bytes>>,
        method: Method,
    ) -> Result<hyper::Response<Incoming>, (Failure, bool)> {
        let method = method.name();
        let mut answer = std::pin::pin!(link.send.send_request(request));
        let read = poll_fn(|cx| {
            let over = link.drive(cx);
            if let Poll::Ready(r) = answer.as_mut().poll(cx) {
                return Poll::Ready(r.map_err(|e| {
                    let message = format!("{method} to {}: {e}", self.authority);
                    (transient(message), true)
                }));
            }
            if over {
                let message = format!(
                    "{method} to {}: the connection closed before an answer",
                    self.authority
                );
                return Poll::Ready(Err((transient(message), true)));
            }
            Poll::Pending
        });
        tokio::time::timeout(self.read_timeout, read)
            .await
            .unwrap_or_else(|_| {
                let message = format!(
                    "{method} to {}: no answer for {} ms (fs.s3a.connection.timeout)",
                    self.authority,
                    self.read_timeout.as_millis()
                );
                Err((transient(message), false))
            })
    }

    async fn answer(
        &self,
        link: Link,
        response: hyper::Response<Incoming>,
    ) -> Result<Answer, Failure> {
        let (head, incoming) = response.into_parts();
        let text = |name: &str| {
            head.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let mut body = DirectBody {
            link: Some(link),
            incoming,
            pool: self.pool.clone(),
        };
        let status = head.status.as_u16();
        if head.status.is_success() {
            let content_length = text("content-length").and_then(|l| l.trim().parse().ok());
            return Ok(Answer {
                content_range: text("content-range"),
                content_length,
                etag: text("etag"),
                last_modified: text("last-modified"),
                body,
            });
        }
        // An error: its code and message from the body, as the SDK reads them.
        let mut bytes = Vec::new();
        let read_all = async {
            while let Some(chunk) = body.next().await {
                match chunk {
                    Ok(c) if bytes.len() + c.len() <= MAX_ERROR_BODY => bytes.extend_from_slice(&c),
                    _ => return false,
                }
            }
            true
        };
        let whole = tokio::time::timeout(self.read_timeout, read_all)
            .await
            .unwrap_or(false);
        let (code, message) = if whole && bytes.is_empty() {
            // No body (every answer to a HEAD): as the SDK's S3 error parser, a 404 is
            // "NotFound" and nothing else has a code.
            ((status == 404).then(|| "NotFound".to_owned()), None)
        } else if whole {
            crate::sdk_error::s3_xml_error_text(&String::from_utf8_lossy(&bytes))
        } else {
            (None, None)
        };
        let message = message.unwrap_or_else(|| http_reason(status).to_owned());
        Err(service_failure(status, code, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::Configuration;

    fn direct(settings: &[(&str, &str)], bucket: &str) -> Option<(String, String, String)> {
        let mut c = Configuration::new();
        for (k, v) in settings {
            c.set(*k, *v);
        }
        let s = S3Settings::from_config(&c).unwrap();
        Direct::new(&s, bucket).map(|d| (d.authority, d.address, d.path_prefix))
    }

    #[test]
    fn plain_http_endpoints_only_and_the_addressing_the_sdk_would_use() {
        let path = ("fs.s3a.path.style.access", "true");
        let at = |e: &'static str| ("fs.s3a.endpoint", e);
        assert_eq!(
            direct(&[at("http://127.0.0.1:7480"), path], "b"),
            Some((
                "127.0.0.1:7480".into(),
                "127.0.0.1:7480".into(),
                "/b".into()
            ))
        );
        assert_eq!(
            direct(&[at("HTTP://store.example/base/"), path], "b-1"),
            Some((
                "store.example".into(),
                "store.example:80".into(),
                "/base/b-1".into()
            ))
        );
        assert_eq!(
            direct(&[at("http://store.example:9878")], "bucket-1"),
            Some((
                "bucket-1.store.example:9878".into(),
                "bucket-1.store.example:9878".into(),
                String::new()
            ))
        );
        assert_eq!(
            direct(&[at("http://[::1]:9000"), path], "b"),
            Some(("[::1]:9000".into(), "[::1]:9000".into(), "/b".into()))
        );
        // Left to the SDK: TLS, AWS itself, virtual hosts it would not make, odd URLs, and
        // the switch.
        for settings in [
            vec![at("https://store.example"), path],
            vec![at("store.example"), path],
            vec![],
            vec![at("http://127.0.0.1:7480")],
            vec![at("http://localhost:7480")],
            vec![at("http://user@store.example"), path],
            vec![at("http://store.example/a?b"), path],
            vec![at("http://store.example:port"), path],
            vec![
                at("http://127.0.0.1:7480"),
                path,
                ("fs.s3a.s3adt.direct.requests", "false"),
            ],
        ] {
            assert_eq!(direct(&settings, "b-1"), None, "{settings:?}");
        }
        assert_eq!(direct(&[at("http://store.example")], "with.dots"), None);
        assert_eq!(
            direct(
                &[
                    at("http://store.example"),
                    ("fs.s3a.connection.ssl.enabled", "false")
                ],
                "b-1"
            )
            .map(|d| d.0),
            Some("b-1.store.example".into())
        );
    }
}
