//! Multipart uploads: start, upload a part, complete, abort, list those in progress.

use super::buffer::PartData;
use super::client::S3Store;
use super::{encryption::*, error::*, object::*};
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};

impl S3Store {
    // duplicates: deliberate. Its request builder reads like abort_upload's and
    // client.rs's list: one aws-sdk-s3 builder type per operation (see client.rs).
    /// Keys and ids of the multipart uploads in progress under `prefix`.
    pub async fn list_uploads(&self, prefix: &str) -> Result<Vec<UploadInfo>, S3Error> {
        let mut out = Vec::new();
        let (mut key_marker, mut id_marker): (Option<String>, Option<String>) = (None, None);
        loop {
            let resp = self
                .call("listMultipartUploads", prefix, || {
                    self.client
                        .list_multipart_uploads()
                        .bucket(&self.bucket)
                        .prefix(prefix)
                        .set_key_marker(key_marker.clone())
                        .set_upload_id_marker(id_marker.clone())
                        .send()
                })
                .await?;
            out.extend(resp.uploads().iter().map(|u| UploadInfo {
                key: u.key().unwrap_or_default().to_owned(),
                upload_id: u.upload_id().unwrap_or_default().to_owned(),
                initiated: millis(u.initiated()),
            }));
            if resp.is_truncated() != Some(true) {
                break;
            }
            let next = (
                resp.next_key_marker().map(str::to_owned),
                resp.next_upload_id_marker().map(str::to_owned),
            );
            if next.0.is_none() || (next.0 == key_marker && next.1 == id_marker) {
                break;
            }
            (key_marker, id_marker) = next;
        }
        Ok(out)
    }

    /// Abort a multipart upload; one that is already gone is no error.
    pub async fn abort_upload(&self, key: &str, upload_id: &str) -> Result<(), S3Error> {
        let r = self
            .call("abortMultipartUpload", key, || {
                self.client
                    .abort_multipart_upload()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(upload_id)
                    .send()
            })
            .await;
        match r {
            Err(e) if e.kind != S3ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    pub(crate) async fn create_upload(&self, key: &str) -> Result<String, S3Error> {
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
                let part = self.client.upload_part().upload_id(upload_id);
                send_data!(self, part.part_number(number), key, data, sse_c, enc)
            })
            .await?;
        Ok(CompletedPart::builder()
            .part_number(number)
            .set_e_tag(out.e_tag().map(str::to_owned))
            .build())
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
