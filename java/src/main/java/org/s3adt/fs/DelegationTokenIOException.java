package org.s3adt.fs;

import java.io.IOException;

/**
 * A delegation token problem, with the texts of hadoop-aws's
 * {@code org.apache.hadoop.fs.s3a.auth.delegation.DelegationTokenIOException} (such as
 * "Token mismatch"), which this shim cannot throw without hadoop-aws on the classpath.
 */
public class DelegationTokenIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /** hadoop-aws's text prefix for a token of the wrong kind. */
  public static final String TOKEN_MISMATCH = "Token mismatch";

  public DelegationTokenIOException(String message) {
    super(message);
  }

  public DelegationTokenIOException(String message, Throwable cause) {
    super(message, cause);
  }
}
