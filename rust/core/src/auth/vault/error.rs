//! Why Vault gave no answer or refused one, said so that the reader knows what to do.

use super::keys;
use std::fmt;

/// Why Vault gave no answer or refused one. `Display` says what to do; never a token or secret.
#[derive(Debug)]
pub enum VaultError {
    /// A key is missing or wrong (the text names it).
    Config { key: &'static str, message: String },
    /// No answer: connection refused, timeout, TLS.
    Unreachable { address: String, detail: String },
    /// 503 "Vault is sealed".
    Sealed { address: String },
    /// The AppRole login was refused.
    LoginRefused { at: String, detail: String },
    /// 401/403 on a secret: the policy does not allow it, or the token is invalid.
    Denied {
        op: &'static str,
        at: String,
        status: u16,
        detail: String,
    },
    /// 404: no secret there (and the mount's version matches, or could not be asked).
    NotFound { at: String },
    /// The mount is a KV engine of the other version.
    WrongEngine {
        mount: String,
        configured: u8,
        actual: u8,
    },
    /// A 200 whose body is not Ozone's layout.
    NotOzoneLayout { at: String, what: String },
    /// Any other answer.
    Unexpected(String),
}

impl fmt::Display for VaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config { key, message } => write!(f, "{key}: {message}"),
            Self::Unreachable { address, detail } => {
                let lower = detail.to_ascii_lowercase();
                if lower.contains("certificate") || lower.contains("tls") {
                    write!(
                        f,
                        "no answer from Vault at {address} ({detail}): the TLS handshake failed; \
                         for a certificate the platform does not trust, set {} to the PEM file \
                         of its CA",
                        keys::TLS_CA_FILE
                    )
                } else {
                    write!(
                        f,
                        "no answer from Vault at {address} ({detail}): check {} and that Vault \
                         is running",
                        keys::ADDRESS
                    )
                }
            }
            Self::Sealed { address } => write!(
                f,
                "Vault at {address} is sealed (503 Vault is sealed): an operator must unseal it \
                 (vault/bao operator unseal)"
            ),
            Self::LoginRefused { at, detail } => write!(
                f,
                "Vault refused the AppRole login at {at} ({detail}): check {} and {} (a secret_id \
                 may have expired or been used up) and {}",
                keys::APPROLE_ROLE_ID,
                keys::APPROLE_SECRET_ID,
                keys::APPROLE_PATH
            ),
            Self::Denied {
                op,
                at,
                status,
                detail,
            } => write!(
                f,
                "Vault denied the {op} of {at} ({status} {detail}): the policy of this token or \
                 AppRole does not allow it (or the token is invalid or expired)"
            ),
            Self::NotFound { at } => write!(
                f,
                "no secret at {at} in Vault (404): check {} and the principal; Ozone writes one \
                 there when it issues the principal's S3 secret",
                keys::SECRET_PATH
            ),
            Self::WrongEngine {
                mount,
                configured,
                actual,
            } => write!(
                f,
                "{} is {configured} but the KV engine mounted at {mount} is version {actual}: \
                 set it to {actual}",
                keys::ENGINE_VERSION
            ),
            Self::NotOzoneLayout { at, what } => write!(
                f,
                "the secret at {at} is not in the layout of Ozone's Vault store ({what}; Ozone \
                 keeps one field named by the principal)"
            ),
            Self::Unexpected(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for VaultError {}

impl crate::error::HasKind for VaultError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            Self::Config { .. } | Self::WrongEngine { .. } => ErrorKind::Config,
            Self::LoginRefused { .. } | Self::Denied { .. } => ErrorKind::AccessDenied,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::Unreachable { .. }
            | Self::Sealed { .. }
            | Self::NotOzoneLayout { .. }
            | Self::Unexpected(_) => ErrorKind::Io,
        }
    }
}
