//! Multipart uploads: start, upload a part, complete (listing and aborting them: `uploads.rs`).

use super::buffer::PartData;
use super::client::S3Store;
use super::{encryption::*, error::*};
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};

impl S3Store {
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
