//! Writes every case of `tests/fixtures/cases.json` into token files, once per encryption
//! layout, for the Java side of the interop test to read with real hadoop-aws:
//! `OUT/{v1,v1ctx,v2}/{tokens.writable,tokens.protobuf,urls.json}`.
//!
//! usage: cargo run --release --example write_interop_cases -- CASES.json OUT

#[path = "../tests/common/cases.rs"]
mod cases;

use s3adt_token::{EncryptionLayout, TokenFileFormat};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cases_path, out] = args.as_slice() else {
        eprintln!("usage: write_interop_cases CASES.json OUTDIR");
        std::process::exit(2);
    };
    for layout in [
        EncryptionLayout::V1,
        EncryptionLayout::V1WithContext,
        EncryptionLayout::V2,
    ] {
        let dir = PathBuf::from(out).join(layout.name());
        std::fs::create_dir_all(&dir).unwrap();
        let cases = cases::load(cases_path.as_ref(), layout);
        let file = cases.token_file();
        for format in [TokenFileFormat::Writable, TokenFileFormat::Protobuf] {
            let name = match format {
                TokenFileFormat::Writable => "tokens.writable",
                TokenFileFormat::Protobuf => "tokens.protobuf",
            };
            file.write_path(dir.join(name), format).unwrap();
        }
        let urls: serde_json::Map<String, serde_json::Value> = file
            .tokens()
            .iter()
            .map(|(alias, t)| (alias.to_string_lossy(), t.encode_to_url_string().into()))
            .collect();
        std::fs::write(
            dir.join("urls.json"),
            serde_json::to_string_pretty(&urls).unwrap(),
        )
        .unwrap();
        println!("wrote {} tokens to {}", file.tokens().len(), dir.display());
    }
}
