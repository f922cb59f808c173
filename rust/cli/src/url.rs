//! `s3a://bucket[/path]` as every command takes it: one parser, so the commands agree on what a
//! bucket URL is. Nothing here quotes the argument: a value in the wrong place may be a secret.

/// Why an argument is not an `s3a://` bucket URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadUrl {
    /// It does not start with `s3a://`.
    NotS3a,
    /// `s3a://` with nothing (or `/`) after it.
    NoBucket,
}

/// An `s3a://bucket[/path]` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S3aUrl<'a> {
    pub bucket: &'a str,
    /// The path as an object key prefix: without the leading `/` (empty for the bucket).
    pub key: &'a str,
}

/// The bucket and key of `s3a://bucket[/path]`.
pub fn parse(uri: &str) -> Result<S3aUrl<'_>, BadUrl> {
    let rest = uri.strip_prefix("s3a://").ok_or(BadUrl::NotS3a)?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(BadUrl::NoBucket);
    }
    Ok(S3aUrl { bucket, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_and_key() {
        let ok = |bucket, key| Ok(S3aUrl { bucket, key });
        assert_eq!(parse("s3a://b"), ok("b", ""));
        assert_eq!(parse("s3a://b/"), ok("b", ""));
        assert_eq!(parse("s3a://b/dir/file"), ok("b", "dir/file"));
        assert_eq!(parse("s3a://b/dir/"), ok("b", "dir/"));
        assert_eq!(parse("s3a://"), Err(BadUrl::NoBucket));
        assert_eq!(parse("s3a:///key"), Err(BadUrl::NoBucket));
        assert_eq!(parse("s3://b"), Err(BadUrl::NotS3a));
        assert_eq!(parse("hdfs://nn/"), Err(BadUrl::NotS3a));
    }
}
