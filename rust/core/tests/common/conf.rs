//! The configurations the integration tests start from: one for issuing tokens through STS,
//! one for the S3 data path, both with full keys for SimpleAWSCredentialsProvider and short
//! retry intervals.
#![allow(dead_code)]

use s3adt_core::conf::{keys, Configuration};

/// A configuration for `binding` pointing STS at `endpoint`, with full keys in fs.s3a.*.
pub fn sts_conf(binding: &str, endpoint: &str) -> Configuration {
    let mut c = Configuration::new();
    c.set(keys::DELEGATION_TOKEN_BINDING, binding);
    c.set(keys::ASSUMED_ROLE_STS_ENDPOINT, endpoint);
    c.set(keys::ASSUMED_ROLE_STS_ENDPOINT_REGION, "us-east-1");
    keys_and_short_retries(&mut c, "AKIAPARENT", "parentsecret");
    c
}

/// Full keys for SimpleAWSCredentialsProvider, and retries 10 ms apart.
fn keys_and_short_retries(c: &mut Configuration, access_key: &str, secret_key: &str) {
    c.set(keys::ACCESS_KEY, access_key);
    c.set(keys::SECRET_KEY, secret_key);
    c.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    );
    c.set("fs.s3a.retry.interval", "10ms");
    c.set("fs.s3a.retry.throttle.interval", "10ms");
}

/// A configuration for the S3 store at `endpoint` (path style), signed with login keys.
pub fn s3_conf(endpoint: &str) -> Configuration {
    let mut c = Configuration::new();
    c.set("fs.s3a.endpoint", endpoint);
    c.set("fs.s3a.path.style.access", "true");
    keys_and_short_retries(&mut c, "AKIALOGIN", "loginsecret");
    c.set("fs.s3a.multipart.size", "5M");
    c
}
