//! Any bytes as the body of an instance-metadata or container-credentials reply (the HTTP
//! framing is hyper's, through the AWS SDK's client): UTF-8, then the credentials JSON and its
//! Expiration. Network input that carries credentials: it must give a value or an error,
//! never a panic (a panic's message would quote the reply).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = s3adt_core::parse_metadata_reply_for_fuzzing(data);
});
