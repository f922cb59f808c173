package org.s3adt.ozone;

import java.util.Objects;

/** An Ozone S3 access key and its secret. Its toString never shows the secret. */
public final class S3Secret {
  private final String accessKeyId;
  private final String secretAccessKey;

  public S3Secret(String accessKeyId, String secretAccessKey) {
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
  }

  /** The access key: in Ozone, the Kerberos principal it belongs to. */
  public String accessKeyId() {
    return accessKeyId;
  }

  /** The secret key. Never log or print it. */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  @Override
  public String toString() {
    return "S3Secret{accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>}";
  }
}
