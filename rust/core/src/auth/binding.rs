//! The bindings of `fs.s3a.delegation.token.binding`: what issuing makes and what
//! consuming expects. A leaf that both [`super::issue`] and [`super::consume`] import.

use crate::conf::{bindings, keys, Configuration};
use s3adt_token::S3ATokenKind;

/// `fs.s3a.delegation.token.binding` names a class s3adt does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown delegation token binding {0:?} in fs.s3a.delegation.token.binding")]
pub struct UnknownBinding(pub String);

// duplicates: deliberate. A HasKind impl and a small Copy enum, as in conf/mod.rs:
// alike in shape only.
impl crate::error::HasKind for UnknownBinding {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Config
    }
}

/// The bindings of `fs.s3a.delegation.token.binding`: hadoop-aws's three and s3adt's Ozone one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Full,
    Session,
    Role,
    /// [`bindings::OZONE`]: Full tokens whose credentials the Java shim supplies.
    Ozone,
}

impl Binding {
    /// The binding the (bucket-resolved) configuration names; `None` when tokens are disabled.
    pub fn from_config(conf: &Configuration) -> Result<Option<Self>, UnknownBinding> {
        let name = conf.get_trimmed(keys::DELEGATION_TOKEN_BINDING, "");
        Ok(match name.as_str() {
            "" => None,
            bindings::FULL => Some(Binding::Full),
            bindings::SESSION => Some(Binding::Session),
            bindings::ROLE => Some(Binding::Role),
            bindings::OZONE => Some(Binding::Ozone),
            other => return Err(UnknownBinding(other.to_owned())),
        })
    }

    pub fn kind(self) -> S3ATokenKind {
        match self {
            Binding::Full | Binding::Ozone => S3ATokenKind::Full,
            Binding::Session => S3ATokenKind::Session,
            Binding::Role => S3ATokenKind::Role,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Binding::Full => "Full",
            Binding::Session => "Session",
            Binding::Role => "Role",
            Binding::Ozone => "Ozone",
        }
    }
}
