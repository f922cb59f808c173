package org.s3adt.jni;

import java.io.IOException;
import java.io.InputStream;

/**
 * Multipart uploads part by part, in libs3adt.so (rust/ffi/src/jni/s3adt_multipart.rs over
 * s3adt-core's store/multipart.rs): what Hadoop's {@code MultipartUploader} and s3adt's magic
 * committer drive. {@code fs} is a handle from {@link S3adtNative#open}; errors are those of
 * {@link S3adtStore}. An upload is named by its key and id alone, so one process may start it
 * and another complete or abort it.
 */
public final class S3adtMultipart {
  private S3adtMultipart() {
  }

  /** Start a multipart upload to {@code key}; its upload id. */
  public static native String start(long fs, String key) throws IOException;

  /**
   * Upload the next {@code len} bytes of {@code in} as part {@code number} (1 to 10,000); its
   * etag. The native side reads them into the one buffer it sends (an EOFException if
   * {@code in} ends before): the part is held once, not in a Java array and again natively.
   */
  public static native String putPart(long fs, String key, String uploadId, int number,
      InputStream in, long len) throws IOException;

  /** Complete an upload from its parts (numbers and etags, index by index, in any order). */
  public static native void complete(long fs, String key, String uploadId, int[] numbers,
      String[] etags) throws IOException;

  /**
   * Abort an upload. One already gone is no error unless {@code mustExist}: then
   * FileNotFoundException when the store knows no such upload (never started, aborted already,
   * or not an upload id), as Hadoop's {@code MultipartUploader.abort} requires.
   */
  public static native void abort(long fs, String key, String uploadId, boolean mustExist)
      throws IOException;

  /**
   * The uploads in progress under {@code prefix}, flattened three strings each: key, upload
   * id, initiated (ms since the epoch).
   */
  public static native String[] list(long fs, String prefix) throws IOException;

  /**
   * Close a write stream of {@link S3adtStore#openWrite} without completing its upload (the
   * magic committer's task output): {uploadId, length, etag of part 1, part 2, ...}. On failure
   * the upload is aborted; the stream handle is released either way.
   */
  public static native String[] closePending(long stream) throws IOException;
}
