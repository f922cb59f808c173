package org.s3adt.fs;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FutureDataInputStreamBuilder;
import org.apache.hadoop.fs.Path;

/**
 * The builder {@code S3adtFileSystem.openFile(Path)} returns: Hadoop's, without its
 * {@code Configuration}.
 *
 * <p>Hadoop's builder ({@code FileSystem.FSDataInputStreamBuilder}) makes a
 * {@code new Configuration(false)} for every openFile() (registered in Configuration's global
 * {@code WeakHashMap} under a lock on the class, with its own maps), reads
 * {@code io.file.buffer.size} from the filesystem's Configuration, and sets each option through
 * {@code Configuration.set} (deprecation lookup, a {@code Properties} table, the "updating
 * resource" map). For a file opened per task or per footer that was a third of the calling
 * thread's Java time and most of what the JIT compiled on that path (docs/benchmarks.md).
 *
 * <p>Here the options are a small map with the same meaning: {@code opt} and {@code must} as
 * Hadoop's {@code AbstractFSBuilderImpl} (an {@code opt} after a {@code must} of the same key
 * makes it optional; booleans, ints, longs as their text, a float or a double through
 * {@code optLong}/{@code mustLong} as Hadoop 3.3.6 on does, arrays joined with commas; a null
 * key or value refused with Configuration's messages), {@code withFileStatus} (null allowed),
 * and {@code build()} opening through the same code as {@code openFileWithOptions}: unknown
 * mandatory keys refused, a known length opens without a probe. Every method of
 * {@code FSBuilder} is written out rather than inherited: on Hadoop 3.3.4 (Spark 3.5's client)
 * all of them are abstract.
 */
final class OpenFileBuilder implements FutureDataInputStreamBuilder {
  private final S3adtFileSystem fs;
  private final Path path;
  private final Map<String, String> options = new HashMap<>(8);
  private Set<String> mandatory = Collections.emptySet();
  private FileStatus status;

  OpenFileBuilder(S3adtFileSystem fs, Path path) {
    this.fs = fs;
    this.path = Objects.requireNonNull(path, "path");
  }

  private void set(String key, String value) {
    if (key == null) {
      throw new IllegalArgumentException("Property name must not be null");
    }
    if (value == null) {
      throw new IllegalArgumentException("The value of property " + key + " must not be null");
    }
    options.put(key, value);
  }

  /** As Configuration.setStrings: the values joined with commas. */
  private static String join(String... values) {
    return String.join(",", values);
  }

  /** As Configuration.getInt: trimmed, "0x" for hexadecimal; not a number is an error. */
  private static int parseInt(String value) {
    String v = value.trim();
    boolean negative = v.startsWith("-");
    String digits = negative ? v.substring(1) : v;
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      return Integer.parseInt((negative ? "-" : "") + digits.substring(2), 16);
    }
    return Integer.parseInt(v);
  }

  @Override
  public FutureDataInputStreamBuilder opt(String key, String value) {
    mandatory.remove(key);
    set(key, value);
    return this;
  }

  @Override
  public FutureDataInputStreamBuilder opt(String key, String... values) {
    return opt(key, join(values));
  }

  @Override
  public FutureDataInputStreamBuilder opt(String key, boolean value) {
    return opt(key, Boolean.toString(value));
  }

  @Override
  public FutureDataInputStreamBuilder opt(String key, int value) {
    return optLong(key, value);
  }

  @Override
  public FutureDataInputStreamBuilder opt(String key, long value) {
    return optLong(key, value);
  }

  @Override
  public FutureDataInputStreamBuilder opt(String key, float value) {
    return optLong(key, (long) value);
  }

  @Override
  public FutureDataInputStreamBuilder opt(String key, double value) {
    return optLong(key, (long) value);
  }

  @Override
  public FutureDataInputStreamBuilder optLong(String key, long value) {
    return opt(key, Long.toString(value));
  }

  @Override
  public FutureDataInputStreamBuilder optDouble(String key, double value) {
    return opt(key, Double.toString(value));
  }

  @Override
  public FutureDataInputStreamBuilder must(String key, String value) {
    if (mandatory.isEmpty()) {
      mandatory = new HashSet<>(4);
    }
    mandatory.add(key);
    set(key, value);
    return this;
  }

  @Override
  public FutureDataInputStreamBuilder must(String key, String... values) {
    return must(key, join(values));
  }

  @Override
  public FutureDataInputStreamBuilder must(String key, boolean value) {
    return must(key, Boolean.toString(value));
  }

  @Override
  public FutureDataInputStreamBuilder must(String key, int value) {
    return mustLong(key, value);
  }

  @Override
  public FutureDataInputStreamBuilder must(String key, long value) {
    return mustLong(key, value);
  }

  @Override
  public FutureDataInputStreamBuilder must(String key, float value) {
    return mustLong(key, (long) value);
  }

  @Override
  public FutureDataInputStreamBuilder must(String key, double value) {
    return mustLong(key, (long) value);
  }

  @Override
  public FutureDataInputStreamBuilder mustLong(String key, long value) {
    return must(key, Long.toString(value));
  }

  @Override
  public FutureDataInputStreamBuilder mustDouble(String key, double value) {
    return must(key, Double.toString(value));
  }

  @Override
  public FutureDataInputStreamBuilder withFileStatus(FileStatus st) {
    this.status = st;
    return this;
  }

  @Override
  public CompletableFuture<FSDataInputStream> build() throws IOException {
    String length = options.get(OpenFileOptions.OPENFILE_LENGTH);
    String buffer = options.get(OpenFileOptions.OPENFILE_BUFFER_SIZE);
    // As Hadoop's: a buffer size that is not a number fails the build (Configuration.getInt).
    int bufferSize = buffer == null ? fs.ioBufferSize() : parseInt(buffer);
    return fs.openFile(path, mandatory, status, length == null ? "" : length.trim(), bufferSize);
  }
}
