//! Percent-encoding of URL path parts, byte by byte: unreserved characters (RFC 3986) and the
//! caller's extra `keep` bytes stay, every other byte becomes `%XX`.

/// Append `s` to `out`, percent-encoded, keeping ASCII letters, digits and the bytes in `keep`.
pub(crate) fn encode_into(out: &mut String, s: &str, keep: &[u8]) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_unreserved_and_the_extra_bytes_and_encodes_the_rest() {
        let mut out = String::new();
        super::encode_into(&mut out, "a b/c@é", b"-._~/");
        assert_eq!(out, "a%20b/c%40%C3%A9");
    }
}
