package org.s3adt.jni;

import java.io.IOException;
import org.junit.Assume;

/**
 * Natives only a libs3adt.so built with s3adt-ffi's cargo feature {@code test-ffi} has
 * (rust/ffi/src/test_ffi.rs): tests/java/run.sh builds it as target/test-ffi/libs3adt.so and
 * points the tests at it (gradle -Ps3adtTestLibDir). The library that ships has none of them.
 */
public final class TestFfi {
  private TestFfi() {
  }

  /** True; a library without the test natives throws UnsatisfiedLinkError instead. */
  public static native boolean available();

  /** Panics inside a native (for the tests that prove no panic reaches the JVM). */
  public static native void debugPanic() throws IOException;

  /**
   * Skips the calling test, saying why, when the loaded library lacks the test natives: such a
   * test then reports skipped, never passed.
   */
  public static void assumeAvailable() throws IOException {
    S3adtNative.ensureLoaded();
    String why = "the loaded libs3adt.so has no test-only natives (build it with the cargo feature"
        + " s3adt-ffi/test-ffi, as tests/java/run.sh does, and run gradle test -Ps3adtTestLibDir=DIR)";
    try {
      Assume.assumeTrue(why, available());
    } catch (UnsatisfiedLinkError e) {
      Assume.assumeTrue(why + ": " + e.getMessage(), false);
    }
  }
}
