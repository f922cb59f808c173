//! The caller's AWS credentials as every layer above sees them, the error a credential source
//! reports, and the checks shared by the sources. A leaf: it imports no other auth module.

use s3adt_token::secret::SecretString;
use std::fmt;
use std::time::Duration;

/// AWS credentials: full (no session token) or session.
#[derive(Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    pub access_key: String,
    pub secret_key: SecretString,
    pub session_token: Option<SecretString>,
    /// Milliseconds since the epoch, when known.
    pub expiration: Option<i64>,
}

impl AwsCredentials {
    pub fn is_session(&self) -> bool {
        self.session_token.as_ref().is_some_and(|t| !t.is_empty())
    }
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &self.secret_key)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expiration", &self.expiration)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("unknown credential provider {0:?} in fs.s3a.aws.credentials.provider")]
    UnknownProvider(String),
    /// Same start as hadoop-aws's `AWSCredentialProviderList` text.
    #[error("No AWS Credentials provided by {}", .0.iter().map(|(n, why)| format!("{n}: {why}")).collect::<Vec<_>>().join(", "))]
    NoneFound(Vec<(&'static str, String)>),
    #[error("{source_name}: {message}")]
    Broken {
        source_name: &'static str,
        message: String,
    },
}

impl crate::error::HasKind for CredentialError {
    /// hadoop-aws turns "no credentials" into AccessDeniedException; an unknown provider
    /// class is a configuration mistake.
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            CredentialError::UnknownProvider(_) => ErrorKind::Config,
            CredentialError::NoneFound(_) | CredentialError::Broken { .. } => {
                ErrorKind::AccessDenied
            }
        }
    }
}

/// Reads environment variables; a function so tests can supply their own.
pub type Env<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A credential value from the configuration must not hold a `${...}` that substitution left
/// in place (an unset `${env.NAME}`, an unknown `${key}`): Hadoop keeps such text as it is, and
/// sent to AWS it fails as an unknown key id, far from the cause. The error names the key.
/// References as Hadoop's `Configuration` matches them: `${` then no `}`, `$` or space, `}`.
/// The reference is quoted in the error only when it is `${env.NAME}` (a name, not part of a
/// secret that happens to hold `${`).
pub(crate) fn check_resolved(key: &str, value: &str) -> Result<(), String> {
    let mut from = 0;
    while let Some(i) = value[from..].find("${") {
        let start = from + i;
        let body = &value[start + 2..];
        let end = body.find(['}', '$', ' ']);
        if let Some(e) = end.filter(|&e| e > 0 && body[e..].starts_with('}')) {
            let reference = &value[start..start + 2 + e + 1];
            let what = if reference.starts_with("${env.") {
                format!("the unresolved reference {reference} (no such environment variable)")
            } else {
                "an unresolved ${...} reference (no such configuration key, or one holding a \
                 secret, which is never copied)"
                    .to_owned()
            };
            return Err(format!("{key} holds {what}"));
        }
        from = start + 2;
    }
    Ok(())
}

/// How long to wait for a metadata endpoint before taking it as absent.
pub(crate) const METADATA_TIMEOUT: Duration = Duration::from_secs(2);
