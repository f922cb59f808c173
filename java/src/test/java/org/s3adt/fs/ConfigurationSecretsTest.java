package org.s3adt.fs;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.junit.Test;

/**
 * Security review H2: the JVM hands the native side values Hadoop has already expanded, plus
 * the secrets it read from credential providers as plain keys. The native side must not expand
 * {@code ${...}} a second time: a value naming {@code ${fs.s3a.secret.key}} would otherwise
 * pull in a secret that lives only in a JCEKS file, and {@code ${env.X}} would get round
 * Hadoop's {@code restrictSystemProps}. Either way the secret then showed up in the error text.
 * No server is needed: both fail while the bucket's settings are read.
 */
public class ConfigurationSecretsTest {
  private static final String MARKER = "JCEKS-MARKER-SECRET-h2java";

  /** A configuration for s3a://bucket-a that reaches no server (nothing listens on port 1). */
  private static Configuration offline() {
    Configuration c = new Configuration(false);
    c.set("fs.s3a.impl", S3adtFileSystem.class.getName());
    c.setBoolean("fs.s3a.impl.disable.cache", true);
    c.set("fs.s3a.endpoint", "http://127.0.0.1:1");
    c.set("fs.s3a.endpoint.region", "us-east-1");
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.retry.limit", "0");
    c.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    return c;
  }

  /** A JCEKS credential provider file holding {@code key}; its provider path. */
  static String jceks(File store, String key, String value) throws Exception {
    String path = "jceks://file" + store.getAbsolutePath();
    Configuration pc = new Configuration(false);
    pc.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, path);
    CredentialProvider provider = CredentialProviderFactory.getProviders(pc).get(0);
    provider.createCredentialEntry(key, value.toCharArray());
    provider.flush();
    return path;
  }

  /** The full text of what opening and using the filesystem threw (messages and causes). */
  private static String failure(Configuration c) {
    try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://bucket-a/"), c)) {
      fs.getFileStatus(new Path("/probe"));
    } catch (Exception e) {
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      return w.toString();
    }
    fail("the filesystem worked with a value that is not a size");
    return null;
  }

  @Test
  public void aReferenceDoesNotPullInASecretFromACredentialProvider() throws Exception {
    File dir = Files.createTempDirectory("s3adt-jceks").toFile();
    File store = new File(dir, "secrets.jceks");
    try {
      String path = jceks(store, "fs.s3a.secret.key", MARKER);
      Configuration c = offline();
      c.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, path);
      c.set("fs.s3a.access.key", "AKIAEXAMPLEJCEKS");
      c.set("fs.s3a.multipart.size", "${fs.s3a.secret.key}");
      // The secret is only in the provider: Hadoop leaves the reference as it is ...
      assertTrue(c.get("fs.s3a.multipart.size").equals("${fs.s3a.secret.key}"));
      // ... and getPassword finds it, so the native side receives it as a plain key.
      assertTrue(MARKER.equals(new String(c.getPassword("fs.s3a.secret.key"))));

      String text = failure(c);
      assertTrue(text, text.contains("fs.s3a.multipart.size"));
      assertFalse("the JCEKS secret is in the error", text.contains(MARKER));
    } finally {
      store.delete();
      new File(dir, ".secrets.jceks.crc").delete();
      dir.delete();
    }
  }

  @Test
  public void anEnvironmentReferenceStaysUnresolvedWhenHadoopRestrictsIt() {
    String secret = System.getenv("PATH");
    assertTrue("PATH must be set", secret != null && secret.length() > 3);
    Configuration c = offline();
    c.setRestrictSystemProps(true);
    c.set("fs.s3a.access.key", "AKIAEXAMPLEENV");
    c.set("fs.s3a.secret.key", "not-the-point");
    c.set("fs.s3a.readahead.range", "${env.PATH}");
    assertTrue(c.get("fs.s3a.readahead.range").equals("${env.PATH}"));

    String text = failure(c);
    assertTrue(text, text.contains("fs.s3a.readahead.range"));
    assertFalse("the environment variable's value is in the error: " + text, text.contains(secret));
  }
}
