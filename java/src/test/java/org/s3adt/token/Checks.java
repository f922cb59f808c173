package org.s3adt.token;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;

import org.apache.hadoop.io.Text;
import org.s3adt.testsupport.Cases;

/** Field-by-field comparison of a decoded identifier with its case. */
final class Checks {

  private Checks() {
  }

  static Class<? extends S3adtTokenIdentifier> classFor(String kind) {
    switch (kind) {
      case FullTokenIdentifier.KIND:
        return FullTokenIdentifier.class;
      case SessionTokenIdentifier.KIND:
        return SessionTokenIdentifier.class;
      case RoleTokenIdentifier.KIND:
        return RoleTokenIdentifier.class;
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  /**
   * Every field of {@code id} equals the case's; the context is {@code context} (what the layout
   * could carry), the layout {@code layout}; the identifier re-encodes to {@code bytes}.
   */
  static void matches(String ctx, S3adtTokenIdentifier id, Cases.Case c, String context,
      S3adtTokenIdentifier.EncryptionLayout layout, byte[] bytes) throws IOException {
    assertEquals(ctx + ": class", classFor(c.kind), id.getClass());
    assertEquals(ctx + ": kind", new Text(c.kind), id.getKind());
    assertEquals(ctx + ": token kind", new Text(c.kind), id.getTokenKind());
    assertEquals(ctx + ": owner", new Text(c.owner), id.getOwner());
    assertEquals(ctx + ": renewer", new Text(c.renewer), id.getRenewer());
    assertEquals(ctx + ": realUser", new Text(c.realUser), id.getRealUser());
    assertEquals(ctx + ": issueDate", c.issueDate, id.getIssueDate());
    assertEquals(ctx + ": maxDate", c.maxDate, id.getMaxDate());
    assertEquals(ctx + ": sequenceNumber", c.sequenceNumber, id.getSequenceNumber());
    assertEquals(ctx + ": masterKeyId", c.masterKeyId, id.getMasterKeyId());
    assertEquals(ctx + ": uri", c.uri, id.getUriString());
    assertEquals(ctx + ": uri", c.uri, String.valueOf(id.getUri()));
    assertEquals(ctx + ": origin", c.origin, id.getOrigin());
    assertEquals(ctx + ": uuid", c.uuid, id.getUuid());
    assertEquals(ctx + ": created", c.created, id.getCreated());
    assertEquals(ctx + ": algorithm", c.algorithm, id.getEncryptionAlgorithm());
    assertEquals(ctx + ": has key", !c.key.isEmpty(), id.hasEncryptionKey());
    assertEquals(ctx + ": has context", !context.isEmpty(), id.hasEncryptionContext());
    assertEquals(ctx + ": layout", layout, id.getEncryptionLayout());
    assertEquals(ctx + ": roleARN", c.roleArn, id.getRoleArn());
    assertEquals(ctx + ": expiration", c.expiration, id.getExpiration());
    assertEquals(ctx + ": expiryTime", c.expiration, id.getExpiryTime());
    S3adtTokenIdentifier.CredentialType type = c.accessKey.isEmpty() || c.secretKey.isEmpty()
        ? S3adtTokenIdentifier.CredentialType.EMPTY
        : c.sessionToken.isEmpty() ? S3adtTokenIdentifier.CredentialType.FULL
        : S3adtTokenIdentifier.CredentialType.SESSION;
    assertEquals(ctx + ": credential type", type, id.getCredentialType());
    // the secrets, through the package-private accessors
    assertEquals(ctx + ": encryption key", c.key, id.encryptionKey());
    assertEquals(ctx + ": encryption context", context, id.encryptionContext());
    assertEquals(ctx + ": access key", c.accessKey, id.accessKey());
    assertEquals(ctx + ": secret key", c.secretKey, id.secretKey());
    assertEquals(ctx + ": session token", c.sessionToken, id.sessionToken());
    // byte for byte, both through write() and against an independent encoder
    assertArrayEquals(ctx + ": re-encoded bytes", bytes, id.getBytes());
    assertArrayEquals(ctx + ": bytes of an independent encoder", bytes,
        CaseBytes.encode(withContext(c, context), layout));
    noSecret(ctx + ": toString", id.toString(), c);
  }

  /**
   * {@code text} shows none of the case's secrets, nor its access key. Values shorter than 3
   * characters are not looked for: they occur in any text by chance.
   */
  static void noSecret(String ctx, String text, Cases.Case c) {
    for (String s : c.secrets()) {
      assertFalse(ctx + " shows a secret (" + s.length() + " chars)",
          s.length() >= 3 && text.contains(s));
    }
    if (c.accessKey.length() >= 3) {
      assertFalse(ctx + " shows the access key", text.contains(c.accessKey));
    }
  }

  static Cases.Case withContext(Cases.Case c, String context) {
    Cases.Case k = new Cases.Case();
    for (java.lang.reflect.Field f : Cases.Case.class.getFields()) {
      if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      try {
        f.set(k, f.get(c));
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    k.context = context;
    return k;
  }

  static S3adtTokenIdentifier.EncryptionLayout layout(String label) {
    for (S3adtTokenIdentifier.EncryptionLayout l : S3adtTokenIdentifier.EncryptionLayout.values()) {
      if (l.label().equals(label)) {
        return l;
      }
    }
    throw new IllegalArgumentException(label);
  }
}
