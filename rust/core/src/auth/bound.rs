//! The credentials an [`S3Store`](crate::s3::S3Store) signs with: the bound delegation token's,
//! looked up at each request and refused once expired (the error names the expiry), or the
//! login chain's, resolved once and kept until five minutes before they expire.
//!
//! The SDK's identity cache is off for stores (a rebind must take effect at once); this is
//! the only cache.

use crate::auth::chain::{configured_chain, resolve_chain};
use crate::auth::consume::{check_expiry, now_ms};
use crate::auth::credentials::{process_env, AwsCredentials};
use crate::conf::Configuration;
use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};
use s3adt_token::S3ATokenIdentifier;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// Asked at each request for the delegation token the filesystem is bound to (None: not bound,
/// use the login chain). Shared, not copied: a request asks up to three times (the expiry
/// check, the encryption secrets, the signing credentials).
pub type TokenLookup = Arc<dyn Fn() -> Option<Arc<S3ATokenIdentifier>> + Send + Sync>;

/// Login credentials are resolved again this long before they expire.
const REFRESH_MARGIN_MS: i64 = 5 * 60 * 1000;

/// Cheap to clone: the SDK holds one clone, the store another.
#[derive(Clone)]
pub(crate) struct StoreCredentials(Arc<Inner>);

struct Inner {
    bucket: String,
    conf: Configuration,
    token: Option<TokenLookup>,
    /// The login chain's credentials, and the SDK's copy of them handed to each request (an
    /// `Arc` inside: cloning it is cheap, where making it anew allocated the keys each time).
    login: tokio::sync::Mutex<Option<(AwsCredentials, aws_credential_types::Credentials)>>,
}

impl fmt::Debug for StoreCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreCredentials")
            .field("bucket", &self.0.bucket)
            .field("token_lookup", &self.0.token.is_some())
            .finish()
    }
}

fn to_sdk(
    access_key: &str,
    secret_key: &str,
    session_token: Option<&str>,
    expiration_ms: Option<i64>,
) -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new(
        access_key,
        secret_key,
        session_token.filter(|t| !t.is_empty()).map(str::to_owned),
        expiration_ms
            .filter(|ms| *ms > 0)
            .map(|ms| UNIX_EPOCH + Duration::from_millis(ms as u64)),
        "s3adt",
    )
}

impl StoreCredentials {
    pub(crate) fn new(bucket: &str, conf: Configuration, token: Option<TokenLookup>) -> Self {
        StoreCredentials(Arc::new(Inner {
            bucket: bucket.to_owned(),
            conf,
            token,
            login: tokio::sync::Mutex::new(None),
        }))
    }

    /// The bound token's identifier now, if any.
    pub(crate) fn bound(&self) -> Option<Arc<S3ATokenIdentifier>> {
        self.0.token.as_ref().and_then(|lookup| lookup())
    }

    async fn resolve(&self) -> provider::Result {
        if let Some(id) = self.bound() {
            check_expiry(&id, &self.0.bucket, now_ms())
                .map_err(CredentialsError::provider_error)?;
            let c = &id.credentials;
            return Ok(to_sdk(
                &c.access_key,
                c.secret_key.expose(),
                Some(c.session_token.expose()),
                Some(c.expiration),
            ));
        }
        let mut cached = self.0.login.lock().await;
        let fresh = |c: &AwsCredentials| {
            c.expiration
                .is_none_or(|exp| exp - now_ms() > REFRESH_MARGIN_MS)
        };
        if let Some((_, sdk)) = cached.as_ref().filter(|(c, _)| fresh(c)) {
            return Ok(sdk.clone());
        }
        let chain = configured_chain(&self.0.conf).map_err(CredentialsError::provider_error)?;
        let c = resolve_chain(&chain, &self.0.conf, &process_env)
            .await
            .map_err(CredentialsError::provider_error)?;
        let out = to_sdk(
            &c.access_key,
            c.secret_key.expose(),
            c.session_token.as_ref().map(|t| t.expose()),
            c.expiration,
        );
        *cached = Some((c, out.clone()));
        Ok(out)
    }
}

impl ProvideCredentials for StoreCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.resolve())
    }
}
