package org.s3adt.token;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;

import org.apache.hadoop.io.Text;

/**
 * Reads Hadoop Writable primitives from a byte array, with the same rules and (where Hadoop has
 * one) the same message as hadoop-common's {@code WritableUtils} and {@code Text}. Every error
 * names the field being read, and no length is allocated before it is checked against the bytes
 * that are left, so a corrupt length cannot make it allocate more than the input.
 */
final class WireReader {

  private final byte[] buf;
  private int pos;

  WireReader(byte[] buf) {
    this(buf, 0);
  }

  private WireReader(byte[] buf, int pos) {
    this.buf = buf;
    this.pos = pos;
  }

  /** An independent reader at the same position. */
  WireReader copy() {
    return new WireReader(buf, pos);
  }

  int remaining() {
    return buf.length - pos;
  }

  private void need(long n, String field) throws EOFException {
    if (n > remaining()) {
      throw new EOFException(field + ": truncated: needs " + n + " more bytes but only "
          + remaining() + " remain");
    }
  }

  byte readByte(String field) throws EOFException {
    need(1, field);
    return buf[pos++];
  }

  /** {@code DataInput.readLong}: 8 bytes, big-endian. */
  long readLong(String field) throws EOFException {
    need(8, field);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  /** {@code WritableUtils.readVLong}. */
  long readVLong(String field) throws EOFException {
    byte first = readByte(field);
    int size = first >= -112 ? 1 : first < -120 ? -119 - first : -111 - first;
    if (size == 1) {
      return first;
    }
    need(size - 1, field);
    long v = 0;
    for (int i = 0; i < size - 1; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    boolean negative = first < -120 || (first >= -112 && first < 0);
    return negative ? ~v : v;
  }

  /** {@code WritableUtils.readVInt}. */
  int readVInt(String field) throws IOException {
    long v = readVLong(field);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new IOException(field + ": value too long to fit in integer (" + v + ")");
    }
    return (int) v;
  }

  private byte[] readBytes(String field, int len) throws EOFException {
    need(len, field);
    byte[] b = new byte[len];
    System.arraycopy(buf, pos, b, 0, len);
    pos += len;
    return b;
  }

  /**
   * {@code Text.readFields(in, maxLength)}: the bound is exclusive. Kept as bytes, as
   * {@code Text} keeps them.
   */
  Text readText(String field, int exclusiveMax) throws IOException {
    int len = readVInt(field);
    if (len < 0) {
      throw new IOException(field + ": tried to deserialize " + len
          + " bytes of data!  newLength must be non-negative.");
    }
    if (len >= exclusiveMax) {
      throw new IOException(field + ": tried to deserialize " + len
          + " bytes of data, but maxLength = " + exclusiveMax);
    }
    return new Text(readBytes(field, len));
  }

  /**
   * {@code Text.readString(in, maxLength)}: the bound is inclusive; {@code Integer.MAX_VALUE}
   * stands for {@code Text.readString(in)}, bounded only by the input. Malformed UTF-8 is
   * replaced by U+FFFD, as Hadoop does.
   */
  String readString(String field, int inclusiveMax) throws IOException {
    int len = readVInt(field);
    if (len < 0) {
      throw new IOException(field + ": expected non-negative integer, got " + len);
    }
    if (len > inclusiveMax) {
      throw new IOException(field + ": expected integer less or equal to " + inclusiveMax
          + ", got " + len);
    }
    byte[] b = readBytes(field, len);
    try {
      return Text.decode(b);
    } catch (CharacterCodingException e) {
      // Text.decode(byte[]) replaces malformed input, so this does not happen.
      throw new IOException(field + ": " + e, e);
    }
  }
}
