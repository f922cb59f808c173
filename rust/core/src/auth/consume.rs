//! The consuming side: from a token file and a bucket back to AWS credentials, with the checks
//! hadoop-aws makes (`S3ADelegationTokens.lookupToken`, `convertTokenIdentifier`,
//! `MarshalledCredentials.validate`) and one it does not: expired credentials are refused here,
//! naming the expiry, before any call to S3.

use crate::auth::binding::{Binding, UnknownBinding};
use crate::conf::Configuration;
use s3adt_token::javatime::iso_date_time_utc;
use s3adt_token::s3a::{CredentialType, S3ATokenIdentifier, S3ATokenKind};
use s3adt_token::token::Token;
use s3adt_token::token_file::TokenFile;
use s3adt_token::writable::Text;

#[derive(Debug, thiserror::Error)]
pub enum ConsumeError {
    #[error("no delegation token for {service} in the token file")]
    NoToken { service: String },
    /// hadoop-aws's `DelegationTokenIOException.TOKEN_MISMATCH` text.
    #[error("Token mismatch: expected token for {service} of type {expected} but got a token of type {}", s3adt_token::error::safe(.actual))]
    Mismatch {
        service: String,
        expected: &'static str,
        actual: String,
    },
    #[error("Failed to unmarshall token for {service}: {source}")]
    Decode {
        service: String,
        source: s3adt_token::Error,
    },
    /// `MarshalledCredentials.buildInvalidCredentialsError`.
    #[error("{service}: {}", if *.empty { " No AWS credentials".to_owned() } else { format!(" Invalid AWS credentials in {} required: {}", s3adt_token::error::safe(.creds), .required) })]
    Invalid {
        service: String,
        empty: bool,
        creds: String,
        required: &'static str,
    },
    #[error("the delegation token for {service} expired at {at} ({ms} ms since the epoch); fetch a new one")]
    Expired {
        service: String,
        at: String,
        ms: i64,
    },
    #[error(transparent)]
    Binding(#[from] UnknownBinding),
}

impl crate::error::HasKind for ConsumeError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            ConsumeError::NoToken { .. } => ErrorKind::NoToken,
            ConsumeError::Mismatch { .. } => ErrorKind::TokenMismatch,
            ConsumeError::Decode { .. } => ErrorKind::Malformed,
            ConsumeError::Invalid { .. } => ErrorKind::Credentials,
            ConsumeError::Expired { .. } => ErrorKind::Expired,
            ConsumeError::Binding(e) => e.kind(),
        }
    }
}

/// The token for `bucket` from `file`, checked against the binding `conf` names for the bucket
/// (any S3A kind when none is configured) and against the clock (`now_ms`).
pub fn identifier_for_bucket(
    file: &TokenFile,
    bucket: &str,
    conf: &Configuration,
    now_ms: i64,
) -> Result<S3ATokenIdentifier, ConsumeError> {
    let service = format!("s3a://{bucket}");
    let token = file
        .token(&Text::from(service.as_str()))
        .ok_or_else(|| ConsumeError::NoToken {
            service: service.clone(),
        })?;
    let id = identifier_of_token(token, bucket, conf)?;
    check_expiry(&id, bucket, now_ms)?;
    Ok(id)
}

/// The checks hadoop-aws makes when a filesystem binds to a token it found for its bucket: the
/// kind matches the binding `conf` names for the bucket (any S3A kind when none is configured),
/// the identifier decodes, and it carries the credentials its kind needs. Expiry is left to
/// [`check_expiry`], at the time the credentials are used.
pub fn identifier_of_token(
    token: &Token,
    bucket: &str,
    conf: &Configuration,
) -> Result<S3ATokenIdentifier, ConsumeError> {
    let service = format!("s3a://{bucket}");
    let kind = token.kind.to_string_lossy();
    let conf = conf.for_bucket(bucket);
    let binding = Binding::from_config(&conf)?;
    if let Some(b) = binding {
        if kind != b.kind().as_str() {
            return Err(ConsumeError::Mismatch {
                service,
                expected: b.kind().as_str(),
                actual: kind,
            });
        }
    }
    let id = token
        .decode_s3a_identifier()
        .map_err(|source| ConsumeError::Decode {
            service: service.clone(),
            source,
        })?;
    let required = match id.kind {
        S3ATokenKind::Full => "Full or Session",
        S3ATokenKind::Session | S3ATokenKind::Role => "Session",
    };
    let ok = match id.kind {
        S3ATokenKind::Full => id.credentials.credential_type() != CredentialType::Empty,
        _ => id.credentials.credential_type() == CredentialType::Session,
    };
    if !ok {
        return Err(ConsumeError::Invalid {
            service,
            empty: id.credentials.credential_type() == CredentialType::Empty,
            creds: id.credentials.to_string(),
            required,
        });
    }
    Ok(id)
}

/// Refuse credentials whose expiry (when the token records one) is at or before `now_ms`.
pub fn check_expiry(
    id: &S3ATokenIdentifier,
    bucket: &str,
    now_ms: i64,
) -> Result<(), ConsumeError> {
    let exp = id.credentials.expiration;
    if exp != 0 && exp <= now_ms {
        return Err(ConsumeError::Expired {
            service: format!("s3a://{bucket}"),
            at: iso_date_time_utc(exp),
            ms: exp,
        });
    }
    Ok(())
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
