//! Where a part waits for its upload: S3A's `fs.s3a.fast.upload.buffer`.
//!
//! `array` and `bytebuffer` hold a part in memory (one heap buffer each; the JVM's heap versus
//! direct memory has no counterpart here). `disk`, S3A's default, writes it to a file in
//! `fs.s3a.buffer.dir`, picked as Hadoop's `LocalDirAllocator` picks: the comma-separated
//! directories in turn from a random one, each created when missing, skipping any that cannot
//! be used or has no room for a whole part. The file is unlinked as it is created (`O_TMPFILE`
//! where the file system has it, else create and unlink at once), so it is gone once the part
//! is uploaded, the upload aborted, or the process ends in any way, a kill included: nothing is
//! left in the directory. A part is read back in chunks while it is sent, so a `disk` stream
//! holds a 1 MiB staging buffer and a chunk per part in flight, not whole parts. An object
//! smaller than the staging buffer never touches the disk.

use aws_sdk_s3::primitives::ByteStream;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::task::{Context, Poll};

/// `fs.s3a.fast.upload.buffer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadBuffer {
    Disk,
    Array,
    ByteBuffer,
}

impl UploadBuffer {
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "disk" => Some(UploadBuffer::Disk),
            "array" => Some(UploadBuffer::Array),
            "bytebuffer" => Some(UploadBuffer::ByteBuffer),
            _ => None,
        }
    }
}

/// A `disk` stream's staging buffer: writes gather here and go to the file a MiB at a time.
const STAGE: usize = 1 << 20;
/// How much of a part file is read at once while the part is sent.
const CHUNK: usize = 256 << 10;

/// The buffer directory could not take a part; the text names the directory and the cause.
#[derive(Debug)]
pub(crate) struct BufferError(pub String);

/// A whole part, ready to send (any number of times: each attempt reads it afresh).
pub(crate) enum PartData {
    Memory(Bytes),
    File { file: Arc<File>, len: u64 },
}

impl PartData {
    pub fn len(&self) -> u64 {
        match self {
            PartData::Memory(b) => b.len() as u64,
            PartData::File { len, .. } => *len,
        }
    }

    /// The request body: the bytes, or the file read chunk by chunk.
    pub fn body(&self) -> ByteStream {
        match self {
            PartData::Memory(b) => ByteStream::from(b.clone()),
            PartData::File { file, len } => {
                let (file, len) = (file.clone(), *len);
                ByteStream::new(SdkBody::retryable(move || {
                    SdkBody::from_body_1_x(FileRegion::new(file.clone(), len))
                }))
            }
        }
    }
}

/// A part file as a request body. Reads are positioned (`pread`), so a retry's body and an
/// abandoned attempt's never share a file offset. Each chunk is read on tokio's blocking pool
/// (`spawn_blocking`), never on a runtime worker, which keeps serving other requests while the
/// disk answers; the next chunk is read while the last one is sent.
struct FileRegion {
    file: Arc<File>,
    at: u64,
    len: u64,
    /// The read of the chunk at `at`, when one is under way.
    pending: Option<tokio::task::JoinHandle<io::Result<Vec<u8>>>>,
}

impl FileRegion {
    fn new(file: Arc<File>, len: u64) -> Self {
        FileRegion {
            file,
            at: 0,
            len,
            pending: None,
        }
    }

    /// Start reading the chunk at `at`, if there is one and no read is under way.
    fn read_ahead(&mut self) {
        if self.pending.is_some() || self.at >= self.len {
            return;
        }
        let n = (self.len - self.at).min(CHUNK as u64) as usize;
        let (file, at) = (self.file.clone(), self.at);
        self.pending = Some(tokio::task::spawn_blocking(move || {
            let mut chunk = vec![0u8; n];
            file.read_exact_at(&mut chunk, at).map(|()| chunk)
        }));
    }
}

impl http_body::Body for FileRegion {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        this.read_ahead();
        let Some(pending) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let read = match Pin::new(pending).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        this.pending = None;
        let chunk = match read {
            Ok(Ok(chunk)) => chunk,
            Ok(Err(e)) => return Poll::Ready(Some(Err(e))),
            Err(e) => return Poll::Ready(Some(Err(io::Error::other(e)))),
        };
        this.at += chunk.len() as u64;
        this.read_ahead();
        Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(chunk)))))
    }

    fn is_end_stream(&self) -> bool {
        self.at >= self.len
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.len - self.at)
    }
}

/// The part being written: all of it in memory, or (`disk`) a staging buffer in front of a
/// file created when the staging buffer first fills.
pub(crate) struct PartBuffer {
    part_size: usize,
    /// `disk`: the buffer directories.
    dirs: Option<Arc<[PathBuf]>>,
    /// Memory: the part. Disk: what is not yet in the file.
    buf: Vec<u8>,
    file: Option<(File, PathBuf)>,
    in_file: usize,
}

impl PartBuffer {
    pub fn new(part_size: usize, mode: UploadBuffer, dirs: &Arc<[PathBuf]>) -> Self {
        PartBuffer {
            part_size,
            dirs: (mode == UploadBuffer::Disk).then(|| dirs.clone()),
            buf: Vec::new(),
            file: None,
            in_file: 0,
        }
    }

    /// Bytes in this part.
    pub fn len(&self) -> usize {
        self.in_file + self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_full(&self) -> bool {
        self.len() >= self.part_size
    }

    /// Append at most `want` bytes, which `fill` writes into the slice it is given; returns
    /// how many (fewer when the part, or the staging buffer, fills first).
    pub fn append(
        &mut self,
        want: usize,
        fill: impl FnOnce(&mut [u8]),
    ) -> Result<usize, BufferError> {
        let limit = match self.dirs {
            Some(_) => STAGE.min(self.part_size),
            None => self.part_size,
        };
        if self.buf.len() >= limit {
            self.spill()?;
        }
        let n = (self.part_size - self.len())
            .min(limit - self.buf.len())
            .min(want);
        let old = self.buf.len();
        if self.buf.capacity() < old + n {
            // Grow toward the limit, never past it: a small object holds what it needs.
            let target = (old + n).max(self.buf.capacity() * 2).min(limit);
            self.buf.reserve_exact(target - old);
        }
        self.buf.resize(old + n, 0);
        fill(&mut self.buf[old..old + n]);
        Ok(n)
    }

    /// Write the staging buffer to the part's file, creating it first.
    fn spill(&mut self) -> Result<(), BufferError> {
        let Some(dirs) = &self.dirs else {
            return Ok(());
        };
        if self.file.is_none() {
            self.file = Some(create_part_file(dirs, self.part_size as u64)?);
        }
        let Some((file, dir)) = self.file.as_mut() else {
            unreachable!("created above")
        };
        file.write_all(&self.buf).map_err(|e| {
            BufferError(format!(
                "cannot buffer a part in {} (fs.s3a.buffer.dir): {e}",
                dir.display()
            ))
        })?;
        self.in_file += self.buf.len();
        self.buf.clear();
        Ok(())
    }

    /// The part as it is, to send; the buffer starts the next part.
    pub fn take(&mut self) -> Result<PartData, BufferError> {
        if self.file.is_some() && !self.buf.is_empty() {
            self.spill()?;
        }
        if let Some((file, _)) = self.file.take() {
            let len = std::mem::take(&mut self.in_file) as u64;
            return Ok(PartData::File {
                file: Arc::new(file),
                len,
            });
        }
        let next = match self.dirs {
            // A memory part is as large as the last: allocate it once.
            None => Vec::with_capacity(self.part_size),
            Some(_) => Vec::new(),
        };
        Ok(PartData::Memory(Bytes::from(std::mem::replace(
            &mut self.buf,
            next,
        ))))
    }

    /// Drop what is buffered (the file goes with its last handle).
    pub fn clear(&mut self) {
        self.buf = Vec::new();
        self.file = None;
        self.in_file = 0;
    }
}

/// A new, already unlinked file for a part of `size` bytes in one of `dirs`, as Hadoop's
/// `LocalDirAllocator.getLocalPathForWrite` picks: round-robin from a random start, creating
/// the directory, passing over one that cannot be used or has no more than `size` bytes free.
fn create_part_file(dirs: &[PathBuf], size: u64) -> Result<(File, PathBuf), BufferError> {
    static NEXT: LazyLock<AtomicUsize> =
        LazyLock::new(|| AtomicUsize::new(rand::random::<u32>() as usize));
    if dirs.is_empty() {
        return Err(BufferError(
            "fs.s3a.buffer.dir names no directory".to_owned(),
        ));
    }
    let start = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut refused = Vec::new();
    for i in 0..dirs.len() {
        let dir = &dirs[(start + i) % dirs.len()];
        match part_file_in(dir, size) {
            Ok(f) => return Ok((f, dir.clone())),
            Err(e) => refused.push(format!("{}: {e}", dir.display())),
        }
    }
    Err(BufferError(format!(
        "no directory in fs.s3a.buffer.dir can buffer a part of {size} bytes: {}",
        refused.join("; ")
    )))
}

fn part_file_in(dir: &Path, size: u64) -> io::Result<File> {
    std::fs::create_dir_all(dir)?;
    let free = free_bytes(dir)?;
    if free <= size {
        return Err(io::Error::new(
            io::ErrorKind::StorageFull,
            format!("only {free} bytes free"),
        ));
    }
    let mut open = OpenOptions::new();
    open.read(true).write(true).mode(0o600);
    match open.clone().custom_flags(libc::O_TMPFILE).open(dir) {
        Ok(f) => Ok(f),
        // No O_TMPFILE on this file system (or kernel): create, then unlink at once.
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL)
            ) =>
        {
            let path = dir.join(format!("s3ablock-{}.tmp", uuid::Uuid::new_v4()));
            let f = open.create_new(true).open(&path)?;
            std::fs::remove_file(&path)?;
            Ok(f)
        }
        Err(e) => Err(e),
    }
}

/// Bytes an unprivileged writer may still use on `dir`'s file system.
fn free_bytes(dir: &Path) -> io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL in the path"))?;
    // SAFETY: statvfs only writes the struct it is given; the path is NUL-terminated.
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((s.f_bavail as u64).saturating_mul(s.f_frsize as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("s3adt-buffer-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    fn read(p: PartData) -> Vec<u8> {
        match p {
            PartData::Memory(b) => b.to_vec(),
            PartData::File { file, len } => {
                let mut v = vec![0; len as usize];
                file.read_exact_at(&mut v, 0).unwrap();
                v
            }
        }
    }

    #[test]
    fn a_disk_part_is_in_an_unlinked_file_in_a_created_dir() {
        let dir = scratch("disk").join("s3a");
        let dirs: Arc<[PathBuf]> = vec![dir.clone()].into();
        let mut b = PartBuffer::new(5 << 20, UploadBuffer::Disk, &dirs);
        let data: Vec<u8> = (0..(5 << 20) + 7).map(|i| (i % 251) as u8).collect();
        let mut at = 0;
        while !b.is_full() {
            at += b
                .append(data.len() - at, |dst| {
                    dst.copy_from_slice(&data[at..at + dst.len()])
                })
                .unwrap();
        }
        assert_eq!(at, 5 << 20);
        assert!(dir.is_dir(), "created");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "unlinked");
        let part = b.take().unwrap();
        assert!(matches!(part, PartData::File { .. }));
        assert_eq!(read(part), &data[..5 << 20]);
        // A small remainder stays in memory.
        b.append(7, |dst| dst.copy_from_slice(&data[at..])).unwrap();
        assert_eq!(read(b.take().unwrap()), &data[at..]);
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_disk_part_is_sent_as_read_off_the_runtime_threads() {
        let dir = scratch("body").join("s3a");
        let dirs: Arc<[PathBuf]> = vec![dir.clone()].into();
        // Past the staging buffer, so the part is in a file: several chunks and a short one.
        let data: Vec<u8> = (0..(STAGE + 3 * CHUNK + 17))
            .map(|i| (i % 251) as u8)
            .collect();
        let mut b = PartBuffer::new(8 << 20, UploadBuffer::Disk, &dirs);
        let mut done = 0;
        while done < data.len() {
            done += b
                .append(data.len() - done, |dst| {
                    dst.copy_from_slice(&data[done..done + dst.len()])
                })
                .unwrap();
        }
        let part = b.take().unwrap();
        assert!(matches!(part, PartData::File { .. }));
        // Twice: each attempt (a retry) reads the file afresh.
        for _ in 0..2 {
            let sent = crate::runtime::block_on(part.body().collect()).unwrap();
            assert_eq!(sent.into_bytes(), &data[..]);
        }
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn unusable_dirs_are_passed_over_and_named_when_none_is_left() {
        let base = scratch("dirs");
        std::fs::create_dir_all(&base).unwrap();
        let file = base.join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let bad = file.join("s3a");
        let good = base.join("good");
        let dirs = [bad.clone(), good.clone()];
        for _ in 0..3 {
            let (_, dir) = create_part_file(&dirs, 1 << 20).unwrap();
            assert_eq!(dir, good);
        }
        let e = create_part_file(std::slice::from_ref(&bad), 1 << 20)
            .unwrap_err()
            .0;
        assert_eq!(
            e,
            format!(
                "no directory in fs.s3a.buffer.dir can buffer a part of 1048576 bytes: {}: Not a directory (os error 20)",
                bad.display()
            )
        );
        let e = create_part_file(std::slice::from_ref(&good), u64::MAX - 1)
            .unwrap_err()
            .0;
        assert!(e.contains(&format!("{}: only ", good.display())), "{e}");
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn buffer_names() {
        assert_eq!(UploadBuffer::parse(" disk"), Some(UploadBuffer::Disk));
        assert_eq!(UploadBuffer::parse("Array"), Some(UploadBuffer::Array));
        assert_eq!(
            UploadBuffer::parse("bytebuffer"),
            Some(UploadBuffer::ByteBuffer)
        );
        assert_eq!(UploadBuffer::parse("heap"), None);
    }
}
