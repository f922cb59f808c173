//! Multipart uploads: start, upload a part, complete (listing and aborting them: `uploads.rs`).
//!
//! The public primitives ([`S3Store::create_upload`], [`S3Store::put_part`],
//! [`S3Store::complete_parts`], and `uploads.rs`'s [`S3Store::abort_upload`] and
//! [`S3Store::list_uploads`]) are what Hadoop's `MultipartUploader` and s3adt's magic committer
//! drive: an upload started by one process may be completed or aborted by another from its key,
//! id and part etags alone.

use super::buffer::PartData;
use super::client::S3Store;
use super::{encryption::*, error::*};
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};

/// A multipart upload whose parts are all uploaded but which is not completed, so nothing is
/// visible at `key` until [`S3Store::complete_parts`] (the magic committer's job commit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingUpload {
    pub key: String,
    pub upload_id: String,
    /// The parts' etags, part 1 first.
    pub etags: Vec<String>,
    /// The bytes written.
    pub length: u64,
}

impl S3Store {
    /// Start a multipart upload to `key`; its id.
    pub async fn create_upload(&self, key: &str) -> Result<String, S3Error> {
        let enc = self.encryption()?;
        let out = self
            .call("initiateMultipartUpload", key, || {
                sse_write!(
                    self.client
                        .create_multipart_upload()
                        .bucket(&self.bucket)
                        .key(key),
                    enc
                )
                .send()
            })
            .await?;
        out.upload_id().map(str::to_owned).ok_or_else(|| {
            S3Error::new(
                S3ErrorKind::Other,
                "initiateMultipartUpload",
                self.path(key),
                "the reply carried no upload id",
            )
        })
    }

    pub(crate) async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        number: i32,
        data: &PartData,
    ) -> Result<CompletedPart, S3Error> {
        let enc = self.encryption()?;
        let out = self
            .call("uploadPart", key, || {
                let part = self.uploads.upload_part().upload_id(upload_id);
                send_data!(self, part.part_number(number), key, data, sse_c, enc)
            })
            .await?;
        Ok(CompletedPart::builder()
            .part_number(number)
            .set_e_tag(out.e_tag().map(str::to_owned))
            .build())
    }

    /// Upload `data` as part `number` (1 to 10,000) of an upload; the part's etag.
    pub async fn put_part(
        &self,
        key: &str,
        upload_id: &str,
        number: i32,
        data: bytes::Bytes,
    ) -> Result<String, S3Error> {
        let part = self
            .upload_part(key, upload_id, number, &PartData::Memory(data))
            .await?;
        Ok(part.e_tag().unwrap_or_default().to_owned())
    }

    /// Complete an upload from its parts' (number, etag), in any order: the object becomes
    /// visible at `key`. Completing one that was completed already with these parts succeeds
    /// (see [`completed_anyway`]).
    pub async fn complete_parts(
        &self,
        key: &str,
        upload_id: &str,
        parts: &[(i32, String)],
    ) -> Result<(), S3Error> {
        let mut parts: Vec<(i32, String)> = parts.to_vec();
        parts.sort_by_key(|p| p.0);
        let parts = parts
            .into_iter()
            .map(|(n, e)| CompletedPart::builder().part_number(n).e_tag(e).build())
            .collect();
        self.complete_upload(key, upload_id, parts).await
    }

    pub(crate) async fn complete_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: Vec<CompletedPart>,
    ) -> Result<(), S3Error> {
        let enc = self.encryption()?;
        let upload = CompletedMultipartUpload::builder()
            .set_parts(Some(parts))
            .build();
        self.call("completeMultipartUpload", key, || {
            let sent = sse_c!(
                self.client
                    .complete_multipart_upload()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(upload_id)
                    .multipart_upload(upload.clone()),
                enc
            )
            .send();
            async move {
                match sent.await {
                    Ok(_) => Ok(()),
                    Err(SdkError::ServiceError(se)) if completed_anyway(se.raw()) => Ok(()),
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }
}
