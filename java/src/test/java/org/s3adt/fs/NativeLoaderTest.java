package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.jni.NativeLoader;
import org.s3adt.jni.S3adtNative;
import org.s3adt.jni.TestFfi;
import org.s3adt.testsupport.Processes;

/** Where libs3adt.so is looked for, and what a JVM that cannot load it is told. */
public class NativeLoaderTest {
  private static final String RESOURCE = "native/linux-x86_64/libs3adt.so";
  /** Probe: list java.io.tmpdir's libs3adt-* after loading. */
  private static final String LIST_TMPDIR = "s3adt.probe.listTmpdir";

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  /** Child-JVM entry point: load, then print the version or the failure. */
  public static final class Probe {
    public static void main(String[] args) {
      try {
        S3adtNative.ensureLoaded();
        System.out.println("loaded " + S3adtNative.version());
        if (Boolean.getBoolean(LIST_TMPDIR)) {
          listTmpdir();
        }
      } catch (Exception e) {
        System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage());
        try {
          // a second attempt gives the same clear answer, not a NoClassDefFoundError
          new org.apache.hadoop.fs.Path("/");
          S3adtNative.ensureLoaded();
        } catch (Exception again) {
          System.out.println("AGAIN " + again.getClass().getName());
        }
      }
    }
  }

  /** Child-JVM entry point: a panic inside a native; prints the exception's message. */
  public static final class PanicProbe {
    public static void main(String[] args) throws Exception {
      S3adtNative.ensureLoaded();
      try {
        TestFfi.debugPanic();
        System.out.println("RETURNED");
      } catch (java.io.IOException e) {
        System.out.println("CAUGHT " + e.getMessage());
      }
    }
  }

  /** What the loader left in java.io.tmpdir while the JVM runs, with its permissions. */
  static void listTmpdir() throws IOException {
    Path tmpdir = new File(System.getProperty("java.io.tmpdir")).toPath();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmpdir, "libs3adt-*")) {
      for (Path d : dirs) {
        System.out.println("dir " + d.getFileName() + " "
            + PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
          for (Path f : files) {
            System.out.println("file " + f.getFileName() + " "
                + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
          }
        }
      }
    }
  }

  private static String probe(String classpath, String... jvmArgs) throws Exception {
    return run(Probe.class, classpath, jvmArgs);
  }

  /** Runs `main` in a child JVM; returns its stdout and stderr together. */
  private static String run(Class<?> main, String classpath, String... jvmArgs) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(new File(System.getProperty("java.home"), "bin/java").getAbsolutePath());
    cmd.addAll(Arrays.asList(jvmArgs));
    cmd.addAll(Arrays.asList("-cp", classpath, main.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] b = Processes.readAll(p.getInputStream());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    // log4j 1.2 unconfigured warns about NativeVersion's log line at load; that is not the probe's
    // and a log4j.properties on the test class path (hadoop-mapreduce-client-core's test jar)
    // prints it at INFO: neither is the probe's output
    return new String(b, StandardCharsets.UTF_8).replaceAll("(?m)^log4j:WARN .*\n", "")
        .replaceAll("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} .*\n", "");
  }

  private static String hadoop() {
    return System.getProperty("s3adt.tool.classpath");
  }

  @Test
  public void loadsFromJavaLibraryPath() throws Exception {
    S3adtNative.ensureLoaded();
    assertNotEquals("", S3adtNative.version());
  }

  @Test
  public void loadsFromTheJarWhenJavaLibraryPathLacksIt() throws Exception {
    String out = probe(System.getProperty("s3adt.jar") + File.pathSeparator
        + System.getProperty("s3adt.classes") + File.pathSeparator + hadoop(),
        "-Djava.library.path=/nonexistent");
    assertTrue(out, out.startsWith("loaded " + S3adtNative.version()));
  }

  /** The jar's classpath for a child JVM that must extract the library from {@code jar}. */
  private static String jarClasspath(String jar) {
    return jar + File.pathSeparator + System.getProperty("s3adt.classes") + File.pathSeparator
        + hadoop();
  }

  private static List<String> entries(File dir) {
    List<String> names = new ArrayList<>();
    for (String n : dir.list()) {
      names.add(n);
    }
    return names;
  }

  @Test
  public void theJarsLibraryIsExtractedOwnerOnlyAndRemovedAtExit() throws Exception {
    File tmpdir = tmp.newFolder("tmpdir");
    String out = probe(jarClasspath(System.getProperty("s3adt.jar")),
        "-Djava.library.path=/nonexistent", "-Djava.io.tmpdir=" + tmpdir,
        "-D" + LIST_TMPDIR + "=true");
    assertTrue(out, out.startsWith("loaded " + S3adtNative.version()));
    // a new directory only the owner can enter, holding a file only the owner can write
    assertTrue(out, out.matches("(?s).*\ndir libs3adt-[^ ]+ rwx------\n.*"));
    assertTrue(out, out.contains("\nfile libs3adt.so rw-------\n"));
    assertEquals(out, 1, out.split("\ndir ", -1).length - 1);
    assertEquals("left behind after exit: " + entries(tmpdir), 0, entries(tmpdir).size());
  }

  /** A copy of the built jar whose digest entry says {@code digest}. */
  private File jarWithDigest(String digest) throws IOException {
    File copy = tmp.newFile("s3adt-bad-digest.jar");
    try (ZipFile in = new ZipFile(System.getProperty("s3adt.jar"));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy.toPath()))) {
      Enumeration<? extends ZipEntry> all = in.entries();
      while (all.hasMoreElements()) {
        ZipEntry e = all.nextElement();
        out.putNextEntry(new ZipEntry(e.getName()));
        if (e.getName().equals(RESOURCE + NativeLoader.DIGEST_SUFFIX)) {
          out.write((digest + "\n").getBytes(StandardCharsets.US_ASCII));
        } else {
          try (InputStream body = in.getInputStream(e)) {
            copy(body, out);
          }
        }
        out.closeEntry();
      }
    }
    return copy;
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[65536];
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
    }
  }

  private static String shippedDigest() throws IOException {
    try (ZipFile jar = new ZipFile(System.getProperty("s3adt.jar"))) {
      ZipEntry e = jar.getEntry(RESOURCE + NativeLoader.DIGEST_SUFFIX);
      assertTrue("the jar carries no " + RESOURCE + NativeLoader.DIGEST_SUFFIX, e != null);
      try (InputStream in = jar.getInputStream(e)) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        copy(in, b);
        return new String(b.toByteArray(), StandardCharsets.US_ASCII).trim();
      }
    }
  }

  @Test
  public void aLibraryWhoseDigestDiffersIsNotLoaded() throws Exception {
    String real = shippedDigest();
    assertTrue(real, real.matches("[0-9a-f]{64}"));
    String wrong = real.substring(0, 63) + (real.charAt(63) == '0' ? '1' : '0');
    File tmpdir = tmp.newFolder("tmpdir");
    String out = probe(jarClasspath(jarWithDigest(wrong).getAbsolutePath()),
        "-Djava.library.path=/nonexistent", "-Djava.io.tmpdir=" + tmpdir);
    assertTrue(out, out.startsWith("FAILED java.io.IOException: s3adt: cannot load the native library"));
    assertTrue(out, out.contains("SHA-256 of the extracted "));
    assertTrue(out, out.contains(" is " + real + " but the jar's digest says " + wrong));
    assertTrue(out, out.contains("AGAIN java.io.IOException"));
    assertEquals("left behind: " + entries(tmpdir), 0, entries(tmpdir).size());
  }

  @Test
  public void anExplicitPathWins() throws Exception {
    String lib = new File(TestEnv.root(), "target/release/libs3adt.so").getAbsolutePath();
    String out = probe(System.getProperty("s3adt.classes") + File.pathSeparator + hadoop(),
        "-Djava.library.path=/nonexistent", "-Ds3adt.native.library=" + lib);
    assertTrue(out, out.startsWith("loaded "));
  }

  @Test
  public void whenNothingLoadsTheExceptionSaysWhereItLooked() throws Exception {
    String out = probe(System.getProperty("s3adt.classes") + File.pathSeparator + hadoop(),
        "-Djava.library.path=/nonexistent/dir", "-Ds3adt.native.library=/nonexistent/libs3adt.so");
    assertTrue(out, out.startsWith("FAILED java.io.IOException: s3adt: cannot load the native library"));
    assertTrue(out, out.contains("s3adt.native.library=/nonexistent/libs3adt.so"));
    assertTrue(out, out.contains("java.library.path=/nonexistent/dir"));
    assertTrue(out, out.contains("native/linux-x86_64/libs3adt.so: not in the jar"));
    assertTrue(out, out.contains("AGAIN java.io.IOException"));
  }

  @Test
  public void aPanicShowsItsLocationButNeverItsMessageOnStderrOrInTheException() throws Exception {
    TestFfi.assumeAvailable();
    // the library with the test-only natives, which this JVM loaded too (java.library.path)
    String lib = new File(System.getProperty("java.library.path"), "libs3adt.so").getAbsolutePath();
    String out = run(PanicProbe.class, System.getProperty("s3adt.classes") + File.pathSeparator + hadoop(),
        "-Ds3adt.native.library=" + lib);
    // The hook's line on the child's stderr, and the exception's message, name the location.
    assertTrue(out, out.contains("internal error (a bug in s3adt) at rust/ffi/src/test_ffi.rs:"));
    assertTrue(out, out.contains("CAUGHT s3adt internal error (a bug in s3adt) at rust/ffi/src/test_ffi.rs:"));
    // The panic's own message (a marker here; it could be a secret) appears nowhere.
    assertFalse(out, out.contains("S3ADT-DEBUG-PANIC-PAYLOAD"));
    assertFalse(out, out.contains("panicked at"));
  }
}
