package org.s3adt.token;

// One piece: the Writable Hadoop instantiates for the three kinds: its class Javadoc (a sixth of
// the file) states the wire layout, the deferral to hadoop-aws and the undecodable case, and
// readFields, write and the accessors below are that statement in code; split, each half would
// have to be read with the other.

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;

/**
 * An S3A delegation token identifier: the three kinds hadoop-aws issues
 * ({@code S3ADelegationToken/Full}, {@code /Session}, {@code /Role}), which share one layout.
 * Pure Java: it needs hadoop-common only, neither the native library, nor hadoop-aws, nor the
 * AWS SDK, so that {@code Token.decodeIdentifier()}, {@code hdfs fetchdt --print},
 * {@code hadoop dtutil print} and YARN can read s3adt's tokens on hosts that have none of them.
 *
 * <h2>Wire layout</h2>
 * Exactly hadoop-aws's {@code SessionTokenIdentifier.write}: the {@link
 * AbstractDelegationTokenIdentifier} fields (version 0, owner, renewer, realUser, issueDate,
 * maxDate, sequenceNumber, masterKeyId), then uri, origin, uuid (each {@code Text}, at most 8192
 * bytes), the encryption secrets, created ({@code long}), then the marshalled credentials:
 * access key, secret key, session token, role ARN (each at most 8192 bytes) and expiration
 * ({@code long}, milliseconds).
 *
 * <p>The encryption secrets come in three layouts (docs/hadoop-facts.md §2):
 * {@link EncryptionLayout#V1} (version 1208329045511296375, algorithm, key; hadoop-aws
 * 3.3.0-3.4.3), {@link EncryptionLayout#V1_WITH_CONTEXT} (the same version number, then a
 * context; 3.5.0) and {@link EncryptionLayout#V2} (version 8834417969966697162 and a context;
 * Hadoop trunk). Since V1 and V1-with-context share a version number, the layout read is the one
 * that accounts for exactly all of the identifier's bytes; if both do (a coincidence), the one
 * whose {@code created} time is plausible (2018 to 2199), else V1; if neither does, a V1 reading
 * that leaves bytes over is taken, as hadoop-aws 3.3-3.4 would take it. This is the rule of
 * s3adt's Rust decoder ({@code rust/token/src/s3a.rs}), so both sides read every identifier the
 * same way. An identifier is written in the layout it was read in, so its bytes round-trip; a new
 * one is written in V1, which every release before 3.5.0 reads. The fields after the base ones,
 * their reading (the layout rule included), writing and text, are {@code S3aFields}'s; this class
 * holds the kinds, the base fields, decodability and the text and equality of the whole.
 *
 * <p>Telling the layouts apart needs the identifier's length, so {@link #readFields} reads its
 * input to the end. Identifiers are always decoded from their own byte array
 * ({@code Token.decodeIdentifier()} wraps {@code Token.getIdentifier()}), so nothing else is in
 * that input.
 *
 * <p>Every malformed input gives {@link #decode} an {@code IOException} (an {@code EOFException}
 * when it ends early) naming the field, never another exception. {@link #readFields}, which
 * Hadoop's {@code Token.decodeIdentifier()} calls, does not throw for identifier bytes it read in
 * full but cannot decode (a truncated or corrupt identifier, or one from a newer writer, e.g. an
 * encryption algorithm it does not know): it leaves the identifier <em>undecodable</em> (see
 * {@link #isDecodable()}) instead, because {@code Token.toString()}, which JobSubmitter, YARN and
 * Spark log, shows a hex dump of the identifier, secret key included, when
 * {@code decodeIdentifier()} throws. An undecodable identifier's text shows its kind, length and
 * why it does not decode, never its bytes; it carries no credentials (empty ones), and s3adt's
 * native side, which decodes the token's own bytes, refuses the token. Only an input it cannot
 * read to the end (an I/O error, or longer than 64 MiB) makes {@code readFields} throw.
 *
 * <h2>No secrets in text</h2>
 * {@link #toString()} is hadoop-aws's text to the character (kind, uri, created, renewer,
 * encryption method, uuid, origin, then whether the credentials are full or session ones and
 * when they expire), and like it, and like s3adt's Rust {@code Display}, it never includes the
 * access key, secret key, session token, encryption key or encryption context. No public method
 * returns any of them.
 *
 * <h2>Kinds: deferring to hadoop-aws</h2>
 * Hadoop maps a kind to an identifier class once per JVM ({@code Token.getClassForIdentifier}):
 * it instantiates every class listed in {@code META-INF/services/...TokenIdentifier} with its
 * no-argument constructor and calls {@code getKind()}; for a kind claimed twice, the class met
 * last wins, so the classpath order decides. hadoop-aws's delegation-token binding rejects any
 * identifier that is not exactly its own class ("Delegation token is wrong class"), so where
 * hadoop-aws is present its class must win whatever the order. Each s3adt class therefore looks
 * once, in its static initialiser, for hadoop-aws's class of the same kind (without initialising
 * it; through the context class loader the scan uses, and through its own). If found, a fresh
 * instance, which is what the scan sees, reports a kind of its own,
 * {@code s3adt-deferred:S3ADelegationToken/...} (see {@link #DEFERRED_KIND_PREFIX}), which no
 * token carries, so hadoop-aws's class is the only one for the real kind. If not found, it claims
 * the real kind and Hadoop decodes S3A tokens with it.
 *
 * <p>An instance that holds a token's fields (it was read by {@link #readFields} or
 * {@link #decode}) always reports the real kind: {@code new Token(identifier, secretManager)}
 * takes the token's kind from it, its {@code toString()} shows it, and it is the kind of the
 * token it came from. Only the empty instance built by the no-argument constructor can report the
 * deferring kind, and only when hadoop-aws is present. So {@code Token.decodeIdentifier()}
 * returns s3adt's class only when hadoop-aws is absent, with the real kind; s3adt's own code can
 * always decode with {@link #decode(Token)}, with the real kind, whatever is on the classpath.
 * Use {@link #getTokenKind()} or the subclasses' {@code KIND} constants, never the kind of an
 * empty instance, to name a kind.
 *
 * <p>Equality is hadoop-aws's: same class, same base fields, same uuid and uri.
 */
public abstract class S3adtTokenIdentifier extends AbstractDelegationTokenIdentifier {

  /** hadoop-aws's {@code DelegationConstants.TOKEN_NAME_PREFIX}. */
  public static final String TOKEN_NAME_PREFIX = "S3ADelegationToken/";

  /**
   * Prefix of the kind an empty s3adt identifier reports when hadoop-aws's class for its kind is
   * on the classpath, e.g. {@code s3adt-deferred:S3ADelegationToken/Session}. It does not start
   * with {@link #TOKEN_NAME_PREFIX}, so nothing that matches S3A kinds by prefix takes it.
   */
  public static final String DEFERRED_KIND_PREFIX = "s3adt-deferred:";

  /** {@code AbstractS3ATokenIdentifier.MAX_TEXT_LENGTH} and {@code MarshalledCredentials}'s. */
  static final int MAX_TEXT_LENGTH = 8192;
  /** {@code EncryptionSecrets.MAX_SECRET_LENGTH}. */
  static final int MAX_ENCRYPTION_SECRET_LENGTH = 2048;
  /** {@code Text.DEFAULT_MAX_LEN}: the base fields' exclusive read limit. */
  static final int MAX_BASE_TEXT_LENGTH = 1024 * 1024;
  static final long ENCRYPTION_SECRETS_UID_V1 = 1208329045511296375L;
  static final long ENCRYPTION_SECRETS_UID_V2 = 8834417969966697162L;
  /** Longest identifier {@link #readFields} accepts: far above any real one. */
  static final int MAX_IDENTIFIER_LENGTH = 64 * 1024 * 1024;

  /** The wire layout of the encryption secrets. */
  public enum EncryptionLayout {
    /** Version 1 number, algorithm, key: hadoop-aws 3.3.0 to 3.4.3. */
    V1("v1"),
    /** Version 1 number, algorithm, key, context: hadoop-aws 3.5.0. */
    V1_WITH_CONTEXT("v1ctx"),
    /** Version 2 number, algorithm, key, context: Hadoop trunk, no release. */
    V2("v2");

    private final String label;

    EncryptionLayout(String label) {
      this.label = label;
    }

    /** {@code v1}, {@code v1ctx} or {@code v2}, as s3adt's configuration and CLI name them. */
    public String label() {
      return label;
    }
  }

  /** What the carried credentials can be used as. */
  public enum CredentialType {
    /** No access key or no secret key. */
    EMPTY("empty"),
    /** Access and secret key, no session token. */
    FULL("full"),
    /** Access key, secret key and session token. */
    SESSION("session");

    private final String label;

    CredentialType(String label) {
      this.label = label;
    }

    /** {@code empty}, {@code full} or {@code session}, as {@code s3adt print --json} names it. */
    public String label() {
      return label;
    }
  }

  private final String kind;
  private final boolean defersToHadoopAws;
  /** Holds a token's fields: reports the real kind whatever {@link #defersToHadoopAws} says. */
  private boolean populated;

  /** The S3A fields after the base ones (empty ones until read, or when undecodable). */
  private S3aFields fields = S3aFields.EMPTY;
  /**
   * The bytes {@link #readFields} read but could not decode, or null: see {@link #isDecodable()}.
   * Written back as they are, so the identifier still round-trips.
   */
  private byte[] undecodable;
  /** Why {@link #undecodable} does not decode. */
  private String undecodableReason = "";

  /**
   * @param kind the real kind, e.g. {@code S3ADelegationToken/Session}
   * @param defersToHadoopAws whether hadoop-aws's class for this kind is present (decided once
   *     per class; see the class description)
   */
  S3adtTokenIdentifier(String kind, boolean defersToHadoopAws) {
    this.kind = kind;
    this.defersToHadoopAws = defersToHadoopAws;
  }

  // ------------------------------------------------------------------------------- kinds

  /**
   * The kind: the real one, except on an empty instance while hadoop-aws's class for the kind is
   * on the classpath (see the class description). A new {@code Text} each call, since Hadoop
   * code may mutate the one it is given (e.g. {@code Token.readFields}).
   */
  @Override
  public Text getKind() {
    return new Text(populated || !defersToHadoopAws ? kind : DEFERRED_KIND_PREFIX + kind);
  }

  /** The real kind, always, e.g. {@code S3ADelegationToken/Session}. */
  public Text getTokenKind() {
    return new Text(kind);
  }

  /**
   * Whether hadoop-aws's identifier class for this kind was found, so that Hadoop decodes tokens
   * of this kind with hadoop-aws's class rather than this one.
   */
  public boolean isDeferringToHadoopAws() {
    return defersToHadoopAws;
  }

  /**
   * A new, empty s3adt identifier for an S3A kind, or null for any other kind.
   * @param kind a token kind
   * @return the identifier, or null
   */
  public static S3adtTokenIdentifier forKind(Text kind) {
    if (kind == null) {
      return null;
    }
    String k = kind.toString();
    if (FullTokenIdentifier.KIND.equals(k)) {
      return new FullTokenIdentifier();
    }
    if (SessionTokenIdentifier.KIND.equals(k)) {
      return new SessionTokenIdentifier();
    }
    if (RoleTokenIdentifier.KIND.equals(k)) {
      return new RoleTokenIdentifier();
    }
    return null;
  }

  /**
   * Decode an S3A token's identifier with s3adt's classes, whatever Hadoop's kind map says
   * (also when hadoop-aws is on the classpath).
   * @param token a token of one of the three S3A kinds
   * @return the identifier, reporting the token's kind
   * @throws IOException if the kind is not an S3A kind or the identifier is malformed
   */
  public static S3adtTokenIdentifier decode(Token<?> token) throws IOException {
    if (token == null) {
      throw new IOException("no token to decode");
    }
    return decode(token.getKind(), token.getIdentifier());
  }

  /**
   * Decode identifier bytes of an S3A kind with s3adt's classes.
   * @param kind the token's kind
   * @param identifier the token's identifier bytes
   * @return the identifier, reporting {@code kind}
   * @throws IOException if the kind is not an S3A kind or the identifier is malformed
   */
  public static S3adtTokenIdentifier decode(Text kind, byte[] identifier) throws IOException {
    S3adtTokenIdentifier id = forKind(kind);
    if (id == null) {
      throw new IOException("not an S3A delegation token kind: \"" + kind + "\"");
    }
    if (identifier == null) {
      throw new IOException("no identifier bytes in the " + kind + " token");
    }
    id.decodeFrom(identifier);
    return id;
  }

  // ------------------------------------------------------------------------------- reading

  /**
   * Read the identifier: its input to the end (see the class description). Bytes that do not
   * decode leave the identifier undecodable ({@link #isDecodable()} false) rather than throwing,
   * so that Hadoop's {@code Token.toString()} never dumps them in hex.
   * @throws IOException if the input cannot be read to the end or is longer than 64 MiB; the
   *     identifier is then unchanged
   */
  @Override
  public void readFields(DataInput in) throws IOException {
    byte[] bytes;
    try {
      bytes = readToEnd(in);
    } catch (IOException e) {
      throw failure(e.getMessage(), e, -1);
    } catch (RuntimeException e) {
      throw failure(String.valueOf(e), e, -1);
    }
    String reason;
    try {
      decodeFields(bytes);
      return;
    } catch (IOException e) {
      reason = e.getMessage();
    } catch (RuntimeException e) {
      reason = String.valueOf(e);
    }
    markUndecodable(bytes, reason);
  }

  /** Forget every field and hold {@code bytes} as an undecodable identifier. */
  private void markUndecodable(byte[] bytes, String reason) {
    setOwner(null);
    setRenewer(null);
    setRealUser(null);
    setIssueDate(0);
    setMaxDate(0);
    setSequenceNumber(0);
    setMasterKeyId(0);
    fields = S3aFields.EMPTY;
    undecodable = bytes;
    undecodableReason = reason == null ? "" : reason;
    populated = true;
  }

  /**
   * False when {@link #readFields} read identifier bytes it could not decode: the identifier then
   * has no fields and no credentials, and its text says why (see the class description).
   */
  public boolean isDecodable() {
    return undecodable == null;
  }

  private static byte[] readToEnd(DataInput in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    if (in instanceof InputStream) {
      InputStream s = (InputStream) in;
      byte[] chunk = new byte[8192];
      for (int n; (n = s.read(chunk)) != -1; ) {
        out.write(chunk, 0, n);
        checkLength(out.size());
      }
    } else {
      while (true) {
        byte b;
        try {
          b = in.readByte();
        } catch (EOFException end) {
          break;
        }
        out.write(b);
        checkLength(out.size());
      }
    }
    return out.toByteArray();
  }

  private static void checkLength(int size) throws IOException {
    if (size > MAX_IDENTIFIER_LENGTH) {
      throw new IOException("the identifier is longer than " + MAX_IDENTIFIER_LENGTH + " bytes");
    }
  }

  /** Decode {@code bytes}; on failure nothing changes. */
  final void decodeFrom(byte[] bytes) throws IOException {
    try {
      decodeFields(bytes);
    } catch (IOException e) {
      throw failure(e.getMessage(), e, bytes.length);
    } catch (RuntimeException e) {
      throw failure(String.valueOf(e), e, bytes.length);
    }
  }

  /** Decode {@code bytes}; on failure (any exception) nothing changes. */
  private void decodeFields(byte[] bytes) throws IOException {
    WireReader r = new WireReader(bytes);
    // The base fields, read here with their field names and Hadoop's rules; set below by
    // Hadoop's own reader, which applies the same rules.
    byte version = r.readByte("identifier version");
    if (version != 0) {
      throw new IOException("Unknown version of delegation token " + version);
    }
    r.readText("owner", MAX_BASE_TEXT_LENGTH);
    r.readText("renewer", MAX_BASE_TEXT_LENGTH);
    r.readText("realUser", MAX_BASE_TEXT_LENGTH);
    r.readVLong("issueDate");
    r.readVLong("maxDate");
    r.readVInt("sequenceNumber");
    r.readVInt("masterKeyId");
    S3aFields read = S3aFields.read(r);
    super.readFields(new DataInputStream(new ByteArrayInputStream(bytes)));
    fields = read;
    undecodable = null;
    undecodableReason = "";
    populated = true;
  }

  private IOException failure(String message, Throwable cause, int length) {
    String text = "Cannot decode " + kind + " identifier"
        + (length >= 0 ? " (" + length + " bytes)" : "") + ": " + message;
    IOException e = cause instanceof EOFException ? new EOFException(text) : new IOException(text);
    e.initCause(cause);
    return e;
  }

  // ------------------------------------------------------------------------------- writing

  /**
   * Write the identifier in hadoop-aws's layout, the encryption secrets in the layout it was
   * read in (V1 for an identifier that was not read).
   * @throws IOException if a field is longer than its reader accepts
   */
  @Override
  public void write(DataOutput out) throws IOException {
    if (undecodable != null) {
      out.write(undecodable);
      return;
    }
    // Hadoop's reader refuses base texts of 1 MiB or more; its writer lets exactly 1 MiB through,
    // which nothing could read back, so refuse it here, as s3adt's Rust writer does.
    checkBase("owner", getOwner());
    checkBase("renewer", getRenewer());
    checkBase("realUser", getRealUser());
    S3aFields.Encoded encoded = fields.new Encoded();

    // Everything is checked before the first byte goes out.
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    DataOutputStream d = new DataOutputStream(buf);
    super.write(d);
    encoded.writeTo(d);
    d.flush();
    out.write(buf.toByteArray());
  }

  private static void checkBase(String field, Text t) throws IOException {
    if (t != null && t.getLength() >= MAX_BASE_TEXT_LENGTH) {
      throw new IOException(field + " is too long to be serialized! (" + t.getLength()
          + " bytes, limit " + (MAX_BASE_TEXT_LENGTH - 1) + ")");
    }
  }

  // ------------------------------------------------------------------------------- accessors

  /** The filesystem URI as carried, e.g. {@code s3a://bucket}. */
  public String getUriString() {
    return fields.uri;
  }

  /**
   * The filesystem URI, or null if the text carried is not a URI (hadoop-aws would refuse such a
   * token; s3adt reads it, as its Rust decoder does, and only cannot show it as a URI).
   */
  public URI getUri() {
    try {
      return new URI(fields.uri);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** The bucket: the host part of {@code s3a://bucket[/...]}, or null if there is none. */
  public String getBucket() {
    int scheme = fields.uri.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    String rest = fields.uri.substring(scheme + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return end == 0 ? null : rest.substring(0, end);
  }

  // duplicates: deliberate. hadoop-aws's public getters, one per field, under its names.
  /** Free text for diagnostics: where and when the token was made. */
  public String getOrigin() {
    return fields.origin;
  }

  public String getUuid() {
    return fields.uuid;
  }

  /** When the identifier was made, milliseconds since the epoch. */
  public long getCreated() {
    return fields.created;
  }

  /** When the credentials expire, milliseconds since the epoch; 0 when unknown. */
  public long getExpiration() {
    return fields.expiration;
  }

  /**
   * hadoop-aws's name for {@link #getExpiration()} (milliseconds, though its javadoc says
   * seconds).
   */
  public long getExpiryTime() {
    return fields.expiration;
  }

  /** The role ARN the credentials carry for diagnostics; hadoop-aws's Role binding leaves it "". */
  public String getRoleArn() {
    return fields.roleArn;
  }

  public CredentialType getCredentialType() {
    return fields.credentialType();
  }

  /** The encryption algorithm as carried: "" (none), {@code AES256}, {@code SSE-KMS}, ... */
  public String getEncryptionAlgorithm() {
    return fields.encryptionAlgorithm;
  }

  public boolean hasEncryptionKey() {
    return !fields.encryptionKey.isEmpty();
  }

  public boolean hasEncryptionContext() {
    return !fields.encryptionContext.isEmpty();
  }

  /** The layout the encryption secrets were read in, and will be written in. */
  public EncryptionLayout getEncryptionLayout() {
    return fields.encryptionLayout;
  }

  // Secrets: package-private, for tests only.

  String accessKey() {
    return fields.accessKey;
  }

  String secretKey() {
    return fields.secretKey;
  }

  String sessionToken() {
    return fields.sessionToken;
  }

  String encryptionKey() {
    return fields.encryptionKey;
  }

  String encryptionContext() {
    return fields.encryptionContext;
  }

  // ------------------------------------------------------------------------------- text, equality

  /**
   * hadoop-aws's text for these identifiers, e.g.
   * {@code S3ATokenIdentifier{S3ADelegationToken/Session; uri=s3a://bucket;
   * timestamp=1700000000123; renewer=yarn; encryption=(no encryption); <uuid>; <origin>};
   * session credentials, expiry 2023-11-14T23:13:20Z; (valid)}. Never a secret.
   */
  @Override
  public String toString() {
    if (undecodable != null) {
      // as s3adt's Rust Display of a token whose S3A identifier does not decode: no bytes
      return "undecodable S3A identifier " + getKind() + " of " + undecodable.length + " bytes: "
          + escape(undecodableReason, 512);
    }
    return "S3ATokenIdentifier{" + getKind()
        + "; uri=" + fields.uri
        + "; timestamp=" + fields.created
        + "; renewer=" + getRenewer()
        + "; encryption=" + fields.encryptionText()
        + "; " + fields.uuid
        + "; " + fields.origin
        + "}; " + fields.credentialsText();
  }

  /**
   * Text from an identifier for a log line: printable ASCII as it is, backslash and every other
   * character as a Java escape (backslash, u, four hex digits), so no control sequence reaches a
   * terminal; at most {@code max} characters of it, then "...".
   */
  static String escape(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
    for (int i = 0; i < s.length(); i++) {
      if (i == max) {
        return b.append("...").toString();
      }
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        b.append(c);
      } else {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return b.toString();
  }

  /**
   * hadoop-aws's equality: same class, same base fields, same uuid and uri; undecodable ones,
   * same bytes.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || getClass() != o.getClass() || !super.equals(o)) {
      return false;
    }
    S3adtTokenIdentifier that = (S3adtTokenIdentifier) o;
    return fields.uuid.equals(that.fields.uuid) && fields.uri.equals(that.fields.uri)
        && Arrays.equals(undecodable, that.undecodable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), fields.uri);
  }
}
