package org.s3adt.interop;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.security.proto.SecurityProtos;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the byte ranges of a token-storage file ("HDTS" + format byte) so that a whole-file
 * mismatch can be reported as "entry N (alias X), field Y" instead of a bare offset. Only for
 * diagnostics: walks WRITABLE files field by field, and for PROTOBUF files lists the entry order.
 */
final class FileLayout {
  private FileLayout() {
  }

  /** A named byte range (of a token file here, of an identifier in {@link HadoopAws#spans}). */
  static final class Part {
    final String name;
    final int start;
    final int end;

    Part(String name, int start, int end) {
      this.name = name;
      this.start = start;
      this.end = end;
    }

    /** The part that holds byte {@code offset}, or null. */
    static Part at(List<Part> parts, int offset) {
      for (Part p : parts) {
        if (offset >= p.start && offset < p.end) {
          return p;
        }
      }
      return null;
    }
  }

  /** Describes where {@code offset} falls in the file, plus the entry order of the file. */
  static String describe(byte[] file, int offset) {
    try {
      if (file.length > 4 && file[4] == 0) {
        Part p = Part.at(writable(file), offset);
        return p == null ? "past the last entry"
            : p.name + " (bytes " + p.start + ".." + p.end + ", +" + (offset - p.start) + ")";
      }
      return "protobuf file; entry order " + protobufOrder(file);
    } catch (IOException | RuntimeException e) {
      return "(file not parseable for diagnostics: " + e + ")";
    }
  }

  /** Entry order of a file: "token ALIAS"..., then "secret ALIAS"... */
  static List<String> order(byte[] file) throws IOException {
    if (file[4] == 1) {
      return protobufOrder(file);
    }
    List<String> out = new ArrayList<>();
    for (Part p : writable(file)) {
      if (p.name.endsWith(": alias")) {
        out.add(p.name.substring(0, p.name.length() - ": alias".length())
            .replaceFirst("\\[\\d+\\]", ""));
      }
    }
    return out;
  }

  private static List<Part> writable(byte[] file) throws IOException {
    Counting c = new Counting(file);
    c.parts.add(new Part("header", 0, 5));
    c.skip(5);
    int n = c.vint("token count");
    for (int i = 0; i < n; i++) {
      String label = c.alias("token[" + i + "] ");
      c.bytes(label + ": identifier (length + bytes)");
      c.bytes(label + ": password");
      c.text(label + ": kind");
      c.text(label + ": service");
    }
    int s = c.vint("secret count");
    for (int i = 0; i < s; i++) {
      c.bytes(c.alias("secret[" + i + "] ") + ": value");
    }
    if (c.pos() != file.length) {
      c.parts.add(new Part("trailing bytes", c.pos(), file.length));
    }
    return c.parts;
  }

  private static List<String> protobufOrder(byte[] file) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(file, 5, file.length - 5);
    SecurityProtos.CredentialsProto p = SecurityProtos.CredentialsProto.parseDelimitedFrom(in);
    List<String> out = new ArrayList<>();
    for (SecurityProtos.CredentialsKVProto kv : p.getTokensList()) {
      out.add("token " + kv.getAlias());
    }
    for (SecurityProtos.CredentialsKVProto kv : p.getSecretsList()) {
      out.add("secret " + kv.getAlias());
    }
    return out;
  }

  private static final class Counting {
    final byte[] b;
    final ByteArrayInputStream bin;
    final DataInputStream in;
    final List<Part> parts = new ArrayList<>();

    Counting(byte[] b) {
      this.b = b;
      this.bin = new ByteArrayInputStream(b);
      this.in = new DataInputStream(bin);
    }

    int pos() {
      return b.length - bin.available();
    }

    void skip(int n) throws IOException {
      in.readFully(new byte[n]);
    }

    /** Reads a vint as the part {@code name}; returns it. */
    int vint(String name) throws IOException {
      int start = pos();
      int v = WritableUtils.readVInt(in);
      parts.add(new Part(name, start, pos()));
      return v;
    }

    /** Reads a vint length and that many bytes as the part {@code name}. */
    void bytes(String name) throws IOException {
      int start = pos();
      skip(WritableUtils.readVInt(in));
      parts.add(new Part(name, start, pos()));
    }

    /** Reads a Text as the part {@code name}. */
    void text(String name) throws IOException {
      int start = pos();
      new Text().readFields(in);
      parts.add(new Part(name, start, pos()));
    }

    /** Reads an entry's alias as the part "PREFIX ALIAS: alias"; returns "PREFIX ALIAS". */
    String alias(String prefix) throws IOException {
      int start = pos();
      Text alias = new Text();
      alias.readFields(in);
      String label = prefix + alias;
      parts.add(new Part(label + ": alias", start, pos()));
      return label;
    }
  }
}
