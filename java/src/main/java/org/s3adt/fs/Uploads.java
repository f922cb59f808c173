package org.s3adt.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.s3adt.jni.S3adtUploads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload hygiene at initialize: {@code fs.s3a.multipart.purge} and
 * {@code fs.s3a.multipart.purge.age} (per bucket), as hadoop-aws's {@code initMultipartUploads}.
 * When purging is on, the bucket's multipart uploads initiated longer ago than the age are
 * aborted, signed by the token the filesystem is bound to (else the credential chain).
 */
final class Uploads {
  private static final Logger LOG = LoggerFactory.getLogger(S3adtFileSystem.class);

  private Uploads() {
  }

  /**
   * Purge when configured. As hadoop-aws: a refusal (403: the credentials may not list or
   * abort uploads, the filesystem may be read only) is logged at debug and initialize goes on;
   * any other failure (a bad {@code fs.s3a.multipart.purge.age}, the store not answering after
   * the retries) fails initialize.
   */
  static void purgeAtInitialize(long handle, String bucket) throws IOException {
    try {
      int aborted = S3adtUploads.purge(handle);
      if (aborted > 0) {
        LOG.info("s3a://{}: fs.s3a.multipart.purge aborted {} old multipart upload(s)", bucket,
            aborted);
      }
    } catch (AccessDeniedException e) {
      LOG.debug("Failed to purge multipart uploads against {}, FS may be read only: {}", bucket,
          e.getMessage());
    }
  }
}
