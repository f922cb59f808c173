package org.s3adt.jni;

import java.io.IOException;

/**
 * A running filesystem's move to a newer delegation token (rust/ffi/src/jni/s3adt_rebind.rs):
 * the native store signs its next requests, those of reads and multipart uploads already under
 * way included, with the newer token's credentials.
 */
public final class S3adtRebind {
  private S3adtRebind() {
  }

  /**
   * Use this token from the next request on, if it is of the bound token's kind and its
   * credentials expire later than the bound one's; the comparison and the swap are one atomic
   * step. Never binds a filesystem that is not bound to a token.
   * @return whether the token was taken
   * @throws IOException a {@code DelegationTokenIOException} ("Token mismatch") for a token of
   *     another binding, or one that does not decode
   */
  public static native boolean rebind(long handle, byte[] identifier, byte[] password,
      String kind, String service) throws IOException;
}
