package org.s3adt.fs;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.DtFetcher;
import org.apache.hadoop.security.token.Token;

/**
 * {@code hadoop dtutil get s3a://bucket FILE}: a token from the filesystem that
 * {@code fs.s3a.impl} names (s3adt's when it is set to {@link S3adtFileSystem}), as
 * hadoop-aws's S3ADtFetcher does, with its texts, so the tool works with s3adt's jar alone.
 */
public class S3adtDtFetcher implements DtFetcher {
  private static final String SERVICE = "s3a";

  @Override
  public Text getServiceName() {
    return new Text(SERVICE);
  }

  /**
   * Always true: an S3A token carries AWS credentials, which a job needs whether or not
   * Hadoop's Kerberos security is on. (hadoop-aws's fetcher answers
   * {@code UserGroupInformation.isSecurityEnabled()}, so without Kerberos {@code dtutil get}
   * refuses with "does not require a token".)
   */
  @Override
  public boolean isTokenRequired() {
    return true;
  }

  @Override
  public Token<?> addDelegationTokens(Configuration conf, Credentials creds, String renewer,
      String url) throws Exception {
    if (!url.startsWith(SERVICE)) {
      url = SERVICE + "://" + url;
    }
    FileSystem fs = FileSystem.get(URI.create(url), conf);
    Token<?> token = fs.getDelegationToken(renewer);
    if (token == null) {
      throw new DelegationTokenIOException("Filesystem not generating Delegation Tokens: " + url);
    }
    creds.addToken(token.getService(), token);
    return token;
  }
}
