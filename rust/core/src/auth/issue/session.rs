//! The JVM-wide cache of GetSessionToken results, keyed by an HMAC of the parent credential.

use crate::auth::credentials::AwsCredentials;

/// Session credentials already fetched in this process, keyed by what determines them (STS
/// endpoint and region, the whole parent credential, the duration). GetSessionToken's credentials
/// are not tied to a bucket, so tokens for many buckets can share one STS call; hadoop-aws makes
/// one call per bucket.
///
/// The parent credential enters the key only as an HMAC-SHA256 under a random key made for this
/// cache, over the access key, the secret key and the session token: an entry is returned only to
/// a caller that holds the same secret (knowing another user's access key id, which is no secret,
/// gets nothing), and the cache holds no parent secret in the clear.
///
/// Entries older than `max_age` (when set) are fetched again, so a long-lived process (a JVM
/// that issues tokens all day) never hands out credentials that have lost much of their life.
pub struct SessionCache {
    pub(super) entries: tokio::sync::Mutex<
        std::collections::HashMap<SessionKey, (std::time::Instant, AwsCredentials)>,
    >,
    pub(super) max_age: Option<std::time::Duration>,
    mac_key: ring::hmac::Key,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl Default for SessionCache {
    fn default() -> Self {
        let mut secret = zeroize::Zeroizing::new([0u8; 32]);
        rand::Rng::fill(&mut rand::rng(), &mut secret[..]);
        SessionCache {
            entries: Default::default(),
            max_age: None,
            mac_key: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &secret[..]),
        }
    }
}

/// STS endpoint, region, the keyed hash of the parent credential, duration.
pub(super) type SessionKey = (Option<String>, String, [u8; 32], i32);

impl SessionCache {
    pub fn new() -> Self {
        SessionCache::default()
    }

    /// A cache whose entries are reused only while younger than `max_age`.
    pub fn with_max_age(max_age: std::time::Duration) -> Self {
        SessionCache {
            max_age: Some(max_age),
            ..SessionCache::default()
        }
    }

    /// The keyed hash of the whole parent credential: each part length-prefixed, so no two
    /// different credentials hash the same input.
    pub(super) fn parent_digest(&self, parent: &AwsCredentials) -> [u8; 32] {
        let mut ctx = ring::hmac::Context::with_key(&self.mac_key);
        let token = parent.session_token.as_ref().map(|t| t.expose());
        for part in [
            Some(parent.access_key.as_str()),
            Some(parent.secret_key.expose()),
            token,
        ] {
            match part {
                Some(p) => {
                    ctx.update(&[1]);
                    ctx.update(&(p.len() as u64).to_be_bytes());
                    ctx.update(p.as_bytes());
                }
                None => ctx.update(&[0]),
            }
        }
        let tag = ctx.sign();
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }
}
