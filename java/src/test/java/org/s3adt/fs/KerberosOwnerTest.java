package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.testsupport.Processes;

/**
 * Issue 4: "the token owner is the UGI user (the Kerberos principal when secure)". Against the
 * MIT KDC tests/java/run.sh starts (tests/peers/kdc/up.sh: realm EXAMPLE.TEST on loopback, a
 * keytab per principal in {@code $S3ADT_KDC_DIR}) and moto, each case in a child JVM with
 * {@code hadoop.security.authentication=kerberos} (UGI's security configuration is per JVM; the
 * shared test JVM stays on simple authentication):
 * <ul>
 *   <li>logged in from alice's keytab, the token s3adt's filesystem issues is owned by
 *       {@code alice@EXAMPLE.TEST} (short name {@code alice}), and a renewer given as a
 *       principal is stored as its short name, as Hadoop's
 *       {@code AbstractDelegationTokenIdentifier.setRenewer} stores it;</li>
 *   <li>real hadoop-aws, logged in the same way, issues a token with the same owner, renewer and
 *       real user (the reference for the two facts above);</li>
 *   <li>{@code hadoop dtutil get} (DtUtilShell, through s3adt's DtFetcher) as alice, logged in
 *       with dtutil's own {@code -keytab}/{@code -principal} options, and from a ticket cache
 *       {@code kinit} filled;</li>
 *   <li>with security on but no login at all (no keytab, an empty ticket cache), no token is
 *       issued: the call fails naming Kerberos, instead of a token silently owned by the OS
 *       user. (UGI itself falls back to the OS user, auth:SIMPLE, in that case, and hadoop-aws
 *       3.4.1 then issues a token owned by it; checked by hand when this test was written. s3adt
 *       refusing is a deliberate difference.)</li>
 * </ul>
 */
public class KerberosOwnerTest {
  private static final String REALM = "EXAMPLE.TEST";
  private static final String ALICE = "alice@" + REALM;

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  /** A finished child JVM: exit code, stdout+stderr, and its FACT lines. */
  static final class Child {
    final int exit;
    final String out;
    final Map<String, String> facts = new HashMap<>();

    Child(int exit, String out) {
      this.exit = exit;
      this.out = out;
      for (String line : out.split("\n")) {
        if (line.startsWith("FACT ")) {
          int eq = line.indexOf('=');
          facts.put(line.substring(5, eq), line.substring(eq + 1));
        }
      }
    }

    String fact(String key) {
      String v = facts.get(key);
      assertNotNull("no FACT " + key + " in the child's output:\n" + out, v);
      return v;
    }

    void assertFact(String key, String expected) {
      assertEquals(key + " (child output:\n" + out + ")", expected, fact(key));
    }
  }

  private static String kdcDir() {
    return TestEnv.env("S3ADT_KDC_DIR");
  }

  private static String keytab(String principalWithoutRealm) {
    return new File(kdcDir(), principalWithoutRealm.replace('/', '_') + ".keytab").getAbsolutePath();
  }

  private static String krb5Conf() {
    return TestEnv.env("KRB5_CONFIG");
  }

  /** s3adt's built jar (it carries libs3adt.so) and the Hadoop classpath, no hadoop-aws. */
  private static String s3adtClasspath() {
    return System.getProperty("s3adt.test.classes") + File.pathSeparator
        + System.getProperty("s3adt.jar") + File.pathSeparator
        + System.getProperty("s3adt.tool.classpath");
  }

  /**
   * Start {@code mainClass} in a fresh JVM with Kerberos configured for the test KDC, the given
   * ticket cache ({@code KRB5CCNAME}) and nothing else that could name a user or a token.
   */
  private static Child run(String classpath, String ccache, String mainClass, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList(
        new File(System.getProperty("java.home"), "bin/java").getAbsolutePath(),
        "-Xcheck:jni", "-Djava.library.path=/nonexistent",
        "-Djava.security.krb5.conf=" + krb5Conf(),
        "-cp", classpath, mainClass));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("HADOOP_TOKEN_FILE_LOCATION");
    env.remove("HADOOP_USER_NAME");
    env.remove("HADOOP_CONF_DIR");
    env.put("KRB5CCNAME", "FILE:" + ccache);
    Process p = pb.start();
    byte[] out = Processes.readAll(p.getInputStream());
    assertTrue(mainClass + " did not finish", p.waitFor(120, TimeUnit.SECONDS));
    String text = new String(out, StandardCharsets.UTF_8);
    assertFalse("output shows the secret key:\n" + text, text.contains(TestEnv.env("S3ADT_MOTO_SK")));
    assertFalse("-Xcheck:jni complained:\n" + text, text.contains("WARNING in native method"));
    return new Child(p.exitValue(), text);
  }

  private static Child runOk(String classpath, String ccache, String mainClass, String... args)
      throws Exception {
    Child c = run(classpath, ccache, mainClass, args);
    assertEquals(mainClass + " " + Arrays.toString(args) + " failed:\n" + c.out, 0, c.exit);
    return c;
  }

  /** A ticket cache path that does not exist: a JVM reading it finds no ticket. */
  private String noTicketCache() {
    return new File(tmp.getRoot(), "no-such-ccache").getAbsolutePath();
  }

  private Child issueAsAliceFromKeytab(String classpath, String... extra) throws Exception {
    List<String> args = new ArrayList<>(Arrays.asList("keytab", ALICE, keytab("alice")));
    args.addAll(Arrays.asList(extra));
    return runOk(classpath, noTicketCache(), KerberosOwnerMain.class.getName(),
        args.toArray(new String[0]));
  }

  @Test
  public void keytabLoginOwnsTheToken() throws Exception {
    Child c = issueAsAliceFromKeytab(s3adtClasspath());
    c.assertFact("securityEnabled", "true");
    c.assertFact("login.user", ALICE);
    c.assertFact("current.user", ALICE);
    c.assertFact("current.shortUser", "alice");
    c.assertFact("current.authMethod", "KERBEROS");
    c.assertFact("current.hasKerberosCredentials", "true");
    c.assertFact("fs.class", S3adtFileSystem.class.getName());
    for (String t : new String[] {"token", "added"}) {
      c.assertFact(t + ".kind", "S3ADelegationToken/Session");
      c.assertFact(t + ".service", "s3a://bucket-a");
      // s3adt's own identifier class decodes it (no hadoop-aws on this classpath)
      c.assertFact(t + ".identifierClass", "org.s3adt.token.SessionTokenIdentifier");
      c.assertFact(t + ".owner", ALICE);
      c.assertFact(t + ".user", ALICE);
      c.assertFact(t + ".shortUser", "alice");
      c.assertFact(t + ".realUser", "");
    }
    c.assertFact("token.renewer", "yarn");
    c.assertFact("added.count", "1");
    c.assertFact("creds.count", "1");
    // Hadoop's AbstractDelegationTokenIdentifier.setRenewer stores a renewer principal by its
    // short name (auth_to_local): yarn/localhost@EXAMPLE.TEST -> yarn
    c.assertFact("added.renewer", "yarn");
  }

  @Test
  public void hadoopAwsIssuesWithTheSameOwnerAndRenewer() throws Exception {
    String cp = System.getProperty("s3adt.test.classes") + File.pathSeparator
        + System.getProperty("s3adt.jar") + File.pathSeparator
        + TestEnv.env("S3ADT_HADOOP_AWS_CP") + File.pathSeparator
        + System.getProperty("s3adt.tool.classpath");
    // The Full binding: hadoop-aws's STS client needs the AWS SDK bundle's shaded httpclient,
    // which the small SDK modules on this classpath lack; owner and renewer are set by
    // AbstractS3ATokenIdentifier, the same for every binding.
    Child theirs = issueAsAliceFromKeytab(cp, "impl=org.apache.hadoop.fs.s3a.S3AFileSystem",
        "binding=Full");
    theirs.assertFact("fs.class", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    theirs.assertFact("current.user", ALICE);
    for (String t : new String[] {"token", "added"}) {
      theirs.assertFact(t + ".kind", "S3ADelegationToken/Full");
      theirs.assertFact(t + ".owner", ALICE);
      theirs.assertFact(t + ".user", ALICE);
      theirs.assertFact(t + ".shortUser", "alice");
      theirs.assertFact(t + ".realUser", "");
      theirs.assertFact(t + ".renewer", "yarn");
    }
  }

  // ---- hadoop dtutil get, as alice ----

  /** A conf dir for the tools: core-site.xml with Kerberos on and s3adt for s3a://. */
  private File kerberosConfDir() throws IOException {
    File dir = tmp.newFolder("conf");
    Configuration c = TestEnv.withBinding(TestEnv.SESSION);
    c.unset("fs.s3a.impl.disable.cache");
    c.set("hadoop.security.authentication", "kerberos");
    return TestEnv.confDir(dir, c);
  }

  /** The tools' classpath: conf dir, s3adt's jar, Hadoop (as `hadoop dtutil` runs). */
  private static String toolClasspath(File confDir) {
    return confDir.getAbsolutePath() + File.pathSeparator
        + System.getProperty("s3adt.jar") + File.pathSeparator
        + System.getProperty("s3adt.tool.classpath");
  }

  private static AbstractDelegationTokenIdentifier onlyIdentifier(File file) throws IOException {
    Credentials creds = Credentials.readTokenStorageFile(file, new Configuration(false));
    assertEquals(1, creds.numberOfTokens());
    Token<?> t = creds.getToken(new Text("s3a://bucket-a"));
    assertNotNull("no token for s3a://bucket-a in " + creds.getAllTokens(), t);
    assertEquals(new Text("S3ADelegationToken/Session"), t.getKind());
    return (AbstractDelegationTokenIdentifier) t.decodeIdentifier();
  }

  private static final String DTUTIL = "org.apache.hadoop.security.token.DtUtilShell";

  @Test
  public void dtutilGetWithKeytabOptions() throws Exception {
    File conf = kerberosConfDir();
    File file = new File(tmp.getRoot(), "keytab.token");
    // no ticket cache: only dtutil's -keytab/-principal login can make alice the owner
    Child c = runOk(toolClasspath(conf), noTicketCache(), DTUTIL,
        "-keytab", keytab("alice"), "-principal", ALICE,
        "get", "s3a://bucket-a", "-renewer", KerberosOwnerMain.RM_PRINCIPAL,
        file.getAbsolutePath());
    AbstractDelegationTokenIdentifier id = onlyIdentifier(file);
    // (not id.getUser(): resolving a principal's short name needs this JVM's UGI on Kerberos)
    assertEquals(c.out, ALICE, id.getOwner().toString());
    assertEquals(c.out, "", id.getRealUser().toString());
    assertEquals(c.out, "yarn", id.getRenewer().toString());
  }

  @Test
  public void dtutilGetWithKinitTicketCache() throws Exception {
    File conf = kerberosConfDir();
    String ccache = new File(tmp.getRoot(), "alice.ccache").getAbsolutePath();
    ProcessBuilder kinit = new ProcessBuilder("kinit", "-kt", keytab("alice"), ALICE)
        .redirectErrorStream(true);
    kinit.environment().put("KRB5_CONFIG", krb5Conf());
    kinit.environment().put("KRB5CCNAME", "FILE:" + ccache);
    Process k = kinit.start();
    String kout = new String(Processes.readAll(k.getInputStream()), StandardCharsets.UTF_8);
    assertTrue("kinit did not finish", k.waitFor(30, TimeUnit.SECONDS));
    assertEquals("kinit -kt alice.keytab " + ALICE + ":\n" + kout, 0, k.exitValue());

    File file = new File(tmp.getRoot(), "ccache.token");
    Child c = runOk(toolClasspath(conf), ccache, DTUTIL,
        "get", "s3a://bucket-a", "-renewer", "yarn", file.getAbsolutePath());
    AbstractDelegationTokenIdentifier id = onlyIdentifier(file);
    assertEquals(c.out, ALICE, id.getOwner().toString());
    assertEquals(c.out, "yarn", id.getRenewer().toString());
  }

  // ---- security on, nobody logged in ----

  /**
   * Whether a message line (stack frames left out: class names such as HadoopKerberosName do
   * not count) says the problem is the missing Kerberos login.
   */
  private static boolean namesKerberos(String text) {
    for (String line : text.split("\n")) {
      String t = line.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.startsWith("at ") || t.startsWith("...")) {
        continue;
      }
      if (t.contains("kerberos") || t.contains("kinit") || t.contains("tgt")
          || t.contains("ticket")) {
        return true;
      }
    }
    return false;
  }

  /**
   * As hadoop-aws: with security on but no Kerberos login, UGI falls back to the OS user (auth
   * SIMPLE) and the token is issued for that user. s3adt does not refuse here, so a site that
   * works with hadoop-aws works with s3adt; the owner is exactly what hadoop-aws would write.
   */
  @Test
  public void noLoginIssuesForTheOsUserAsHadoopAwsDoes() throws Exception {
    Child c = runOk(s3adtClasspath(), noTicketCache(), KerberosOwnerMain.class.getName(),
        "no-login");
    c.assertFact("securityEnabled", "true");
    c.assertFact("current.hasKerberosCredentials", "false");
    assertEquals(c.out, "ISSUED", c.fact("outcome"));
    assertEquals(c.out, System.getProperty("user.name"), c.fact("token.owner"));
  }

  @Test
  public void dtutilGetWithoutLoginWritesTheOsUsersToken() throws Exception {
    File conf = kerberosConfDir();
    File file = new File(tmp.getRoot(), "nologin.token");
    Child c = run(toolClasspath(conf), noTicketCache(), DTUTIL,
        "get", "s3a://bucket-a", "-renewer", "yarn", file.getAbsolutePath());
    assertEquals(c.out, 0, c.exit);
    assertEquals(c.out, System.getProperty("user.name"), onlyIdentifier(file).getOwner().toString());
  }
}
