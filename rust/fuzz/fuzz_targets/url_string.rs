//! Any text as a token URL string.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3adt_token::Token;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = Token::decode_from_url_string(s) {
            let again = Token::decode_from_url_string(&t.encode_to_url_string()).expect("round trip");
            assert_eq!(again, t);
        }
    }
});
