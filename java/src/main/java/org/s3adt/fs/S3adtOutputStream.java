package org.s3adt.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSource;
import org.apache.hadoop.fs.statistics.StreamStatisticNames;
import org.apache.hadoop.util.Progressable;

/**
 * Writes one object through the native store, which buffers it into parts uploaded in the
 * background; nothing is visible until {@link #close()} completes the upload. Small writes are
 * gathered here first so that a byte at a time does not cross JNI each time.
 *
 * <p>A failed write, a failed close, or a write or close on an interrupted thread aborts the
 * upload (no parts are left behind) and the stream is then unusable: writes fail naming the
 * first failure. The interrupt is reported as an {@link InterruptedIOException} and the thread's
 * interrupt flag is left set. {@code hflush}/{@code hsync} are not supported (as S3A's);
 * {@link #flush()} only hands the gathered bytes to the native buffer. Its IOStatistics count the
 * bytes written (as they are written) and failures, under Hadoop's stream statistic names.
 */
final class S3adtOutputStream extends OutputStream
    implements StreamCapabilities, IOStatisticsSource {
  static final int GATHER = 64 * 1024;
  /** The gather buffer's first size: it grows (doubling) to {@link #GATHER} as bytes come. */
  private static final int GATHER_FIRST = 4 * 1024;
  private static final byte[] NOTHING = new byte[0];

  private final ObjectStore.Writer writer;
  private final Path path;
  private final Progressable progress;
  /** Set for a file under a magic path: close leaves the upload pending (see its class). */
  private final MagicCommitTracker magic;
  /**
   * Bytes not yet handed to the native side; allocated at the first write and grown as needed,
   * so a small file does not zero 64 KiB (issue 12).
   */
  private byte[] gathered = NOTHING;
  private int count;
  private boolean closed;
  private IOException failure;
  private final StreamStatistics ioStatistics = new StreamStatistics(
      StreamStatisticNames.STREAM_WRITE_BYTES,
      StreamStatisticNames.STREAM_WRITE_EXCEPTIONS,
      StreamStatisticNames.STREAM_WRITE_EXCEPTIONS_COMPLETING_UPLOADS);

  S3adtOutputStream(ObjectStore.Writer writer, Path path, Progressable progress) {
    this(writer, path, progress, null);
  }

  S3adtOutputStream(ObjectStore.Writer writer, Path path, Progressable progress,
      MagicCommitTracker magic) {
    this.writer = writer;
    this.path = path;
    this.progress = progress;
    this.magic = magic;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(path + ": " + FSExceptionMessages.STREAM_IS_CLOSED);
    }
    if (failure != null) {
      throw new IOException("s3adt: writing " + path + " failed earlier and was aborted: "
          + failure.getMessage(), failure);
    }
  }

  private void checkInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      InterruptedIOException e =
          new InterruptedIOException("s3adt: interrupted while writing " + path
              + "; the upload was aborted");
      abort(e);
      throw e;
    }
  }

  private void abort(IOException cause) {
    ioStatistics.incrementCounter(StreamStatisticNames.STREAM_WRITE_EXCEPTIONS);
    if (failure == null) {
      failure = cause;
    }
    writer.abort();
  }

  private void reportProgress() {
    if (progress != null) {
      progress.progress();
    }
  }

  @Override
  public synchronized void write(int b) throws IOException {
    checkOpen();
    room(count + 1);
    gathered[count++] = (byte) b;
    if (count == GATHER) {
      drain();
    }
    ioStatistics.incrementCounter(StreamStatisticNames.STREAM_WRITE_BYTES);
    reportProgress();
  }

  @Override
  public synchronized void write(byte[] buf, int off, int len) throws IOException {
    checkOpen();
    if (buf == null) {
      throw new NullPointerException("Null buffer");
    }
    if (off < 0 || len < 0 || len > buf.length - off) {
      throw new IndexOutOfBoundsException("offset " + off + ", length " + len
          + ", buffer length " + buf.length);
    }
    if (len == 0) {
      return;
    }
    if (len <= GATHER - count) {
      room(count + len);
      System.arraycopy(buf, off, gathered, count, len);
      count += len;
      if (count == GATHER) {
        drain();
      }
    } else {
      drain();
      if (len < GATHER) {
        room(len);
        System.arraycopy(buf, off, gathered, 0, len);
        count = len;
      } else {
        send(buf, off, len);
      }
    }
    ioStatistics.incrementCounter(StreamStatisticNames.STREAM_WRITE_BYTES, len);
    reportProgress();
  }

  /** Make the gather buffer hold at least {@code need} bytes (at most {@link #GATHER}). */
  private void room(int need) {
    if (need > gathered.length) {
      int size = Math.min(GATHER, Math.max(need, Math.max(2 * gathered.length, GATHER_FIRST)));
      gathered = java.util.Arrays.copyOf(gathered, size);
    }
  }

  /** Hand what is gathered to the native side. */
  private void drain() throws IOException {
    if (count > 0) {
      int n = count;
      count = 0;
      send(gathered, 0, n);
    }
  }

  private void send(byte[] buf, int off, int len) throws IOException {
    checkInterrupted();
    try {
      writer.write(buf, off, len);
    } catch (IOException | RuntimeException e) {
      IOException io = e instanceof IOException ? (IOException) e
          : new IOException("s3adt: writing " + path + " failed: " + e, e);
      abort(io);
      throw io;
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (closed || failure != null) {
      return;
    }
    drain();
  }

  /**
   * Complete the upload: the object becomes visible; on failure it is aborted. Under a magic
   * path the upload is left pending and recorded instead (see {@link MagicCommitTracker}).
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (failure != null) {
      throw new IOException("s3adt: " + path + " was not written: " + failure.getMessage(),
          failure);
    }
    try {
      drain();
      checkInterrupted();
      if (magic == null) {
        writer.complete();
      } else {
        magic.aboutToComplete(writer.closePending());
      }
    } catch (IOException | RuntimeException e) {
      // the native side aborts a failed completion itself; aborting again is harmless
      if (failure == null) {
        ioStatistics.incrementCounter(
            StreamStatisticNames.STREAM_WRITE_EXCEPTIONS_COMPLETING_UPLOADS);
      }
      writer.abort();
      throw e;
    }
  }

  @Override
  public IOStatistics getIOStatistics() {
    return ioStatistics;
  }

  @Override
  public boolean hasCapability(String capability) {
    return magic != null && MagicPaths.CAPABILITY_MAGIC_OUTPUT_STREAM.equals(capability);
  }

  @Override
  public String toString() {
    return "S3adtOutputStream{" + path + (closed ? ", closed" : "")
        + (failure != null ? ", failed" : "") + "}";
  }
}
