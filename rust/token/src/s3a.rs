//! S3A delegation-token identifiers: the three kinds hadoop-aws issues (`S3ADelegationToken/Full`,
//! `/Session`, `/Role`), which share one layout, their encryption secrets (three wire layouts)
//! and their marshalled AWS credentials.
//!
//! Same layout as hadoop-aws's `AbstractS3ATokenIdentifier.write` followed by
//! `MarshalledCredentials.write` (see `SessionTokenIdentifier`): the base identifier fields,
//! then uri, origin, uuid, encryption secrets, created, then the credentials.

use crate::error::{Error, Result};
use crate::identifier::DelegationTokenIdentifier;
use crate::javatime::iso_date_time_utc;
use crate::secret::SecretString;
use crate::writable::{Limit, Reader, Writer};
use std::fmt;

/// `AbstractS3ATokenIdentifier.MAX_TEXT_LENGTH` (uri, origin, uuid) and
/// `MarshalledCredentials.MAX_SECRET_LENGTH` (every credential string).
pub const MAX_TEXT_LENGTH: usize = 8192;
/// `EncryptionSecrets.MAX_SECRET_LENGTH` (algorithm and key).
pub const MAX_ENCRYPTION_SECRET_LENGTH: usize = 2048;
/// `EncryptionSecrets` serialVersionUID written by every released hadoop-aws (3.3.x to 3.5.0).
pub const ENCRYPTION_SECRETS_UID_V1: i64 = 1208329045511296375;
/// The version number of the layout on Hadoop trunk (not in any release as of 3.5.0) that
/// carries an encryption context.
pub const ENCRYPTION_SECRETS_UID_V2: i64 = 8834417969966697162;
/// `DelegationConstants.TOKEN_NAME_PREFIX`.
pub const TOKEN_NAME_PREFIX: &str = "S3ADelegationToken/";

/// The three token kinds of hadoop-aws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum S3ATokenKind {
    /// `FullCredentialsTokenIdentifier`: long-lived keys.
    Full,
    /// `SessionTokenIdentifier`: STS GetSessionToken credentials.
    Session,
    /// `RoleTokenIdentifier`: STS AssumeRole credentials.
    Role,
}

impl S3ATokenKind {
    pub const ALL: [S3ATokenKind; 3] = [
        S3ATokenKind::Full,
        S3ATokenKind::Session,
        S3ATokenKind::Role,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            S3ATokenKind::Full => "S3ADelegationToken/Full",
            S3ATokenKind::Session => "S3ADelegationToken/Session",
            S3ATokenKind::Role => "S3ADelegationToken/Role",
        }
    }

    /// The kind for a token kind text, if it is one of the S3A kinds.
    pub fn from_kind(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// The hadoop-aws identifier class for this kind.
    pub fn java_class(self) -> &'static str {
        match self {
            S3ATokenKind::Full => {
                "org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenIdentifier"
            }
            S3ATokenKind::Session => {
                "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier"
            }
            S3ATokenKind::Role => "org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenIdentifier",
        }
    }
}

impl fmt::Display for S3ATokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// hadoop-aws's `S3AEncryptionMethods`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncryptionMethod {
    None,
    SseS3,
    SseKms,
    SseC,
    CseKms,
    CseCustom,
    DsseKms,
}

impl EncryptionMethod {
    const ALL: [EncryptionMethod; 7] = [
        EncryptionMethod::None,
        EncryptionMethod::SseS3,
        EncryptionMethod::SseKms,
        EncryptionMethod::SseC,
        EncryptionMethod::CseKms,
        EncryptionMethod::CseCustom,
        EncryptionMethod::DsseKms,
    ];

    /// The method string, as hadoop-aws writes and prints it.
    pub fn method(self) -> &'static str {
        match self {
            EncryptionMethod::None => "",
            EncryptionMethod::SseS3 => "AES256",
            EncryptionMethod::SseKms => "SSE-KMS",
            EncryptionMethod::SseC => "SSE-C",
            EncryptionMethod::CseKms => "CSE-KMS",
            EncryptionMethod::CseCustom => "CSE-CUSTOM",
            EncryptionMethod::DsseKms => "DSSE-KMS",
        }
    }

    /// `S3AEncryptionMethods.getMethod`: blank is none, otherwise a case-insensitive match.
    pub fn from_algorithm(name: &str) -> Result<Self> {
        if name.trim().is_empty() {
            return Ok(EncryptionMethod::None);
        }
        Self::ALL
            .into_iter()
            .find(|m| m.method().eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::UnknownEncryptionAlgorithm(name.to_owned()))
    }
}

/// Which wire layout of `EncryptionSecrets` a token uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum EncryptionLayout {
    /// Version 1 number, algorithm, key. Written and read by hadoop-aws 3.3.x to 3.4.3.
    #[default]
    V1,
    /// Version 1 number, algorithm, key, context: what hadoop-aws 3.5.0 writes and reads. Same
    /// version number as V1, so readers cannot tell them apart by it: 3.3-3.4 readers fail or
    /// misread it, and 3.5.0 fails or misreads V1 (see docs/hadoop-facts.md).
    V1WithContext,
    /// Version 2 number, algorithm, key, context (Hadoop trunk; no release reads it yet).
    V2,
}

impl EncryptionLayout {
    pub fn name(self) -> &'static str {
        match self {
            EncryptionLayout::V1 => "v1",
            EncryptionLayout::V1WithContext => "v1ctx",
            EncryptionLayout::V2 => "v2",
        }
    }

    /// The hadoop-aws releases that read this layout (docs/hadoop-facts.md §2), `None` for
    /// v2, which no release reads.
    pub fn hadoop_aws_readers(self) -> Option<&'static str> {
        match self {
            EncryptionLayout::V1 => Some("3.3.0-3.4.x"),
            EncryptionLayout::V1WithContext => Some("3.5.x"),
            EncryptionLayout::V2 => None,
        }
    }

    /// The layout the hadoop-aws of Hadoop `major.minor` reads: 3.3 and 3.4 V1, 3.5 and later
    /// the one with the context. `None` before 3.3 (no hadoop-aws reads S3A tokens there).
    pub fn read_by_hadoop(major: u32, minor: u32) -> Option<Self> {
        match (major, minor) {
            (3, 3) | (3, 4) => Some(EncryptionLayout::V1),
            (3, m) if m >= 5 => Some(EncryptionLayout::V1WithContext),
            (m, _) if m >= 4 => Some(EncryptionLayout::V1WithContext),
            _ => None,
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "v1" => Some(EncryptionLayout::V1),
            "v1ctx" => Some(EncryptionLayout::V1WithContext),
            "v2" => Some(EncryptionLayout::V2),
            _ => None,
        }
    }
}

/// hadoop-aws's `EncryptionSecrets`: the bucket's encryption settings, carried in the token so
/// that tasks write with the same encryption as the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EncryptionSecrets {
    /// The algorithm as written on the wire (`""` for none, `AES256`, `SSE-KMS`, ...).
    pub algorithm: String,
    pub key: SecretString,
    /// The base64 encryption context (empty when none). Not shown by any description.
    pub context: SecretString,
    /// The layout it was read in, or is to be written in.
    pub layout: EncryptionLayout,
}

impl EncryptionSecrets {
    pub fn method(&self) -> EncryptionMethod {
        // Validated when read or built, so an unknown name cannot get here through the decoder.
        EncryptionMethod::from_algorithm(&self.algorithm).unwrap_or(EncryptionMethod::None)
    }

    pub fn has_key(&self) -> bool {
        !self.key.is_empty()
    }

    fn write(&self, w: &mut Writer) -> Result<()> {
        check_len(
            "encryption algorithm",
            self.algorithm.len(),
            MAX_ENCRYPTION_SECRET_LENGTH,
        )?;
        check_len(
            "encryption key",
            self.key.len(),
            MAX_ENCRYPTION_SECRET_LENGTH,
        )?;
        EncryptionMethod::from_algorithm(&self.algorithm)?;
        match self.layout {
            EncryptionLayout::V1 => {
                // V1 has no place for a context: readers of this layout predate it.
                w.long(ENCRYPTION_SECRETS_UID_V1);
                w.vint_bytes(self.algorithm.as_bytes());
                w.vint_bytes(self.key.expose().as_bytes());
            }
            EncryptionLayout::V1WithContext | EncryptionLayout::V2 => {
                w.long(if self.layout == EncryptionLayout::V2 {
                    ENCRYPTION_SECRETS_UID_V2
                } else {
                    ENCRYPTION_SECRETS_UID_V1
                });
                w.vint_bytes(self.algorithm.as_bytes());
                w.vint_bytes(self.key.expose().as_bytes());
                w.vint_bytes(self.context.expose().as_bytes());
            }
        }
        Ok(())
    }

    fn read_after_uid(r: &mut Reader<'_>, layout: EncryptionLayout) -> Result<Self> {
        let limit = Limit::Inclusive(MAX_ENCRYPTION_SECRET_LENGTH);
        let algorithm = r.string("encryption algorithm", limit)?;
        let key = SecretString::new(r.string("encryption key", limit)?);
        let context = match layout {
            EncryptionLayout::V1 => SecretString::default(),
            _ => SecretString::new(r.string("encryption context", Limit::Input)?),
        };
        EncryptionMethod::from_algorithm(&algorithm)?;
        Ok(EncryptionSecrets {
            algorithm,
            key,
            context,
            layout,
        })
    }
}

/// Same text as `EncryptionSecrets.toString()`.
impl fmt::Display for EncryptionSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.method() {
            EncryptionMethod::None => f.write_str("(no encryption)"),
            m => f.write_str(m.method()),
        }
    }
}

/// What a set of credentials can be used as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialType {
    /// No access key or no secret key.
    Empty,
    /// Access and secret key, no session token.
    Full,
    /// Access key, secret key and session token.
    Session,
}

impl CredentialType {
    pub fn name(self) -> &'static str {
        match self {
            CredentialType::Empty => "empty",
            CredentialType::Full => "full",
            CredentialType::Session => "session",
        }
    }
}

/// hadoop-aws's `MarshalledCredentials`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarshalledCredentials {
    pub access_key: String,
    pub secret_key: SecretString,
    /// Empty for full credentials.
    pub session_token: SecretString,
    /// Diagnostic only; hadoop-aws's Role binding leaves it empty.
    pub role_arn: String,
    /// Milliseconds since the epoch, UTC; 0 when unknown.
    pub expiration: i64,
}

impl MarshalledCredentials {
    pub fn credential_type(&self) -> CredentialType {
        if self.access_key.is_empty() || self.secret_key.is_empty() {
            CredentialType::Empty
        } else if self.session_token.is_empty() {
            CredentialType::Full
        } else {
            CredentialType::Session
        }
    }

    fn write(&self, w: &mut Writer) -> Result<()> {
        check_len("access key", self.access_key.len(), MAX_TEXT_LENGTH)?;
        check_len("secret key", self.secret_key.len(), MAX_TEXT_LENGTH)?;
        check_len("session token", self.session_token.len(), MAX_TEXT_LENGTH)?;
        check_len("role ARN", self.role_arn.len(), MAX_TEXT_LENGTH)?;
        w.vint_bytes(self.access_key.as_bytes());
        w.vint_bytes(self.secret_key.expose().as_bytes());
        w.vint_bytes(self.session_token.expose().as_bytes());
        w.vint_bytes(self.role_arn.as_bytes());
        w.long(self.expiration);
        Ok(())
    }

    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let limit = Limit::Inclusive(MAX_TEXT_LENGTH);
        Ok(MarshalledCredentials {
            access_key: r.string("access key", limit)?,
            secret_key: SecretString::new(r.string("secret key", limit)?),
            session_token: SecretString::new(r.string("session token", limit)?),
            role_arn: r.string("role ARN", limit)?,
            expiration: r.long("expiration")?,
        })
    }
}

/// Same text as `MarshalledCredentials.toString()`: no secret, no access key.
impl fmt::Display for MarshalledCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.credential_type() {
            CredentialType::Empty => f.write_str("Empty credentials"),
            CredentialType::Full => f.write_str("full credentials (valid)"),
            CredentialType::Session => {
                let expiry = if self.expiration == 0 {
                    "unknown".to_owned()
                } else {
                    iso_date_time_utc(self.expiration)
                };
                let role = if self.role_arn.is_empty() {
                    String::new()
                } else {
                    format!("role \"{}\" ", self.role_arn)
                };
                write!(f, "session credentials, expiry {expiry}; {role}(valid)")
            }
        }
    }
}

/// An S3A token identifier of any of the three kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3ATokenIdentifier {
    pub kind: S3ATokenKind,
    pub base: DelegationTokenIdentifier,
    /// The filesystem URI, `s3a://bucket`.
    pub uri: String,
    /// Free text for diagnostics: where and when the token was made.
    pub origin: String,
    pub uuid: String,
    pub encryption: EncryptionSecrets,
    /// Milliseconds since the epoch.
    pub created: i64,
    pub credentials: MarshalledCredentials,
}

impl S3ATokenIdentifier {
    /// Decode the identifier bytes of a token of kind `kind`.
    ///
    /// The encryption secrets come in three layouts, and two share a version number; the
    /// identifier's length is known, so the layout chosen is the one that accounts for exactly
    /// all of its bytes. If both do (a coincidence), the one whose `created` is a plausible
    /// time (2018 to 2199) wins, else V1. If neither does, a V1 reading that leaves bytes over is taken, as
    /// hadoop-aws 3.3 to 3.4.1 would take it (Hadoop ignores trailing identifier bytes).
    pub fn decode(kind: &str, bytes: &[u8]) -> Result<Self> {
        let kind =
            S3ATokenKind::from_kind(kind).ok_or_else(|| Error::NotS3AKind(kind.to_owned()))?;
        let mut r = Reader::new(bytes);
        let base = DelegationTokenIdentifier::read(&mut r)?;
        let limit = Limit::Inclusive(MAX_TEXT_LENGTH);
        let uri = r.string("uri", limit)?;
        let origin = r.string("origin", limit)?;
        let uuid = r.string("uuid", limit)?;
        let uid = r.long("encryption secrets version")?;
        let tail = |mut r: Reader<'_>,
                    layout|
         -> Result<(EncryptionSecrets, i64, MarshalledCredentials, usize)> {
            let enc = EncryptionSecrets::read_after_uid(&mut r, layout)?;
            let created = r.long("created")?;
            let creds = MarshalledCredentials::read(&mut r)?;
            Ok((enc, created, creds, r.remaining()))
        };
        let (encryption, created, credentials) = match uid {
            ENCRYPTION_SECRETS_UID_V2 => {
                let (e, c, m, rest) = tail(r, EncryptionLayout::V2)?;
                if rest != 0 {
                    return Err(Error::TrailingBytes(rest));
                }
                (e, c, m)
            }
            ENCRYPTION_SECRETS_UID_V1 => {
                let v1 = tail(r.clone(), EncryptionLayout::V1);
                if matches!(&v1, Ok((_, created, _, 0)) if plausible_timestamp(*created)) {
                    let (e, c, m, _) = v1?;
                    return Ok(S3ATokenIdentifier {
                        kind,
                        base,
                        uri,
                        origin,
                        uuid,
                        encryption: e,
                        created: c,
                        credentials: m,
                    });
                }
                let v1ctx = tail(r, EncryptionLayout::V1WithContext);
                let exact_v1 = matches!(&v1, Ok((.., 0)));
                let exact_ctx = matches!(&v1ctx, Ok((.., 0)));
                let plausible = |t: &Result<(
                    EncryptionSecrets,
                    i64,
                    MarshalledCredentials,
                    usize,
                )>| {
                    matches!(t, Ok((_, created, ..)) if plausible_timestamp(*created))
                };
                // Both layouts can account for every byte only by coincidence; a misaligned
                // reading then puts a length or text byte into the top of `created`.
                let take_ctx = exact_ctx && (!exact_v1 || (!plausible(&v1) && plausible(&v1ctx)));
                let (e, c, m, _) = if take_ctx { v1ctx? } else { v1? };
                (e, c, m)
            }
            other => return Err(Error::IncompatibleEncryptionSecrets(other)),
        };
        Ok(S3ATokenIdentifier {
            kind,
            base,
            uri,
            origin,
            uuid,
            encryption,
            created,
            credentials,
        })
    }

    pub fn write(&self, w: &mut Writer) -> Result<()> {
        check_len("uri", self.uri.len(), MAX_TEXT_LENGTH)?;
        check_len("origin", self.origin.len(), MAX_TEXT_LENGTH)?;
        check_len("uuid", self.uuid.len(), MAX_TEXT_LENGTH)?;
        self.base.write(w)?;
        w.vint_bytes(self.uri.as_bytes());
        w.vint_bytes(self.origin.as_bytes());
        w.vint_bytes(self.uuid.as_bytes());
        self.encryption.write(w)?;
        w.long(self.created);
        self.credentials.write(w)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut w = Writer::with_capacity(256);
        self.write(&mut w)?;
        Ok(w.into_bytes())
    }

    /// The bucket: the host part of `s3a://bucket[/...]`.
    pub fn bucket(&self) -> Option<&str> {
        let rest = self.uri.split_once("://")?.1;
        let host = rest.split(['/', '?', '#']).next()?;
        (!host.is_empty()).then_some(host)
    }
}

/// Same text as hadoop-aws's `toString()` for these identifiers: kind, uri, created, renewer,
/// encryption method, uuid, origin, then the credentials' own secret-free text.
impl fmt::Display for S3ATokenIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "S3ATokenIdentifier{{{}; uri={}; timestamp={}; renewer={}; encryption={}; {}; {}}}; {}",
            self.kind,
            self.uri,
            self.created,
            self.base.renewer,
            self.encryption,
            self.uuid,
            self.origin,
            self.credentials
        )
    }
}

/// A creation time a real token can have: S3A delegation tokens appeared in 2018 (Hadoop
/// 3.3), and hadoop-aws sets `created` from the clock. A misaligned reading of the other layout
/// shifts `created` by a byte (an empty context: about 1970) or puts a length in its top byte
/// (far in the future), so this window tells the two readings apart.
fn plausible_timestamp(ms: i64) -> bool {
    // 2018-01-01T00:00:00Z ..= 2199-12-31T23:59:59.999Z
    (1_514_764_800_000..7_258_118_400_000).contains(&ms)
}

fn check_len(field: &'static str, len: usize, max: usize) -> Result<()> {
    if len > max {
        Err(Error::TooLongToWrite { field, len, max })
    } else {
        Ok(())
    }
}
