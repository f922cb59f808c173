//! Where parts wait for their upload (`fs.s3a.fast.upload.buffer`, `fs.s3a.buffer.dir`),
//! against a private moto server: `disk` and `array` write the same objects, a `disk` stream
//! leaves nothing in the buffer directory whatever way it ends, and a buffer directory that
//! cannot take a part (unusable, or on a full file system) fails the write with an error
//! naming it and aborts the upload.

mod common;

use common::conf::s3_conf as conf;
use common::moto::Moto;
use common::s3::{abort_and_drop, create_bucket, read_all, run, MIB};
use s3adt_core::conf::Configuration;
use s3adt_core::store::{S3Error, S3ErrorKind, S3Store};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

/// The endpoint of the moto server: the parent test's when run as its child.
static ENDPOINT: LazyLock<String> = LazyLock::new(|| {
    std::env::var("S3ADT_BUFFER_CHILD_MOTO").unwrap_or_else(|_| {
        static MOTO: LazyLock<Moto> = LazyLock::new(Moto::start);
        MOTO.endpoint.clone()
    })
});

fn bucket(name: &str) -> String {
    create_bucket(&ENDPOINT, name)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("s3adt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A store writing 5 MiB parts through `buffer`, in `dir`.
fn store(bucket: &str, buffer: &str, dir: &Path) -> Arc<S3Store> {
    let mut c: Configuration = conf(&ENDPOINT);
    c.set("fs.s3a.fast.upload.buffer", buffer);
    c.set("fs.s3a.buffer.dir", dir.display().to_string());
    Arc::new(S3Store::new(bucket, &c, None).unwrap())
}

fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[3] ^ seed)
        .collect()
}

/// Names in `dir` (none: it does not exist).
fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn disk_and_array_write_the_same_objects_and_disk_leaves_no_file() {
    let b = bucket("buffer-modes");
    let dir = scratch("buffer-modes").join("s3a");
    let body = data(12 * MIB + 3, 1);
    for mode in ["disk", "array", "bytebuffer"] {
        let s = store(&b, mode, &dir);
        let key = format!("{mode}/big");
        let mut w = run(s.open_write(&key));
        for piece in body.chunks(100_003) {
            run(w.write(piece)).unwrap();
            assert_eq!(files_in(&dir), Vec::<String>::new(), "{mode}: no name");
        }
        assert!(w.upload_id().is_some());
        run(w.close()).unwrap();
        let m = run(s.head(&key)).unwrap().unwrap();
        assert!(m.etag.ends_with("-3\""), "{mode}: three parts: {}", m.etag);
        assert_eq!(read_all(&s, &key), body, "{mode}");
        // One part exactly, and a small object: single PUTs.
        for len in [5 * MIB, 1000] {
            let key = format!("{mode}/{len}");
            let mut w = run(s.open_write(&key));
            run(w.write(&body[..len])).unwrap();
            assert_eq!(w.upload_id(), None);
            run(w.close()).unwrap();
            assert_eq!(read_all(&s, &key), &body[..len], "{mode} {len}");
        }
    }
    assert!(dir.is_dir(), "disk created the buffer directory");

    // Abort and drop leave neither a file nor an upload.
    let s = store(&b, "disk", &dir);
    abort_and_drop(&s, "gone/", &body[..7 * MIB]);
    assert_eq!(files_in(&dir), Vec::<String>::new());
    assert_eq!(run(s.head("gone/aborted")).unwrap(), None);
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn an_unusable_buffer_dir_is_named_and_the_upload_aborted() {
    let b = bucket("buffer-unusable");
    let base = scratch("buffer-unusable");
    let dir = base.join("s3a");
    let s = store(&b, "disk", &dir);
    let body = data(12 * MIB, 2);
    let mut w = run(s.open_write("u/obj"));
    run(w.write(&body[..6 * MIB])).unwrap();
    assert!(w.upload_id().is_some(), "the first part is on its way");
    // The directory becomes a file: the next part has nowhere to go (root may write anywhere,
    // so permissions would not stop it).
    std::fs::remove_dir(&dir).unwrap();
    std::fs::write(&dir, b"not a directory").unwrap();
    let e = run(w.write(&body[6 * MIB..])).unwrap_err();
    assert_eq!((e.kind, e.operation), (S3ErrorKind::Other, "write"));
    assert!(
        e.to_string().starts_with(&format!(
            "write on s3a://buffer-unusable/u/obj: no directory in fs.s3a.buffer.dir can buffer a part of 5242880 bytes: {}: File exists",
            dir.display()
        )),
        "{e}"
    );
    // The stream is broken: close reports the failure again and writes nothing.
    let again = run(w.close()).unwrap_err();
    assert_eq!(again.to_string(), e.to_string());
    assert!(run(s.list_uploads("u/")).unwrap().is_empty(), "aborted");
    assert_eq!(run(s.head("u/obj")).unwrap(), None);
    std::fs::remove_dir_all(&base).unwrap();
}

/// The child half of `a_full_buffer_file_system_...`, run by it in a private mount namespace
/// with `S3ADT_BUFFER_CHILD_DIR` a 16 MiB tmpfs.
#[test]
#[ignore = "the child process of a_full_buffer_file_system_is_named_and_the_upload_aborted, which runs it"]
fn child_full_buffer_file_system() {
    let dir = PathBuf::from(
        std::env::var_os("S3ADT_BUFFER_CHILD_DIR")
            .expect("run by a_full_buffer_file_system_is_named_and_the_upload_aborted"),
    );
    let b = bucket("buffer-full");
    let s = store(&b, "disk", &dir);
    let body = data(8 * MIB, 3);
    let free = || {
        let out = std::process::Command::new("df")
            .args(["-B1", "--output=avail"])
            .arg(&dir)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse::<usize>()
            .unwrap()
    };
    // Wait until the parts sent have been uploaded and their files are gone (at most
    // `in_files` bytes buffered), then fill the file system but `keep_free` bytes.
    let fill = |name: &str, in_files: usize, keep_free: usize| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while free() + in_files < 16 * MIB {
            assert!(Instant::now() < deadline, "a sent part's file stayed");
            std::thread::sleep(Duration::from_millis(20));
        }
        let len = free().saturating_sub(keep_free);
        // Filling it to the last byte may end in ENOSPC itself.
        let _ = std::fs::write(dir.join(name), vec![7u8; len]);
    };
    // The write failed naming `text`, and its upload was aborted.
    let failed_and_aborted = |e: S3Error, text: &str| {
        assert!(e.to_string().contains(text), "{e}");
        assert!(run(s.list_uploads("f/")).unwrap().is_empty(), "aborted");
    };

    // No room for a whole part when the second part needs its file.
    let mut w = run(s.open_write("f/no-room"));
    run(w.write(&body[..5 * MIB + 1])).unwrap();
    assert!(w.upload_id().is_some());
    fill("filler-1", 0, 2 * MIB);
    let e = run(w.write(&body[5 * MIB + 1..])).unwrap_err();
    let d = dir.display();
    failed_and_aborted(
        e,
        &format!(
            "no directory in fs.s3a.buffer.dir can buffer a part of 5242880 bytes: {d}: only "
        ),
    );
    std::fs::remove_file(dir.join("filler-1")).unwrap();

    // Room when the file is made, none a moment later: ENOSPC while writing it.
    let mut w = run(s.open_write("f/enospc"));
    run(w.write(&body[..5 * MIB + 2 * MIB])).unwrap();
    assert!(w.upload_id().is_some());
    fill("filler-2", 2 * MIB, 0);
    let e = run(async {
        let mut r = Ok(());
        for piece in body.chunks(MIB) {
            r = w.write(piece).await;
            if r.is_err() {
                break;
            }
        }
        r
    })
    .unwrap_err();
    failed_and_aborted(
        e,
        &format!("cannot buffer a part in {d} (fs.s3a.buffer.dir): No space left on device"),
    );
    drop(w);
    assert_eq!(files_in(&dir), vec!["filler-2".to_owned()]);
}

#[test]
fn a_full_buffer_file_system_is_named_and_the_upload_aborted() {
    let dir = scratch("buffer-full");
    std::fs::create_dir_all(&dir).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    // A private mount namespace (mapped to root when not root): the tmpfs goes with the child.
    let script = format!(
        "mount -t tmpfs -o size=16m s3adt-test {dir} && exec \"$0\" --exact child_full_buffer_file_system --ignored --test-threads=1",
        dir = dir.display()
    );
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(if root { &["-m"][..] } else { &["-r", "-m"][..] })
        .args(["sh", "-c", &script])
        .arg(std::env::current_exe().unwrap())
        .env("S3ADT_BUFFER_CHILD_MOTO", &*ENDPOINT)
        .env("S3ADT_BUFFER_CHILD_DIR", &dir);
    let out = cmd.output().expect("unshare (util-linux)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 passed"), "the child test ran: {text}");
    assert_eq!(
        files_in(&dir),
        Vec::<String>::new(),
        "the tmpfs went with it"
    );
    std::fs::remove_dir(&dir).unwrap();
}
