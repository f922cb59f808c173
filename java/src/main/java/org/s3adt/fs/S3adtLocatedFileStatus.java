package org.s3adt.fs;

import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;

/** A {@link LocatedFileStatus} that keeps the file's etag, as S3A's listings do. */
public class S3adtLocatedFileStatus extends LocatedFileStatus implements EtagSource {
  private static final long serialVersionUID = 1L;

  private final String etag;

  S3adtLocatedFileStatus(FileStatus status, BlockLocation[] locations) {
    super(status, locations);
    this.etag = status instanceof EtagSource ? ((EtagSource) status).getEtag() : null;
  }

  @Override
  public String getEtag() {
    return etag;
  }
}
