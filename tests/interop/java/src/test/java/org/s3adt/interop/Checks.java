package org.s3adt.interop;

import org.apache.hadoop.fs.s3a.auth.MarshalledCredentials;
import org.apache.hadoop.fs.s3a.auth.delegation.AbstractS3ATokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.EncryptionSecrets;
import org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;

import java.io.IOException;
import java.util.List;
import org.s3adt.testsupport.Cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Field-by-field assertions of a token read from a file against its case in cases.json,
 * through hadoop-aws's own getters. Used on s3adt's files and, as a self-check of the
 * harness, on the files Java itself wrote.
 */
final class Checks {
  private Checks() {
  }

  /** The token under {@code alias}, which must be present. */
  static Token<? extends TokenIdentifier> token(Credentials creds, String alias, String ctx) {
    Token<? extends TokenIdentifier> t = creds.getToken(new org.apache.hadoop.io.Text(alias));
    assertNotNull(t, ctx + ": alias " + alias + " missing");
    return t;
  }

  /**
   * Every getter of the decoded S3A identifier equals the case. The context is compared only
   * where this version has one; {@code contextDropped} cases are expected without it.
   */
  static void s3a(String ctx, Token<? extends TokenIdentifier> t, Cases.Case c,
      boolean contextDropped) throws Exception {
    assertEquals(c.kind, t.getKind().toString(), ctx + ": token kind");
    assertEquals(c.service, t.getService().toString(), ctx + ": service");
    assertArrayEquals(c.passwordBytes(), t.getPassword(), ctx + ": password");

    TokenIdentifier decoded = t.decodeIdentifier();
    assertNotNull(decoded, ctx + ": decodeIdentifier() returned null (kind not registered?)");
    assertSame(HadoopAws.classFor(c.kind), decoded.getClass(),
        ctx + ": decodeIdentifier() class");
    AbstractS3ATokenIdentifier id = (AbstractS3ATokenIdentifier) decoded;

    base(ctx, id, c);
    assertEquals(c.kind, id.getKind().toString(), ctx + ": identifier kind");
    assertEquals(c.uri, id.getUri().toString(), ctx + ": uri");
    assertEquals(c.origin, id.getOrigin(), ctx + ": origin");
    assertEquals(c.uuid, id.getUuid(), ctx + ": uuid");
    assertEquals(c.created, id.getCreated(), ctx + ": created");

    EncryptionSecrets es = id.getEncryptionSecrets();
    assertEquals(c.algorithm, es.getEncryptionAlgorithm(), ctx + ": encryption algorithm");
    assertEquals(c.algorithm, es.getEncryptionMethod().getMethod(),
        ctx + ": encryption method");
    assertEquals(c.key, es.getEncryptionKey(), ctx + ": encryption key");
    String context = HadoopAws.encryptionContext(es);
    if (context != null) {
      assertEquals(contextDropped ? "" : c.context, context, ctx + ": encryption context");
    }

    MarshalledCredentials mc = ((SessionTokenIdentifier) id).getMarshalledCredentials();
    assertEquals(c.accessKey, mc.getAccessKey(), ctx + ": accessKey");
    assertEquals(c.secretKey, mc.getSecretKey(), ctx + ": secretKey");
    assertEquals(c.sessionToken, mc.getSessionToken(), ctx + ": sessionToken");
    assertEquals(c.roleArn, mc.getRoleARN(), ctx + ": roleARN");
    assertEquals(c.expiration, mc.getExpiration(), ctx + ": expiration");

    id.validate();
    // hadoop-aws re-encoding what it decoded gives back the very same bytes.
    assertArrayEquals(t.getIdentifier(), HadoopAws.writable(id),
        ctx + ": hadoop-aws re-encodes the decoded identifier differently");
  }

  /** A non-S3A token: base fields read as hadoop-common's delegation identifier. */
  static void other(String ctx, Token<? extends TokenIdentifier> t, Cases.Base b)
      throws IOException {
    assertEquals(b.kind, t.getKind().toString(), ctx + ": token kind");
    assertEquals(b.service, t.getService().toString(), ctx + ": service");
    assertArrayEquals(b.passwordBytes(), t.getPassword(), ctx + ": password");
    base(ctx, JavaFixtures.decodeBase(t), b);
  }

  private static void base(String ctx, AbstractDelegationTokenIdentifier id, Cases.Base b) {
    assertEquals(b.owner, id.getOwner().toString(), ctx + ": owner");
    assertEquals(b.renewer, id.getRenewer().toString(), ctx + ": renewer");
    assertEquals(b.realUser, id.getRealUser().toString(), ctx + ": realUser");
    assertEquals(b.issueDate, id.getIssueDate(), ctx + ": issueDate");
    assertEquals(b.maxDate, id.getMaxDate(), ctx + ": maxDate");
    assertEquals(b.sequenceNumber, id.getSequenceNumber(), ctx + ": sequenceNumber");
    assertEquals(b.masterKeyId, id.getMasterKeyId(), ctx + ": masterKeyId");
  }

  /** The secret-key map holds exactly the cases' secrets, byte for byte. */
  static void secrets(String ctx, Credentials creds, List<Cases.Secret> secrets) {
    assertEquals(secrets.size(), creds.numberOfSecretKeys(), ctx + ": number of secrets");
    for (Cases.Secret s : secrets) {
      byte[] got = creds.getSecretKey(new org.apache.hadoop.io.Text(s.alias));
      if (got == null) {
        fail(ctx + ": secret " + s.alias + " missing");
      }
      assertArrayEquals(s.value, got, ctx + ": secret " + s.alias);
    }
  }

  /**
   * Identifier bytes equal, else a message naming the first differing byte and the field it
   * falls in (field boundaries from the Java bytes, which are the reference).
   */
  static void sameIdentifier(String ctx, byte[] java, byte[] rust, boolean s3a, String layout) {
    int off = Bytes.firstDiff(java, rust);
    if (off < 0) {
      return;
    }
    List<FileLayout.Part> spans = HadoopAws.spans(java, s3a, layout);
    fail(ctx + ": identifier bytes differ at offset " + off + " in "
        + HadoopAws.fieldAt(spans, off) + ": " + Bytes.window(java, rust, off));
  }
}
