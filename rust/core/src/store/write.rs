//! Writing an object, and copying a large one, as multipart uploads that leave nothing behind.
//!
//! A [`WriteStream`] buffers up to `fs.s3a.multipart.size`, in a file in `fs.s3a.buffer.dir`
//! or in memory as `fs.s3a.fast.upload.buffer` says (see [`super::buffer`]). An object that
//! fits in one buffer is one PutObject at close. A larger one becomes a multipart upload: each full buffer is a
//! part uploaded in the background on the runtime, at most `fs.s3a.fast.upload.active.blocks`
//! at once (a writer that gets ahead waits for a slot, so memory, or disk, stays bounded at
//! about `(active blocks + 1) * part size`), and close uploads the rest and completes the
//! upload. A buffer directory that cannot take a part (unwritable, full) fails the write with
//! an error naming it, and the upload is aborted.
//! On any failure, on [`WriteStream::abort`], and when a stream is dropped unfinished, the
//! parts still running are cancelled and the upload is aborted: no orphan uploads (and their
//! storage charges) are left.

use super::buffer::{BufferError, PartBuffer, PartData};
use super::client::S3Store;
use super::error::{S3Error, S3ErrorKind};
use super::multipart::PendingUpload;
use super::settings::MAX_PARTS;
use aws_sdk_s3::types::CompletedPart;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

type PartTask = JoinHandle<Result<CompletedPart, S3Error>>;

struct Upload {
    id: String,
    parts: Vec<PartTask>,
    slots: Arc<Semaphore>,
    /// The first part that failed, as soon as it fails.
    failed: Arc<Mutex<Option<S3Error>>>,
}

/// An object being written (see the module doc). Nothing is visible until
/// [`WriteStream::close`] succeeds.
pub struct WriteStream {
    store: Arc<S3Store>,
    key: String,
    part_size: usize,
    buf: PartBuffer,
    upload: Option<Upload>,
    written: u64,
    /// A failure that ended the upload: every later write and the close report it (a close
    /// must not then PUT what is left as if it were the whole object).
    broken: Option<S3Error>,
    /// Where a dropped stream's abort runs.
    runtime: Option<tokio::runtime::Handle>,
}

impl std::fmt::Debug for WriteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteStream")
            .field("key", &self.key)
            .field("written", &self.written)
            .field("upload_id", &self.upload.as_ref().map(|u| &u.id))
            .finish()
    }
}

impl WriteStream {
    pub(crate) fn new(store: Arc<S3Store>, key: &str) -> Self {
        let settings = store.settings();
        let part_size = settings.multipart_size as usize;
        let buf = PartBuffer::new(part_size, settings.upload_buffer, &settings.buffer_dirs);
        WriteStream {
            store,
            key: key.to_owned(),
            part_size,
            buf,
            upload: None,
            written: 0,
            broken: None,
            runtime: tokio::runtime::Handle::try_current().ok(),
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// Bytes accepted so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The multipart upload's id, once the object has outgrown one part.
    pub fn upload_id(&self) -> Option<&str> {
        self.upload.as_ref().map(|u| u.id.as_str())
    }

    /// Append `data`.
    pub async fn write(&mut self, data: &[u8]) -> Result<(), S3Error> {
        self.write_with(data.len(), |from, dst| {
            dst.copy_from_slice(&data[from..from + dst.len()])
        })
        .await
    }

    /// Append `len` bytes that `fill(offset, dst)` copies straight into the part buffer
    /// (`offset` counts from the start of these `len` bytes), so a caller with its own
    /// buffer (a Java array) copies them once. A failed upload, or a buffer directory that
    /// cannot take the part, fails this call, after the upload has been aborted.
    pub async fn write_with(
        &mut self,
        len: usize,
        mut fill: impl FnMut(usize, &mut [u8]),
    ) -> Result<(), S3Error> {
        if let Some(e) = &self.broken {
            return Err(e.clone());
        }
        let mut done = 0;
        while done < len {
            let step = if self.buf.is_full() {
                // Only when more data comes: an object of exactly one part is one PUT.
                self.send_part().await.map(|()| 0)
            } else {
                self.buf
                    .append(len - done, |dst| fill(done, dst))
                    .map_err(|e| self.buffer_error(e))
            };
            match step {
                Ok(n) => {
                    done += n;
                    self.written += n as u64;
                }
                Err(e) => {
                    self.abort_upload().await;
                    self.broken = Some(e.clone());
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn buffer_error(&self, e: BufferError) -> S3Error {
        S3Error::new(S3ErrorKind::Other, "write", self.store.path(&self.key), e.0)
    }

    /// The buffered part, to send.
    fn take_part(&mut self) -> Result<PartData, S3Error> {
        self.buf.take().map_err(|e| self.buffer_error(e))
    }

    fn failure(&self) -> Option<S3Error> {
        let up = self.upload.as_ref()?;
        up.failed.lock().ok()?.clone()
    }

    /// Hand the buffer to a background part upload, starting the multipart upload first if
    /// this is the first part.
    async fn send_part(&mut self) -> Result<(), S3Error> {
        if let Some(e) = self.failure() {
            return Err(e);
        }
        if self.upload.is_none() {
            let id = self.store.create_upload(&self.key).await?;
            self.upload = Some(Upload {
                id,
                parts: Vec::new(),
                slots: Arc::new(Semaphore::new(self.store.settings().max_parts_in_flight)),
                failed: Arc::new(Mutex::new(None)),
            });
        }
        let Some(up) = self.upload.as_mut() else {
            unreachable!("the upload was just started")
        };
        let number = up.parts.len() as i32 + 1;
        if number > MAX_PARTS {
            return Err(S3Error::new(
                S3ErrorKind::Other,
                "uploadPart",
                self.store.path(&self.key),
                format!(
                    "more than {MAX_PARTS} parts of {} bytes: raise fs.s3a.multipart.size",
                    self.part_size
                ),
            ));
        }
        let permit = up
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the part semaphore is never closed");
        if let Some(e) = up.failed.lock().ok().and_then(|f| f.clone()) {
            return Err(e);
        }
        let data = self.take_part()?;
        let Some(up) = self.upload.as_mut() else {
            unreachable!("the upload was started above")
        };
        let (store, key, id, failed) = (
            self.store.clone(),
            self.key.clone(),
            up.id.clone(),
            up.failed.clone(),
        );
        up.parts.push(tokio::spawn(async move {
            let r = store.upload_part(&key, &id, number, &data).await;
            // the part's file (if any) is gone with `data`, before the slot is free
            drop(data);
            if let Err(e) = &r {
                if let Ok(mut f) = failed.lock() {
                    f.get_or_insert_with(|| e.clone());
                }
            }
            drop(permit);
            r
        }));
        Ok(())
    }

    /// Upload what is left and make the object visible; on failure the multipart upload is
    /// aborted and nothing is visible.
    pub async fn close(mut self) -> Result<(), S3Error> {
        if let Some(e) = self.broken.take() {
            return Err(e);
        }
        if self.upload.is_none() {
            let data = self.take_part()?;
            return self.store.put_data(&self.key, &data).await;
        }
        let (id, done) = self.finish_parts().await?;
        if let Err(e) = self.store.complete_upload(&self.key, &id, done).await {
            let _ = self.store.abort_upload(&self.key, &id).await;
            return Err(e);
        }
        Ok(())
    }

    /// Upload what is left as a multipart upload (even an object of one part, or of none: an
    /// empty part) and leave it uncompleted: nothing is visible until
    /// [`S3Store::complete_parts`] with what this returns. On failure the upload is aborted.
    pub async fn close_pending(mut self) -> Result<PendingUpload, S3Error> {
        if let Some(e) = self.broken.take() {
            return Err(e);
        }
        if self.upload.is_none() && self.buf.is_empty() {
            // an empty object is one empty part
            self.send_part().await?;
        }
        let (upload_id, done) = self.finish_parts().await?;
        Ok(PendingUpload {
            key: self.key.clone(),
            upload_id,
            etags: done
                .iter()
                .map(|p| p.e_tag().unwrap_or_default().to_owned())
                .collect(),
            length: self.written,
        })
    }

    /// Send the buffered rest as the last part and wait for every part: the upload's id and
    /// its parts, in order. On failure the upload is aborted.
    async fn finish_parts(&mut self) -> Result<(String, Vec<CompletedPart>), S3Error> {
        if !self.buf.is_empty() {
            if let Err(e) = self.send_part().await {
                self.abort_upload().await;
                return Err(e);
            }
        }
        let Some(mut up) = self.upload.take() else {
            unreachable!("a part was sent")
        };
        let mut done = Vec::with_capacity(up.parts.len());
        let mut tasks = std::mem::take(&mut up.parts).into_iter();
        let mut failure = None;
        for t in tasks.by_ref() {
            match t.await {
                Ok(Ok(p)) => done.push(p),
                Ok(Err(e)) => {
                    failure = Some(e);
                    break;
                }
                Err(join) => {
                    failure = Some(S3Error::new(
                        S3ErrorKind::Other,
                        "uploadPart",
                        self.store.path(&self.key),
                        // a panic's message could quote the data it was working on
                        if join.is_panic() {
                            "a part upload panicked (a bug in s3adt)".to_owned()
                        } else {
                            "a part upload was cancelled".to_owned()
                        },
                    ));
                    break;
                }
            }
        }
        if let Some(e) = failure {
            up.parts = tasks.collect();
            self.upload = Some(up);
            self.abort_upload().await;
            return Err(e);
        }
        Ok((up.id, done))
    }

    /// Abandon the object: cancel the parts still running and abort the multipart upload.
    pub async fn abort(mut self) -> Result<(), S3Error> {
        match self.upload.take() {
            None => Ok(()),
            Some(up) => {
                for t in &up.parts {
                    t.abort();
                }
                self.store.abort_upload(&self.key, &up.id).await
            }
        }
    }

    /// Abort after a failure; the failure is what the caller sees, so an abort that fails too
    /// is left to the bucket's lifecycle rules (and `listUploads` shows it).
    async fn abort_upload(&mut self) {
        if let Some(up) = self.upload.take() {
            for t in &up.parts {
                t.abort();
            }
            let _ = self.store.abort_upload(&self.key, &up.id).await;
        }
        self.buf.clear();
    }
}

impl Drop for WriteStream {
    /// A stream dropped without close or abort (an abandoned Java stream, a panic) aborts its
    /// upload in the background.
    fn drop(&mut self) {
        let Some(up) = self.upload.take() else {
            return;
        };
        for t in &up.parts {
            t.abort();
        }
        if let Some(rt) = &self.runtime {
            let (store, key) = (self.store.clone(), self.key.clone());
            rt.spawn(async move {
                let _ = store.abort_upload(&key, &up.id).await;
            });
        }
    }
}

impl S3Store {
    /// Start writing an object: nothing is visible until [`WriteStream::close`]. Must be
    /// called on the runtime (the stream's background uploads run there).
    pub async fn open_write(self: &Arc<Self>, key: &str) -> WriteStream {
        WriteStream::new(self.clone(), key)
    }
}
