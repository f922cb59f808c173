package org.s3adt.jni;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Loads libs3adt.so once per JVM: from the path in the system property {@code s3adt.native.library}
 * when set, else from {@code java.library.path}, else from the jar ({@code native/<os>-<arch>/}),
 * extracted into a new owner-only (0700) directory of {@code java.io.tmpdir} as an owner-only
 * file, and loaded only if its SHA-256 matches the digest the jar ships beside it
 * ({@code libs3adt.so.sha256}). When none works, every caller gets an IOException that says
 * where it looked and why each place failed.
 */
public final class NativeLoader {
  /** System property: an explicit path to libs3adt.so. */
  public static final String LIBRARY_PROPERTY = "s3adt.native.library";
  /** The jar carries the library's SHA-256 (hex) as this suffix of its resource name. */
  public static final String DIGEST_SUFFIX = ".sha256";

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
        Path lib = null;
        try {
          lib = extract(in, expectedDigest(resource));
          System.load(lib.toString());
          return NativeVersion.mismatch(resource + " (extracted to " + lib + ")");
        } catch (Throwable t) {
          tried.add("classpath resource " + resource
              + (lib == null ? "" : " (extracted to " + lib + ")") + ": " + t);
        }
      }
    } catch (Throwable t) {
      tried.add("classpath resource " + resource + ": " + t);
    }
    return "s3adt: cannot load the native library libs3adt.so; looked in: "
        + String.join("; ", tried);
  }

  /** The SHA-256 (lower-case hex) the jar ships beside the library, as {@code <resource>.sha256}. */
  static String expectedDigest(String resource) throws IOException {
    String name = resource + DIGEST_SUFFIX;
    try (InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no SHA-256 digest " + name + " in the jar: refusing to load "
            + resource + " unchecked");
      }
      byte[] b = new byte[256];
      int n = 0;
      for (int r; n < b.length && (r = in.read(b, n, b.length - n)) > 0; ) {
        n += r;
      }
      String hex = new String(b, 0, n, StandardCharsets.US_ASCII).trim();
      int space = hex.indexOf(' ');
      if (space >= 0) {
        hex = hex.substring(0, space); // sha256sum's "<hex>  <name>" form
      }
      hex = hex.toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new IOException(name + " is not a SHA-256 digest");
      }
      return hex;
    }
  }

  /**
   * Write the library into a new directory of {@code java.io.tmpdir} that only this user can
   * enter (0700), as a file only this user can write (0600), both made with those permissions
   * (never widened, never re-created), then check the SHA-256 of the bytes on disk against
   * {@code expected}. Both are deleted when the JVM exits (the loaded mapping does not need
   * them); on any failure, at once.
   * @return the library's path, ready for {@code System.load}
   * @throws IOException if writing fails or the digest differs (naming both digests)
   */
  static Path extract(InputStream in, String expected) throws IOException {
    Path dir = Files.createTempDirectory("libs3adt-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path lib = dir.resolve("libs3adt.so");
    boolean ok = false;
    try {
      // The attribute at creation is narrowed by the umask only; set it exactly as well.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      dir.toFile().deleteOnExit();
      // deleteOnExit deletes in reverse order of registration: the file, then the directory.
      lib.toFile().deleteOnExit();
      // CREATE_NEW: O_EXCL, so never an existing file or a symlink's target.
      try (SeekableByteChannel out = Files.newByteChannel(lib,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
          ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
          while (b.hasRemaining()) {
            out.write(b);
          }
        }
      }
      Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-------"));
      String actual = sha256(lib);
      if (!actual.equals(expected)) {
        throw new IOException("SHA-256 of the extracted " + lib + " is " + actual
            + " but the jar's digest says " + expected + ": refusing to load it");
      }
      ok = true;
      return lib;
    } finally {
      if (!ok) {
        Files.deleteIfExists(lib);
        Files.deleteIfExists(dir);
      }
    }
  }

  /** The SHA-256 of a file's bytes as they are on disk, lower-case hex. */
  private static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("SHA-256 is not available", e);
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    StringBuilder hex = new StringBuilder(64);
    for (byte b : md.digest()) {
      hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return hex.toString();
  }
}
