package org.s3adt.ozone;

import java.io.IOException;

/**
 * Where the Ozone token binding keeps a principal's Ozone S3 secret between submissions. Ozone hands
 * a user's secret out once ({@code PUT /secret} refuses while one exists), so the binding saves what
 * it fetched and reads it back at the next submission.
 *
 * <p>Selected with {@code fs.s3a.s3adt.ozone.secret.store}: empty (no store), {@code vault}
 * ({@code org.s3adt.vault.VaultS3SecretStore}), or a class name. An implementation has a public
 * constructor taking one {@code org.apache.hadoop.conf.Configuration}.
 */
public interface S3SecretStore {
  /**
   * The stored secret of this Kerberos principal, as Ozone names its access key (for example
   * {@code alice@EXAMPLE.TEST}); null when none is stored.
   */
  S3Secret get(String principal) throws IOException;

  /** Stores this principal's secret, replacing any stored before. */
  void put(String principal, S3Secret secret) throws IOException;

  /** Removes the stored copy; false when there was none. */
  boolean remove(String principal) throws IOException;
}
