//! [`S3Store`]: one bucket's client over `aws-sdk-s3` with the project's one HTTP client, our
//! retries, and the object primitives (head, list, put, delete). Copies, multipart uploads and
//! the streams add their methods in their own files.

use super::buffer::PartData;
use super::{encryption::*, error::*, object::*, settings::*};
use crate::auth::bound::StoreCredentials;
use crate::auth::bound::TokenLookup;
use crate::auth::consume::{check_expiry, now_ms};
use crate::conf::Configuration;
use crate::sdk_error::HttpResponse;
use aws_sdk_s3::config::{
    BehaviorVersion, IdentityCache, Region, RequestChecksumCalculation, ResponseChecksumValidation,
    StalledStreamProtectionConfig,
};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use base64::Engine;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;

/// One bucket's S3 client: the data-path operations. Cheap to share (`Arc`); every operation
/// may run concurrently with any other.
pub struct S3Store {
    pub(super) bucket: String,
    pub(super) settings: S3Settings,
    pub(super) client: aws_sdk_s3::Client,
    /// The same client but for its attempt timeout, `fs.s3a.connection.part.upload.timeout`:
    /// for requests that carry object data (PutObject, UploadPart, the copies). A client of its
    /// own rather than a per-request `config_override`, which rebuilt the SDK's configuration
    /// layers at every PUT (issue 12: it showed in a small file's CPU; the bare client has none).
    pub(super) uploads: aws_sdk_s3::Client,
    pub(super) credentials: StoreCredentials,
    /// GETs, HEADs and small PUTs without the SDK, when the endpoint allows (`direct/`).
    pub(super) direct: Option<super::direct::Direct>,
}

impl fmt::Debug for S3Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Store")
            .field("bucket", &self.bucket)
            .field("settings", &self.settings)
            .finish()
    }
}

impl S3Store {
    /// A store for `bucket` from its resolved configuration (`Configuration::for_bucket`).
    /// `token`, when given, is asked at each request for the delegation token the filesystem
    /// is bound to; when it gives none, the login chain of `conf` supplies the credentials.
    pub fn new(
        bucket: &str,
        conf: &Configuration,
        token: Option<TokenLookup>,
    ) -> Result<Self, S3Error> {
        let settings = S3Settings::from_config(conf).map_err(|e| {
            S3Error::new(
                S3ErrorKind::Config,
                "configure",
                format!("s3a://{bucket}/"),
                e.to_string(),
            )
        })?;
        let credentials = StoreCredentials::new(bucket, conf.clone(), token);
        let mut b = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .http_client(crate::runtime::http_client())
            .region(Region::new(settings.region.clone()))
            .force_path_style(settings.path_style)
            .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
            .timeout_config(settings.timeouts(settings.request_timeout))
            // Our own read timeouts guard open GETs; a reader that pauses is not a stall.
            .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
            // The token is looked up at each request: no cache may keep an old one.
            .identity_cache(IdentityCache::no_cache())
            .credentials_provider(aws_sdk_s3::config::SharedCredentialsProvider::new(
                credentials.clone(),
            ))
            // Plain Content-Length bodies, no trailing checksums: what every S3-compatible
            // store takes (hadoop-aws's default since 3.4.2 too).
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(url) = &settings.endpoint_url {
            b = b.endpoint_url(url.clone());
        }
        let uploads = b
            .clone()
            .timeout_config(settings.timeouts(Some(settings.part_upload_timeout)));
        Ok(S3Store {
            direct: super::direct::Direct::new(&settings, bucket),
            bucket: bucket.to_owned(),
            client: aws_sdk_s3::Client::from_conf(b.build()),
            uploads: aws_sdk_s3::Client::from_conf(uploads.build()),
            settings,
            credentials,
        })
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    pub fn settings(&self) -> &S3Settings {
        &self.settings
    }

    pub(crate) fn client(&self) -> &aws_sdk_s3::Client {
        &self.client
    }

    /// The client for requests carrying object data (see `uploads`).
    pub(crate) fn upload_client(&self) -> &aws_sdk_s3::Client {
        &self.uploads
    }

    pub(crate) fn path(&self, key: &str) -> String {
        format!("s3a://{}/{key}", self.bucket)
    }

    /// The encryption requests carry now: the bound token's secrets when there is a token (as
    /// hadoop-aws: they replace the configuration's, even when they say "none"), else the
    /// configured ones.
    pub fn encryption(&self) -> Result<S3Encryption, S3Error> {
        match self.credentials.bound() {
            Some(id) => S3Encryption::from_token(&id)
                .map_err(|m| S3Error::new(S3ErrorKind::Config, "encryption", self.path(""), m)),
            None => Ok(self.settings.encryption.clone()),
        }
    }

    /// Refuse before any request when the bound token has expired.
    pub(super) fn precheck(&self, operation: &'static str, key: &str) -> Result<(), S3Error> {
        if let Some(id) = self.credentials.bound() {
            check_expiry(&id, &self.bucket, now_ms()).map_err(|e| {
                S3Error::new(S3ErrorKind::Token, operation, self.path(key), e.to_string())
            })?;
        }
        Ok(())
    }

    pub(crate) fn error<E>(
        &self,
        operation: &'static str,
        key: &str,
        e: &SdkError<E, HttpResponse>,
        attempts: u32,
    ) -> S3Error
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        let f = describe(e);
        S3Error {
            kind: f.kind,
            operation,
            path: self.path(key),
            code: f.code,
            status: f.status,
            message: f.message,
            attempts,
            failed_keys: Box::default(),
        }
    }

    /// Run one SDK call with our retries.
    pub(crate) async fn call<T, E, F, Fut>(
        &self,
        operation: &'static str,
        key: &str,
        attempt: F,
    ) -> Result<T, S3Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + StdError + 'static,
    {
        self.precheck(operation, key)?;
        let (result, attempts) = self
            .settings
            .retry
            .run(attempt, |e| describe(e).retry)
            .await;
        result.map_err(|e| self.error(operation, key, &e, attempts))
    }

    /// One direct request (`direct/`; the store has one) with our retries.
    pub(super) async fn call_direct(
        &self,
        direct: &super::direct::Direct,
        operation: &'static str,
        call: &super::direct::Call<'_>,
    ) -> Result<super::direct::Answer, S3Error> {
        self.precheck(operation, call.key)?;
        let (result, attempts) = self
            .settings
            .retry
            .run(
                || direct.send(&self.credentials, call),
                |f: &Failure| f.retry,
            )
            .await;
        result.map_err(|f| S3Error {
            kind: f.kind,
            operation,
            path: self.path(call.key),
            code: f.code,
            status: f.status,
            message: f.message,
            attempts,
            failed_keys: Box::default(),
        })
    }

    /// Connections the direct requests opened (None: this store sends every request through
    /// the SDK).
    #[doc(hidden)]
    pub fn direct_connections(&self) -> Option<u64> {
        self.direct.as_ref().map(|d| d.connections_opened())
    }

    /// HEAD an object: its metadata, or None when there is none.
    pub async fn head(&self, key: &str) -> Result<Option<ObjectMeta>, S3Error> {
        let enc = self.encryption()?;
        if let Some(direct) = &self.direct {
            let call = super::direct::Call {
                method: super::direct::Method::Head,
                key,
                range: None,
                if_match: None,
                sse: None,
                sse_c: enc.customer(),
                body: bytes::Bytes::new(),
                attempt_timeout: self.settings.request_timeout,
            };
            return match self.call_direct(direct, "getFileStatus", &call).await {
                Ok(a) => Ok(Some(ObjectMeta {
                    key: key.to_owned(),
                    length: a.content_length.unwrap_or(0),
                    last_modified: a
                        .last_modified
                        .and_then(|t| {
                            aws_smithy_types::DateTime::from_str(
                                &t,
                                aws_smithy_types::date_time::Format::HttpDate,
                            )
                            .ok()
                        })
                        .as_ref()
                        .map_or(0, |t| millis(Some(t))),
                    etag: a.etag.unwrap_or_default(),
                })),
                Err(e) if e.kind == S3ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            };
        }
        let r = self
            .call("getFileStatus", key, || {
                sse_c!(self.client.head_object().bucket(&self.bucket).key(key), enc).send()
            })
            .await;
        match r {
            Ok(out) => Ok(Some(ObjectMeta {
                key: key.to_owned(),
                length: out.content_length().unwrap_or(0).max(0) as u64,
                last_modified: millis(out.last_modified()),
                etag: out.e_tag().unwrap_or_default().to_owned(),
            })),
            Err(e) if e.kind == S3ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// LIST under `prefix`, every page: with `recursive` every object, otherwise the objects
    /// directly under it and the common prefixes (delimiter "/"). `max_entries > 0` stops after
    /// that many entries (asking for pages of at most that size).
    pub async fn list(
        &self,
        prefix: &str,
        recursive: bool,
        max_entries: usize,
    ) -> Result<Vec<ListEntry>, S3Error> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        let page = if max_entries > 0 {
            self.settings
                .page_size
                .min(max_entries.min(MAX_PAGE as usize) as i32)
        } else {
            self.settings.page_size
        };
        loop {
            // duplicates: deliberate. Like list_uploads and abort_upload (uploads.rs):
            // aws-sdk-s3's fluent builders are one type per operation; retries and errors
            // are already one `call`.
            let resp = self
                .call("listObjects", prefix, || {
                    self.client
                        .list_objects_v2()
                        .bucket(&self.bucket)
                        .prefix(prefix)
                        .set_delimiter((!recursive).then(|| "/".to_owned()))
                        .max_keys(page)
                        .set_continuation_token(token.clone())
                        .send()
                })
                .await?;
            let mut entries: Vec<ListEntry> = resp
                .contents()
                .iter()
                .map(|o| {
                    ListEntry::Object(ObjectMeta {
                        key: o.key().unwrap_or_default().to_owned(),
                        length: o.size().unwrap_or(0).max(0) as u64,
                        last_modified: millis(o.last_modified()),
                        etag: o.e_tag().unwrap_or_default().to_owned(),
                    })
                })
                .chain(
                    resp.common_prefixes()
                        .iter()
                        .filter_map(|p| p.prefix().map(|p| ListEntry::Prefix(p.to_owned()))),
                )
                .collect();
            entries.sort_by(|a, b| a.key().cmp(b.key()));
            out.extend(entries);
            if max_entries > 0 && out.len() >= max_entries {
                out.truncate(max_entries);
                break;
            }
            match resp.next_continuation_token() {
                Some(t) if resp.is_truncated() == Some(true) && !t.is_empty() => {
                    token = Some(t.to_owned())
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// PUT a zero-length object.
    pub async fn put_empty(&self, key: &str) -> Result<(), S3Error> {
        self.put_object(key, bytes::Bytes::new()).await
    }

    /// PUT a whole object in one request.
    pub async fn put_object(&self, key: &str, data: bytes::Bytes) -> Result<(), S3Error> {
        self.put_data(key, &PartData::Memory(data)).await
    }

    /// PUT a whole object from memory or from a part file.
    pub(crate) async fn put_data(&self, key: &str, data: &PartData) -> Result<(), S3Error> {
        let enc = self.encryption()?;
        if let (Some(direct), PartData::Memory(body)) = (&self.direct, data) {
            if body.len() as u64 <= super::direct::PUT_MAX {
                let call = super::direct::Call {
                    method: super::direct::Method::Put,
                    key,
                    range: None,
                    if_match: None,
                    sse: enc.sse().map(|(sse, kms)| (sse.as_str().to_owned(), kms)),
                    sse_c: enc.customer(),
                    body: body.clone(),
                    attempt_timeout: Some(self.settings.part_upload_timeout),
                };
                return self
                    .call_direct(direct, "putObject", &call)
                    .await
                    .map(|_| ());
            }
        }
        self.call("putObject", key, || {
            send_data!(self, self.uploads.put_object(), key, data, sse_write, enc)
        })
        .await
        .map(|_| ())
    }

    /// One HeadBucket: whether the bucket exists and these credentials may use it.
    pub async fn probe(&self) -> Result<(), S3Error> {
        self.call("headBucket", "", || {
            self.client.head_bucket().bucket(&self.bucket).send()
        })
        .await
        .map(|_| ())
    }

    /// Delete these keys with DeleteObjects (quiet), in batches of 1,000. A missing key is no
    /// error; keys S3 would not delete are named in the error (and in `failed_keys`).
    pub async fn delete_keys(&self, keys: &[String]) -> Result<(), S3Error> {
        if !self.settings.multi_object_delete {
            return self.delete_one_by_one(keys).await;
        }
        let mut failures: Vec<(String, String, String)> = Vec::new();
        let unbuildable = |e: aws_sdk_s3::error::BuildError| {
            S3Error::new(
                S3ErrorKind::Other,
                "deleteObjects",
                self.path(""),
                e.to_string(),
            )
        };
        for batch in keys.chunks(DELETE_BATCH) {
            let objects = batch
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(unbuildable)?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(unbuildable)?;
            let first = batch.first().map(String::as_str).unwrap_or("");
            let out = self
                .call("deleteObjects", first, || {
                    self.client
                        .delete_objects()
                        .bucket(&self.bucket)
                        .delete(delete.clone())
                        .customize()
                        // Some S3-compatible stores require Content-MD5 here, not the SDK's CRC.
                        .mutate_request(|req| {
                            if let Some(body) = req.body().bytes() {
                                use md5::Digest;
                                let md5 = base64::engine::general_purpose::STANDARD
                                    .encode(md5::Md5::digest(body));
                                req.headers_mut().insert("Content-MD5", md5);
                            }
                        })
                        .send()
                })
                .await?;
            failures.extend(
                out.errors()
                    .iter()
                    .filter(|e| e.code() != Some("NoSuchKey"))
                    .map(|e| {
                        (
                            e.key().unwrap_or_default().to_owned(),
                            e.code().unwrap_or_default().to_owned(),
                            e.message().unwrap_or_default().to_owned(),
                        )
                    }),
            );
        }
        if failures.is_empty() {
            return Ok(());
        }
        let denied = failures.iter().all(|(_, c, _)| c == "AccessDenied");
        let mut message = format!("{} of {} key(s) not deleted: ", failures.len(), keys.len());
        let shown: Vec<String> = failures
            .iter()
            .take(10)
            .map(|(key, code, msg)| format!("{key}: {code}: {msg}"))
            .collect();
        message.push_str(&shown.join("; "));
        if failures.len() > 10 {
            message.push_str(&format!("; and {} more", failures.len() - 10));
        }
        let mut e = S3Error::new(
            if denied {
                S3ErrorKind::AccessDenied
            } else {
                S3ErrorKind::Other
            },
            "deleteObjects",
            self.path(&failures[0].0),
            message,
        );
        e.code = Some(failures[0].1.clone());
        e.failed_keys = failures.into_iter().map(|(k, _, _)| k).collect();
        Err(e)
    }

    /// `fs.s3a.multiobjectdelete.enable=false`: one DeleteObject per key, in turn, as S3A does.
    /// A missing key is no error (S3 answers 204 anyway).
    async fn delete_one_by_one(&self, keys: &[String]) -> Result<(), S3Error> {
        for key in keys {
            self.call("deleteObject", key, || {
                self.client
                    .delete_object()
                    .bucket(&self.bucket)
                    .key(key)
                    .send()
            })
            .await?;
        }
        Ok(())
    }
}
