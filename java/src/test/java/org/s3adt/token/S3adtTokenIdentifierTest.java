package org.s3adt.token;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.Test;
import org.s3adt.testsupport.Bytes;
import org.s3adt.testsupport.Cases;

/** The identifier classes on their own: layouts, limits, errors, text, equality. */
public class S3adtTokenIdentifierTest {

  private static final S3adtTokenIdentifier.EncryptionLayout V1 =
      S3adtTokenIdentifier.EncryptionLayout.V1;
  private static final S3adtTokenIdentifier.EncryptionLayout V1CTX =
      S3adtTokenIdentifier.EncryptionLayout.V1_WITH_CONTEXT;
  private static final S3adtTokenIdentifier.EncryptionLayout V2 =
      S3adtTokenIdentifier.EncryptionLayout.V2;

  private static S3adtTokenIdentifier decode(String kind, byte[] bytes) throws IOException {
    return S3adtTokenIdentifier.decode(new Text(kind), bytes);
  }

  private static IOException decodeFails(String kind, byte[] bytes) {
    try {
      decode(kind, bytes);
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("decoded " + CaseBytes.hex(bytes));
  }

  @Test
  public void workedExampleOfTheSpec() throws Exception {
    Cases.Case c = CaseBytes.workedExample();
    byte[] bytes = CaseBytes.encode(c, V1);
    assertEquals("0005616c696365047961726e008a018bcfe56800000000"
        + "0c7333613a2f2f6275636b657406" + "6f726967696e24"
        + CaseBytes.hex("00000000-0000-0000-0000-000000000000".getBytes("UTF-8"))
        + "10c4d8dd697cd57700000000018bcfe5687b"
        + "04414b49410653454352455405544f4b454e000000018bd01c5680", CaseBytes.hex(bytes));
    assertEquals(125, bytes.length);
    S3adtTokenIdentifier id = decode(c.kind, bytes);
    Checks.matches("worked example", id, c, "", V1, bytes);
    assertEquals("S3ATokenIdentifier{S3ADelegationToken/Session; uri=s3a://bucket;"
        + " timestamp=1700000000123; renewer=yarn; encryption=(no encryption);"
        + " 00000000-0000-0000-0000-000000000000; origin};"
        + " session credentials, expiry 2023-11-14T23:13:20Z; (valid)", id.toString());
    assertEquals("bucket", id.getBucket());
  }

  /** Every case of cases.json in every layout, without fixtures: read, compare, write back. */
  @Test
  public void everyCaseInEveryLayoutRoundTrips() throws Exception {
    for (Cases.Case c : Fixtures.cases().cases) {
      for (S3adtTokenIdentifier.EncryptionLayout layout
          : S3adtTokenIdentifier.EncryptionLayout.values()) {
        String context = layout == V1 ? "" : c.context;
        byte[] bytes = CaseBytes.encode(Checks.withContext(c, context), layout);
        Checks.matches(c.alias + " " + layout, decode(c.kind, bytes), c, context, layout, bytes);
      }
    }
  }

  /**
   * A V1-with-context identifier whose bytes also read exactly as V1 (found by the Rust
   * property test): the plausible creation time decides, as in the Rust decoder.
   */
  @Test
  public void ambiguousV1AndV1ctxReadingsAreSettledByTheCreationTime() throws Exception {
    for (long created : new long[] {1700000000123L, 1514764800000L, 7258118399999L}) {
      for (int n = 0; n < 40; n++) {
        Cases.Case c = CaseBytes.workedExample();
        c.created = created;
        char[] a = new char[n];
        Arrays.fill(a, 'A');
        c.context = new String(a);
        byte[] bytes = CaseBytes.encode(c, V1CTX);
        String ctx = "context of " + n + ", created " + created;
        Checks.matches(ctx, decode(c.kind, bytes), c, c.context, V1CTX, bytes);
      }
    }
  }

  @Test
  public void aNewIdentifierIsWrittenInV1AndReadsBack() throws Exception {
    for (S3adtTokenIdentifier fresh : new S3adtTokenIdentifier[] {
        new FullTokenIdentifier(), new SessionTokenIdentifier(), new RoleTokenIdentifier()}) {
      assertEquals(V1, fresh.getEncryptionLayout());
      byte[] bytes = fresh.getBytes();
      S3adtTokenIdentifier back = decode(fresh.getTokenKind().toString(), bytes);
      assertEquals(fresh.getClass(), back.getClass());
      assertEquals(V1, back.getEncryptionLayout());
      assertArrayEquals(bytes, back.getBytes());
      assertEquals(S3adtTokenIdentifier.CredentialType.EMPTY, back.getCredentialType());
      assertTrue(back.toString().endsWith("}; Empty credentials"));
    }
  }

  @Test
  public void trailingBytesAfterAV1IdentifierAreIgnoredAsHadoopIgnoresThem() throws Exception {
    Cases.Case c = CaseBytes.workedExample();
    byte[] bytes = CaseBytes.encode(c, V1);
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    longer[bytes.length] = 7;
    S3adtTokenIdentifier id = decode(c.kind, longer);
    Checks.matches("trailing", id, c, "", V1, bytes);
  }

  @Test
  public void errorsNameTheFieldWithHadoopsText() throws Exception {
    Cases.Case c = CaseBytes.workedExample();
    byte[] good = CaseBytes.encode(c, V1);

    byte[] badVersion = good.clone();
    badVersion[0] = 1;
    assertTrue(decodeFails(c.kind, badVersion).getMessage()
        .endsWith(": Unknown version of delegation token 1"));

    Cases.Case longUri = CaseBytes.workedExample();
    char[] u = new char[8193];
    Arrays.fill(u, 'u');
    longUri.uri = new String(u);
    assertTrue(decodeFails(c.kind, CaseBytes.encode(longUri, V1)).getMessage()
        .endsWith(": uri: expected integer less or equal to 8192, got 8193"));

    Cases.Case badAlgorithm = CaseBytes.workedExample();
    badAlgorithm.algorithm = "AES999";
    assertTrue(decodeFails(c.kind, CaseBytes.encode(badAlgorithm, V1)).getMessage()
        .endsWith(": Unknown encryption algorithm AES999"));

    byte[] badUid = good.clone();
    int uid = Bytes.find(good, new byte[] {0x10, (byte) 0xc4, (byte) 0xd8, (byte) 0xdd});
    badUid[uid] = 0x11;
    assertTrue(decodeFails(c.kind, badUid).getMessage()
        .contains(": Incompatible EncryptionSecrets version: "));

    byte[] v2 = CaseBytes.encode(c, V2);
    IOException trailing = decodeFails(c.kind, Arrays.copyOf(v2, v2.length + 1));
    assertTrue(trailing.getMessage(),
        trailing.getMessage().endsWith(": 1 unexpected bytes after the identifier"));

    IOException eof = decodeFails(c.kind, Arrays.copyOf(good, good.length - 1));
    assertTrue(eof instanceof EOFException);
    assertEquals("Cannot decode S3ADelegationToken/Session identifier (124 bytes): expiration:"
        + " truncated: needs 8 more bytes but only 7 remain", eof.getMessage());

    IOException notS3a = null;
    try {
      S3adtTokenIdentifier.decode(new Token<TokenIdentifier>(good, new byte[0],
          new Text("HDFS_DELEGATION_TOKEN"), new Text("nn:8020")));
    } catch (IOException e) {
      notS3a = e;
    }
    assertEquals("not an S3A delegation token kind: \"HDFS_DELEGATION_TOKEN\"",
        notS3a.getMessage());
  }

  @Test
  public void lengthLimitsAreHadoops() throws Exception {
    // at the limits: read and written back
    for (String alias : new String[] {"limits-s3a-strings", "limits-base-text"}) {
      Cases.Case c = Fixtures.cases().get(alias);
      byte[] bytes = CaseBytes.encode(c, V1);
      Checks.matches(alias, decode(c.kind, bytes), c, "", V1, bytes);
    }
    // one past each: refused
    String[][] over = {
      {"origin", "8193", "origin: expected integer less or equal to 8192, got 8193"},
      {"secretKey", "8193", "secret key: expected integer less or equal to 8192, got 8193"},
      {"key", "2049", "encryption key: expected integer less or equal to 2048, got 2049"},
      {"owner", "1048576", "owner: tried to deserialize 1048576 bytes of data,"
          + " but maxLength = 1048576"},
    };
    for (String[] o : over) {
      Cases.Case c = CaseBytes.workedExample();
      c.algorithm = "SSE-KMS";
      char[] v = new char[Integer.parseInt(o[1])];
      Arrays.fill(v, 'x');
      Cases.Case.class.getField(o[0]).set(c, new String(v));
      IOException e = decodeFails(c.kind, CaseBytes.encode(c, V1));
      assertTrue(e.getMessage(), e.getMessage().endsWith(": " + o[2]));
    }
    // an owner of 1 MiB would be written by Hadoop and then be unreadable: refused on write
    S3adtTokenIdentifier id = new SessionTokenIdentifier();
    id.setOwner(new Text(new byte[1024 * 1024]));
    try {
      id.write(new DataOutputStream(new ByteArrayOutputStream()));
      fail("wrote an owner of 1 MiB");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("owner is too long to be serialized!"));
    }
  }

  @Test
  public void readsFromAnyDataInputAndConsumesIt() throws Exception {
    Cases.Case c = Fixtures.cases().get("enc-sse-kms");
    byte[] bytes = CaseBytes.encode(c, V1CTX);
    final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    DataInput notAStream = (DataInput) java.lang.reflect.Proxy.newProxyInstance(
        DataInput.class.getClassLoader(), new Class<?>[] {DataInput.class},
        (proxy, method, args) -> {
          try {
            return method.invoke(in, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    S3adtTokenIdentifier id = new SessionTokenIdentifier();
    id.readFields(notAStream);
    Checks.matches("proxy DataInput", id, c, c.context, V1CTX, bytes);
    assertEquals(0, in.available());
  }

  @Test
  public void aFailedReadLeavesTheIdentifierAsItWas() throws Exception {
    Cases.Case c = Fixtures.cases().get("role-basic");
    byte[] bytes = CaseBytes.encode(c, V1);
    S3adtTokenIdentifier id = decode(c.kind, bytes);
    try {
      id.decodeFrom(Arrays.copyOf(bytes, bytes.length - 3));
      fail("decoded a truncated identifier");
    } catch (EOFException expected) {
      // the type Hadoop's readers give too
    }
    Checks.matches("after a failed decode", id, c, "", V1, bytes);
    // an input that fails while being read: readFields throws, and nothing changes
    java.io.InputStream failing = new java.io.SequenceInputStream(
        new ByteArrayInputStream(Arrays.copyOf(bytes, 10)), new java.io.InputStream() {
          @Override
          public int read() throws java.io.IOException {
            throw new java.io.IOException("disk on fire");
          }
        });
    try {
      id.readFields(new DataInputStream(failing));
      fail("read a failing input");
    } catch (java.io.IOException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("disk on fire"));
    }
    Checks.matches("after a failed read", id, c, "", V1, bytes);
  }

  @Test
  public void readFieldsOfBytesThatDoNotDecodeLeavesAnUndecodableIdentifier() throws Exception {
    Cases.Case c = Fixtures.cases().get("role-basic");
    byte[] bytes = CaseBytes.encode(c, V1);
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    S3adtTokenIdentifier id = decode(c.kind, bytes);
    id.readFields(new DataInputStream(new ByteArrayInputStream(cut)));
    assertFalse(id.isDecodable());
    assertEquals(S3adtTokenIdentifier.CredentialType.EMPTY, id.getCredentialType());
    assertEquals("", id.getUriString());
    assertTrue(id.toString(), id.toString().startsWith(
        "undecodable S3A identifier " + c.kind + " of " + cut.length + " bytes: "));
    Checks.noSecret("undecodable", id.toString(), c);
    // the same bytes read again decode
    id.readFields(new DataInputStream(new ByteArrayInputStream(bytes)));
    assertTrue(id.isDecodable());
    Checks.matches("read again", id, c, "", V1, bytes);
  }

  @Test
  public void equalityIsHadoopAwss() throws Exception {
    Cases.Case c = Fixtures.cases().get("session-basic");
    S3adtTokenIdentifier a = decode(c.kind, CaseBytes.encode(c, V1));
    S3adtTokenIdentifier b = decode(c.kind, CaseBytes.encode(c, V1CTX));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    Cases.Case other = Checks.withContext(c, c.context);
    other.uuid = "6f0c6f1e-8a43-4a4c-9b5e-2d1f3c4b5a69";
    assertNotEquals(a, decode(c.kind, CaseBytes.encode(other, V1)));
    other = Checks.withContext(c, c.context);
    other.owner = "mallory";
    assertNotEquals(a, decode(c.kind, CaseBytes.encode(other, V1)));
    // same bytes, other kind: other class, not equal
    assertNotEquals(a, decode(RoleTokenIdentifier.KIND, CaseBytes.encode(c, V1)));
  }

  @Test
  public void kindsAndAccessors() throws Exception {
    assertEquals("S3ADelegationToken/Full", FullTokenIdentifier.KIND);
    assertEquals("S3ADelegationToken/Session", SessionTokenIdentifier.KIND);
    assertEquals("S3ADelegationToken/Role", RoleTokenIdentifier.KIND);
    assertTrue(S3adtTokenIdentifier.forKind(new Text(RoleTokenIdentifier.KIND))
        instanceof RoleTokenIdentifier);
    assertNull(S3adtTokenIdentifier.forKind(new Text("S3ADelegationToken/Other")));
    assertNull(S3adtTokenIdentifier.forKind(null));

    Cases.Case c = CaseBytes.workedExample();
    c.uri = "s3a://my-bucket/some/path?x#y";
    S3adtTokenIdentifier id = decode(c.kind, CaseBytes.encode(c, V1));
    assertEquals("my-bucket", id.getBucket());
    assertEquals("my-bucket", id.getUri().getHost());
    // the kind handed out is a copy: Hadoop may overwrite the Text it is given
    id.getKind().set("changed");
    assertEquals(new Text(SessionTokenIdentifier.KIND), id.getKind());

    c.uri = "not a uri";
    id = decode(c.kind, CaseBytes.encode(c, V1));
    assertNull(id.getUri());
    assertNull(id.getBucket());
    assertEquals("not a uri", id.getUriString());
  }

  @Test
  public void expiryTextIsHadoopAwss() throws Exception {
    Cases.Case c = CaseBytes.workedExample();
    c.roleArn = "arn:aws:iam::1:role/r";
    for (long[] e : new long[][] {{0}, {1700003600120L}, {-1}, {253402300800000L}}) {
      c.expiration = e[0];
      String text = decode(c.kind, CaseBytes.encode(c, V1)).toString();
      String want = e[0] == 0 ? "unknown" : e[0] == 1700003600120L ? "2023-11-14T23:13:20.12Z"
          : e[0] == -1 ? "1969-12-31T23:59:59.999Z" : "+10000-01-01T00:00:00Z";
      assertTrue(text, text.endsWith("}; session credentials, expiry " + want
          + "; role \"arn:aws:iam::1:role/r\" (valid)"));
    }
    c.sessionToken = "";
    assertTrue(decode(c.kind, CaseBytes.encode(c, V1)).toString()
        .endsWith("}; full credentials (valid)"));
    c.algorithm = "sse-kms";
    c.key = "arn:aws:kms:k";
    String text = decode(c.kind, CaseBytes.encode(c, V1)).toString();
    assertTrue(text, text.contains("; encryption=SSE-KMS; "));
    assertFalse(text.contains("arn:aws:kms:k"));
  }

}
