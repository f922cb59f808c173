//! Credentials from the machine: ECS/EKS container credentials, then EC2 instance metadata
//! (IMDSv2 with a session token, falling back to IMDSv1 when the token call is refused, as the
//! AWS SDKs for Java do, unless `AWS_EC2_METADATA_V1_DISABLED=true`). `AWS_EC2_METADATA_DISABLED=true`
//! turns instance metadata off and `AWS_EC2_METADATA_SERVICE_ENDPOINT` points it elsewhere
//! (tests use loopback). The requests go through the AWS SDK's HTTP stack ([`super::get`]).
//!
//! Why not aws-config's own providers (`imds::credentials::ImdsCredentialsProvider`,
//! `imds::Client`, `ecs::EcsCredentialsProvider`, aws-config 1.13), measured in issue 15:
//! - they read the process environment, not s3adt's [`Env`]: `ProviderConfig::with_env` is
//!   crate-private and `EcsCredentialsProvider` has no setter for its URI or token. Under CI,
//!   which exports `AWS_EC2_METADATA_DISABLED=true`, `ImdsCredentialsProvider` would call
//!   instance metadata disabled even where s3adt's environment points it at a test endpoint, and
//!   the container source could not be driven from s3adt's environment at all;
//! - neither `ImdsCredentialsProvider` nor `imds::Client` falls back to IMDSv1 (README: the
//!   fallback is on unless `AWS_EC2_METADATA_V1_DISABLED=true`);
//! - `imds::Client` refuses a token reply without `x-aws-ec2-metadata-token-ttl-seconds`, and
//!   moto's instance metadata sends none: against moto it fails with "token response did not
//!   contain a TTL header", so sts_moto's instance-metadata test could not pass;
//! - `ImdsCredentialsProvider` extends the expiry of stale credentials by 10-15 minutes, which
//!   s3adt would then forward in a token as if IMDS had said it.
//!
//! So the flow and the environment rules stay here, and only the hand-written HTTP/1.1 client
//! is gone (hyper through the shared SDK client parses the replies). The web-identity source
//! already calls STS through the SDK (`auth::sts::web_identity`, with s3adt's STS endpoint and
//! retry rules, which aws-config's `WebIdentityTokenCredentialsProvider` cannot take).

use super::get;
use super::reply::broken;
use super::reply::parse_credentials;
use crate::auth::credentials::{AwsCredentials, CredentialError, Env, METADATA_TIMEOUT};

const DEFAULT_IMDS: &str = "http://169.254.169.254";
const CONTAINER_HOST: &str = "http://169.254.170.2";

pub(crate) async fn instance_or_container(
    env: Env<'_>,
) -> Result<Result<AwsCredentials, String>, CredentialError> {
    if let Some(url) = container_url(env)? {
        let mut headers: Vec<(&'static str, &str)> = Vec::new();
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
        let r = get::request("GET", &url, &headers, METADATA_TIMEOUT)
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
    let token = match get::request(
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
    let headers: Vec<(&'static str, &str)> = token
        .iter()
        .map(|t| ("X-aws-ec2-metadata-token", t.as_str()))
        .collect();
    let headers = &headers;
    // The role's name, then its credentials: GETs of the same path, and of the role under it.
    let credentials_get = |role: &str| {
        let url = format!("{base}/latest/meta-data/iam/security-credentials/{role}");
        async move {
            get::request("GET", &url, headers, METADATA_TIMEOUT)
                .await
                .map_err(broken)
        }
    };
    let list = credentials_get("").await?;
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
    let r = credentials_get(role).await?;
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
/// 169.254.170.23 and fd00:ec2::23. Over https any host will do, as in the AWS SDKs.
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
    if let Some(rest) = strip_scheme(&full, "https://") {
        if rest.is_empty() || rest.starts_with('/') {
            return Err(broken(format!("{VAR} names no host")));
        }
        return Ok(Some(full));
    }
    let host = strip_scheme(&full, "http://")
        .and_then(http_host)
        .ok_or_else(|| {
            broken(format!(
                "{VAR} must be an http:// URL (of a loopback address or the ECS/EKS container \
                 agent) or an https:// URL"
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

fn strip_scheme<'a>(url: &'a str, scheme: &str) -> Option<&'a str> {
    url.get(..scheme.len())
        .filter(|p| p.eq_ignore_ascii_case(scheme))
        .map(|_| &url[scheme.len()..])
}

/// The host of `host[:port][/path]` (`[v6]` without brackets); None when the authority is not
/// exactly a host and an optional numeric port (no user info, no stray characters).
fn http_host(rest: &str) -> Option<String> {
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    let port_ok = |p: &str| p.parse::<u16>().is_ok();
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(port_ok)) {
            return None;
        }
        host
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) if port_ok(p) => h,
            Some(_) => return None,
            None => authority,
        }
    };
    (!host.is_empty()).then(|| host.to_owned())
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

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Sync {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    type Outcome = Result<Result<AwsCredentials, String>, CredentialError>;

    /// What the instance-or-container source gives in the environment `vars`.
    fn source_in(vars: &[(&str, &str)]) -> Outcome {
        crate::runtime::block_on(instance_or_container(&env_of(vars)))
    }

    /// The same with the container URI `{url}/creds`.
    fn container_at(url: &str) -> Outcome {
        source_in(&[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{url}/creds"),
        )])
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
        // Over https (the SDK's TLS) any host will do, as in the AWS SDKs; it needs a host.
        for ok in ["https://creds.example/", "HTTPS://creds.example:8443/v1"] {
            let env = env_of(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok)]);
            assert_eq!(container_url(&env).unwrap().as_deref(), Some(ok));
        }
        for bad in ["https://", "https:///creds"] {
            let env = env_of(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad)]);
            let e = container_url(&env).unwrap_err().to_string();
            assert!(e.contains("names no host"), "{bad}: {e}");
        }
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
        let c = source_in(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)])
            .unwrap()
            .unwrap();
        assert_eq!(c.access_key, "AKFAKE");
        assert_eq!(server.join().unwrap().len(), 3);

        let (url, server) = fake_server(1, imds_without_v2);
        let e = source_in(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
            ("AWS_EC2_METADATA_V1_DISABLED", "true"),
        ])
        .unwrap_err();
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
        let c = container_at(&url).unwrap().unwrap();
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
        let e = container_at(&url).unwrap_err().to_string();
        assert!(e.contains("not UTF-8"), "{e}");
        assert!(!e.contains("MARKER"), "{e}");
        server.join().unwrap();
    }

    #[test]
    fn cut_short_oversized_and_unreachable_replies() {
        // What the old parser's own tests checked, now through hyper end to end: a body cut
        // short of its Content-Length, and one over the cap, are errors without the body.
        let (url, server) = fake_server(1, |_| {
            format!("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{CREDS}").into_bytes()
        });
        let e = container_at(&url).unwrap_err();
        assert!(matches!(e, CredentialError::Broken { .. }), "{e}");
        assert!(!e.to_string().contains("MARKER"), "{e}");
        server.join().unwrap();
        let (url, server) = fake_server(1, |_| {
            let mut r = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
            r.resize(r.len() + super::get::MAX_RESPONSE + 1, b'M');
            r
        });
        let e = container_at(&url).unwrap_err().to_string();
        assert!(e.contains("response larger than"), "{e}");
        assert!(!e.contains("MMMM"), "{e}");
        server.join().unwrap();
        // Nothing listening at the instance metadata endpoint: the source has nothing (the
        // chain goes on), it is not broken.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let endpoint = format!("http://127.0.0.1:{port}");
        let why = source_in(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &endpoint)])
            .unwrap()
            .unwrap_err();
        assert!(why.starts_with("no instance metadata service"), "{why}");
    }
}
