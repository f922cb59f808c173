//! A minimal HTTP/1.1 client for plain-HTTP metadata endpoints (EC2 instance metadata, container
//! credentials): one request per connection, bounded in time and in response size. Not for S3
//! or STS, which go through the AWS SDK.
//!
//! The reply is network input that carries credentials: it is parsed as bytes, bounded by
//! [`MAX_RESPONSE`], decoded as UTF-8 once at the end, and every failure is an error whose text
//! never quotes the reply.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zeroize::Zeroizing;

const MAX_RESPONSE: usize = 1024 * 1024;

#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    /// Wiped on drop: metadata replies hold credentials.
    pub body: Zeroizing<String>,
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
    let bad_port = || format!("{url:?}: bad port");
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        // [v6] or [v6]:port
        let (host, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("{url:?}: bad host"))?;
        let port = match after {
            "" => 80,
            p => p
                .strip_prefix(':')
                .and_then(|p| p.parse().ok())
                .ok_or_else(bad_port)?,
        };
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| bad_port())?),
            None => (authority, 80),
        }
    };
    Ok((host.to_owned(), port, path.to_owned()))
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
    let mut req = Zeroizing::new(format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\nContent-Length: 0\r\n"
    ));
    for (k, v) in headers {
        req.push_str(k);
        req.push_str(": ");
        req.push_str(v);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    stream
        .write_all(req.as_bytes())
        .await
        .map_err(|e| format!("{method} {url}: {e}"))?;
    // Room for the whole bounded reply up front, so no grown-out-of copy is left unwiped.
    let mut buf = Zeroizing::new(Vec::with_capacity(MAX_RESPONSE + 1));
    (&mut stream)
        .take(MAX_RESPONSE as u64 + 1)
        .read_to_end(&mut buf)
        .await
        .map_err(|e| format!("{method} {url}: {e}"))?;
    parse(&buf).map_err(|e| format!("{method} {url}: {e}"))
}

/// Parse a whole reply (the connection was closed after it). Bytes first, bounded; the body is
/// decoded as UTF-8 once, after dechunking. Errors never quote the reply.
pub(crate) fn parse(buf: &[u8]) -> Result<Response, String> {
    if buf.len() > MAX_RESPONSE {
        return Err(format!("response larger than {MAX_RESPONSE} bytes"));
    }
    let end = find(buf, b"\r\n\r\n").ok_or("malformed HTTP response: no end of headers")?;
    let (head, body) = (&buf[..end], &buf[end + 4..]);
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let status = lines
        .next()
        .and_then(status_code)
        .ok_or("malformed HTTP status line")?;
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err("malformed HTTP header line".into());
        };
        let (name, value) = (&line[..colon], trim(&line[colon + 1..]));
        if name.eq_ignore_ascii_case(b"transfer-encoding") {
            chunked |= value
                .split(|&b| b == b',')
                .any(|v| trim(v).eq_ignore_ascii_case(b"chunked"));
        } else if name.eq_ignore_ascii_case(b"content-length") {
            length = Some(decimal(value).ok_or("malformed Content-Length")?);
        }
    }
    let body = if chunked {
        dechunk(body)?
    } else {
        match length {
            Some(n) if n > body.len() => {
                return Err(format!(
                    "truncated body: Content-Length {n}, {} bytes received",
                    body.len()
                ))
            }
            Some(n) if n < body.len() => {
                return Err(format!(
                    "body longer than its Content-Length {n} ({} bytes)",
                    body.len()
                ))
            }
            _ => Zeroizing::new(body.to_vec()),
        }
    };
    // Decoding moves the bytes into the String (no copy); on failure they are wiped here.
    let mut body = body;
    let body = match String::from_utf8(std::mem::take(&mut *body)) {
        Ok(s) => Zeroizing::new(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            drop(Zeroizing::new(e.into_bytes()));
            return Err(format!("reply body is not UTF-8 (bad byte at offset {at})"));
        }
    };
    Ok(Response { status, body })
}

/// `HTTP/1.x NNN reason` to NNN.
fn status_code(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/1.")?;
    let code = rest.get(2..5)?;
    if rest.get(1) != Some(&b' ') || !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !matches!(rest.get(5), None | Some(b' ')) {
        return None;
    }
    decimal(code).and_then(|c| u16::try_from(c).ok())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Digits of `radix` only (no sign, no spaces, no `0x`), checked.
fn number(s: &[u8], radix: u32) -> Option<usize> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0usize, |n, &b| {
        let d = (b as char).to_digit(radix)?;
        n.checked_mul(radix as usize)?.checked_add(d as usize)
    })
}

fn decimal(s: &[u8]) -> Option<usize> {
    number(s, 10)
}

fn hex(s: &[u8]) -> Option<usize> {
    number(s, 16)
}

/// Undo `Transfer-Encoding: chunked`. The output is never larger than the input, which is
/// bounded by [`MAX_RESPONSE`]; a declared size beyond the bytes left is an error, not an
/// allocation.
fn dechunk(mut s: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    let mut out = Zeroizing::new(Vec::with_capacity(s.len()));
    loop {
        let eol = find(s, b"\r\n").ok_or("truncated chunked body: no chunk size line")?;
        let size_field = s[..eol].split(|&b| b == b';').next().unwrap_or_default();
        let size = hex(trim(size_field)).ok_or("malformed chunk size")?;
        let rest = &s[eol + 2..];
        if size == 0 {
            // Trailer fields, if any, are ignored.
            return Ok(out);
        }
        if size > rest.len() {
            return Err(format!(
                "truncated chunk: {size} bytes declared, {} left",
                rest.len()
            ));
        }
        out.extend_from_slice(&rest[..size]);
        s = rest[size..]
            .strip_prefix(b"\r\n")
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
        assert_eq!(
            split_url("http://[fd00:ec2::23]/v1").unwrap(),
            ("fd00:ec2::23".into(), 80, "/v1".into())
        );
        assert!(split_url("http://[::1/").is_err());
        assert!(split_url("http://[::1]x/").is_err());
        assert!(split_url("https://x/").is_err());
        let r = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "abcde"));
        let r = parse(b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno").unwrap();
        assert_eq!((r.status, r.body.as_str()), (404, "no"));
        let r = parse(b"HTTP/1.0 200\r\n\r\ntok\xc3\xa9n").unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "tok\u{e9}n"));
        assert!(parse(b"garbage").is_err());
    }

    const SECRET: &str = "MARKER-SECRET-4b1d";

    /// A 200 reply whose body is `body`, chunked as `chunks` (sizes in bytes).
    fn chunked(body: &[u8], chunks: &[usize]) -> Vec<u8> {
        let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        let mut at = 0;
        for &n in chunks {
            out.extend(format!("{n:x}\r\n").as_bytes());
            out.extend(&body[at..at + n]);
            out.extend(b"\r\n");
            at += n;
        }
        out.extend(b"0\r\n\r\n");
        out
    }

    /// Must be an error whose text holds no part of the reply's body.
    fn refused(reply: &[u8]) -> String {
        let e = parse(reply).expect_err("accepted");
        assert!(!e.contains("MARKER"), "{e}");
        assert!(!e.contains("Secret"), "{e}");
        e
    }

    #[test]
    fn a_chunk_boundary_inside_a_character_is_reassembled() {
        // The review's reproduction: the split falls between the two bytes of \u{e9}.
        let body = format!("{{\"Note\":\"caf\u{e9}\",\"SecretAccessKey\":\"{SECRET}\"}}");
        let split = body.find('\u{e9}').unwrap() + 1;
        let reply = chunked(body.as_bytes(), &[split, body.len() - split]);
        assert_eq!(parse(&reply).unwrap().body.as_str(), body);
    }

    #[test]
    fn invalid_utf8_is_an_error_without_the_body() {
        let mut body = format!(r#"{{"SecretAccessKey":"{SECRET}","#).into_bytes();
        body.extend(b"\xff\xfe\"x\":1}");
        let e = refused(&chunked(&body, &[5, body.len() - 5]));
        assert!(e.starts_with("reply body is not UTF-8"), "{e}");
        // Not chunked: the same.
        let mut plain = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
        plain.extend(&body);
        refused(&plain);
        // A character cut off by the end of the reply.
        refused(b"HTTP/1.1 200 OK\r\n\r\nMARKER\xc3");
        // Only the first half of a character in the last chunk.
        refused(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nMARKER\xc3\r\n0\r\n\r\n",
        );
    }

    #[test]
    fn bad_chunk_sizes_are_errors() {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        for size in ["zz", "", "-6", "+6", "0x6", " ", "6 6", "\u{e9}"] {
            let reply = format!("{head}{size}\r\nMARKER\r\n0\r\n\r\n");
            let e = refused(reply.as_bytes());
            assert!(e.contains("chunk"), "{size:?}: {e}");
        }
        // Chunk extensions and padding are fine.
        let r = parse(format!("{head}6 ;ext=1\r\nMARKER\r\n0\r\n\r\n").as_bytes()).unwrap();
        assert_eq!(r.body.as_str(), "MARKER");
        // A size smaller than the chunk: the chunk end is not where it should be.
        refused(format!("{head}3\r\nMARKER\r\n0\r\n\r\n").as_bytes());
    }

    #[test]
    fn huge_declared_sizes_are_errors_not_allocations() {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        for size in [
            "ffffffff",
            "ffffffffffffffff",
            "10000000000000000",
            "fffffffffffffffffffffffff",
        ] {
            let e = refused(format!("{head}{size}\r\nMARKER\r\n0\r\n\r\n").as_bytes());
            assert!(e.contains("chunk"), "{size}: {e}");
        }
        let e =
            refused(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nMARKER");
        assert_eq!(e, "malformed Content-Length");
        let e = refused(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nMARKER");
        assert_eq!(
            e,
            "truncated body: Content-Length 1000000, 6 bytes received"
        );
        // Over the cap.
        let mut big = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
        big.resize(MAX_RESPONSE + 1, b'M');
        assert_eq!(
            refused(&big),
            format!("response larger than {MAX_RESPONSE} bytes")
        );
    }

    #[test]
    fn truncated_replies_are_errors() {
        let body = format!(r#"{{"SecretAccessKey":"{SECRET}"}}"#);
        let full = chunked(body.as_bytes(), &[10, body.len() - 10]);
        assert!(parse(&full).is_ok());
        // Every prefix fails, up to the end chunk's size line (its final CRLF is optional).
        let last = full.len() - b"\r\n".len();
        for n in 0..last {
            refused(&full[..n]);
        }
        for reply in [
            &b"HTTP/1.1 200 OK\r\n"[..],
            b"HTTP/1.1\r\n\r\n",
            b"HTTP/2 200\r\n\r\n",
            b"HTTP/1.1 2000 OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nMARKER",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nMARKER",
        ] {
            refused(reply);
        }
    }
}
