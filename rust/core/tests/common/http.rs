//! Loopback HTTP servers written by hand for a test (a store or endpoint that misbehaves):
//! shared by the integration tests and, through `#[path]`, by unit tests in src/.
#![allow(dead_code)]

use std::io::Read;

/// Reads one request from `conn` up to the blank line that ends its head; the bytes read.
pub fn read_head(conn: &mut impl Read) -> Vec<u8> {
    let mut req = Vec::new();
    let mut buf = [0u8; 4096];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0, "the client closed before its request head was whole");
        req.extend_from_slice(&buf[..n]);
    }
    req
}
