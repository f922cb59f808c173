//! The S3 data path's failures against a private moto server on loopback, injected by a proxy
//! in front of it: throttling and 5xx retried within a budget, access denied at once, a failed
//! part aborting its multipart upload.

mod common;

use common::conf::s3_conf as conf;
use common::moto::{Fault, FaultProxy};
use common::recorder::Recorder;
use common::s3::*;
use s3adt_core::store::S3ErrorKind;
use std::sync::Arc;

// duplicates: deliberate. The fault script is this test's data; sts_moto.rs's
// list has the same shape with STS's own throttling codes.
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
    let proxy = Recorder::failing(
        MOTO.port,
        Arc::new(|head: &str| {
            let line = head.lines().next().unwrap_or_default();
            (line.contains("partnumber=2&") || line.contains("partnumber=2 "))
                .then_some((403, "AccessDenied"))
        }),
    );
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
    abort_and_drop(&direct, "abort/", &body[..6 * MIB]);
    assert_eq!(run(direct.head("abort/aborted")).unwrap(), None);
}

/// The attempt timeouts: `fs.s3a.connection.request.timeout` for a request without object data,
/// `fs.s3a.connection.part.upload.timeout` for one carrying it (a PUT here; the store sends
/// those through a client of their own).
#[test]
fn a_put_waits_for_the_part_upload_timeout() {
    let b = bucket("data-timeouts");
    let proxy = FaultProxy::start(MOTO.port, vec![Fault::Hang, Fault::Hang]);
    let mut c = conf(&proxy.endpoint);
    c.set("fs.s3a.retry.limit", "0");
    c.set("fs.s3a.connection.request.timeout", "1s");
    c.set("fs.s3a.connection.part.upload.timeout", "4s");
    let s = store(&b, &c);
    let t = std::time::Instant::now();
    run(s.head("timeouts/x")).unwrap_err();
    let head = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    run(s.put_empty("timeouts/x")).unwrap_err();
    let put = t.elapsed().as_secs_f64();
    assert_eq!(proxy.requests(), 2);
    assert!(
        (1.0..4.0).contains(&head),
        "the HEAD gave up after {head} s"
    );
    assert!(put >= 4.0, "the PUT gave up after {put} s");
}
