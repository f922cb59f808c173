//! The S3 data path against a private moto server on loopback: every operation the JNI store
//! uses (head, put, list, copy, delete, ranged and sequential reads, single and multipart
//! writes). Failures injected by a proxy are in s3_faults.rs, delegation tokens and encryption
//! on the wire in s3_token.rs.

mod common;

use common::conf::s3_conf as conf;
use common::moto::FaultProxy;
use common::recorder::{header, Recorder};
use common::s3::*;
use s3adt_core::store::{ListEntry, S3ErrorKind, S3Store};
use s3adt_core::*;
use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

    // Sequential, the length unknown: the bounded first GET (64 KiB), then one GET for the
    // rest of the object, read in small pieces.
    let mut r = run(s.open_read("r/obj", None)).unwrap();
    assert_eq!(r.length(), body.len() as u64);
    assert_eq!(r.gets(), 1, "open() made the first GET");
    let mut got = Vec::new();
    let mut buf = vec![0u8; 64 * 1024 + 3];
    while let Some(n) = run(r.read(got.len() as u64, &mut buf)).unwrap() {
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, body);
    assert_eq!(
        r.gets(),
        2,
        "a sequential read: the first 64 KiB, then the rest"
    );
    // The length known: one GET for the whole object.
    let mut r = run(s.open_read("r/obj", Some(body.len() as u64))).unwrap();
    let mut got = Vec::new();
    while let Some(n) = run(r.read(got.len() as u64, &mut buf)).unwrap() {
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, body);
    assert_eq!(
        r.gets(),
        1,
        "a sequential read of a known length is one GET"
    );

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

/// The GETs a recorder saw, as "range" header values ("-" for none); other requests fail it.
fn get_ranges(rec: &Recorder) -> Vec<String> {
    rec.take()
        .iter()
        .map(|h| {
            assert!(h.starts_with("get "), "{h}");
            header(h, "range").unwrap_or("-").to_owned()
        })
        .collect()
}

/// open() without the length (the FileSystem's open()): the first GET is made at once, bounded
/// to the read-ahead (at least 64 KiB), and its bytes are the first read's: a small file is one
/// request; an empty one is the GET's 416 (no error); a larger one read on continues with one
/// GET to the end; a reader going to the footer first never asks for the whole object.
#[test]
fn open_without_the_length_is_one_bounded_get() {
    let b = bucket("data-open-get");
    let s = store(&b, &conf(&MOTO.endpoint));
    let small = data(1024, 5);
    let big = data(200 * 1024 + 7, 6);
    let len = big.len() as u64;
    put(&s, "o/small", &small);
    put(&s, "o/empty", b"");
    put(&s, "o/big", &big);
    run(s.put_empty("o/dir/")).unwrap();
    let rec = Recorder::start(MOTO.port);
    let via = store(&b, &conf(&rec.endpoint));
    let mut buf = vec![0u8; 4096];

    let mut r = run(via.open_read("o/small", None)).unwrap();
    assert_eq!(r.length(), 1024);
    assert_eq!(run(r.read(0, &mut buf)).unwrap(), Some(1024));
    assert_eq!(&buf[..1024], &small[..]);
    assert_eq!(run(r.read(1024, &mut buf)).unwrap(), None);
    assert_eq!(r.gets(), 1);
    drop(r);
    assert_eq!(get_ranges(&rec), ["bytes=0-65535"], "a small file: one GET");

    let mut r = run(via.open_read("o/empty", None)).unwrap();
    assert_eq!(r.length(), 0);
    assert_eq!(run(r.read(0, &mut buf)).unwrap(), None);
    drop(r);
    assert_eq!(
        get_ranges(&rec),
        ["bytes=0-65535"],
        "an empty file: one GET"
    );

    for missing in ["o/none", "o/dir"] {
        let e = run(via.open_read(missing, None)).unwrap_err();
        assert_eq!(e.kind, S3ErrorKind::NotFound, "{e}");
        assert_eq!(e.status, Some(404), "{e}");
    }
    assert_eq!(get_ranges(&rec).len(), 2, "a missing key: one GET each");

    // Larger than the first GET, read front to back.
    let mut r = run(via.open_read("o/big", None)).unwrap();
    assert_eq!(r.length(), len);
    let mut got = Vec::new();
    while let Some(n) = run(r.read(got.len() as u64, &mut buf)).unwrap() {
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, big);
    drop(r);
    assert_eq!(get_ranges(&rec), ["bytes=0-65535", "bytes=65536-"]);

    // A columnar reader: the footer, then scattered reads. The first GET is dropped with 64 KiB
    // at most unread; the footer's GET runs to the end, and the first backward seek turns the
    // stream random (GETs of the read-ahead).
    let mut r = run(via.open_read("o/big", None)).unwrap();
    let mut tail = [0u8; 8];
    assert_eq!(run(r.read(len - 8, &mut tail)).unwrap(), Some(8));
    assert_eq!(&tail[..], &big[big.len() - 8..]);
    assert_eq!(run(r.read(100_000, &mut buf[..1000])).unwrap(), Some(1000));
    assert_eq!(&buf[..1000], &big[100_000..101_000]);
    assert_eq!(run(r.read(1_000, &mut buf[..1000])).unwrap(), Some(1000));
    assert_eq!(&buf[..1000], &big[1_000..2_000]);
    assert!(r.is_random());
    drop(r);
    assert_eq!(
        get_ranges(&rec),
        [
            "bytes=0-65535".to_owned(),
            format!("bytes={}-", len - 8),
            "bytes=100000-165535".to_owned(),
            "bytes=1000-66535".to_owned(),
        ]
    );

    // A read-ahead larger than the object: one GET for all of it.
    let mut c = conf(&rec.endpoint);
    c.set("fs.s3a.readahead.range", "256K");
    let wide = store(&b, &c);
    let mut r = run(wide.open_read("o/big", None)).unwrap();
    let mut all = vec![0u8; big.len()];
    let mut at = 0;
    while at < all.len() {
        at += run(r.read(at as u64, &mut all[at..]))
            .unwrap()
            .expect("not at EOF");
    }
    assert_eq!(run(r.read(len, &mut buf)).unwrap(), None);
    assert_eq!(all, big);
    drop(r);
    assert_eq!(get_ranges(&rec), ["bytes=0-262143"]);
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
        let req = common::http::read_head(&mut s);
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

/// open() without the length on stores that answer its bounded first GET otherwise than with
/// a 206: ignoring Range (200 and the whole object: its Content-Length is the length; empty: 0).
#[test]
fn open_without_the_length_when_the_store_answers_no_206() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let object: Vec<u8> = (0..100u8).collect();
    let body = object.clone();
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let mut conn = conn.unwrap();
            let head =
                String::from_utf8_lossy(&common::http::read_head(&mut conn)).to_ascii_lowercase();
            let target = head.split(' ').nth(1).unwrap_or_default();
            let path = target.split('?').next().unwrap_or_default().to_owned();
            let range = head
                .lines()
                .find_map(|l| l.strip_prefix("range: "))
                .map(|r| r.trim().to_owned());
            let data = if path.contains("/empty") {
                &body[..0]
            } else {
                &body[..]
            };
            seen2
                .lock()
                .unwrap()
                .push(format!("{} {}", path, range.as_deref().unwrap_or("-")));
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: \"e1\"\r\nConnection: close\r\n\r\n",
                data.len()
            );
            let _ = conn.write_all(reply.as_bytes());
            let _ = conn.write_all(data);
        }
    });
    let s = store("no-206", &conf(&endpoint));
    let mut buf = [0u8; 200];
    let mut r = run(s.open_read("whole", None)).unwrap();
    assert_eq!(r.length(), 100);
    assert_eq!(run(r.read(0, &mut buf)).unwrap(), Some(100));
    assert_eq!(buf[..100], object[..]);
    assert_eq!(run(r.read(100, &mut buf)).unwrap(), None);
    let mut r = run(s.open_read("empty", None)).unwrap();
    assert_eq!(r.length(), 0);
    assert_eq!(run(r.read(0, &mut buf)).unwrap(), None);
    assert_eq!(
        *seen.lock().unwrap(),
        ["/no-206/whole bytes=0-65535", "/no-206/empty bytes=0-65535"]
    );
}

/// HTTP lets a server ignore Range, and Ozone's S3 gateway does for an open range past the end:
/// `bytes=110-` of a 100-byte object gets 200 and the whole object. A read stream whose caller
/// declared a longer length (openFile's length option) must not hand out the object's first bytes
/// as those at its position: it skips to the position, and ends where the object ends. (Hadoop's
/// TestWrappedIO.testOpenFileOperations on Ozone.)
#[test]
fn a_read_stream_skips_to_its_position_when_the_store_ignores_range() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let object: Vec<u8> = (0..100u8).collect();
    let body = object.clone();
    let ranges = Arc::new(Mutex::new(Vec::<String>::new()));
    let ranges2 = ranges.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let mut conn = conn.unwrap();
            let head =
                String::from_utf8_lossy(&common::http::read_head(&mut conn)).to_ascii_lowercase();
            let range = head
                .lines()
                .find_map(|l| l.strip_prefix("range: "))
                .unwrap_or("none");
            ranges2.lock().unwrap().push(range.trim().to_owned());
            let reply = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nETag: \"e1\"\r\nConnection: close\r\n\r\n";
            let _ = conn.write_all(reply.as_bytes());
            let _ = conn.write_all(&body);
        }
    });
    let s = store("ignores-range", &conf(&endpoint));
    let mut buf = [0u8; 20];
    let mut r = run(s.open_read("obj", Some(200))).unwrap();
    assert_eq!(
        run(r.read(110, &mut buf)).unwrap(),
        None,
        "past the object's end"
    );

    let mut r = run(s.open_read("obj", Some(200))).unwrap();
    assert_eq!(run(r.read(10, &mut buf)).unwrap(), Some(20));
    assert_eq!(buf[..], object[10..30]);
    let mut rest = [0u8; 170];
    assert_eq!(
        run(r.read(30, &mut rest)).unwrap(),
        Some(70),
        "on to the object's end"
    );
    assert_eq!(rest[..70], object[30..]);
    assert_eq!(run(r.read(100, &mut buf)).unwrap(), None);
    assert_eq!(
        r.length(),
        100,
        "the object's real length once its end was met"
    );
    assert_eq!(
        *ranges.lock().unwrap(),
        ["bytes=110-", "bytes=10-", "bytes=100-"],
        "the GETs sent"
    );
}
