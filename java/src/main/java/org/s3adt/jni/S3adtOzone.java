package org.s3adt.jni;

import java.io.IOException;

/**
 * The Ozone binding's native (rust/ffi/src/jni/s3adt_ozone.rs): a Full token carrying the
 * Kerberos principal's Ozone S3 secret, handed to the native library directly (never through
 * the job's configuration). Call {@link S3adtNative#ensureLoaded()} first.
 */
public final class S3adtOzone {
  private S3adtOzone() {
  }

  /**
   * A new Full token for the bucket of {@code handle} (whose binding must be
   * {@code org.s3adt.ozone.OzoneTokenBinding}) carrying these credentials; {@code source} ends the
   * token's origin text. Returns {identifier, password, kind (UTF-8), service (UTF-8)}.
   */
  public static native byte[][] issueToken(long handle, String owner, String renewer,
      String accessKey, String secretKey, String source) throws IOException;
}
