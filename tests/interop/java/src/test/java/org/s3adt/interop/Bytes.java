package org.s3adt.interop;

import java.util.Arrays;

/** Byte and string helpers for readable failure messages (hex, first difference, previews). */
final class Bytes {
  private Bytes() {
  }

  static String hex(byte[] b) {
    return hex(b, 0, b.length);
  }

  static String hex(byte[] b, int from, int to) {
    from = Math.max(0, from);
    to = Math.min(b.length, to);
    StringBuilder sb = new StringBuilder(Math.max(0, to - from) * 2);
    for (int i = from; i < to; i++) {
      sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
    }
    return sb.toString();
  }

  /** Offset of the first differing byte, or -1 if equal (a length difference counts). */
  static int firstDiff(byte[] a, byte[] b) {
    return Arrays.mismatch(a, b);
  }

  /** "offset N: java[..]=hex rust[..]=hex" with 8 bytes of context either side. */
  static String window(byte[] java, byte[] rust, int off) {
    int from = Math.max(0, off - 8);
    return "java[" + from + "..]=" + hex(java, from, off + 8) + " rust[" + from + "..]="
        + hex(rust, from, off + 8) + " (lengths java " + java.length + ", rust " + rust.length + ")";
  }

  /** A string cut to 80 chars, with its length, for messages about huge values. */
  static String preview(String s) {
    if (s == null) {
      return "null";
    }
    if (s.length() <= 80) {
      return s;
    }
    return s.substring(0, 80) + "...(" + s.length() + " chars)";
  }
}
