//! One bucket as a host opens it: its configuration (the bucket's overrides applied), its
//! delegation token binding, the token bound to it, and its S3 store, built on first use and
//! signed by the bound token (else the credential chain). What a Hadoop `S3adtFileSystem`
//! instance (through JNI) and a C `s3adt_bucket` hold; the edges only convert and map errors.

use crate::auth::binding::{Binding, UnknownBinding};
use crate::auth::consume::{identifier_for_bucket, identifier_of_token, now_ms, ConsumeError};
use crate::auth::issue::{issue_with_cache, IssueError, SessionCache, TokenRequest};
use crate::conf::Configuration;
use crate::error::{ErrorKind, HasKind};
use crate::store::{S3Error, S3Store, TokenLookup};
use s3adt_token::{S3ATokenIdentifier, Token, TokenFile};
use std::sync::{Arc, LazyLock, OnceLock, RwLock};
use std::time::Duration;

/// A failure of a [`BucketContext`] call.
#[derive(Debug, thiserror::Error)]
pub enum BucketError {
    /// A panic while binding left the token state unusable: the store must never sign with
    /// the login chain because the token could not be looked up.
    #[error(
        "s3a://{0}: the filesystem's delegation token state was poisoned by an earlier \
         failure; refusing to use the bucket without it"
    )]
    Poisoned(String),
    /// The same, met while binding or describing the token.
    #[error("s3adt: filesystem state poisoned")]
    StatePoisoned,
    #[error(transparent)]
    Consume(#[from] ConsumeError),
    #[error(transparent)]
    Issue(#[from] IssueError),
    #[error(transparent)]
    Store(#[from] S3Error),
}

impl HasKind for BucketError {
    fn kind(&self) -> ErrorKind {
        match self {
            BucketError::Poisoned(_) | BucketError::StatePoisoned => ErrorKind::Internal,
            BucketError::Consume(e) => e.kind(),
            BucketError::Issue(e) => e.kind(),
            BucketError::Store(e) => e.kind(),
        }
    }
}

/// The token bound to the bucket, shared with the store, which looks at it at each request.
type Bound = Arc<RwLock<Option<Arc<S3ATokenIdentifier>>>>;

/// GetSessionToken results shared by every bucket of this process that issues tokens, reused
/// for a minute: a job submitter collecting tokens for many buckets makes one STS call, and a
/// process that issues tokens all day never hands out credentials that have lost more than a
/// minute of life.
static SESSION_CACHE: LazyLock<SessionCache> =
    LazyLock::new(|| SessionCache::with_max_age(Duration::from_secs(60)));

/// One opened bucket. Thread-safe: share it (`Arc`) freely.
pub struct BucketContext {
    bucket: String,
    /// The configuration with the bucket's overrides applied.
    conf: Configuration,
    binding: Option<Binding>,
    bound: Bound,
    /// The S3 data path, built on first use.
    store: OnceLock<Arc<S3Store>>,
}

impl BucketContext {
    /// Open `bucket` with `conf` (its `fs.s3a.bucket.<bucket>.*` applied here). An unknown
    /// binding fails now, as hadoop-aws fails to load the class. Makes no request.
    pub fn new(bucket: &str, conf: &Configuration) -> Result<Self, UnknownBinding> {
        let conf = conf.for_bucket(bucket);
        Ok(BucketContext {
            bucket: bucket.to_owned(),
            binding: Binding::from_config(&conf)?,
            conf,
            bound: Arc::new(RwLock::new(None)),
            store: OnceLock::new(),
        })
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The binding whose tokens this bucket issues and expects; `None`: tokens are disabled.
    pub fn binding(&self) -> Option<Binding> {
        self.binding
    }

    /// Sign with this token from now on (bind comes after open; open streams see it too).
    /// Fails with hadoop-aws's "Token mismatch" text when its kind is not the binding's.
    pub fn bind(&self, token: &Token) -> Result<(), BucketError> {
        let id = identifier_of_token(token, &self.bucket, &self.conf)?;
        self.set_bound(id)
    }

    /// Sign with the token `file` holds for the bucket (`s3a://bucket`): there must be one,
    /// of the binding's kind when one is configured, and not expired.
    pub fn bind_file(&self, file: &TokenFile) -> Result<(), BucketError> {
        let id = identifier_for_bucket(file, &self.bucket, &self.conf, now_ms())?;
        self.set_bound(id)
    }

    /// Sign with `token` from the next request on when it is newer than the bound one: the
    /// binding's kind (hadoop-aws's "Token mismatch" otherwise), the bound token's kind, and
    /// credentials that expire later. Reads and multipart uploads already under way sign their
    /// next requests with it (the store looks the token up at each). Compared and swapped under
    /// one lock, so of two tokens offered at once the later-expiring stays. Returns whether it
    /// was taken; never binds a bucket that is not bound (that is [`BucketContext::bind`]).
    pub fn rebind(&self, token: &Token) -> Result<bool, BucketError> {
        let id = identifier_of_token(token, &self.bucket, &self.conf)?;
        let mut bound = self.bound.write().map_err(|_| BucketError::StatePoisoned)?;
        let newer = bound.as_ref().is_some_and(|cur| {
            cur.kind == id.kind && id.credentials.expiration > cur.credentials.expiration
        });
        if newer {
            *bound = Some(Arc::new(id));
        }
        Ok(newer)
    }

    fn set_bound(&self, id: S3ATokenIdentifier) -> Result<(), BucketError> {
        *self.bound.write().map_err(|_| BucketError::StatePoisoned)? = Some(Arc::new(id));
        Ok(())
    }

    /// The bound token's identifier as text (no secrets); `None` when not bound.
    pub fn bound_description(&self) -> Result<Option<String>, BucketError> {
        let bound = self.bound.read().map_err(|_| BucketError::StatePoisoned)?;
        Ok(bound.as_ref().map(|id| id.to_string()))
    }

    /// A new token for the bucket from its binding (service `s3a://bucket`). STS is called
    /// for Session and Role tokens, with retries inside the configured budget; session
    /// credentials are shared through the process's one-minute cache. Blocks on the runtime.
    pub fn issue(&self, owner: &str, renewer: &str) -> Result<Token, IssueError> {
        let req = TokenRequest {
            bucket: self.bucket.clone(),
            owner: owner.to_owned(),
            renewer: renewer.to_owned(),
        };
        let env = |k: &str| crate::auth::credentials::process_env(k);
        let issued = crate::runtime::block_on(issue_with_cache(
            &self.conf,
            &req,
            &env,
            Some(&SESSION_CACHE),
        ))?;
        let service = format!("s3a://{}", self.bucket);
        Ok(Token::from_s3a(&issued.identifier, service.as_str())?)
    }

    /// A new Full token for the Ozone binding carrying the given credentials (the Kerberos
    /// principal's Ozone S3 secret, which the Java shim got); `source` says where they came from
    /// in the token's origin. Refused unless the bucket's binding is the Ozone one.
    pub fn issue_with_credentials(
        &self,
        owner: &str,
        renewer: &str,
        access_key: &str,
        secret_key: s3adt_token::secret::SecretString,
        source: &str,
    ) -> Result<Token, IssueError> {
        if self.binding != Some(Binding::Ozone) {
            return Err(IssueError::Credentials(format!(
                "tokens with given credentials are the Ozone binding's: set fs.s3a.delegation.token.binding={} for bucket {}",
                crate::conf::bindings::OZONE,
                self.bucket
            )));
        }
        let req = TokenRequest {
            bucket: self.bucket.clone(),
            owner: owner.to_owned(),
            renewer: renewer.to_owned(),
        };
        let id =
            crate::auth::issue::issue_full_with(&self.conf, &req, access_key, secret_key, source)?;
        let service = format!("s3a://{}", self.bucket);
        Ok(Token::from_s3a(&id, service.as_str())?)
    }

    /// The bucket's S3 store (built on first use; a bad S3 setting fails here, naming the key).
    ///
    /// Fails while the bound token's lock is poisoned (a panic while binding): the store must
    /// never sign with the login chain because the token could not be looked up.
    pub fn store(&self) -> Result<Arc<S3Store>, BucketError> {
        if self.bound.is_poisoned() {
            return Err(BucketError::Poisoned(self.bucket.clone()));
        }
        if let Some(s) = self.store.get() {
            return Ok(s.clone());
        }
        let lookup = token_lookup(self.bound.clone());
        let store = Arc::new(S3Store::new(&self.bucket, &self.conf, Some(lookup))?);
        Ok(self.store.get_or_init(|| store).clone())
    }

    /// `fs.s3a.multipart.purge` (per bucket, as hadoop-aws reads it): when true, abort the
    /// bucket's multipart uploads older than `fs.s3a.multipart.purge.age` and say how many;
    /// `None` when purging is off. What a filesystem does at initialize, after binding its
    /// token, so the token signs. Blocks on the runtime.
    pub fn purge_uploads(&self) -> Result<Option<usize>, BucketError> {
        // Off: no store is built and no request made. A bad age fails below, naming the key.
        if let Ok(None) = crate::store::purge_age(&self.conf) {
            return Ok(None);
        }
        let store = self.store()?;
        Ok(crate::runtime::block_on(
            store.purge_configured(&self.conf),
        )?)
    }
}

/// What the store asks at each request: the bound token. A poisoned lock still holds the
/// token as it was last set (binding only assigns a finished value), so the lookup answers with
/// it, never with "not bound", which would switch an open stream to the login chain; new
/// operations fail in [`BucketContext::store`].
fn token_lookup(bound: Bound) -> TokenLookup {
    Arc::new(move || {
        let guard = bound
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use s3adt_token::{MarshalledCredentials, S3ATokenKind};

    fn bound_to(access_key: &str) -> Bound {
        let id = S3ATokenIdentifier {
            kind: S3ATokenKind::Full,
            base: Default::default(),
            uri: "s3a://b".into(),
            origin: String::new(),
            uuid: "u".into(),
            encryption: Default::default(),
            created: 0,
            credentials: MarshalledCredentials {
                access_key: access_key.into(),
                secret_key: "marker-not-a-secret".into(),
                ..Default::default()
            },
        };
        Arc::new(RwLock::new(Some(Arc::new(id))))
    }

    fn session(access_key: &str, expiration: i64) -> Token {
        let mut id =
            S3ATokenIdentifier::clone(&bound_to(access_key).read().unwrap().clone().unwrap());
        id.kind = S3ATokenKind::Session;
        id.credentials.session_token = "marker-session".into();
        id.credentials.expiration = expiration;
        Token::from_s3a(&id, "s3a://b").unwrap()
    }

    #[test]
    fn rebind_takes_only_a_later_token_of_the_same_kind() {
        let ctx = BucketContext::new("b", &Configuration::new()).unwrap();
        let lookup = token_lookup(ctx.bound.clone());
        let key = || lookup().map(|id| id.credentials.access_key.clone());
        // not bound: rebind does not bind
        assert!(!ctx.rebind(&session("ASIAONE", 1_000)).unwrap());
        assert_eq!(key(), None);
        ctx.bind(&session("ASIAONE", 1_000)).unwrap();
        // older or equally old: kept
        assert!(!ctx.rebind(&session("ASIAOLD", 999)).unwrap());
        assert!(!ctx.rebind(&session("ASIASAME", 1_000)).unwrap());
        assert_eq!(key().as_deref(), Some("ASIAONE"));
        // later: the lookup an open stream makes sees it at once
        assert!(ctx.rebind(&session("ASIATWO", 2_000)).unwrap());
        assert_eq!(key().as_deref(), Some("ASIATWO"));
        // another kind: kept, whatever its expiry
        let mut full = S3ATokenIdentifier::clone(&lookup().unwrap());
        full.kind = S3ATokenKind::Full;
        full.credentials.expiration = 9_000;
        let full = Token::from_s3a(&full, "s3a://b").unwrap();
        assert!(!ctx.rebind(&full).unwrap());
        assert_eq!(key().as_deref(), Some("ASIATWO"));
    }

    #[test]
    fn rebind_refuses_a_token_of_another_binding() {
        let mut conf = Configuration::new();
        conf.set(
            "fs.s3a.delegation.token.binding",
            "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding",
        );
        let ctx = BucketContext::new("b", &conf).unwrap();
        ctx.bind(&session("ASIAONE", 1_000)).unwrap();
        let mut role = S3ATokenIdentifier::clone(&ctx.bound.read().unwrap().clone().unwrap());
        role.kind = S3ATokenKind::Role;
        role.credentials.expiration = 2_000;
        let err = ctx
            .rebind(&Token::from_s3a(&role, "s3a://b").unwrap())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TokenMismatch);
        assert!(err.to_string().starts_with("Token mismatch"), "{err}");
    }

    fn poison(bound: &Bound) {
        let b = bound.clone();
        let _ = std::thread::spawn(move || {
            let _held = b.write().unwrap();
            panic!("deliberate: poisons the lock");
        })
        .join();
        assert!(bound.is_poisoned());
    }

    #[test]
    fn a_poisoned_token_lock_never_means_not_bound() {
        let bound = bound_to("AKIAPOISONED");
        let lookup = token_lookup(bound.clone());
        poison(&bound);
        // an open stream keeps the token it was bound to, not the login chain
        let seen = lookup().map(|id| id.credentials.access_key.clone());
        assert_eq!(seen.as_deref(), Some("AKIAPOISONED"));
        // a new operation fails
        let ctx = BucketContext {
            bucket: "b".into(),
            conf: Configuration::new(),
            binding: None,
            bound,
            store: OnceLock::new(),
        };
        let Err(err) = ctx.store() else {
            panic!("a store despite the poisoned token state");
        };
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert!(err.to_string().contains("poisoned"), "{err}");
    }
}
