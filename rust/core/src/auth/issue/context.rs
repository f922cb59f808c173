//! The encryption context a token carries, as hadoop-aws 3.5.0 builds it
//! (`S3AEncryption.getS3EncryptionContextBase64Encoded`): `fs.s3a.encryption.context` is a list
//! `k1=v1, k2=v2` (Hadoop's `StringUtils.getTrimmedStringCollectionSplitByEquals`, a
//! `HashMap<String, String>`), written as JSON by Jackson in that map's iteration order, then
//! base64 (standard alphabet, padded). Blank gives `""`. Checked against the 3.5.0 jars'
//! bytecode (docs/hadoop-facts.md §2); a token whose context were the raw list would carry a
//! context hadoop-aws 3.5.0 sends to KMS as if it were base64 JSON.

use base64::Engine;
use s3adt_token::token_file::java_hashmap_order;

/// `java.lang.String.trim`: every char up to U+0020 off both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `\s` of `java.util.regex`.
fn java_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\r')
}

/// `s.split("\\s*[SEP]\\s*")` of Java for a separator class `sep` (`,` and `\n`, or `=`):
/// leftmost, greedy matches; trailing empty strings removed.
fn java_split(s: &str, sep: impl Fn(char) -> bool) -> Vec<String> {
    let c: Vec<char> = s.chars().collect();
    let mut parts = Vec::new();
    let (mut from, mut i) = (0, 0);
    while i < c.len() {
        // from i: greedy \s*, backtracking to the last separator the run reaches
        let mut k = i;
        while k < c.len() && java_space(c[k]) {
            k += 1;
        }
        let at = if k < c.len() && sep(c[k]) {
            Some(k)
        } else {
            (i..k).rev().find(|&p| sep(c[p]))
        };
        match at {
            Some(p) => {
                let mut end = p + 1;
                while end < c.len() && java_space(c[end]) {
                    end += 1;
                }
                parts.push(c[from..i].iter().collect::<String>());
                from = end;
                i = end;
            }
            None => i += 1,
        }
    }
    parts.push(c[from..].iter().collect());
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(i32::from(u)))
}

/// The context as hadoop-aws 3.5.0 puts it in a token; `Err` gives the position of an entry Hadoop rejects
/// (`IllegalArgumentException` there: not exactly one `=`, or an empty side).
pub fn encryption_context_base64(value: &str) -> Result<String, String> {
    if value.chars().all(char::is_whitespace) {
        return Ok(String::new());
    }
    let trimmed = java_trim(value);
    let items = if trimmed.is_empty() {
        Vec::new()
    } else {
        java_split(trimmed, |c| c == ',' || c == '\n')
    };
    // a HashMap filled by put: a repeated key keeps its place and takes the new value
    let mut entries: Vec<(String, String)> = Vec::new();
    for (n, item) in items.iter().enumerate().filter(|(_, i)| !i.is_empty()) {
        let kv = java_split(java_trim(item), |c| c == '=');
        if kv.len() != 2 || kv[0].is_empty() || kv[1].is_empty() {
            // the value is a secret (is_secret_key): say where, not what
            return Err(format!(
                "expected key=value pairs separated by commas; entry {} is not one",
                n + 1
            ));
        }
        match entries.iter_mut().find(|(k, _)| *k == kv[0]) {
            Some(e) => e.1 = kv[1].clone(),
            None => entries.push((kv[0].clone(), kv[1].clone())),
        }
    }
    if entries.is_empty() {
        return Ok(String::new());
    }
    let hashes: Vec<i32> = entries.iter().map(|(k, _)| java_string_hash(k)).collect();
    let mut json = String::from("{");
    for (n, i) in java_hashmap_order(&hashes).into_iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        let (k, v) = &entries[i];
        // serde_json escapes as Jackson does by default: ", \, \b \t \n \f \r, other
        // controls as \u00XX, everything else as UTF-8
        json.push_str(&serde_json::to_string(k).expect("a string"));
        json.push(':');
        json.push_str(&serde_json::to_string(v).expect("a string"));
    }
    json.push('}');
    Ok(base64::engine::general_purpose::STANDARD.encode(json.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(v: &str) -> String {
        let b = encryption_context_base64(v).unwrap();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap()
    }

    #[test]
    fn lists_become_base64_json_in_hashmap_order() {
        assert_eq!(encryption_context_base64("").unwrap(), "");
        assert_eq!(encryption_context_base64("  \n ").unwrap(), "");
        assert_eq!(encryption_context_base64(" , ").unwrap(), "");
        assert_eq!(
            encryption_context_base64("project=hadoop").unwrap(),
            "eyJwcm9qZWN0IjoiaGFkb29wIn0="
        );
        assert_eq!(decoded(" a = 1 ,\n b=2,, "), r#"{"a":"1","b":"2"}"#);
        // "b" (hash 98) sorts before "aa" (hash 3104 -> bucket 0) in a table of 16
        assert_eq!(decoded("b=x,aa=y"), r#"{"aa":"y","b":"x"}"#);
        assert_eq!(decoded("k=1,k=2"), r#"{"k":"2"}"#);
        assert_eq!(decoded(r#"q="x\y"#), r#"{"q":"\"x\\y"}"#);
        assert_eq!(decoded("é=ü"), r#"{"é":"ü"}"#);
    }

    #[test]
    fn malformed_entries_are_rejected() {
        for bad in ["a", "a=", "=b", "a=b=c", "a=1,b"] {
            assert!(encryption_context_base64(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn splits_like_java() {
        let s = |v: &str| java_split(v, |c| c == ',' || c == '\n');
        assert_eq!(s("a , b"), ["a", "b"]);
        assert_eq!(s("a \n \n b"), ["a", "b"]);
        assert_eq!(s(",a"), ["", "a"]);
        assert_eq!(s("a,,"), ["a"]);
        assert_eq!(s("a , , b"), ["a", "", "b"]);
        assert_eq!(s("a b"), ["a b"]);
    }
}
