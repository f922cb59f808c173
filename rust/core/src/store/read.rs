//! Reading an object: positional reads over as few GETs as the access pattern allows.
//!
//! The stream starts sequential: one GET from the position to the end of the object, kept
//! open and read on by each following read, so a scan is one request at full speed. Opened
//! without the length (`open()`, no FileStatus), the stream's first GET is made at once and is
//! bounded to the first [`first_get_size`] bytes (`Range: bytes=0-(R-1)`): its answer tells
//! whether the object exists, its length (`Content-Range`) and its ETag, and its bytes are the
//! first read's, so a small file costs that one request; a sequential read past them opens the
//! next GET, to the end, and a reader that seeks to a footer first aborts at most R bytes. A
//! forward seek within `fs.s3a.readahead.range` reads on and discards; a backward seek or a
//! longer forward one drops the open GET (aborting its connection) and starts a ranged GET.
//! After the first backward seek the stream turns random (as S3A's adaptive policy does): each
//! GET then asks for `max(read length, readahead)` bytes, so columnar formats' scattered reads
//! do not each fetch (and abort) the rest of the object.
//!
//! The object's ETag is pinned on the first GET and sent as `If-Match` on every later one: an
//! object overwritten mid-read fails with [`S3ErrorKind::Changed`] instead of mixing versions.
//! A connection that breaks or stalls mid-body is reopened at the current position inside the
//! retry budget.

use super::client::S3Store;
use super::direct::{Call, DirectBody, Method};
use super::encryption::{sse_c, S3Encryption};
use super::error::{S3Error, S3ErrorKind};
use crate::retry::Retry;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use std::sync::Arc;

/// What a GET's answer said besides its body.
struct GetHead {
    content_range: Option<String>,
    content_length: Option<u64>,
    etag: Option<String>,
}

/// A GET's body, from the SDK or from the direct GET.
enum Chunks {
    Sdk(ByteStream),
    Direct(DirectBody),
}

impl Chunks {
    async fn next(&mut self) -> Option<Result<Bytes, String>> {
        match self {
            Chunks::Sdk(s) => s.next().await.map(|r| r.map_err(|e| e.to_string())),
            Chunks::Direct(d) => d.next().await,
        }
    }
}

struct Body {
    stream: Chunks,
    /// Offset in the object of the first byte of `pending`.
    pos: u64,
    /// Exclusive end of the range this GET asked for.
    end: u64,
    pending: Bytes,
}

/// An object open for reading (see the module doc). Reads take `&mut self`: one reader at a
/// time per stream.
pub struct ReadStream {
    store: Arc<S3Store>,
    key: String,
    length: Option<u64>,
    etag: Option<String>,
    body: Option<Body>,
    random: bool,
    /// Where the last GET's range ended when it was used up and let go: a read before it is
    /// a backward seek all the same.
    released_at: Option<u64>,
    gets: u32,
}

impl std::fmt::Debug for ReadStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadStream")
            .field("key", &self.key)
            .field("length", &self.length)
            .field("random", &self.random)
            .field("gets", &self.gets)
            .finish()
    }
}

/// A failure inside a body: transient ones are retried by reopening.
enum BodyError {
    Transient(String),
    Fatal(S3Error),
    /// The position asked for is at or past the object's end (a 416, or a whole object shorter
    /// than it from a store that ignored the range).
    PastEnd,
}

impl ReadStream {
    pub(crate) async fn open(
        store: Arc<S3Store>,
        key: &str,
        length: Option<u64>,
    ) -> Result<Self, S3Error> {
        let mut s = ReadStream {
            store,
            key: key.to_owned(),
            length,
            etag: None,
            body: None,
            random: false,
            released_at: None,
            gets: 0,
        };
        if s.length.is_none() {
            // One GET tells whether the object exists, how long it is (the 206's Content-Range,
            // or a 200's Content-Length from a store that ignores Range) and its ETag, and is
            // kept for the first read. Bounded, so that a reader going straight to a footer
            // does not start the whole object.
            let first = first_get_size(s.store.settings().readahead);
            match s.open_body(0, Some(first)).await {
                Ok(()) => {}
                Err(BodyError::Fatal(e)) => return Err(e),
                // `bytes=0-…` of an empty object: 416 (Content-Range `bytes */0`; a range from
                // byte 0 is unsatisfiable only when there is no byte, RFC 9110 14.1.1), or a 200
                // with an empty body from a store that ignores Range. It exists: length 0.
                Err(BodyError::PastEnd) => s.length = Some(0),
                Err(BodyError::Transient(m)) => {
                    return Err(S3Error::new(
                        S3ErrorKind::Other,
                        "open",
                        s.store.path(key),
                        m,
                    ))
                }
            }
        }
        Ok(s)
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// The object's length.
    pub fn length(&self) -> u64 {
        self.length.unwrap_or(0)
    }

    /// GET requests made so far (a sequential read of the whole object makes one when the
    /// length was given, two when it was not and the object is larger than the first GET).
    pub fn gets(&self) -> u32 {
        self.gets
    }

    /// Whether the stream has turned to random access (after a backward seek).
    pub fn is_random(&self) -> bool {
        self.random
    }

    /// Read up to `buf.len()` bytes at `position`: the count, `Some(0)` for an empty `buf`, or
    /// None at or past the end.
    pub async fn read(&mut self, position: u64, buf: &mut [u8]) -> Result<Option<usize>, S3Error> {
        let mut filled = 0;
        self.read_with(position, buf.len(), |chunk| {
            buf[filled..filled + chunk.len()].copy_from_slice(chunk);
            filled += chunk.len();
        })
        .await
    }

    /// [`ReadStream::read`] handing the bytes to `sink` as they arrive (in order, `len` at
    /// most), so a caller with its own buffer (a Java array) copies them once.
    pub async fn read_with(
        &mut self,
        position: u64,
        len: usize,
        mut sink: impl FnMut(&[u8]),
    ) -> Result<Option<usize>, S3Error> {
        if len == 0 {
            return Ok(Some(0));
        }
        let length = self.length.unwrap_or(0);
        if position >= length {
            return Ok(None);
        }
        let want = (len as u64).min(length - position) as usize;
        let mut done = 0usize;
        let mut failures = 0u32;
        while done < want {
            let pos = position + done as u64;
            let step = match self.position_body(pos, want - done).await {
                Ok(()) => self.next_bytes(want - done).await,
                Err(e) => Err(e),
            };
            match step {
                Ok(Some(chunk)) => {
                    sink(&chunk);
                    done += chunk.len();
                }
                // The GET's range is used up: the next turn opens the next one.
                Ok(None) => self.body = None,
                Err(BodyError::PastEnd) => {
                    // The object is shorter than it was: end of file where it ends now.
                    self.body = None;
                    self.length = Some(pos);
                    return Ok(if done == 0 { None } else { Some(done) });
                }
                Err(BodyError::Fatal(e)) => {
                    self.body = None;
                    return Err(e);
                }
                Err(BodyError::Transient(m)) => {
                    self.body = None;
                    let policy = &self.store.settings().retry;
                    if failures >= policy.limit {
                        let mut e =
                            S3Error::new(S3ErrorKind::Other, "read", self.store.path(&self.key), m);
                        e.attempts = failures + 1;
                        return Err(e);
                    }
                    tokio::time::sleep(policy.backoff(Retry::Transient, failures)).await;
                    failures += 1;
                }
            }
        }
        Ok(Some(done))
    }

    /// Make the open body start at `pos`: read on, skip, or open a new GET.
    async fn position_body(&mut self, pos: u64, need: usize) -> Result<(), BodyError> {
        let readahead = self.store.settings().readahead;
        if let Some((at, end)) = self.body.as_ref().map(|b| (b.pos, b.end)) {
            if at == pos && pos < end {
                return Ok(());
            }
            if pos > at && pos < end && pos - at <= readahead {
                let mut skip = pos - at;
                while skip > 0 {
                    match self
                        .next_bytes(skip.min(usize::MAX as u64) as usize)
                        .await?
                    {
                        Some(c) => skip -= c.len() as u64,
                        None => break,
                    }
                }
                if self.body.as_ref().is_some_and(|b| b.pos == pos) {
                    return Ok(());
                }
            } else if pos < at {
                self.random = true;
            }
        } else if self.released_at.is_some_and(|at| pos < at) {
            self.random = true;
        }
        // Dropping an unfinished body closes its connection: the abort.
        self.body = None;
        let length = self.length.unwrap_or(0);
        let end = if self.random {
            length.min(pos.saturating_add((need as u64).max(readahead)))
        } else {
            length
        };
        self.open_body(pos, Some(end)).await
    }

    /// GET `[pos, end)` (to the end of the object when `end` is None or the length).
    async fn open_body(&mut self, pos: u64, end: Option<u64>) -> Result<(), BodyError> {
        let to_the_end = end.is_none() || end == self.length;
        let range = match (pos, to_the_end) {
            (0, true) => None,
            (_, true) => Some(format!("bytes={pos}-")),
            (_, false) => Some(format!(
                "bytes={pos}-{}",
                end.unwrap_or(0).saturating_sub(1)
            )),
        };
        let store = self.store.clone();
        let enc = store.encryption().map_err(BodyError::Fatal)?;
        let operation = if self.gets == 0 { "open" } else { "read" };
        self.gets += 1;
        // How many bytes this GET asks for, when the stream knows (it may get fewer).
        let asked = end.or(self.length).map(|e| e.saturating_sub(pos));
        let (out, stream) = match store
            .get_object(
                operation,
                &self.key,
                range.as_deref(),
                asked,
                self.etag.as_deref(),
                &enc,
            )
            .await
            .map_err(|e| {
                if e.kind == S3ErrorKind::Changed {
                    let mut e = e;
                    e.message = format!(
                        "the object changed while it was read (ETag was {}): {}",
                        self.etag.as_deref().unwrap_or("unknown"),
                        e.message
                    );
                    e
                } else {
                    e
                }
            }) {
            Ok(out) => out,
            Err(e) if e.status == Some(416) => return Err(BodyError::PastEnd),
            Err(e) => return Err(BodyError::Fatal(e)),
        };
        // A store may ignore Range and send the whole object (200 with no Content-Range), as
        // HTTP allows: Ozone's S3 gateway does for an open range past the end (`bytes=110-` of a
        // 100-byte object). The body then starts at byte 0: skip to `pos`, as get_range does.
        let whole = range.is_some() && out.content_range.is_none();
        let whole_size = out.content_length.unwrap_or(0);
        if whole && pos >= whole_size {
            return Err(BodyError::PastEnd);
        }
        if self.etag.is_none() {
            self.etag = out.etag;
        }
        // The object's length: a 206's `Content-Range: bytes a-b/TOTAL`, else (no range asked
        // for, or a store that ignored it) the whole object's Content-Length.
        let total = match &out.content_range {
            Some(r) => r.rsplit('/').next().and_then(|t| t.parse::<u64>().ok()),
            None => out.content_length,
        };
        if self.length.is_none() {
            self.length = Some(total.unwrap_or(0));
        }
        let length = self.length.unwrap_or(0);
        let mut end = end.unwrap_or(length).min(length);
        if whole {
            end = end.min(whole_size);
        }
        self.body = Some(Body {
            stream,
            pos: if whole { 0 } else { pos },
            end,
            pending: Bytes::new(),
        });
        while let Some(skip) = self.body.as_ref().map(|b| pos - b.pos).filter(|&n| n > 0) {
            if self
                .next_bytes(skip.min(usize::MAX as u64) as usize)
                .await?
                .is_none()
            {
                return Err(BodyError::Transient(format!(
                    "the whole object's body ended before byte {pos}"
                )));
            }
        }
        Ok(())
    }

    /// Up to `max` bytes from the open body; None when its range is used up.
    async fn next_bytes(&mut self, max: usize) -> Result<Option<Bytes>, BodyError> {
        let timeout = self.store.settings().read_timeout;
        let Some(b) = self.body.as_mut() else {
            return Ok(None);
        };
        if b.pending.is_empty() {
            if b.pos >= b.end {
                return Ok(None);
            }
            match tokio::time::timeout(timeout, b.stream.next()).await {
                Err(_) => {
                    return Err(BodyError::Transient(format!(
                        "no data for {} ms from an open GET",
                        timeout.as_millis()
                    )))
                }
                Ok(None) => {
                    return Err(BodyError::Transient(format!(
                        "the GET ended at byte {} of {}",
                        b.pos, b.end
                    )))
                }
                Ok(Some(Err(e))) => return Err(BodyError::Transient(e)),
                Ok(Some(Ok(chunk))) => b.pending = chunk,
            }
        }
        let n = max.min(b.pending.len());
        let out = b.pending.split_to(n);
        b.pos += n as u64;
        if b.pos >= b.end && b.pending.is_empty() {
            // Its range read: the connection goes back to the pool now, not when the stream
            // next reads or closes.
            self.released_at = Some(b.pos);
            self.body = None;
        }
        Ok(Some(out))
    }
}

/// The size of the first GET of a stream opened without the length: the read-ahead range, and
/// at least 64 KiB, so that a small file is one request whatever the read-ahead.
pub fn first_get_size(readahead: u64) -> u64 {
    readahead.max(64 << 10)
}

impl S3Store {
    /// Open an object for reading. `length`, when the caller knows it (from a listing or a
    /// FileStatus), saves a request: the first GET waits for the first read and reads to the
    /// end. Otherwise a GET of the first [`first_get_size`] bytes is made now, which fails with
    /// NotFound when there is no object and is the first read's.
    pub async fn open_read(
        self: &Arc<Self>,
        key: &str,
        length: Option<u64>,
    ) -> Result<ReadStream, S3Error> {
        ReadStream::open(self.clone(), key, length).await
    }

    /// Up to `len` bytes of `key` from `offset`, in one ranged GET (retried as every request):
    /// fewer at the object's end, none at or past it. NotFound when there is no such object.
    /// Each call stands alone: a caller reading an object in pieces that must not change under
    /// it compares the ETag of a `head` before and after.
    pub async fn get_range(&self, key: &str, offset: u64, len: u64) -> Result<Bytes, S3Error> {
        if len == 0 {
            return Ok(Bytes::new());
        }
        let Some(last) = offset.checked_add(len - 1) else {
            return Err(S3Error::new(
                S3ErrorKind::Other,
                "read",
                self.path(key),
                format!("the range {offset}+{len} is beyond any object"),
            ));
        };
        let range = format!("bytes={offset}-{last}");
        let enc = self.encryption()?;
        let (head, mut body) = match self
            .get_object("read", key, Some(&range), Some(len), None, &enc)
            .await
        {
            Ok(out) => out,
            // at or past the end of an existing object (an empty one too)
            Err(e) if e.status == Some(416) => return Ok(Bytes::new()),
            Err(e) => return Err(e),
        };
        // A store that ignores Range sends the whole object: skip to the offset and keep only
        // the range asked for. Either way at most `len` bytes are held, whatever the store
        // sends; the rest of the body is dropped with the connection.
        let mut skip = if head.content_range.is_some() {
            0
        } else {
            offset
        };
        let mut buf = bytes::BytesMut::with_capacity(len.min(8 << 20) as usize);
        while (buf.len() as u64) < len {
            let Some(chunk) = body.next().await else {
                break;
            };
            let mut chunk = chunk.map_err(|e| {
                S3Error::new(
                    S3ErrorKind::Other,
                    "read",
                    self.path(key),
                    format!("reading the response body: {e}"),
                )
            })?;
            if skip > 0 {
                let n = skip.min(chunk.len() as u64);
                skip -= n;
                let _ = chunk.split_to(n as usize);
            }
            let want = (len - buf.len() as u64).min(chunk.len() as u64) as usize;
            buf.extend_from_slice(&chunk[..want]);
        }
        let bytes = buf.freeze();
        Ok(bytes)
    }

    /// One GET of `key` with our retries, asking for `asked` bytes when that is known: a
    /// small one through the direct GET when the store has one (`direct/`), a large one (or
    /// one of unknown size) through the SDK. The answer's head and its body.
    async fn get_object(
        &self,
        operation: &'static str,
        key: &str,
        range: Option<&str>,
        asked: Option<u64>,
        if_match: Option<&str>,
        enc: &S3Encryption,
    ) -> Result<(GetHead, Chunks), S3Error> {
        let small = asked.is_some_and(|n| n < super::direct::GET_MAX);
        if let Some(direct) = self.direct.as_ref().filter(|_| small) {
            let get = Call {
                method: Method::Get,
                key,
                range,
                if_match,
                sse: None,
                sse_c: enc.customer(),
                body: Bytes::new(),
                attempt_timeout: self.settings.request_timeout,
            };
            let a = self.call_direct(direct, operation, &get).await?;
            let head = GetHead {
                content_range: a.content_range,
                content_length: a.content_length,
                etag: a.etag,
            };
            return Ok((head, Chunks::Direct(a.body)));
        }
        let out = self
            .call(operation, key, || {
                sse_c!(
                    self.client()
                        .get_object()
                        .bucket(self.bucket())
                        .key(key)
                        .set_range(range.map(str::to_owned))
                        .set_if_match(if_match.map(str::to_owned)),
                    enc
                )
                .send()
            })
            .await?;
        let head = GetHead {
            content_range: out.content_range().map(str::to_owned),
            content_length: out.content_length().map(|l| l.max(0) as u64),
            etag: out.e_tag().map(str::to_owned),
        };
        Ok((head, Chunks::Sdk(out.body)))
    }
}
