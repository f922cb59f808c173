package org.s3adt.jni;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * The versions of this jar and of the libs3adt.so it loaded, which must be the same: the workspace
 * version in Cargo.toml, which the build writes into the jar ({@code version.properties} beside
 * this class) and compiles into the library (rust/ffi/src/jni/native_version.rs).
 * {@link NativeLoader} asks {@link #mismatch} right after each successful load, so an old
 * library on {@code java.library.path} or at {@code -Ds3adt.native.library} beside a newer jar
 * is an IOException naming both versions and the file, not a crash at some later call.
 */
public final class NativeVersion {
  private static final String JAR_VERSION = readJarVersion();

  private NativeVersion() {
  }

  /** The loaded library's version (the workspace version it was built with). */
  public static native String version();

  /** This jar's version, e.g. "0.1.0" ({@code org.s3adt:s3adt:<version>}). */
  public static String jarVersion() {
    return JAR_VERSION;
  }

  private static String readJarVersion() {
    try (InputStream in = NativeVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown (no org/s3adt/jni/version.properties in the jar)";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown (version.properties names none)");
    } catch (IOException e) {
      return "unknown (" + e + ")";
    }
  }

  /**
   * Called right after the library was loaded from {@code file} (null: by
   * {@code System.loadLibrary}, from {@code java.library.path}). Null when its version is this
   * jar's (logged once, at this first load), else the text of the IOException every caller of
   * {@link NativeLoader#load} then gets: the JVM keeps the loaded library, so no other place is
   * tried after it.
   */
  static String mismatch(String file) {
    String where = file != null ? file : onLibraryPath();
    String loaded;
    try {
      loaded = version();
    } catch (UnsatisfiedLinkError e) {
      // Libraries built before this check have S3adtNative.version() only.
      try {
        loaded = S3adtNative.version() + " (a build older than this jar's version check)";
      } catch (UnsatisfiedLinkError e2) {
        loaded = "unknown (it exports no version function)";
      }
    }
    if (loaded != null && loaded.equals(JAR_VERSION)) {
      LoggerFactory.getLogger(NativeVersion.class)
          .info("s3adt {}: native library {} (version {})", JAR_VERSION, where, loaded);
      return null;
    }
    return "s3adt: the native library " + where + " is version " + loaded
        + ", but this jar (org.s3adt:s3adt) is version " + JAR_VERSION
        + "; remove or replace that file, or set -D" + NativeLoader.LIBRARY_PROPERTY
        + " to a libs3adt.so of version " + JAR_VERSION;
  }

  /** The file System.loadLibrary("s3adt") found: the first on java.library.path. */
  private static String onLibraryPath() {
    String name = System.mapLibraryName("s3adt");
    String path = System.getProperty("java.library.path", "");
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir.isEmpty() ? "." : dir, name);
      if (f.isFile()) {
        return f.getAbsolutePath();
      }
    }
    return name + " from java.library.path=" + path;
  }
}
