//! STS through the AWS SDK: GetSessionToken, AssumeRole, AssumeRoleWithWebIdentity. The SDK's
//! own retries are off; [`RetryPolicy`] decides, so throttling (HTTP 400 `Throttling`, 429)
//! backs off with jitter inside a bounded budget and AccessDenied fails at once with STS's own
//! message. Endpoint and region follow hadoop-aws's `STSClientFactory` rules and texts; the
//! endpoint may be a host (https) or a URL (tests use http on loopback).

use crate::auth::credentials::{AwsCredentials, CredentialError, Env};
use crate::conf::{keys, Configuration};
use crate::retry::{Retry, RetryPolicy};
use crate::sdk_error::{error_chain, service_error_text, HttpResponse};
use aws_sdk_sts::config::{BehaviorVersion, Region};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use std::time::Duration;

pub const GLOBAL_ENDPOINT: &str = "sts.amazonaws.com";
/// s3adt's own timeouts for one STS attempt.
pub const STS_CONNECT_TIMEOUT: &str = "fs.s3a.s3adt.sts.connect.timeout";
pub const STS_ATTEMPT_TIMEOUT: &str = "fs.s3a.s3adt.sts.attempt.timeout";

/// A failed STS call: the service's own code and message when it answered.
#[derive(Debug, Clone, thiserror::Error)]
#[error("STS {operation} failed after {attempts} attempt(s): {message}")]
pub struct StsError {
    pub operation: &'static str,
    pub code: Option<String>,
    pub status: Option<u16>,
    pub message: String,
    pub attempts: u32,
    pub retry: Retry,
}

impl crate::error::HasKind for StsError {
    /// STS refusing the keys is AccessDenied, as hadoop-aws translates it; anything else
    /// (throttled past the budget, 5xx, unreachable) is a failed STS call.
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        let refused = self.status == Some(403)
            || matches!(
                self.code.as_deref(),
                Some("AccessDenied" | "InvalidClientTokenId" | "SignatureDoesNotMatch")
            );
        if refused {
            ErrorKind::AccessDenied
        } else {
            ErrorKind::Sts
        }
    }
}

/// Where STS is and how to call it.
#[derive(Debug, Clone)]
pub struct StsSettings {
    /// None: the SDK's default (global) endpoint.
    pub endpoint_url: Option<String>,
    pub region: String,
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    pub attempt_timeout: Duration,
}

impl StsSettings {
    /// hadoop-aws's rules: an endpoint other than the global one needs a signing region; a
    /// region without an endpoint is an error.
    pub fn from_config(conf: &Configuration) -> Result<Self, String> {
        let endpoint = conf.get_trimmed(keys::ASSUMED_ROLE_STS_ENDPOINT, "");
        let region = conf.get_trimmed(keys::ASSUMED_ROLE_STS_ENDPOINT_REGION, "");
        if !endpoint.is_empty() && endpoint != GLOBAL_ENDPOINT {
            if region.is_empty() {
                return Err(format!(
                    "STS endpoint is set to {endpoint} but no signing region was provided"
                ));
            }
        } else if !region.is_empty() {
            return Err(format!(
                "STS signing region set set to {region} but no STS endpoint specified"
            ));
        }
        let endpoint_url = match endpoint.as_str() {
            "" => None,
            e if e.contains("://") => Some(e.to_owned()),
            e => Some(format!("https://{e}")),
        };
        let ms = |key: &str, default: &str| {
            conf.get_time_duration(key, default, crate::conf::TimeUnit::Milliseconds)
                .map_err(|e| e.to_string())
        };
        Ok(StsSettings {
            endpoint_url,
            region: if region.is_empty() {
                "us-east-1".to_owned()
            } else {
                region
            },
            retry: RetryPolicy::from_config(conf).map_err(|e| e.to_string())?,
            connect_timeout: ms(STS_CONNECT_TIMEOUT, "5s")?,
            attempt_timeout: ms(STS_ATTEMPT_TIMEOUT, "30s")?,
        })
    }

    fn client(&self, creds: Option<&AwsCredentials>) -> aws_sdk_sts::Client {
        let mut b = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .http_client(crate::runtime::http_client())
            .region(Region::new(self.region.clone()))
            .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
            .timeout_config(
                aws_smithy_types::timeout::TimeoutConfig::builder()
                    .connect_timeout(self.connect_timeout)
                    .operation_attempt_timeout(self.attempt_timeout)
                    .build(),
            );
        if let Some(url) = &self.endpoint_url {
            b = b.endpoint_url(url.clone());
        }
        if let Some(c) = creds {
            b = b.credentials_provider(aws_credential_types::Credentials::new(
                c.access_key.clone(),
                c.secret_key.expose().to_owned(),
                c.session_token.as_ref().map(|t| t.expose().to_owned()),
                None,
                "s3adt",
            ));
        }
        aws_sdk_sts::Client::from_conf(b.build())
    }
}

fn classify<E>(e: &SdkError<E, HttpResponse>) -> (Retry, Option<String>, Option<u16>, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match e {
        SdkError::ServiceError(se) => {
            // Some STS-compatible services nest <Errors><Error> (as moto does), which the SDK's
            // parser does not read: the code and message then come from the body.
            let (code, message) = service_error_text(se.err(), se.raw());
            let message = message.unwrap_or_default();
            let status = e.raw_response().map(|r| r.status().as_u16());
            let throttled = matches!(
                code.as_deref(),
                Some(
                    "Throttling"
                        | "ThrottlingException"
                        | "RequestLimitExceeded"
                        | "TooManyRequestsException"
                        | "SlowDown"
                        | "RequestThrottled"
                )
            ) || status == Some(429);
            let transient = status.is_some_and(|s| s >= 500)
                || matches!(
                    code.as_deref(),
                    Some("InternalError" | "ServiceUnavailable" | "IDPCommunicationError")
                );
            let kind = if throttled {
                Retry::Throttled
            } else if transient {
                Retry::Transient
            } else {
                Retry::Never
            };
            let text = match &code {
                Some(c) if message.is_empty() => c.clone(),
                Some(c) => format!("{c}: {message}"),
                None => format!("HTTP {}: {}", status.unwrap_or(0), error_chain(e)),
            };
            (kind, code, status, text)
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            (Retry::Transient, None, None, error_chain(e))
        }
        _ => (Retry::Never, None, None, error_chain(e)),
    }
}

fn to_credentials(
    c: Option<&aws_sdk_sts::types::Credentials>,
    operation: &'static str,
) -> Result<AwsCredentials, StsError> {
    let c = c.ok_or_else(|| StsError {
        operation,
        code: None,
        status: None,
        message: "the reply carried no credentials".into(),
        attempts: 1,
        retry: Retry::Never,
    })?;
    Ok(AwsCredentials {
        access_key: c.access_key_id().to_owned(),
        secret_key: c.secret_access_key().to_owned().into(),
        session_token: Some(c.session_token().to_owned().into()),
        expiration: c.expiration().to_millis().ok(),
    })
}

macro_rules! call_sts {
    ($settings:expr, $op:literal, $make:expr) => {{
        let (result, attempts) = $settings
            .retry
            .run_as(concat!("STS ", $op), $make, |e| classify(e).0)
            .await;
        match result {
            Ok(out) => Ok(out),
            Err(e) => {
                let (retry, code, status, message) = classify(&e);
                Err(StsError {
                    operation: $op,
                    code,
                    status,
                    message,
                    attempts,
                    retry,
                })
            }
        }
    }};
}

/// An STS call signed with `$parent` that returns credentials: the client, the request
/// `$request` builds from it (`|client| ...`, sent on each attempt), the retries, the
/// credentials read from the reply.
macro_rules! sts_credentials {
    ($settings:expr, $parent:expr, $op:literal, |$client:ident| $request:expr) => {{
        let $client = $settings.client(Some($parent));
        let out = call_sts!($settings, $op, || $request.send())?;
        to_credentials(out.credentials(), $op)
    }};
}

/// `GetSessionToken(DurationSeconds)` with the caller's full credentials.
pub async fn get_session_token(
    settings: &StsSettings,
    parent: &AwsCredentials,
    duration_secs: i32,
) -> Result<AwsCredentials, StsError> {
    sts_credentials!(settings, parent, "GetSessionToken", |client| client
        .get_session_token()
        .duration_seconds(duration_secs))
}

/// `AssumeRole(RoleArn, RoleSessionName, Policy?, DurationSeconds)`.
pub async fn assume_role(
    settings: &StsSettings,
    parent: &AwsCredentials,
    role_arn: &str,
    session_name: &str,
    policy: Option<&str>,
    duration_secs: i32,
) -> Result<AwsCredentials, StsError> {
    sts_credentials!(settings, parent, "AssumeRole", |client| client
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(session_name)
        .set_policy(policy.map(str::to_owned))
        .duration_seconds(duration_secs))
}

/// The web-identity credential source: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`
/// (optional `AWS_ROLE_SESSION_NAME`) exchanged with AssumeRoleWithWebIdentity (unsigned).
pub(crate) async fn web_identity(
    conf: &Configuration,
    env: Env<'_>,
) -> Result<Result<AwsCredentials, String>, CredentialError> {
    let (Some(file), Some(arn)) = (env("AWS_WEB_IDENTITY_TOKEN_FILE"), env("AWS_ROLE_ARN")) else {
        return Ok(Err(
            "AWS_WEB_IDENTITY_TOKEN_FILE or AWS_ROLE_ARN unset".into()
        ));
    };
    let broken = |message: String| CredentialError::Broken {
        source_name: "WebIdentityTokenCredentialsProvider",
        message,
    };
    let token = std::fs::read_to_string(&file).map_err(|e| broken(format!("{file}: {e}")))?;
    let settings = StsSettings::from_config(conf).map_err(broken)?;
    let session =
        env("AWS_ROLE_SESSION_NAME").unwrap_or_else(|| format!("s3adt-{}", uuid::Uuid::new_v4()));
    let client = settings.client(None);
    let out = call_sts!(settings, "AssumeRoleWithWebIdentity", || client
        .assume_role_with_web_identity()
        .role_arn(arn.clone())
        .role_session_name(session.clone())
        .web_identity_token(token.trim())
        .send())
    .map_err(|e: StsError| broken(e.to_string()))?;
    to_credentials(out.credentials(), "AssumeRoleWithWebIdentity")
        .map(Ok)
        .map_err(|e| broken(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_rules_and_texts_are_hadoops() {
        let mut c = Configuration::new();
        let s = StsSettings::from_config(&c).unwrap();
        assert_eq!((s.endpoint_url, s.region.as_str()), (None, "us-east-1"));
        c.set(
            keys::ASSUMED_ROLE_STS_ENDPOINT,
            "sts.eu-west-1.amazonaws.com",
        );
        assert_eq!(
            StsSettings::from_config(&c).unwrap_err(),
            "STS endpoint is set to sts.eu-west-1.amazonaws.com but no signing region was provided"
        );
        let url = |c: &Configuration| StsSettings::from_config(c).unwrap().endpoint_url;
        c.set(keys::ASSUMED_ROLE_STS_ENDPOINT_REGION, "eu-west-1");
        assert_eq!(
            url(&c).as_deref(),
            Some("https://sts.eu-west-1.amazonaws.com")
        );
        c.set(keys::ASSUMED_ROLE_STS_ENDPOINT, "http://127.0.0.1:5000");
        assert_eq!(url(&c).as_deref(), Some("http://127.0.0.1:5000"));
        c.set(keys::ASSUMED_ROLE_STS_ENDPOINT, "");
        assert_eq!(
            StsSettings::from_config(&c).unwrap_err(),
            "STS signing region set set to eu-west-1 but no STS endpoint specified"
        );
    }
}
