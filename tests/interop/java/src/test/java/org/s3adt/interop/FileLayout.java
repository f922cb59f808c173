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

  /** A named byte range. */
  static final class Part {
    final String name;
    final int start;
    final int end;

    Part(String name, int start, int end) {
      this.name = name;
      this.start = start;
      this.end = end;
    }
  }

  /** Describes where {@code offset} falls in the file, plus the entry order of the file. */
  static String describe(byte[] file, int offset) {
    try {
      if (file.length > 4 && file[4] == 0) {
        for (Part p : writable(file)) {
          if (offset >= p.start && offset < p.end) {
            return p.name + " (bytes " + p.start + ".." + p.end + ", +" + (offset - p.start)
                + ")";
          }
        }
        return "past the last entry";
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
    List<Part> parts = new ArrayList<>();
    Counting c = new Counting(file);
    parts.add(new Part("header", 0, 5));
    c.skip(5);
    int start = c.pos();
    int n = WritableUtils.readVInt(c.in);
    parts.add(new Part("token count", start, c.pos()));
    for (int i = 0; i < n; i++) {
      start = c.pos();
      Text alias = new Text();
      alias.readFields(c.in);
      String label = "token[" + i + "] " + alias;
      parts.add(new Part(label + ": alias", start, c.pos()));
      start = c.pos();
      int idLen = WritableUtils.readVInt(c.in);
      c.skip(idLen);
      parts.add(new Part(label + ": identifier (length + bytes)", start, c.pos()));
      start = c.pos();
      int pwLen = WritableUtils.readVInt(c.in);
      c.skip(pwLen);
      parts.add(new Part(label + ": password", start, c.pos()));
      start = c.pos();
      new Text().readFields(c.in);
      parts.add(new Part(label + ": kind", start, c.pos()));
      start = c.pos();
      new Text().readFields(c.in);
      parts.add(new Part(label + ": service", start, c.pos()));
    }
    start = c.pos();
    int s = WritableUtils.readVInt(c.in);
    parts.add(new Part("secret count", start, c.pos()));
    for (int i = 0; i < s; i++) {
      start = c.pos();
      Text alias = new Text();
      alias.readFields(c.in);
      String label = "secret[" + i + "] " + alias;
      parts.add(new Part(label + ": alias", start, c.pos()));
      start = c.pos();
      int len = WritableUtils.readVInt(c.in);
      c.skip(len);
      parts.add(new Part(label + ": value", start, c.pos()));
    }
    if (c.pos() != file.length) {
      parts.add(new Part("trailing bytes", c.pos(), file.length));
    }
    return parts;
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
  }
}
