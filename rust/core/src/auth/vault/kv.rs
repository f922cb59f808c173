//! The layout Ozone's `VaultS3SecretStorageProvider` writes, on a KV engine of either version,
//! as plain functions (no I/O): where a principal's secret lives, the body that writes it, the
//! value in a read's answer, and Vault's own error texts.
//!
//! Ozone (2.2.0, `VaultS3SecretStore` over vault-java-driver 5.1.0) keeps the secret of access
//! key `P` at `<secretpath>/P` as one field named `P`. On KV v2 the driver puts `data/` (reads,
//! writes) or `metadata/` (delete: every version) after the first segment of the path, the
//! mount: `secret/x/P` becomes `secret/data/x/P`.

use s3adt_token::secret::SecretString;

/// Which of KV v2's two trees a path is in (KV v1 has neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tree {
    Data,
    Metadata,
}

/// Why a principal cannot name a secret: Ozone's access keys are Kerberos principals
/// (`alice@REALM`, `s3g/host@REALM`); a `/` in one makes a deeper path, as in Ozone.
pub(super) fn check_principal(p: &str) -> Result<(), String> {
    if p.is_empty() {
        return Err("the principal is empty".to_owned());
    }
    if p.split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(format!(
            "the principal {p:?} has an empty, \".\" or \"..\" path segment"
        ));
    }
    if p.chars().any(char::is_control) {
        return Err("the principal holds a control character".to_owned());
    }
    Ok(())
}

/// The API path (after `/v1/`) of principal `p`'s secret under `secret_path` (no leading or
/// trailing `/`), percent-encoded but for `@` and `/`.
pub(super) fn secret_api_path(secret_path: &str, engine: u8, p: &str, tree: Tree) -> String {
    let mut out = String::new();
    let (mount, rest) = match secret_path.split_once('/') {
        Some((m, r)) => (m, Some(r)),
        None => (secret_path, None),
    };
    crate::percent::encode_into(&mut out, mount, b"-._~@");
    out.push('/');
    if engine == 2 {
        out.push_str(match tree {
            Tree::Data => "data/",
            Tree::Metadata => "metadata/",
        });
    }
    if let Some(rest) = rest {
        crate::percent::encode_into(&mut out, rest, b"-._~@/");
        out.push('/');
    }
    crate::percent::encode_into(&mut out, p, b"-._~@/");
    out
}

/// The JSON that writes `secret` as Ozone does: `{P: secret}` (v1), `{"data": {P: secret}}` (v2).
pub(super) fn write_body(engine: u8, p: &str, secret: &SecretString) -> Vec<u8> {
    let field = serde_json::json!({ p: secret.expose() });
    let body = if engine == 2 {
        serde_json::json!({ "data": field })
    } else {
        field
    };
    body.to_string().into_bytes()
}

/// What a 200 read held for principal `p`: its value, or `Err` with what was wrong (never the
/// body: it holds secrets). v1 answers `data.P`, v2 `data.data.P`.
pub(super) fn read_value(engine: u8, body: &str, p: &str) -> Result<SecretString, ReadError> {
    let mut v: serde_json::Value = serde_json::from_str(body).map_err(|_| ReadError::NotJson)?;
    let mut data = v.get_mut("data").ok_or(ReadError::NoData)?;
    if engine == 2 {
        data = data.get_mut("data").ok_or(ReadError::NoData)?;
    }
    let map = data.as_object_mut().ok_or(ReadError::NoData)?;
    match map.remove(p) {
        // Moved, not copied, into the wiped type.
        Some(serde_json::Value::String(s)) => Ok(SecretString::new(s)),
        Some(_) => Err(ReadError::NotText),
        None => Err(ReadError::NoField),
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum ReadError {
    NotJson,
    /// No `data` object (v1) or `data.data` (v2).
    NoData,
    /// No field named by the principal: not Ozone's layout.
    NoField,
    NotText,
}

/// The client token of an AppRole login's answer (`auth.client_token`).
pub(super) fn login_token(body: &str) -> Option<SecretString> {
    let mut v: serde_json::Value = serde_json::from_str(body).ok()?;
    match v.get_mut("auth")?.get_mut("client_token")?.take() {
        serde_json::Value::String(s) if !s.is_empty() => Some(SecretString::new(s)),
        _ => None,
    }
}

/// The login request's body.
pub(super) fn login_body(role_id: &str, secret_id: &SecretString) -> Vec<u8> {
    serde_json::json!({ "role_id": role_id, "secret_id": secret_id.expose() })
        .to_string()
        .into_bytes()
}

/// Vault's `errors` of a refusal, on one line, at most 200 characters ("" when none). Vault's
/// error texts name paths and reasons, never a token or a secret.
pub(super) fn errors(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else {
        return String::new();
    };
    let list: Vec<String> = v
        .get("errors")
        .and_then(|e| e.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str())
                .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect()
        })
        .unwrap_or_default();
    list.join("; ").chars().take(200).collect()
}

/// The KV version of the mount `sys/internal/ui/mounts/<path>` describes: 2 when its
/// `options.version` says "2", 1 for another KV mount; None when it is not a KV engine.
pub(super) fn mount_version(body: &str) -> Option<(String, u8)> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let data = v.get("data")?;
    let kind = data.get("type")?.as_str()?;
    if kind != "kv" && kind != "generic" {
        return None;
    }
    let path = data.get("path").and_then(|p| p.as_str()).unwrap_or("");
    let version = data
        .get("options")
        .and_then(|o| o.get("version"))
        .and_then(|v| v.as_str())
        .unwrap_or("1");
    Some((
        path.trim_end_matches('/').to_owned(),
        if version == "2" { 2 } else { 1 },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_ozone_writes_them() {
        let p = |sp, e, who, t| secret_api_path(sp, e, who, t);
        assert_eq!(p("secret", 1, "alice@R", Tree::Data), "secret/alice@R");
        assert_eq!(p("secret", 2, "alice@R", Tree::Data), "secret/data/alice@R");
        assert_eq!(
            p("secret", 2, "alice@R", Tree::Metadata),
            "secret/metadata/alice@R"
        );
        assert_eq!(
            p("kv/ozone/s3", 2, "s3g/host@R", Tree::Data),
            "kv/data/ozone/s3/s3g/host@R"
        );
        assert_eq!(p("kv/x", 1, "a b@R", Tree::Data), "kv/x/a%20b@R");
        assert_eq!(p("kv", 2, "a?b#c%", Tree::Data), "kv/data/a%3Fb%23c%25");
        for bad in ["", "/a", "a/", "a//b", "a/../b", ".", "a\nb"] {
            assert!(check_principal(bad).is_err(), "{bad:?}");
        }
        assert!(check_principal("s3g/localhost@EXAMPLE.TEST").is_ok());
    }

    #[test]
    fn bodies_and_answers() {
        let s = SecretString::new("s3cr3t");
        let v1: serde_json::Value = serde_json::from_slice(&write_body(1, "a@R", &s)).unwrap();
        assert_eq!(v1, serde_json::json!({"a@R": "s3cr3t"}));
        let v2: serde_json::Value = serde_json::from_slice(&write_body(2, "a@R", &s)).unwrap();
        assert_eq!(v2, serde_json::json!({"data": {"a@R": "s3cr3t"}}));

        let got = read_value(1, r#"{"data":{"a@R":"x1"},"lease_id":""}"#, "a@R").unwrap();
        assert_eq!(got.expose(), "x1");
        let got = read_value(
            2,
            r#"{"data":{"data":{"a@R":"x2"},"metadata":{"version":3}}}"#,
            "a@R",
        )
        .unwrap();
        assert_eq!(got.expose(), "x2");
        assert_eq!(
            read_value(2, r#"{"data":{"a@R":"x"}}"#, "a@R").unwrap_err(),
            ReadError::NoData
        );
        assert_eq!(
            read_value(1, r#"{"data":{"b@R":"x"}}"#, "a@R").unwrap_err(),
            ReadError::NoField
        );
        assert_eq!(
            read_value(1, r#"{"data":{"a@R":1}}"#, "a@R").unwrap_err(),
            ReadError::NotText
        );
        assert_eq!(
            read_value(1, "<html>", "a@R").unwrap_err(),
            ReadError::NotJson
        );

        let t = login_token(r#"{"auth":{"client_token":"hvs.abc","policies":["x"]}}"#);
        assert_eq!(t.unwrap().expose(), "hvs.abc");
        assert!(login_token(r#"{"auth":null}"#).is_none());
        assert!(!String::from_utf8(login_body("r", &s)).unwrap().is_empty());

        assert_eq!(
            errors(r#"{"errors":["1 error occurred:\n\t* permission denied\n\n"]}"#),
            "1 error occurred: * permission denied"
        );
        assert_eq!(errors("not json"), "");
        assert_eq!(
            mount_version(r#"{"data":{"type":"kv","path":"secret/","options":{"version":"2"}}}"#),
            Some(("secret".to_owned(), 2))
        );
        assert_eq!(
            mount_version(r#"{"data":{"type":"kv","path":"secret-v1/","options":null}}"#),
            Some(("secret-v1".to_owned(), 1))
        );
        assert_eq!(
            mount_version(r#"{"data":{"type":"pki","path":"pki/"}}"#),
            None
        );
    }
}
