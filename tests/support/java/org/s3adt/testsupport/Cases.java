package org.s3adt.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The token cases of {@code tests/fixtures/cases.json}, the contract shared by the Rust side,
 * the Java shim's tests and the hadoop-aws interop tests: S3A cases, other (non-S3A) tokens and
 * secret-key-map entries.
 *
 * <p>Each case's missing fields come from {@code defaults} (one level deep for the
 * {@code encryption} and {@code credentials} objects); a string may be written as
 * {@code {"repeat": S, "times": N}}; {@code password} is the UTF-8 bytes of its string;
 * secret values are base64 of raw bytes. Nothing here touches Hadoop or a JSON library.
 */
public final class Cases {

  /** The base AbstractDelegationTokenIdentifier fields, shared by S3A and non-S3A tokens. */
  public static class Base {
    public String alias;
    public String kind;
    public String service;
    public String password;
    public String owner;
    public String renewer;
    public String realUser;
    public long issueDate;
    public long maxDate;
    public int sequenceNumber;
    public int masterKeyId;

    /** The token's password: the UTF-8 bytes of {@link #password}. */
    public byte[] passwordBytes() {
      return password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return alias;
    }
  }

  /** One S3A token case: every field of the identifier, as cases.json gives it. */
  public static final class Case extends Base {
    public String uri;
    public String origin;
    public String uuid;
    public long created;
    public String algorithm;
    public String key;
    public String context;
    public String accessKey;
    public String secretKey;
    public String sessionToken;
    public String roleArn;
    public long expiration;

    /** The secret values, which no text may show (empty ones left out). */
    public List<String> secrets() {
      List<String> l = new ArrayList<>();
      for (String s : new String[] {secretKey, sessionToken, key, context}) {
        if (!s.isEmpty()) {
          l.add(s);
        }
      }
      return l;
    }

    public boolean hasContext() {
      return !context.isEmpty();
    }
  }

  /** A secret-key-map entry. */
  public static final class Secret {
    public String alias;
    public byte[] value;
  }

  public final List<Case> cases;
  public final List<Base> others;
  public final List<Secret> secrets;

  private Cases(List<Case> cases, List<Base> others, List<Secret> secrets) {
    this.cases = Collections.unmodifiableList(cases);
    this.others = Collections.unmodifiableList(others);
    this.secrets = Collections.unmodifiableList(secrets);
  }

  /** The S3A case named {@code alias}. */
  public Case get(String alias) {
    for (Case c : cases) {
      if (c.alias.equals(alias)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no case " + alias);
  }

  public static Cases load(Path path) throws IOException {
    String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    Map<String, Object> root = Json.object(Json.parse(text));
    Map<String, Object> d = Json.object(root.get("defaults"));
    List<Case> cases = new ArrayList<>();
    for (Object o : list(root, "cases")) {
      Map<String, Object> c = Json.object(o);
      Case k = new Case();
      base(k, c, d);
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
      cases.add(k);
    }
    List<Base> others = new ArrayList<>();
    for (Object o : list(root, "otherTokens")) {
      Base b = new Base();
      base(b, Json.object(o), d);
      others.add(b);
    }
    List<Secret> secrets = new ArrayList<>();
    for (Object o : list(root, "secrets")) {
      Map<String, Object> s = Json.object(o);
      Secret x = new Secret();
      x.alias = str(s.get("alias"));
      x.value = Base64.getDecoder().decode(str(s.get("value")));
      secrets.add(x);
    }
    return new Cases(cases, others, secrets);
  }

  private static List<Object> list(Map<String, Object> root, String key) {
    Object v = root.get(key);
    if (!(v instanceof List)) {
      throw new IllegalArgumentException("cases.json: no list " + key);
    }
    return Json.array(v);
  }

  private static void base(Base b, Map<String, Object> c, Map<String, Object> d) {
    b.alias = str(c.get("alias"));
    b.kind = str(c.get("kind"));
    b.service = str(c.get("service"));
    b.password = str(get(c, d, "password"));
    b.owner = str(get(c, d, "owner"));
    b.renewer = str(get(c, d, "renewer"));
    b.realUser = str(get(c, d, "realUser"));
    b.issueDate = num(get(c, d, "issueDate"));
    b.maxDate = num(get(c, d, "maxDate"));
    b.sequenceNumber = Math.toIntExact(num(get(c, d, "sequenceNumber")));
    b.masterKeyId = Math.toIntExact(num(get(c, d, "masterKeyId")));
  }

  private static Object get(Map<String, Object> c, Map<String, Object> d, String key) {
    Object v = c.containsKey(key) ? c.get(key) : d.get(key);
    if (v == null) {
      throw new IllegalArgumentException("cases.json: no value or default for " + key);
    }
    return v;
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
    throw new IllegalArgumentException("cases.json: not a string: " + v);
  }

  private static long num(Object v) {
    if (!(v instanceof Long)) {
      throw new IllegalArgumentException("cases.json: not an integer: " + v);
    }
    return (Long) v;
  }
}
