package org.s3adt.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.s3a.auth.MarshalledCredentials;
import org.apache.hadoop.fs.s3a.auth.delegation.AbstractS3ATokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.EncryptionSecrets;
import org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.s3adt.testsupport.Cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Findings, not conformance: what this hadoop-aws does with s3adt's files in the encryption
 * layouts it does NOT write ({@code v1}, {@code v1ctx}, {@code v2} minus its own). For every
 * S3A case: the exception {@code decodeIdentifier()} throws, or which getters come back
 * different from the case (with a preview of the misread value), and whether
 * {@code validate()} still passes.
 *
 * <p>The observation is written to {@code $DIR/java-<version>/cross-layout.json}, summarised
 * on stdout, and compared with the recorded one in
 * {@code src/test/resources/cross-layout/<version>.json}, so that a change in behaviour (of
 * s3adt's bytes or of Hadoop) is noticed. Decoding is a pure function of the bytes, so the
 * observation is deterministic; first checked by decoding twice. Re-record with
 * {@code -Ds3adt.interop.recordCrossLayout=true}.
 */
@Order(4)
class CrossLayoutProbeTest {

  static final String[] LAYOUTS = {"v1", "v1ctx", "v2"};

  static JavaFixtures java;
  static Cases cases;

  @BeforeAll
  static void setUp() throws Exception {
    java = JavaFixtures.get();
    cases = Env.cases();
  }

  @Test
  void otherLayoutsBehaveAsRecorded() throws Exception {
    Map<String, Object> probes = new LinkedHashMap<>();
    for (String layout : LAYOUTS) {
      if (layout.equals(java.layout)) {
        continue;
      }
      Path dir = Env.rustDir(layout);
      if (!Files.isDirectory(dir)) {
        fail(dir + " does not exist: s3adt's fixture writer writes all three layouts");
      }
      Map<String, Object> first = probe(dir);
      assertEquals(first, probe(dir), layout + ": decoding is deterministic");
      probes.put(layout, first);
    }
    Map<String, Object> observed = new LinkedHashMap<>();
    observed.put("hadoopVersion", java.version);
    observed.put("ownLayout", java.layout);
    observed.put("probes", probes);

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    json.writeValue(java.dir.resolve("cross-layout.json").toFile(), observed);
    summarise(probes);

    Path recorded = Env.resources().resolve("cross-layout").resolve(java.version + ".json");
    if (Env.recordCrossLayout()) {
      Files.createDirectories(recorded.getParent());
      json.writeValue(recorded.toFile(), observed);
      System.out.println("recorded " + recorded);
    }
    assertTrue(Files.isRegularFile(recorded), "no recorded observation " + recorded
        + "; inspect " + java.dir.resolve("cross-layout.json") + " and re-run with"
        + " -Ds3adt.interop.recordCrossLayout=true");
    JsonNode want = json.readTree(recorded.toFile());
    JsonNode got = json.valueToTree(observed);
    if (!want.equals(got)) {
      List<String> diffs = new ArrayList<>();
      diff("", want, got, diffs);
      fail("cross-layout behaviour changed for hadoop " + java.version + " (recorded "
          + recorded + ", observed " + java.dir.resolve("cross-layout.json") + "):\n  "
          + String.join("\n  ", diffs));
    }
  }

  /** alias -> observation, for the writable file (the protobuf one holds the same tokens). */
  private Map<String, Object> probe(Path dir) throws Exception {
    Credentials w = Credentials.readTokenStorageFile(dir.resolve("tokens.writable").toFile(),
        Env.conf());
    Credentials p = Credentials.readTokenStorageFile(dir.resolve("tokens.protobuf").toFile(),
        Env.conf());
    assertEquals(w.getTokenMap(), p.getTokenMap(), dir + ": both files hold the same tokens");
    Map<String, Object> out = new LinkedHashMap<>();
    for (Cases.Case c : cases.cases) {
      Token<? extends TokenIdentifier> t = w.getToken(new Text(c.alias));
      out.put(c.alias, t == null ? "missing from file" : observe(t, c));
    }
    return out;
  }

  private Object observe(Token<? extends TokenIdentifier> t, Cases.Case c) {
    TokenIdentifier decoded;
    try {
      decoded = t.decodeIdentifier();
    } catch (Exception | Error e) {
      return "throws " + e.getClass().getName() + ": " + Bytes.preview(e.getMessage());
    }
    if (decoded == null) {
      return "decodeIdentifier() returned null";
    }
    Map<String, Object> o = new LinkedHashMap<>();
    if (decoded.getClass() != HadoopAws.classFor(c.kind)) {
      o.put("class", decoded.getClass().getName());
    }
    AbstractS3ATokenIdentifier id = (AbstractS3ATokenIdentifier) decoded;
    Map<String, String> misread = new LinkedHashMap<>();
    cmp(misread, "owner", c.owner, id.getOwner().toString());
    cmp(misread, "renewer", c.renewer, id.getRenewer().toString());
    cmp(misread, "realUser", c.realUser, id.getRealUser().toString());
    cmp(misread, "issueDate", c.issueDate, id.getIssueDate());
    cmp(misread, "maxDate", c.maxDate, id.getMaxDate());
    cmp(misread, "sequenceNumber", c.sequenceNumber, id.getSequenceNumber());
    cmp(misread, "masterKeyId", c.masterKeyId, id.getMasterKeyId());
    cmp(misread, "uri", c.uri, String.valueOf(id.getUri()));
    cmp(misread, "origin", c.origin, id.getOrigin());
    cmp(misread, "uuid", c.uuid, id.getUuid());
    EncryptionSecrets es = id.getEncryptionSecrets();
    cmp(misread, "encryption.algorithm", c.algorithm, es.getEncryptionAlgorithm());
    cmp(misread, "encryption.key", c.key, es.getEncryptionKey());
    String context = HadoopAws.encryptionContext(es);
    if (context != null) {
      cmp(misread, "encryption.context", c.context, context);
    }
    cmp(misread, "created", c.created, id.getCreated());
    MarshalledCredentials mc = ((SessionTokenIdentifier) id).getMarshalledCredentials();
    cmp(misread, "accessKey", c.accessKey, mc.getAccessKey());
    cmp(misread, "secretKey", c.secretKey, mc.getSecretKey());
    cmp(misread, "sessionToken", c.sessionToken, mc.getSessionToken());
    cmp(misread, "roleARN", c.roleArn, mc.getRoleARN());
    cmp(misread, "expiration", c.expiration, mc.getExpiration());
    o.put("decodes", misread.isEmpty() ? "all fields equal" : "fields misread");
    if (!misread.isEmpty()) {
      o.put("misread", misread);
    }
    try {
      id.validate();
      o.put("validate", "passes");
    } catch (Exception e) {
      o.put("validate", "throws " + e.getClass().getName() + ": " + e.getMessage());
    }
    return o;
  }

  private static void cmp(Map<String, String> misread, String field, Object want, Object got) {
    if (!want.equals(got)) {
      misread.put(field, "got " + preview(String.valueOf(got)));
    }
  }

  /** Short, printable-ASCII preview of a (possibly garbage) value. */
  private static String preview(String s) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(s.length(), 40);
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch >= 0x20 && ch < 0x7f) {
        sb.append(ch);
      } else {
        sb.append(String.format("\\u%04x", (int) ch));
      }
    }
    if (s.length() > n) {
      sb.append("...(").append(s.length()).append(" chars)");
    }
    return "<" + sb + ">";
  }

  @SuppressWarnings("unchecked")
  private void summarise(Map<String, Object> probes) {
    for (Map.Entry<String, Object> l : probes.entrySet()) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (Map.Entry<String, Object> a : ((Map<String, Object>) l.getValue()).entrySet()) {
        String kind;
        if (a.getValue() instanceof String) {
          kind = (String) a.getValue();
        } else {
          Map<String, Object> o = (Map<String, Object>) a.getValue();
          kind = "decodes, " + o.get("decodes")
              + (o.containsKey("misread") ? " " + ((Map<String, String>) o.get("misread")).keySet()
              : "") + ", validate " + o.get("validate");
        }
        counts.merge(kind, 1, Integer::sum);
      }
      counts.forEach((k, n) -> System.out.println("hadoop " + java.version + " (" + java.layout
          + ") reading rust/" + l.getKey() + ": " + n + " case(s): " + k));
    }
  }

  private static void diff(String path, JsonNode want, JsonNode got, List<String> out) {
    if (want.equals(got)) {
      return;
    }
    if (want.isObject() && got.isObject()) {
      want.fieldNames().forEachRemaining(f -> {
        if (!got.has(f)) {
          out.add(path + "/" + f + ": recorded " + want.get(f) + ", now absent");
        } else {
          diff(path + "/" + f, want.get(f), got.get(f), out);
        }
      });
      got.fieldNames().forEachRemaining(f -> {
        if (!want.has(f)) {
          out.add(path + "/" + f + ": new " + got.get(f));
        }
      });
      return;
    }
    out.add(path + ": recorded " + want + ", now " + got);
  }
}
