//! Server-side encryption as requests carry it: from the bound token's encryption secrets, else
//! from `fs.s3a.encryption.*`.

use crate::conf::{keys as config_keys, ConfigError, Configuration};
use aws_sdk_s3::types::ServerSideEncryption;
use base64::Engine;
use s3adt_token::secret::SecretString;
use s3adt_token::S3ATokenIdentifier;
use std::fmt;

/// Server-side encryption as requests carry it.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum S3Encryption {
    #[default]
    None,
    /// SSE-S3: `x-amz-server-side-encryption: AES256`.
    SseS3,
    /// SSE-KMS: `aws:kms`, with the bucket's default key when none is named.
    SseKms { key_id: Option<String> },
    /// DSSE-KMS: `aws:kms:dsse`.
    DsseKms { key_id: Option<String> },
    /// SSE-C: the customer's 256-bit key (base64) and its MD5 (base64) on every request that
    /// reads or writes object data (GET, HEAD, PUT, UploadPart, Complete, Copy).
    SseC { key: SecretString, key_md5: String },
}

impl fmt::Debug for S3Encryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            S3Encryption::None => f.write_str("None"),
            S3Encryption::SseS3 => f.write_str("SseS3"),
            S3Encryption::SseKms { key_id } => write!(f, "SseKms({key_id:?})"),
            S3Encryption::DsseKms { key_id } => write!(f, "DsseKms({key_id:?})"),
            S3Encryption::SseC { key_md5, .. } => write!(f, "SseC(md5 {key_md5})"),
        }
    }
}

impl S3Encryption {
    /// From an algorithm as hadoop-aws names it (`S3AEncryptionMethods`: "", AES256, SSE-KMS,
    /// SSE-C, DSSE-KMS; case-insensitive) and a key, with hadoop-aws's checks: SSE-C needs a
    /// key, SSE-S3 takes none. Client-side encryption (CSE-*) is not supported.
    pub fn from_algorithm(algorithm: &str, key: &str) -> Result<Self, String> {
        use s3adt_token::EncryptionMethod as M;
        let method =
            M::from_algorithm(algorithm).map_err(|_| "Unknown encryption algorithm".to_owned())?;
        let key = key.trim();
        let key_id = (!key.is_empty()).then(|| key.to_owned());
        Ok(match method {
            M::None => S3Encryption::None,
            M::SseS3 if !key.is_empty() => {
                return Err(format!(
                    "AES256 is enabled but an encryption key was set in {} (key length = {})",
                    config_keys::ENCRYPTION_KEY,
                    key.len()
                ))
            }
            M::SseS3 => S3Encryption::SseS3,
            M::SseKms => S3Encryption::SseKms { key_id },
            M::DsseKms => S3Encryption::DsseKms { key_id },
            M::SseC => {
                if key.is_empty() {
                    return Err(format!(
                        "SSE-C is enabled but no encryption key is set in {}",
                        config_keys::ENCRYPTION_KEY
                    ));
                }
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(key)
                    .map_err(|_| "the SSE-C key is not base64".to_owned())?;
                if raw.len() != 32 {
                    return Err(format!(
                        "the SSE-C key must be 256 bits (32 bytes), it is {} bytes",
                        raw.len()
                    ));
                }
                use md5::Digest;
                let md5 = md5::Md5::digest(&raw);
                S3Encryption::SseC {
                    key: key.into(),
                    key_md5: base64::engine::general_purpose::STANDARD.encode(md5),
                }
            }
            M::CseKms | M::CseCustom => {
                return Err(format!(
                    "client-side encryption ({}) is not supported by s3adt",
                    method.method()
                ))
            }
        })
    }

    /// From `fs.s3a.encryption.algorithm` / `.key` (or the older
    /// `fs.s3a.server-side-encryption-algorithm` / `.key`).
    pub fn from_config(conf: &Configuration) -> Result<Self, ConfigError> {
        let algorithm = conf
            .get_first_trimmed(&[
                config_keys::ENCRYPTION_ALGORITHM,
                config_keys::SSE_ALGORITHM_OLD,
            ])
            .unwrap_or_default();
        let key = conf
            .get_first_trimmed(&[config_keys::ENCRYPTION_KEY, config_keys::SSE_KEY_OLD])
            .unwrap_or_default();
        Self::from_algorithm(&algorithm, &key).map_err(|message| ConfigError::BadValue {
            key: config_keys::ENCRYPTION_ALGORITHM.to_owned(),
            message,
        })
    }

    /// The token's encryption secrets (`EncryptionSecrets` in the identifier).
    pub fn from_token(id: &S3ATokenIdentifier) -> Result<Self, String> {
        Self::from_algorithm(&id.encryption.algorithm, id.encryption.key.expose()).map_err(|m| {
            format!(
                "encryption secrets of the delegation token for {}: {m}",
                id.uri
            )
        })
    }

    pub(super) fn sse(&self) -> Option<(ServerSideEncryption, Option<String>)> {
        match self {
            S3Encryption::SseS3 => Some((ServerSideEncryption::Aes256, None)),
            S3Encryption::SseKms { key_id } => Some((ServerSideEncryption::AwsKms, key_id.clone())),
            S3Encryption::DsseKms { key_id } => {
                Some((ServerSideEncryption::AwsKmsDsse, key_id.clone()))
            }
            _ => None,
        }
    }

    /// (algorithm, key, key MD5) for SSE-C.
    pub(crate) fn customer(&self) -> Option<(&'static str, String, String)> {
        match self {
            S3Encryption::SseC { key, key_md5 } => {
                Some(("AES256", key.expose().to_owned(), key_md5.clone()))
            }
            _ => None,
        }
    }
}

/// The SSE-C headers, on any request builder that has them.
macro_rules! sse_c {
    ($b:expr, $enc:expr) => {{
        let b = $b;
        match $enc.customer() {
            Some((alg, key, md5)) => b
                .sse_customer_algorithm(alg)
                .sse_customer_key(key)
                .sse_customer_key_md5(md5),
            None => b,
        }
    }};
}
/// SSE-S3/KMS headers (requests that create objects), then SSE-C.
macro_rules! sse_write {
    ($b:expr, $enc:expr) => {{
        let b = $b;
        let b = match $enc.sse() {
            Some((sse, key_id)) => b.server_side_encryption(sse).set_ssekms_key_id(key_id),
            None => b,
        };
        sse_c!(b, $enc)
    }};
}
/// Send a request that carries object bytes (PutObject, UploadPart), built in one place: the
/// store's bucket, the key, `data`'s length and body and the encryption headers `$sse` adds
/// (`sse_write` for a new object, `sse_c` for a part). `$request` comes from the store's
/// `uploads` client, which has the upload timeouts.
macro_rules! send_data {
    ($store:expr, $request:expr, $key:expr, $data:expr, $sse:ident, $enc:expr) => {
        $sse!(
            $request
                .bucket(&$store.bucket)
                .key($key)
                .content_length($data.len() as i64)
                .body($data.body()),
            $enc
        )
        .send()
    };
}
pub(crate) use send_data;
pub(crate) use sse_c;
pub(crate) use sse_write;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_rules_are_hadoops() {
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        let mut c = Configuration::new();
        c.set(config_keys::SSE_ALGORITHM_OLD, "sse-c");
        c.set(config_keys::SSE_KEY_OLD, key.as_str());
        let S3Encryption::SseC { key_md5, .. } = S3Encryption::from_config(&c).unwrap() else {
            panic!("SSE-C expected")
        };
        use md5::Digest;
        assert_eq!(
            key_md5,
            base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest([7u8; 32]))
        );
        assert!(!format!("{:?}", S3Encryption::from_config(&c).unwrap()).contains(&key));
        c.set(config_keys::ENCRYPTION_ALGORITHM, "SSE-KMS");
        c.set(config_keys::ENCRYPTION_KEY, "arn:aws:kms:us-east-1:1:key/x");
        assert_eq!(
            S3Encryption::from_config(&c).unwrap(),
            S3Encryption::SseKms {
                key_id: Some("arn:aws:kms:us-east-1:1:key/x".into())
            }
        );
        c.set(config_keys::ENCRYPTION_ALGORITHM, "AES256");
        assert!(S3Encryption::from_config(&c)
            .unwrap_err()
            .to_string()
            .contains("AES256 is enabled but an encryption key was set"));
        c.unset(config_keys::ENCRYPTION_KEY);
        c.unset(config_keys::SSE_KEY_OLD);
        assert_eq!(S3Encryption::from_config(&c).unwrap(), S3Encryption::SseS3);
        c.set(config_keys::ENCRYPTION_ALGORITHM, "SSE-C");
        assert!(S3Encryption::from_config(&c).is_err(), "SSE-C needs a key");
        c.set(config_keys::ENCRYPTION_ALGORITHM, "CSE-KMS");
        let e = S3Encryption::from_config(&c).unwrap_err().to_string();
        assert!(e.contains("not supported"), "{e}");
        c.set(config_keys::ENCRYPTION_ALGORITHM, "rot13");
        assert!(S3Encryption::from_config(&c).is_err());
    }
}
