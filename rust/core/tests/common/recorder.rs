//! A recording proxy for the S3 tests: what requests carry on the wire (moto does not enforce
//! SSE-C or signatures), and failures picked by request.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// Which requests a [`Recorder`] answers itself, with an S3 error (status, code), given the
/// request's lower-cased head.
pub type FailWhen = Arc<dyn Fn(&str) -> Option<(u16, &'static str)> + Send + Sync>;

/// A loopback proxy that records each request's head (lower-cased) and forwards it to moto,
/// or fails the requests `fail` picks. Unlike FaultProxy it picks by request, not by
/// connection order, and relays binary bodies.
pub struct Recorder {
    pub endpoint: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    /// Records every request and forwards it to the server on loopback port `upstream`.
    pub fn start(upstream: u16) -> Recorder {
        Self::failing(upstream, Arc::new(|_: &str| None))
    }

    pub fn failing(upstream: u16, fail: FailWhen) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (seen, fail) = (seen.clone(), fail.clone());
                std::thread::spawn(move || relay(conn, upstream, &seen, &*fail));
            }
        });
        Recorder { endpoint, heads }
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.heads.lock().unwrap())
    }
}

/// One request per connection (the upstream is asked to close), as FaultProxy does.
fn relay(
    mut c: TcpStream,
    upstream: u16,
    seen: &Mutex<Vec<String>>,
    fail: &(dyn Fn(&str) -> Option<(u16, &'static str)> + Send + Sync),
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let head_end = loop {
        let Ok(n) = c.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len = head
        .to_ascii_lowercase()
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0usize);
    while buf.len() < head_end + 4 + len {
        let Ok(n) = c.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let lower = head.to_ascii_lowercase();
    seen.lock().unwrap().push(lower.clone());
    if let Some((status, code)) = fail(&lower) {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected {code}</Message></Error>"
        );
        let _ = c.write_all(
            format!(
                "HTTP/1.1 {status} Injected\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        );
        return;
    }
    super::moto::forward(&head, &buf[head_end + 4..], upstream, &mut c);
}

/// The value of header `name` (lower-cased) in a recorded head.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::trim))
}
