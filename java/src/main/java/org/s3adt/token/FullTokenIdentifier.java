package org.s3adt.token;

/**
 * {@code S3ADelegationToken/Full}: long-lived AWS keys (hadoop-aws's
 * FullCredentialsTokenBinding). Same layout as hadoop-aws's
 * {@code FullCredentialsTokenIdentifier}; see {@link S3adtTokenIdentifier} for the layout, and
 * for why an empty instance reports {@code s3adt-deferred:S3ADelegationToken/Full} while
 * hadoop-aws is on the classpath.
 */
public final class FullTokenIdentifier extends S3adtTokenIdentifier {

  /** The token kind. */
  public static final String KIND = TOKEN_NAME_PREFIX + "Full";

  /** hadoop-aws's identifier class for this kind. */
  public static final String HADOOP_AWS_CLASS =
      "org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenIdentifier";

  /** Decided once, when the ServiceLoader scan (or anything else) first loads this class. */
  private static final boolean DEFERS =
      HadoopAwsPresence.isPresent(HADOOP_AWS_CLASS, FullTokenIdentifier.class);

  /** An empty identifier, for the ServiceLoader scan and for {@link #readFields}. */
  public FullTokenIdentifier() {
    super(KIND, DEFERS);
  }
}
