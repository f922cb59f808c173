package org.s3adt.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Byte helpers the tests and check programs share: search, read-all, digest. */
public final class Bytes {
  private Bytes() {
  }

  /** The first offset of {@code needle} in {@code hay}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The first offset of {@code needle} in {@code hay}, which must hold it. */
  public static int find(byte[] hay, byte[] needle) {
    int i = indexOf(hay, needle);
    if (i < 0) {
      throw new AssertionError("not found");
    }
    return i;
  }

  public static boolean contains(byte[] hay, byte[] needle) {
    return indexOf(hay, needle) >= 0;
  }

  /** Everything left in the stream (not closed). */
  public static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      b.write(buf, 0, n);
    }
    return b.toByteArray();
  }

  /** SHA-256, in lower-case hex. */
  public static String sha256(byte[] b) {
    try {
      StringBuilder h = new StringBuilder();
      for (byte x : MessageDigest.getInstance("SHA-256").digest(b)) {
        h.append(String.format("%02x", x & 0xff));
      }
      return h.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
