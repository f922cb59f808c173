//! The body of an instance-metadata or container-credentials reply: the credentials JSON
//! (AccessKeyId, SecretAccessKey, Token, Expiration) and its RFC 3339 timestamps. Network input
//! that carries credentials: every error is a [`CredentialError`] that never quotes the reply.

use crate::auth::credentials::{AwsCredentials, CredentialError};

const SOURCE: &str = "IAMInstanceCredentialsProvider";

pub(crate) fn broken(message: String) -> CredentialError {
    CredentialError::Broken {
        source_name: SOURCE,
        message,
    }
}

/// The JSON both endpoints return: AccessKeyId, SecretAccessKey, Token, Expiration.
pub(crate) fn parse_credentials(body: &str) -> Result<AwsCredentials, CredentialError> {
    let v: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| broken(format!("credentials reply is not JSON: {e}")))?;
    if let Some(code) = v.get("Code").and_then(|c| c.as_str()) {
        if code != "Success" {
            return Err(broken(format!("credentials reply has Code {code}")));
        }
    }
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let (Some(ak), Some(sk)) = (field("AccessKeyId"), field("SecretAccessKey")) else {
        return Err(broken(
            "credentials reply lacks AccessKeyId or SecretAccessKey".into(),
        ));
    };
    let expiration = match field("Expiration") {
        Some(t) => {
            Some(parse_rfc3339_millis(&t).ok_or_else(|| broken(format!("bad Expiration {t:?}")))?)
        }
        None => None,
    };
    Ok(AwsCredentials {
        access_key: ak,
        secret_key: sk.into(),
        session_token: field("Token").map(Into::into),
        expiration,
    })
}

/// For the fuzz target and the robustness tests only: the body of a metadata reply (the HTTP
/// framing is hyper's) decoded as UTF-8 as the client does, then parsed as a credentials reply
/// and as a timestamp. Any input must give a value or an error, never a panic; errors never
/// quote the reply.
#[doc(hidden)]
pub fn parse_reply_for_fuzzing(body: &[u8]) -> Result<(), String> {
    let body = std::str::from_utf8(body).map_err(|e| {
        format!(
            "reply body is not UTF-8 (bad byte at offset {})",
            e.valid_up_to()
        )
    })?;
    let _ = parse_rfc3339_millis(body);
    parse_credentials(body).map(drop).map_err(|e| e.to_string())
}

/// `2023-11-14T23:13:20Z` (optionally with a fraction) to epoch milliseconds. Network input:
/// every field must be ASCII digits in range, and the arithmetic is checked (None on overflow).
pub(crate) fn parse_rfc3339_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day) = (digits(d.next()?)?, digits(d.next()?)?, digits(d.next()?)?);
    if d.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let time = time
        .strip_suffix('Z')
        .or_else(|| time.strip_suffix("+00:00"))?;
    let (hms, frac) = match time.split_once('.') {
        Some((hms, frac)) => (hms, frac),
        None => (time, "0"),
    };
    let mut t = hms.split(':');
    let (hh, mm, ss) = (digits(t.next()?)?, digits(t.next()?)?, digits(t.next()?)?);
    if t.next().is_some() || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Milliseconds: the first three digits of the fraction, which must be all digits.
    if !is_digits(frac) {
        return None;
    }
    let millis = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |n, b| n * 10 + i64::from(b - b'0'));
    // Days from civil (H. Hinnant); only the year can be large, so the year terms are checked.
    let y2 = if m <= 2 { y.checked_sub(1)? } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era.checked_mul(146_097)?.checked_add(doe - 719_468)?;
    days.checked_mul(86_400)?
        .checked_add(hh * 3600 + mm * 60 + ss)?
        .checked_mul(1000)?
        .checked_add(millis)
}

/// A field of ASCII digits only (no sign, no spaces), as a number; None when empty or too big.
fn digits(s: &str) -> Option<i64> {
    is_digits(s).then(|| s.parse().ok())?
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(
            parse_rfc3339_millis("2023-11-14T23:13:20Z"),
            Some(1700003600000)
        );
        assert_eq!(
            parse_rfc3339_millis("2023-11-14T23:13:20.12Z"),
            Some(1700003600120)
        );
        assert_eq!(
            parse_rfc3339_millis("2000-02-29T00:00:00+00:00"),
            Some(951782400000)
        );
        assert_eq!(parse_rfc3339_millis("yesterday"), None);
        assert_eq!(
            parse_rfc3339_millis("2023-11-14T23:13:20.123456789Z"),
            Some(1700003600123)
        );
        assert_eq!(parse_rfc3339_millis("1969-12-31T23:59:59.5Z"), Some(-500));
    }

    #[test]
    fn rfc3339_refuses_what_is_not_digits_without_panicking() {
        for bad in [
            // The review's reproduction: a non-ASCII fraction once panicked on slicing.
            "2099-01-01T00:00:00.12\u{e9}Z",
            "2099-01-01T00:00:00.\u{e9}Z",
            "2099-01-01T00:00:00.\u{e9}\u{e9}\u{e9}Z",
            "2099-01-01T00:00:00.Z",
            "2099-01-01T00:00:00.1a2Z",
            "2099-01-01T00:00:00.-1Z",
            "2099-\u{e9}-01T00:00:00Z",
            "+2099-01-01T00:00:00Z",
            "-2099-01-01T00:00:00Z",
            "2099-+1-01T00:00:00Z",
            "2099-01-01T00:00:+1Z",
            "2099-01-01T00:00:00:00Z",
            "2099-01-01-01T00:00:00Z",
            "2099-13-01T00:00:00Z",
            "2099-00-01T00:00:00Z",
            "2099-01-32T00:00:00Z",
            "2099-01-01T24:00:00Z",
            "2099-01-01T00:60:00Z",
            "2099-01-01T00:00:61Z",
        ] {
            assert_eq!(parse_rfc3339_millis(bad), None, "{bad}");
        }
    }

    #[test]
    fn rfc3339_absurd_years_are_refused_not_wrapped() {
        // Unchecked, these wrapped around in release builds and gave a bogus expiry.
        for year in [
            "9223372036854775807",
            "922337203685477580",
            "106751991167300",
            "99999999999999999999",
        ] {
            assert_eq!(
                parse_rfc3339_millis(&format!("{year}-06-01T00:00:00Z")),
                None,
                "{year}"
            );
        }
        // The last year whose milliseconds fit, and one past it.
        assert!(parse_rfc3339_millis("292278994-08-17T07:12:55.807Z").is_some());
        assert_eq!(parse_rfc3339_millis("292278995-01-01T00:00:00Z"), None);
        // A bad Expiration in a reply is an error naming the field.
        let e = parse_credentials(
            r#"{"AccessKeyId":"AK","SecretAccessKey":"MARKER-SK","Expiration":"2099-01-01T00:00:00.12\u00e9Z"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("bad Expiration"), "{e}");
        assert!(!e.contains("MARKER"), "{e}");
    }

    #[test]
    fn credential_replies() {
        let c = parse_credentials(r#"{"Code":"Success","AccessKeyId":"AK","SecretAccessKey":"SK","Token":"T","Expiration":"2023-11-14T23:13:20Z"}"#).unwrap();
        assert_eq!(
            (c.access_key.as_str(), c.expiration),
            ("AK", Some(1700003600000))
        );
        assert!(c.is_session());
        assert!(parse_credentials("{}").is_err());
        assert!(parse_credentials(r#"{"Code":"Failure"}"#)
            .unwrap_err()
            .to_string()
            .contains("Failure"));
    }
}
