//! Java values to Rust and back for the natives: strings (wiped when they may be secrets),
//! byte arrays, the configuration array, and arrays built entry by entry in local frames.

use super::Thrown;
use jni::objects::{GlobalRef, JByteArray, JObject, JObjectArray, JString};
use jni::sys::{jobjectArray, jstring};
use jni::JNIEnv;
use s3adt_core::conf::Configuration;
use s3adt_token::secret::SecretString;
use s3adt_token::{Text, Token};
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// A class the natives make arrays of, looked up once and then kept as a global reference, as
/// the jni crate advises: a `find_class` on every `head` and `list` showed in the CPU of each
/// small file (issue 12). Only classes of the bootstrap loader (`java/lang/String`, `[B`),
/// which are the same whatever loader the calling class has.
fn cached_class(
    env: &mut JNIEnv<'_>,
    cell: &'static OnceLock<GlobalRef>,
    name: &str,
) -> Result<&'static GlobalRef, Thrown> {
    if let Some(class) = cell.get() {
        return Ok(class);
    }
    let local = env.find_class(name)?;
    let global = env.new_global_ref(&local)?;
    env.delete_local_ref(local)?;
    // Two threads may race here: the loser's reference is dropped (released) again.
    Ok(cell.get_or_init(|| global))
}

/// `java.lang.String`, for `String[]` results.
fn string_class(env: &mut JNIEnv<'_>) -> Result<&'static GlobalRef, Thrown> {
    static CLASS: OnceLock<GlobalRef> = OnceLock::new();
    cached_class(env, &CLASS, "java/lang/String")
}

/// `byte[]`, for `byte[][]` results.
fn byte_array_class(env: &mut JNIEnv<'_>) -> Result<&'static GlobalRef, Thrown> {
    static CLASS: OnceLock<GlobalRef> = OnceLock::new();
    cached_class(env, &CLASS, "[B")
}

/// A non-null Java string; null is an IllegalArgumentException naming `what`.
pub(super) fn string(env: &mut JNIEnv<'_>, s: &JString<'_>, what: &str) -> Result<String, Thrown> {
    if s.is_null() {
        return Err(Thrown::illegal(format!("{what} is null")));
    }
    java_chars(env, s)
}

/// A non-null Java string that is a secret (a key, a password), wiped when dropped.
pub(super) fn secret(
    env: &mut JNIEnv<'_>,
    s: &JString<'_>,
    what: &str,
) -> Result<SecretString, Thrown> {
    string(env, s, what).map(SecretString::new)
}

pub(super) fn opt_string(env: &mut JNIEnv<'_>, s: &JString<'_>) -> Result<Option<String>, Thrown> {
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

/// A Java string, or null for `None`.
pub(super) fn opt_jstring(env: &mut JNIEnv<'_>, s: Option<&str>) -> Result<jstring, Thrown> {
    match s {
        None => Ok(std::ptr::null_mut()),
        Some(s) => Ok(env.new_string(s)?.into_raw()),
    }
}

/// A `String[]` of alternating keys and values as a configuration.
pub(super) fn configuration(
    env: &mut JNIEnv<'_>,
    kv: &JObjectArray<'_>,
) -> Result<Configuration, Thrown> {
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
pub(super) fn bytes(
    env: &mut JNIEnv<'_>,
    a: &JByteArray<'_>,
    what: &str,
) -> Result<Zeroizing<Vec<u8>>, Thrown> {
    if a.is_null() {
        return Err(Thrown::illegal(format!("{what} is null")));
    }
    Ok(Zeroizing::new(env.convert_byte_array(a)?))
}

/// A token from the four Java values a Hadoop `Token` is made of (identifier, password, kind,
/// service), as `S3adtNative.bind` and `S3adtRebind.rebind` receive them.
pub(super) fn token(
    env: &mut JNIEnv<'_>,
    identifier: &JByteArray<'_>,
    password: &JByteArray<'_>,
    kind: &JString<'_>,
    service: &JString<'_>,
) -> Result<Token, Thrown> {
    let mut identifier = bytes(env, identifier, "token identifier")?;
    let password = bytes(env, password, "token password")?;
    let kind = string(env, kind, "token kind")?;
    let service = string(env, service, "token service")?;
    Ok(Token::new(
        std::mem::take(&mut *identifier),
        &password,
        Text::from(kind.as_str()),
        Text::from(service.as_str()),
    ))
}

/// A token as the Java side builds a `Token` from it: `byte[][]` {identifier, password, kind,
/// service} (kind and service as UTF-8).
pub(super) fn token_parts(
    env: &mut JNIEnv<'_>,
    token: &s3adt_token::Token,
) -> Result<jobjectArray, Thrown> {
    byte_arrays(
        env,
        &[
            &token.identifier,
            token.password.expose(),
            token.kind.as_bytes(),
            token.service.as_bytes(),
        ],
    )
}

/// A Java `byte[][]` of the given parts.
fn byte_arrays(env: &mut JNIEnv<'_>, parts: &[&[u8]]) -> Result<jobjectArray, Thrown> {
    let len = i32::try_from(parts.len()).map_err(|_| Thrown::io("too many parts"))?;
    let class = byte_array_class(env)?;
    let out = env.new_object_array(len, class, JObject::null())?;
    for (i, p) in parts.iter().enumerate() {
        let a = env.byte_array_from_slice(p)?;
        env.set_object_array_element(&out, i as i32, &a)?;
        env.delete_local_ref(a)?;
    }
    Ok(out.into_raw())
}

/// A `String[]` of `n` elements, each set by `element(env, i)` inside its own local frame
/// (a listing has thousands; a native frame guarantees only 16 local references).
pub(super) fn string_array(
    env: &mut JNIEnv<'_>,
    n: usize,
    mut element: impl FnMut(usize) -> Option<String>,
) -> Result<jobjectArray, Thrown> {
    let len =
        i32::try_from(n).map_err(|_| Thrown::io("s3adt: too many entries for a Java array"))?;
    let class = string_class(env)?;
    let out = env.new_object_array(len, class, JObject::null())?;
    for i in 0..n {
        if let Some(s) = element(i) {
            env.with_local_frame(4, |env| -> Result<(), Thrown> {
                let js = env.new_string(s)?;
                env.set_object_array_element(&out, i as i32, &js)?;
                Ok(())
            })?;
        }
    }
    Ok(out.into_raw())
}
