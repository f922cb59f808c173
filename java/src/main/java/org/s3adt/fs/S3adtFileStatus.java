package org.s3adt.fs;

import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A file or directory of an s3adt filesystem. Files carry S3's etag ({@link EtagSource}, as
 * S3A's statuses do); directories have none. Equality is Hadoop's: by path.
 */
public class S3adtFileStatus extends FileStatus implements EtagSource {
  private static final long serialVersionUID = 1L;

  private final String etag;

  /** A file: its length, last-modified time and etag. */
  S3adtFileStatus(Path path, long length, long modified, long blockSize, String owner,
      String etag) {
    super(length, false, 1, blockSize, modified, 0, null, owner, owner, path);
    this.etag = etag == null || etag.isEmpty() ? null : etag;
  }

  /** A directory. */
  S3adtFileStatus(Path path, String owner) {
    super(0, true, 1, 0, 0, 0, null, owner, owner, path);
    this.etag = null;
  }

  /** S3's etag of the object; null for a directory. */
  @Override
  public String getEtag() {
    return etag;
  }
}
