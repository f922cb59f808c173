//! The secret store of the Ozone token binding (`fs.s3a.s3adt.ozone.secret.store`), as far as
//! Rust can drive it: Vault, in the layout Ozone's own Vault store writes ([`VaultStore`]). A
//! store named by a Java class lives in a JVM only: [`revoke_secret_and_copy`] refuses it
//! before anything is revoked, and says how to revoke with it.
//!
//! Revoking a secret removes the stored copy too, as `org.s3adt.ozone.OzoneTokenBinding
//! revokesecret` does (`OzoneTokenBinding.revokeSecret`): else the binding would go on handing
//! out the revoked secret from the store.

use super::{login_principal, revoke_secret, OzoneError};
use crate::auth::vault::{VaultError, VaultStore};
use crate::conf::Configuration;
use crate::error::{ErrorKind, HasKind};
use std::fmt;

/// The binding's store: empty (none), `vault`, or a Java class name.
pub const STORE_KEY: &str = "fs.s3a.s3adt.ozone.secret.store";
/// The S3 gateway's webadmin URL, e.g. `http://s3g.example.com:19878`.
pub const URL_KEY: &str = "fs.s3a.s3adt.ozone.secret.url";
/// The Java class `vault` stands for.
const VAULT_CLASS: &str = "org.s3adt.vault.VaultS3SecretStore";

/// The store `conf` names: None when none is; an error when it is a Java class (other than
/// the Vault one) or Vault's settings are wrong. Sends nothing.
pub fn configured_store(conf: &Configuration) -> Result<Option<VaultStore>, RevokeError> {
    let name = conf.get(STORE_KEY).unwrap_or_default();
    match name.trim() {
        "" => Ok(None),
        "vault" | VAULT_CLASS => Ok(Some(
            VaultStore::from_conf(conf).map_err(RevokeError::StoreSettings)?,
        )),
        class => Err(RevokeError::JavaStore(class.to_owned())),
    }
}

/// What [`revoke_secret_and_copy`] did.
#[derive(Debug)]
pub struct Revoked {
    /// Whose secret: the principal given, or the login's when a store was configured (None:
    /// the login's, not asked for without a store).
    pub principal: Option<String>,
    /// Ozone's answer: Ok (revoked), or [`OzoneError::NotFound`] (it had none; a stored copy is
    /// removed all the same).
    pub at_ozone: Result<(), OzoneError>,
    /// Some(true) when a stored copy was removed, Some(false) when the store held none, None
    /// when no store is configured.
    pub stored_copy_removed: Option<bool>,
    /// The store, as messages name it (address and secret path; never a token).
    pub store: Option<String>,
}

/// Why a secret and its stored copy could not be revoked. `Display` says what to do.
#[derive(Debug)]
pub enum RevokeError {
    /// The store is a Java class: nothing was revoked.
    JavaStore(String),
    /// The Vault settings are wrong: nothing was revoked.
    StoreSettings(VaultError),
    /// Ozone refused or failed (other than having no secret): the stored copy was left.
    Ozone(OzoneError),
    /// Revoked at Ozone (or Ozone had none), but the stored copy could not be removed.
    StoredCopy {
        principal: String,
        revoked: bool,
        error: VaultError,
    },
}

impl fmt::Display for RevokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::JavaStore(class) => write!(
                f,
                "{STORE_KEY}={class} is a Java class, which only a JVM can drive: nothing was \
                 revoked. Revoke with `hadoop org.s3adt.ozone.OzoneTokenBinding revokesecret` (it \
                 removes the copy in that store too), or here with -D {STORE_KEY}= to revoke at \
                 Ozone only (the store then still holds the revoked secret)"
            ),
            Self::StoreSettings(e) => write!(
                f,
                "{STORE_KEY}=vault, but its settings are wrong: {e}. Nothing was revoked"
            ),
            Self::Ozone(e) => write!(f, "{e}"),
            Self::StoredCopy {
                principal,
                revoked,
                error,
            } => write!(
                f,
                "{} but its stored copy in Vault could not be removed: {error}. Remove it (the \
                 binding would hand out the revoked secret from there): run this again once Vault \
                 allows it",
                if *revoked {
                    format!("revoked the S3 secret of {principal} at Ozone,")
                } else {
                    format!("Ozone has no S3 secret of {principal} to revoke,")
                }
            ),
        }
    }
}

impl std::error::Error for RevokeError {}

impl HasKind for RevokeError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::JavaStore(_) => ErrorKind::Config,
            Self::StoreSettings(e) | Self::StoredCopy { error: e, .. } => e.kind(),
            Self::Ozone(e) => e.kind(),
        }
    }
}

/// Revokes the S3 secret of the login (or of `user`, an S3 administrator only) at Ozone and
/// removes its copy from the store `conf` names (`fs.s3a.s3adt.ozone.secret.store`), if any.
/// The store's settings are checked first: a wrong one, or a Java class, revokes nothing. A
/// stored copy is removed when Ozone revoked the secret and when Ozone had none (then
/// `at_ozone` is [`OzoneError::NotFound`]); on any other refusal of Ozone it is left.
pub fn revoke_secret_and_copy(
    url: &str,
    user: Option<&str>,
    conf: &Configuration,
) -> Result<Revoked, RevokeError> {
    let store = configured_store(conf)?;
    let at_ozone = match revoke_secret(url, user) {
        Ok(()) => Ok(()),
        Err(e @ OzoneError::NotFound { .. }) => Err(e),
        Err(e) => return Err(RevokeError::Ozone(e)),
    };
    let Some(store) = store else {
        return Ok(Revoked {
            principal: user.map(str::to_owned),
            at_ozone,
            stored_copy_removed: None,
            store: None,
        });
    };
    let principal = match user {
        Some(u) => u.to_owned(),
        None => login_principal().map_err(RevokeError::Ozone)?,
    };
    match crate::runtime::block_on(store.remove(&principal)) {
        Ok(removed) => Ok(Revoked {
            principal: Some(principal),
            at_ozone,
            stored_copy_removed: Some(removed),
            store: Some(store.describe()),
        }),
        Err(error) => Err(RevokeError::StoredCopy {
            principal,
            revoked: at_ozone.is_ok(),
            error,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_choice() {
        let mut c = Configuration::new();
        assert!(configured_store(&c).unwrap().is_none());
        c.set(STORE_KEY, " ");
        assert!(configured_store(&c).unwrap().is_none());
        c.set(STORE_KEY, "org.example.MyStore");
        let e = configured_store(&c).unwrap_err().to_string();
        assert!(
            e.contains("is a Java class") && e.contains("nothing was revoked"),
            "{e}"
        );
        assert!(e.contains("OzoneTokenBinding revokesecret"), "{e}");
        c.set(STORE_KEY, "vault");
        let e = configured_store(&c).unwrap_err().to_string();
        assert!(
            e.contains("fs.s3a.s3adt.vault.address") && e.contains("Nothing was revoked"),
            "{e}"
        );
        c.set("fs.s3a.s3adt.vault.address", "http://127.0.0.1:8200");
        c.set("fs.s3a.s3adt.vault.secret.path", "secret");
        c.set("fs.s3a.s3adt.vault.token", "hvs.never-shown");
        for name in ["vault", VAULT_CLASS] {
            c.set(STORE_KEY, name);
            let s = configured_store(&c).unwrap().unwrap();
            assert_eq!(
                s.describe(),
                "Vault at http://127.0.0.1:8200, secret path secret"
            );
            assert!(!format!("{s:?}").contains("never-shown"));
        }
    }
}
