//! Loads `tests/fixtures/cases.json`, the token cases shared by the Rust and Java sides of the
//! interop test, into core types. Used by the fixture writer example and the interop tests.
#![allow(dead_code)]

use base64::Engine;
use s3adt_token::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub struct Case {
    pub alias: String,
    pub service: String,
    pub password: Vec<u8>,
    pub id: S3ATokenIdentifier,
}

pub struct OtherToken {
    pub alias: String,
    pub kind: String,
    pub service: String,
    pub password: Vec<u8>,
    pub id: DelegationTokenIdentifier,
}

pub struct Cases {
    pub cases: Vec<Case>,
    pub others: Vec<OtherToken>,
    pub secrets: Vec<(String, Vec<u8>)>,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn default_path() -> PathBuf {
    repo_root().join("tests/fixtures/cases.json")
}

fn string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => o["repeat"]
            .as_str()
            .unwrap()
            .repeat(o["times"].as_u64().unwrap() as usize),
        other => panic!("not a string in cases.json: {other}"),
    }
}

/// The case's value for `key`, else the default's.
fn get<'a>(case: &'a Value, defaults: &'a Value, key: &str) -> &'a Value {
    case.get(key).unwrap_or_else(|| &defaults[key])
}

fn sub<'a>(case: &'a Value, defaults: &'a Value, obj: &str, key: &str) -> &'a Value {
    case.get(obj)
        .and_then(|o| o.get(key))
        .unwrap_or_else(|| &defaults[obj][key])
}

fn base(case: &Value, d: &Value) -> DelegationTokenIdentifier {
    DelegationTokenIdentifier {
        owner: string(get(case, d, "owner")).into(),
        renewer: string(get(case, d, "renewer")).into(),
        real_user: string(get(case, d, "realUser")).into(),
        issue_date: get(case, d, "issueDate").as_i64().unwrap(),
        max_date: get(case, d, "maxDate").as_i64().unwrap(),
        sequence_number: get(case, d, "sequenceNumber").as_i64().unwrap() as i32,
        master_key_id: get(case, d, "masterKeyId").as_i64().unwrap() as i32,
    }
}

/// Load the cases with their encryption secrets in `layout`. Under V1 the context is dropped,
/// because that layout cannot carry one.
pub fn load(path: &Path, layout: EncryptionLayout) -> Cases {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let d = &v["defaults"];
    let cases = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let kind = S3ATokenKind::from_kind(c["kind"].as_str().unwrap()).unwrap();
            let context = match layout {
                EncryptionLayout::V1 => String::new(),
                _ => string(sub(c, d, "encryption", "context")),
            };
            let id = S3ATokenIdentifier {
                kind,
                base: base(c, d),
                uri: string(&c["uri"]),
                origin: string(get(c, d, "origin")),
                uuid: string(get(c, d, "uuid")),
                encryption: EncryptionSecrets {
                    algorithm: string(sub(c, d, "encryption", "algorithm")),
                    key: string(sub(c, d, "encryption", "key")).into(),
                    context: context.into(),
                    layout,
                },
                created: get(c, d, "created").as_i64().unwrap(),
                credentials: MarshalledCredentials {
                    access_key: string(sub(c, d, "credentials", "accessKey")),
                    secret_key: string(sub(c, d, "credentials", "secretKey")).into(),
                    session_token: string(sub(c, d, "credentials", "sessionToken")).into(),
                    role_arn: string(sub(c, d, "credentials", "roleARN")),
                    expiration: sub(c, d, "credentials", "expiration").as_i64().unwrap(),
                },
            };
            Case {
                alias: string(&c["alias"]),
                service: string(&c["service"]),
                password: string(get(c, d, "password")).into_bytes(),
                id,
            }
        })
        .collect();
    let others = v["otherTokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| OtherToken {
            alias: string(&c["alias"]),
            kind: string(&c["kind"]),
            service: string(&c["service"]),
            password: string(&c["password"]).into_bytes(),
            id: base(c, d),
        })
        .collect();
    let secrets = v["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let value = base64::engine::general_purpose::STANDARD
                .decode(s["value"].as_str().unwrap())
                .unwrap();
            (string(&s["alias"]), value)
        })
        .collect();
    Cases {
        cases,
        others,
        secrets,
    }
}

impl Cases {
    /// A token file holding every case, in cases.json order (Java inserts in the same order).
    pub fn token_file(&self) -> TokenFile {
        let mut f = TokenFile::new();
        for c in &self.cases {
            let token = Token::new(
                c.id.to_bytes().unwrap(),
                &c.password,
                c.id.kind.as_str().into(),
                c.service.as_str().into(),
            );
            f.add_token(c.alias.as_str().into(), token);
        }
        for o in &self.others {
            let token = Token::new(
                o.id.to_bytes().unwrap(),
                &o.password,
                o.kind.as_str().into(),
                o.service.as_str().into(),
            );
            f.add_token(o.alias.as_str().into(), token);
        }
        for (alias, value) in &self.secrets {
            f.add_secret(alias.as_str().into(), SecretBytes::new(value.clone()));
        }
        f
    }
}
