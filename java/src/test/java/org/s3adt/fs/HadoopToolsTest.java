package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.testsupport.Processes;

/**
 * Hadoop's own token tools, run as separate processes exactly as the `hdfs fetchdt` and
 * `hadoop dtutil` scripts run them (the same main classes, from the real hadoop-hdfs and
 * hadoop-common jars), with s3adt's built jar on the classpath and nothing on
 * java.library.path: the jar's own copy of libs3adt.so is what loads. The configuration comes
 * from a core-site.xml on the classpath, as on a gateway host.
 */
public class HadoopToolsTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private File confDir;

  @Before
  public void writeCoreSite() throws IOException {
    confDir = tmp.newFolder("conf");
    Configuration c = TestEnv.withBinding(TestEnv.SESSION);
    c.set("fs.defaultFS", "s3a://bucket-a");
    c.unset("fs.s3a.impl.disable.cache");
    TestEnv.confDir(confDir, c);
  }

  /** Run a main class in a fresh JVM; returns stdout+stderr, failing the test on a non-zero exit. */
  private String run(String mainClass, String... args) throws Exception {
    String cp = confDir.getAbsolutePath() + File.pathSeparator
        + System.getProperty("s3adt.jar") + File.pathSeparator
        + System.getProperty("s3adt.tool.classpath");
    List<String> cmd = new ArrayList<>(Arrays.asList(
        new File(System.getProperty("java.home"), "bin/java").getAbsolutePath(),
        "-Xcheck:jni", "-Djava.library.path=/nonexistent", "-cp", cp, mainClass));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("HADOOP_TOKEN_FILE_LOCATION");
    Process p = pb.start();
    byte[] out = Processes.readAll(p.getInputStream());
    assertTrue(mainClass + " did not finish", p.waitFor(120, TimeUnit.SECONDS));
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(mainClass + " " + Arrays.toString(args) + " failed:\n" + text, 0, p.exitValue());
    assertFalse("output shows the secret key:\n" + text, text.contains(TestEnv.env("S3ADT_MOTO_SK")));
    assertFalse("-Xcheck:jni complained:\n" + text, text.contains("WARNING in native method"));
    return text;
  }


  private static Token<?> onlyToken(File f, Configuration conf) throws IOException {
    Credentials creds = Credentials.readTokenStorageFile(f, conf);
    assertEquals(1, creds.numberOfTokens());
    Token<?> t = creds.getToken(new Text("s3a://bucket-a"));
    assertNotNull("no token for s3a://bucket-a in " + creds.getAllTokens(), t);
    return t;
  }

  /** The file holds one token, a Session token for s3a://bucket-a. */
  private static void onlySessionToken(File f) throws IOException {
    Token<?> t = onlyToken(f, new Configuration(false));
    assertEquals(new Text("S3ADelegationToken/Session"), t.getKind());
  }

  @Test
  public void hdfsFetchdtFetchesAndPrintsASessionToken() throws Exception {
    File file = new File(tmp.getRoot(), "fetchdt.token");
    run("org.apache.hadoop.hdfs.tools.DelegationTokenFetcher", "--renewer", "yarn",
        file.getAbsolutePath());
    onlySessionToken(file);
    String printed = run("org.apache.hadoop.hdfs.tools.DelegationTokenFetcher", "--print",
        file.getAbsolutePath());
    assertTrue(printed, printed.contains("for s3a://bucket-a"));
    // the identifier decoded (s3adt's class), not the "unknown kind" fallback
    assertTrue(printed, printed.contains("S3ADelegationToken/Session"));
    assertTrue(printed, printed.contains("renewer=yarn") || printed.contains("yarn"));
  }

  @Test
  public void hadoopDtutilGetAndPrintBothFormats() throws Exception {
    for (String format : new String[] {"java", "protobuf"}) {
      File file = new File(tmp.getRoot(), "dtutil-" + format + ".token");
      run("org.apache.hadoop.security.token.DtUtilShell", "get", "s3a://bucket-a",
          "-format", format, "-renewer", "yarn", file.getAbsolutePath());
      byte[] raw = Files.readAllBytes(file.toPath());
      assertEquals("HDTS", new String(raw, 0, 4, StandardCharsets.US_ASCII));
      assertEquals(format.equals("java") ? 0 : 1, raw[4]);
      onlySessionToken(file);
      String printed = run("org.apache.hadoop.security.token.DtUtilShell", "print",
          file.getAbsolutePath());
      assertTrue(printed, printed.contains("S3ADelegationToken/Session"));
      assertTrue(printed, printed.contains("s3a://bucket-a"));
    }
  }
}
