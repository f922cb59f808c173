//! Natives of `org.s3adt.jni.S3adtStore` (java/src/main/java/org/s3adt/jni/S3adtStore.java):
//! the S3 data path of a filesystem handle, over `s3adt_core::store`.
//!
//! Read and write streams are handles too: random numbers naming entries of process-wide
//! tables, never pointers, so a closed or forged handle is an IOException. Each stream has its own
//! lock, so two Java threads sharing one stream take turns and different streams never wait
//! for each other. Bytes go between Java arrays and S3's buffers with one copy each way
//! (`Get/SetByteArrayRegion` straight into the part buffer or from the received chunks).

use super::convert::{opt_string, string, string_array};
use super::handles::{self, lock, READS, WRITES};
use super::{boundary, Thrown};
use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong, jobjectArray, JNI_TRUE};
use jni::JNIEnv;
use s3adt_core::runtime::block_on;
use s3adt_core::store::{ListEntry, S3Store};
use std::sync::{Arc, Mutex};

/// The body of a native on a filesystem's S3 store (`fs`, a handle): `f` gets the store.
fn on_store<'l, T>(
    env: &mut JNIEnv<'l>,
    fs: jlong,
    fail: T,
    f: impl FnOnce(&mut JNIEnv<'l>, &Arc<S3Store>) -> Result<T, Thrown>,
) -> T {
    boundary(env, fail, |env| f(env, &handles::store(fs)?))
}

/// The same, on one object: `f` gets the store and the key (a Java string, never null).
fn on_key<'l, T>(
    env: &mut JNIEnv<'l>,
    fs: jlong,
    key: &JString<'_>,
    fail: T,
    f: impl FnOnce(&mut JNIEnv<'l>, &Arc<S3Store>, String) -> Result<T, Thrown>,
) -> T {
    on_store(env, fs, fail, |env, store| {
        let key = string(env, key, "key")?;
        f(env, store, key)
    })
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

/// `static native String[] head(long fs, String key)`: {length, lastModified ms, etag}, or
/// null when there is no object.
#[no_mangle]
pub extern "system" fn Java_org_s3adt_jni_S3adtStore_head<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    fs: jlong,
    key: JString<'l>,
) -> jobjectArray {
    on_key(
        &mut env,
        fs,
        &key,
        std::ptr::null_mut(),
        |env, store, key| match block_on(store.head(&key))? {
            None => Ok(std::ptr::null_mut()),
            Some(m) => {
                let parts = [m.length.to_string(), m.last_modified.to_string(), m.etag];
                string_array(env, 3, |i| Some(parts[i].clone()))
            }
        },
    )
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
    on_store(&mut env, fs, std::ptr::null_mut(), |env, store| {
        let prefix = opt_string(env, &prefix)?.unwrap_or_default();
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
    key: JString<'l>,
) {
    on_key(&mut env, fs, &key, (), |_, store, key| {
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
    on_store(&mut env, fs, (), |env, store| {
        if keys.is_null() {
            return Err(Thrown::illegal("keys is null"));
        }
        let n = env.get_array_length(&keys)?;
        let mut list = Vec::with_capacity(n.max(0) as usize);
        for i in 0..n {
            let k = env.with_local_frame(4, |env| -> Result<String, Thrown> {
                let s = JString::from(env.get_object_array_element(&keys, i)?);
                string(env, &s, "key")
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
    on_key(&mut env, fs, &src, (), |env, store, src| {
        let dst = string(env, &dst, "key")?;
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
    key: JString<'l>,
    length: jlong,
) -> jlong {
    on_key(&mut env, fs, &key, 0, |_, store, key| {
        let known = (length >= 0).then_some(length as u64);
        let stream = block_on(store.open_read(&key, known))?;
        handles::insert(&READS, "stream", Arc::new(Mutex::new(stream)))
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
        let s = handles::read_stream(stream)?;
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
        let s = handles::read_stream(stream)?;
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
    key: JString<'l>,
) -> jlong {
    on_key(&mut env, fs, &key, 0, |_, store, key| {
        let stream = block_on(store.open_write(&key));
        handles::insert(&WRITES, "stream", Arc::new(Mutex::new(Some(stream))))
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
        let s = handles::write_stream(stream)?;
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
        let s = handles::table(&WRITES, "stream")?
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
    on_store(&mut env, fs, std::ptr::null_mut(), |env, store| {
        let prefix = opt_string(env, &prefix)?.unwrap_or_default();
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
