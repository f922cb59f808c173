//! Natives of `org.s3adt.jni.S3adtNative` (java/src/main/java/org/s3adt/jni/S3adtNative.java).
//!
//! A filesystem instance on the Java side holds a handle: a number naming an entry of a
//! process-wide table, never a raw pointer, so a handle used after `close` (or a forged one)
//! is an IOException, not a crash. Handles are random (63 bits, see [`new_handle`]), so other
//! code in the JVM cannot find a filesystem's state by counting. Entries are shared (`Arc`), so
//! any number of Java threads may use one handle at once.
//!
//! No native hands a bound token's credentials back to Java: they stay on this side, where the
//! S3 store signs with them.

use super::{boundary, Thrown};
use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString};
use jni::sys::{jlong, jobjectArray, jstring};
use jni::JNIEnv;
use s3adt_core::auth::consume::identifier_of_token;
use s3adt_core::auth::issue::{issue_with_cache, Binding, SessionCache, TokenRequest};
use s3adt_core::conf::Configuration;
use s3adt_core::store::{S3Store, TokenLookup};
use s3adt_token::{S3ATokenIdentifier, Text, Token};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, RwLock};
use std::time::Duration;
use zeroize::Zeroizing;

/// One `S3adtFileSystem` instance's state.
pub(super) struct FsState {
    bucket: String,
    /// The configuration as the Java side resolved it, with the bucket's overrides applied.
    conf: Configuration,
    binding: Option<Binding>,
    /// The token the filesystem found for its bucket in the UGI's credentials, if any. Shared
    /// with the S3 store, which looks at it at each request (bind comes after open).
    bound: Bound,
    /// The S3 data path, built on first use.
    store: OnceLock<Arc<S3Store>>,
}

impl FsState {
    /// The bucket's S3 store (built on first use; a bad S3 setting fails here, naming the key).
    ///
    /// Fails while the bound token's lock is poisoned (a panic while binding): the store must
    /// never sign with the login chain because the token could not be looked up.
    pub(super) fn store(&self) -> Result<Arc<S3Store>, Thrown> {
        if self.bound.is_poisoned() {
            return Err(Thrown::io(format!(
                "s3a://{}: the filesystem's delegation token state was poisoned by an earlier \
                 failure; refusing to use the bucket without it",
                self.bucket
            )));
        }
        if let Some(s) = self.store.get() {
            return Ok(s.clone());
        }
        let lookup = token_lookup(self.bound.clone());
        let store = Arc::new(S3Store::new(&self.bucket, &self.conf, Some(lookup))?);
        Ok(self.store.get_or_init(|| store).clone())
    }
}

type Bound = Arc<RwLock<Option<(Token, S3ATokenIdentifier)>>>;

/// What the store asks at each request: the bound token. A poisoned lock still holds the
/// token as it was last set (binding only assigns a finished value), so the lookup answers with
/// it, never with "not bound", which would switch an open stream to the login chain; new
/// operations fail in [`FsState::store`].
fn token_lookup(bound: Bound) -> TokenLookup {
    Arc::new(move || {
        let guard = bound
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.as_ref().map(|(_, id)| id.clone())
    })
}

static HANDLES: LazyLock<Mutex<HashMap<i64, Arc<FsState>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// A new handle for `table`: random, positive (63 bits, never 0) and not in use. Random, not
/// sequential, so that code sharing the JVM cannot reach other filesystems' (or streams')
/// state by counting; the caller inserts it while still holding the table's lock.
pub(super) fn new_handle<T>(table: &HashMap<i64, T>) -> i64 {
    loop {
        let h = (rand::random::<u64>() >> 1) as i64;
        if h != 0 && !table.contains_key(&h) {
            return h;
        }
    }
}

/// GetSessionToken results shared by every filesystem of this JVM, reused for a minute: a job
/// submitter collecting tokens for many buckets makes one STS call, and a JVM that issues
/// tokens all day never hands out credentials that have lost more than a minute of life.
static SESSION_CACHE: LazyLock<SessionCache> =
    LazyLock::new(|| SessionCache::with_max_age(Duration::from_secs(60)));

pub(super) fn state(handle: jlong) -> Result<Arc<FsState>, Thrown> {
    HANDLES
        .lock()
        .map_err(|_| Thrown::io("s3adt: handle table poisoned"))?
        .get(&handle)
        .cloned()
        .ok_or_else(|| Thrown::io(format!("s3adt: filesystem handle {handle} is closed")))
}

pub(super) fn string(env: &mut JNIEnv<'_>, s: &JString<'_>, what: &str) -> Result<String, Thrown> {
    if s.is_null() {
        return Err(Thrown::illegal(format!("{what} is null")));
    }
    java_chars(env, s)
}

fn opt_string(env: &mut JNIEnv<'_>, s: &JString<'_>) -> Result<Option<String>, Thrown> {
    if s.is_null() {
        return Ok(None);
    }
    java_chars(env, s).map(Some)
}

/// A non-null Java string as a `String`, leaving no copy behind: strings here may be secrets
/// (`fs.s3a.secret.key`, a JCEKS entry). The UTF-16 is copied (`GetStringRegion`) into a
/// buffer wiped on return, not through `GetStringUTFChars`, whose copy the JVM frees unwiped;
/// the `String` is allocated once at its largest possible size, so no reallocation leaves a
/// copy in freed memory. Lone surrogates become U+FFFD.
fn java_chars(env: &mut JNIEnv<'_>, s: &JString<'_>) -> Result<String, Thrown> {
    let raw = env.get_raw();
    let obj = s.as_raw();
    let missing = || Thrown::io("s3adt: the JVM lacks GetStringLength/GetStringRegion");
    // SAFETY: `raw` is this thread's JNIEnv, valid for the native call; `obj` is a non-null
    // reference to a java.lang.String (checked by the callers, and the Java signatures).
    let len = unsafe { ((**raw).GetStringLength.ok_or_else(missing)?)(raw, obj) };
    if env.exception_check()? {
        return Err(Thrown::io("s3adt: GetStringLength failed"));
    }
    let n = usize::try_from(len).map_err(|_| Thrown::io("s3adt: negative string length"))?;
    let mut units = Zeroizing::new(vec![0u16; n]);
    // SAFETY: as above; `units` has room for exactly `len` UTF-16 units.
    unsafe { ((**raw).GetStringRegion.ok_or_else(missing)?)(raw, obj, 0, len, units.as_mut_ptr()) };
    if env.exception_check()? {
        return Err(Thrown::io("s3adt: GetStringRegion failed"));
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
    let mut out = String::with_capacity(n.saturating_mul(3));
    for c in char::decode_utf16(units.iter().copied()) {
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    Ok(out)
}

/// A `String[]` of alternating keys and values as a configuration.
fn configuration(env: &mut JNIEnv<'_>, kv: &JObjectArray<'_>) -> Result<Configuration, Thrown> {
    if kv.is_null() {
        return Err(Thrown::illegal("configuration array is null"));
    }
    let n = env.get_array_length(kv)?;
    if n % 2 != 0 {
        return Err(Thrown::illegal(format!(
            "configuration array has an odd length ({n}): keys and values must alternate"
        )));
    }
    // Hadoop expanded `${...}` already (and added JCEKS secrets as plain keys): never again.
    let mut conf = Configuration::resolved();
    let mut i = 0;
    while i < n {
        // One local frame per entry: a configuration has hundreds of entries, a native frame
        // guarantees only 16 local references, and the lookups inside jni-rs make some of
        // their own (-Xcheck:jni counts them).
        let (key, value) = env.with_local_frame(8, |env| -> Result<_, Thrown> {
            let k = JString::from(env.get_object_array_element(kv, i)?);
            let v = JString::from(env.get_object_array_element(kv, i + 1)?);
            Ok((string(env, &k, "configuration key")?, opt_string(env, &v)?))
        })?;
        if let Some(value) = value {
            conf.set(key, value);
        }
        i += 2;
    }
    Ok(conf)
}

/// A Java `byte[]` (a token's identifier or password: secrets) in a buffer wiped on drop.
fn bytes(
    env: &mut JNIEnv<'_>,
    a: &JByteArray<'_>,
    what: &str,
) -> Result<Zeroizing<Vec<u8>>, Thrown> {
    if a.is_null() {
        return Err(Thrown::illegal(format!("{what} is null")));
    }
    Ok(Zeroizing::new(env.convert_byte_array(a)?))
}

/// `static native String version()`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_version<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jstring {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        Ok(env.new_string(env!("CARGO_PKG_VERSION"))?.into_raw())
    })
}

/// `static native long open(String[] conf, String bucket)`: checks the configuration for the
/// bucket (an unknown binding fails here, as hadoop-aws fails to load the class) and returns a
/// handle.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_open<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    kv: JObjectArray<'l>,
    bucket: JString<'l>,
) -> jlong {
    boundary(&mut env, 0, |env| {
        let bucket = string(env, &bucket, "bucket")?;
        if bucket.is_empty() {
            return Err(Thrown::illegal("bucket is empty"));
        }
        let conf = configuration(env, &kv)?.for_bucket(&bucket);
        let binding =
            Binding::from_config(&conf).map_err(s3adt_core::auth::issue::IssueError::from)?;
        let st = Arc::new(FsState {
            bucket,
            conf,
            binding,
            bound: Arc::new(RwLock::new(None)),
            store: OnceLock::new(),
        });
        let mut table = HANDLES
            .lock()
            .map_err(|_| Thrown::io("s3adt: handle table poisoned"))?;
        let handle = new_handle(&table);
        table.insert(handle, st);
        Ok(handle)
    })
}

/// `static native void close(long handle)`: idempotent.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_close<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    boundary(&mut env, (), |_| {
        HANDLES
            .lock()
            .map_err(|_| Thrown::io("s3adt: handle table poisoned"))?
            .remove(&handle);
        Ok(())
    })
}

/// `static native String tokenKind(long handle)`: the kind of token this bucket's binding
/// issues, or null when delegation tokens are disabled for it.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_tokenKind<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jstring {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        let st = state(handle)?;
        match st.binding {
            None => Ok(std::ptr::null_mut()),
            Some(b) => Ok(env.new_string(b.kind().as_str())?.into_raw()),
        }
    })
}

/// `static native void bind(long handle, byte[] identifier, byte[] password, String kind,
/// String service)`: use this token (found in the UGI's credentials) for the bucket. Fails
/// with hadoop-aws's "Token mismatch" text when the kind is not the configured binding's.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_bind<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    identifier: JByteArray<'l>,
    password: JByteArray<'l>,
    kind: JString<'l>,
    service: JString<'l>,
) {
    boundary(&mut env, (), |env| {
        let st = state(handle)?;
        let mut identifier = bytes(env, &identifier, "token identifier")?;
        let password = bytes(env, &password, "token password")?;
        let kind = string(env, &kind, "token kind")?;
        let service = string(env, &service, "token service")?;
        let token = Token::new(
            std::mem::take(&mut *identifier),
            &password,
            Text::from(kind.as_str()),
            Text::from(service.as_str()),
        );
        let id = identifier_of_token(&token, &st.bucket, &st.conf)?;
        *st.bound
            .write()
            .map_err(|_| Thrown::io("s3adt: filesystem state poisoned"))? = Some((token, id));
        Ok(())
    })
}

/// `static native String boundDescription(long handle)`: the bound token's identifier as
/// text (no secrets), or null when the filesystem is not bound to a token.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_boundDescription<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jstring {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        let st = state(handle)?;
        let text = match &*st
            .bound
            .read()
            .map_err(|_| Thrown::io("s3adt: filesystem state poisoned"))?
        {
            None => return Ok(std::ptr::null_mut()),
            Some((_, id)) => id.to_string(),
        };
        Ok(env.new_string(text)?.into_raw())
    })
}

/// A Java `byte[][]` of the given parts.
fn byte_arrays(env: &mut JNIEnv<'_>, parts: &[&[u8]]) -> Result<jobjectArray, Thrown> {
    let len = i32::try_from(parts.len()).map_err(|_| Thrown::io("too many parts"))?;
    let out = env.new_object_array(len, "[B", JObject::null())?;
    for (i, p) in parts.iter().enumerate() {
        let a = env.byte_array_from_slice(p)?;
        env.set_object_array_element(&out, i as i32, &a)?;
        env.delete_local_ref(a)?;
    }
    Ok(out.into_raw())
}

/// `static native byte[][] issueToken(long handle, String owner, String renewer)`: a new token
/// for the bucket from its binding: {identifier, password, kind, service} (kind and service
/// as UTF-8). STS is called for Session and Role tokens, with retries inside the configured
/// budget.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtNative_issueToken<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    owner: JString<'l>,
    renewer: JString<'l>,
) -> jobjectArray {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        let st = state(handle)?;
        let owner = string(env, &owner, "owner")?;
        let renewer = opt_string(env, &renewer)?.unwrap_or_default();
        let req = TokenRequest {
            bucket: st.bucket.clone(),
            owner,
            renewer,
        };
        let env_var = |k: &str| s3adt_core::auth::credentials::process_env(k);
        let issued = s3adt_core::runtime::block_on(issue_with_cache(
            &st.conf,
            &req,
            &env_var,
            Some(&SESSION_CACHE),
        ))?;
        let service = format!("s3a://{}", st.bucket);
        let token = Token::from_s3a(&issued.identifier, service.as_str())
            .map_err(|e| Thrown::io(format!("{service}: {e}")))?;
        byte_arrays(
            env,
            &[
                &token.identifier,
                token.password.expose(),
                token.kind.as_bytes(),
                token.service.as_bytes(),
            ],
        )
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
        let token = Token::new(vec![1], b"", "k".into(), "s3a://b".into());
        Arc::new(RwLock::new(Some((token, id))))
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
        let seen = lookup().map(|id| id.credentials.access_key);
        assert_eq!(seen.as_deref(), Some("AKIAPOISONED"));
        // a new operation fails
        let st = FsState {
            bucket: "b".into(),
            conf: Configuration::new(),
            binding: None,
            bound,
            store: OnceLock::new(),
        };
        let Err(err) = st.store() else {
            panic!("a store despite the poisoned token state");
        };
        assert_eq!(err.class, super::super::IO_EXCEPTION);
        assert!(err.message.contains("poisoned"), "{}", err.message);
    }

    #[test]
    fn handles_are_random_positive_and_unused() {
        let mut table = HashMap::new();
        for _ in 0..1000 {
            let h = new_handle(&table);
            assert!(h > 0);
            assert!(table.insert(h, ()).is_none());
        }
        let mut sorted: Vec<i64> = table.keys().copied().collect();
        sorted.sort_unstable();
        // sequential handles would be 1..=1000
        assert!(sorted.windows(2).all(|w| w[1] - w[0] > 1), "{sorted:?}");
        assert!(sorted[999] > 1 << 40);
    }
}
