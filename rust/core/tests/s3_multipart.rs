//! The public multipart primitives against a private moto server: a write stream closed
//! pending (the magic committer's task output) is invisible until another caller completes it
//! from its key, id and part etags alone; parts put one by one (Hadoop's MultipartUploader);
//! abort by id.

mod common;

use common::conf::s3_conf as conf;
use common::s3::*;

const MIB: usize = 1024 * 1024;

#[test]
fn a_pending_write_is_completed_later_from_its_key_id_and_etags() {
    let b = bucket("mpu-pending");
    let mut c = conf(&MOTO.endpoint);
    c.set("fs.s3a.multipart.size", "5M");
    let s = store(&b, &c);

    // two parts, one part, no bytes at all: each a pending upload, nothing visible
    let body = data(7 * MIB + 5, 1);
    let mut w = run(s.open_write("t/big"));
    run(w.write(&body)).unwrap();
    let big = run(w.close_pending()).unwrap();
    assert_eq!(
        (big.key.as_str(), big.length, big.etags.len()),
        ("t/big", body.len() as u64, 2)
    );
    let mut w = run(s.open_write("t/small"));
    run(w.write(b"small")).unwrap();
    let small = run(w.close_pending()).unwrap();
    assert_eq!((small.length, small.etags.len()), (5, 1));
    let empty = run(run(s.open_write("t/empty")).close_pending()).unwrap();
    assert_eq!((empty.length, empty.etags.len()), (0, 1));
    for k in ["t/big", "t/small", "t/empty"] {
        assert_eq!(
            run(s.head(k)).unwrap(),
            None,
            "{k} visible before completion"
        );
    }
    assert_eq!(run(s.list_uploads("t/")).unwrap().len(), 3);

    // completed by "another process": a store of its own, from the recorded fields only
    let other = store(&b, &c);
    for p in [&big, &small, &empty] {
        // in any order
        let mut parts: Vec<(i32, String)> = (1..).zip(p.etags.iter().cloned()).collect();
        parts.reverse();
        run(other.complete_parts(&p.key, &p.upload_id, &parts)).unwrap();
    }
    assert_eq!(read_all(&s, "t/big"), body);
    assert_eq!(read_all(&s, "t/small"), b"small");
    assert_eq!(run(s.head("t/empty")).unwrap().unwrap().length, 0);
    // completing again (a retried job commit) is no error
    let parts: Vec<(i32, String)> = (1..).zip(small.etags.iter().cloned()).collect();
    run(s.complete_parts("t/small", &small.upload_id, &parts)).unwrap();
    no_uploads(&s, "t/");
}

#[test]
fn parts_put_one_by_one_and_abort_by_id() {
    let b = bucket("mpu-parts");
    let s = store(&b, &conf(&MOTO.endpoint));
    let first = data(5 * MIB, 2);
    let id = run(s.create_upload("u/file")).unwrap();
    let e2 = run(s.put_part("u/file", &id, 2, bytes::Bytes::from_static(b"tail"))).unwrap();
    let e1 = run(s.put_part("u/file", &id, 1, first.clone().into())).unwrap();
    assert_eq!(run(s.head("u/file")).unwrap(), None);
    run(s.complete_parts("u/file", &id, &[(2, e2), (1, e1)])).unwrap();
    let mut want = first;
    want.extend_from_slice(b"tail");
    assert_eq!(read_all(&s, "u/file"), want);

    let id = run(s.create_upload("u/aborted")).unwrap();
    run(s.put_part("u/aborted", &id, 1, bytes::Bytes::from_static(b"x"))).unwrap();
    run(s.abort_upload("u/aborted", &id)).unwrap();
    run(s.abort_upload("u/aborted", &id)).unwrap();
    assert_eq!(run(s.head("u/aborted")).unwrap(), None);
    no_uploads(&s, "u/");
}
