//! Credentials from the machine: ECS/EKS container credentials, then EC2 instance metadata
//! (IMDSv2 with a session token, falling back to IMDSv1 when the token call is refused, as the
//! AWS SDKs do). `AWS_EC2_METADATA_DISABLED=true` turns instance metadata off and
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` points it elsewhere (tests use loopback).

use crate::credentials::{AwsCredentials, CredentialError, Env, METADATA_TIMEOUT};
use crate::http1;

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

/// `2023-11-14T23:13:20Z` (optionally with a fraction) to epoch milliseconds.
pub(crate) fn parse_rfc3339_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let time = time
        .strip_suffix('Z')
        .or_else(|| time.strip_suffix("+00:00"))?;
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':');
    let (hh, mm, ss): (i64, i64, i64) = (
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
    );
    let millis: i64 = format!("{:0<3}", &frac[..frac.len().min(3)]).parse().ok()?;
    // Days from civil (H. Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + millis)
}

pub(crate) async fn instance_or_container(
    env: Env<'_>,
) -> Result<Result<AwsCredentials, String>, CredentialError> {
    if let Some(url) = container_url(env) {
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
        Ok(r) if (403..=405).contains(&r.status) => None,
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

fn container_url(env: Env<'_>) -> Option<String> {
    if let Some(rel) = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        return Some(format!("{CONTAINER_HOST}{rel}"));
    }
    env("AWS_CONTAINER_CREDENTIALS_FULL_URI")
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
