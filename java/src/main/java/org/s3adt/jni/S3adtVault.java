package org.s3adt.jni;

import java.io.IOException;

/**
 * Ozone S3 secrets in HashiCorp Vault or OpenBao, by libs3adt.so (rust/ffi/src/jni/s3adt_vault.rs
 * over s3adt-core's {@code auth::vault}): one principal's secret read, written or removed in the
 * layout Ozone's {@code VaultS3SecretStorageProvider} writes. {@code conf} holds alternating keys
 * and values, the {@code fs.s3a.s3adt.vault.*} settings with their secrets already read from the
 * credential providers. Call {@link S3adtNative#ensureLoaded()} first. Each call logs in afresh.
 * Errors: a refusal {@code java.nio.file.AccessDeniedException} (naming the path and the status),
 * a bad or missing setting IllegalArgumentException (naming the key), a sealed or unreachable
 * Vault and anything else IOException; no message holds a token or a secret.
 */
public final class S3adtVault {
  private S3adtVault() {
  }

  /** The secret stored for this principal; null when there is none. */
  public static native String get(String[] conf, String principal) throws IOException;

  /** Stores the principal's secret (as Ozone does: one field named by the principal). */
  public static native void put(String[] conf, String principal, String secret)
      throws IOException;

  /** Removes the principal's stored secret (every version on KV v2); false when there was none. */
  public static native boolean remove(String[] conf, String principal) throws IOException;
}
