package org.s3adt.fs;

import java.io.EOFException;
import java.io.IOException;
import org.apache.hadoop.fs.CanUnbuffer;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSource;
import org.apache.hadoop.fs.statistics.StreamStatisticNames;

/**
 * Reads one object through the native store, which keeps one GET open for sequential reads (with
 * read-ahead) and starts a ranged GET on a backwards or long forward seek. Seeks are lazy: they
 * only move the position. As S3A's: a negative seek, and a seek past the end, is an
 * EOFException; reading at the end gives -1; every call on a closed stream but close(),
 * getPos() and unbuffer() is an IOException "Stream is closed!". {@link #unbuffer()} releases the
 * GET and its buffers; the next read opens another. Its IOStatistics count bytes read, reads,
 * seeks, unbuffers and closes under Hadoop's stream statistic names.
 */
final class S3adtInputStream extends FSInputStream
    implements CanUnbuffer, StreamCapabilities, IOStatisticsSource {
  private final ObjectStore store;
  private final String key;
  private final Path path;
  private final long length;
  private final FileSystem.Statistics statistics;
  private ObjectStore.Reader reader;
  private long pos;
  private volatile boolean closed;
  private final StreamStatistics ioStatistics = new StreamStatistics(
      StreamStatisticNames.STREAM_READ_BYTES,
      StreamStatisticNames.STREAM_READ_OPERATIONS,
      StreamStatisticNames.STREAM_READ_SEEK_OPERATIONS,
      StreamStatisticNames.STREAM_READ_UNBUFFERED,
      StreamStatisticNames.STREAM_READ_EXCEPTIONS,
      StreamStatisticNames.STREAM_READ_CLOSE_OPERATIONS);

  S3adtInputStream(ObjectStore store, String key, Path path, long length,
      FileSystem.Statistics statistics) throws IOException {
    this(store, key, path, store.openRead(key, length), length, statistics);
  }

  /**
   * Over a reader opened without the length (open(): its first GET made, which told the
   * length); the stream owns it from here.
   */
  S3adtInputStream(ObjectStore store, String key, Path path, ObjectStore.Reader reader,
      FileSystem.Statistics statistics) throws IOException {
    this(store, key, path, reader, lengthOf(reader), statistics);
  }

  private S3adtInputStream(ObjectStore store, String key, Path path, ObjectStore.Reader reader,
      long length, FileSystem.Statistics statistics) {
    this.store = store;
    this.key = key;
    this.path = path;
    this.length = length;
    this.statistics = statistics;
    this.reader = reader;
  }

  private static long lengthOf(ObjectStore.Reader reader) throws IOException {
    try {
      return reader.length();
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private void checkNotClosed() throws IOException {
    if (closed) {
      throw new IOException(path + ": " + FSExceptionMessages.STREAM_IS_CLOSED);
    }
  }

  private ObjectStore.Reader reader() throws IOException {
    if (reader == null) {
      reader = store.openRead(key, length);
    }
    return reader;
  }

  @Override
  public synchronized void seek(long target) throws IOException {
    checkNotClosed();
    if (target < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + " " + target);
    }
    if (target > length) {
      throw new EOFException(FSExceptionMessages.CANNOT_SEEK_PAST_EOF + " " + target
          + " (length " + length + ") of " + path);
    }
    if (target != pos) {
      ioStatistics.incrementCounter(StreamStatisticNames.STREAM_READ_SEEK_OPERATIONS);
    }
    pos = target;
  }

  @Override
  public synchronized long getPos() {
    return pos;
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] buf, int off, int len) throws IOException {
    checkNotClosed();
    checkRange(buf, off, len);
    if (len == 0) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    int n = readAt(pos, buf, off, len);
    if (n > 0) {
      pos += n;
    }
    return n;
  }

  /** A positioned read: the stream's own position is left as it is. */
  @Override
  public synchronized int read(long position, byte[] buf, int off, int len) throws IOException {
    checkNotClosed();
    validatePositionedReadArgs(position, buf, off, len);
    if (len == 0) {
      return 0;
    }
    if (position >= length) {
      return -1;
    }
    return readAt(position, buf, off, len);
  }

  private int readAt(long position, byte[] buf, int off, int len) throws IOException {
    int want = (int) Math.min(len, length - position);
    int n;
    try {
      n = reader().read(position, buf, off, want);
    } catch (IOException | RuntimeException e) {
      ioStatistics.incrementCounter(StreamStatisticNames.STREAM_READ_EXCEPTIONS);
      throw e;
    }
    ioStatistics.incrementCounter(StreamStatisticNames.STREAM_READ_OPERATIONS);
    if (n > 0) {
      ioStatistics.incrementCounter(StreamStatisticNames.STREAM_READ_BYTES, n);
      if (statistics != null) {
        statistics.incrementBytesRead(n);
      }
    }
    return n;
  }

  private static void checkRange(byte[] buf, int off, int len) {
    if (buf == null) {
      throw new NullPointerException("Null buffer");
    }
    if (off < 0 || len < 0 || len > buf.length - off) {
      throw new IndexOutOfBoundsException("offset " + off + ", length " + len
          + ", buffer length " + buf.length);
    }
  }

  @Override
  public synchronized long skip(long n) throws IOException {
    checkNotClosed();
    if (n <= 0) {
      return 0;
    }
    long target = Math.min(length, pos + n);
    long skipped = target - pos;
    pos = target;
    return skipped;
  }

  @Override
  public synchronized int available() throws IOException {
    checkNotClosed();
    long remaining = length - pos;
    return remaining > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, remaining);
  }

  @Override
  public synchronized void unbuffer() {
    ioStatistics.incrementCounter(StreamStatisticNames.STREAM_READ_UNBUFFERED);
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  public boolean hasCapability(String capability) {
    switch (capability.toLowerCase(java.util.Locale.ENGLISH)) {
      case StreamCapabilities.UNBUFFER:
        return true;
      default:
        return false;
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      ioStatistics.incrementCounter(StreamStatisticNames.STREAM_READ_CLOSE_OPERATIONS);
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }
  }

  @Override
  public IOStatistics getIOStatistics() {
    return ioStatistics;
  }

  @Override
  public String toString() {
    return "S3adtInputStream{" + path + ", length=" + length + ", pos=" + pos
        + (closed ? ", closed" : "") + "}";
  }
}
