//! The S3 data path against a private moto server on loopback: every operation the JNI store
//! uses, with real failures (injected by a proxy in front of moto) and real multipart uploads.
//! Moto does not enforce SSE-C or signatures, so what requests carry (encryption headers, the
//! token's access key) is checked on the wire by a recording proxy.

mod common;

use common::conf::s3_conf as conf;
use common::moto::{Fault, FaultProxy, Moto};
use s3adt_core::auth::issue::{new_identifier, TokenRequest};
use s3adt_core::conf::{keys, Configuration};
use s3adt_core::store::{ListEntry, S3ErrorKind, S3Store, TokenLookup};
use s3adt_core::*;
use s3adt_token::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, LazyLock, Mutex, RwLock};
use std::time::{Duration, Instant};

static MOTO: LazyLock<Moto> = LazyLock::new(Moto::start);

const MIB: usize = 1024 * 1024;

fn run<F: std::future::Future>(f: F) -> F::Output {
    s3adt_core::runtime::block_on(f)
}

/// A bucket of its own for each test.
fn bucket(name: &str) -> String {
    let out = std::process::Command::new("curl")
        .args(["-sf", "-X", "PUT", &format!("{}/{name}", MOTO.endpoint)])
        .output()
        .unwrap();
    assert!(out.status.success(), "creating bucket {name}");
    name.to_owned()
}

fn store(bucket: &str, c: &Configuration) -> Arc<S3Store> {
    Arc::new(S3Store::new(bucket, c, None).unwrap())
}

/// Deterministic bytes that differ at every offset a test reads.
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn put(s: &Arc<S3Store>, key: &str, bytes: &[u8]) {
    run(async {
        let mut w = s.open_write(key).await;
        w.write(bytes).await?;
        w.close().await
    })
    .unwrap();
}

fn read_all(s: &Arc<S3Store>, key: &str) -> Vec<u8> {
    run(async {
        let mut r = s.open_read(key, None).await?;
        let mut out = vec![0u8; r.length() as usize];
        let mut at = 0;
        while at < out.len() {
            let n = r
                .read(at as u64, &mut out[at..])
                .await?
                .expect("not at EOF");
            at += n;
        }
        assert_eq!(r.read(at as u64, &mut [0u8; 8]).await?, None);
        Ok::<_, store::S3Error>(out)
    })
    .unwrap()
}

fn keys_of(entries: &[ListEntry]) -> Vec<String> {
    entries.iter().map(|e| e.key().to_owned()).collect()
}

#[test]
fn head_put_list_copy_delete() {
    let b = bucket("data-basic");
    let s = store(&b, &conf(&MOTO.endpoint));
    run(s.put_empty("dir/")).unwrap();
    put(&s, "dir/a.txt", b"hello, s3adt");
    put(&s, "dir/sub/c.txt", b"deeper");
    put(&s, "top.txt", b"");

    let m = run(s.head("dir/a.txt")).unwrap().expect("exists");
    assert_eq!(m.length, 12);
    assert!(
        m.etag.starts_with('"') && !m.etag.contains('-'),
        "{}",
        m.etag
    );
    assert!((m.last_modified - auth::consume::now_ms()).abs() < 120_000);
    assert_eq!(run(s.head("dir/missing")).unwrap(), None);
    assert_eq!(run(s.head("top.txt")).unwrap().unwrap().length, 0);

    let root = run(s.list("", false, 0)).unwrap();
    assert_eq!(keys_of(&root), ["dir/", "top.txt"]);
    assert!(matches!(&root[0], ListEntry::Prefix(_)));
    let dir = run(s.list("dir/", false, 0)).unwrap();
    assert_eq!(keys_of(&dir), ["dir/", "dir/a.txt", "dir/sub/"]);
    match &dir[1] {
        ListEntry::Object(o) => assert_eq!((o.length, &o.etag), (12, &m.etag)),
        other => panic!("{other:?}"),
    }
    let all = run(s.list("dir/", true, 0)).unwrap();
    assert_eq!(keys_of(&all), ["dir/", "dir/a.txt", "dir/sub/c.txt"]);
    assert_eq!(run(s.list("dir/", true, 1)).unwrap().len(), 1);
    assert!(run(s.list("nothing/", true, 1)).unwrap().is_empty());

    run(s.copy("dir/a.txt", "dir/b.txt")).unwrap();
    assert_eq!(read_all(&s, "dir/b.txt"), b"hello, s3adt");
    let e = run(s.copy("dir/none", "dir/x")).unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::NotFound, "{e}");
    assert!(e.to_string().contains("s3a://data-basic/dir/none"), "{e}");

    // Missing keys are no error.
    run(s.delete_keys(&[
        "dir/a.txt".into(),
        "dir/b.txt".into(),
        "dir/never-was".into(),
    ]))
    .unwrap();
    assert_eq!(run(s.head("dir/a.txt")).unwrap(), None);
    assert_eq!(
        keys_of(&run(s.list("dir/", true, 0)).unwrap()),
        ["dir/", "dir/sub/c.txt"]
    );
}

#[test]
fn listing_and_deleting_past_a_thousand_keys() {
    let b = bucket("data-many");
    let s = store(&b, &conf(&MOTO.endpoint));
    let n = 1105;
    let keys: Vec<String> = (0..n).map(|i| format!("many/k{i:05}")).collect();
    run(async {
        let mut set = tokio::task::JoinSet::new();
        for chunk in keys.chunks(n / 8 + 1) {
            let (s, chunk) = (s.clone(), chunk.to_vec());
            set.spawn(async move {
                for k in chunk {
                    s.put_empty(&k).await.unwrap();
                }
            });
        }
        while let Some(r) = set.join_next().await {
            r.unwrap();
        }
    });
    run(s.put_empty("many/sub/x")).unwrap();

    // Through a counting proxy: two pages.
    let proxy = FaultProxy::start(MOTO.port, vec![]);
    let via = store(&b, &conf(&proxy.endpoint));
    let listed = run(via.list("many/", false, 0)).unwrap();
    assert_eq!(listed.len(), n + 1);
    assert_eq!(keys_of(&listed[..n]), keys);
    assert_eq!(listed[n].key(), "many/sub/");
    assert_eq!(proxy.requests(), 2, "1105 keys are two pages");
    assert_eq!(run(via.list("many/", true, 0)).unwrap().len(), n + 1);
    // maxEntries asks for one small page.
    let before = proxy.requests();
    assert_eq!(run(via.list("many/", true, 3)).unwrap().len(), 3);
    assert_eq!(proxy.requests(), before + 1);

    let before = proxy.requests();
    run(via.delete_keys(&keys)).unwrap();
    assert_eq!(proxy.requests(), before + 2, "two DeleteObjects batches");
    assert_eq!(
        keys_of(&run(s.list("many/", true, 0)).unwrap()),
        ["many/sub/x"]
    );
}

/// `fs.s3a.multiobjectdelete.enable=false` (for stores such as Ceph RGW that refuse
/// DeleteObjects to sessions with a session policy): one DeleteObject per key.
#[test]
fn single_object_deletes_when_multi_object_delete_is_off() {
    let b = bucket("data-single-delete");
    let s = store(&b, &conf(&MOTO.endpoint));
    let keys: Vec<String> = (0..3).map(|i| format!("d/k{i}")).collect();
    for k in &keys {
        run(s.put_empty(k)).unwrap();
    }
    let proxy = FaultProxy::start(MOTO.port, vec![]);
    let mut c = conf(&proxy.endpoint);
    c.set("fs.s3a.multiobjectdelete.enable", "false");
    let via = store(&b, &c);
    // a key that does not exist is no error, as with DeleteObjects
    let mut with_missing = keys.clone();
    with_missing.push("d/never-written".to_owned());
    run(via.delete_keys(&with_missing)).unwrap();
    assert_eq!(proxy.requests(), 4, "one DeleteObject per key");
    assert!(run(s.list("d/", true, 0)).unwrap().is_empty());
}

#[test]
fn reads_reuse_one_get_and_seeks_start_ranged_ones() {
    let b = bucket("data-read");
    let s = store(&b, &conf(&MOTO.endpoint));
    let body = data(3 * MIB + 17, 1);
    put(&s, "r/obj", &body);

    // Sequential: one GET for the whole object, read in small pieces.
    let mut r = run(s.open_read("r/obj", None)).unwrap();
    assert_eq!(r.length(), body.len() as u64);
    let mut got = Vec::new();
    let mut buf = vec![0u8; 64 * 1024 + 3];
    while let Some(n) = run(r.read(got.len() as u64, &mut buf)).unwrap() {
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, body);
    assert_eq!(r.gets(), 1, "a sequential read is one GET");

    // Known length: nothing until the first read; short forward skips read on.
    let mut r = run(s.open_read("r/obj", Some(body.len() as u64))).unwrap();
    assert_eq!(r.gets(), 0);
    let mut b100 = [0u8; 100];
    let at = |p: usize| &body[p..p + 100];
    assert_eq!(run(r.read(0, &mut b100)).unwrap(), Some(100));
    assert_eq!(&b100, at(0));
    assert_eq!(run(r.read(1100, &mut b100)).unwrap(), Some(100));
    assert_eq!(&b100, at(1100));
    assert_eq!(r.gets(), 1, "a 1000-byte skip reads on");
    // Far forward: a new GET.
    assert_eq!(run(r.read(2 * MIB as u64, &mut b100)).unwrap(), Some(100));
    assert_eq!(&b100, at(2 * MIB));
    assert_eq!((r.gets(), r.is_random()), (2, false));
    // Backward: a new, bounded GET, and random from now on.
    assert_eq!(run(r.read(10, &mut b100)).unwrap(), Some(100));
    assert_eq!(&b100, at(10));
    assert_eq!((r.gets(), r.is_random()), (3, true));
    // A read crossing the end of the random range continues with the next range.
    let mut big = vec![0u8; 200 * 1024];
    assert_eq!(run(r.read(20, &mut big)).unwrap(), Some(big.len()));
    assert_eq!(big, &body[20..20 + big.len()]);

    // EOF semantics.
    let len = body.len() as u64;
    assert_eq!(run(r.read(len, &mut b100)).unwrap(), None);
    assert_eq!(run(r.read(len + 100, &mut b100)).unwrap(), None);
    assert_eq!(run(r.read(len - 5, &mut b100)).unwrap(), Some(5));
    assert_eq!(&b100[..5], &body[body.len() - 5..]);
    assert_eq!(run(r.read(len, &mut [])).unwrap(), Some(0));

    // Empty and missing objects.
    put(&s, "r/empty", b"");
    let mut e = run(s.open_read("r/empty", None)).unwrap();
    assert_eq!(e.length(), 0);
    assert_eq!(run(e.read(0, &mut b100)).unwrap(), None);
    let err = run(s.open_read("r/none", None)).unwrap_err();
    assert_eq!(err.kind, S3ErrorKind::NotFound, "{err}");
}

#[test]
fn an_overwritten_object_fails_the_read_instead_of_mixing_versions() {
    let b = bucket("data-changed");
    let s = store(&b, &conf(&MOTO.endpoint));
    put(&s, "c/obj", &data(MIB, 2));
    let mut r = run(s.open_read("c/obj", None)).unwrap();
    let mut buf = [0u8; 10];
    run(r.read(0, &mut buf)).unwrap();
    put(&s, "c/obj", &data(MIB, 3));
    // A backward seek needs a new GET, which pins the first ETag.
    let e = run(async {
        r.read(900_000, &mut buf).await?;
        r.read(0, &mut buf).await
    })
    .unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::Changed, "{e}");
    assert!(e.message.contains("changed while it was read"), "{e}");
}

#[test]
fn small_objects_are_one_put_and_large_ones_multipart() {
    let b = bucket("data-write");
    let s = store(&b, &conf(&MOTO.endpoint));

    // Exactly one part: still a single PUT.
    let one = data(5 * MIB, 4);
    let mut w = run(s.open_write("w/one"));
    run(w.write(&one)).unwrap();
    assert_eq!(w.upload_id(), None);
    run(w.close()).unwrap();
    assert!(!run(s.head("w/one")).unwrap().unwrap().etag.contains('-'));

    // 12 MiB + 3 in odd-sized writes: three parts, uploaded while writing.
    let body = data(12 * MIB + 3, 5);
    let mut w = run(s.open_write("w/big"));
    for piece in body.chunks(100_003) {
        run(w.write(piece)).unwrap();
    }
    assert!(w.upload_id().is_some(), "multipart once past one part");
    assert_eq!(
        run(s.head("w/big")).unwrap(),
        None,
        "nothing visible before close"
    );
    assert_eq!(run(s.list_uploads("w/")).unwrap().len(), 1);
    run(w.close()).unwrap();
    let m = run(s.head("w/big")).unwrap().unwrap();
    assert_eq!(m.length, body.len() as u64);
    assert!(m.etag.ends_with("-3\""), "three parts: {}", m.etag);
    assert_eq!(read_all(&s, "w/big"), body);
    assert!(run(s.list_uploads("w/")).unwrap().is_empty());

    // Multipart copy above the threshold.
    let mut c = conf(&MOTO.endpoint);
    c.set("fs.s3a.multipart.threshold", "5M");
    let s2 = store(&b, &c);
    run(s2.copy("w/big", "w/big-copy")).unwrap();
    let copied = run(s.head("w/big-copy")).unwrap().unwrap();
    assert_eq!(copied.length, body.len() as u64);
    assert!(
        copied.etag.ends_with("-3\""),
        "copied in parts: {}",
        copied.etag
    );
    assert_eq!(read_all(&s, "w/big-copy"), body);
}

#[test]
fn slowdown_and_5xx_are_retried_then_succeed() {
    let b = bucket("data-retry");
    let proxy = FaultProxy::start(
        MOTO.port,
        vec![
            Fault::Error(503, "SlowDown"),
            Fault::Error(503, "SlowDown"),
            Fault::Error(500, "InternalError"),
            Fault::Drop,
        ],
    );
    let s = store(&b, &conf(&proxy.endpoint));
    run(s.put_empty("retry/x")).unwrap();
    assert_eq!(
        proxy.requests(),
        5,
        "four faults, then the PUT went through"
    );
    assert!(run(s.head("retry/x")).unwrap().is_some());

    // The budget is bounded, and the error says what S3 said.
    let proxy = FaultProxy::start(MOTO.port, vec![Fault::Error(503, "SlowDown"); 20]);
    let mut c = conf(&proxy.endpoint);
    c.set("fs.s3a.retry.throttle.limit", "2");
    let e = run(store(&b, &c).list("retry/", true, 0)).unwrap_err();
    assert_eq!(proxy.requests(), 3);
    assert_eq!(
        (e.kind, e.status, e.attempts),
        (S3ErrorKind::Other, Some(503), 3)
    );
    assert_eq!(e.code.as_deref(), Some("SlowDown"));
    assert!(
        e.to_string()
            .starts_with("listObjects on s3a://data-retry/retry/: SlowDown: injected SlowDown"),
        "{e}"
    );
}

#[test]
fn access_denied_fails_at_once() {
    let b = bucket("data-denied");
    let proxy = FaultProxy::start(MOTO.port, vec![Fault::Error(403, "AccessDenied"); 3]);
    let s = store(&b, &conf(&proxy.endpoint));
    let e = run(s.list("x/", true, 0)).unwrap_err();
    assert_eq!((e.kind, e.attempts), (S3ErrorKind::AccessDenied, 1));
    assert_eq!(proxy.requests(), 1);
}

#[test]
fn a_failed_part_aborts_the_upload() {
    let b = bucket("data-abort");
    let direct = store(&b, &conf(&MOTO.endpoint));
    // The second part is refused; the others go through.
    let proxy = Recorder::failing(Arc::new(|head: &str| {
        let line = head.lines().next().unwrap_or_default();
        (line.contains("partnumber=2&") || line.contains("partnumber=2 "))
            .then_some((403, "AccessDenied"))
    }));
    let s = store(&b, &conf(&proxy.endpoint));
    let body = data(16 * MIB, 6);
    let (written, closed) = run(async {
        let mut w = s.open_write("abort/obj").await;
        let mut written = Ok(());
        for piece in body.chunks(MIB) {
            written = w.write(piece).await;
            if written.is_err() {
                break;
            }
        }
        (written, w.close().await)
    });
    // The failure surfaces at the first write after the part failed, or at close; a close
    // after a failed write reports it again and writes nothing.
    let e = closed.unwrap_err();
    if let Err(w) = written {
        assert_eq!((w.kind, w.operation), (e.kind, e.operation));
    }
    assert_eq!(e.kind, S3ErrorKind::AccessDenied, "{e}");
    assert_eq!(e.operation, "uploadPart");
    assert!(
        run(direct.list_uploads("abort/")).unwrap().is_empty(),
        "aborted"
    );
    let heads = proxy.take();
    assert!(
        heads.iter().any(|h| h.starts_with("delete ")),
        "an AbortMultipartUpload was sent"
    );
    assert_eq!(run(direct.head("abort/obj")).unwrap(), None);

    // An explicit abort, and a stream dropped unfinished, leave no upload either.
    let mut w = run(direct.open_write("abort/explicit"));
    run(w.write(&body[..6 * MIB])).unwrap();
    assert!(w.upload_id().is_some());
    run(w.abort()).unwrap();
    let mut w = run(direct.open_write("abort/dropped"));
    run(w.write(&body[..6 * MIB])).unwrap();
    drop(w);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !run(direct.list_uploads("abort/")).unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the dropped stream's upload was not aborted"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(run(direct.head("abort/explicit")).unwrap(), None);
}

fn token_for(
    bucket: &str,
    access_key: &str,
    expiration: i64,
    enc: EncryptionSecrets,
) -> S3ATokenIdentifier {
    new_identifier(
        S3ATokenKind::Session,
        &TokenRequest {
            bucket: bucket.into(),
            owner: "alice".into(),
            renewer: "yarn".into(),
        },
        "test".into(),
        enc,
        MarshalledCredentials {
            access_key: access_key.into(),
            secret_key: "tokensecret".into(),
            session_token: "tokensession".into(),
            role_arn: String::new(),
            expiration,
        },
    )
}

fn lookup(slot: &Arc<RwLock<Option<S3ATokenIdentifier>>>) -> TokenLookup {
    let slot = slot.clone();
    Arc::new(move || slot.read().unwrap().clone())
}

#[test]
fn an_expired_token_is_refused_before_any_request() {
    let b = bucket("data-expired");
    let proxy = FaultProxy::start(MOTO.port, vec![]);
    let id = token_for(
        &b,
        "AKIATOKEN",
        auth::consume::now_ms() - 1000,
        EncryptionSecrets::default(),
    );
    let slot = Arc::new(RwLock::new(Some(id.clone())));
    let s = Arc::new(S3Store::new(&b, &conf(&proxy.endpoint), Some(lookup(&slot))).unwrap());
    let e = run(s.head("x")).unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::Token);
    let expected = format!(
        "the delegation token for s3a://data-expired expired at {}",
        javatime::iso_date_time_utc(id.credentials.expiration)
    );
    assert!(e.to_string().contains(&expected), "{e}");
    let e = run(async {
        let mut w = s.open_write("x").await;
        w.write(b"data").await?;
        w.close().await
    })
    .unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::Token);
    assert_eq!(
        run(s.open_read("x", None)).unwrap_err().kind,
        S3ErrorKind::Token
    );
    assert_eq!(
        run(s.list("", true, 0)).unwrap_err().kind,
        S3ErrorKind::Token
    );
    assert_eq!(proxy.requests(), 0, "nothing reached S3");
}

/// Which requests a [`Recorder`] answers itself, with an S3 error (status, code), given the
/// request's lower-cased head.
type FailWhen = Arc<dyn Fn(&str) -> Option<(u16, &'static str)> + Send + Sync>;

/// A loopback proxy that records each request's head (lower-cased) and forwards it to moto,
/// or fails the requests `fail` picks. Unlike FaultProxy it picks by request, not by
/// connection order, and relays binary bodies.
struct Recorder {
    endpoint: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start() -> Recorder {
        Self::failing(Arc::new(|_: &str| None))
    }

    fn failing(fail: FailWhen) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (seen, fail) = (seen.clone(), fail.clone());
                std::thread::spawn(move || relay(conn, &seen, &*fail));
            }
        });
        Recorder { endpoint, heads }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.heads.lock().unwrap())
    }
}

/// One request per connection (the upstream is asked to close), as FaultProxy does.
fn relay(
    mut c: TcpStream,
    seen: &Mutex<Vec<String>>,
    fail: &(dyn Fn(&str) -> Option<(u16, &'static str)> + Send + Sync),
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let head_end = loop {
        let Ok(n) = c.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len = head
        .to_ascii_lowercase()
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0usize);
    while buf.len() < head_end + 4 + len {
        let Ok(n) = c.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let lower = head.to_ascii_lowercase();
    seen.lock().unwrap().push(lower.clone());
    if let Some((status, code)) = fail(&lower) {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected {code}</Message></Error>"
        );
        let _ = c.write_all(
            format!(
                "HTTP/1.1 {status} Injected\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        );
        return;
    }
    let kept: Vec<&str> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let mut fwd = kept.join("\r\n").into_bytes();
    fwd.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    fwd.extend_from_slice(&buf[head_end + 4..]);
    let Ok(mut up) = TcpStream::connect(("127.0.0.1", MOTO.port)) else {
        return;
    };
    let _ = up.write_all(&fwd);
    let mut resp = Vec::new();
    let _ = up.read_to_end(&mut resp);
    let _ = c.write_all(&resp);
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::trim))
}

#[test]
fn a_bound_token_signs_and_encrypts_and_a_rebind_applies_at_once() {
    use base64::Engine;
    let b = bucket("data-token");
    let rec = Recorder::start();
    let mut c = conf(&rec.endpoint);
    // Configured encryption, which a bound token's secrets replace.
    c.set(keys::ENCRYPTION_ALGORITHM, "AES256");
    let slot = Arc::new(RwLock::new(None));
    let s = Arc::new(S3Store::new(&b, &c, Some(lookup(&slot))).unwrap());

    // Not bound: the login credentials and the configured SSE-S3.
    put(&s, "t/login", b"x");
    let heads = rec.take();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].contains("credential=akialogin/"), "{}", heads[0]);
    assert_eq!(
        header(&heads[0], "x-amz-server-side-encryption"),
        Some("aes256")
    );

    // Bound (after the store was built): the token's credentials and its SSE-C key.
    let key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let md5 = {
        use md5::Digest;
        base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest([9u8; 32]))
    };
    let enc = EncryptionSecrets {
        algorithm: "SSE-C".into(),
        key: key.as_str().into(),
        ..Default::default()
    };
    *slot.write().unwrap() = Some(token_for(
        &b,
        "AKIATOKEN",
        auth::consume::now_ms() + 3_600_000,
        enc,
    ));
    let body = data(11 * MIB, 7);
    put(&s, "t/big", &body);
    assert!(run(s.head("t/big")).unwrap().is_some());
    assert_eq!(read_all(&s, "t/big"), body);
    run(s.copy("t/big", "t/big-copy")).unwrap();
    let heads = rec.take();
    // create, 3 parts, complete, head, (open GET), head (copy), copy.
    assert!(heads.len() >= 8, "{}", heads.len());
    for h in &heads {
        let line = h.lines().next().unwrap_or_default();
        assert!(h.contains("credential=akiatoken/"), "{line}");
        assert_eq!(
            header(h, "x-amz-security-token"),
            Some("tokensession"),
            "{line}"
        );
        assert_eq!(header(h, "x-amz-server-side-encryption"), None, "{line}");
        // Every request here reads or writes object data: each carries the key.
        assert_eq!(
            header(h, "x-amz-server-side-encryption-customer-algorithm"),
            Some("aes256"),
            "{line}"
        );
        assert_eq!(
            header(h, "x-amz-server-side-encryption-customer-key-md5"),
            Some(md5.to_ascii_lowercase().as_str()),
            "{line}"
        );
    }
    let copy = heads
        .iter()
        .find(|h| h.contains("x-amz-copy-source:"))
        .expect("a CopyObject request");
    assert_eq!(
        header(
            copy,
            "x-amz-copy-source-server-side-encryption-customer-algorithm"
        ),
        Some("aes256")
    );

    // Unbound again: back to the login credentials.
    *slot.write().unwrap() = None;
    assert!(run(s.head("t/login")).unwrap().is_some());
    assert!(rec.take()[0].contains("credential=akialogin/"));
}

#[test]
fn sse_kms_goes_on_writes_only() {
    let b = bucket("data-kms");
    let rec = Recorder::start();
    let mut c = conf(&rec.endpoint);
    c.set(keys::SSE_ALGORITHM_OLD, "SSE-KMS");
    c.set(
        keys::SSE_KEY_OLD,
        "arn:aws:kms:us-east-1:123456789012:key/k1",
    );
    let s = store(&b, &c);
    put(&s, "k/obj", b"kms");
    assert_eq!(read_all(&s, "k/obj"), b"kms");
    let heads = rec.take();
    let (put_h, get_h) = (&heads[0], &heads[1]);
    assert_eq!(
        header(put_h, "x-amz-server-side-encryption"),
        Some("aws:kms")
    );
    assert_eq!(
        header(put_h, "x-amz-server-side-encryption-aws-kms-key-id"),
        Some("arn:aws:kms:us-east-1:123456789012:key/k1")
    );
    assert!(get_h.starts_with("get "));
    assert_eq!(header(get_h, "x-amz-server-side-encryption"), None);
}

#[test]
fn bad_settings_name_the_key() {
    let mut c = conf(&MOTO.endpoint);
    c.set("fs.s3a.encryption.algorithm", "SSE-C");
    let e = S3Store::new("b", &c, None).unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::Config);
    assert!(e.to_string().contains("fs.s3a.encryption.algorithm"), "{e}");
}

/// Security review L5: a store that ignores `Range` and sends a huge body makes a small ranged
/// read hold only what was asked for; the rest is never read (the server sees its connection
/// dropped long before it has sent everything).
#[test]
fn a_ranged_read_holds_only_its_range_when_the_store_ignores_range() {
    const TOTAL: usize = 256 * MIB;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let sent = Arc::new(Mutex::new(None::<usize>));
    let sent2 = sent.clone();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut req = Vec::new();
        let mut b = [0u8; 4096];
        while !req.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut b).unwrap();
            assert!(n > 0, "request ended early");
            req.extend_from_slice(&b[..n]);
        }
        assert!(String::from_utf8_lossy(&req)
            .to_ascii_lowercase()
            .contains("range: bytes=100-115"));
        // no Content-Range: the whole object, 256 MiB, bytes i % 251
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {TOTAL}\r\nContent-Type: binary/octet-stream\r\n\r\n");
        s.write_all(head.as_bytes()).unwrap();
        let chunk: Vec<u8> = (0..MIB).map(|i| (i % 251) as u8).collect();
        let mut n = 0;
        while n < TOTAL {
            if s.write_all(&chunk).is_err() {
                break;
            }
            n += MIB;
        }
        *sent2.lock().unwrap() = Some(n);
    });
    let s = store("ignores-range", &conf(&endpoint));
    let got = run(s.get_range("big", 100, 16)).unwrap();
    let want: Vec<u8> = (100..116).map(|i| (i % 251) as u8).collect();
    assert_eq!(&got[..], &want[..]);
    drop(s);
    server.join().unwrap();
    let sent = sent.lock().unwrap().unwrap();
    assert!(
        sent < TOTAL,
        "the client read the whole {TOTAL}-byte body ({sent} sent)"
    );
}
