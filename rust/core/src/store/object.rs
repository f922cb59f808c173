//! What S3 says about objects and uploads: metadata, listing entries, uploads in progress.

/// An object's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub key: String,
    pub length: u64,
    /// Milliseconds since the epoch (0 when S3 gave none).
    pub last_modified: i64,
    /// As S3 gives it (quoted).
    pub etag: String,
}

/// One entry of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListEntry {
    Object(ObjectMeta),
    /// A common prefix (a "directory" in a delimited listing), ending in "/".
    Prefix(String),
}

impl ListEntry {
    pub fn key(&self) -> &str {
        match self {
            ListEntry::Object(o) => &o.key,
            ListEntry::Prefix(p) => p,
        }
    }
}

/// A multipart upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadInfo {
    pub key: String,
    pub upload_id: String,
    /// Milliseconds since the epoch.
    pub initiated: i64,
}

pub(super) fn millis(t: Option<&aws_smithy_types::DateTime>) -> i64 {
    t.and_then(|t| t.to_millis().ok()).unwrap_or(0)
}
