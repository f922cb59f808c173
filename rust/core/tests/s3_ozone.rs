//! The S3 data path against a real secure Apache Ozone's S3 gateway, with an S3 secret from its
//! SPNEGO endpoint: the access key is a Kerberos principal (`alice@EXAMPLE.TEST`). Ignored in a
//! plain `cargo test`: tests/ozone/run.sh starts Ozone (tests/peers/ozone), fetches the secret,
//! creates the bucket and runs these with `--ignored`, reading
//!   S3ADT_OZONE_S3_ENDPOINT  the S3 API (http://127.0.0.1:9878)
//!   S3ADT_OZONE_BUCKET       a bucket the key's owner may write
//!   S3ADT_OZONE_ACCESS_KEY   the principal
//!   S3ADT_OZONE_SECRET_FILE  a file holding the secret (never in the environment or argv)

mod common;

use common::conf::s3_conf;
use common::s3::*;
use s3adt_core::conf::{keys, Configuration};
use s3adt_core::store::{ListEntry, S3ErrorKind, S3Store};
use std::sync::Arc;

const IGNORED: &str = "needs a secure Ozone: tests/ozone/run.sh";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set ({IGNORED})"))
}

/// The data-path tests' configuration (path style, SimpleAWSCredentialsProvider, 5 MiB parts)
/// with the principal and its secret.
fn ozone_conf(secret: &str) -> Configuration {
    let mut c = s3_conf(&env("S3ADT_OZONE_S3_ENDPOINT"));
    c.set(keys::ACCESS_KEY, env("S3ADT_OZONE_ACCESS_KEY"));
    c.set(keys::SECRET_KEY, secret);
    c.set("fs.s3a.attempts.maximum", "2");
    c
}

fn ozone_store() -> Arc<S3Store> {
    let secret = std::fs::read_to_string(env("S3ADT_OZONE_SECRET_FILE")).unwrap();
    store(&env("S3ADT_OZONE_BUCKET"), &ozone_conf(secret.trim()))
}

#[test]
#[ignore = "needs a secure Ozone: tests/ozone/run.sh"]
fn ozone_put_get_list_copy_delete() {
    let s = ozone_store();
    put(&s, "dir/a.txt", b"hello from s3adt on ozone");
    put(&s, "dir/sub/c.txt", b"deeper");
    run(s.put_empty("empty/")).unwrap();

    let m = run(s.head("dir/a.txt")).unwrap().expect("dir/a.txt exists");
    assert_eq!(m.length, 25);
    assert_eq!(read_all(&s, "dir/a.txt"), b"hello from s3adt on ozone");
    assert_eq!(
        &run(s.get_range("dir/a.txt", 6, 4)).unwrap()[..],
        b"from",
        "ranged GET"
    );
    assert_eq!(run(s.head("dir/missing")).unwrap(), None);

    let top = run(s.list("", false, 0)).unwrap();
    assert_eq!(keys_of(&top), ["dir/", "empty/"]);
    assert!(top.iter().all(|e| matches!(e, ListEntry::Prefix(_))));
    let deep = run(s.list("dir/", true, 0)).unwrap();
    assert_eq!(keys_of(&deep), ["dir/a.txt", "dir/sub/c.txt"]);

    run(s.copy("dir/a.txt", "dir/copy.txt")).unwrap();
    assert_eq!(read_all(&s, "dir/copy.txt"), b"hello from s3adt on ozone");

    let all: Vec<String> = ["dir/a.txt", "dir/sub/c.txt", "dir/copy.txt", "empty/"]
        .map(String::from)
        .into();
    run(s.delete_keys(&all)).unwrap();
    for k in &all {
        assert_eq!(run(s.head(k)).unwrap(), None, "{k} deleted");
    }
    assert!(run(s.list("", true, 0)).unwrap().is_empty());
}

#[test]
#[ignore = "needs a secure Ozone: tests/ozone/run.sh"]
fn ozone_multipart_write() {
    let s = ozone_store();
    let bytes = data(12 * MIB + 3, 7); // three parts of 5 MiB, 5 MiB and 2 MiB + 3
    put(&s, "big/blob", &bytes);
    assert_eq!(
        run(s.head("big/blob")).unwrap().unwrap().length,
        bytes.len() as u64
    );
    assert_eq!(read_all(&s, "big/blob"), bytes);
    run(s.delete_keys(&["big/blob".to_owned()])).unwrap();
}

#[test]
#[ignore = "needs a secure Ozone: tests/ozone/run.sh"]
fn ozone_wrong_secret_is_access_denied() {
    let s = store(&env("S3ADT_OZONE_BUCKET"), &ozone_conf(&"0".repeat(64)));
    let e = run(s.head("anything")).unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::AccessDenied, "{e}");
    assert_eq!(e.status, Some(403), "{e}");
}

/// Run by tests/ozone/run.sh after it revoked the secret: Ozone refuses it at once.
#[test]
#[ignore = "needs a secure Ozone: tests/ozone/run.sh"]
fn ozone_revoked_secret_is_access_denied() {
    let s = ozone_store();
    let e = run(s.list("", false, 0)).unwrap_err();
    assert_eq!(e.kind, S3ErrorKind::AccessDenied, "{e}");
}
