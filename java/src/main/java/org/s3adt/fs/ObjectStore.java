package org.s3adt.fs;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The object-store primitives {@link S3adtFileSystem} builds Hadoop's filesystem semantics from:
 * in production {@link NativeObjectStore} (libs3adt.so, {@link org.s3adt.jni.S3adtStore}); tests
 * may wrap it to inject failures. Keys never start with "/"; a directory marker is "dir/".
 * Errors are those of S3adtStore: 404 FileNotFoundException, 403 AccessDeniedException, others
 * IOException. Internal to s3adt: not an API.
 */
public interface ObjectStore {

  /** One object or, for a non-recursive listing, one common prefix. */
  final class Entry {
    /** The object's key, or the prefix (ending in "/"). */
    public final String key;
    /** True for a common prefix of a non-recursive listing. */
    public final boolean prefix;
    public final long length;
    /** Last modified, ms since the epoch; 0 for a prefix. */
    public final long modified;
    /** The object's etag as S3 gives it (quotes included); empty for a prefix. */
    public final String etag;

    public Entry(String key, boolean prefix, long length, long modified, String etag) {
      this.key = key;
      this.prefix = prefix;
      this.length = length;
      this.modified = modified;
      this.etag = etag;
    }

    @Override
    public String toString() {
      return (prefix ? "D " : "F ") + key + " " + length;
    }
  }

  /** A read stream over one object. */
  interface Reader extends Closeable {
    /** Up to {@code len} bytes at {@code position} into {@code buf[off..]}; -1 at or past the end. */
    int read(long position, byte[] buf, int off, int len) throws IOException;

    /** The object's length: as given to openRead, or as the GET it made there told. */
    long length() throws IOException;

    /** Release the stream; idempotent. */
    @Override
    void close();
  }

  /** An object being written; nothing is visible until {@link #complete()}. */
  interface Writer {
    void write(byte[] buf, int off, int len) throws IOException;

    /** Upload what is left and make the object visible; on failure the upload is aborted. */
    void complete() throws IOException;

    /** Abandon the object and abort its multipart upload, if any; idempotent. */
    void abort();

    /**
     * Upload what is left as a multipart upload and leave it uncompleted (the magic
     * committer's task output): {uploadId, length, etag of part 1, ...}; on failure the upload
     * is aborted.
     */
    default String[] closePending() throws IOException {
      throw new UnsupportedOperationException("s3adt: this store cannot leave uploads pending");
    }
  }

  /** HEAD: the object, or null when there is none. */
  Entry head(String key) throws IOException;

  /**
   * LIST under {@code prefix}, every page: recursive, every object; else the objects directly
   * under it and the common prefixes. {@code maxEntries > 0} stops after that many.
   */
  List<Entry> list(String prefix, boolean recursive, int maxEntries) throws IOException;

  /** PUT a zero-length object. */
  void putEmpty(String key) throws IOException;

  /** Delete these keys (batched by the store); missing keys are no error. */
  void deleteKeys(List<String> keys) throws IOException;

  /** Server-side copy of one object. */
  void copy(String srcKey, String dstKey) throws IOException;

  /**
   * Open an object for reading; {@code length} is its length when known (nothing is sent until
   * the first read), else -1: then the first GET is made now, bounded to the read-ahead range,
   * and a missing object is a FileNotFoundException here.
   */
  Reader openRead(String key, long length) throws IOException;

  /** Start writing an object. */
  Writer openWrite(String key) throws IOException;

  /** Keys under {@code prefix} with multipart uploads in progress. */
  List<String> listUploads(String prefix) throws IOException;
}
