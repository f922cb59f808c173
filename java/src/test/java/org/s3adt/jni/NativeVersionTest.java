package org.s3adt.jni;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.testsupport.Processes;

/**
 * One version (issue 17): the jar, libs3adt.so and Cargo.toml agree, and a library of another
 * version (an old build on java.library.path or at -Ds3adt.native.library) is an IOException
 * naming both versions and the file. Each load runs in a child JVM: a JVM keeps what it loaded.
 */
public class NativeVersionTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  // duplicates: deliberate. Each test class has its child-JVM Probe (NativeLoaderTest's
  // loads through S3adtNative.ensureLoaded and retries; this one through NativeLoader).
  /** Child-JVM entry point: load, then print the versions or the failure. */
  public static final class Probe {
    public static void main(String[] args) {
      try {
        NativeLoader.load();
        System.out.println("loaded " + NativeVersion.version() + " jar " + NativeVersion.jarVersion());
      } catch (Exception e) {
        System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage());
      }
    }
  }

  private static String cargoVersion() throws Exception {
    String toml = new String(Files.readAllBytes(
        new File(System.getProperty("s3adt.root"), "Cargo.toml").toPath()), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?ms)^\\[workspace\\.package\\]\\s*$.*?^version\\s*=\\s*\"([^\"]+)\"")
        .matcher(toml);
    assertTrue(m.find());
    return m.group(1);
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = Processes.readAll(p.getInputStream());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(text, 0, p.exitValue());
    return text;
  }

  private static String probe(String... jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(new File(System.getProperty("java.home"), "bin/java").getAbsolutePath());
    cmd.addAll(Arrays.asList(jvmArgs));
    cmd.addAll(Arrays.asList("-cp", System.getProperty("s3adt.classes") + File.pathSeparator
        + System.getProperty("s3adt.tool.classpath"), Probe.class.getName()));
    return run(cmd);
  }

  /** A stand-in for a libs3adt.so of another build: a JNI library exporting only `natives`. */
  private File fakeLibrary(File dir, String natives) throws Exception {
    File c = new File(dir, "fake.c");
    Files.write(c.toPath(), ("#include <jni.h>\n" + natives).getBytes(StandardCharsets.UTF_8));
    File so = new File(dir, "libs3adt.so");
    String jdk = System.getProperty("java.home");
    run(Arrays.asList("gcc", "-shared", "-fPIC", "-I" + jdk + "/include", "-I" + jdk + "/include/linux",
        "-o", so.getAbsolutePath(), c.getAbsolutePath()));
    return so;
  }

  private static String versionNative(String cls, String v) {
    return "JNIEXPORT jstring JNICALL Java_org_s3adt_jni_" + cls
        + "_version(JNIEnv *env, jclass c) { return (*env)->NewStringUTF(env, \"" + v + "\"); }\n";
  }

  @Test
  public void theJarTheLibraryAndCargoTomlHaveOneVersion() throws Exception {
    String v = cargoVersion();
    assertEquals(v, NativeVersion.jarVersion());
    String out = probe("-Djava.library.path=" + new File(System.getProperty("s3adt.root"), "target/release"));
    assertEquals("loaded " + v + " jar " + v, out.trim().replaceAll("(?s).*\n", ""));
  }

  @Test
  public void anExplicitLibraryOfAnotherVersionIsAnIOExceptionNamingBothAndTheFile() throws Exception {
    File so = fakeLibrary(tmp.newFolder("new"), versionNative("NativeVersion", "0.0.9"));
    String out = probe("-Djava.library.path=/nonexistent", "-Ds3adt.native.library=" + so);
    assertTrue(out, out.contains("FAILED java.io.IOException: s3adt: the native library "
        + so.getAbsolutePath() + " is version 0.0.9, but this jar (org.s3adt:s3adt) is version "
        + cargoVersion()));
  }

  @Test
  public void anOldLibraryOnJavaLibraryPathIsAnIOExceptionNamingBothAndTheFile() throws Exception {
    // Built before the version check: it has S3adtNative.version() only.
    File dir = tmp.newFolder("old");
    File so = fakeLibrary(dir, versionNative("S3adtNative", "0.0.8"));
    String out = probe("-Djava.library.path=" + dir);
    assertTrue(out, out.contains("FAILED java.io.IOException: s3adt: the native library "
        + so.getAbsolutePath() + " is version 0.0.8 (a build older than this jar's version check),"
        + " but this jar (org.s3adt:s3adt) is version " + cargoVersion()));
  }
}
