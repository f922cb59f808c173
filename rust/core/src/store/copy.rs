//! Server-side copies: one CopyObject up to 5 GiB, UploadPartCopy in parts above.

use super::client::S3Store;
use super::{encryption::*, error::*, object::*, settings::*};
use aws_sdk_s3::types::CompletedPart;

impl S3Store {
    /// Server-side copy: CopyObject, or UploadPartCopy in parts of `fs.s3a.multipart.size`
    /// above `fs.s3a.multipart.threshold` (and always above 5 GiB, CopyObject's limit).
    /// FileNotFound when the source is absent. The destination gets the current encryption.
    pub async fn copy(&self, src: &str, dst: &str) -> Result<(), S3Error> {
        let meta = self.head(src).await?.ok_or_else(|| {
            let mut e = S3Error::new(
                S3ErrorKind::NotFound,
                "copyFile",
                self.path(src),
                "no such object",
            );
            e.status = Some(404);
            e
        })?;
        let enc = self.encryption()?;
        let source = encode_copy_source(&self.bucket, src);
        if meta.length <= self.settings.copy_threshold.min(MAX_SINGLE_COPY) {
            let source_c = enc.customer();
            return self
                .call("copyFile", dst, || {
                    let mut b = sse_write!(
                        self.uploads
                            .copy_object()
                            .bucket(&self.bucket)
                            .key(dst)
                            .copy_source(&source)
                            .copy_source_if_match(&meta.etag),
                        enc
                    );
                    if let Some((alg, key, md5)) = &source_c {
                        b = b
                            .copy_source_sse_customer_algorithm(*alg)
                            .copy_source_sse_customer_key(key)
                            .copy_source_sse_customer_key_md5(md5);
                    }
                    b.send()
                })
                .await
                .map(|_| ());
        }
        multipart_copy(self, &source, &meta, dst, &enc).await
    }
}

/// Percent-encoding for `x-amz-copy-source`: all but unreserved characters and "/".
fn encode_copy_source(bucket: &str, key: &str) -> String {
    let mut out = String::with_capacity(bucket.len() + key.len() + 8);
    out.push_str(bucket);
    out.push('/');
    crate::percent::encode_into(&mut out, key, b"-_.~/");
    out
}

/// Copy `meta` (at `source`, already encoded) to `dst` with UploadPartCopy, parts of the
/// configured size (larger when 10,000 would not be enough), a bounded number at once.
pub(crate) async fn multipart_copy(
    store: &S3Store,
    source: &str,
    meta: &ObjectMeta,
    dst: &str,
    enc: &S3Encryption,
) -> Result<(), S3Error> {
    let length = meta.length;
    let part = store
        .settings()
        .multipart_size
        .max(length.div_ceil(MAX_PARTS as u64));
    let id = store.create_upload(dst).await?;
    let result = async {
        let ranges: Vec<(i32, u64, u64)> = (0..length.div_ceil(part))
            .map(|i| (i as i32 + 1, i * part, ((i + 1) * part).min(length) - 1))
            .collect();
        let mut done = Vec::with_capacity(ranges.len());
        for window in ranges.chunks(store.settings().max_parts_in_flight) {
            let calls = window.iter().map(|&(number, first, last)| {
                let id = id.as_str();
                async move {
                    let out = store
                        .call("copyPart", dst, || {
                            let mut b = sse_c!(
                                store
                                    .upload_client()
                                    .upload_part_copy()
                                    .bucket(store.bucket())
                                    .key(dst)
                                    .upload_id(id)
                                    .part_number(number)
                                    .copy_source(source)
                                    .copy_source_range(format!("bytes={first}-{last}"))
                                    .copy_source_if_match(&meta.etag),
                                enc
                            );
                            if let Some((alg, key, md5)) = enc.customer() {
                                b = b
                                    .copy_source_sse_customer_algorithm(alg)
                                    .copy_source_sse_customer_key(key)
                                    .copy_source_sse_customer_key_md5(md5);
                            }
                            // An UploadPartCopy has no body; Ceph RGW (16.2) refuses it with 411
                            // MissingContentLength unless the length is said explicitly.
                            b.customize()
                                .mutate_request(|req| {
                                    req.headers_mut().insert("content-length", "0");
                                })
                                .send()
                        })
                        .await?;
                    Ok::<_, S3Error>(
                        CompletedPart::builder()
                            .part_number(number)
                            .set_e_tag(
                                out.copy_part_result()
                                    .and_then(|r| r.e_tag())
                                    .map(str::to_owned),
                            )
                            .build(),
                    )
                }
            });
            for r in join_all(calls).await {
                done.push(r?);
            }
        }
        store.complete_upload(dst, &id, done).await
    }
    .await;
    if result.is_err() {
        let _ = store.abort_upload(dst, &id).await;
    }
    result
}

/// Run futures concurrently on this task, results in order.
async fn join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_source_is_percent_encoded() {
        assert_eq!(
            encode_copy_source("b", "dir/a b+c%.txt"),
            "b/dir/a%20b%2Bc%25.txt"
        );
        assert_eq!(encode_copy_source("b", "é"), "b/%C3%A9");
    }
}
