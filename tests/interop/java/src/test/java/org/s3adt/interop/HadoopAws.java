package org.s3adt.interop;

import org.apache.hadoop.fs.s3a.auth.MarshalledCredentials;
import org.apache.hadoop.fs.s3a.auth.delegation.AbstractS3ATokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.EncryptionSecrets;
import org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.apache.hadoop.security.token.delegation.web.DelegationTokenIdentifier;
import org.apache.hadoop.util.VersionInfo;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.s3adt.interop.FileLayout.Part;
import org.s3adt.testsupport.Cases;

/**
 * Builds and inspects tokens with hadoop-aws's and hadoop-common's own classes.
 *
 * <p>Identifiers are created through their public constructors, then every field is forced to
 * the case's value: public setters where they exist, reflection for the private fields
 * ({@code uuid}, {@code created}) that only constructors set. Each forced value is read back
 * through its getter, so a setter that normalises its input (e.g. {@code setRenewer}'s
 * Kerberos short-name mapping) is noticed instead of silently changing the bytes.
 *
 * <p>The encryption layout of the running hadoop-aws is detected from the bytes its own
 * {@link EncryptionSecrets#write} produces, not assumed from the version number.
 */
final class HadoopAws {

  static final String SESSION = "S3ADelegationToken/Session";
  static final String ROLE = "S3ADelegationToken/Role";
  static final String FULL = "S3ADelegationToken/Full";

  static final long UID_V1 = 1208329045511296375L;
  static final long UID_V2 = 8834417969966697162L;

  private HadoopAws() {
  }

  /** Version string baked into the hadoop-common jar on the classpath. */
  static String hadoopVersion() {
    return VersionInfo.getVersion();
  }

  /** The class hadoop-aws decodes a kind into (what decodeIdentifier must return exactly). */
  static Class<? extends AbstractS3ATokenIdentifier> classFor(String kind) {
    switch (kind) {
      case SESSION: return SessionTokenIdentifier.class;
      case ROLE: return RoleTokenIdentifier.class;
      case FULL: return FullCredentialsTokenIdentifier.class;
      default: throw new IllegalArgumentException("not an S3A kind: " + kind);
    }
  }

  // ---------------------------------------------------------------- encryption layout

  /**
   * "v1" (UID 1, algorithm + key), "v1ctx" (UID 1, algorithm + key + context) or "v2"
   * (UID 2, three strings), from what this hadoop-aws's EncryptionSecrets actually writes.
   */
  static String encryptionLayout() throws IOException {
    byte[] b = writable(EncryptionSecretsCompat.create("AES256", "k", ""));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
    long uid = in.readLong();
    int strings = 0;
    while (in.available() > 0) {
      Text.readString(in);
      strings++;
    }
    if (uid == UID_V1 && strings == 2) {
      return "v1";
    }
    if (uid == UID_V1 && strings == 3) {
      return "v1ctx";
    }
    if (uid == UID_V2 && strings == 3) {
      return "v2";
    }
    throw new IllegalStateException("unrecognised EncryptionSecrets layout: uid=" + uid
        + " strings=" + strings + " bytes=" + Bytes.hex(b));
  }

  /** Whether this version's EncryptionSecrets can carry an encryption context at all. */
  static boolean supportsContext() {
    return EncryptionSecretsCompat.supportsContext();
  }

  /** getEncryptionContext() where it exists; null for versions without one. */
  static String encryptionContext(EncryptionSecrets s) {
    return EncryptionSecretsCompat.context(s);
  }

  /**
   * The case's EncryptionSecrets. A version without a context gets (algorithm, key); the
   * caller records the case as contextDropped if the case had a context.
   * Throws hadoop-aws's own exception for an algorithm the version does not know.
   */
  static EncryptionSecrets encryption(Cases.Case c) throws IOException {
    return EncryptionSecretsCompat.create(c.algorithm, c.key, c.context);
  }

  // ---------------------------------------------------------------- building identifiers

  /** A hadoop-aws identifier for the case, every field forced to the case's value. */
  static AbstractS3ATokenIdentifier build(Cases.Case c) throws IOException {
    EncryptionSecrets secrets = encryption(c);
    MarshalledCredentials creds = new MarshalledCredentials();
    creds.setAccessKey(c.accessKey);
    creds.setSecretKey(c.secretKey);
    creds.setSessionToken(c.sessionToken);
    creds.setRoleARN(c.roleArn);
    creds.setExpiration(c.expiration);
    URI uri = URI.create(c.uri);
    Text owner = new Text(c.owner);
    Text renewer = new Text(c.renewer);
    AbstractS3ATokenIdentifier id;
    switch (c.kind) {
      case SESSION:
        id = new SessionTokenIdentifier(new Text(SESSION), owner, renewer, uri, creds, secrets,
            c.origin);
        break;
      case ROLE:
        id = new RoleTokenIdentifier(uri, owner, renewer, creds, secrets, c.origin);
        break;
      case FULL:
        id = new FullCredentialsTokenIdentifier(uri, owner, renewer, creds, secrets, c.origin);
        break;
      default:
        throw new IllegalArgumentException(c.alias + ": not an S3A kind: " + c.kind);
    }
    forceBase(id, c);
    id.setOrigin(c.origin);
    setPrivate(id, AbstractS3ATokenIdentifier.class, "uuid", c.uuid);
    setPrivate(id, AbstractS3ATokenIdentifier.class, "created", c.created);
    check(c.alias, "kind", c.kind, id.getKind().toString());
    check(c.alias, "uri", c.uri, id.getUri().toString());
    check(c.alias, "origin", c.origin, id.getOrigin());
    check(c.alias, "uuid", c.uuid, id.getUuid());
    check(c.alias, "created", c.created, id.getCreated());
    check(c.alias, "credentials", creds, ((SessionTokenIdentifier) id).getMarshalledCredentials());
    check(c.alias, "encryption", secrets, id.getEncryptionSecrets());
    return id;
  }

  /** hadoop-common's web DelegationTokenIdentifier for a non-S3A token (base fields only). */
  static DelegationTokenIdentifier buildOther(Cases.Base b) {
    DelegationTokenIdentifier id = new DelegationTokenIdentifier(new Text(b.kind),
        new Text(b.owner), new Text(b.renewer), new Text(b.realUser));
    forceBase(id, b);
    return id;
  }

  private static void forceBase(AbstractDelegationTokenIdentifier id, Cases.Base b) {
    id.setOwner(new Text(b.owner));
    id.setRenewer(new Text(b.renewer));
    id.setRealUser(new Text(b.realUser));
    id.setIssueDate(b.issueDate);
    id.setMaxDate(b.maxDate);
    id.setSequenceNumber(b.sequenceNumber);
    id.setMasterKeyId(b.masterKeyId);
    check(b.alias, "owner", b.owner, id.getOwner().toString());
    check(b.alias, "renewer", b.renewer, id.getRenewer().toString());
    check(b.alias, "realUser", b.realUser, id.getRealUser().toString());
    check(b.alias, "issueDate", b.issueDate, id.getIssueDate());
    check(b.alias, "maxDate", b.maxDate, id.getMaxDate());
    check(b.alias, "sequenceNumber", b.sequenceNumber, id.getSequenceNumber());
    check(b.alias, "masterKeyId", b.masterKeyId, id.getMasterKeyId());
  }

  /** The Token as hadoop-common builds it from identifier bytes, password, kind, service. */
  static Token<TokenIdentifier> token(TokenIdentifier id, Cases.Base b) throws IOException {
    return new Token<>(writable(id), b.passwordBytes(), new Text(b.kind), new Text(b.service));
  }

  static byte[] writable(org.apache.hadoop.io.Writable w) throws IOException {
    DataOutputBuffer out = new DataOutputBuffer();
    w.write(out);
    byte[] b = new byte[out.getLength()];
    System.arraycopy(out.getData(), 0, b, 0, b.length);
    return b;
  }

  private static void setPrivate(Object target, Class<?> owner, String name, Object value) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      f.set(target, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot set " + owner.getSimpleName() + "." + name, e);
    }
  }

  private static void check(String alias, String field, Object want, Object got) {
    if (!want.equals(got)) {
      throw new IllegalStateException(alias + ": forcing " + field + " did not stick: want <"
          + Bytes.preview(String.valueOf(want)) + "> got <" + Bytes.preview(String.valueOf(got))
          + ">");
    }
  }

  // ---------------------------------------------------------------- diagnostics

  /**
   * Splits identifier bytes into named fields following the documented wire layout (base
   * fields, then for S3A kinds uri, origin, uuid, encryption secrets in {@code layout},
   * created, credentials). Used only to name the field at a differing offset; stops quietly
   * at the first field it cannot parse.
   */
  static List<Part> spans(byte[] id, boolean s3a, String layout) {
    List<Part> out = new ArrayList<>();
    Cursor c = new Cursor(id);
    try {
      c.fixed(out, "version", 1);
      c.text(out, "owner");
      c.text(out, "renewer");
      c.text(out, "realUser");
      c.vint(out, "issueDate");
      c.vint(out, "maxDate");
      c.vint(out, "sequenceNumber");
      c.vint(out, "masterKeyId");
      if (!s3a) {
        return out;
      }
      c.text(out, "uri");
      c.text(out, "origin");
      c.text(out, "uuid");
      c.fixed(out, "encryption.uid", 8);
      c.text(out, "encryption.algorithm");
      c.text(out, "encryption.key");
      if (!layout.equals("v1")) {
        c.text(out, "encryption.context");
      }
      c.fixed(out, "created", 8);
      c.text(out, "accessKey");
      c.text(out, "secretKey");
      c.text(out, "sessionToken");
      c.text(out, "roleARN");
      c.fixed(out, "expiration", 8);
      if (c.pos < id.length) {
        out.add(new Part("(trailing bytes)", c.pos, id.length));
      }
    } catch (IOException | RuntimeException e) {
      out.add(new Part("(unparseable from here: " + e.getMessage() + ")", c.pos, id.length));
    }
    return out;
  }

  /** Name of the field holding byte {@code offset}, with the offset inside that field. */
  static String fieldAt(List<Part> spans, int offset) {
    Part s = Part.at(spans, offset);
    return s == null ? "(past the end of the parsed fields)"
        : s.name + " (field bytes " + s.start + ".." + s.end + ", +" + (offset - s.start)
            + " into it)";
  }

  private static final class Cursor {
    final byte[] b;
    int pos;

    Cursor(byte[] b) {
      this.b = b;
    }

    private DataInputStream at() {
      return new DataInputStream(new ByteArrayInputStream(b, pos, b.length - pos));
    }

    void fixed(List<Part> out, String name, int n) throws IOException {
      if (pos + n > b.length) {
        throw new IOException("short " + name);
      }
      out.add(new Part(name, pos, pos + n));
      pos += n;
    }

    void vint(List<Part> out, String name) throws IOException {
      int n = WritableUtils.decodeVIntSize(b[pos]);
      fixed(out, name, n);
    }

    void text(List<Part> out, String name) throws IOException {
      int start = pos;
      int hdr = WritableUtils.decodeVIntSize(b[pos]);
      long len = WritableUtils.readVLong(at());
      if (len < 0 || start + hdr + len > b.length) {
        throw new IOException("bad length " + len + " for " + name);
      }
      pos = start + hdr + (int) len;
      out.add(new Part(name, start, pos));
    }
  }
}
