package org.s3adt.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.Master;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.s3adt.testsupport.Bytes;

/**
 * {@code --store ozone} (issue 13 item 6): Apache Ozone's S3 gateway, where alice and bob have
 * only a Kerberos login. The binding is s3adt's {@code org.s3adt.ozone.OzoneTokenBinding}: at
 * token collection it takes the user's Ozone S3 secret from the secret store, else fetches it
 * from the gateway's secret endpoint over SPNEGO as the user's Kerberos login and saves it in
 * the store (Ozone gives a secret only once). The store is the test tree's
 * {@code org.s3adt.ozone.FileS3SecretStore} in a directory of the client's (run.sh), named only
 * in the client's token-collection conf, as the keys are on moto and RGW.
 *
 * <p>Bob is not an S3 administrator, so Ozone's endpoint refuses him his own secret; run.sh has
 * an administrator (alice) fetch it with {@code s3adt ozone getsecret --user} into the store.
 * alice's bucket was made by her Kerberos login with Ozone's shell, so its ACLs name her alone.
 */
final class OzoneCases {
  static final String BINDING = "org.s3adt.ozone.OzoneTokenBinding";
  private final E2eClient c;

  OzoneCases(E2eClient c) {
    this.c = c;
  }

  /**
   * The client's conf for collecting tokens: the job's, plus where the binding gets the user's
   * S3 secret (the gateway's secret endpoint and the secret store). No key.
   */
  static Configuration clientConf(Configuration jobConf, Properties secrets) {
    Configuration conf = new Configuration(jobConf);
    conf.set("fs.s3a.s3adt.ozone.secret.url", secrets.getProperty("ozone.url"));
    conf.set("fs.s3a.s3adt.ozone.secret.store", "org.s3adt.ozone.FileS3SecretStore");
    conf.set("s3adt.test.ozone.store.dir", secrets.getProperty("ozone.store.dir"));
    return conf;
  }

  /** The store's file of {@code user}'s secret (FileS3SecretStore's layout). */
  static File stored(Properties secrets, String user, String realm) {
    return new File(secrets.getProperty("ozone.store.dir"), user + "@" + realm);
  }

  /**
   * After the word count: alice's secret was fetched from Ozone at that first submission and
   * is now in the store; it becomes {@code secrets}' access.key/secret.key, for the scan and
   * the control (the client had no key of hers before).
   */
  void afterFirstJobs(Properties secrets, boolean storedBefore) throws IOException {
    File f = stored(secrets, "alice", c.opt("realm"));
    String mode = f.exists()
        ? PosixFilePermissions.toString(Files.getPosixFilePermissions(f.toPath())) : "absent";
    c.check("Ozone: the first submission fetched alice's S3 secret from Ozone over SPNEGO (her"
            + " keytab login) and saved it in the secret store (empty before; " + mode + ")",
        !storedBefore && mode.equals("rw-------"),
        "stored before: " + storedBefore + ", now: " + mode);
    if (f.exists()) {
      String[] lines = new String(Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8)
          .split("\n");
      secrets.setProperty("access.key", lines[0]);
      secrets.setProperty("secret.key", lines[1]);
    }
  }

  /**
   * Bob, a second Kerberos user, collects his tokens (his secret from the store) for his own
   * bucket and for alice's. A user holding those tokens alone, with no Kerberos login, writes
   * and reads his bucket through s3adt and is refused alice's by Ozone (HTTP 403: her bucket's
   * ACLs do not name him); then a C program in a YARN container of bob's does the same with
   * the C API (NativeCase).
   */
  void runOtherUser(Configuration base, Properties secrets) throws Exception {
    String p = "Ozone bob: ";
    String aliceBucket = c.opt("bucket");
    String bobBucket = secrets.getProperty("ozone.bob.bucket");
    File caseDir = new File(c.opt("work"), "case-Ozone-bob").getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = c.jobConf(base, secrets, "Ozone", caseDir);
    Configuration clientConf = clientConf(jobConf, secrets);
    UserGroupInformation bob = c.login("bob");
    c.check(p + "bob logged in from his keytab (Kerberos)",
        bob.hasKerberosCredentials() && bob.getShortUserName().equals("bob"), bob.toString());
    Credentials creds = bob.doAs((PrivilegedExceptionAction<Credentials>) () -> {
      Credentials cr = new Credentials();
      for (String b : new String[] {bobBucket, aliceBucket}) {
        try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://" + b + "/"), clientConf)) {
          fs.addDelegationTokens(Master.getMasterPrincipal(jobConf), cr);
        }
      }
      return cr;
    });
    List<String> kinds = new ArrayList<>();
    for (Token<?> t : creds.getAllTokens()) {
      kinds.add(t.getService() + "=" + t.getKind());
    }
    c.check(p + "his tokens for s3a://" + bobBucket + " and s3a://" + aliceBucket + " ("
            + E2eClient.kind("Ozone") + ", his secret from the store)",
        kinds.size() == 2
            && kinds.stream().allMatch(k -> k.endsWith("=" + E2eClient.kind("Ozone"))),
        kinds.toString());
    // the tokens alone: a user with no Kerberos login, the job's conf (no store, no URL)
    UserGroupInformation holder = UserGroupInformation.createRemoteUser("bob");
    holder.addCredentials(creds);
    String text = "bob's own object " + java.util.UUID.randomUUID() + "\n";
    String own = holder.doAs((PrivilegedExceptionAction<String>) () -> {
      URI bobUri = URI.create("s3a://" + bobBucket + "/");
      try (FileSystem fs = FileSystem.newInstance(bobUri, jobConf)) {
        Path f = new Path("/e2e/" + c.opt("run-id") + "/bob.txt");
        try (OutputStream o = fs.create(f, true)) {
          o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = fs.open(f)) {
          return new String(Bytes.readAll(in), StandardCharsets.UTF_8);
        }
      }
    });
    c.check(p + "with his token alone (no Kerberos login) s3adt wrote and read back s3a://"
        + bobBucket + "/e2e/RUN/bob.txt", text.equals(own), "read back: " + own);
    for (String op : new String[] {"read", "write"}) {
      String refusal = holder.doAs((PrivilegedExceptionAction<String>) () -> {
        try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://" + aliceBucket + "/"),
            jobConf)) {
          if (op.equals("read")) {
            try (InputStream in = fs.open(new Path("/hello.txt"))) {
              return "read " + Bytes.readAll(in).length + " bytes";
            }
          }
          try (OutputStream o = fs.create(new Path("/e2e/" + c.opt("run-id") + "/by-bob.txt"))) {
            o.write('x');
          }
          return "wrote it";
        } catch (IOException e) {
          return e.getClass().getName() + ": " + e.getMessage();
        }
      });
      c.check(p + "with his token, Ozone refused his " + op + " of alice's s3a://" + aliceBucket
              + (op.equals("read") ? "/hello.txt" : "/e2e/RUN/by-bob.txt")
              + " (AccessDeniedException, HTTP 403)",
          refusal.startsWith("java.nio.file.AccessDeniedException") && refusal.contains("403"),
          refusal);
      System.out.println("ozone bob " + op + " s3a://" + aliceBucket + ": " + refusal);
    }
    if (c.has("native-program")) {
      new NativeCase(c).runAs("Native Ozone bob: ", bob, "Ozone", jobConf, clientConf, bobBucket,
          aliceBucket, true);
    }
  }
}
