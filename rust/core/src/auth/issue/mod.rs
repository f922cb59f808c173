//! Issuing tokens: which binding the configuration names, who owns the token, the origin text,
//! the encryption secrets, and the Full binding (which needs no STS). Behaviour and texts as
//! hadoop-aws's `FullCredentialsTokenBinding` and `AbstractDelegationTokenBinding`.

use crate::auth::chain::{configured_chain, resolve_chain};
use crate::auth::credentials::{AwsCredentials, Env};
use crate::auth::sts::{self, StsSettings};
use crate::conf::{keys, ConfigError, Configuration, TimeUnit};
use s3adt_token::identifier::DelegationTokenIdentifier;
use s3adt_token::s3a::*;
use s3adt_token::secret::SecretString;
use s3adt_token::writable::Text;
mod context;
mod identity;
mod session;

pub use super::binding::{Binding, UnknownBinding};
use identity::now_nanos;
pub use identity::{current_user, default_origin};
pub use session::SessionCache;

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// Same text as hadoop-aws's `S3ADelegationTokens`.
    #[error("Delegation tokens are not enabled ({key} is not set for bucket {bucket})")]
    NotEnabled { key: &'static str, bucket: String },
    #[error(transparent)]
    UnknownBinding(#[from] UnknownBinding),
    /// hadoop-aws's `RoleTokenBinding.E_NO_ARN`.
    #[error("No role ARN defined in fs.s3a.assumed.role.arn")]
    NoRoleArn,
    /// hadoop-aws's `DelegationConstants.E_NO_SESSION_TOKENS_FOR_ROLE_BINDING`.
    #[error("Cannot issue S3A Role Delegation Tokens without full AWS credentials")]
    RoleNeedsFullCredentials,
    #[error("{0}")]
    StsSettings(String),
    #[error(transparent)]
    Sts(#[from] crate::auth::sts::StsError),
    #[error(transparent)]
    Source(#[from] crate::auth::credentials::CredentialError),
    /// hadoop-aws's `DelegationTokenIOException` texts.
    #[error("{0}")]
    Credentials(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Token(#[from] s3adt_token::Error),
    /// The name would become a token's service and, for Role tokens, a session policy's
    /// resource: `*` there means every bucket the role reaches.
    /// The Ozone binding's credentials come from the Java shim (the UGI's Kerberos login).
    #[error("fs.s3a.delegation.token.binding={} issues tokens inside a JVM, whose Kerberos login gets the S3 secret; outside one, get it with `s3adt ozone getsecret` and use the Full binding", crate::conf::bindings::OZONE)]
    OzoneOutsideJvm,
    #[error("{0:?} is not an S3 bucket name (3-255 characters of letters, digits, '.', '-' and '_', starting and ending with a letter or digit)")]
    BadBucket(String),
}

impl crate::error::HasKind for IssueError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            IssueError::NotEnabled { .. } | IssueError::StsSettings(_) => ErrorKind::Config,
            IssueError::UnknownBinding(e) => e.kind(),
            IssueError::Config(e) => e.kind(),
            // hadoop-aws's DelegationTokenIOException texts: the binding lacks what it needs.
            IssueError::NoRoleArn
            | IssueError::RoleNeedsFullCredentials
            | IssueError::Credentials(_)
            | IssueError::OzoneOutsideJvm => ErrorKind::Credentials,
            IssueError::Sts(e) => e.kind(),
            IssueError::Source(e) => e.kind(),
            IssueError::Token(e) => e.kind(),
            IssueError::BadBucket(_) => ErrorKind::InvalidArgument,
        }
    }
}

/// The bucket names S3-compatible stores accept, checked on every path that issues a token:
/// S3's rules (3-63 of a-z, 0-9, '.', '-') widened to what legacy us-east-1 buckets and Ceph
/// RGW's relaxed names may hold (upper case, '_', up to 255), for hadoop-aws issues tokens for
/// those too. Never a wildcard, a path, a query or a blank.
pub fn check_bucket_name(bucket: &str) -> Result<(), IssueError> {
    let b = bucket.as_bytes();
    let ok = (3..=255).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(IssueError::BadBucket(bucket.to_owned()))
    }
}

/// The encryption secrets of a bucket-resolved configuration, in `layout`.
pub fn encryption_secrets(
    conf: &Configuration,
    layout: EncryptionLayout,
) -> Result<EncryptionSecrets, IssueError> {
    let algorithm = conf
        .get_first_trimmed(&[keys::ENCRYPTION_ALGORITHM, keys::SSE_ALGORITHM_OLD])
        .unwrap_or_default();
    let method =
        EncryptionMethod::from_algorithm(&algorithm).map_err(|_| ConfigError::BadValue {
            key: keys::ENCRYPTION_ALGORITHM.to_owned(),
            message: "Unknown encryption algorithm".to_owned(),
        })?;
    let key = conf
        .get_first_trimmed(&[keys::ENCRYPTION_KEY, keys::SSE_KEY_OLD])
        .unwrap_or_default();
    // carried only by the layouts with a context, as hadoop-aws 3.5.0 encodes it
    let context = if layout == EncryptionLayout::V1 {
        String::new()
    } else {
        context::encryption_context_base64(&conf.get(keys::ENCRYPTION_CONTEXT).unwrap_or_default())
            .map_err(|message| ConfigError::BadValue {
                key: keys::ENCRYPTION_CONTEXT.to_owned(),
                message,
            })?
    };
    Ok(EncryptionSecrets {
        algorithm: method.method().to_owned(),
        key: key.into(),
        context: context.into(),
        layout,
    })
}

/// The encryption-secrets layout tokens are written in: `fs.s3a.s3adt.token.encryption.layout`
/// when set; else the one the readers' hadoop-aws reads, from `fs.s3a.s3adt.token.readers`
/// (a Hadoop version: `3.4` -> V1, `3.5` -> v1ctx); else V1 (readable by hadoop-aws 3.3.0 to
/// 3.4.x). Inside a JVM the shim sets the readers from the running Hadoop's version.
pub fn encryption_layout(conf: &Configuration) -> Result<EncryptionLayout, IssueError> {
    let bad = |key: &str, message: String| {
        IssueError::Config(ConfigError::BadValue {
            key: key.to_owned(),
            message,
        })
    };
    let explicit = conf.get_trimmed(keys::S3ADT_ENCRYPTION_LAYOUT, "");
    if !explicit.is_empty() {
        return EncryptionLayout::from_name(&explicit).ok_or_else(|| {
            bad(
                keys::S3ADT_ENCRYPTION_LAYOUT,
                "expected v1, v1ctx or v2".to_owned(),
            )
        });
    }
    let readers = conf.get_trimmed(keys::S3ADT_TOKEN_READERS, "");
    if readers.is_empty() {
        return Ok(EncryptionLayout::V1);
    }
    let (major, minor) = hadoop_major_minor(&readers).ok_or_else(|| {
        bad(
            keys::S3ADT_TOKEN_READERS,
            "expected a Hadoop version such as 3.4 or 3.5".to_owned(),
        )
    })?;
    EncryptionLayout::read_by_hadoop(major, minor).ok_or_else(|| {
        bad(
            keys::S3ADT_TOKEN_READERS,
            format!(
                "no hadoop-aws before 3.3 reads S3A delegation tokens; set {} to write a layout anyway",
                keys::S3ADT_ENCRYPTION_LAYOUT
            ),
        )
    })
}

/// `major.minor` of a Hadoop version as `VersionInfo` gives it (`3.5`, `3.4.1`,
/// `3.5.1-SNAPSHOT`, `3.3.6-amzn-1`): two numbers, then nothing, `.` or `-`.
fn hadoop_major_minor(v: &str) -> Option<(u32, u32)> {
    let (major, rest) = v.split_once('.')?;
    let end = rest.find(['.', '-']).unwrap_or(rest.len());
    let minor = &rest[..end];
    let number = |s: &str| {
        if !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u32>().ok()
        } else {
            None
        }
    };
    Some((number(major)?, number(minor)?))
}

/// What a token is for and whom.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub bucket: String,
    pub owner: String,
    /// Empty when none was asked for.
    pub renewer: String,
}

/// A new identifier with everything but the credentials and origin filled in, as
/// `AbstractS3ATokenIdentifier`'s constructor does: issueDate and created now, a random uuid.
pub fn new_identifier(
    kind: S3ATokenKind,
    req: &TokenRequest,
    origin: String,
    encryption: EncryptionSecrets,
    credentials: MarshalledCredentials,
) -> S3ATokenIdentifier {
    let now_ms = (now_nanos() / 1_000_000) as i64;
    S3ATokenIdentifier {
        kind,
        base: DelegationTokenIdentifier {
            owner: Text::from(req.owner.as_str()),
            renewer: Text::from(req.renewer.as_str()),
            real_user: Text::default(),
            issue_date: now_ms,
            max_date: 0,
            sequence_number: 0,
            master_key_id: 0,
        },
        uri: format!("s3a://{}", req.bucket),
        origin,
        uuid: uuid::Uuid::new_v4().to_string(),
        encryption,
        created: now_ms,
        credentials,
    }
}

/// The Full binding: the configured keys (`fs.s3a.access.key`, `fs.s3a.secret.key`, per-bucket
/// first), else `AWS_ACCESS_KEY` / `AWS_SECRET_KEY` / `AWS_SESSION_TOKEN` from `env`.
/// `conf` is already resolved for the bucket.
pub fn issue_full(
    conf: &Configuration,
    req: &TokenRequest,
    env: Env<'_>,
) -> Result<S3ATokenIdentifier, IssueError> {
    let mut origin = default_origin();
    let access = conf.get(keys::ACCESS_KEY).unwrap_or_default();
    let secret = conf.get(keys::SECRET_KEY).unwrap_or_default();
    for (key, v) in [(keys::ACCESS_KEY, &access), (keys::SECRET_KEY, &secret)] {
        crate::auth::credentials::check_resolved(key, v).map_err(IssueError::Credentials)?;
    }
    let creds = if !access.is_empty() || !secret.is_empty() {
        origin.push_str("; source = Hadoop configuration data");
        MarshalledCredentials {
            access_key: access,
            secret_key: SecretString::new(secret),
            ..Default::default()
        }
    } else {
        let creds = MarshalledCredentials {
            access_key: env("AWS_ACCESS_KEY").unwrap_or_default(),
            secret_key: SecretString::new(env("AWS_SECRET_KEY").unwrap_or_default()),
            session_token: SecretString::new(env("AWS_SESSION_TOKEN").unwrap_or_default()),
            ..Default::default()
        };
        if creds.credential_type() != CredentialType::Empty {
            origin.push_str("; source = Environment variables");
        } else {
            origin = "no credentials in configuration or environment variables".to_owned();
        }
        creds
    };
    if creds.credential_type() == CredentialType::Empty {
        // MarshalledCredentials.validate(origin + ": ", AnyNonEmpty): note the two spaces.
        return Err(IssueError::Credentials(format!(
            "{origin}:  No AWS credentials"
        )));
    }
    full_identifier(conf, req, origin, creds)
}

/// A Full token identifier carrying `access_key`/`secret_key` given by the caller (the Ozone
/// binding: the Java shim got them for the Kerberos principal), never from the configuration;
/// `source` ends the origin text ("; source = ..."). `conf` is already resolved for the bucket.
pub fn issue_full_with(
    conf: &Configuration,
    req: &TokenRequest,
    access_key: &str,
    secret_key: SecretString,
    source: &str,
) -> Result<S3ATokenIdentifier, IssueError> {
    check_bucket_name(&req.bucket)?;
    if access_key.is_empty() || secret_key.expose().is_empty() {
        return Err(IssueError::Credentials(format!(
            "{source}:  No AWS credentials"
        )));
    }
    let origin = format!("{}; source = {source}", default_origin());
    let creds = MarshalledCredentials {
        access_key: access_key.to_owned(),
        secret_key,
        ..Default::default()
    };
    full_identifier(conf, req, origin, creds)
}

fn full_identifier(
    conf: &Configuration,
    req: &TokenRequest,
    origin: String,
    creds: MarshalledCredentials,
) -> Result<S3ATokenIdentifier, IssueError> {
    let layout = encryption_layout(conf)?;
    let encryption = encryption_secrets(conf, layout)?;
    Ok(new_identifier(
        S3ATokenKind::Full,
        req,
        origin,
        encryption,
        creds,
    ))
}

/// The session duration when `fs.s3a.assumed.role.session.duration` is unset: what Hadoop's
/// core-default.xml sets (3.3.6 to 3.5.0), so the duration a Hadoop user actually gets. (The
/// Java constant is 1h, but a `Configuration` with defaults loaded never falls back to it.)
pub const DEFAULT_SESSION_DURATION: &str = "30m";
/// s3adt's own opt-ins beyond hadoop-aws.
pub const ROLE_CHAINING: &str = "fs.s3a.s3adt.role.chaining";
pub const ROLE_INLINE_POLICY: &str = "fs.s3a.s3adt.role.inline.policy";
pub const ROLE_POLICY_KMS: &str = "fs.s3a.s3adt.role.policy.kms";

/// A token identifier and what the caller should be told about how it was made.
#[derive(Debug)]
pub struct Issued {
    pub identifier: S3ATokenIdentifier,
    /// hadoop-aws logs these as warnings.
    pub warnings: Vec<String>,
}

fn bool_key(conf: &Configuration, key: &str, default: bool) -> Result<bool, IssueError> {
    match conf.get_trimmed(key, "").to_ascii_lowercase().as_str() {
        "" => Ok(default),
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(IssueError::Config(ConfigError::BadValue {
            key: key.to_owned(),
            message: "expected true or false".to_owned(),
        })),
    }
}

fn duration_secs(conf: &Configuration) -> Result<i32, IssueError> {
    let d = conf.get_time_duration(
        keys::ASSUMED_ROLE_SESSION_DURATION,
        DEFAULT_SESSION_DURATION,
        TimeUnit::Seconds,
    )?;
    // hadoop-aws casts to int; AWS enforces the real range and says so in its own words.
    Ok(i32::try_from(d.as_secs()).unwrap_or(i32::MAX))
}

fn session_credentials(c: AwsCredentials) -> MarshalledCredentials {
    MarshalledCredentials {
        access_key: c.access_key,
        secret_key: c.secret_key,
        session_token: c.session_token.unwrap_or_default(),
        role_arn: String::new(),
        expiration: c.expiration.unwrap_or(0),
    }
}

/// Issue a token for the bucket with whichever binding `conf` (already resolved for the bucket)
/// names. Session and Role tokens carry the credentials' expiry in `maxDate` as well, so YARN
/// and Spark can see it (hadoop-aws leaves it 0; its readers ignore it).
pub async fn issue(
    conf: &Configuration,
    req: &TokenRequest,
    env: Env<'_>,
) -> Result<Issued, IssueError> {
    issue_with_cache(conf, req, env, None).await
}

/// [`issue`], sharing Session credentials through `cache` when one is given.
pub async fn issue_with_cache(
    conf: &Configuration,
    req: &TokenRequest,
    env: Env<'_>,
    cache: Option<&SessionCache>,
) -> Result<Issued, IssueError> {
    check_bucket_name(&req.bucket)?;
    let binding = Binding::from_config(conf)?.ok_or_else(|| IssueError::NotEnabled {
        key: keys::DELEGATION_TOKEN_BINDING,
        bucket: req.bucket.clone(),
    })?;
    if binding == Binding::Ozone {
        return Err(IssueError::OzoneOutsideJvm);
    }
    if binding == Binding::Full {
        return Ok(Issued {
            identifier: issue_full(conf, req, env)?,
            warnings: Vec::new(),
        });
    }
    let layout = encryption_layout(conf)?;
    let encryption = encryption_secrets(conf, layout)?;
    let duration = duration_secs(conf)?;
    let settings = StsSettings::from_config(conf).map_err(IssueError::StsSettings)?;
    // The role ARN is checked before anything is fetched: a token request without one fails
    // with hadoop-aws's text whatever the credentials.
    let role_arn = conf.get_trimmed(keys::ASSUMED_ROLE_ARN, "");
    if binding == Binding::Role && role_arn.is_empty() {
        return Err(IssueError::NoRoleArn);
    }
    let chain = configured_chain(conf)?;
    let parent = resolve_chain(&chain, conf, env).await?;
    let mut warnings = Vec::new();
    let uri = format!("s3a://{}", req.bucket);
    let (origin, creds) = match binding {
        Binding::Session if parent.is_session() => {
            warnings.push(format!(
                "Forwarding existing session credentials to {uri} -duration unknown"
            ));
            let origin = format!(
                "{} Existing session credentials converted to Delegation Token",
                default_origin()
            );
            (origin, session_credentials(parent))
        }
        Binding::Session => {
            let c = match cache {
                Some(cache) => {
                    let key = (
                        settings.endpoint_url.clone(),
                        settings.region.clone(),
                        cache.parent_digest(&parent),
                        duration,
                    );
                    let mut entries = cache.entries.lock().await;
                    let fresh = |at: &std::time::Instant| {
                        cache.max_age.is_none_or(|max| at.elapsed() < max)
                    };
                    match entries.get(&key).filter(|(at, _)| fresh(at)) {
                        Some((_, c)) => c.clone(),
                        None => {
                            let c = sts::get_session_token(&settings, &parent, duration).await?;
                            entries.insert(key, (std::time::Instant::now(), c.clone()));
                            c
                        }
                    }
                }
                None => sts::get_session_token(&settings, &parent, duration).await?,
            };
            (default_origin(), session_credentials(c))
        }
        Binding::Role => {
            if parent.is_session() && !bool_key(conf, ROLE_CHAINING, false)? {
                return Err(IssueError::RoleNeedsFullCredentials);
            }
            let kms = bool_key(conf, ROLE_POLICY_KMS, true)?;
            let policy = bool_key(conf, ROLE_INLINE_POLICY, true)?
                .then(|| crate::auth::policy::role_policy(&[&req.bucket], kms));
            let session_name = uuid::Uuid::new_v4().to_string();
            let c = sts::assume_role(&settings, &parent, &role_arn, &session_name, policy.as_deref(), duration)
                .await
                .map_err(|mut e| {
                    if kms && e.code.as_deref() == Some("MalformedPolicyDocument") {
                        e.message.push_str(&format!(
                            " (S3-compatible STS services such as Ceph RGW reject the kms:* statement: set {ROLE_POLICY_KMS}=false)"
                        ));
                    }
                    e
                })?;
            (
                format!("{} Role ARN={role_arn}", default_origin()),
                session_credentials(c),
            )
        }
        Binding::Full | Binding::Ozone => unreachable!("handled above"),
    };
    let mut id = new_identifier(binding.kind(), req, origin, encryption, creds);
    id.base.max_date = id.credentials.expiration;
    Ok(Issued {
        identifier: id,
        warnings,
    })
}

#[cfg(test)]
mod tests;
