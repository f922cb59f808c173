package org.s3adt.token;

import static org.s3adt.token.S3adtTokenIdentifier.ENCRYPTION_SECRETS_UID_V1;
import static org.s3adt.token.S3adtTokenIdentifier.ENCRYPTION_SECRETS_UID_V2;
import static org.s3adt.token.S3adtTokenIdentifier.MAX_ENCRYPTION_SECRET_LENGTH;
import static org.s3adt.token.S3adtTokenIdentifier.MAX_TEXT_LENGTH;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableUtils;
import org.s3adt.token.S3adtTokenIdentifier.CredentialType;
import org.s3adt.token.S3adtTokenIdentifier.EncryptionLayout;

/**
 * The S3A part of an {@link S3adtTokenIdentifier}, after the base fields: uri, origin, uuid, the
 * encryption secrets (in one of three layouts), created, and the marshalled credentials. An
 * immutable value, read from and written to hadoop-aws's layout (see the identifier's class
 * description), including the rule that tells the two layouts sharing version 1 apart; and
 * hadoop-aws's text for the encryption secrets and credentials, which shows no secret.
 */
final class S3aFields {
  /** The fields of an identifier that holds none (new, or undecodable). */
  static final S3aFields EMPTY = new S3aFields();

  /** 2018-01-01T00:00:00Z: S3A delegation tokens did not exist before. */
  private static final long PLAUSIBLE_FROM = 1514764800000L;
  /** 2200-01-01T00:00:00Z, exclusive. */
  private static final long PLAUSIBLE_UNTIL = 7258118400000L;

  /** hadoop-aws's {@code S3AEncryptionMethods} method strings; "" is no encryption. */
  private static final String[] ENCRYPTION_METHODS = {
    "", "AES256", "SSE-KMS", "SSE-C", "CSE-KMS", "CSE-CUSTOM", "DSSE-KMS",
  };

  String uri = "";
  String origin = "";
  String uuid = "";
  String encryptionAlgorithm = "";
  String encryptionKey = "";
  String encryptionContext = "";
  EncryptionLayout encryptionLayout = EncryptionLayout.V1;
  long created;
  String accessKey = "";
  String secretKey = "";
  String sessionToken = "";
  String roleArn = "";
  long expiration;
  /** Bytes left after a reading: 0 when it accounts for all of them. */
  private int remaining;

  private S3aFields() {
  }

  // ------------------------------------------------------------------------------- reading

  /**
   * Read the fields after the base ones, to the end of {@code r}; on failure an IOException
   * naming the field (an EOFException when the bytes end early).
   */
  static S3aFields read(WireReader r) throws IOException {
    String uri = r.readString("uri", MAX_TEXT_LENGTH);
    String origin = r.readString("origin", MAX_TEXT_LENGTH);
    String uuid = r.readString("uuid", MAX_TEXT_LENGTH);
    long uid = r.readLong("encryption secrets version");
    S3aFields f;
    if (uid == ENCRYPTION_SECRETS_UID_V2) {
      f = readTail(r, EncryptionLayout.V2);
      if (!f.exact()) {
        throw new IOException(f.remaining + " unexpected bytes after the identifier");
      }
    } else if (uid == ENCRYPTION_SECRETS_UID_V1) {
      f = chooseV1Layout(r);
    } else {
      throw new IOException("Incompatible EncryptionSecrets version: " + uid);
    }
    f.uri = uri;
    f.origin = origin;
    f.uuid = uuid;
    return f;
  }

  private boolean exact() {
    return remaining == 0;
  }

  private boolean plausible() {
    return created >= PLAUSIBLE_FROM && created < PLAUSIBLE_UNTIL;
  }

  /** One reading of the bytes after the encryption secrets' version number. */
  private static S3aFields readTail(WireReader r, EncryptionLayout layout) throws IOException {
    S3aFields t = new S3aFields();
    t.encryptionLayout = layout;
    t.encryptionAlgorithm = r.readString("encryption algorithm", MAX_ENCRYPTION_SECRET_LENGTH);
    t.encryptionKey = r.readString("encryption key", MAX_ENCRYPTION_SECRET_LENGTH);
    if (layout != EncryptionLayout.V1) {
      t.encryptionContext = r.readString("encryption context", Integer.MAX_VALUE);
    }
    encryptionMethod(t.encryptionAlgorithm);
    t.created = r.readLong("created");
    t.accessKey = r.readString("access key", MAX_TEXT_LENGTH);
    t.secretKey = r.readString("secret key", MAX_TEXT_LENGTH);
    t.sessionToken = r.readString("session token", MAX_TEXT_LENGTH);
    t.roleArn = r.readString("role ARN", MAX_TEXT_LENGTH);
    t.expiration = r.readLong("expiration");
    t.remaining = r.remaining();
    return t;
  }

  /**
   * V1 and V1-with-context share a version number: take the reading that accounts for every
   * byte; if both do, the one with a plausible creation time, else V1; if neither, V1 with bytes
   * left over (ignored, as Hadoop ignores them). Same rule as the Rust decoder.
   */
  private static S3aFields chooseV1Layout(WireReader r) throws IOException {
    S3aFields v1 = null;
    IOException v1Error = null;
    try {
      v1 = readTail(r.copy(), EncryptionLayout.V1);
    } catch (IOException e) {
      v1Error = e;
    }
    if (v1 != null && v1.exact() && v1.plausible()) {
      return v1;
    }
    S3aFields ctx = null;
    try {
      ctx = readTail(r.copy(), EncryptionLayout.V1_WITH_CONTEXT);
    } catch (IOException e) {
      // the V1 reading, or its error, stands
    }
    boolean exactV1 = v1 != null && v1.exact();
    boolean exactCtx = ctx != null && ctx.exact();
    boolean takeCtx = exactCtx
        && (!exactV1 || (!v1.plausible() && ctx.plausible()));
    if (takeCtx) {
      return ctx;
    }
    if (v1 == null) {
      throw v1Error;
    }
    return v1;
  }

  /** hadoop-aws's {@code S3AEncryptionMethods.getMethod}: blank is none, else any case. */
  static String encryptionMethod(String algorithm) throws IOException {
    if (algorithm.trim().isEmpty()) {
      return "";
    }
    for (String m : ENCRYPTION_METHODS) {
      if (!m.isEmpty() && m.equalsIgnoreCase(algorithm)) {
        return m;
      }
    }
    throw new IOException("Unknown encryption algorithm " + algorithm);
  }

  // ------------------------------------------------------------------------------- writing

  /** The fields' bytes, every one checked against its reader's limit before any is written. */
  final class Encoded {
    private final byte[] uriBytes = encode("uri", uri, MAX_TEXT_LENGTH);
    private final byte[] originBytes = encode("origin", origin, MAX_TEXT_LENGTH);
    private final byte[] uuidBytes = encode("uuid", uuid, MAX_TEXT_LENGTH);
    private final byte[] algorithmBytes =
        encode("encryption algorithm", encryptionAlgorithm, MAX_ENCRYPTION_SECRET_LENGTH);
    private final byte[] keyBytes =
        encode("encryption key", encryptionKey, MAX_ENCRYPTION_SECRET_LENGTH);
    private final byte[] contextBytes =
        encode("encryption context", encryptionContext, Integer.MAX_VALUE);
    private final byte[] akBytes;
    private final byte[] skBytes;
    private final byte[] stBytes;
    private final byte[] arnBytes;

    Encoded() throws IOException {
      encryptionMethod(encryptionAlgorithm);
      akBytes = encode("access key", accessKey, MAX_TEXT_LENGTH);
      skBytes = encode("secret key", secretKey, MAX_TEXT_LENGTH);
      stBytes = encode("session token", sessionToken, MAX_TEXT_LENGTH);
      arnBytes = encode("role ARN", roleArn, MAX_TEXT_LENGTH);
    }

    /** In hadoop-aws's layout, the encryption secrets in {@link #encryptionLayout}. */
    void writeTo(DataOutput d) throws IOException {
      writeBytes(d, uriBytes);
      writeBytes(d, originBytes);
      writeBytes(d, uuidBytes);
      switch (encryptionLayout) {
        case V1:
          // V1 has no place for a context: its readers predate it.
          d.writeLong(ENCRYPTION_SECRETS_UID_V1);
          writeBytes(d, algorithmBytes);
          writeBytes(d, keyBytes);
          break;
        case V1_WITH_CONTEXT:
        case V2:
          d.writeLong(encryptionLayout == EncryptionLayout.V2
              ? ENCRYPTION_SECRETS_UID_V2 : ENCRYPTION_SECRETS_UID_V1);
          writeBytes(d, algorithmBytes);
          writeBytes(d, keyBytes);
          writeBytes(d, contextBytes);
          break;
        default:
          throw new IOException("unknown encryption layout " + encryptionLayout);
      }
      d.writeLong(created);
      writeBytes(d, akBytes);
      writeBytes(d, skBytes);
      writeBytes(d, stBytes);
      writeBytes(d, arnBytes);
      d.writeLong(expiration);
    }
  }

  /** {@code Text.writeString}'s bytes (unmappable characters become '?'), checked. */
  private static byte[] encode(String field, String s, int max) throws IOException {
    ByteBuffer bb = Text.encode(s);
    byte[] b = Arrays.copyOf(bb.array(), bb.limit());
    if (b.length > max) {
      throw new IOException(field + " is too long to be serialized! (" + b.length
          + " bytes, limit " + max + ")");
    }
    return b;
  }

  private static void writeBytes(DataOutput out, byte[] b) throws IOException {
    WritableUtils.writeVInt(out, b.length);
    out.write(b);
  }

  // ------------------------------------------------------------------------------- text

  CredentialType credentialType() {
    if (accessKey.isEmpty() || secretKey.isEmpty()) {
      return CredentialType.EMPTY;
    }
    return sessionToken.isEmpty() ? CredentialType.FULL : CredentialType.SESSION;
  }

  /** hadoop-aws's {@code EncryptionSecrets.toString()}. */
  String encryptionText() {
    String m;
    try {
      m = encryptionMethod(encryptionAlgorithm);
    } catch (IOException e) {
      m = "";
    }
    return m.isEmpty() ? "(no encryption)" : m;
  }

  /** hadoop-aws's {@code MarshalledCredentials.toString()}: no key, no secret, no token. */
  String credentialsText() {
    switch (credentialType()) {
      case EMPTY:
        return "Empty credentials";
      case FULL:
        return "full credentials (valid)";
      default:
        String expiry = expiration == 0 ? "unknown"
            : OffsetDateTime.ofInstant(Instant.ofEpochMilli(expiration), ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_DATE_TIME);
        String role = roleArn.isEmpty() ? "" : "role \"" + roleArn + "\" ";
        return String.format(Locale.ROOT, "session credentials, expiry %s; %s(valid)",
            expiry, role);
    }
  }
}
