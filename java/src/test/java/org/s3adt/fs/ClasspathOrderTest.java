package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.s3adt.testsupport.Processes;

/**
 * hadoop-aws and s3adt on one classpath, in either order: Token.decodeIdentifier keeps one
 * class per kind and hadoop-aws's binding accepts only its own, so s3adt's identifier classes
 * defer to hadoop-aws's when it is present. Whatever the order, a token issued by either is
 * consumed by either (CrossConsumeMain, in a child JVM per order, against moto), with every
 * field read alike by both; with Hadoop 3.4.1 (V1 tokens) and 3.5.0 (tokens with the context).
 */
public class ClasspathOrderTest {
  private static String run(String classpath) throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList(
        new File(System.getProperty("java.home"), "bin/java").getAbsolutePath(),
        "-Xcheck:jni", "-Djava.library.path=/nonexistent", "-cp", classpath,
        CrossConsumeMain.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] b = Processes.readAll(p.getInputStream());
    assertTrue(p.waitFor(180, TimeUnit.SECONDS));
    String out = new String(b, StandardCharsets.UTF_8);
    assertEquals(out, 0, p.exitValue());
    assertTrue("-Xcheck:jni complained:\n" + out, !out.contains("WARNING in native method"));
    assertTrue("output shows the secret key", !out.contains(TestEnv.env("S3ADT_MOTO_SK")));
    return out;
  }

  private static void check(String out, String layout) {
    for (String kind : new String[] {"Full", "Session", "Role"}) {
      assertTrue(out, out.contains("OK s3adt->hadoop-aws " + kind + " listed: hello.txt"));
      assertTrue(out, out.contains("OK hadoop-aws->s3adt " + kind));
      // every field read alike by both, in the layout the running Hadoop's hadoop-aws reads
      assertTrue(out, out.contains("FIELDS s3adt's token " + kind + " layout " + layout));
      assertTrue(out, out.contains("FIELDS hadoop-aws's token " + kind + " layout " + layout));
    }
    // hadoop-aws's classes decode whatever the order (s3adt's defer to them)
    assertTrue(out, out.contains(
        "DECODES-AS Session org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier"));
    assertTrue(out, out.contains(
        "DECODES-AS Full org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenIdentifier"));
  }

  private static String s3adt() {
    return System.getProperty("s3adt.test.classes") + File.pathSeparator
        + System.getProperty("s3adt.jar");
  }

  /** Built by tests/java/run.sh from tests/hadoop-aws (hadoop-aws 3.4.1, small SDK modules). */
  private static String hadoopAws() {
    return TestEnv.env("S3ADT_HADOOP_AWS_CP");
  }

  private static String hadoop() {
    return System.getProperty("s3adt.tool.classpath");
  }

  /**
   * Hadoop 3.5.0's client and hadoop-aws 3.5.0 (tests/java/run.sh builds the classpath from
   * tests/hadoop-aws with -Dhadoop.version=3.5.0): its hadoop-common, hadoop-aws, SDK 2.35.4.
   * Its STS endpoint is a host without a port (new URI("https", host, null, null)), so its
   * Session and Role tokens come from run.sh's TLS front on S3ADT_STS_443_HOST:443.
   */
  private static String hadoopAws35() {
    return TestEnv.env("S3ADT_HADOOP_AWS_35_CP");
  }

  @Test
  public void s3adtFirst() throws Exception {
    check(run(s3adt() + File.pathSeparator + hadoopAws() + File.pathSeparator + hadoop()), "v1");
  }

  @Test
  public void hadoopAwsFirst() throws Exception {
    check(run(hadoopAws() + File.pathSeparator + s3adt() + File.pathSeparator + hadoop()), "v1");
  }

  @Test
  public void s3adtFirstHadoop35() throws Exception {
    String out = run(s3adt() + File.pathSeparator + hadoopAws35());
    assertTrue(out, out.contains("Hadoop 3.5.0"));
    check(out, "v1ctx");
  }

  @Test
  public void hadoopAwsFirstHadoop35() throws Exception {
    String out = run(hadoopAws35() + File.pathSeparator + s3adt());
    assertTrue(out, out.contains("Hadoop 3.5.0"));
    check(out, "v1ctx");
  }
}
