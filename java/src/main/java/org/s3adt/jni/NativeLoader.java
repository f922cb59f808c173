package org.s3adt.jni;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads libs3adt.so once per JVM: from the path in the system property {@code s3adt.native.library}
 * when set, else from {@code java.library.path}, else from the jar ({@code native/<os>-<arch>/}),
 * extracted to a temporary file. When none works, every caller gets an IOException that says
 * where it looked and why each place failed.
 */
public final class NativeLoader {
  /** System property: an explicit path to libs3adt.so. */
  public static final String LIBRARY_PROPERTY = "s3adt.native.library";

  private static volatile boolean loaded;
  private static String failure;

  private NativeLoader() {
  }

  /** The jar resource that carries the library for this platform. */
  static String resourceName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      arch = "x86_64";
    } else if (arch.equals("arm64")) {
      arch = "aarch64";
    }
    String platform = (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + arch;
    return "native/" + platform + "/libs3adt.so";
  }

  /** Load the library, or throw an IOException naming each place tried and its error. */
  public static void load() throws IOException {
    if (loaded) {
      return;
    }
    synchronized (NativeLoader.class) {
      if (loaded) {
        return;
      }
      if (failure == null) {
        failure = tryLoad();
        loaded = failure == null;
      }
      if (!loaded) {
        throw new IOException(failure);
      }
    }
  }

  /** Null when loaded, else why not. */
  private static String tryLoad() {
    List<String> tried = new ArrayList<>();
    String explicit = System.getProperty(LIBRARY_PROPERTY);
    if (explicit != null && !explicit.isEmpty()) {
      try {
        System.load(new File(explicit).getAbsolutePath());
        return NativeVersion.mismatch(new File(explicit).getAbsolutePath());
      } catch (Throwable t) {
        tried.add(LIBRARY_PROPERTY + "=" + explicit + ": " + t);
      }
    }
    try {
      System.loadLibrary("s3adt");
      return NativeVersion.mismatch(null);
    } catch (Throwable t) {
      tried.add("java.library.path=" + System.getProperty("java.library.path") + ": " + t);
    }
    String resource = resourceName();
    try (InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        tried.add("classpath resource " + resource + ": not in the jar (no build for this platform)");
      } else {
        File tmp = File.createTempFile("libs3adt-", ".so");
        try {
          Files.copy(in, tmp.toPath(), StandardCopyOption.REPLACE_EXISTING);
          System.load(tmp.getAbsolutePath());
          return NativeVersion.mismatch(resource + " (extracted to " + tmp + ")");
        } catch (Throwable t) {
          tried.add("classpath resource " + resource + " (extracted to " + tmp + "): " + t);
        } finally {
          // The loaded mapping outlives the file; nothing is left behind in /tmp.
          if (!tmp.delete()) {
            tmp.deleteOnExit();
          }
        }
      }
    } catch (Throwable t) {
      tried.add("classpath resource " + resource + ": " + t);
    }
    return "s3adt: cannot load the native library libs3adt.so; looked in: "
        + String.join("; ", tried);
  }
}
