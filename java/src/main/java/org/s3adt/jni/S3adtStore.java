package org.s3adt.jni;

import java.io.IOException;

/**
 * The S3 data path in libs3adt.so (rust/ffi/src/jni/s3adt_store.rs, over aws-sdk-s3): the
 * object-store primitives the FileSystem's semantics are built from. {@code fs} is a handle
 * from {@link S3adtNative#open}; S3 settings ({@code fs.s3a.endpoint}, {@code .endpoint.region},
 * {@code .path.style.access}, encryption, per bucket) come from the configuration given there,
 * and the credentials from the token the filesystem is bound to (checked for expiry before
 * every request) or else from the login chain ({@code fs.s3a.aws.credentials.provider}).
 *
 * <p>Errors: 404 is {@code java.io.FileNotFoundException}, 403
 * {@code java.nio.file.AccessDeniedException}, an expired token
 * {@code org.s3adt.fs.DelegationTokenIOException} naming the expiry, anything else an
 * IOException with S3's code and message. 503 SlowDown, throttling, 5xx and connection failures
 * are retried with backoff inside {@code fs.s3a.retry.*} before they surface. Stream handles are
 * numbers like filesystem handles: a closed or unknown one is an IOException, never a crash.
 */
public final class S3adtStore {
  private S3adtStore() {
  }

  /** HEAD an object: {length, lastModified ms, etag}, or null when there is none (404). */
  public static native String[] head(long fs, String key) throws IOException;

  /**
   * LIST under {@code prefix}, every page. Not recursive: objects directly under the prefix and
   * the common prefixes (delimiter "/"); recursive: every object. Returned flattened, five
   * strings per entry: kind ("F" object, "D" common prefix), key, length, lastModified ms, etag
   * (prefixes: "0", "0", ""). {@code maxEntries > 0} stops after that many entries (one page of
   * at most that size is asked for), so "is there anything under this prefix" costs one call.
   */
  public static native String[] list(long fs, String prefix, boolean recursive, int maxEntries)
      throws IOException;

  /** PUT a zero-length object (a directory marker "dir/", or an empty file). */
  public static native void putEmpty(long fs, String key) throws IOException;

  /** Delete these keys, in batches of up to 1,000 (DeleteObjects); missing keys are no error. */
  public static native void deleteKeys(long fs, String[] keys) throws IOException;

  /** Server-side copy of one object (CopyObject, or multipart copy when large). */
  public static native void copy(long fs, String srcKey, String dstKey) throws IOException;

  /**
   * Open an object for reading; FileNotFoundException when absent. Returns a stream handle.
   * {@code length} is the object's length when known (from a HEAD the caller made), else -1.
   */
  public static native long openRead(long fs, String key, long length) throws IOException;

  /** The object's length as the stream knows it. */
  public static native long length(long stream) throws IOException;

  /**
   * Read up to {@code len} bytes at {@code position} into {@code buf[off..]}: the count, or -1
   * at or past the end. Sequential reads reuse one GET (with read-ahead); a seek backwards or far
   * forwards starts a new ranged GET.
   */
  public static native int read(long stream, long position, byte[] buf, int off, int len)
      throws IOException;

  /** Release a read stream; idempotent. */
  public static native void closeRead(long stream);

  /**
   * Start writing an object; nothing is visible until {@link #closeWrite}. Data is buffered into
   * parts ({@code fs.s3a.multipart.size}) uploaded in the background as a multipart upload; a
   * small object becomes a single PUT at close. Returns a stream handle.
   */
  public static native long openWrite(long fs, String key) throws IOException;

  /** Append bytes to the object being written. */
  public static native void write(long stream, byte[] buf, int off, int len) throws IOException;

  /** Finish: upload what is left and complete; on failure the multipart upload is aborted. */
  public static native void closeWrite(long stream) throws IOException;

  /** Abandon the write and abort its multipart upload, if any; idempotent. */
  public static native void abortWrite(long stream);

  /** Keys under {@code prefix} with multipart uploads in progress (ListMultipartUploads). */
  public static native String[] listUploads(long fs, String prefix) throws IOException;
}
