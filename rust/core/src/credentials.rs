//! Where the caller's own AWS credentials come from: the sources that
//! `fs.s3a.aws.credentials.provider` lists, by hadoop-aws's and the AWS SDKs' class names,
//! tried in order; when unset, hadoop-aws 3.4's default chain (temporary keys, simple keys,
//! environment variables, container then instance credentials).
//!
//! A source that has nothing to offer passes to the next; when none has anything, the error
//! names every source and why (as `AWSCredentialProviderList` does). A source that is configured
//! but broken (a malformed metadata reply) fails the chain instead of passing over silently.

use crate::config::{keys, Configuration};
use crate::secret::SecretString;
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

/// One place credentials may come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// `fs.s3a.access.key`, `fs.s3a.secret.key` and `fs.s3a.session.token`, all three.
    TemporaryKeys,
    /// `fs.s3a.access.key` and `fs.s3a.secret.key`.
    SimpleKeys,
    /// `AWS_ACCESS_KEY_ID` (or `AWS_ACCESS_KEY`), `AWS_SECRET_ACCESS_KEY` (or `AWS_SECRET_KEY`),
    /// `AWS_SESSION_TOKEN`.
    Environment,
    /// ECS/EKS container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`),
    /// then EC2 instance metadata (IMDSv2, falling back to v1 as the AWS SDKs do).
    InstanceOrContainer,
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` exchanged at STS (opt-in only).
    WebIdentity,
}

impl CredentialSource {
    /// A source for a provider class name; None when the name is not one s3adt knows.
    pub fn from_class_name(name: &str) -> Option<Self> {
        let simple = name.rsplit('.').next().unwrap_or(name);
        Some(match simple {
            "TemporaryAWSCredentialsProvider" => CredentialSource::TemporaryKeys,
            "SimpleAWSCredentialsProvider" => CredentialSource::SimpleKeys,
            "EnvironmentVariableCredentialsProvider" => CredentialSource::Environment,
            "IAMInstanceCredentialsProvider"
            | "InstanceProfileCredentialsProvider"
            | "EC2ContainerCredentialsProviderWrapper"
            | "ContainerCredentialsProvider" => CredentialSource::InstanceOrContainer,
            "WebIdentityTokenCredentialsProvider" | "WebIdentityTokenFileCredentialsProvider" => {
                CredentialSource::WebIdentity
            }
            _ => return None,
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            CredentialSource::TemporaryKeys => "TemporaryAWSCredentialsProvider",
            CredentialSource::SimpleKeys => "SimpleAWSCredentialsProvider",
            CredentialSource::Environment => "EnvironmentVariableCredentialsProvider",
            CredentialSource::InstanceOrContainer => "IAMInstanceCredentialsProvider",
            CredentialSource::WebIdentity => "WebIdentityTokenCredentialsProvider",
        }
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

/// The chain `fs.s3a.aws.credentials.provider` describes for a bucket-resolved configuration.
pub fn configured_chain(conf: &Configuration) -> Result<Vec<CredentialSource>, CredentialError> {
    let list = conf.get_trimmed(keys::AWS_CREDENTIALS_PROVIDER, "");
    if list.is_empty() {
        return Ok(vec![
            CredentialSource::TemporaryKeys,
            CredentialSource::SimpleKeys,
            CredentialSource::Environment,
            CredentialSource::InstanceOrContainer,
        ]);
    }
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|n| {
            CredentialSource::from_class_name(n)
                .ok_or_else(|| CredentialError::UnknownProvider(n.to_owned()))
        })
        .collect()
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

fn conf_value(conf: &Configuration, key: &str) -> String {
    conf.get(key)
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

/// Resolve the chain: the first source that has credentials wins.
pub async fn resolve_chain(
    chain: &[CredentialSource],
    conf: &Configuration,
    env: Env<'_>,
) -> Result<AwsCredentials, CredentialError> {
    let mut why = Vec::new();
    for source in chain {
        match resolve(source, conf, env).await? {
            Ok(c) => return Ok(c),
            Err(reason) => why.push((source.name(), reason)),
        }
    }
    Err(CredentialError::NoneFound(why))
}

/// One source: `Ok(Ok(creds))`, `Ok(Err(why it has none))`, or `Err` when it is broken.
async fn resolve(
    source: &CredentialSource,
    conf: &Configuration,
    env: Env<'_>,
) -> Result<Result<AwsCredentials, String>, CredentialError> {
    Ok(match source {
        CredentialSource::TemporaryKeys | CredentialSource::SimpleKeys => {
            let ak = conf_value(conf, keys::ACCESS_KEY);
            let sk = conf_value(conf, keys::SECRET_KEY);
            let st = conf_value(conf, keys::SESSION_TOKEN);
            let temporary = *source == CredentialSource::TemporaryKeys;
            // A half-set pair (one of the two keys missing, e.g. a JCEKS entry that is not
            // there) counts as unset and the chain moves on, silently, to the next source. The
            // security review's L4 asks for an error instead; hadoop-aws's
            // `SimpleAWSCredentialsProvider` / `TemporaryAWSCredentialsProvider` skip such a
            // pair too, and compatibility with it wins, so this stays as it is (README).
            if ak.is_empty() || sk.is_empty() {
                Err(format!(
                    "{} or {} unset",
                    keys::ACCESS_KEY,
                    keys::SECRET_KEY
                ))
            } else if temporary && st.is_empty() {
                Err(format!("{} unset", keys::SESSION_TOKEN))
            } else {
                // The source would sign with these: a `${env.NAME}` or `${key}` that did not
                // resolve stays in the value as text (as in Hadoop); sent to AWS it would
                // fail as an unknown key id, far from the cause.
                let used = [
                    (keys::ACCESS_KEY, &ak),
                    (keys::SECRET_KEY, &sk),
                    (keys::SESSION_TOKEN, if temporary { &st } else { &ak }),
                ];
                for (key, v) in used {
                    check_resolved(key, v).map_err(|message| CredentialError::Broken {
                        source_name: source.name(),
                        message,
                    })?;
                }
                Ok(AwsCredentials {
                    access_key: ak,
                    secret_key: sk.into(),
                    session_token: temporary.then(|| st.into()),
                    expiration: None,
                })
            }
        }
        CredentialSource::Environment => {
            let ak = env("AWS_ACCESS_KEY_ID").or_else(|| env("AWS_ACCESS_KEY"));
            let sk = env("AWS_SECRET_ACCESS_KEY").or_else(|| env("AWS_SECRET_KEY"));
            match (ak, sk) {
                (Some(ak), Some(sk)) => Ok(AwsCredentials {
                    access_key: ak,
                    secret_key: sk.into(),
                    session_token: env("AWS_SESSION_TOKEN").map(SecretString::new),
                    expiration: None,
                }),
                _ => Err("AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY unset".to_owned()),
            }
        }
        CredentialSource::InstanceOrContainer => {
            crate::metadata::instance_or_container(env).await?
        }
        CredentialSource::WebIdentity => crate::sts::web_identity(conf, env).await?,
    })
}

/// How long to wait for a metadata endpoint before taking it as absent.
pub(crate) const METADATA_TIMEOUT: Duration = Duration::from_secs(2);

#[cfg(test)]
mod unresolved_tests {
    use super::*;

    #[test]
    fn references_as_hadoop_matches_them() {
        assert!(check_resolved("k", "AKIAPLAIN").is_ok());
        assert!(check_resolved("k", "a${ }b").is_ok()); // a space: not a reference
        assert!(check_resolved("k", "a${}b").is_ok());
        assert!(check_resolved("k", "a${x$y}").is_ok());
        assert!(check_resolved("k", "open ${ended").is_ok());
        assert_eq!(
            check_resolved("fs.s3a.access.key", "${env.NOPE}").unwrap_err(),
            "fs.s3a.access.key holds the unresolved reference ${env.NOPE} (no such environment variable)"
        );
        // a non-env reference is not quoted: it could be part of a secret
        let e = check_resolved("fs.s3a.secret.key", "ab${cd}ef").unwrap_err();
        assert!(!e.contains("cd"), "{e}");
        assert!(check_resolved("k", "x${ a}${env.B}")
            .unwrap_err()
            .contains("${env.B}"));
    }

    #[test]
    fn an_unused_value_does_not_stop_the_chain() {
        // keys from the environment, a session token left unresolved in the configuration:
        // TemporaryAWSCredentialsProvider has no keys, so the chain goes on
        let mut c = Configuration::new();
        c.set(keys::SESSION_TOKEN, "${env.S3ADT_TEST_UNSET_44}");
        let env = |k: &str| match k {
            "AWS_ACCESS_KEY_ID" => Some("AKIAENV".to_owned()),
            "AWS_SECRET_ACCESS_KEY" => Some("envsecret".to_owned()),
            _ => None,
        };
        let chain = [
            CredentialSource::TemporaryKeys,
            CredentialSource::SimpleKeys,
            CredentialSource::Environment,
        ];
        let got = crate::runtime::block_on(resolve_chain(&chain, &c, &env)).unwrap();
        assert_eq!(got.access_key, "AKIAENV");
        // but keys that would be used are checked
        c.set(keys::ACCESS_KEY, "${env.S3ADT_TEST_UNSET_45}");
        c.set(keys::SECRET_KEY, "s");
        let err = crate::runtime::block_on(resolve_chain(&chain, &c, &env))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "fs.s3a.access.key holds the unresolved reference ${env.S3ADT_TEST_UNSET_45}"
            ),
            "{err}"
        );
    }
}
