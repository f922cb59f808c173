//! The token file on disk: read only from a regular file of bounded size, written atomically through
//! an exclusively created temporary file beside the target (mode 0600, no symlink followed, fsynced,
//! removed on any failure).

use crate::secret::Wiped;
use std::path::Path;

/// The largest token file read: token files are kilobytes (Hadoop caps one identifier at 1 MiB).
pub const MAX_TOKEN_FILE_BYTES: u64 = 64 << 20;

/// The whole of a regular file of at most [`MAX_TOKEN_FILE_BYTES`], in a buffer wiped on drop
/// (it holds credentials). The type and size are checked on the opened descriptor, so the file
/// cannot be swapped between the check and the read.
pub(super) fn read_bounded(path: &Path) -> std::io::Result<Wiped> {
    use std::io::{Error as IoError, ErrorKind, Read};
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // A FIFO with no writer would block the open itself; with O_NONBLOCK the open returns and
    // the type check below refuses it. Reads of a regular file ignore the flag.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        #[cfg(unix)]
        return Err(IoError::from_raw_os_error(libc::EISDIR));
    }
    if !meta.is_file() {
        return Err(IoError::new(
            ErrorKind::InvalidInput,
            format!(
                "not a regular file ({}), not read as a token file",
                file_type_name(&meta)
            ),
        ));
    }
    let too_big = || {
        IoError::new(
            ErrorKind::InvalidData,
            format!(
                "larger than {} MiB, the limit for a token file; not read",
                MAX_TOKEN_FILE_BYTES >> 20
            ),
        )
    };
    if meta.len() > MAX_TOKEN_FILE_BYTES {
        return Err(too_big());
    }
    // Room for the whole file and the read that sees its end, so the buffer is not regrown
    // (a regrown Vec would leave an unwiped copy behind). A file that grows meanwhile is
    // still read into wiped buffers, and no further than the limit.
    let mut buf = Wiped::with_capacity(meta.len() as usize + 64);
    let mut reader = file.take(MAX_TOKEN_FILE_BYTES + 1);
    loop {
        if buf.len() == buf.capacity() {
            let mut bigger = Vec::with_capacity(buf.capacity() * 2);
            bigger.extend_from_slice(&buf);
            buf = Wiped::new(bigger);
        }
        let len = buf.len();
        let spare = buf.capacity() - len;
        buf.resize(len + spare, 0);
        match reader.read(&mut buf[len..]) {
            Ok(n) => {
                buf.truncate(len + n);
                if n == 0 {
                    break;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => return Err(e),
        }
    }
    if buf.len() as u64 > MAX_TOKEN_FILE_BYTES {
        return Err(too_big());
    }
    Ok(buf)
}

fn file_type_name(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a file"
}

/// How many random temporary names are tried before giving up (each clash means someone else
/// made a file of that name; 64 random bits make a chance clash practically impossible).
const TEMP_ATTEMPTS: u32 = 8;

/// Write `bytes` to a new temporary file beside `path`, fsync it, rename it over `path` and
/// fsync the directory. On any failure the temporary file is removed and `path` is untouched.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let (tmp, mut file) = create_temp_beside(path)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename is durable once the directory is; a failure here does not undo the write.
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(parent_dir(path)) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new file `.NAME.RANDOM.tmp` beside `path`, created exclusively (`O_CREAT|O_EXCL`, and
/// `O_NOFOLLOW`): an existing file or symlink of that name is never opened, so two writers (in
/// one process or not) never share one and nobody can plant one. Mode 0600, set on the
/// descriptor too, since the create mode only applies through the umask.
fn create_temp_beside(path: &Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tokens".into());
    // Keep `.NAME.<16 hex>.tmp` within the usual 255-byte name limit.
    if name.len() > 200 {
        let mut cut = 200;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    let mut last = None;
    for _ in 0..TEMP_ATTEMPTS {
        let tmp = path.with_file_name(format!(".{name}.{:016x}.tmp", rand::random::<u64>()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        match options.open(&tmp) {
            Ok(file) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    if let Err(e) = file.set_permissions(std::fs::Permissions::from_mode(0o600)) {
                        drop(file);
                        let _ = std::fs::remove_file(&tmp);
                        return Err(e);
                    }
                }
                return Ok((tmp, file));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AlreadyExists)))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::secret::SecretBytes;
    use crate::token_file::{TokenFile, TokenFileFormat};
    use crate::Token;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::path::PathBuf;

    /// A fresh directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "s3adt-tokfile-{}-{name}-{:x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A file with one token whose identifier is `n` bytes of `fill` and one secret.
    fn file_of(fill: u8, n: usize) -> TokenFile {
        let mut f = TokenFile::new();
        f.add_token(
            "s3a://b".into(),
            Token::new(vec![fill; n], b"pw", "K".into(), "s3a://b".into()),
        );
        f.add_secret("k".into(), SecretBytes::new(vec![fill; 8]));
        f
    }

    /// Names in `dir` other than `keep`.
    fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !keep.contains(&n.as_str()))
            .collect()
    }

    /// `dir` holds t.tok and nothing else (no temp file left behind); then it is removed.
    fn only_the_token_file_left(dir: &Path) {
        let left = others(dir, &["t.tok"]);
        assert!(left.is_empty(), "{left:?}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn concurrent_writers_never_share_a_temp_file() {
        let dir = scratch("conc");
        let path = dir.join("t.tok");
        let threads: Vec<_> = (0..8u8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let f = file_of(i + 1, 4000 + i as usize * 100);
                    for _ in 0..25 {
                        f.write_path(&path, TokenFileFormat::Writable).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // Whole, one writer's file, never a mix of two.
        let (back, _) = TokenFile::read_path(&path).unwrap();
        let id = &back.token(&"s3a://b".into()).unwrap().identifier;
        let fill = id[0];
        assert!((1..=8).contains(&fill));
        assert_eq!(*back.tokens(), *file_of(fill, id.len()).tokens());
        assert_eq!(id.len(), 4000 + (fill as usize - 1) * 100);
        assert_eq!(mode(&path), 0o600);
        only_the_token_file_left(&dir);
    }

    #[test]
    fn planted_files_and_symlinks_are_neither_followed_nor_reused() {
        let dir = scratch("plant");
        let victim = dir.join("victim");
        std::fs::write(&victim, b"victim's data").unwrap();
        let path = dir.join("t.tok");
        // The name the old code used, and a symlink, as another user would plant them.
        let old_name = dir.join(format!(".t.tok.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &old_name).unwrap();
        // A file at the target, world-readable and -writable, as another user's would be.
        std::fs::write(&path, b"planted").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let planted_inode = std::fs::metadata(&path).unwrap().ino();
        file_of(7, 300)
            .write_path(&path, TokenFileFormat::Writable)
            .unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"victim's data");
        assert_eq!(std::fs::read_link(&old_name).unwrap(), victim);
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.is_file());
        assert_ne!(meta.ino(), planted_inode, "a new file, not the planted one");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(TokenFile::read_path(&path).unwrap().0, file_of(7, 300));

        // A symlink at the target itself is replaced by the file, its target left alone.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        file_of(8, 300)
            .write_path(&path, TokenFileFormat::Protobuf)
            .unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"victim's data");
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        assert_eq!(mode(&path), 0o600);
        assert_eq!(TokenFile::read_path(&path).unwrap().0, file_of(8, 300));
        let mut left = others(&dir, &["t.tok", "victim"]);
        left.sort();
        assert_eq!(left, vec![format!(".t.tok.{}.tmp", std::process::id())]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_temp_name_that_exists_is_never_opened() {
        let dir = scratch("excl");
        let path = dir.join("t.tok");
        let (tmp, file) = create_temp_beside(&path).unwrap();
        drop(file);
        let name = tmp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".t.tok.") && name.ends_with(".tmp"),
            "{name}"
        );
        assert_eq!(mode(&tmp), 0o600);
        // Two temp files for one target: different names.
        let (tmp2, _) = create_temp_beside(&path).unwrap();
        assert_ne!(tmp, tmp2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Run as a child of `a_failed_write_leaves_no_temp_file` under RLIMIT_FSIZE.
    /// The child half of the next test, run by it in a process under a file-size limit.
    #[test]
    #[ignore = "the child process of a_failed_write_leaves_no_temp_file_and_the_old_file, which runs it"]
    fn child_write_under_a_file_size_limit() {
        let dir = std::env::var_os("S3ADT_FSIZE_CHILD_DIR")
            .expect("run by a_failed_write_leaves_no_temp_file_and_the_old_file");
        let path = PathBuf::from(dir).join("t.tok");
        let err = file_of(9, 8192)
            .write_path(&path, TokenFileFormat::Writable)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.tok") && err.contains("File too large"),
            "{err}"
        );
    }

    #[test]
    fn a_failed_write_leaves_no_temp_file_and_the_old_file() {
        use std::os::unix::process::CommandExt;
        let dir = scratch("fsize");
        let path = dir.join("t.tok");
        file_of(1, 100)
            .write_path(&path, TokenFileFormat::Writable)
            .unwrap();
        let old = std::fs::read(&path).unwrap();
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args([
                "--exact",
                "token_file::io::tests::child_write_under_a_file_size_limit",
                "--ignored",
                "--test-threads=1",
            ])
            .env("S3ADT_FSIZE_CHILD_DIR", &dir);
        // 1 KiB, and EFBIG instead of SIGXFSZ: the write fails part-way, after 1 KiB of
        // credentials reached the temporary file.
        unsafe {
            child.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 1024,
                    rlim_max: 1024,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0
                    || libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let out = child.output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("1 passed"),
            "the child test ran"
        );
        assert_eq!(std::fs::read(&path).unwrap(), old);
        only_the_token_file_left(&dir);
    }

    #[test]
    fn only_regular_files_of_bounded_size_are_read() {
        let dir = scratch("read");
        let err = |p: &Path| TokenFile::read_path(p).unwrap_err().to_string();
        let zero = err(Path::new("/dev/zero"));
        assert_eq!(
            zero,
            "/dev/zero: not a regular file (a character device), not read as a token file"
        );
        assert_eq!(
            err(&dir),
            format!("{}: Is a directory (os error 21)", dir.display())
        );
        let big = dir.join("big.tok");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_TOKEN_FILE_BYTES + 1).unwrap();
        assert_eq!(
            err(&big),
            format!(
                "{}: larger than 64 MiB, the limit for a token file; not read",
                big.display()
            )
        );
        // Exactly the limit is read (and then fails as not a token file).
        f.set_len(MAX_TOKEN_FILE_BYTES).unwrap();
        assert!(
            err(&big).ends_with("Bad header found in token storage."),
            "{}",
            err(&big)
        );
        std::fs::remove_file(&big).unwrap();

        // A FIFO with no writer: refused, not waited on. The thread only guards against a hang.
        let fifo = dir.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        let f2 = fifo.clone();
        std::thread::spawn(move || tx.send(TokenFile::read_path(&f2).map(|_| ())));
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("reading a FIFO blocked");
        assert_eq!(
            got.unwrap_err().to_string(),
            format!(
                "{}: not a regular file (a FIFO), not read as a token file",
                fifo.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
