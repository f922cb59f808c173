package org.s3adt.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * {@link S3adtFileSystem} for FileContext users (YARN among them):
 * {@code fs.AbstractFileSystem.s3a.impl=org.s3adt.fs.S3adt}.
 */
public class S3adt extends DelegateToFileSystem {
  public S3adt(URI theUri, Configuration conf) throws IOException, URISyntaxException {
    super(theUri, new S3adtFileSystem(), conf, "s3a", false);
  }

  @Override
  public int getUriDefaultPort() {
    return -1;
  }
}
