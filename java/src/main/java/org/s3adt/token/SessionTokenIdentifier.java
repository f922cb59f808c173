package org.s3adt.token;

/**
 * {@code S3ADelegationToken/Session}: STS session credentials (GetSessionToken, or forwarded
 * session credentials; hadoop-aws's SessionTokenBinding). Same layout as hadoop-aws's
 * {@code SessionTokenIdentifier}; see {@link S3adtTokenIdentifier} for the layout, and for why an
 * empty instance reports {@code s3adt-deferred:S3ADelegationToken/Session} while hadoop-aws is on
 * the classpath.
 */
public final class SessionTokenIdentifier extends S3adtTokenIdentifier {

  /** The token kind. */
  public static final String KIND = TOKEN_NAME_PREFIX + "Session";

  /** hadoop-aws's identifier class for this kind. */
  public static final String HADOOP_AWS_CLASS =
      "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier";

  /** Decided once, when the ServiceLoader scan (or anything else) first loads this class. */
  private static final boolean DEFERS =
      HadoopAwsPresence.isPresent(HADOOP_AWS_CLASS, SessionTokenIdentifier.class);

  /** An empty identifier, for the ServiceLoader scan and for {@link #readFields}. */
  public SessionTokenIdentifier() {
    super(KIND, DEFERS);
  }
}
