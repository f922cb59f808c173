package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FutureDataInputStreamBuilder;
import org.apache.hadoop.fs.Path;
import org.junit.Test;

/**
 * s3adt's openFile() builder beside Hadoop's own (FileSystem.FSDataInputStreamBuilder, which
 * reaches s3adt through openFileWithOptions): the same calls give the filesystem the same
 * mandatory keys, status, length option and buffer size, and the same failures.
 */
public class OpenFileBuilderTest {
  /** What one openFile() handed the filesystem. */
  static final class Capturing extends S3adtFileSystem {
    final List<String> calls = new ArrayList<>();

    Capturing() {
      setConf(new Configuration(false));
    }

    FutureDataInputStreamBuilder hadoops(Path p) {
      return (FutureDataInputStreamBuilder) createDataInputStreamBuilder(this, p);
    }

    @Override
    CompletableFuture<FSDataInputStream> openFile(Path file, Set<String> mandatory,
        FileStatus status, String lengthOption, int bufferSize) {
      calls.add(file + " mandatory=" + new TreeSet<>(mandatory) + " status="
          + (status == null ? null : status.getPath()) + " length='" + lengthOption
          + "' buffer=" + bufferSize);
      return CompletableFuture.completedFuture(null);
    }
  }

  private static final Path P = new Path("s3a://bucket/dir/file.parquet");
  private static final String LEN = "fs.option.openfile.length";

  /** The outcome of the same calls on both builders: what was handed on, or the failure. */
  private static void same(String what, Function<FutureDataInputStreamBuilder,
      FutureDataInputStreamBuilder> calls) {
    Capturing fs = new Capturing();
    List<String> outcomes = new ArrayList<>();
    for (FutureDataInputStreamBuilder b : Arrays.asList(fs.hadoops(P), fs.openFile(P))) {
      try {
        calls.apply(b).build();
        outcomes.add(fs.calls.remove(0));
      } catch (RuntimeException | IOException e) {
        outcomes.add(e.getClass().getName() + ": " + e.getMessage());
      }
    }
    assertEquals(what, outcomes.get(0), outcomes.get(1));
  }

  @Test
  public void theSameCallsHandTheSameOptionsOn() {
    same("nothing", b -> b);
    same("a long length", b -> b.opt(LEN, 1024L));
    same("an int length", b -> b.opt(LEN, 77));
    same("a float length (as a long)", b -> b.opt(LEN, 1.5f));
    same("a double length (as a long)", b -> b.must(LEN, 2.75d));
    same("optLong, mustLong", b -> b.optLong(LEN, 5L).mustLong("fs.option.openfile.split.end", 9));
    same("optDouble", b -> b.optDouble(LEN, 0.5d));
    same("a padded text length", b -> b.must(LEN, "  42 "));
    same("an array", b -> b.opt(LEN, "1", "2"));
    same("a mandatory array", b -> b.must(LEN, new String[] {"3"}));
    same("a boolean", b -> b.must("fs.s3a.readahead.range", true));
    same("must then opt: optional", b -> b.must(LEN, "1").opt(LEN, "2"));
    same("opt then must: mandatory", b -> b.opt(LEN, "1").must(LEN, "2"));
    same("a buffer size", b -> b.opt("fs.option.openfile.buffer.size", 8192));
    same("a null status", b -> b.withFileStatus(null));
    same("a status", b -> b.withFileStatus(new FileStatus(10, false, 1, 1, 0, P)));
    same("a null key", b -> b.opt(null, "x"));
    same("a null value", b -> b.opt("k", (String) null));
    same("a null mandatory value", b -> b.must("k", (String) null));
    same("a buffer size that is no number", b -> b.opt("fs.option.openfile.buffer.size", "x"));
    same("a buffer size in hexadecimal", b -> b.opt("fs.option.openfile.buffer.size", " 0x2000"));
  }

  @Test
  public void aNullPathIsRefusedAsHadoopDoes() {
    Capturing fs = new Capturing();
    String hadoop = null;
    try {
      fs.hadoops(null);
    } catch (NullPointerException e) {
      hadoop = e.getMessage();
    }
    try {
      fs.openFile((Path) null);
      fail("a null path");
    } catch (NullPointerException e) {
      assertEquals(hadoop, e.getMessage());
    }
  }

  @Test
  public void everyCallReturnsTheBuilder() {
    FutureDataInputStreamBuilder b = new Capturing().openFile(P);
    assertSame(b, b.opt(LEN, 1).must(LEN, 2L).withFileStatus(null).optDouble("x", 1.0)
        .opt("a", "b", "c").must("d", false).mustDouble("e", 1.0).opt("f", 1.0f));
  }
}
