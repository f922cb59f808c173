package org.s3adt.fs;

import java.net.URI;
import java.security.PrivilegedExceptionAction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;

/**
 * Run by {@link KerberosOwnerTest} in a child JVM (UGI's security configuration is static, so
 * the shared test JVM stays on simple authentication), with
 * {@code -Djava.security.krb5.conf} pointing at the test KDC's krb5.conf. Turns Kerberos on
 * ({@code hadoop.security.authentication=kerberos}) and, as the user the mode names, creates the
 * {@code s3a://} filesystem that {@code fs.s3a.impl} selects (by default the Session binding, against moto) and
 * issues a delegation token. Prints what it saw as {@code FACT key=value} lines for the test to
 * check; an exception escapes (exit 1), except in {@code no-login} mode, where the outcome
 * (a token, or the error) is itself the fact.
 *
 * <p>Modes ({@code args[0]}):
 * <ul>
 *   <li>{@code keytab PRINCIPAL KEYTAB}: log in from the keytab
 *       ({@code loginUserFromKeytabAndReturnUGI}) and issue inside its {@code doAs};</li>
 *   <li>{@code no-login}: no keytab and (the test arranges) an empty ticket cache: issue as
 *       whatever {@code UserGroupInformation.getCurrentUser()} gives.</li>
 * </ul>
 * Further arguments: {@code impl=CLASS} to issue with another {@code fs.s3a.impl} (hadoop-aws's
 * S3AFileSystem, for comparison); {@code binding=Full|Session|Role} (default Session).
 */
public final class KerberosOwnerMain {
  static final URI BUCKET = URI.create("s3a://bucket-a/");
  /** The renewer as a YARN ResourceManager's principal (what TokenCache passes). */
  static final String RM_PRINCIPAL = "yarn/localhost@EXAMPLE.TEST";

  private KerberosOwnerMain() {
  }

  private static void fact(String key, Object value) {
    System.out.println("FACT " + key + "=" + value);
  }

  /** Moto, the given binding; settings hadoop-aws also needs (path style, http, no probe). */
  private static Configuration fsConf(String impl, String binding) {
    Configuration c = TestEnv.withBinding(TestEnv.BINDING_PACKAGE + binding
        + (binding.equals("Full") ? "CredentialsTokenBinding" : "TokenBinding"));
    c.set("fs.s3a.impl", impl);
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.connection.ssl.enabled", "false");
    c.set("fs.s3a.bucket.probe", "0");
    return c;
  }

  private static void describe(String prefix, Token<?> t) throws Exception {
    fact(prefix + ".kind", t.getKind());
    fact(prefix + ".service", t.getService());
    AbstractDelegationTokenIdentifier id = (AbstractDelegationTokenIdentifier) t.decodeIdentifier();
    fact(prefix + ".identifierClass", id.getClass().getName());
    fact(prefix + ".owner", id.getOwner());
    fact(prefix + ".renewer", id.getRenewer());
    fact(prefix + ".realUser", id.getRealUser());
    UserGroupInformation u = id.getUser();
    fact(prefix + ".user", u == null ? "null" : u.getUserName());
    fact(prefix + ".shortUser", u == null ? "null" : u.getShortUserName());
  }

  /** Issue with getDelegationToken and with addDelegationTokens, as the current user. */
  private static void issue(String impl, String binding) throws Exception {
    UserGroupInformation me = UserGroupInformation.getCurrentUser();
    fact("current.user", me.getUserName());
    fact("current.shortUser", me.getShortUserName());
    fact("current.authMethod", me.getAuthenticationMethod());
    fact("current.hasKerberosCredentials", me.hasKerberosCredentials());
    try (FileSystem fs = FileSystem.newInstance(BUCKET, fsConf(impl, binding))) {
      fact("fs.class", fs.getClass().getName());
      describe("token", fs.getDelegationToken("yarn"));
    }
    // a fresh filesystem: addDelegationTokens skips services the credentials already hold
    try (FileSystem fs = FileSystem.newInstance(BUCKET, fsConf(impl, binding))) {
      Credentials creds = new Credentials();
      Token<?>[] added = fs.addDelegationTokens(RM_PRINCIPAL, creds);
      fact("added.count", added.length);
      fact("creds.count", creds.numberOfTokens());
      describe("added", added[0]);
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String impl = S3adtFileSystem.class.getName();
    String binding = "Session";
    for (String a : args) {
      if (a.startsWith("impl=")) {
        impl = a.substring("impl=".length());
      } else if (a.startsWith("binding=")) {
        binding = a.substring("binding=".length());
      }
    }
    Configuration security = new Configuration();
    security.set("hadoop.security.authentication", "kerberos");
    UserGroupInformation.setConfiguration(security);
    fact("securityEnabled", UserGroupInformation.isSecurityEnabled());
    final String fsImpl = impl;
    final String fsBinding = binding;
    switch (mode) {
      case "keytab": {
        UserGroupInformation ugi =
            UserGroupInformation.loginUserFromKeytabAndReturnUGI(args[1], args[2]);
        fact("login.user", ugi.getUserName());
        ugi.doAs((PrivilegedExceptionAction<Void>) () -> {
          issue(fsImpl, fsBinding);
          return null;
        });
        break;
      }
      case "no-login":
        try {
          issue(fsImpl, fsBinding);
          fact("outcome", "ISSUED");
        } catch (Exception e) {
          fact("outcome", "FAILED");
          fact("error", e.toString().replace('\n', ' '));
          fact("errorIsIOException", e instanceof java.io.IOException);
          Throwable root = e;
          while (root.getCause() != null) {
            root = root.getCause();
          }
          fact("rootError", root.toString().replace('\n', ' '));
        }
        break;
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
    fact("done", "true");
  }
}
