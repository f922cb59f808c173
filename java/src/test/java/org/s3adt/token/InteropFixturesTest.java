package org.s3adt.token;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.Test;
import org.s3adt.testsupport.Cases;
import org.s3adt.testsupport.Json;

/**
 * Every case of tests/fixtures/cases.json, as s3adt's Rust encoder wrote it in each encryption
 * layout and as real hadoop-aws (3.3.6, 3.4.1, 3.4.2, and any other version in the fixture
 * directory) wrote it: decoded by Hadoop's own {@code Token.decodeIdentifier()} into s3adt's
 * classes (hadoop-aws is not on this classpath), every field compared with cases.json, the
 * identifier re-encoded byte for byte, and {@code toString()} equal to hadoop-aws's own text and
 * free of secrets. See {@link Fixtures} for where the files come from.
 */
public class InteropFixturesTest {

  private static final String[] FILES = {"tokens.writable", "tokens.protobuf"};

  @Test
  public void rustWrittenTokensInEveryLayout() throws Exception {
    Cases cases = Fixtures.cases();
    int checked = 0;
    for (String label : Fixtures.LAYOUTS) {
      S3adtTokenIdentifier.EncryptionLayout layout = Checks.layout(label);
      Path dir = Fixtures.rustDir(label);
      Map<String, Object> urls = Fixtures.json(dir.resolve("urls.json"));
      for (String file : FILES) {
        Credentials creds = Fixtures.read(dir.resolve(file));
        for (Cases.Case c : cases.cases) {
          String ctx = "rust " + label + " " + file + " " + c.alias;
          Token<? extends TokenIdentifier> token = creds.getToken(new Text(c.alias));
          assertNotNull(ctx + ": missing", token);
          // V1 cannot carry a context: the Rust writer leaves it out.
          String context = layout == S3adtTokenIdentifier.EncryptionLayout.V1 ? "" : c.context;
          checkToken(ctx, token, c, context, layout);
          Token<TokenIdentifier> fromUrl = new Token<>();
          fromUrl.decodeFromUrlString((String) urls.get(c.alias));
          assertEquals(ctx + ": URL string", token, fromUrl);
          checked++;
        }
      }
    }
    assertEquals(Fixtures.LAYOUTS.size() * FILES.length * cases.cases.size(), checked);
  }

  @Test
  public void hadoopAwsWrittenTokens() throws Exception {
    Cases cases = Fixtures.cases();
    Map<String, Path> dirs = Fixtures.javaDirs();
    assertTrue("hadoop-aws fixtures " + dirs.keySet() + " lack some of "
        + Fixtures.REQUIRED_HADOOP, dirs.keySet().containsAll(Fixtures.REQUIRED_HADOOP));
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      String version = e.getKey();
      Map<String, Object> m = Fixtures.json(e.getValue().resolve("manifest.json"));
      S3adtTokenIdentifier.EncryptionLayout layout =
          Checks.layout((String) m.get("encryptionLayout"));
      List<Object> written = Json.array(m.get("written"));
      List<Object> dropped = Json.array(m.get("contextDropped"));
      Map<String, Object> skipped = Json.object(m.get("skipped"));
      Map<String, Object> idText = Json.object(m.get("identifierToString"));
      Map<String, Object> tokenText = Json.object(m.get("tokenToString"));
      List<String> seen = new ArrayList<>();
      for (String file : FILES) {
        Credentials creds = Fixtures.read(e.getValue().resolve(file));
        for (Cases.Case c : cases.cases) {
          String ctx = "hadoop-aws " + version + " " + file + " " + c.alias;
          if (!written.contains(c.alias)) {
            assertTrue(ctx + ": neither written nor skipped", skipped.containsKey(c.alias));
            continue;
          }
          Token<? extends TokenIdentifier> token = creds.getToken(new Text(c.alias));
          assertNotNull(ctx + ": missing", token);
          String context = layout == S3adtTokenIdentifier.EncryptionLayout.V1
              || dropped.contains(c.alias) ? "" : c.context;
          S3adtTokenIdentifier id = checkToken(ctx, token, c, context, layout);
          assertEquals(ctx + ": toString is hadoop-aws's", idText.get(c.alias), id.toString());
          assertEquals(ctx + ": Token.toString is as with hadoop-aws", tokenText.get(c.alias),
              token.toString());
          seen.add(c.alias);
        }
      }
      assertTrue("hadoop-aws " + version + ": no S3A token read", !seen.isEmpty());
      if (Fixtures.REQUIRED_HADOOP.contains(version)) {
        assertEquals("hadoop-aws " + version + " writes V1",
            S3adtTokenIdentifier.EncryptionLayout.V1, layout);
      }
    }
  }

  /** Decoded by Hadoop's kind map and by {@link S3adtTokenIdentifier#decode}: same result. */
  private static S3adtTokenIdentifier checkToken(String ctx, Token<? extends TokenIdentifier> t,
      Cases.Case c, String context, S3adtTokenIdentifier.EncryptionLayout layout)
      throws Exception {
    assertEquals(ctx + ": token kind", new Text(c.kind), t.getKind());
    assertEquals(ctx + ": service", new Text(c.service), t.getService());
    assertArrayEquals(ctx + ": password", c.password.getBytes("UTF-8"), t.getPassword());
    TokenIdentifier decoded = t.decodeIdentifier();
    assertNotNull(ctx + ": Token.decodeIdentifier() found no class", decoded);
    S3adtTokenIdentifier id = (S3adtTokenIdentifier) decoded;
    Checks.matches(ctx + " (decodeIdentifier)", id, c, context, layout, t.getIdentifier());
    S3adtTokenIdentifier direct = S3adtTokenIdentifier.decode(t);
    Checks.matches(ctx + " (decode)", direct, c, context, layout, t.getIdentifier());
    assertEquals(ctx + ": equal", id, direct);
    assertEquals(ctx + ": hashCode", id.hashCode(), direct.hashCode());
    assertEquals(ctx + ": same text", id.toString(), direct.toString());
    Checks.noSecret(ctx + ": Token.toString", t.toString(), c);
    return id;
  }
}
