package org.s3adt.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.s3adt.testsupport.Cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Reads s3adt's files ({@code $DIR/rust/<layout>/tokens.writable}, {@code tokens.protobuf},
 * {@code urls.json}, layout = the one this hadoop-aws writes) with hadoop-common and
 * hadoop-aws, and checks, for every case this version supports:
 * <ul>
 *   <li>the alias is present; kind, service and password are equal; {@code decodeIdentifier()}
 *       returns exactly hadoop-aws's class for the kind; every getter equals the case;
 *       {@code validate()} passes; hadoop-aws re-encodes the decoded identifier to the same
 *       bytes;</li>
 *   <li>the identifier bytes equal the ones hadoop-aws wrote for the same case (first
 *       differing offset and field reported otherwise);</li>
 *   <li>{@code decodeFromUrlString(urls[alias])} equals the file's token and
 *       {@code encodeToUrlString()} gives back the same string;</li>
 *   <li>the non-S3A token's base fields and the secret-key map are equal;</li>
 *   <li>whole files are byte-identical to the ones hadoop-common writes for the same entries
 *       inserted in the same order (HashMap iteration order), and to Java re-writing s3adt's
 *       file after reading it.</li>
 * </ul>
 * Cases this version cannot build (e.g. an algorithm it does not know) must be present in
 * s3adt's file and fail to decode with the same error Java's writer got. A missing
 * {@code $DIR/rust/<layout>} fails the class.
 */
@Order(2)
class ReadRustFixturesTest {

  static final String[] FILES = {"tokens.writable", "tokens.protobuf"};

  static JavaFixtures java;
  static Cases cases;
  static Path rust;
  static final Map<String, byte[]> bytes = new LinkedHashMap<>();
  static final Map<String, Credentials> read = new LinkedHashMap<>();
  static JsonNode urls;

  @BeforeAll
  static void readRustFiles() throws Exception {
    java = JavaFixtures.get();
    cases = Env.cases();
    rust = Env.rustFixtures(java);
    for (String name : FILES) {
      Path p = rust.resolve(name);
      assertTrue(Files.isRegularFile(p), p + " missing");
      bytes.put(name, Files.readAllBytes(p));
      read.put(name, Credentials.readTokenStorageFile(p.toFile(), Env.conf()));
    }
    urls = new ObjectMapper().readTree(rust.resolve("urls.json").toFile());
  }

  private static String ctx(String name, String alias) {
    return "hadoop " + java.version + " reading rust/" + java.layout + "/" + name + " " + alias;
  }

  @TestFactory
  List<DynamicTest> s3aCasesFieldForField() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : FILES) {
      for (Cases.Case c : cases.cases) {
        String ctx = ctx(name, c.alias);
        if (java.skipped.containsKey(c.alias)) {
          tests.add(dynamicTest(name + " " + c.alias + " (unsupported here)", () -> {
            Token<? extends TokenIdentifier> t = Checks.token(read.get(name), c.alias, ctx);
            Exception e = assertThrows(Exception.class, t::decodeIdentifier,
                ctx + ": a case this version cannot write must not decode either");
            String reason = e.getClass().getName() + ": " + e.getMessage();
            assertEquals(java.skipped.get(c.alias), reason,
                ctx + ": decoding fails the way Java's writer failed");
          }));
          continue;
        }
        tests.add(dynamicTest(name + " " + c.alias, () -> Checks.s3a(ctx,
            Checks.token(read.get(name), c.alias, ctx), c, java.contextDropped.contains(c.alias))));
      }
      for (Cases.Base b : cases.others) {
        tests.add(dynamicTest(name + " " + b.alias, () -> Checks.other(ctx(name, b.alias),
            Checks.token(read.get(name), b.alias, ctx(name, b.alias)), b)));
      }
      tests.add(dynamicTest(name + " secrets", () ->
          Checks.secrets(ctx(name, "secrets"), read.get(name), cases.secrets)));
      tests.add(dynamicTest(name + " holds every case", () -> {
        int all = cases.cases.size() + cases.others.size();
        assertEquals(all, read.get(name).numberOfTokens(), ctx(name, "") + ": number of tokens");
      }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> identifierBytesEqualHadoopAws() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String alias : java.written) {
      boolean s3a = !isOther(alias);
      tests.add(dynamicTest(alias, () -> {
        for (String name : FILES) {
          Token<? extends TokenIdentifier> t = Checks.token(read.get(name), alias, ctx(name, alias));
          Checks.sameIdentifier(ctx(name, alias), java.tokens.get(alias).getIdentifier(),
              t.getIdentifier(), s3a, java.layout);
          assertEquals(java.tokens.get(alias), t, ctx(name, alias) + ": whole Token equals");
        }
      }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> urlStrings() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String alias : java.written) {
      tests.add(dynamicTest(alias, () -> {
        JsonNode u = urls.get(alias);
        assertNotNull(u, "urls.json has no " + alias);
        Token<TokenIdentifier> decoded = new Token<>();
        decoded.decodeFromUrlString(u.asText());
        for (String name : FILES) {
          assertEquals(read.get(name).getToken(new Text(alias)), decoded,
              ctx(name, alias) + ": decodeFromUrlString(urls.json) equals the file's token");
        }
        assertEquals(u.asText(), decoded.encodeToUrlString(),
            alias + ": encodeToUrlString() reproduces s3adt's string");
        assertEquals(java.tokens.get(alias).encodeToUrlString(), u.asText(),
            alias + ": s3adt's URL string equals hadoop-aws's for the same case");
      }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> wholeFiles() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : FILES) {
      Credentials.SerializedFormat format = name.endsWith("writable")
          ? Credentials.SerializedFormat.WRITABLE : Credentials.SerializedFormat.PROTOBUF;
      tests.add(dynamicTest(name + " equals hadoop-common's file for the same entries", () -> {
        byte[] want = java.skipped.isEmpty() ? (format == Credentials.SerializedFormat.WRITABLE
            ? java.writableFile : java.protobufFile) : javaFileWithRustTokensForSkipped(name, format);
        sameFile(name, want, bytes.get(name));
      }));
      tests.add(dynamicTest(name + " equals Java re-writing it after reading it", () -> {
        byte[] again = JavaFixtures.serialize(read.get(name), format);
        sameFile(name + " (re-written by Java)", again, bytes.get(name));
      }));
      tests.add(dynamicTest(name + " reads the same through readTokenStorageStream", () -> {
        Credentials viaStream = new Credentials();
        viaStream.readTokenStorageStream(
            new DataInputStream(new ByteArrayInputStream(bytes.get(name))));
        assertEquals(read.get(name).getTokenMap(), viaStream.getTokenMap());
        assertEquals(read.get(name).numberOfSecretKeys(), viaStream.numberOfSecretKeys());
      }));
    }
    return tests;
  }

  /**
   * hadoop-common's file for all entries in cases.json order, where cases this version cannot
   * build are taken as s3adt wrote them (so the framing and the order are still compared).
   */
  private static byte[] javaFileWithRustTokensForSkipped(String name,
      Credentials.SerializedFormat format) throws Exception {
    Credentials c = new Credentials();
    for (Cases.Case k : cases.cases) {
      Text alias = new Text(k.alias);
      c.addToken(alias, java.skipped.containsKey(k.alias)
          ? read.get(name).getToken(alias) : java.tokens.get(k.alias));
    }
    for (Cases.Base b : cases.others) {
      c.addToken(new Text(b.alias), java.tokens.get(b.alias));
    }
    for (Cases.Secret s : cases.secrets) {
      c.addSecretKey(new Text(s.alias), s.value.clone());
    }
    return JavaFixtures.serialize(c, format);
  }

  private static void sameFile(String what, byte[] java, byte[] rust) throws Exception {
    int off = Bytes.firstDiff(java, rust);
    if (off < 0) {
      return;
    }
    fail("hadoop " + ReadRustFixturesTest.java.version + ": " + what
        + " differs from Java's at offset " + off + ": java " + FileLayout.describe(java, off)
        + " / rust " + FileLayout.describe(rust, off) + "; " + Bytes.window(java, rust, off)
        + "; order java " + FileLayout.order(java) + " rust " + FileLayout.order(rust));
  }

  private static boolean isOther(String alias) {
    return cases.others.stream().anyMatch(b -> b.alias.equals(alias));
  }
}
