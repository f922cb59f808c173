//! What `hadoop s3guard bucket-info` tells an operator about a bucket, for s3adt: the client
//! settings, the committer settings, the delegation-token state, what would sign, and whether
//! the bucket answers. Secret-free by construction: it holds names, key ids (never a secret
//! key or session token) and error texts that are secret-free themselves.

use crate::auth::binding::Binding;
use crate::auth::chain::{configured_chain, resolve_chain_source};
use crate::auth::consume::{identifier_for_bucket, now_ms};
use crate::auth::credentials::Env;
use crate::conf::Configuration;
use crate::store::{S3Encryption, S3Settings, S3Store};
use s3adt_token::javatime::iso_date_time_utc;
use s3adt_token::TokenFile;
use std::sync::Arc;

/// One bucket as s3adt sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BucketInfo {
    pub bucket: String,
    /// `fs.s3a.endpoint` as set (None: AWS's endpoint for the region).
    pub endpoint: Option<String>,
    pub region: String,
    pub path_style: bool,
    /// `none`, `SSE-S3`, `SSE-KMS`, `DSSE-KMS`, `SSE-C`: hadoop-aws's algorithm names.
    pub encryption: String,
    /// The KMS key id of SSE-KMS/DSSE-KMS (a name, not a secret); never SSE-C's key.
    pub encryption_key_id: Option<String>,
    /// `fs.s3a.committer.name` (default `file`).
    pub committer: String,
    /// `mapreduce.outputcommitter.factory.scheme.s3a`, when set.
    pub committer_factory: Option<String>,
    /// Whether s3adt supports the magic committer for this bucket (not yet: issue 11).
    pub magic_committer: bool,
    /// `fs.s3a.delegation.token.binding` as s3adt names it (Full, Session, Role), None: off.
    pub binding: Option<String>,
    /// The token kind the binding issues and consumes.
    pub token_kind: Option<String>,
    /// `hadoop.security.authentication` (default `simple`).
    pub security: String,
    /// What would sign this bucket's requests.
    pub signer: Signer,
    /// The bucket's answer to one HEAD (HeadBucket): None when it answered, else the error.
    pub probe_error: Option<String>,
    /// Whether the HEAD failed because the bucket does not exist (404).
    pub not_found: bool,
    /// Whether the HEAD was refused (403).
    pub access_denied: bool,
}

/// Who signs: the delegation token from the token file, or the credential chain's first source
/// that has credentials.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signer {
    Token {
        file: String,
        token_kind: String,
        access_key: String,
        /// Java's `toString` of the expiry, None for Full tokens.
        expires: Option<String>,
        expired: bool,
    },
    Chain {
        source: String,
        access_key: String,
    },
    /// Nothing would sign (the text says why).
    None {
        reason: String,
    },
}

/// Describe `bucket` with the (not yet bucket-resolved) `conf`. `token_file` is the file a task
/// would read (`HADOOP_TOKEN_FILE_LOCATION`); its token for the bucket signs when there is one.
/// `probe`: send the one HEAD. Fails only on a setting that makes the bucket unusable (an
/// unknown binding or provider name, a malformed size): the error names the key.
pub fn bucket_info(
    bucket: &str,
    conf: &Configuration,
    token_file: Option<&std::path::Path>,
    env: Env<'_>,
    probe: bool,
) -> Result<BucketInfo, String> {
    let conf = conf.for_bucket(bucket);
    let settings = S3Settings::from_config(&conf).map_err(|e| e.to_string())?;
    let binding = Binding::from_config(&conf).map_err(|e| e.to_string())?;
    let (encryption, encryption_key_id) = match &settings.encryption {
        S3Encryption::None => ("none", None),
        S3Encryption::SseS3 => ("SSE-S3", None),
        S3Encryption::SseKms { key_id } => ("SSE-KMS", key_id.clone()),
        S3Encryption::DsseKms { key_id } => ("DSSE-KMS", key_id.clone()),
        S3Encryption::SseC { .. } => ("SSE-C", None),
    };

    let mut bound = None;
    let signer = match token_file {
        Some(path) => {
            let (file, _) = TokenFile::read_path(path).map_err(|e| e.to_string())?;
            match identifier_for_bucket(&file, bucket, &conf, now_ms()) {
                Ok(id) => {
                    let exp = id.credentials.expiration;
                    let s = Signer::Token {
                        file: path.display().to_string(),
                        token_kind: id.kind.as_str().to_owned(),
                        access_key: id.credentials.access_key.clone(),
                        expires: (exp > 0).then(|| iso_date_time_utc(exp)),
                        expired: exp > 0 && exp <= now_ms(),
                    };
                    bound = Some(id);
                    s
                }
                Err(e) => Signer::None {
                    reason: e.to_string(),
                },
            }
        }
        None => {
            let chain = configured_chain(&conf).map_err(|e| e.to_string())?;
            match crate::runtime::block_on(resolve_chain_source(&chain, &conf, env)) {
                Ok((source, creds)) => Signer::Chain {
                    source: source.to_owned(),
                    access_key: creds.access_key,
                },
                Err(e) => Signer::None {
                    reason: e.to_string(),
                },
            }
        }
    };

    let (mut probe_error, mut not_found, mut access_denied) = (None, false, false);
    if probe && !matches!(signer, Signer::None { .. }) {
        let lookup: Option<crate::store::TokenLookup> =
            bound.map(|id| -> crate::store::TokenLookup {
                let id = Arc::new(id);
                Arc::new(move || Some(id.clone()))
            });
        let result = S3Store::new(bucket, &conf, lookup)
            .and_then(|store| crate::runtime::block_on(store.probe()));
        if let Err(e) = result {
            not_found = e.kind == crate::store::S3ErrorKind::NotFound;
            access_denied = e.kind == crate::store::S3ErrorKind::AccessDenied;
            probe_error = Some(e.to_string());
        }
    } else if probe {
        probe_error = Some("not sent: nothing would sign".to_owned());
    }

    Ok(BucketInfo {
        bucket: bucket.to_owned(),
        endpoint: settings.endpoint_url.clone(),
        region: settings.region.clone(),
        path_style: settings.path_style,
        encryption: encryption.to_owned(),
        encryption_key_id,
        committer: conf.get_trimmed("fs.s3a.committer.name", "file"),
        committer_factory: conf
            .get("mapreduce.outputcommitter.factory.scheme.s3a")
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty()),
        magic_committer: false,
        binding: binding.map(|b| b.name().to_owned()),
        token_kind: binding.map(|b| b.kind().as_str().to_owned()),
        security: conf.get_trimmed("hadoop.security.authentication", "simple"),
        signer,
        probe_error,
        not_found,
        access_denied,
    })
}
