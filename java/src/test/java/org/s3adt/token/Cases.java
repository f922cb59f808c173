package org.s3adt.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The S3A cases of tests/fixtures/cases.json (shared with the Rust and hadoop-aws sides), with
 * the defaults applied and {"repeat": S, "times": N} strings expanded.
 */
final class Cases {

  /** One S3A token case: every field of the identifier, as cases.json gives it. */
  static final class Case {
    String alias;
    String kind;
    String service;
    String password;
    String owner;
    String renewer;
    String realUser;
    long issueDate;
    long maxDate;
    int sequenceNumber;
    int masterKeyId;
    String uri;
    String origin;
    String uuid;
    long created;
    String algorithm;
    String key;
    String context;
    String accessKey;
    String secretKey;
    String sessionToken;
    String roleArn;
    long expiration;

    /** The secret values, which no text may show (empty ones left out). */
    List<String> secrets() {
      List<String> l = new ArrayList<>();
      for (String s : new String[] {secretKey, sessionToken, key, context}) {
        if (!s.isEmpty()) {
          l.add(s);
        }
      }
      return l;
    }

    @Override
    public String toString() {
      return alias;
    }
  }

  final List<Case> cases;

  private Cases(List<Case> cases) {
    this.cases = Collections.unmodifiableList(cases);
  }

  Case get(String alias) {
    for (Case c : cases) {
      if (c.alias.equals(alias)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no case " + alias);
  }

  static Cases load(Path path) throws IOException {
    String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    Map<String, Object> root = Json.object(Json.parse(text));
    Map<String, Object> d = Json.object(root.get("defaults"));
    List<Case> out = new ArrayList<>();
    for (Object o : Json.array(root.get("cases"))) {
      Map<String, Object> c = Json.object(o);
      Case k = new Case();
      k.alias = str(c.get("alias"));
      k.kind = str(c.get("kind"));
      k.service = str(c.get("service"));
      k.password = str(get(c, d, "password"));
      k.owner = str(get(c, d, "owner"));
      k.renewer = str(get(c, d, "renewer"));
      k.realUser = str(get(c, d, "realUser"));
      k.issueDate = num(get(c, d, "issueDate"));
      k.maxDate = num(get(c, d, "maxDate"));
      k.sequenceNumber = (int) num(get(c, d, "sequenceNumber"));
      k.masterKeyId = (int) num(get(c, d, "masterKeyId"));
      k.uri = str(c.get("uri"));
      k.origin = str(get(c, d, "origin"));
      k.uuid = str(get(c, d, "uuid"));
      k.created = num(get(c, d, "created"));
      k.algorithm = str(sub(c, d, "encryption", "algorithm"));
      k.key = str(sub(c, d, "encryption", "key"));
      k.context = str(sub(c, d, "encryption", "context"));
      k.accessKey = str(sub(c, d, "credentials", "accessKey"));
      k.secretKey = str(sub(c, d, "credentials", "secretKey"));
      k.sessionToken = str(sub(c, d, "credentials", "sessionToken"));
      k.roleArn = str(sub(c, d, "credentials", "roleARN"));
      k.expiration = num(sub(c, d, "credentials", "expiration"));
      out.add(k);
    }
    return new Cases(out);
  }

  private static Object get(Map<String, Object> c, Map<String, Object> d, String key) {
    return c.containsKey(key) ? c.get(key) : d.get(key);
  }

  private static Object sub(Map<String, Object> c, Map<String, Object> d, String obj,
      String key) {
    Object o = c.get(obj);
    if (o != null && Json.object(o).containsKey(key)) {
      return Json.object(o).get(key);
    }
    return Json.object(d.get(obj)).get(key);
  }

  private static String str(Object v) {
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Map) {
      Map<String, Object> m = Json.object(v);
      String unit = (String) m.get("repeat");
      long times = (Long) m.get("times");
      StringBuilder b = new StringBuilder(unit.length() * (int) times);
      for (long i = 0; i < times; i++) {
        b.append(unit);
      }
      return b.toString();
    }
    throw new IllegalArgumentException("not a string in cases.json: " + v);
  }

  private static long num(Object v) {
    return (Long) v;
  }
}
