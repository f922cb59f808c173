//! The S3 data path on a real secure Apache Ozone's S3 gateway, signed with the secret that
//! Ozone's OM keeps in Vault (OpenBao), read by the credential source `VaultCredentialsProvider`
//! with alice's AppRole. Ignored in a plain `cargo test`: tests/ozone/vault.sh sets it up and runs
//! it with `--ignored`, reading
//!   S3ADT_VAULT_SITE    a core-site.xml (mode 600) with the fs.s3a.* and fs.s3a.s3adt.vault.* keys
//!   S3ADT_VAULT_BUCKET  a bucket alice may write

mod common;

use common::s3::*;
use s3adt_core::conf::Configuration;
use std::path::Path;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set (needs Ozone and OpenBao: tests/ozone/vault.sh)")
    })
}

#[test]
#[ignore = "needs Ozone with its S3 secrets in OpenBao: tests/ozone/vault.sh"]
fn vault_source_signs_on_ozone() {
    let mut c = Configuration::new();
    c.add_resource(Path::new(&env("S3ADT_VAULT_SITE"))).unwrap();
    assert!(c
        .get("fs.s3a.aws.credentials.provider")
        .unwrap()
        .ends_with("VaultCredentialsProvider"));
    let s = store(&env("S3ADT_VAULT_BUCKET"), &c);
    put(&s, "vault/a.txt", b"signed with a secret from Vault");
    assert_eq!(
        read_all(&s, "vault/a.txt"),
        b"signed with a secret from Vault"
    );
    let listed = run(s.list("vault/", true, 0)).unwrap();
    assert_eq!(keys_of(&listed), ["vault/a.txt"]);
    run(s.delete_keys(&["vault/a.txt".to_owned()])).unwrap();
    assert_eq!(run(s.head("vault/a.txt")).unwrap(), None);
}
