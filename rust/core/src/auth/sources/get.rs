//! One plain request to a metadata endpoint (EC2 instance metadata, container credentials)
//! through the AWS SDK's HTTP stack and the one HTTP client s3adt shares
//! ([`crate::runtime::http_client`]): hyper parses the reply (status line, headers, chunked
//! bodies), not hand-written code. No retries (a metadata endpoint that does not answer means
//! "not here"), one deadline for the whole request, one request per connection.
//!
//! The reply carries credentials: its body is copied once into wiped memory, bounded by
//! [`MAX_RESPONSE`], decoded as UTF-8 once, and every failure is an error whose text never
//! quotes the reply.

use crate::sdk_error::error_chain;
use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_types::body::SdkBody;
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

/// What the deserializer keeps of a reply: its status and a wiped copy of its body.
struct Raw {
    status: u16,
    body: Result<Zeroizing<Vec<u8>>, String>,
}

/// The SDK may log its output: never the body.
impl std::fmt::Debug for Raw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raw").field("status", &self.status).finish()
    }
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
    let (origin, path) = split_origin(url)?;
    let path = path.to_owned();
    let headers: Vec<(&'static str, Zeroizing<String>)> = headers
        .iter()
        .map(|(k, v)| (*k, Zeroizing::new((*v).to_owned())))
        .collect();
    let op = Operation::builder()
        .service_name("metadata")
        .operation_name(method)
        .http_client(crate::runtime::http_client())
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
            let mut req = HttpRequest::new(SdkBody::empty());
            req.set_method(method)?;
            req.set_uri(path.as_str())?;
            // One request per connection, as the endpoint agents expect.
            req.headers_mut().insert("connection", "close");
            for (k, v) in &headers {
                req.headers_mut().try_insert(*k, v.as_str().to_owned())?;
            }
            Ok(req)
        })
        .deserializer(|response: &HttpResponse| {
            Ok::<_, OrchestratorError<Infallible>>(Raw {
                status: response.status().as_u16(),
                body: match response.body().bytes() {
                    Some(b) if b.len() > MAX_RESPONSE => {
                        Err(format!("response larger than {MAX_RESPONSE} bytes"))
                    }
                    Some(b) => Ok(Zeroizing::new(b.to_vec())),
                    None => Err("the reply has no body".to_owned()),
                },
            })
        })
        .build();
    let raw = op
        .invoke(())
        .await
        .map_err(|e| format!("{method} {url}: {}", error_chain(&e)))?;
    let mut body = raw.body.map_err(|e| format!("{method} {url}: {e}"))?;
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
    Ok(Response {
        status: raw.status,
        body,
    })
}

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
}
