package org.s3adt.ozone;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.junit.Test;

/**
 * What the Ozone binding decides without Ozone: the endpoint's URL for a user, reading an
 * {@code <S3Secret>}, choosing the secret store. Ozone's answers themselves are checked on the
 * real secure Ozone by tests/ozone/binding.sh.
 */
public class OzoneSecretEndpointTest {
  @Test
  public void endpoints() throws IOException {
    assertEquals("http://localhost:19878/secret",
        OzoneSecretEndpoint.endpoint("http://localhost:19878", null)[0]);
    assertEquals("localhost", OzoneSecretEndpoint.endpoint("http://localhost:19878/", null)[1]);
    assertEquals("http://h:1/secret", OzoneSecretEndpoint.endpoint("http://h:1/secret/", null)[0]);
    // another user by the path (never ?username=, which Ozone ignores), '/' encoded, '@' kept
    assertEquals("http://h/secret/s3g%2Fh@R", OzoneSecretEndpoint.endpoint("http://h", "s3g/h@R")[0]);
    assertEquals("::1", OzoneSecretEndpoint.endpoint("https://[::1]:19879", null)[1]);
    for (String bad : new String[] {"localhost:19878", "http://", "http://u@h/", "http://h/?username=x",
        "ftp://h/"}) {
      try {
        OzoneSecretEndpoint.endpoint(bad, null);
        fail(bad);
      } catch (OzoneSecretEndpoint.RefusedException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("webadmin URL"));
      }
    }
  }

  @Test
  public void secrets() {
    S3Secret s = OzoneSecretEndpoint.parse("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        + "<S3Secret><awsAccessKey>alice@R</awsAccessKey><awsSecret>abc</awsSecret></S3Secret>");
    assertEquals("alice@R", s.accessKeyId());
    assertEquals("abc", s.secretAccessKey());
    assertFalse(s.toString().contains("abc"));
    assertNull(OzoneSecretEndpoint.parse("<S3Secret><awsAccessKey>a</awsAccessKey></S3Secret>"));
    assertNull(OzoneSecretEndpoint.parse("<html/>"));
  }

  @Test
  public void stores() throws IOException {
    Configuration c = new Configuration(false);
    assertNull(OzoneTokenBinding.store(c, "b"));
    c.set(OzoneTokenBinding.STORE_KEY, FileS3SecretStore.class.getName());
    c.set(FileS3SecretStore.DIR_KEY, System.getProperty("java.io.tmpdir"));
    assertTrue(OzoneTokenBinding.store(c, "b") instanceof FileS3SecretStore);
    // per bucket first
    c.set("fs.s3a.bucket.b.s3adt.ozone.secret.store", "com.example.NoSuchStore");
    try {
      OzoneTokenBinding.store(c, "b");
      fail();
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("cannot load com.example.NoSuchStore"));
    }
    c.set(OzoneTokenBinding.STORE_KEY, "java.lang.String");
    c.unset("fs.s3a.bucket.b.s3adt.ozone.secret.store");
    try {
      OzoneTokenBinding.store(c, "b");
      fail();
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("is not an org.s3adt.ozone.S3SecretStore"));
    }
    c.set("fs.s3a.delegation.token.binding", OzoneTokenBinding.NAME);
    assertTrue(OzoneTokenBinding.isSelected(c, "b"));
    c.set("fs.s3a.bucket.b.delegation.token.binding", "");
    assertFalse(OzoneTokenBinding.isSelected(c, "b"));
  }
}
