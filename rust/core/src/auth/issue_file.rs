//! Issuing tokens into a token file: one token per bucket, alias = service = `s3a://bucket`.
//! The one workflow behind `s3adt fetch` and the C API's `s3adt_issue_tokens`.

use crate::auth::issue::{issue_with_cache, IssueError, Issued, SessionCache, TokenRequest};
use crate::conf::Configuration;
use s3adt_token::{Token, TokenFile};

/// Issuing the token of one bucket failed: the bucket and why.
#[derive(Debug, thiserror::Error)]
#[error("s3a://{bucket}: {source}")]
pub struct BucketIssueError {
    pub bucket: String,
    #[source]
    pub source: IssueError,
}

impl crate::error::HasKind for BucketIssueError {
    fn kind(&self) -> crate::error::ErrorKind {
        self.source.kind()
    }
}

/// Issue one token per bucket (names, not URIs) with the binding `conf` names for each (its
/// `fs.s3a.bucket.<bucket>.*` applied) and add them to `file`, alias = service =
/// `s3a://bucket`. GetSessionToken results are shared through `cache`: buckets that resolve
/// to the same STS and keys make one STS call. Blocks on the runtime. On error `file` may hold
/// the tokens of the buckets before the failed one: callers write it only on success.
pub fn issue_token_file(
    file: &mut TokenFile,
    conf: &Configuration,
    buckets: &[impl AsRef<str>],
    owner: &str,
    renewer: &str,
    cache: &SessionCache,
) -> Result<Vec<Issued>, BucketIssueError> {
    let env = |k: &str| crate::auth::credentials::process_env(k);
    let mut all = Vec::with_capacity(buckets.len());
    for bucket in buckets {
        let bucket = bucket.as_ref();
        let fail = |source| BucketIssueError {
            bucket: bucket.to_owned(),
            source,
        };
        let req = TokenRequest {
            bucket: bucket.to_owned(),
            owner: owner.to_owned(),
            renewer: renewer.to_owned(),
        };
        let issued = crate::runtime::block_on(issue_with_cache(
            &conf.for_bucket(bucket),
            &req,
            &env,
            Some(cache),
        ))
        .map_err(fail)?;
        let service = format!("s3a://{bucket}");
        let token = Token::from_s3a(&issued.identifier, service.as_str())
            .map_err(|e| fail(IssueError::Token(e)))?;
        file.add_token(service.as_str().into(), token);
        all.push(issued);
    }
    Ok(all)
}
