//! `s3adt print` and `s3adt decode`: what is in a token, without its secrets.

use s3adt_token::describe::TokenDescription;
use s3adt_token::javatime::iso_date_time_utc;
use s3adt_token::{Token, TokenFile};
use std::path::PathBuf;

fn date(ms: i64) -> String {
    if ms == 0 {
        "0".to_owned()
    } else {
        format!("{ms} ({})", iso_date_time_utc(ms))
    }
}

// Token fields come from whoever made the token: show control characters escaped (the core's
// escaper, the one its error texts use), so a token cannot move the cursor or rewrite the
// terminal it is printed on.
use s3adt_token::error::safe;

fn text(d: &TokenDescription) -> String {
    let mut out = String::new();
    let mut line = |k: &str, v: &str| out.push_str(&format!("  {k:<16}{}\n", safe(v)));
    line("kind", &d.kind);
    line("service", &d.service);
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    if d.owner.is_some() {
        line("owner", &opt(&d.owner));
        line("renewer", &opt(&d.renewer));
        line("realUser", &opt(&d.real_user));
        line("issueDate", &date(d.issue_date.unwrap_or(0)));
        line("maxDate", &date(d.max_date.unwrap_or(0)));
        line(
            "sequenceNumber",
            &d.sequence_number.unwrap_or(0).to_string(),
        );
        line("masterKeyId", &d.master_key_id.unwrap_or(0).to_string());
    }
    if d.uri.is_some() {
        line("uri", &opt(&d.uri));
        line("origin", &opt(&d.origin));
        line("uuid", &opt(&d.uuid));
        line("created", &date(d.created.unwrap_or(0)));
        let alg = opt(&d.encryption_algorithm);
        let present = |p: Option<bool>| if p == Some(true) { "present" } else { "absent" };
        line(
            "encryption",
            &format!(
                "{}; key {}; context {}; layout {}",
                if alg.is_empty() { "(none)" } else { &alg },
                present(d.encryption_key_present),
                present(d.encryption_context_present),
                d.encryption_layout.unwrap_or("?")
            ),
        );
        line("credentials", d.credential_type.unwrap_or("?"));
        let exp = d.expiration.unwrap_or(0);
        line(
            "expiration",
            &if exp == 0 {
                "0 (unknown)".to_owned()
            } else {
                date(exp)
            },
        );
    }
    // which hadoop-aws releases can read the token (docs/hadoop-facts.md §2)
    line(
        "readers",
        &match d.hadoop_aws_readers {
            "none" => "no hadoop-aws release".to_owned(),
            r => format!("hadoop-aws {r}"),
        },
    );
    if let Some(hex) = &d.identifier_hex {
        line(
            "identifier",
            &format!("{hex} (not decoded: {})", opt(&d.decode_error)),
        );
    }
    out
}

fn emit(descriptions: &[(Option<String>, TokenDescription)], json: bool) {
    if json {
        let values: Vec<serde_json::Value> = descriptions
            .iter()
            .map(|(file, d)| {
                let mut v = serde_json::to_value(d).expect("a description is plain data");
                if let (Some(file), Some(obj)) = (file, v.as_object_mut()) {
                    obj.insert("file".into(), file.clone().into());
                }
                v
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&values).expect("plain data")
        );
    }
}

pub fn print_files(files: &[PathBuf], json: bool) -> bool {
    let mut ok = true;
    let mut all = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        let (file, format) = match TokenFile::read_path(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("s3adt: {e}");
                ok = false;
                continue;
            }
        };
        if !json {
            println!(
                "File: {shown} (format {}, {} token(s), {} secret key(s))",
                format.name(),
                file.tokens().len(),
                file.secrets().len()
            );
        }
        for (index, (alias, token)) in file.tokens().iter().enumerate() {
            let alias = alias.to_string_lossy();
            match TokenDescription::of(Some(&alias), token) {
                Ok(d) => {
                    if !json {
                        println!("Token {}: alias {}", index + 1, safe(&alias));
                        print!("{}", text(&d));
                    }
                    all.push((Some(shown.clone()), d));
                }
                Err(e) => {
                    eprintln!(
                        "s3adt: {shown}: token {} (alias {alias:?}, kind {}): {e}",
                        index + 1,
                        token.kind
                    );
                    ok = false;
                }
            }
        }
        if !json {
            for (alias, _) in file.secrets() {
                println!(
                    "Secret key: alias {} (value not shown)",
                    safe(&alias.to_string_lossy())
                );
            }
        }
    }
    emit(&all, json);
    ok
}

pub fn decode(url: &str, json: bool) -> bool {
    let described = Token::decode_from_url_string(url).and_then(|t| TokenDescription::of(None, &t));
    match described {
        Ok(d) => {
            if json {
                emit(&[(None, d)], true);
            } else {
                print!("{}", text(&d));
            }
            true
        }
        Err(e) => {
            eprintln!("s3adt: token string: {e}");
            false
        }
    }
}
