package org.s3adt.fs;

import java.net.URI;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.util.VersionInfo;
import org.s3adt.token.S3adtTokenIdentifier;
import org.s3adt.token.TestSecrets;

/**
 * Run in a child JVM with both s3adt's jar and real hadoop-aws (with its AWS SDK modules) on
 * the classpath, in the order the test chooses. For each binding: a token issued by s3adt is
 * consumed by hadoop-aws's S3AFileSystem (in a task's UGI with no keys, it binds to the token
 * and lists the bucket on moto), and a token issued by hadoop-aws is consumed by s3adt (it
 * binds to that very identifier and reads the bucket; the identifier carries the credentials
 * the binding issues). Prints one "OK" line per direction and binding,
 * and which class Token.decodeIdentifier picked; any failure is an exception (exit 1).
 */
public final class CrossConsumeMain {
  private static final URI BUCKET = URI.create("s3a://bucket-a/");
  private static final String S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem";
  private static final String KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/s3adt-cross";
  /** The fields both implementations must read alike in one token. */
  private static final String[] FIELDS = {"kind", "owner", "renewer", "uri", "accessKey",
    "secretKey", "sessionToken", "expiration", "encryptionAlgorithm", "encryptionKey",
    "encryptionContext"};
  /** The ones two tokens for the same bucket and user share, whoever issued them. */
  private static final String[] SHARED = {"kind", "owner", "renewer", "uri",
    "encryptionAlgorithm", "encryptionKey", "encryptionContext"};

  private static Object call(Object o, String method) throws Exception {
    return o.getClass().getMethod(method).invoke(o);
  }

  /** A token's fields as hadoop-aws's own identifier classes decode them. */
  private static Map<String, String> hadoopAwsFields(Token<?> t) throws Exception {
    Object id = t.decodeIdentifier();
    if (!id.getClass().getName().startsWith("org.apache.hadoop.fs.s3a.auth.delegation.")) {
      throw new AssertionError(t.getKind() + " decodes as " + id.getClass().getName());
    }
    Map<String, String> m = new TreeMap<>();
    m.put("kind", call(id, "getKind").toString());
    m.put("owner", call(id, "getOwner").toString());
    m.put("renewer", call(id, "getRenewer").toString());
    m.put("uri", call(id, "getUri").toString());
    Object mc = call(id, "getMarshalledCredentials");
    m.put("accessKey", (String) call(mc, "getAccessKey"));
    m.put("secretKey", (String) call(mc, "getSecretKey"));
    m.put("sessionToken", (String) call(mc, "getSessionToken"));
    m.put("expiration", call(mc, "getExpiration").toString());
    Object es = call(id, "getEncryptionSecrets");
    m.put("encryptionAlgorithm", (String) call(es, "getEncryptionAlgorithm"));
    m.put("encryptionKey", (String) call(es, "getEncryptionKey"));
    String context = "";
    try {
      context = (String) call(es, "getEncryptionContext");   // 3.5.0 on
    } catch (NoSuchMethodException before35) {
      // 3.3 and 3.4 have no encryption context
    }
    m.put("encryptionContext", context);
    return m;
  }

  /** The same fields as s3adt decodes them. */
  private static Map<String, String> s3adtFields(Token<?> t) throws Exception {
    S3adtTokenIdentifier id = S3adtTokenIdentifier.decode(t);
    Map<String, String> m = new TreeMap<>();
    m.put("kind", id.getTokenKind().toString());
    m.put("owner", id.getOwner().toString());
    m.put("renewer", id.getRenewer().toString());
    m.put("uri", id.getUriString());
    m.put("accessKey", TestSecrets.accessKey(id));
    m.put("secretKey", TestSecrets.secretKey(id));
    m.put("sessionToken", TestSecrets.sessionToken(id));
    m.put("expiration", Long.toString(id.getExpiration()));
    m.put("encryptionAlgorithm", id.getEncryptionAlgorithm());
    m.put("encryptionKey", TestSecrets.encryptionKey(id));
    m.put("encryptionContext", TestSecrets.encryptionContext(id));
    return m;
  }

  /** Names the fields that differ, never their values (secrets among them). */
  private static void same(String what, Map<String, String> a, Map<String, String> b,
      String[] fields) {
    StringBuilder differ = new StringBuilder();
    for (String f : fields) {
      if (a.get(f) == null || !a.get(f).equals(b.get(f))) {
        differ.append(' ').append(f);
      }
    }
    if (differ.length() > 0) {
      throw new AssertionError(what + ": fields differ:" + differ);
    }
  }

  /**
   * Every field of {@code t} read alike by hadoop-aws's classes and by s3adt, and the layout
   * the running Hadoop's hadoop-aws reads (3.5: with the context; 3.3-3.4: V1).
   */
  private static Map<String, String> checkFields(String what, Token<?> t, String kind)
      throws Exception {
    Map<String, String> theirs = hadoopAwsFields(t);
    Map<String, String> ours = s3adtFields(t);
    same(what + " (hadoop-aws's decoding vs s3adt's)", theirs, ours, FIELDS);
    String hadoop = VersionInfo.getVersion();
    boolean ctx = DelegationTokens.readersOf(hadoop).equals("3.5");
    String layout = S3adtTokenIdentifier.decode(t).getEncryptionLayout().label();
    if (!layout.equals(ctx ? "v1ctx" : "v1")) {
      throw new AssertionError(what + " in layout " + layout + " under Hadoop " + hadoop);
    }
    boolean full = kind.equals("Full");
    if (!theirs.get("kind").equals("S3ADelegationToken/" + kind)
        || !theirs.get("renewer").equals("yarn")
        || !theirs.get("uri").equals("s3a://bucket-a")
        || !theirs.get("encryptionAlgorithm").equals("SSE-KMS")
        || !theirs.get("encryptionKey").equals(KMS_KEY)
        || theirs.get("encryptionContext").isEmpty() != !ctx
        || full != theirs.get("sessionToken").isEmpty()
        || full != theirs.get("expiration").equals("0")) {
      throw new AssertionError(what + ": unexpected values in "
          + theirs.keySet() + " (kind " + theirs.get("kind") + ")");
    }
    System.out.println("FIELDS " + what + " " + kind + " layout " + layout
        + " context " + theirs.get("encryptionContext"));
    return theirs;
  }

  private CrossConsumeMain() {
  }

  /** Settings both implementations read: moto for S3 and STS, over http on loopback. */
  private static Configuration conf(String binding, boolean keys) {
    Configuration c = TestEnv.base();
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.connection.ssl.enabled", "false");
    c.set("fs.s3a.bucket.probe", "0");
    c.set("fs.s3a.delegation.token.binding", TestEnv.BINDING_PACKAGE + binding);
    c.set("fs.s3a.assumed.role.arn", TestEnv.env("S3ADT_MOTO_ROLE_ARN"));
    // SSE-KMS with a key and a context: carried in every token (the context only in the layouts
    // that have one: hadoop-aws 3.5's)
    c.set("fs.s3a.encryption.algorithm", "SSE-KMS");
    c.set("fs.s3a.encryption.key", KMS_KEY);
    c.set("fs.s3a.encryption.context", "project=s3adt, team=lake");
    if (keys) {
      c.set("fs.s3a.access.key", TestEnv.env("S3ADT_MOTO_AK"));
      c.set("fs.s3a.secret.key", TestEnv.env("S3ADT_MOTO_SK"));
    }
    return c;
  }

  private static FileSystem create(String impl, Configuration c) throws Exception {
    FileSystem fs = (FileSystem) Class.forName(impl).getDeclaredConstructor().newInstance();
    fs.initialize(BUCKET, c);
    return fs;
  }

  private static UserGroupInformation task(Token<?> t) {
    UserGroupInformation u = UserGroupInformation.createRemoteUser("task");
    u.addToken(t);
    return u;
  }

  public static void main(String[] args) throws Exception {
    String[][] bindings = {
      {"FullCredentialsTokenBinding", "Full"},
      {"SessionTokenBinding", "Session"},
      {"RoleTokenBinding", "Role"},
    };
    System.out.println("Hadoop " + VersionInfo.getVersion());
    for (String[] b : bindings) {
      // s3adt issues, hadoop-aws consumes
      Token<?> ours;
      try (FileSystem fs = create(S3adtFileSystem.class.getName(), conf(b[0], true))) {
        ours = fs.getDelegationToken("yarn");
      }
      System.out.println("DECODES-AS " + b[1] + " "
          + ours.decodeIdentifier().getClass().getName());
      Map<String, String> oursFields = checkFields("s3adt's token", ours, b[1]);
      Configuration noKeys = conf(b[0], false);
      String listed = task(ours).doAs((PrivilegedExceptionAction<String>) () -> {
        try (FileSystem fs = create(S3A, noKeys)) {
          Token<?> bound = fs.getDelegationToken("yarn");
          if (!Arrays.equals(bound.getIdentifier(), ours.getIdentifier())) {
            throw new AssertionError("hadoop-aws did not bind to s3adt's " + b[1] + " token");
          }
          StringBuilder names = new StringBuilder();
          for (FileStatus st : fs.listStatus(new Path("/"))) {
            names.append(st.getPath().getName()).append(' ');
          }
          return names.toString().trim();
        }
      });
      if (!listed.contains("hello.txt")) {
        throw new AssertionError("hadoop-aws listed " + listed);
      }
      System.out.println("OK s3adt->hadoop-aws " + b[1] + " listed: " + listed);

      // hadoop-aws issues, s3adt consumes. hadoop-aws 3.4.1 reaches STS over https only
      // (https://<fs.s3a.assumed.role.sts.endpoint>): a TLS front in this JVM relays to moto.
      // hadoop-aws 3.5.0 takes a host without a port (new URI("https", host, null, null)), so
      // port 443: tests/java/run.sh's front on S3ADT_STS_443_HOST:443 with the same certificate,
      // which the front here makes this JVM trust.
      Token<?> theirs;
      java.nio.file.Path tls = java.nio.file.Paths.get(TestEnv.env("S3ADT_TLS_DIR"));
      int motoPort = URI.create(TestEnv.env("S3ADT_MOTO_ENDPOINT")).getPort();
      // tests/hadoop-aws's TlsFront, from its jar on this JVM's classpath (not a compile dependency)
      Class<?> frontClass = Class.forName("org.s3adt.hadoopaws.TlsFront");
      try (AutoCloseable front = (AutoCloseable) frontClass.getConstructor(java.nio.file.Path.class,
              java.nio.file.Path.class, java.nio.file.Path.class, int.class).newInstance(
              tls.resolve("cert.pem"), tls.resolve("key.pem"),
              tls.resolve("truststore-" + b[1] + ".p12"), motoPort)) {
        Configuration c = conf(b[0], true);
        c.set("fs.s3a.assumed.role.sts.endpoint", DelegationTokens.readersOf(VersionInfo.getVersion())
            .equals("3.5") ? TestEnv.env("S3ADT_STS_443_HOST")
            : (String) frontClass.getMethod("hostPort").invoke(front));
        try (FileSystem fs = create(S3A, c)) {
          theirs = fs.getDelegationToken("yarn");
        }
      }
      System.out.println("ISSUED-BY-HADOOP-AWS " + b[1] + " " + theirs.getKind());
      Map<String, String> theirsFields = checkFields("hadoop-aws's token", theirs, b[1]);
      same(b[1] + " tokens of s3adt and hadoop-aws", oursFields, theirsFields, SHARED);
      // s3adt's decoding of hadoop-aws's identifier, whatever Hadoop's kind map says
      S3adtTokenIdentifier theirsId = S3adtTokenIdentifier.decode(theirs);
      String read = task(theirs).doAs((PrivilegedExceptionAction<String>) () -> {
        try (S3adtFileSystem fs = (S3adtFileSystem) create(S3adtFileSystem.class.getName(), noKeys)) {
          if (!fs.hasPathCapability(new Path("/"), S3adtFileSystem.CAPABILITY_BOUND_TO_TOKEN)) {
            throw new AssertionError("s3adt did not bind to hadoop-aws's " + b[1] + " token");
          }
          String bound = fs.getBoundTokenDescription();
          if (!theirsId.toString().equals(bound)) {
            throw new AssertionError("s3adt bound to " + bound + ", not " + theirsId);
          }
          try (java.io.InputStream in = fs.open(new Path("/hello.txt"))) {
            byte[] buf = new byte[64];
            int n = in.read(buf);
            return new String(buf, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.UTF_8);
          }
        }
      });
      if (!read.startsWith("hello from")) {
        throw new AssertionError("s3adt with hadoop-aws's " + b[1] + " token read " + read);
      }
      boolean full = b[1].equals("Full");
      if (full != TestSecrets.accessKey(theirsId).equals(TestEnv.env("S3ADT_MOTO_AK"))
          || full != TestSecrets.sessionToken(theirsId).isEmpty()) {
        throw new AssertionError(b[1] + " token from hadoop-aws carries unexpected credentials");
      }
      System.out.println("OK hadoop-aws->s3adt " + b[1] + " "
          + (full ? "full credentials" : "session credentials expiring " + theirsId.getExpiration()));
    }
  }
}
