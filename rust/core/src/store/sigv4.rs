//! AWS Signature Version 4 for a request without a body, as S3 verifies it: what the direct GET
//! (`direct.rs`) signs. The canonical request is built from the exact bytes sent (the encoded
//! path, no query, the headers given), so what is signed is what goes on the wire.

use ring::{digest, hmac};
use std::fmt::Write;
use std::time::{SystemTime, UNIX_EPOCH};

/// SHA-256 of no bytes: the `x-amz-content-sha256` of a request without a body.
pub(crate) const EMPTY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// `x-amz-date` for `now`: `YYYYMMDDTHHMMSSZ`, UTC.
pub(crate) fn amz_date(now: SystemTime) -> String {
    let secs = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = s3adt_token::javatime::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// The hex SHA-256 of `bytes`: the `x-amz-content-sha256` of a request with them as its body.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    hex_into(&mut out, digest::digest(&digest::SHA256, bytes).as_ref());
    out
}

fn hex_into(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

fn hmac(key: &[u8], data: &[u8]) -> hmac::Tag {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
}

/// What a request is signed with.
pub(crate) struct SigningKey<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// The `Authorization` header value for `method` on `canonical_uri` (already percent-encoded,
/// as sent) with no query and `headers`: lowercase names in ascending order, each once, values
/// as sent; `host`, `x-amz-date` (= `amz_date`) and `x-amz-content-sha256` among them. Every
/// header given is signed.
pub(crate) fn authorization(
    key: &SigningKey<'_>,
    method: &str,
    canonical_uri: &str,
    headers: &[(&str, &str)],
    amz_date: &str,
    payload_sha256: &str,
) -> String {
    debug_assert!(headers.windows(2).all(|w| w[0].0 < w[1].0));
    let mut signed = String::with_capacity(96);
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            signed.push(';');
        }
        signed.push_str(name);
    }
    let mut canonical = String::with_capacity(512);
    canonical.push_str(method);
    canonical.push('\n');
    canonical.push_str(canonical_uri);
    canonical.push_str("\n\n");
    for (name, value) in headers {
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value.trim());
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(&signed);
    canonical.push('\n');
    canonical.push_str(payload_sha256);

    let day = &amz_date[..amz_date.len().min(8)];
    let scope = format!("{day}/{}/{}/aws4_request", key.region, key.service);
    let mut to_sign = String::with_capacity(160);
    to_sign.push_str("AWS4-HMAC-SHA256\n");
    to_sign.push_str(amz_date);
    to_sign.push('\n');
    to_sign.push_str(&scope);
    to_sign.push('\n');
    hex_into(
        &mut to_sign,
        digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref(),
    );

    let secret = zeroize::Zeroizing::new(format!("AWS4{}", key.secret_key));
    let k = hmac(secret.as_bytes(), day.as_bytes());
    let k = hmac(k.as_ref(), key.region.as_bytes());
    let k = hmac(k.as_ref(), key.service.as_bytes());
    let k = hmac(k.as_ref(), b"aws4_request");
    let signature = hmac(k.as_ref(), to_sign.as_bytes());

    let mut out = String::with_capacity(200);
    out.push_str("AWS4-HMAC-SHA256 Credential=");
    out.push_str(key.access_key);
    out.push('/');
    out.push_str(&scope);
    out.push_str(", SignedHeaders=");
    out.push_str(&signed);
    out.push_str(", Signature=");
    hex_into(&mut out, signature.as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The "GET Object" example of AWS's "Signature Calculations for the Authorization Header"
    /// (S3 API reference, sigv4-header-based-auth).
    #[test]
    fn signs_the_s3_documentation_example() {
        let key = SigningKey {
            access_key: "AKIAIOSFODNN7EXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "s3",
        };
        let date = "20130524T000000Z";
        let auth = authorization(
            &key,
            "GET",
            "/test.txt",
            &[
                ("host", "examplebucket.s3.amazonaws.com"),
                ("range", "bytes=0-9"),
                ("x-amz-content-sha256", EMPTY_SHA256),
                ("x-amz-date", date),
            ],
            date,
            EMPTY_SHA256,
        );
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn hashes_a_payload() {
        assert_eq!(sha256_hex(b""), EMPTY_SHA256);
        assert_eq!(
            sha256_hex(b"Welcome to Amazon S3."),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
        );
    }

    #[test]
    fn formats_the_date_in_utc() {
        let t = UNIX_EPOCH + Duration::from_secs(1_369_353_600 + 3_661);
        assert_eq!(amz_date(t), "20130524T010101Z");
        assert_eq!(amz_date(UNIX_EPOCH), "19700101T000000Z");
    }
}
