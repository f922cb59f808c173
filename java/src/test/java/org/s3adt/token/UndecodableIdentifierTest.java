package org.s3adt.token;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.Test;
import org.s3adt.testsupport.Cases;

/**
 * An S3A identifier s3adt reads in full but cannot decode (here: an encryption algorithm from a
 * newer writer) is never shown in hex by Hadoop's {@code Token.toString()}: hadoop-common falls
 * back to a hex dump of the identifier, secret key included, when {@code decodeIdentifier()}
 * throws, so s3adt's {@code readFields} does not throw for it; the text names the kind, the
 * length and the reason (escaped), and the identifier carries no credentials.
 */
public class UndecodableIdentifierTest {

  private static final String MARKER_SECRET = "MARKERSECRETzq8RfWx0/Lk2Pn5Vs7Ty9Uv+Ab3Cd";

  private static Cases.Case fullWithAlgorithm(String algorithm) {
    Cases.Case c = CaseBytes.workedExample();
    c.kind = FullTokenIdentifier.KIND;
    c.accessKey = "AKIAUNDECODABLE00001";
    c.secretKey = MARKER_SECRET;
    c.sessionToken = "";
    c.algorithm = algorithm;
    c.key = "";
    return c;
  }

  /** Hadoop's hex dump of {@code b} ({@code Token.addBinaryBuffer}): "4d 41 ...". */
  private static String spacedHex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < b.length; i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(String.format("%02x", b[i] & 0xff));
    }
    return s.toString();
  }

  private static void assertNoSecret(String text) {
    byte[] secret = MARKER_SECRET.getBytes(StandardCharsets.UTF_8);
    byte[] head = Arrays.copyOf(secret, 6);
    assertFalse("shows the secret: " + text, text.contains(MARKER_SECRET));
    assertFalse("shows the secret in hex: " + text, text.contains(spacedHex(head)));
    assertFalse("shows the secret in hex: " + text, text.contains(CaseBytes.hex(head)));
  }

  @Test
  public void hadoopsTokenToStringShowsNoHexOfAnUnknownAlgorithmsIdentifier() throws Exception {
    byte[] ident = CaseBytes.encode(fullWithAlgorithm("SSE-FUTURE"),
        S3adtTokenIdentifier.EncryptionLayout.V1);
    Token<TokenIdentifier> t = new Token<>(ident, "non-password".getBytes(StandardCharsets.UTF_8),
        new Text(FullTokenIdentifier.KIND), new Text("s3a://bucket"));

    String text = t.toString();
    assertNoSecret(text);
    assertEquals("Kind: S3ADelegationToken/Full, Service: s3a://bucket, Ident: (undecodable S3A"
        + " identifier S3ADelegationToken/Full of " + ident.length
        + " bytes: Unknown encryption algorithm SSE-FUTURE)", text);

    TokenIdentifier decoded = t.decodeIdentifier();
    assertTrue(decoded.getClass().getName(), decoded instanceof FullTokenIdentifier);
    S3adtTokenIdentifier id = (S3adtTokenIdentifier) decoded;
    assertFalse(id.isDecodable());
    assertEquals(new Text(FullTokenIdentifier.KIND), id.getKind());
    // no credentials to consume from it
    assertEquals(S3adtTokenIdentifier.CredentialType.EMPTY, id.getCredentialType());
    assertEquals("", id.secretKey());
    assertEquals("", id.accessKey());
    assertNull("no owner", id.getUser());
    // written back as read, so the token is unchanged
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    id.write(new DataOutputStream(out));
    assertArrayEquals(ident, out.toByteArray());

    // s3adt's own decoder still refuses it
    try {
      S3adtTokenIdentifier.decode(t);
      fail("decoded an unknown algorithm");
    } catch (IOException e) {
      assertEquals("Cannot decode S3ADelegationToken/Full identifier (" + ident.length
          + " bytes): Unknown encryption algorithm SSE-FUTURE", e.getMessage());
    }
  }

  @Test
  public void theReasonIsEscaped() throws Exception {
    byte[] ident = CaseBytes.encode(fullWithAlgorithm("\u001b[2J\u001b[1;31mFAKE PROMPT$ \\"),
        S3adtTokenIdentifier.EncryptionLayout.V1);
    Token<TokenIdentifier> t = new Token<>(ident, new byte[0],
        new Text(FullTokenIdentifier.KIND), new Text("s3a://bucket"));
    String text = t.toString();
    assertNoSecret(text);
    assertTrue(text, text.endsWith("Unknown encryption algorithm \\u001b[2J\\u001b[1;31mFAKE"
        + " PROMPT$ \\u005c)"));
  }

  @Test
  public void aTruncatedIdentifierIsNotDumpedEither() throws Exception {
    byte[] whole = CaseBytes.encode(fullWithAlgorithm(""), S3adtTokenIdentifier.EncryptionLayout.V1);
    // cut inside the role ARN, after the secret key
    byte[] cut = Arrays.copyOf(whole, whole.length - 9);
    Token<TokenIdentifier> t = new Token<>(cut, new byte[0],
        new Text(FullTokenIdentifier.KIND), new Text("s3a://bucket"));
    String text = t.toString();
    assertNoSecret(text);
    assertTrue(text, text.contains("(undecodable S3A identifier S3ADelegationToken/Full of "
        + cut.length + " bytes: "));
    // a well-formed one still shows hadoop-aws's text
    Token<TokenIdentifier> good = new Token<>(whole, new byte[0],
        new Text(FullTokenIdentifier.KIND), new Text("s3a://bucket"));
    assertTrue(good.toString(), good.toString().contains("Ident: (S3ATokenIdentifier{"
        + "S3ADelegationToken/Full; uri=s3a://bucket;"));
    assertNoSecret(good.toString());
  }
}
