//! Any bytes as an S3A identifier of each kind; what decodes must re-encode to bytes that
//! decode to the same identifier.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3adt_token::{S3ATokenIdentifier, S3ATokenKind};

fuzz_target!(|data: &[u8]| {
    for kind in S3ATokenKind::ALL {
        if let Ok(id) = S3ATokenIdentifier::decode(kind.as_str(), data) {
            let _ = id.to_string();
            if let Ok(bytes) = id.to_bytes() {
                let _ = S3ATokenIdentifier::decode(kind.as_str(), &bytes).expect("re-encoded identifier decodes");
            }
        }
    }
});
