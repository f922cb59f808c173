package org.s3adt.jni;

import java.io.IOException;

/**
 * Upload hygiene in libs3adt.so (rust/ffi/src/jni/s3adt_uploads.rs): the multipart uploads a
 * filesystem's bucket holds in progress. {@code fs} is a handle from {@link S3adtNative#open}.
 * Errors as {@link S3adtStore}'s: 403 {@code java.nio.file.AccessDeniedException} (naming the
 * IAM action), a bad setting IllegalArgumentException naming the key, others IOException.
 */
public final class S3adtUploads {
  private S3adtUploads() {
  }

  /**
   * {@code fs.s3a.multipart.purge} (per bucket, default false): abort the bucket's multipart
   * uploads initiated longer ago than {@code fs.s3a.multipart.purge.age} (a Hadoop time
   * duration, default 24h). Returns how many were aborted, or -1 when purging is off (then no
   * request is made).
   */
  public static native int purge(long fs) throws IOException;
}
