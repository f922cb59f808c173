//! Natives of `org.s3adt.jni.S3adtStore` (java/src/main/java/org/s3adt/jni/S3adtStore.java):
//! the S3 data path of a filesystem handle, over `s3adt_core::store`.
//!
//! Read and write streams are handles too: random numbers naming entries of process-wide
//! tables, never pointers, so a closed or forged handle is an IOException. Each stream has its own
//! lock, so two Java threads sharing one stream take turns and different streams never wait
//! for each other. Bytes go between Java arrays and S3's buffers with one copy each way
//! (`Get/SetByteArrayRegion` straight into the part buffer or from the received chunks).

use super::s3adt_native::{new_handle, state, string};
use super::{boundary, Thrown};
use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong, jobjectArray, JNI_TRUE};
use jni::JNIEnv;
use s3adt_core::runtime::block_on;
use s3adt_core::store::{ListEntry, ReadStream, WriteStream};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// A stream's own lock: held by a Java thread while it blocks on the runtime, never across
/// an await, so a plain mutex.
type Shared<T> = Arc<Mutex<T>>;

static READS: LazyLock<Mutex<HashMap<i64, Shared<ReadStream>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
/// A write stream is taken out (None) by close or abort.
static WRITES: LazyLock<Mutex<HashMap<i64, Shared<Option<WriteStream>>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn table<T>(t: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>, Thrown> {
    t.lock()
        .map_err(|_| Thrown::io("s3adt: stream table poisoned"))
}

fn lock<T>(s: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>, Thrown> {
    s.lock()
        .map_err(|_| Thrown::io("s3adt: stream poisoned by an earlier failure"))
}

fn read_stream(handle: jlong) -> Result<Shared<ReadStream>, Thrown> {
    table(&READS)?
        .get(&handle)
        .cloned()
        .ok_or_else(|| Thrown::io(format!("s3adt: read stream {handle} is closed")))
}

/// Add a stream to its table under a new random handle (see `new_handle`).
fn insert<T>(t: &Mutex<HashMap<i64, T>>, v: T) -> Result<jlong, Thrown> {
    let mut table = table(t)?;
    let handle = new_handle(&table);
    table.insert(handle, v);
    Ok(handle)
}

fn key(env: &mut JNIEnv<'_>, s: &JString<'_>) -> Result<String, Thrown> {
    string(env, s, "key")
}

/// `off` and `len` within an array of `size`, as `InputStream.read` checks them.
fn check_bounds(size: i32, off: jint, len: jint) -> Result<(), Thrown> {
    if off < 0 || len < 0 || off as i64 + len as i64 > size as i64 {
        return Err(Thrown::new(
            super::INDEX_OUT_OF_BOUNDS,
            format!("offset {off}, length {len}, array length {size}"),
        ));
    }
    Ok(())
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
    let out = env.new_object_array(len, "java/lang/String", JObject::null())?;
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

/// `static native String[] head(long fs, String key)`: {length, lastModified ms, etag}, or
/// null when there is no object.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_head<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    key_: JString<'l>,
) -> jobjectArray {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        let store = state(fs)?.store()?;
        let key = key(env, &key_)?;
        match block_on(store.head(&key))? {
            None => Ok(std::ptr::null_mut()),
            Some(m) => {
                let parts = [m.length.to_string(), m.last_modified.to_string(), m.etag];
                string_array(env, 3, |i| Some(parts[i].clone()))
            }
        }
    })
}

/// `static native String[] list(long fs, String prefix, boolean recursive, int maxEntries)`:
/// five strings per entry: kind ("F" object, "D" common prefix), key, length, lastModified ms,
/// etag (prefixes: "0", "0", "").
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_list<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    prefix: JString<'l>,
    recursive: jboolean,
    max_entries: jint,
) -> jobjectArray {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        let store = state(fs)?.store()?;
        let prefix = if prefix.is_null() {
            String::new()
        } else {
            env.get_string(&prefix)?.into()
        };
        let entries =
            block_on(store.list(&prefix, recursive == JNI_TRUE, max_entries.max(0) as usize))?;
        string_array(env, entries.len() * 5, |i| {
            let field = i % 5;
            Some(match &entries[i / 5] {
                ListEntry::Object(o) => match field {
                    0 => "F".to_owned(),
                    1 => o.key.clone(),
                    2 => o.length.to_string(),
                    3 => o.last_modified.to_string(),
                    _ => o.etag.clone(),
                },
                ListEntry::Prefix(p) => match field {
                    0 => "D".to_owned(),
                    1 => p.clone(),
                    2 | 3 => "0".to_owned(),
                    _ => String::new(),
                },
            })
        })
    })
}

/// `static native void putEmpty(long fs, String key)`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_putEmpty<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    key_: JString<'l>,
) {
    boundary(&mut env, (), |env| {
        let store = state(fs)?.store()?;
        let key = key(env, &key_)?;
        Ok(block_on(store.put_empty(&key))?)
    })
}

/// `static native void deleteKeys(long fs, String[] keys)`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_deleteKeys<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    keys: JObjectArray<'l>,
) {
    boundary(&mut env, (), |env| {
        let store = state(fs)?.store()?;
        if keys.is_null() {
            return Err(Thrown::illegal("keys is null"));
        }
        let n = env.get_array_length(&keys)?;
        let mut list = Vec::with_capacity(n.max(0) as usize);
        for i in 0..n {
            let k = env.with_local_frame(4, |env| -> Result<String, Thrown> {
                let s = JString::from(env.get_object_array_element(&keys, i)?);
                key(env, &s)
            })?;
            list.push(k);
        }
        Ok(block_on(store.delete_keys(&list))?)
    })
}

/// `static native void copy(long fs, String srcKey, String dstKey)`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_copy<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    src: JString<'l>,
    dst: JString<'l>,
) {
    boundary(&mut env, (), |env| {
        let store = state(fs)?.store()?;
        let (src, dst) = (key(env, &src)?, key(env, &dst)?);
        Ok(block_on(store.copy(&src, &dst))?)
    })
}

/// `static native long openRead(long fs, String key, long length)`: a stream handle;
/// FileNotFoundException when there is no object (checked now when `length` is -1).
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_openRead<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    key_: JString<'l>,
    length: jlong,
) -> jlong {
    boundary(&mut env, 0, |env| {
        let store = state(fs)?.store()?;
        let key = key(env, &key_)?;
        let known = (length >= 0).then_some(length as u64);
        let stream = block_on(store.open_read(&key, known))?;
        insert(&READS, Arc::new(Mutex::new(stream)))
    })
}

/// `static native long length(long stream)`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_length<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    stream: jlong,
) -> jlong {
    boundary(&mut env, 0, |_| {
        let s = read_stream(stream)?;
        let len = lock(&s)?.length();
        Ok(len as jlong)
    })
}

/// `static native int read(long stream, long position, byte[] buf, int off, int len)`: the
/// count, or -1 at or past the end.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_read<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    stream: jlong,
    position: jlong,
    buf: JByteArray<'l>,
    off: jint,
    len: jint,
) -> jint {
    boundary(&mut env, -1, |env| {
        if buf.is_null() {
            return Err(Thrown::new(super::NULL_POINTER, "buffer is null"));
        }
        check_bounds(env.get_array_length(&buf)?, off, len)?;
        if position < 0 {
            return Err(Thrown::new(
                super::EOF_EXCEPTION,
                format!("negative position {position}"),
            ));
        }
        let s = read_stream(stream)?;
        let env: &JNIEnv<'_> = env;
        let mut at = off;
        let mut copy_failed = None;
        let mut s = lock(&s)?;
        let n = block_on(s.read_with(position as u64, len as usize, |chunk| {
            if copy_failed.is_some() {
                return;
            }
            // SAFETY: u8 and i8 (jbyte) have the same size and alignment, and any bit
            // pattern is valid for both; the slice covers exactly `chunk`.
            let bytes: &[i8] =
                unsafe { std::slice::from_raw_parts(chunk.as_ptr().cast(), chunk.len()) };
            match env.set_byte_array_region(&buf, at, bytes) {
                Ok(()) => at += chunk.len() as i32,
                Err(e) => copy_failed = Some(e),
            }
        }))?;
        if let Some(e) = copy_failed {
            return Err(e.into());
        }
        Ok(n.map_or(-1, |n| n as jint))
    })
}

/// `static native void closeRead(long stream)`: idempotent; never throws.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_closeRead<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    stream: jlong,
) {
    boundary(&mut env, (), |_| {
        // Dropping the stream closes its GET; a read in another thread finishes first.
        let removed = READS.lock().ok().and_then(|mut t| t.remove(&stream));
        drop(removed);
        Ok(())
    })
}

/// `static native long openWrite(long fs, String key)`: a stream handle.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_openWrite<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    key_: JString<'l>,
) -> jlong {
    boundary(&mut env, 0, |env| {
        let store = state(fs)?.store()?;
        let key = key(env, &key_)?;
        let stream = block_on(store.open_write(&key));
        insert(&WRITES, Arc::new(Mutex::new(Some(stream))))
    })
}

/// `static native void write(long stream, byte[] buf, int off, int len)`
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_write<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    stream: jlong,
    buf: JByteArray<'l>,
    off: jint,
    len: jint,
) {
    boundary(&mut env, (), |env| {
        if buf.is_null() {
            return Err(Thrown::new(super::NULL_POINTER, "buffer is null"));
        }
        check_bounds(env.get_array_length(&buf)?, off, len)?;
        let s = table(&WRITES)?
            .get(&stream)
            .cloned()
            .ok_or_else(|| Thrown::io(format!("s3adt: write stream {stream} is closed")))?;
        let env: &JNIEnv<'_> = env;
        let mut copy_failed = None;
        let mut guard = lock(&s)?;
        let Some(w) = guard.as_mut() else {
            return Err(Thrown::io(format!(
                "s3adt: write stream {stream} is closed"
            )));
        };
        block_on(w.write_with(len as usize, |from, dst| {
            if copy_failed.is_some() {
                return;
            }
            // SAFETY: u8 and i8 (jbyte) have the same size and alignment, and any bit
            // pattern is valid for both; the slice covers exactly `dst`.
            let dst: &mut [i8] =
                unsafe { std::slice::from_raw_parts_mut(dst.as_mut_ptr().cast(), dst.len()) };
            if let Err(e) = env.get_byte_array_region(&buf, off + from as i32, dst) {
                copy_failed = Some(e);
            }
        }))?;
        match copy_failed {
            // Part of the buffer was not filled: the object must never be completed.
            Some(e) => {
                if let Some(w) = guard.take() {
                    let _ = block_on(w.abort());
                }
                Err(e.into())
            }
            None => Ok(()),
        }
    })
}

/// `static native void closeWrite(long stream)`: upload the rest and complete; on failure the
/// upload is aborted. The handle is released either way.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_closeWrite<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    stream: jlong,
) {
    boundary(&mut env, (), |_| {
        let s = table(&WRITES)?
            .remove(&stream)
            .ok_or_else(|| Thrown::io(format!("s3adt: write stream {stream} is closed")))?;
        let w = lock(&s)?.take();
        match w {
            Some(w) => Ok(block_on(w.close())?),
            None => Err(Thrown::io(format!(
                "s3adt: write stream {stream} is closed"
            ))),
        }
    })
}

/// `static native void abortWrite(long stream)`: idempotent; never throws (a failed abort is
/// left to the bucket's lifecycle rules, and listUploads shows it).
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_abortWrite<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    stream: jlong,
) {
    boundary(&mut env, (), |_| {
        let Some(s) = WRITES.lock().ok().and_then(|mut t| t.remove(&stream)) else {
            return Ok(());
        };
        let w = s.lock().ok().and_then(|mut w| w.take());
        if let Some(w) = w {
            let _ = block_on(w.abort());
        }
        Ok(())
    })
}

/// `static native String[] listUploads(long fs, String prefix)`: keys with multipart uploads
/// in progress, each once.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_listUploads<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    prefix: JString<'l>,
) -> jobjectArray {
    boundary(&mut env, std::ptr::null_mut(), |env| {
        let store = state(fs)?.store()?;
        let prefix = if prefix.is_null() {
            String::new()
        } else {
            env.get_string(&prefix)?.into()
        };
        let uploads = block_on(store.list_uploads(&prefix))?;
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<String> = uploads
            .into_iter()
            .filter(|u| seen.insert(u.key.clone()))
            .map(|u| u.key)
            .collect();
        string_array(env, keys.len(), |i| Some(keys[i].clone()))
    })
}
