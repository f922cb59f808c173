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
use super::Thrown;
use jni::objects::{JByteArray, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong, jobjectArray, JNI_TRUE};
use jni::JNIEnv;
use s3adt_core::runtime::block_on;
use s3adt_core::store::{ListEntry, S3Store};
use std::sync::{Arc, Mutex};

/// A filesystem's S3 store (`fs`, a handle) and a key (a Java string, never null).
fn store_key(
    env: &mut JNIEnv<'_>,
    fs: jlong,
    key: &JString<'_>,
) -> Result<(Arc<S3Store>, String), Thrown> {
    Ok((handles::store(fs)?, string(env, key, "key")?))
}

/// A `byte[]` and a range `off`, `len` within it, checked as `InputStream.read` checks them.
pub(super) fn check_buffer(
    env: &mut JNIEnv<'_>,
    buf: &JByteArray<'_>,
    off: jint,
    len: jint,
) -> Result<(), Thrown> {
    if buf.is_null() {
        return Err(Thrown::new(super::NULL_POINTER, "buffer is null"));
    }
    let size = env.get_array_length(buf)?;
    if off < 0 || len < 0 || off as i64 + len as i64 > size as i64 {
        return Err(Thrown::new(
            super::INDEX_OUT_OF_BOUNDS,
            format!("offset {off}, length {len}, array length {size}"),
        ));
    }
    Ok(())
}

/// The IOException of a write stream used after its close.
pub(super) fn closed(stream: jlong) -> Thrown {
    Thrown::io(format!("s3adt: write stream {stream} is closed"))
}

/// One `list` entry as its five strings (see `list`).
fn entry_field(entry: &ListEntry, field: usize) -> String {
    match entry {
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
    }
}

natives! {
    /// `static native String[] head(long fs, String key)`: {length, lastModified ms, etag}, or
    /// null when there is no object.
    fn Java_org_s3adt_jni_S3adtStore_head(env, fs: jlong, key: JString<'l>) -> jobjectArray
        = std::ptr::null_mut() => {
        let (store, key) = store_key(env, fs, &key)?;
        match block_on(store.head(&key))? {
            None => Ok(std::ptr::null_mut()),
            Some(m) => {
                let parts = [m.length.to_string(), m.last_modified.to_string(), m.etag];
                string_array(env, 3, |i| Some(parts[i].clone()))
            }
        }
    };

    /// `static native String[] list(long fs, String prefix, boolean recursive, int maxEntries)`:
    /// five strings per entry: kind ("F" object, "D" common prefix), key, length, lastModified
    /// ms, etag (prefixes: "0", "0", "").
    fn Java_org_s3adt_jni_S3adtStore_list(
        env, fs: jlong, prefix: JString<'l>, recursive: jboolean, max_entries: jint,
    ) -> jobjectArray = std::ptr::null_mut() => {
        let store = handles::store(fs)?;
        let prefix = opt_string(env, &prefix)?.unwrap_or_default();
        let max = max_entries.max(0) as usize;
        let entries = block_on(store.list(&prefix, recursive == JNI_TRUE, max))?;
        string_array(env, entries.len() * 5, |i| Some(entry_field(&entries[i / 5], i % 5)))
    };

    /// `static native void putEmpty(long fs, String key)`
    fn Java_org_s3adt_jni_S3adtStore_putEmpty(env, fs: jlong, key: JString<'l>) -> () = () => {
        let (store, key) = store_key(env, fs, &key)?;
        Ok(block_on(store.put_empty(&key))?)
    };

    /// `static native void deleteKeys(long fs, String[] keys)`
    fn Java_org_s3adt_jni_S3adtStore_deleteKeys(env, fs: jlong, keys: JObjectArray<'l>) -> ()
        = () => {
        let store = handles::store(fs)?;
        if keys.is_null() {
            return Err(Thrown::illegal("keys is null"));
        }
        let n = env.get_array_length(&keys)?;
        let mut list = Vec::with_capacity(n.max(0) as usize);
        for i in 0..n {
            list.push(env.with_local_frame(4, |env| -> Result<String, Thrown> {
                let s = JString::from(env.get_object_array_element(&keys, i)?);
                string(env, &s, "key")
            })?);
        }
        Ok(block_on(store.delete_keys(&list))?)
    };

    /// `static native void copy(long fs, String srcKey, String dstKey)`
    fn Java_org_s3adt_jni_S3adtStore_copy(env, fs: jlong, src: JString<'l>, dst: JString<'l>)
        -> () = () => {
        let (store, src) = store_key(env, fs, &src)?;
        let dst = string(env, &dst, "key")?;
        Ok(block_on(store.copy(&src, &dst))?)
    };

    /// `static native long openRead(long fs, String key, long length)`: a stream handle;
    /// FileNotFoundException when there is no object (checked now when `length` is -1).
    fn Java_org_s3adt_jni_S3adtStore_openRead(env, fs: jlong, key: JString<'l>, length: jlong)
        -> jlong = 0 => {
        let (store, key) = store_key(env, fs, &key)?;
        let known = (length >= 0).then_some(length as u64);
        let stream = block_on(store.open_read(&key, known))?;
        handles::insert(&READS, "stream", Arc::new(Mutex::new(stream)))
    };

    /// `static native long length(long stream)`
    fn Java_org_s3adt_jni_S3adtStore_length(_env, stream: jlong) -> jlong = 0 => {
        let s = handles::read_stream(stream)?;
        let len = lock(&s)?.length();
        Ok(len as jlong)
    };

    /// `static native int read(long stream, long position, byte[] buf, int off, int len)`: the
    /// count, or -1 at or past the end.
    fn Java_org_s3adt_jni_S3adtStore_read(
        env, stream: jlong, position: jlong, buf: JByteArray<'l>, off: jint, len: jint,
    ) -> jint = -1 => {
        check_buffer(env, &buf, off, len)?;
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
    };

    /// `static native void closeRead(long stream)`: idempotent; never throws.
    fn Java_org_s3adt_jni_S3adtStore_closeRead(_env, stream: jlong) -> () = () => {
        // Dropping the stream closes its GET; a read in another thread finishes first.
        let removed = READS.lock().ok().and_then(|mut t| t.remove(&stream));
        drop(removed);
        Ok(())
    };

    /// `static native long openWrite(long fs, String key)`: a stream handle.
    fn Java_org_s3adt_jni_S3adtStore_openWrite(env, fs: jlong, key: JString<'l>) -> jlong = 0 => {
        let (store, key) = store_key(env, fs, &key)?;
        let stream = block_on(store.open_write(&key));
        handles::insert(&WRITES, "stream", Arc::new(Mutex::new(Some(stream))))
    };

    /// `static native void write(long stream, byte[] buf, int off, int len)`
    fn Java_org_s3adt_jni_S3adtStore_write(
        env, stream: jlong, buf: JByteArray<'l>, off: jint, len: jint,
    ) -> () = () => {
        check_buffer(env, &buf, off, len)?;
        let s = handles::write_stream(stream)?;
        let env: &JNIEnv<'_> = env;
        let mut copy_failed = None;
        let mut guard = lock(&s)?;
        let w = guard.as_mut().ok_or_else(|| closed(stream))?;
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
    };

    /// `static native void closeWrite(long stream)`: upload the rest and complete; on failure
    /// the upload is aborted. The handle is released either way.
    fn Java_org_s3adt_jni_S3adtStore_closeWrite(_env, stream: jlong) -> () = () => {
        let s = handles::table(&WRITES, "stream")?
            .remove(&stream)
            .ok_or_else(|| closed(stream))?;
        let w = lock(&s)?.take().ok_or_else(|| closed(stream))?;
        Ok(block_on(w.close())?)
    };

    /// `static native void abortWrite(long stream)`: idempotent; never throws (a failed abort
    /// is left to the bucket's lifecycle rules, and listUploads shows it).
    fn Java_org_s3adt_jni_S3adtStore_abortWrite(_env, stream: jlong) -> () = () => {
        let Some(s) = WRITES.lock().ok().and_then(|mut t| t.remove(&stream)) else {
            return Ok(());
        };
        let w = s.lock().ok().and_then(|mut w| w.take());
        if let Some(w) = w {
            let _ = block_on(w.abort());
        }
        Ok(())
    };

    /// `static native String[] listUploads(long fs, String prefix)`: keys with multipart
    /// uploads in progress, each once.
    fn Java_org_s3adt_jni_S3adtStore_listUploads(env, fs: jlong, prefix: JString<'l>)
        -> jobjectArray = std::ptr::null_mut() => {
        let store = handles::store(fs)?;
        let prefix = opt_string(env, &prefix)?.unwrap_or_default();
        let uploads = block_on(store.list_uploads(&prefix))?;
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<String> = uploads
            .into_iter()
            .filter(|u| seen.insert(u.key.clone()))
            .map(|u| u.key)
            .collect();
        string_array(env, keys.len(), |i| Some(keys[i].clone()))
    };
}
