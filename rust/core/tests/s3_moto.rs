//! The S3 data path against a private moto server on loopback: every operation the JNI store
//! uses (head, put, list, copy, delete, ranged and sequential reads, single and multipart
//! writes). Failures injected by a proxy are in s3_faults.rs, delegation tokens and encryption
//! on the wire in s3_token.rs.

mod common;

use common::conf::s3_conf as conf;
use common::moto::FaultProxy;
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
