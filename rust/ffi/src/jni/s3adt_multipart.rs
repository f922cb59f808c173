//! Natives of `org.s3adt.jni.S3adtMultipart` (java/src/main/java/org/s3adt/jni/S3adtMultipart.java):
//! multipart uploads driven part by part from Java (Hadoop's `MultipartUploader` and s3adt's
//! magic committer), over `s3adt_core::store`'s multipart primitives. Each export converts its
//! arguments, calls one core function and maps the error.

use super::convert::{opt_string, string, string_array};
use super::handles::{self, lock, WRITES};
use super::s3adt_store::closed;
use super::Thrown;
use jni::objects::{JIntArray, JObject, JObjectArray, JString, JValue};
use jni::sys::{jboolean, jint, jlong, jobjectArray, jstring, JNI_TRUE};
use jni::JNIEnv;
use s3adt_core::runtime::block_on;

natives! {
    /// `static native String start(long fs, String key)`: the new upload's id.
    fn Java_org_s3adt_jni_S3adtMultipart_start(env, fs: jlong, key: JString<'l>) -> jstring
        = std::ptr::null_mut() => {
        let key = string(env, &key, "key")?;
        let id = block_on(handles::store(fs)?.create_upload(&key))?;
        Ok(env.new_string(id)?.into_raw())
    };

    /// `static native String putPart(long fs, String key, String uploadId, int number,
    /// InputStream in, long len)`: the part's etag. Reads exactly `len` bytes from `in` (an
    /// EOFException if it ends before) through a small Java chunk straight into the one buffer
    /// that is sent: the part is held once, not as a Java array and a native copy of it.
    fn Java_org_s3adt_jni_S3adtMultipart_putPart(
        env, fs: jlong, key: JString<'l>, upload_id: JString<'l>, number: jint,
        input: JObject<'l>, len: jlong,
    ) -> jstring = std::ptr::null_mut() => {
        let key = string(env, &key, "key")?;
        let id = string(env, &upload_id, "uploadId")?;
        if input.is_null() {
            return Err(Thrown::new(super::NULL_POINTER, "the part's stream is null"));
        }
        let len = usize::try_from(len)
            .map_err(|_| Thrown::illegal(format!("a part of {len} bytes")))?;
        let buf = read_exactly(env, &input, len)?;
        let etag = block_on(handles::store(fs)?.put_part(&key, &id, number, buf.into()))?;
        Ok(env.new_string(etag)?.into_raw())
    };

    /// `static native void complete(long fs, String key, String uploadId, int[] numbers,
    /// String[] etags)`: the object becomes visible.
    fn Java_org_s3adt_jni_S3adtMultipart_complete(
        env, fs: jlong, key: JString<'l>, upload_id: JString<'l>, numbers: JIntArray<'l>,
        etags: JObjectArray<'l>,
    ) -> () = () => {
        let key = string(env, &key, "key")?;
        let id = string(env, &upload_id, "uploadId")?;
        if numbers.is_null() || etags.is_null() {
            return Err(Thrown::new(super::NULL_POINTER, "parts are null"));
        }
        let n = env.get_array_length(&numbers)?;
        if env.get_array_length(&etags)? != n {
            return Err(Thrown::illegal("as many part numbers as etags are needed"));
        }
        let mut nums = vec![0; n as usize];
        env.get_int_array_region(&numbers, 0, &mut nums)?;
        let mut parts = Vec::with_capacity(n as usize);
        for (i, num) in nums.into_iter().enumerate() {
            let e = JString::from(env.get_object_array_element(&etags, i as i32)?);
            parts.push((num, string(env, &e, "etag")?));
            env.delete_local_ref(e)?;
        }
        Ok(block_on(handles::store(fs)?.complete_parts(&key, &id, &parts))?)
    };

    /// `static native void abort(long fs, String key, String uploadId, boolean mustExist)`: one
    /// already gone is no error, unless `mustExist` (then FileNotFoundException when the store
    /// knows no such upload).
    fn Java_org_s3adt_jni_S3adtMultipart_abort(
        env, fs: jlong, key: JString<'l>, upload_id: JString<'l>, must_exist: jboolean,
    ) -> () = () => {
        let key = string(env, &key, "key")?;
        let id = string(env, &upload_id, "uploadId")?;
        let store = handles::store(fs)?;
        if must_exist == JNI_TRUE {
            block_on(store.abort_existing_upload(&key, &id))?;
        } else {
            block_on(store.abort_upload(&key, &id))?;
        }
        Ok(())
    };

    /// `static native String[] list(long fs, String prefix)`: the uploads in progress under
    /// `prefix`, three strings each: key, upload id, initiated (ms since the epoch).
    fn Java_org_s3adt_jni_S3adtMultipart_list(env, fs: jlong, prefix: JString<'l>) -> jobjectArray
        = std::ptr::null_mut() => {
        let prefix = opt_string(env, &prefix)?.unwrap_or_default();
        let ups = block_on(handles::store(fs)?.list_uploads(&prefix))?;
        string_array(env, ups.len() * 3, |i| {
            let u = &ups[i / 3];
            Some(match i % 3 {
                0 => u.key.clone(),
                1 => u.upload_id.clone(),
                _ => u.initiated.to_string(),
            })
        })
    };

    /// `static native String[] closePending(long stream)`: upload the rest of a write stream and
    /// leave its upload uncompleted: {uploadId, length, etag of part 1, part 2, ...}. On failure
    /// the upload is aborted. The handle is released either way.
    fn Java_org_s3adt_jni_S3adtMultipart_closePending(env, stream: jlong) -> jobjectArray
        = std::ptr::null_mut() => {
        let s = handles::table(&WRITES, "stream")?
            .remove(&stream)
            .ok_or_else(|| closed(stream))?;
        let w = lock(&s)?.take();
        let Some(w) = w else {
            return Err(closed(stream));
        };
        let p = block_on(w.close_pending())?;
        string_array(env, p.etags.len() + 2, |i| {
            Some(match i {
                0 => p.upload_id.clone(),
                1 => p.length.to_string(),
                _ => p.etags[i - 2].clone(),
            })
        })
    };
}

/// The largest Java array a part is read through.
const CHUNK: usize = 1 << 20;

/// Exactly `len` bytes of a Java `InputStream`, read through one Java array of at most
/// [`CHUNK`] bytes into a buffer of `len` allocated once. An exception of `read` stays pending.
fn read_exactly(env: &mut JNIEnv<'_>, input: &JObject<'_>, len: usize) -> Result<Vec<u8>, Thrown> {
    let mut buf: Vec<u8> = Vec::with_capacity(len);
    let chunk_len = len.clamp(1, CHUNK);
    let chunk = env.new_byte_array(chunk_len as i32)?;
    while buf.len() < len {
        let want = (len - buf.len()).min(chunk_len);
        let args = [
            JValue::Object(&chunk),
            JValue::Int(0),
            JValue::Int(want as i32),
        ];
        let n = env.call_method(input, "read", "([BII)I", &args)?.i()?;
        if n < 0 {
            return Err(Thrown::new(
                super::EOF_EXCEPTION,
                format!(
                    "s3adt: the part's stream ended after {} of {len} bytes",
                    buf.len()
                ),
            ));
        }
        let n = (n as usize).min(want);
        let from = buf.len();
        buf.resize(from + n, 0);
        // SAFETY: u8 and i8 (jbyte) have the same size and alignment, and any bit pattern is
        // valid for both; the slice covers exactly the n bytes just added.
        let dst: &mut [i8] =
            unsafe { std::slice::from_raw_parts_mut(buf[from..].as_mut_ptr().cast(), n) };
        env.get_byte_array_region(&chunk, 0, dst)?;
    }
    env.delete_local_ref(chunk)?;
    Ok(buf)
}
