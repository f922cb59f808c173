package org.s3adt.jni;

import java.io.IOException;

/**
 * The natives of libs3adt.so (rust/ffi/src/jni/s3adt_native.rs). Call {@link #ensureLoaded()}
 * first. A filesystem holds a handle: a random number naming native state, never a pointer and
 * never sequential, so a closed or unknown handle is an IOException and other code cannot find
 * a filesystem's state by counting. No native returns a bound token's credentials: they stay
 * in the native library, which signs the filesystem's S3 requests with them. Every native
 * throws Java exceptions only: IOException and its subclasses
 * (org.s3adt.fs.DelegationTokenIOException, java.nio.file.AccessDeniedException) and
 * IllegalArgumentException for bad configuration.
 */
public final class S3adtNative {
  private S3adtNative() {
  }

  /** Load libs3adt.so (see {@link NativeLoader}). */
  public static void ensureLoaded() throws IOException {
    NativeLoader.load();
  }

  /** The native library's version. */
  public static native String version();

  /**
   * Native state for one bucket from a configuration given as alternating keys and values.
   * Fails when the configuration names an unknown binding.
   */
  public static native long open(String[] conf, String bucket) throws IOException;

  /** Release the state of a handle; idempotent. */
  public static native void close(long handle);

  /** The token kind this bucket's binding issues; null when delegation tokens are off. */
  public static native String tokenKind(long handle) throws IOException;

  /** Bind to a token found for the bucket; fails with hadoop-aws's "Token mismatch" text. */
  public static native void bind(long handle, byte[] identifier, byte[] password, String kind,
      String service) throws IOException;

  /** The bound token's identifier as text without secrets, or null when not bound. */
  public static native String boundDescription(long handle) throws IOException;

  /** A new token for the bucket: {identifier, password, kind (UTF-8), service (UTF-8)}. */
  public static native byte[][] issueToken(long handle, String owner, String renewer)
      throws IOException;
}
