package org.s3adt.token;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.DtFileOperations;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.testsupport.Cases;

/**
 * Which class Hadoop decodes S3A tokens with: s3adt's when hadoop-aws is absent (this test JVM's
 * classpath), hadoop-aws's when it is present, whichever comes first on the classpath (child
 * JVMs, with the hadoop-aws jar Gradle resolves into the {@code hadoopAws} configuration).
 */
public class KindRegistrationTest {

  private static final String SERVICES =
      "META-INF/services/org.apache.hadoop.security.token.TokenIdentifier";
  private static final String[] ALIASES = {"full-basic", "session-basic", "role-basic"};

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private static Token<TokenIdentifier> token(Cases.Case c) throws Exception {
    return new Token<>(CaseBytes.encode(c, S3adtTokenIdentifier.EncryptionLayout.V1),
        c.password.getBytes(StandardCharsets.UTF_8), new Text(c.kind), new Text(c.service));
  }

  private static S3adtTokenIdentifier fresh(String kind) {
    return S3adtTokenIdentifier.forKind(new Text(kind));
  }

  // ------------------------------------------------------------------ (a) without hadoop-aws

  @Test
  public void withoutHadoopAwsS3adtClaimsTheKinds() throws Exception {
    for (String alias : ALIASES) {
      Cases.Case c = Fixtures.cases().get(alias);
      String awsClass = fresh(c.kind).getClass().getField("HADOOP_AWS_CLASS").get(null)
          .toString();
      try {
        Class.forName(awsClass);
        fail(awsClass + " is on the test classpath: this test needs a classpath without"
            + " hadoop-aws (KindRegistrationTest covers the other case in child JVMs)");
      } catch (ClassNotFoundException expected) {
        // as it should be
      }
      S3adtTokenIdentifier empty = fresh(c.kind);
      assertFalse(alias, empty.isDeferringToHadoopAws());
      assertEquals(alias + ": an empty instance claims the kind", new Text(c.kind),
          empty.getKind());
      Token<TokenIdentifier> t = token(c);
      TokenIdentifier id = t.decodeIdentifier();
      assertNotNull(alias + ": Token.decodeIdentifier found no class", id);
      assertEquals(alias, Checks.classFor(c.kind), id.getClass());
      assertEquals(alias, new Text(c.kind), id.getKind());
      Checks.noSecret(alias + ": Token.toString", t.toString(), c);
      assertTrue(t.toString(), t.toString().contains("Ident: (S3ATokenIdentifier{" + c.kind));
    }
  }

  /** What {@code hadoop dtutil print} shows: the decoded renewer, not -NA-. */
  @Test
  public void dtutilPrintDecodesS3adtTokens() throws Exception {
    Credentials creds = new Credentials();
    for (String alias : ALIASES) {
      creds.addToken(new Text(alias), token(Fixtures.cases().get(alias)));
    }
    File f = tmp.newFile("tokens");
    creds.writeTokenStorageFile(new org.apache.hadoop.fs.Path(f.toURI()),
        new Configuration(false));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DtFileOperations.printTokenFile(f, null, new Configuration(false),
        new PrintStream(out, true, "UTF-8"));
    String text = out.toString("UTF-8");
    for (String alias : ALIASES) {
      Cases.Case c = Fixtures.cases().get(alias);
      boolean found = false;
      for (String line : text.split("\n")) {
        if (line.startsWith(c.kind + " ") && line.contains(" " + c.service + " ")) {
          assertTrue(line, line.contains(" " + c.renewer + " "));
          assertFalse(line, line.contains("-NA-"));
          found = true;
        }
      }
      assertTrue(alias + " not in\n" + text, found);
      Checks.noSecret("dtutil print", text, c);
    }
  }

  // ------------------------------------------------------------------ (b) with hadoop-aws

  @Test
  public void withHadoopAwsItsClassesWinInEitherClasspathOrder() throws Exception {
    String aws = System.getProperty("s3adt.hadoopAws.classpath");
    assertNotNull("system property s3adt.hadoopAws.classpath is not set: run through Gradle"
        + " (build.gradle passes the hadoopAws configuration)", aws);
    List<String> awsEntries = ChildJvm.split(aws);
    assertTrue(aws, awsEntries.size() == 1 && awsEntries.get(0).contains("hadoop-aws-"));
    List<String> cp = ChildJvm.split(System.getProperty("java.class.path"));
    int ours = -1;
    for (int i = 0; i < cp.size(); i++) {
      File services = new File(cp.get(i), SERVICES);
      if (services.isFile() && new String(Files.readAllBytes(services.toPath()),
          StandardCharsets.UTF_8).contains(SessionTokenIdentifier.class.getName())) {
        ours = i;
      }
    }
    assertTrue("s3adt's " + SERVICES + " is not on java.class.path " + cp, ours >= 0);

    List<String> urls = new ArrayList<>();
    for (String alias : ALIASES) {
      urls.add(token(Fixtures.cases().get(alias)).encodeToUrlString());
    }

    // Control: no hadoop-aws, s3adt decodes.
    Map<String, String> none = decodedBy(ChildJvm.run(tmp, cp, DecodeMain.class, urls));
    for (String alias : ALIASES) {
      String kind = Fixtures.cases().get(alias).kind;
      assertEquals("without hadoop-aws, " + kind, Checks.classFor(kind).getName(),
          none.get(kind));
    }

    List<String> s3adtFirst = new ArrayList<>(cp);
    s3adtFirst.addAll(awsEntries);
    List<String> awsFirst = new ArrayList<>(awsEntries);
    awsFirst.addAll(cp);
    for (List<String> order : Arrays.asList(s3adtFirst, awsFirst)) {
      boolean awsIsFirst = order == awsFirst;
      String name = awsIsFirst ? "hadoop-aws first" : "s3adt first";
      List<String> out = ChildJvm.run(tmp, order, DecodeMain.class, urls);
      Map<String, String> decoded = decodedBy(out);
      for (String alias : ALIASES) {
        Cases.Case c = Fixtures.cases().get(alias);
        S3adtTokenIdentifier ours0 = fresh(c.kind);
        String awsClass = (String) ours0.getClass().getField("HADOOP_AWS_CLASS").get(null);
        String s3adtClass = ours0.getClass().getName();
        assertEquals(name + ": Token.decodeIdentifier() of " + c.kind, awsClass,
            decoded.get(c.kind));
        // The scan met both classes, in classpath order; s3adt's reported the deferring kind.
        int awsAt = out.indexOf("scan " + awsClass + " " + c.kind);
        int s3adtAt = out.indexOf("scan " + s3adtClass + " "
            + S3adtTokenIdentifier.DEFERRED_KIND_PREFIX + c.kind);
        assertTrue(name + ": scan " + out, awsAt >= 0 && s3adtAt >= 0);
        assertEquals(name + ": scan order " + out, awsIsFirst, awsAt < s3adtAt);
        // s3adt's own decoding still works, with the real kind.
        assertTrue(name + ": " + out,
            out.contains("own " + s3adtClass + " " + c.kind + " true"));
      }
    }
  }

  /** kind -> class name from the child's {@code decoded} lines. */
  private static Map<String, String> decodedBy(List<String> out) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : out) {
      String[] w = line.split(" ");
      if (w[0].equals("decoded")) {
        m.put(w[1], w[2]);
      }
    }
    return m;
  }
}
