//! Any bytes as a token storage file; decoded files are described and re-encoded, and what
//! they re-encode to must decode to the same tokens.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3adt_token::describe::TokenDescription;
use s3adt_token::{TokenFile, TokenFileFormat};

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = TokenFile::decode(data) {
        for (alias, token) in file.tokens() {
            let _ = TokenDescription::of(Some(&alias.to_string_lossy()), token);
            let _ = token.to_string();
        }
        for format in [TokenFileFormat::Writable, TokenFileFormat::Protobuf] {
            let again = TokenFile::decode(&file.encode(format)).expect("our own encoding decodes");
            assert_eq!(again, file);
        }
    }
});
