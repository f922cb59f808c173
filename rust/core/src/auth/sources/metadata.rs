//! Credentials from the machine: ECS/EKS container credentials, then EC2 instance metadata
//! (IMDSv2 with a session token, falling back to IMDSv1 when the token call is refused, as the
//! AWS SDKs do, unless `AWS_EC2_METADATA_V1_DISABLED=true`). `AWS_EC2_METADATA_DISABLED=true`
//! turns instance metadata off and `AWS_EC2_METADATA_SERVICE_ENDPOINT` points it elsewhere
//! (tests use loopback).

use super::http1;
use crate::auth::credentials::{AwsCredentials, CredentialError, Env, METADATA_TIMEOUT};

const SOURCE: &str = "IAMInstanceCredentialsProvider";
const DEFAULT_IMDS: &str = "http://169.254.169.254";
const CONTAINER_HOST: &str = "http://169.254.170.2";

fn broken(message: String) -> CredentialError {
    CredentialError::Broken {
        source_name: SOURCE,
        message,
    }
}

/// The JSON both endpoints return: AccessKeyId, SecretAccessKey, Token, Expiration.
fn parse_credentials(body: &str) -> Result<AwsCredentials, CredentialError> {
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

/// For the fuzz target and the robustness tests only: parse a whole metadata reply as the
/// client does, then its body as a credentials reply and as a timestamp. Any input must give a
/// value or an error, never a panic; errors never quote the reply.
#[doc(hidden)]
pub fn parse_reply_for_fuzzing(reply: &[u8]) -> Result<(), String> {
    let r = http1::parse(reply)?;
    let _ = parse_rfc3339_millis(&r.body);
    parse_credentials(&r.body)
        .map(drop)
        .map_err(|e| e.to_string())
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

pub(crate) async fn instance_or_container(
    env: Env<'_>,
) -> Result<Result<AwsCredentials, String>, CredentialError> {
    if let Some(url) = container_url(env)? {
        let mut headers = Vec::new();
        let token = match env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(f) => Some(
                std::fs::read_to_string(&f)
                    .map_err(|e| broken(format!("{f}: {e}")))?
                    .trim()
                    .to_owned(),
            ),
            None => env("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        if let Some(t) = &token {
            headers.push(("Authorization", t.as_str()));
        }
        let r = http1::request("GET", &url, &headers, METADATA_TIMEOUT)
            .await
            .map_err(broken)?;
        if r.status != 200 {
            return Err(broken(format!(
                "container credentials endpoint answered HTTP {}",
                r.status
            )));
        }
        return parse_credentials(&r.body).map(Ok);
    }
    if env("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return Ok(Err(
            "instance metadata disabled (AWS_EC2_METADATA_DISABLED)".into(),
        ));
    }
    let base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT").unwrap_or_else(|| DEFAULT_IMDS.to_owned());
    let base = base.trim_end_matches('/');
    // IMDSv2 session token; an unreachable endpoint means "not on EC2".
    let token = match http1::request(
        "PUT",
        &format!("{base}/latest/api/token"),
        &[("X-aws-ec2-metadata-token-ttl-seconds", "21600")],
        METADATA_TIMEOUT,
    )
    .await
    {
        Ok(r) if r.status == 200 => Some(r.body.trim().to_owned()),
        Ok(r) if (403..=405).contains(&r.status) => {
            if env("AWS_EC2_METADATA_V1_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                return Err(broken(format!(
                    "instance metadata token call answered HTTP {} and the IMDSv1 fallback is \
                     disabled (AWS_EC2_METADATA_V1_DISABLED)",
                    r.status
                )));
            }
            None
        }
        Ok(r) => {
            return Err(broken(format!(
                "instance metadata token call answered HTTP {}",
                r.status
            )))
        }
        Err(e) => return Ok(Err(format!("no instance metadata service ({e})"))),
    };
    let headers: Vec<(&str, &str)> = token
        .iter()
        .map(|t| ("X-aws-ec2-metadata-token", t.as_str()))
        .collect();
    let list = http1::request(
        "GET",
        &format!("{base}/latest/meta-data/iam/security-credentials/"),
        &headers,
        METADATA_TIMEOUT,
    )
    .await
    .map_err(broken)?;
    if list.status == 404 {
        return Ok(Err("no IAM role attached to this instance".into()));
    }
    if list.status != 200 {
        return Err(broken(format!(
            "instance metadata answered HTTP {}",
            list.status
        )));
    }
    let Some(role) = list.body.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return Ok(Err("no IAM role attached to this instance".into()));
    };
    let r = http1::request(
        "GET",
        &format!("{base}/latest/meta-data/iam/security-credentials/{role}"),
        &headers,
        METADATA_TIMEOUT,
    )
    .await
    .map_err(broken)?;
    if r.status != 200 {
        return Err(broken(format!(
            "instance metadata answered HTTP {} for role {role}",
            r.status
        )));
    }
    parse_credentials(&r.body).map(Ok)
}

/// The container credentials URL, if the environment names one. The authorization token is
/// sent to it, so a full URI over plain http must name a host the AWS SDKs allow for that:
/// loopback (127.0.0.0/8, ::1, `localhost`), or the ECS/EKS agents 169.254.170.2,
/// 169.254.170.23 and fd00:ec2::23.
fn container_url(env: Env<'_>) -> Result<Option<String>, CredentialError> {
    if let Some(rel) = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        if !rel.starts_with('/') {
            return Err(broken(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting with /".into(),
            ));
        }
        return Ok(Some(format!("{CONTAINER_HOST}{rel}")));
    }
    let Some(full) = env("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
        return Ok(None);
    };
    const VAR: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    if full
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    {
        return Err(broken(format!(
            "{VAR}: https container credentials endpoints are not supported by s3adt"
        )));
    }
    let (host, _, _) = http1::split_url(&full).map_err(|_| {
        broken(format!(
            "{VAR} must be an http:// URL (of a loopback address or the ECS/EKS container agent)"
        ))
    })?;
    if !allowed_container_host(&host) {
        return Err(broken(format!(
            "{VAR} names host {host:?}: plain http is only allowed to a loopback address \
             (127.0.0.0/8, ::1, localhost) or to 169.254.170.2, 169.254.170.23 or fd00:ec2::23, \
             as in the AWS SDKs"
        )));
    }
    Ok(Some(full))
}

fn allowed_container_host(host: &str) -> bool {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            ip.is_loopback()
                || ip == Ipv4Addr::new(169, 254, 170, 2)
                || ip == Ipv4Addr::new(169, 254, 170, 23)
        }
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23)
        }
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
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

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Sync {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn a_full_container_uri_over_http_must_name_an_allowed_host() {
        for ok in [
            "http://127.0.0.1:9911/creds",
            "http://127.1.2.3/creds",
            "http://[::1]:80/creds",
            "http://localhost:1/x",
            "http://169.254.170.2/v2/credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
        ] {
            let env = env_of(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok)]);
            assert_eq!(container_url(&env).unwrap().as_deref(), Some(ok));
        }
        for bad in [
            "http://attacker.example/creds",
            "http://10.0.0.1/creds",
            "http://169.254.169.254/creds",
            "http://169.254.170.3/creds",
            "http://127.0.0.1@attacker.example/creds",
            "http://[fd00:ec2::24]/creds",
            "http://0.0.0.0/creds",
            "ftp://127.0.0.1/creds",
            "127.0.0.1/creds",
        ] {
            let env = env_of(&[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "MARKER-TOKEN"),
            ]);
            let e = container_url(&env).unwrap_err().to_string();
            assert!(
                e.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
                "{bad}: {e}"
            );
            assert!(!e.contains("MARKER"), "{e}");
            // And the source as a whole stops there, before any request.
            let e = crate::runtime::block_on(instance_or_container(&env))
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
                "{bad}: {e}"
            );
        }
        let env = env_of(&[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "https://creds.example/",
        )]);
        let e = container_url(&env).unwrap_err().to_string();
        assert!(e.contains("https"), "{e}");
        // The relative URI always goes to the ECS agent; it must be a path.
        let env = env_of(&[(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/x",
        )]);
        assert_eq!(
            container_url(&env).unwrap().as_deref(),
            Some("http://169.254.170.2/v2/credentials/x")
        );
        let env = env_of(&[(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "@attacker.example/",
        )]);
        assert!(container_url(&env).is_err());
        assert_eq!(container_url(&env_of(&[])).unwrap(), None);
    }

    /// A fake metadata server on loopback: answers each connection with the reply `route`
    /// gives for the request line, and records the request lines. Stops after `count`.
    fn fake_server(
        count: usize,
        route: impl Fn(&str) -> Vec<u8> + Send + 'static,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for _ in 0..count {
                let (mut conn, _) = listener.accept().unwrap();
                let mut req = Vec::new();
                let mut byte = [0u8; 1];
                while !req.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap() == 1 {
                    req.push(byte[0]);
                }
                let req = String::from_utf8(req).unwrap();
                let line = req.lines().next().unwrap_or_default().to_owned();
                conn.write_all(&route(&line)).unwrap();
                seen.push(line);
            }
            seen
        });
        (url, handle)
    }

    const CREDS: &str = r#"{"Code":"Success","AccessKeyId":"AKFAKE","SecretAccessKey":"MARKER-SECRET","Token":"MARKER-TOKEN","Expiration":"2099-01-01T00:00:00Z"}"#;

    fn imds_without_v2(line: &str) -> Vec<u8> {
        if line.starts_with("PUT ") {
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".to_vec()
        } else if line.contains("security-credentials/ ") {
            b"HTTP/1.1 200 OK\r\n\r\nrole-a\n".to_vec()
        } else {
            format!("HTTP/1.1 200 OK\r\n\r\n{CREDS}").into_bytes()
        }
    }

    #[test]
    fn imdsv1_is_the_fallback_unless_disabled() {
        let (url, server) = fake_server(3, imds_without_v2);
        let env = env_of(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]);
        let c = crate::runtime::block_on(instance_or_container(&env))
            .unwrap()
            .unwrap();
        assert_eq!(c.access_key, "AKFAKE");
        assert_eq!(server.join().unwrap().len(), 3);

        let (url, server) = fake_server(1, imds_without_v2);
        let env = env_of(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
            ("AWS_EC2_METADATA_V1_DISABLED", "true"),
        ]);
        let e = crate::runtime::block_on(instance_or_container(&env)).unwrap_err();
        assert!(matches!(e, CredentialError::Broken { .. }), "{e}");
        assert!(
            e.to_string().contains("AWS_EC2_METADATA_V1_DISABLED"),
            "{e}"
        );
        // Only the token call was made: no IMDSv1 request.
        assert_eq!(
            server.join().unwrap(),
            vec!["PUT /latest/api/token HTTP/1.1"]
        );
    }

    #[test]
    fn a_container_reply_split_inside_a_character_is_read_whole() {
        // The review's M2 reproduction through the whole source: \u{e9} split across chunks.
        let body = CREDS.replace("Success", "Success\",\"Note\":\"caf\u{e9}");
        let (url, server) = fake_server(1, move |_| {
            let split = body.find('\u{e9}').unwrap() + 1;
            let b = body.as_bytes();
            let mut r = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            r.extend(format!("{split:x}\r\n").as_bytes());
            r.extend(&b[..split]);
            r.extend(format!("\r\n{:x}\r\n", b.len() - split).as_bytes());
            r.extend(&b[split..]);
            r.extend(b"\r\n0\r\n\r\n");
            r
        });
        let env = env_of(&[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{url}/creds"),
        )]);
        let c = crate::runtime::block_on(instance_or_container(&env))
            .unwrap()
            .unwrap();
        assert_eq!(c.secret_key.expose(), "MARKER-SECRET");
        server.join().unwrap();

        // Invalid UTF-8 in the reply: an error without the reply's text.
        let (url, server) = fake_server(1, |_| {
            format!("HTTP/1.1 200 OK\r\n\r\n{CREDS}\u{e9}")
                .into_bytes()
                .split_last()
                .unwrap()
                .1
                .to_vec()
        });
        let env = env_of(&[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{url}/creds"),
        )]);
        let e = crate::runtime::block_on(instance_or_container(&env))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not UTF-8"), "{e}");
        assert!(!e.contains("MARKER"), "{e}");
        server.join().unwrap();
    }
}
