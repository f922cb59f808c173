package org.s3adt.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * The token cases of {@code tests/fixtures/cases.json}, the contract shared with the Rust side.
 *
 * <p>Each case's missing fields come from {@code defaults} (one level deep for the
 * {@code encryption} and {@code credentials} objects); a string may be written as
 * {@code {"repeat": S, "times": N}}; {@code password} is the UTF-8 bytes of its string;
 * secret values are base64 of raw bytes. Nothing here touches Hadoop.
 */
final class Cases {

  /** Base AbstractDelegationTokenIdentifier fields, shared by S3A and non-S3A tokens. */
  static class Base {
    String alias;
    String kind;
    String service;
    byte[] password;
    String owner;
    String renewer;
    String realUser;
    long issueDate;
    long maxDate;
    int sequenceNumber;
    int masterKeyId;
  }

  /** One S3A token case. */
  static final class S3ACase extends Base {
    String uri;
    String origin;
    String uuid;
    long created;
    String encAlgorithm;
    String encKey;
    String encContext;
    String accessKey;
    String secretKey;
    String sessionToken;
    String roleARN;
    long expiration;

    boolean hasContext() {
      return !encContext.isEmpty();
    }
  }

  /** A secret-key-map entry. */
  static final class Secret {
    String alias;
    byte[] value;
  }

  final List<S3ACase> cases;
  final List<Base> others;
  final List<Secret> secrets;

  private Cases(List<S3ACase> cases, List<Base> others, List<Secret> secrets) {
    this.cases = Collections.unmodifiableList(cases);
    this.others = Collections.unmodifiableList(others);
    this.secrets = Collections.unmodifiableList(secrets);
  }

  static Cases load(Path path) throws IOException {
    JsonNode root = new ObjectMapper().readTree(path.toFile());
    JsonNode d = root.get("defaults");
    List<S3ACase> cases = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      S3ACase k = new S3ACase();
      base(k, c, d);
      k.uri = string(c.get("uri"));
      k.origin = string(get(c, d, "origin"));
      k.uuid = string(get(c, d, "uuid"));
      k.created = get(c, d, "created").asLong();
      k.encAlgorithm = string(sub(c, d, "encryption", "algorithm"));
      k.encKey = string(sub(c, d, "encryption", "key"));
      k.encContext = string(sub(c, d, "encryption", "context"));
      k.accessKey = string(sub(c, d, "credentials", "accessKey"));
      k.secretKey = string(sub(c, d, "credentials", "secretKey"));
      k.sessionToken = string(sub(c, d, "credentials", "sessionToken"));
      k.roleARN = string(sub(c, d, "credentials", "roleARN"));
      k.expiration = sub(c, d, "credentials", "expiration").asLong();
      cases.add(k);
    }
    List<Base> others = new ArrayList<>();
    for (JsonNode c : root.get("otherTokens")) {
      Base b = new Base();
      base(b, c, d);
      others.add(b);
    }
    List<Secret> secrets = new ArrayList<>();
    for (JsonNode s : root.get("secrets")) {
      Secret x = new Secret();
      x.alias = string(s.get("alias"));
      x.value = Base64.getDecoder().decode(string(s.get("value")));
      secrets.add(x);
    }
    return new Cases(cases, others, secrets);
  }

  private static void base(Base b, JsonNode c, JsonNode d) {
    b.alias = string(c.get("alias"));
    b.kind = string(c.get("kind"));
    b.service = string(c.get("service"));
    b.password = string(get(c, d, "password")).getBytes(StandardCharsets.UTF_8);
    b.owner = string(get(c, d, "owner"));
    b.renewer = string(get(c, d, "renewer"));
    b.realUser = string(get(c, d, "realUser"));
    b.issueDate = get(c, d, "issueDate").asLong();
    b.maxDate = get(c, d, "maxDate").asLong();
    b.sequenceNumber = Math.toIntExact(get(c, d, "sequenceNumber").asLong());
    b.masterKeyId = Math.toIntExact(get(c, d, "masterKeyId").asLong());
  }

  private static JsonNode get(JsonNode c, JsonNode d, String key) {
    JsonNode v = c.has(key) ? c.get(key) : d.get(key);
    if (v == null) {
      throw new IllegalArgumentException("cases.json: no value or default for " + key);
    }
    return v;
  }

  private static JsonNode sub(JsonNode c, JsonNode d, String obj, String key) {
    JsonNode o = c.get(obj);
    if (o != null && o.has(key)) {
      return o.get(key);
    }
    return d.get(obj).get(key);
  }

  static String string(JsonNode v) {
    if (v == null) {
      throw new IllegalArgumentException("cases.json: missing string");
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isObject() && v.has("repeat") && v.has("times")) {
      return v.get("repeat").asText().repeat(v.get("times").asInt());
    }
    throw new IllegalArgumentException("cases.json: not a string: " + v);
  }
}
