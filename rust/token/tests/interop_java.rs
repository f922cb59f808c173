//! Reads the token files that real hadoop-aws wrote (tests/interop/java, one directory per
//! Hadoop version) and checks every field against tests/fixtures/cases.json, every identifier
//! byte against s3adt's own encoding, Hadoop's `toString()` texts against s3adt's, and each
//! whole file against the file s3adt writes for the same entries.
//!
//! Ignored in a plain `cargo test` (it needs the files the Java side writes, reported as ignored
//! with that reason, never as passed); `tests/interop/run.sh` runs it with `--ignored` and
//! S3ADT_INTEROP_DIR naming the directory the Java side wrote into. S3ADT_INTEROP_EXPECT lists the Hadoop versions that must be
//! there (comma-separated), so a missing Java run fails instead of passing quietly.

mod common;

use common::cases;
use s3adt_token::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn java_dirs() -> Option<Vec<(String, PathBuf)>> {
    let root = PathBuf::from(std::env::var_os("S3ADT_INTEROP_DIR")?);
    let mut dirs: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("S3ADT_INTEROP_DIR {}: {e}", root.display()))
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_string_lossy().into_owned();
            let version = name.strip_prefix("java-")?.to_owned();
            Some((version, e.path()))
        })
        .collect();
    dirs.sort();
    let expected: BTreeSet<String> = std::env::var("S3ADT_INTEROP_EXPECT")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let found: BTreeSet<String> = dirs.iter().map(|(v, _)| v.clone()).collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(
        missing.is_empty(),
        "no Java fixtures for Hadoop {missing:?} in {}",
        root.display()
    );
    assert!(
        !dirs.is_empty(),
        "no java-* directories in {}",
        root.display()
    );
    Some(dirs)
}

fn manifest(dir: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(dir.join("manifest.json"))
        .unwrap_or_else(|e| panic!("{}/manifest.json: {e}", dir.display()));
    serde_json::from_str(&text).unwrap()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
#[ignore = "needs the files real hadoop-aws writes: run by tests/interop/run.sh with S3ADT_INTEROP_DIR"]
fn tokens_written_by_hadoop_aws_read_field_for_field_and_byte_for_byte() {
    let dirs = java_dirs().expect(
        "S3ADT_INTEROP_DIR is not set: run tests/interop/run.sh (or .ci/run) for the Java side",
    );
    for (version, dir) in dirs {
        let m = manifest(&dir);
        let layout = EncryptionLayout::from_name(m["encryptionLayout"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{version}: unknown layout {}", m["encryptionLayout"]));
        let written = strings(&m["written"]);
        let dropped = strings(&m["contextDropped"]);
        let all = cases::load(&cases::default_path(), layout);
        let v1 = cases::load(&cases::default_path(), EncryptionLayout::V1);
        let mut expected_file = TokenFile::new();
        let mut checked = 0;
        for format in ["tokens.writable", "tokens.protobuf"] {
            let path = dir.join(format);
            let (file, _) =
                TokenFile::read_path(&path).unwrap_or_else(|e| panic!("{version}: {e}"));
            for (case, case_v1) in all.cases.iter().zip(&v1.cases) {
                if !written.contains(&case.alias) {
                    continue;
                }
                let ctx = format!("hadoop {version} {format} case {}", case.alias);
                // A version that cannot carry a context wrote the case without one.
                let mut want = case.id.clone();
                if dropped.contains(&case.alias) {
                    want.encryption.context = case_v1.id.encryption.context.clone();
                }
                let token = file
                    .token(&case.alias.as_str().into())
                    .unwrap_or_else(|| panic!("{ctx}: missing"));
                assert_eq!(
                    token.kind.to_string_lossy(),
                    want.kind.as_str(),
                    "{ctx}: kind"
                );
                assert_eq!(
                    token.service.to_string_lossy(),
                    case.service,
                    "{ctx}: service"
                );
                assert_eq!(
                    token.password.expose(),
                    case.password.as_slice(),
                    "{ctx}: password"
                );
                let id = token
                    .decode_s3a_identifier()
                    .unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert_eq!(id.base, want.base, "{ctx}: base fields");
                assert_eq!(id.uri, want.uri, "{ctx}: uri");
                assert_eq!(id.origin, want.origin, "{ctx}: origin");
                assert_eq!(id.uuid, want.uuid, "{ctx}: uuid");
                assert_eq!(id.created, want.created, "{ctx}: created");
                assert_eq!(
                    id.encryption.algorithm, want.encryption.algorithm,
                    "{ctx}: algorithm"
                );
                assert_eq!(
                    id.encryption.key.expose(),
                    want.encryption.key.expose(),
                    "{ctx}: key"
                );
                assert_eq!(
                    id.encryption.context.expose(),
                    want.encryption.context.expose(),
                    "{ctx}: context"
                );
                assert_eq!(id.encryption.layout, layout, "{ctx}: layout recognised");
                assert_eq!(id.credentials, want.credentials, "{ctx}: credentials");
                assert_eq!(id, want, "{ctx}: whole identifier");
                let ours = want.to_bytes().unwrap();
                assert_eq!(
                    token.identifier, ours,
                    "{ctx}: identifier bytes differ from s3adt's encoding"
                );
                let our_token = Token::new(
                    ours,
                    &case.password,
                    want.kind.as_str().into(),
                    case.service.as_str().into(),
                );
                assert_eq!(
                    m["urls"][&case.alias].as_str().unwrap(),
                    our_token.encode_to_url_string(),
                    "{ctx}: encodeToUrlString"
                );
                assert_eq!(
                    m["identifierToString"][&case.alias].as_str().unwrap(),
                    id.to_string(),
                    "{ctx}: identifier toString"
                );
                assert_eq!(
                    m["tokenToString"][&case.alias].as_str().unwrap(),
                    token.to_string(),
                    "{ctx}: token toString"
                );
                if format == "tokens.writable" {
                    expected_file.add_token(case.alias.as_str().into(), our_token);
                }
                checked += 1;
            }
            for other in &all.others {
                let ctx = format!("hadoop {version} {format} token {}", other.alias);
                let token = file
                    .token(&other.alias.as_str().into())
                    .unwrap_or_else(|| panic!("{ctx}: missing"));
                let base = DelegationTokenIdentifier::decode(&token.identifier).unwrap();
                assert_eq!(base, other.id, "{ctx}");
                assert_eq!(
                    token.identifier,
                    other.id.to_bytes().unwrap(),
                    "{ctx}: bytes"
                );
                assert_eq!(
                    token.password.expose(),
                    other.password.as_slice(),
                    "{ctx}: password"
                );
                if format == "tokens.writable" {
                    expected_file.add_token(other.alias.as_str().into(), token.clone());
                }
            }
            for (alias, value) in &all.secrets {
                let found = file
                    .secrets()
                    .iter()
                    .find(|(a, _)| a.to_string_lossy() == *alias);
                assert_eq!(
                    found.map(|(_, v)| v.expose()),
                    Some(value.as_slice()),
                    "hadoop {version} {format}: secret {alias}"
                );
                if format == "tokens.writable" {
                    expected_file
                        .add_secret(alias.as_str().into(), SecretBytes::new(value.clone()));
                }
            }
        }
        // Whole files: s3adt writes the same entries in the same (Java HashMap) order.
        for (name, format) in [
            ("tokens.writable", TokenFileFormat::Writable),
            ("tokens.protobuf", TokenFileFormat::Protobuf),
        ] {
            let java = std::fs::read(dir.join(name)).unwrap();
            assert!(
                java == expected_file.encode(format),
                "hadoop {version}: {name} is not byte-identical to s3adt's file for the same tokens"
            );
        }
        eprintln!(
            "hadoop {version}: {checked} token readings checked, layout {}, files byte-identical",
            layout.name()
        );
    }
}
