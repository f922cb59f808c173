package org.s3adt.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for the test fixtures (cases.json, manifest.json, urls.json), so the tests
 * need nothing beyond hadoop-common and JUnit. Objects become {@code LinkedHashMap}, arrays
 * {@code List}, numbers {@code Long} (or {@code Double} with a fraction or exponent).
 */
public final class Json {

  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  public static Object parse(String text) {
    Json j = new Json(text);
    j.ws();
    Object v = j.value();
    j.ws();
    if (j.pos != j.s.length()) {
      throw j.error("trailing characters");
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> array(Object o) {
    return (List<Object>) o;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
  }

  private void ws() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private Object value() {
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return obj();
      case '[':
        return arr();
      case '"':
        return str();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return num();
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, pos)) {
      throw error("bad literal");
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> obj() {
    Map<String, Object> m = new LinkedHashMap<>();
    items('}', () -> {
      String k = str();
      ws();
      expect(':');
      ws();
      m.put(k, value());
    });
    return m;
  }

  private List<Object> arr() {
    List<Object> l = new ArrayList<>();
    items(']', () -> l.add(value()));
    return l;
  }

  /** The items of an object or array, up to {@code close}: each read by {@code item}. */
  private void items(char close, Runnable item) {
    pos++;
    ws();
    if (s.charAt(pos) == close) {
      pos++;
      return;
    }
    while (true) {
      ws();
      item.run();
      ws();
      if (s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect(close);
      return;
    }
  }

  private void expect(char c) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  /** JSON's one-letter escapes (the letter after the backslash) and the characters they stand for. */
  private static final String ESCAPES = "\"\\/bfnrt";
  private static final String ESCAPED = "\"\\/\b\f\n\r\t";

  private String str() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(pos++);
      int simple = ESCAPES.indexOf(e);
      if (simple >= 0) {
        b.append(ESCAPED.charAt(simple));
      } else if (e == 'u') {
        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
        pos += 4;
      } else {
        throw error("bad escape \\" + e);
      }
    }
  }

  private Object num() {
    int start = pos;
    while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    String n = s.substring(start, pos);
    if (n.isEmpty()) {
      throw error("unexpected character");
    }
    if (n.contains(".") || n.contains("e") || n.contains("E")) {
      return Double.valueOf(n);
    }
    return Long.valueOf(n);
  }
}
