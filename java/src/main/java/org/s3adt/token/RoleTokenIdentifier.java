package org.s3adt.token;

/**
 * {@code S3ADelegationToken/Role}: STS AssumeRole credentials (hadoop-aws's
 * RoleTokenBinding). Same layout as hadoop-aws's
 * {@code RoleTokenIdentifier}; see {@link S3adtTokenIdentifier} for the layout, and for why an
 * empty instance reports {@code s3adt-deferred:S3ADelegationToken/Role} while hadoop-aws is on
 * the classpath.
 */
public final class RoleTokenIdentifier extends S3adtTokenIdentifier {
  // duplicates: deliberate. Full, Role and Session are alike: Hadoop's ServiceLoader needs one
  // concrete class per kind, each with its own KIND, hadoop-aws class name and no-arg
  // constructor; everything they share is in S3adtTokenIdentifier.

  /** The token kind. */
  public static final String KIND = TOKEN_NAME_PREFIX + "Role";

  /** hadoop-aws's identifier class for this kind. */
  public static final String HADOOP_AWS_CLASS =
      "org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenIdentifier";

  /** Decided once, when the ServiceLoader scan (or anything else) first loads this class. */
  private static final boolean DEFERS =
      HadoopAwsPresence.isPresent(HADOOP_AWS_CLASS, RoleTokenIdentifier.class);

  /** An empty identifier, for the ServiceLoader scan and for {@link #readFields}. */
  public RoleTokenIdentifier() {
    super(KIND, DEFERS);
  }
}
