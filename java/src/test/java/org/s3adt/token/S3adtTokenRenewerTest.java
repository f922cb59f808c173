package org.s3adt.token;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.testsupport.Cases;

/**
 * {@link S3adtTokenRenewer} through Hadoop's own dispatch: {@code Token.renew}, {@code cancel}
 * and {@code isManaged} pick the renewer from the TokenRenewer services by kind. In this JVM
 * (no hadoop-aws, no native library loaded) and in child JVMs with the hadoop-aws jar before or
 * after s3adt's classes (hadoop-aws registers no renewer; its identifier classes win the kinds).
 */
public class S3adtTokenRenewerTest {

  private static final String[] ALIASES = {"full-basic", "session-basic", "role-basic"};

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  /** The fixture case with s3adt's dates: issued an hour before its credentials expire. */
  private static Cases.Case dated(String alias, boolean withMaxDate) throws IOException {
    Cases.Case c = Fixtures.cases().get(alias);
    Cases.Case d = new Cases.Case();
    for (java.lang.reflect.Field f : Cases.Case.class.getFields()) {
      try {
        f.set(d, f.get(c));
      } catch (IllegalAccessException e) {
        throw new IOException(e);
      }
    }
    if (withMaxDate && d.expiration > 0) {
      d.maxDate = d.expiration;
      d.issueDate = d.expiration - 3_600_000L;
    }
    return d;
  }

  private static Token<TokenIdentifier> token(Cases.Case c) throws IOException {
    return new Token<>(CaseBytes.encode(c, S3adtTokenIdentifier.EncryptionLayout.V1),
        c.password.getBytes(StandardCharsets.UTF_8), new Text(c.kind), new Text(c.service));
  }

  @Test
  public void handlesTheS3aKindsOnly() {
    S3adtTokenRenewer r = new S3adtTokenRenewer();
    for (String k : new String[] {FullTokenIdentifier.KIND, SessionTokenIdentifier.KIND,
        RoleTokenIdentifier.KIND}) {
      assertTrue(k, r.handleKind(new Text(k)));
    }
    for (String k : new String[] {"HDFS_DELEGATION_TOKEN", "S3ADelegationToken/Other",
        S3adtTokenIdentifier.DEFERRED_KIND_PREFIX + SessionTokenIdentifier.KIND, ""}) {
      assertFalse(k, r.handleKind(new Text(k)));
    }
  }

  @Test
  public void sessionAndRoleRenewToTheirExpiryThroughHadoopsDispatch() throws Exception {
    Configuration conf = new Configuration(false);
    for (String alias : new String[] {"session-basic", "role-basic"}) {
      Cases.Case c = dated(alias, true);
      Token<TokenIdentifier> t = token(c);
      assertEquals(alias, c.expiration, t.renew(conf));
      // Spark's getTokenRenewalInterval: renew() - issueDate, the token's lifetime
      AbstractDelegationTokenIdentifier id =
          (AbstractDelegationTokenIdentifier) t.decodeIdentifier();
      assertEquals(alias, 3_600_000L, t.renew(conf) - id.getIssueDate());
      assertFalse(alias, t.isManaged());
      t.cancel(conf); // nothing, no error
      // renewing changes nothing: same bytes, same answer
      assertEquals(alias, c.expiration, t.renew(conf));
      assertTrue(Arrays.equals(CaseBytes.encode(c, S3adtTokenIdentifier.EncryptionLayout.V1),
          t.getIdentifier()));
    }
  }

  @Test
  public void tokensWithoutExpiryAreNotRenewable() throws Exception {
    Configuration conf = new Configuration(false);
    Token<TokenIdentifier> full = token(dated("full-basic", true));
    assertFalse(full.isManaged());
    full.cancel(conf);
    try {
      full.renew(conf);
      fail("a Full token renewed");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("do not expire"));
    }
    // hadoop-aws's tokens leave maxDate 0
    try {
      token(dated("session-basic", false)).renew(conf);
      fail("a token without maxDate renewed");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("records no expiry"));
      assertFalse(e.getMessage(),
          e.getMessage().contains(Fixtures.cases().get("session-basic").secretKey));
    }
  }

  @Test
  public void disabledRenewerFailsAsIfThereWereNone() throws Exception {
    Configuration conf = new Configuration(false);
    conf.setBoolean(S3adtTokenRenewer.ENABLED_KEY, false);
    try {
      token(dated("session-basic", true)).renew(conf);
      fail("renewed while disabled");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains(S3adtTokenRenewer.ENABLED_KEY));
    }
  }

  @Test
  public void withHadoopAwsInEitherClasspathOrder() throws Exception {
    String aws = System.getProperty("s3adt.hadoopAws.classpath");
    assertNotNull("system property s3adt.hadoopAws.classpath is not set: run through Gradle", aws);
    List<String> cp = ChildJvm.split(System.getProperty("java.class.path"));
    List<String> awsEntries = ChildJvm.split(aws);
    List<String> urls = new ArrayList<>();
    List<Cases.Case> cases = new ArrayList<>();
    for (String alias : ALIASES) {
      Cases.Case c = dated(alias, true);
      cases.add(c);
      urls.add(token(c).encodeToUrlString());
    }
    List<String> s3adtFirst = new ArrayList<>(cp);
    s3adtFirst.addAll(awsEntries);
    List<String> awsFirst = new ArrayList<>(awsEntries);
    awsFirst.addAll(cp);
    for (List<String> order : Arrays.asList(cp, s3adtFirst, awsFirst)) {
      String name = order == cp ? "no hadoop-aws"
          : order == awsFirst ? "hadoop-aws first" : "s3adt first";
      List<String> out = ChildJvm.run(tmp, order, RenewMain.class, urls);
      for (Cases.Case c : cases) {
        if (c.kind.equals(FullTokenIdentifier.KIND)) {
          assertTrue(name + ": " + out, out.contains("renew-error " + c.kind
              + " java.io.IOException: " + c.kind
              + " tokens carry long-lived credentials which do not expire: nothing to renew"));
        } else {
          assertTrue(name + ": " + out, out.contains("renew " + c.kind + " " + c.expiration));
        }
        assertTrue(name + ": " + out, out.contains("managed " + c.kind + " false"));
        assertTrue(name + ": " + out, out.contains("cancelled " + c.kind));
      }
    }
  }
}
