package org.s3adt.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.s3a.auth.delegation.AbstractS3ATokenIdentifier;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.web.DelegationTokenIdentifier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.s3adt.testsupport.Cases;

/**
 * The Java fixtures for the Hadoop version on the classpath: every case of cases.json built
 * with hadoop-aws's own classes (see {@link HadoopAws}), put into one {@link Credentials}
 * in cases.json order (S3A cases, then otherTokens, then secrets; the same insertion order
 * the Rust writer uses, so both HashMaps iterate alike), and written to
 * {@code $DIR/java-<version>/}: {@code tokens.writable}, {@code tokens.protobuf},
 * {@code manifest.json}.
 *
 * <p>Built once per JVM on first use, so the test classes that compare against it do not
 * depend on running after {@link WriteJavaFixturesTest}.
 */
final class JavaFixtures {

  final String version;
  final String layout;
  /** Tokens written, by alias, in insertion order. */
  final Map<String, Token<TokenIdentifier>> tokens = new LinkedHashMap<>();
  /** Identifiers built, by alias (S3A ones are hadoop-aws classes). */
  final Map<String, TokenIdentifier> identifiers = new LinkedHashMap<>();
  final List<String> written = new ArrayList<>();
  final Map<String, String> skipped = new LinkedHashMap<>();
  final List<String> contextDropped = new ArrayList<>();
  final Credentials credentials = new Credentials();
  byte[] writableFile;
  byte[] protobufFile;
  Path dir;

  private static JavaFixtures instance;

  private JavaFixtures(String version, String layout) {
    this.version = version;
    this.layout = layout;
  }

  static synchronized JavaFixtures get() throws Exception {
    if (instance == null) {
      JavaFixtures f = new JavaFixtures(Env.version(), HadoopAws.encryptionLayout());
      f.build(Env.cases());
      f.write();
      instance = f;
    }
    return instance;
  }

  private void build(Cases cases) throws IOException {
    for (Cases.Case c : cases.cases) {
      AbstractS3ATokenIdentifier id;
      try {
        id = HadoopAws.build(c);
      } catch (IOException | RuntimeException e) {
        skipped.put(c.alias, e.getClass().getName() + ": " + e.getMessage());
        continue;
      }
      Token<TokenIdentifier> token;
      try {
        token = HadoopAws.token(id, c);
      } catch (IOException | RuntimeException e) {
        skipped.put(c.alias, e.getClass().getName() + ": " + e.getMessage());
        continue;
      }
      if (c.hasContext() && !HadoopAws.supportsContext()) {
        contextDropped.add(c.alias);
      }
      add(c.alias, id, token);
    }
    for (Cases.Base b : cases.others) {
      DelegationTokenIdentifier id = HadoopAws.buildOther(b);
      add(b.alias, id, HadoopAws.token(id, b));
    }
    for (Cases.Secret s : cases.secrets) {
      credentials.addSecretKey(new Text(s.alias), s.value.clone());
    }
  }

  private void add(String alias, TokenIdentifier id, Token<TokenIdentifier> token) {
    identifiers.put(alias, id);
    tokens.put(alias, token);
    written.add(alias);
    credentials.addToken(new Text(alias), token);
  }

  static byte[] serialize(Credentials creds, Credentials.SerializedFormat format)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      creds.writeTokenStorageToStream(out, format);
    }
    return bytes.toByteArray();
  }

  static Credentials deserialize(byte[] file) throws IOException {
    Credentials c = new Credentials();
    c.readTokenStorageStream(new DataInputStream(new ByteArrayInputStream(file)));
    return c;
  }

  private void write() throws Exception {
    dir = Env.javaDir();
    writableFile = serialize(credentials, Credentials.SerializedFormat.WRITABLE);
    protobufFile = serialize(credentials, Credentials.SerializedFormat.PROTOBUF);
    Files.write(dir.resolve("tokens.writable"), writableFile);
    Files.write(dir.resolve("tokens.protobuf"), protobufFile);

    Map<String, String> urls = new LinkedHashMap<>();
    Map<String, String> idToString = new LinkedHashMap<>();
    Map<String, String> tokenToString = new LinkedHashMap<>();
    Map<String, String> idHex = new LinkedHashMap<>();
    for (Map.Entry<String, Token<TokenIdentifier>> e : tokens.entrySet()) {
      Token<TokenIdentifier> t = e.getValue();
      urls.put(e.getKey(), t.encodeToUrlString());
      idToString.put(e.getKey(), decodeForDisplay(t).toString());
      tokenToString.put(e.getKey(), t.toString());
      idHex.put(e.getKey(), Bytes.hex(t.getIdentifier()));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hadoopVersion", HadoopAws.hadoopVersion());
    m.put("encryptionLayout", layout);
    m.put("written", written);
    m.put("skipped", skipped);
    m.put("contextDropped", contextDropped);
    m.put("urls", urls);
    m.put("identifierToString", idToString);
    m.put("tokenToString", tokenToString);
    m.put("identifierHex", idHex);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("manifest.json").toFile(), m);
  }

  /**
   * The identifier as Hadoop decodes it: {@code decodeIdentifier()} for registered kinds
   * (the S3A ones), else the bytes read as hadoop-common's base delegation identifier.
   */
  static TokenIdentifier decodeForDisplay(Token<?> t) throws IOException {
    TokenIdentifier id = t.decodeIdentifier();
    if (id != null) {
      return id;
    }
    return decodeBase(t);
  }

  /** Identifier bytes read as the base AbstractDelegationTokenIdentifier fields only. */
  static DelegationTokenIdentifier decodeBase(Token<?> t) throws IOException {
    DelegationTokenIdentifier base = new DelegationTokenIdentifier(t.getKind());
    base.readFields(new DataInputStream(new ByteArrayInputStream(t.getIdentifier())));
    return base;
  }
}
