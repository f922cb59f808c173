package org.s3adt.ozone;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;

/**
 * The child JVM of tests/ozone/binding.sh, on the real secure Ozone of tests/peers/ozone: prints
 * {@code FACT key=value} lines (never a secret) and exits 1 on an exception, whose message it
 * prints as {@code FACT error=...}.
 *
 * <p>Settings from the environment: {@code S3ADT_OZONE_S3_ENDPOINT}, {@code S3ADT_OZONE_ADMIN_URL},
 * {@code BINDING_BUCKET}, {@code BINDING_STORE_DIR} (empty: no secret store),
 * {@code BINDING_STORE_SITE} (a configuration file added last: another store, such as
 * {@code fs.s3a.s3adt.ozone.secret.store=vault} with its {@code fs.s3a.s3adt.vault.*} keys). Modes:
 * <ul>
 *   <li>{@code issue PRINCIPAL KEYTAB TOKENFILE CONFXML}: log in from the keytab, create s3adt's
 *       filesystem with the Ozone binding, get a token (renewer yarn), write it to TOKENFILE and
 *       the job configuration, as it is afterwards, to CONFXML;</li>
 *   <li>{@code use IMPL BINDING PATH}: no login (simple authentication), the token of
 *       {@code HADOOP_TOKEN_FILE_LOCATION} only: write PATH, read it back, list its directory,
 *       with the filesystem class IMPL and the binding class BINDING;</li>
 * </ul>
 */
public final class OzoneBindingMain {
  private OzoneBindingMain() {
  }

  private static void fact(String key, Object value) {
    System.out.println("FACT " + key + "=" + value);
  }

  static Configuration conf(String impl, String binding, boolean kerberos) {
    Configuration c = new Configuration(false);
    c.set("hadoop.security.authentication", kerberos ? "kerberos" : "simple");
    c.set("hadoop.security.auth_to_local", "DEFAULT");
    c.set("fs.s3a.impl", impl);
    // Configuration(false) has no core-default.xml: hadoop-aws's upload buffers need a directory
    c.set("hadoop.tmp.dir", System.getProperty("java.io.tmpdir") + "/s3adt-ozone-binding");
    c.set("fs.s3a.buffer.dir", System.getProperty("java.io.tmpdir") + "/s3adt-ozone-binding/s3a");
    c.setBoolean("fs.s3a.impl.disable.cache", true);
    c.set("fs.s3a.endpoint", System.getenv("S3ADT_OZONE_S3_ENDPOINT"));
    c.set("fs.s3a.endpoint.region", "us-east-1");
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.connection.ssl.enabled", "false");
    c.set("fs.s3a.bucket.probe", "0");
    c.set("fs.s3a.delegation.token.binding", binding);
    c.set(OzoneTokenBinding.URL_KEY, System.getenv("S3ADT_OZONE_ADMIN_URL"));
    String store = System.getenv("BINDING_STORE_DIR");
    if (store != null && !store.isEmpty()) {
      c.set(OzoneTokenBinding.STORE_KEY, FileS3SecretStore.class.getName());
      c.set(FileS3SecretStore.DIR_KEY, store);
    }
    String site = System.getenv("BINDING_STORE_SITE");
    if (site != null && !site.isEmpty()) {
      c.addResource(new Path(new File(site).toURI()));
    }
    return c;
  }

  private static UserGroupInformation login(Configuration c, String principal, String keytab)
      throws Exception {
    UserGroupInformation.setConfiguration(c);
    return UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal, keytab);
  }

  private static Object call(Object o, String method) throws Exception {
    Method m = o.getClass().getMethod(method);
    return m.invoke(o);
  }

  private static void describe(Token<? extends TokenIdentifier> t) throws Exception {
    fact("token.kind", t.getKind());
    fact("token.service", t.getService());
    TokenIdentifier id = t.decodeIdentifier();
    fact("token.identifierClass", id.getClass().getName());
    fact("token.owner", call(id, "getOwner"));
    fact("token.renewer", call(id, "getRenewer"));
    fact("token.origin", call(id, "getOrigin"));
  }

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Exception e) {
      Throwable t = e;
      while (t.getCause() != null && t.getMessage() == null) {
        t = t.getCause();
      }
      fact("error", t.getClass().getName() + ": " + t.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    String bucket = System.getenv("BINDING_BUCKET");
    URI uri = URI.create("s3a://" + bucket + "/");
    switch (args[0]) {
      case "issue": {
        Configuration c = conf("org.s3adt.fs.S3adtFileSystem", OzoneTokenBinding.NAME, true);
        UserGroupInformation ugi = login(c, args[1], args[2]);
        fact("login", ugi.getUserName());
        Token<?> t = ugi.doAs((PrivilegedExceptionAction<Token<?>>) () -> {
          try (FileSystem fs = FileSystem.newInstance(uri, c)) {
            return fs.getDelegationToken("yarn/localhost@" + System.getenv("S3ADT_OZONE_REALM"));
          }
        });
        describe(t);
        Credentials creds = new Credentials();
        creds.addToken(t.getService(), t);
        creds.writeTokenStorageFile(new Path(new File(args[3]).toURI()), c);
        try (OutputStream out = new FileOutputStream(args[4])) {
          c.writeXml(out);
        }
        fact("issued", "true");
        break;
      }
      case "use": {
        Configuration c = conf(args[1], args[2], false);
        UserGroupInformation.setConfiguration(c);
        UserGroupInformation me = UserGroupInformation.getCurrentUser();
        fact("user.hasKerberosCredentials", me.hasKerberosCredentials());
        fact("user.tokens", me.getCredentials().numberOfTokens());
        for (Token<?> t : me.getCredentials().getAllTokens()) {
          fact("token.identifierClass", t.decodeIdentifier().getClass().getName());
        }
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
          if (e.getKey().startsWith("AWS_")) {
            fact("env." + e.getKey(), "set");
          }
        }
        Path p = new Path(uri.resolve(args[3]));
        byte[] data = ("written by " + args[1] + " with the token alone\n")
            .getBytes(StandardCharsets.UTF_8);
        try (FileSystem fs = FileSystem.newInstance(uri, c)) {
          fact("fs.class", fs.getClass().getName());
          try (FSDataOutputStream out = fs.create(p, true)) {
            out.write(data);
          }
          byte[] back = new byte[data.length];
          try (FSDataInputStream in = fs.open(p)) {
            IOUtils.readFully(in, back, 0, back.length);
          }
          fact("readBack", new String(back, StandardCharsets.UTF_8).equals(new String(data,
              StandardCharsets.UTF_8)));
          fact("listed", fs.listStatus(p.getParent()).length);
          String other = args.length > 4 ? args[4] : null;
          if (other != null) {
            Path q = new Path(uri.resolve(other));
            byte[] b = new byte[(int) fs.getFileStatus(q).getLen()];
            try (FSDataInputStream in = fs.open(q)) {
              IOUtils.readFully(in, b, 0, b.length);
            }
            fact("readOther", new String(b, StandardCharsets.UTF_8).trim());
          }
        }
        break;
      }
      default:
        throw new IllegalArgumentException("mode " + args[0]);
    }
  }
}
