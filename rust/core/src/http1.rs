//! A minimal HTTP/1.1 client for plain-HTTP metadata endpoints (EC2 instance metadata, container
//! credentials): one request per connection, bounded in time and in response size. Not for S3
//! or STS, which go through the AWS SDK.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MAX_RESPONSE: usize = 1024 * 1024;

#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub body: String,
}

/// `http://host[:port]/path` to (host, port, path).
pub(crate) fn split_url(url: &str) -> Result<(String, u16, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url:?}: only http:// metadata endpoints are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (
            h.to_owned(),
            p.parse().map_err(|_| format!("{url:?}: bad port"))?,
        ),
        _ => (authority.to_owned(), 80),
    };
    Ok((
        host.trim_matches(['[', ']']).to_owned(),
        port,
        path.to_owned(),
    ))
}

pub(crate) async fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    timeout: Duration,
) -> Result<Response, String> {
    tokio::time::timeout(timeout, request_inner(method, url, headers))
        .await
        .map_err(|_| format!("{method} {url}: no answer within {timeout:?}"))?
}

async fn request_inner(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
) -> Result<Response, String> {
    let (host, port, path) = split_url(url)?;
    let mut stream = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| format!("{method} {url}: {e}"))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\nContent-Length: 0\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream
        .write_all(req.as_bytes())
        .await
        .map_err(|e| format!("{method} {url}: {e}"))?;
    let mut buf = Vec::new();
    (&mut stream)
        .take(MAX_RESPONSE as u64 + 1)
        .read_to_end(&mut buf)
        .await
        .map_err(|e| format!("{method} {url}: {e}"))?;
    if buf.len() > MAX_RESPONSE {
        return Err(format!(
            "{method} {url}: response larger than {MAX_RESPONSE} bytes"
        ));
    }
    parse(&buf).map_err(|e| format!("{method} {url}: {e}"))
}

fn parse(buf: &[u8]) -> Result<Response, String> {
    let text = String::from_utf8_lossy(buf);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or("malformed HTTP response")?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("malformed HTTP status line")?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_owned()
    };
    Ok(Response { status, body })
}

fn dechunk(mut s: &str) -> Result<String, String> {
    let mut out = String::new();
    loop {
        let (size_line, rest) = s.split_once("\r\n").ok_or("malformed chunk")?;
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| "malformed chunk size")?;
        if size == 0 {
            return Ok(out);
        }
        if rest.len() < size {
            return Err("truncated chunk".into());
        }
        out.push_str(&rest[..size]);
        s = rest[size..]
            .strip_prefix("\r\n")
            .ok_or("malformed chunk end")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_responses() {
        assert_eq!(
            split_url("http://127.0.0.1:8080/a/b").unwrap(),
            ("127.0.0.1".into(), 8080, "/a/b".into())
        );
        assert_eq!(
            split_url("http://[::1]:9/").unwrap(),
            ("::1".into(), 9, "/".into())
        );
        assert_eq!(
            split_url("http://host").unwrap(),
            ("host".into(), 80, "/".into())
        );
        assert!(split_url("https://x/").is_err());
        let r = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "abcde"));
        assert!(parse(b"garbage").is_err());
    }
}
