package org.s3adt.token;

/**
 * Test-only reads of the secrets an identifier carries (package-private in the shipped class,
 * which has no public accessor for them), for tests in other packages that check what a token
 * holds.
 */
public final class TestSecrets {
  private TestSecrets() {
  }

  public static String accessKey(S3adtTokenIdentifier id) {
    return id.accessKey();
  }

  public static String secretKey(S3adtTokenIdentifier id) {
    return id.secretKey();
  }

  public static String sessionToken(S3adtTokenIdentifier id) {
    return id.sessionToken();
  }

  public static String encryptionKey(S3adtTokenIdentifier id) {
    return id.encryptionKey();
  }

  public static String encryptionContext(S3adtTokenIdentifier id) {
    return id.encryptionContext();
  }
}
