//! The direct GET (`store/direct.rs`: a GET over plain HTTP signed and sent by s3adt, not the
//! SDK) against the SDK's GET, on a private moto server on loopback: the same bytes, lengths,
//! ranges and errors, a new connection per GET from a server that closes each, and the same
//! retries and timeouts under injected faults. Signatures are checked where a
//! server verifies them: Ceph RGW (`rust/cli/tests/cli_rgw.rs`) and Ozone (`tests/ozone`).

mod common;

use common::conf::s3_conf as conf;
use common::moto::{Fault, FaultProxy};
use common::s3::*;
use s3adt_core::store::{S3Error, S3ErrorKind, S3Store};
use std::sync::Arc;

/// A store through the direct GET and one through the SDK, on the same endpoint.
fn both(bucket: &str, endpoint: &str) -> (Arc<S3Store>, Arc<S3Store>) {
    let direct = store(bucket, &conf(endpoint));
    let mut c = conf(endpoint);
    c.set("fs.s3a.s3adt.direct.requests", "false");
    let sdk = store(bucket, &c);
    assert_eq!(direct.direct_connections(), Some(0));
    assert_eq!(sdk.direct_connections(), None);
    (direct, sdk)
}

/// What a caller sees of an error.
fn seen(e: &S3Error) -> (S3ErrorKind, Option<u16>, Option<String>, u32, String) {
    (e.kind, e.status, e.code.clone(), e.attempts, e.to_string())
}

const KEYS: [&str; 5] = [
    "plain/obj",
    "odd/a b+c=d&e;f,g@h$i!j'k(l)m*n",
    "odd/ünï/çødé",
    "odd/per%cent%2Fslash",
    "odd/tilde~dot.dash-under_score",
];

#[test]
fn the_direct_get_reads_what_the_sdk_reads() {
    let b = bucket("direct-same");
    let (direct, sdk) = both(&b, &MOTO.endpoint);
    let body = data(200_000, 7);
    for key in KEYS {
        put(&sdk, key, &body);
        assert_eq!(read_all(&direct, key), body, "{key}");
    }
    put(&sdk, "sizes/empty", b"");
    put(&sdk, "sizes/one", b"x");
    for s in [&direct, &sdk] {
        assert_eq!(read_all(s, "sizes/empty"), b"");
        assert_eq!(read_all(s, "sizes/one"), b"x");
        // Ranges: inside, across the end, at and past it.
        for (off, len, want) in [
            (0u64, 10u64, &body[..10]),
            (199_990, 100, &body[199_990..]),
            (200_000, 5, &b""[..]),
            (500_000, 5, &b""[..]),
        ] {
            assert_eq!(&run(s.get_range(KEYS[1], off, len)).unwrap()[..], want);
        }
        // Known length, a backward seek (random from then on), a read at the end.
        let mut r = run(s.open_read(KEYS[2], Some(body.len() as u64))).unwrap();
        let mut buf = vec![0u8; 1000];
        assert_eq!(run(r.read(150_000, &mut buf)).unwrap(), Some(1000));
        assert_eq!(buf, body[150_000..151_000]);
        assert_eq!(run(r.read(10, &mut buf)).unwrap(), Some(1000));
        assert_eq!(buf, body[10..1010]);
        assert!(r.is_random());
        assert_eq!(run(r.read(200_000, &mut buf)).unwrap(), None);
    }
    // A missing key and a missing bucket: the same error, word for word.
    let missing = |s: &Arc<S3Store>| seen(&run(s.open_read("no/such", None)).unwrap_err());
    let (kind, status, code, attempts, text) = missing(&direct);
    assert_eq!(
        (kind, status, code.as_deref(), attempts),
        (S3ErrorKind::NotFound, Some(404), Some("NoSuchKey"), 1)
    );
    assert_eq!(missing(&sdk).4, text);
    let nob = |s: &Arc<S3Store>| seen(&run(s.get_range("k", 0, 1)).unwrap_err());
    let (direct_nob, sdk_nob) = (
        nob(&store("direct-none-such", &conf(&MOTO.endpoint))),
        nob(&{
            let mut c = conf(&MOTO.endpoint);
            c.set("fs.s3a.s3adt.direct.requests", "false");
            store("direct-none-such", &c)
        }),
    );
    assert_eq!(direct_nob, sdk_nob);
    assert_eq!(direct_nob.2.as_deref(), Some("NoSuchBucket"));
}

/// moto (werkzeug, HTTP/1.0) closes each connection after its answer: every GET opens one,
/// and none is sent on a closed one. (On RGW, which keeps connections, a run of reads shares
/// one and an abort closes it: `rust/cli/tests/cli_rgw.rs`.)
#[test]
fn a_server_that_closes_each_connection_gets_a_new_one_per_get() {
    let b = bucket("direct-close");
    let (direct, sdk) = both(&b, &MOTO.endpoint);
    for i in 0..20u64 {
        put(&sdk, &format!("small/{i}"), &data(1024, i));
    }
    for i in 0..20u64 {
        assert_eq!(read_all(&direct, &format!("small/{i}")), data(1024, i));
        let mut r = run(direct.open_read(&format!("small/{i}"), Some(1024))).unwrap();
        let mut buf = vec![0u8; 1024];
        assert_eq!(run(r.read(0, &mut buf)).unwrap(), Some(1024));
        assert_eq!(buf, data(1024, i));
    }
    assert_eq!(direct.direct_connections(), Some(40));

    // A GET of a MiB or more goes through the SDK (its connection task reads ahead): the same
    // bytes, no direct connection for it, and the direct GETs go on around it.
    let big = data(5 << 20, 11);
    put(&sdk, "big", &big);
    assert_eq!(read_all(&direct, "big"), big);
    assert_eq!(
        direct.direct_connections(),
        Some(41),
        "the first 64 KiB only"
    );
    for _ in 0..3 {
        let mut r = run(direct.open_read("big", Some(big.len() as u64))).unwrap();
        let mut buf = vec![0u8; 1000];
        assert_eq!(run(r.read(2 << 20, &mut buf)).unwrap(), Some(1000));
        assert_eq!(buf, big[2 << 20..(2 << 20) + 1000]);
    }
    assert_eq!(direct.direct_connections(), Some(41));
    assert_eq!(read_all(&direct, "small/0"), data(1024, 0));
    assert_eq!(direct.direct_connections(), Some(42));
}

#[test]
fn the_direct_put_writes_what_the_sdk_writes() {
    let b = bucket("direct-put");
    let (direct, sdk) = both(&b, &MOTO.endpoint);
    let body = data(300_000, 3);
    // Up to 8 MiB in one direct PUT, above it through the SDK; empty too.
    let large = data(9 << 20, 4);
    for (key, bytes) in KEYS.iter().map(|k| (k.to_string(), &body[..])).chain([
        ("sizes/empty".to_owned(), &b""[..]),
        ("sizes/large".to_owned(), &large[..]),
    ]) {
        for (writer, reader) in [(&direct, &sdk), (&sdk, &direct)] {
            run(writer.put_object(&key, bytes.to_vec().into())).unwrap();
            assert_eq!(read_all(reader, &key), bytes, "{key}");
            let meta = run(reader.head(&key)).unwrap().unwrap();
            assert_eq!(meta.length, bytes.len() as u64);
        }
    }
    // A stream's small file is one PUT from memory: the direct one.
    run(async {
        let mut w = direct.open_write("stream/small").await;
        w.write(b"written through a stream").await?;
        w.close().await
    })
    .unwrap();
    assert_eq!(read_all(&sdk, "stream/small"), b"written through a stream");

    // Faults on a PUT: retried as the SDK's PUT is.
    for direct in [true, false] {
        let proxy = FaultProxy::start(
            MOTO.port,
            vec![
                Fault::Error(503, "SlowDown"),
                Fault::Drop,
                Fault::Error(500, "InternalError"),
            ],
        );
        let mut c = conf(&proxy.endpoint);
        c.set("fs.s3a.s3adt.direct.requests", direct.to_string());
        run(store(&b, &c).put_object("faults/x", b"after the faults".to_vec().into())).unwrap();
        assert_eq!(proxy.requests(), 4, "direct={direct}");
        assert_eq!(read_all(&sdk, "faults/x"), b"after the faults");
    }
}

#[test]
fn the_direct_head_says_what_the_sdks_says() {
    let b = bucket("direct-head");
    let (direct, sdk) = both(&b, &MOTO.endpoint);
    for (i, key) in KEYS.iter().enumerate() {
        put(&sdk, key, &data(1000 * i, i as u64));
        let meta = run(direct.head(key)).unwrap().expect("there");
        assert_eq!(Some(meta.clone()), run(sdk.head(key)).unwrap(), "{key}");
        assert_eq!(meta.length, 1000 * i as u64);
        assert!(meta.last_modified > 1_700_000_000_000, "{meta:?}");
        assert!(meta.etag.starts_with('"'), "{meta:?}");
    }
    // A big object's HEAD: no body to read, nothing pumped, the connection free at once.
    put(&sdk, "big", &data(3 << 20, 1));
    assert_eq!(run(direct.head("big")).unwrap().unwrap().length, 3 << 20);
    assert_eq!(run(direct.head("no/such")).unwrap(), None);
    assert_eq!(run(sdk.head("no/such")).unwrap(), None);

    // Refused: a HEAD's answer has no body, so no code but a 404's; the same text either way.
    let denied = |direct: bool| {
        let proxy = FaultProxy::start(MOTO.port, vec![Fault::Error(403, "AccessDenied")]);
        let mut c = conf(&proxy.endpoint);
        c.set("fs.s3a.s3adt.direct.requests", direct.to_string());
        seen(&run(store(&b, &c).head(KEYS[0])).unwrap_err())
    };
    let direct_denied = denied(true);
    assert_eq!(direct_denied, denied(false));
    assert_eq!(
        (direct_denied.0, direct_denied.2.as_deref()),
        (S3ErrorKind::AccessDenied, None)
    );
    assert!(
        direct_denied.4.ends_with(": Forbidden (HTTP 403)"),
        "{}",
        direct_denied.4
    );
}

#[test]
fn faults_are_retried_and_reported_as_the_sdk_reports_them() {
    let b = bucket("direct-faults");
    let s = store(&b, &conf(&MOTO.endpoint));
    put(&s, "x", b"hello");
    let script = || {
        vec![
            Fault::Error(503, "SlowDown"),
            Fault::Drop,
            Fault::Error(500, "InternalError"),
        ]
    };
    for direct in [true, false] {
        let proxy = FaultProxy::start(MOTO.port, script());
        let mut c = conf(&proxy.endpoint);
        c.set("fs.s3a.s3adt.direct.requests", direct.to_string());
        let s = store(&b, &c);
        assert_eq!(read_all(&s, "x"), b"hello", "direct={direct}");
        assert_eq!(
            proxy.requests(),
            4,
            "three faults, then the GET went through"
        );
    }

    // Out of budget, denied, hanging: the same failure either way.
    let failure = |direct: bool, faults: Vec<Fault>, settings: &[(&str, &str)]| {
        let proxy = FaultProxy::start(MOTO.port, faults);
        let mut c = conf(&proxy.endpoint);
        c.set("fs.s3a.s3adt.direct.requests", direct.to_string());
        for (k, v) in settings {
            c.set(*k, *v);
        }
        let e = run(store(&b, &c).get_range("x", 0, 5)).unwrap_err();
        (seen(&e), proxy.requests())
    };
    let throttled = [("fs.s3a.retry.throttle.limit", "2")];
    let slow = vec![Fault::Error(503, "SlowDown"); 10];
    let (direct, requests) = failure(true, slow.clone(), &throttled);
    assert_eq!(requests, 3);
    assert_eq!(
        (direct.0, direct.1, direct.3),
        (S3ErrorKind::Other, Some(503), 3)
    );
    assert!(
        direct
            .4
            .starts_with("read on s3a://direct-faults/x: SlowDown: injected SlowDown"),
        "{}",
        direct.4
    );
    assert_eq!(failure(false, slow, &throttled), (direct, 3));

    let denied = vec![Fault::Error(403, "AccessDenied"); 3];
    let (direct, requests) = failure(true, denied.clone(), &[]);
    assert_eq!(
        (direct.0, direct.3, requests),
        (S3ErrorKind::AccessDenied, 1, 1)
    );
    assert_eq!(failure(false, denied, &[]), (direct, 1));

    let hang = [
        ("fs.s3a.retry.limit", "1"),
        ("fs.s3a.connection.request.timeout", "1s"),
    ];
    let t = std::time::Instant::now();
    let (direct, requests) = failure(true, vec![Fault::Hang, Fault::Hang], &hang);
    let waited = t.elapsed().as_secs_f64();
    assert_eq!(
        (direct.0, direct.1, direct.3, requests),
        (S3ErrorKind::Other, None, 2, 2)
    );
    assert!(
        direct.4.contains("fs.s3a.connection.request.timeout"),
        "{}",
        direct.4
    );
    assert!((2.0..10.0).contains(&waited), "gave up after {waited} s");
}
