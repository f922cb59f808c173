package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.s3adt.jni.S3adtNative;

/** Where libs3adt.so is looked for, and what a JVM that cannot load it is told. */
public class NativeLoaderTest {
  /** Child-JVM entry point: load, then print the version or the failure. */
  public static final class Probe {
    public static void main(String[] args) {
      try {
        S3adtNative.ensureLoaded();
        System.out.println("loaded " + S3adtNative.version());
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
        S3adtNative.debugPanic();
        System.out.println("RETURNED");
      } catch (java.io.IOException e) {
        System.out.println("CAUGHT " + e.getMessage());
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
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = p.getInputStream().read(buf)) > 0; ) {
      b.write(buf, 0, n);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    // log4j 1.2 unconfigured warns about NativeVersion's log line at load; that is not the probe's
    return new String(b.toByteArray(), StandardCharsets.UTF_8).replaceAll("(?m)^log4j:WARN .*\n", "");
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
    String lib = new File(TestEnv.root(), "target/release/libs3adt.so").getAbsolutePath();
    String out = run(PanicProbe.class, System.getProperty("s3adt.classes") + File.pathSeparator + hadoop(),
        "-Ds3adt.native.library=" + lib);
    // The hook's line on the child's stderr, and the exception's message, name the location.
    assertTrue(out, out.contains("internal error (a bug in s3adt) at rust/ffi/src/jni/s3adt_native.rs:"));
    assertTrue(out, out.contains("CAUGHT s3adt internal error (a bug in s3adt) at rust/ffi/src/jni/s3adt_native.rs:"));
    // The panic's own message (a marker here; it could be a secret) appears nowhere.
    assertFalse(out, out.contains("S3ADT-DEBUG-PANIC-PAYLOAD"));
    assertFalse(out, out.contains("panicked at"));
  }
}
