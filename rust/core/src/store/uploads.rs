//! Upload hygiene: the multipart uploads in progress under a prefix, aborting one, and purging
//! those older than an age, as hadoop-aws offers them (`hadoop s3guard uploads`,
//! `fs.s3a.multipart.purge` at initialize). An upload nobody completes or aborts keeps its
//! parts stored, and billed, until a bucket lifecycle rule or one of these removes it.

use super::client::S3Store;
use super::{error::*, object::*};
use crate::auth::consume::now_ms;
use crate::conf::{Configuration, TimeUnit};
use std::time::Duration;

/// hadoop-aws's keys for purging old uploads when a filesystem is initialized.
pub mod purge_keys {
    /// Abort old uploads under the bucket at initialize (default false).
    pub const PURGE: &str = "fs.s3a.multipart.purge";
    /// How old an upload must be to be purged: a Hadoop time duration, seconds when bare
    /// (default 24h).
    pub const PURGE_AGE: &str = "fs.s3a.multipart.purge.age";
    pub const DEFAULT_PURGE_AGE: &str = "24h";
}

/// The IAM action a refused request needed, added to the error's message so that the
/// operator knows what to grant (the operation's name is S3's API, not IAM's).
fn needs(mut e: S3Error, action: &str) -> S3Error {
    if e.kind == S3ErrorKind::AccessDenied && e.status == Some(403) {
        e.message = format!("{} (needs {action})", e.message);
    }
    e
}

impl S3Store {
    /// The multipart uploads in progress under `prefix` (the whole bucket when empty): key,
    /// upload id and when it was initiated, in S3's order (by key, then initiation), every
    /// page (ListMultipartUploads with key and upload-id markers, `fs.s3a.paging.maximum` per
    /// page). Refused: an AccessDenied error naming `s3:ListBucketMultipartUploads`.
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
                        .max_uploads(self.settings.page_size)
                        .set_key_marker(key_marker.clone())
                        .set_upload_id_marker(id_marker.clone())
                        .send()
                })
                .await
                .map_err(|e| needs(e, "s3:ListBucketMultipartUploads"))?;
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
            // A store that says "truncated" without moving the markers on would loop forever.
            if next.0.is_none() || (next.0 == key_marker && next.1 == id_marker) {
                break;
            }
            (key_marker, id_marker) = next;
        }
        Ok(out)
    }

    /// Abort one multipart upload; one that is already gone is no error. Refused: an
    /// AccessDenied error naming `s3:AbortMultipartUpload`.
    pub async fn abort_upload(&self, key: &str, upload_id: &str) -> Result<(), S3Error> {
        match self.abort_existing_upload(key, upload_id).await {
            Err(e) if e.kind == S3ErrorKind::NotFound => Ok(()),
            r => r,
        }
    }

    /// Abort one multipart upload that must exist: a NotFound error when the store knows no
    /// such upload (NoSuchUpload: never started, aborted already, or an id that is not one), as
    /// Hadoop's `MultipartUploader.abort` requires. Refused: as [`Self::abort_upload`].
    pub async fn abort_existing_upload(&self, key: &str, upload_id: &str) -> Result<(), S3Error> {
        // duplicates: deliberate. Starts like list_uploads above (and client.rs's list): each
        // aws-sdk-s3 operation has its own fluent builder type; retries and errors are `call`.
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
            Err(e) if e.kind != S3ErrorKind::NotFound => Err(needs(e, "s3:AbortMultipartUpload")),
            r => r.map(|_| ()),
        }
    }

    /// Abort every upload under `prefix` initiated more than `older_than` ago, as hadoop-aws's
    /// `abortOutstandingMultipartUploads`: the aborted ones. Stops at the first failure.
    pub async fn purge_uploads(
        &self,
        prefix: &str,
        older_than: Duration,
    ) -> Result<Vec<UploadInfo>, S3Error> {
        let old = initiated_before(self.list_uploads(prefix).await?, older_than, now_ms());
        for u in &old {
            self.abort_upload(&u.key, &u.upload_id).await?;
        }
        Ok(old)
    }

    /// `fs.s3a.multipart.purge` of this bucket's configuration (`conf`, bucket-resolved):
    /// when true, abort the uploads in the whole bucket older than `fs.s3a.multipart.purge.age`
    /// and say how many; `None` when purging is off. What a filesystem does at initialize.
    pub async fn purge_configured(&self, conf: &Configuration) -> Result<Option<usize>, S3Error> {
        match purge_age(conf)
            .map_err(|m| S3Error::new(S3ErrorKind::Config, "purge", self.path(""), m.to_string()))?
        {
            None => Ok(None),
            Some(age) => Ok(Some(self.purge_uploads("", age).await?.len())),
        }
    }
}

/// `fs.s3a.multipart.purge.age` when `fs.s3a.multipart.purge` is true (as
/// `Configuration.getBoolean`: "true" in any case), else `None`. The age is a Hadoop time
/// duration (`30s`, `15m`, `2h`, `3d`; a bare number is seconds), as hadoop-aws reads it.
pub fn purge_age(conf: &Configuration) -> Result<Option<Duration>, crate::conf::ConfigError> {
    let on = conf
        .get(purge_keys::PURGE)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if !on {
        return Ok(None);
    }
    conf.get_time_duration(
        purge_keys::PURGE_AGE,
        purge_keys::DEFAULT_PURGE_AGE,
        TimeUnit::Seconds,
    )
    .map(Some)
}

/// The uploads initiated more than `older_than` before `now_ms` (milliseconds since the
/// epoch). With a zero age, every upload (one initiated this very millisecond included).
pub fn initiated_before(
    uploads: Vec<UploadInfo>,
    older_than: Duration,
    now_ms: i64,
) -> Vec<UploadInfo> {
    if older_than.is_zero() {
        return uploads;
    }
    let cutoff = now_ms.saturating_sub(i64::try_from(older_than.as_millis()).unwrap_or(i64::MAX));
    uploads
        .into_iter()
        .filter(|u| u.initiated < cutoff)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(key: &str, initiated: i64) -> UploadInfo {
        UploadInfo {
            key: key.into(),
            upload_id: format!("id-{key}"),
            initiated,
        }
    }

    #[test]
    fn older_than_keeps_only_uploads_before_the_cutoff() {
        let all = vec![up("old", 1_000), up("edge", 9_000), up("new", 9_500)];
        let keys = |v: Vec<UploadInfo>| v.into_iter().map(|u| u.key).collect::<Vec<_>>();
        let now = 10_000;
        assert_eq!(
            keys(initiated_before(all.clone(), Duration::from_secs(1), now)),
            ["old"],
            "initiated exactly at the cutoff is not older than it"
        );
        assert_eq!(
            keys(initiated_before(all.clone(), Duration::ZERO, now)).len(),
            3
        );
        assert!(initiated_before(all, Duration::from_secs(3600), now).is_empty());
    }

    #[test]
    fn purge_is_off_unless_asked_and_the_age_reads_like_hadoop() {
        let mut c = Configuration::new();
        assert_eq!(purge_age(&c).unwrap(), None);
        c.set(purge_keys::PURGE, "TRUE");
        assert_eq!(
            purge_age(&c).unwrap(),
            Some(Duration::from_secs(86_400)),
            "default 24h"
        );
        for (raw, secs) in [
            ("30s", 30),
            ("15m", 900),
            ("2h", 7_200),
            ("3d", 259_200),
            ("90", 90),
        ] {
            c.set(purge_keys::PURGE_AGE, raw);
            assert_eq!(
                purge_age(&c).unwrap(),
                Some(Duration::from_secs(secs)),
                "{raw}"
            );
        }
        c.set(purge_keys::PURGE_AGE, "soon");
        let e = purge_age(&c).unwrap_err().to_string();
        assert!(e.contains(purge_keys::PURGE_AGE), "{e}");
        c.set(purge_keys::PURGE, "false");
        assert_eq!(purge_age(&c).unwrap(), None, "off: the age is not read");
    }

    #[test]
    fn a_refusal_names_the_iam_action() {
        let mut e = S3Error::new(
            S3ErrorKind::AccessDenied,
            "listMultipartUploads",
            "s3a://b/".into(),
            "Access Denied",
        );
        e.status = Some(403);
        let e = needs(e, "s3:ListBucketMultipartUploads");
        assert!(
            e.to_string().contains("s3:ListBucketMultipartUploads"),
            "{e}"
        );
        let other = S3Error::new(
            S3ErrorKind::Other,
            "listMultipartUploads",
            "s3a://b/".into(),
            "x",
        );
        assert_eq!(needs(other, "s3:X").message, "x");
    }
}
