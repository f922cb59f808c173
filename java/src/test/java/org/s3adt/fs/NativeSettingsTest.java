package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.io.File;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.jni.NativeSettings;

/**
 * org.s3adt.jni.NativeSettings (beside ConfigurationSecretsTest, whose JCEKS helper it uses): the
 * settings handed to the natives (the filesystem's and the Vault store's): the selected keys
 * with variables expanded, each secret once, from a credential provider named by
 * {@code fs.s3a.security.credential.provider.path} (or the bucket's) when it holds one.
 */
public class NativeSettingsTest {
  private static Map<String, String> asMap(List<String> kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.size(); i += 2) {
      assertEquals("each key once: " + kv.get(i), null, m.put(kv.get(i), kv.get(i + 1)));
    }
    return m;
  }

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void selectedKeysExpandedAndSecretsFromTheBucketsProviderOnce() throws Exception {
    String path = ConfigurationSecretsTest.jceks(new File(tmp.getRoot(), "s.jceks"), "x.token",
        "from-jceks");

    Configuration c = new Configuration(false);
    c.set("x.address", "http://${x.host}:8200");
    c.set("x.host", "vault.example");
    c.set("x.token", "plain-token");
    c.set("x.approle.secret.id", "plain-secret-id");
    c.set("y.other", "left out");
    assertSame("no provider path: the configuration itself", c,
        NativeSettings.withS3aCredentialProviders(c, "b"));
    c.set("fs.s3a.bucket.b.security.credential.provider.path", path);
    assertSame("another bucket's provider path is not this one's", c,
        NativeSettings.withS3aCredentialProviders(c, "a"));
    assertSame(c, NativeSettings.withS3aCredentialProviders(c, null));

    Configuration withProviders = NativeSettings.withS3aCredentialProviders(c, "b");
    Map<String, String> m = asMap(NativeSettings.settings(withProviders,
        k -> k.startsWith("x."), Arrays.asList("x.token", "x.approle.secret.id", "x.absent")));
    assertEquals("http://vault.example:8200", m.get("x.address"));
    assertEquals("the provider's value wins", "from-jceks", m.get("x.token"));
    assertEquals("none in the provider: the configuration's", "plain-secret-id",
        m.get("x.approle.secret.id"));
    assertEquals(4, m.size()); // x.address, x.host, x.token, x.approle.secret.id

    Map<String, String> plain = asMap(NativeSettings.settings(c, k -> k.startsWith("x."),
        Arrays.asList("x.token")));
    assertEquals("without the provider path: the plain value", "plain-token",
        plain.get("x.token"));
  }
}
