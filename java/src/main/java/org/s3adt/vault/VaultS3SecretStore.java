package org.s3adt.vault;

import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.s3adt.jni.NativeSettings;
import org.s3adt.jni.S3adtNative;
import org.s3adt.jni.S3adtVault;
import org.s3adt.ozone.S3Secret;
import org.s3adt.ozone.S3SecretStore;

/**
 * Ozone S3 secrets kept in HashiCorp Vault or OpenBao, where and as Ozone's own
 * {@code VaultS3SecretStorageProvider} keeps them ({@code <secret.path>/<principal>}, one field
 * named by the principal, KV v1 or v2), so the Ozone token binding and Ozone's OM can share one
 * store. The Vault client is libs3adt.so's ({@link S3adtVault}).
 *
 * <p>Settings ({@code fs.s3a.s3adt.vault.}): {@code address}, {@code namespace},
 * {@code engine.version} (1 or 2; 1 by default, as Ozone), {@code secret.path},
 * {@code auth.method} ({@code TOKEN} or {@code APPROLE}), {@code token},
 * {@code approle.role.id}, {@code approle.secret.id}, {@code approle.path},
 * {@code tls.ca.file}. The token and the AppRole secret_id are read with
 * {@link Configuration#getPassword}, so they may live in a Hadoop credential provider (JCEKS),
 * including one named by {@code fs.s3a.security.credential.provider.path}.
 */
public final class VaultS3SecretStore implements S3SecretStore {
  /** The prefix of the settings. */
  public static final String PREFIX = "fs.s3a.s3adt.vault.";
  /** Settings that may live in a Hadoop credential provider. */
  static final String[] SECRET_KEYS = {PREFIX + "token", PREFIX + "approle.secret.id"};

  private final Configuration conf;

  public VaultS3SecretStore(Configuration conf) throws IOException {
    this.conf = new Configuration(NativeSettings.withS3aCredentialProviders(conf, null));
    S3adtNative.ensureLoaded();
  }

  /** The settings as alternating keys and values, secrets through getPassword. */
  private String[] settings() throws IOException {
    return NativeSettings.settings(conf, k -> k.startsWith(PREFIX), Arrays.asList(SECRET_KEYS))
        .toArray(new String[0]);
  }

  @Override
  public S3Secret get(String principal) throws IOException {
    String secret = S3adtVault.get(settings(), principal);
    return secret == null ? null : new S3Secret(principal, secret);
  }

  @Override
  public void put(String principal, S3Secret secret) throws IOException {
    if (!principal.equals(secret.accessKeyId())) {
      throw new IllegalArgumentException("the secret's access key " + secret.accessKeyId()
          + " is not the principal " + principal + ": Ozone's layout keeps a principal's own");
    }
    S3adtVault.put(settings(), principal, secret.secretAccessKey());
  }

  @Override
  public boolean remove(String principal) throws IOException {
    return S3adtVault.remove(settings(), principal);
  }

  @Override
  public String toString() {
    return "VaultS3SecretStore{address=" + conf.get(PREFIX + "address") + ", secret.path="
        + conf.get(PREFIX + "secret.path") + "}";
  }
}
