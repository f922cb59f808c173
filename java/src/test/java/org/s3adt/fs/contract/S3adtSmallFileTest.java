package org.s3adt.fs.contract;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.fs.contract.AbstractFSContractTestBase;
import org.apache.hadoop.util.functional.FutureIO;
import org.junit.Test;

/**
 * Issue 12 item 1: what a small file costs in probes. create() probes once per file in a
 * directory it knows (a LIST of {@code key/}), not at all with
 * {@code fs.s3a.create.performance=true}; openFile() with the length or a FileStatus opens
 * without a probe, so the read is the one GET; open() makes no probe either: its stream's
 * first GET, bounded to 64 KiB, is made at once (a LIST only when that GET finds nothing, for a
 * directory's message). The probes are counted at the object store
 * ({@link TestingS3adtFileSystem}) over the contract's store (moto by default), and on moto the
 * requests themselves, by moto's recorder.
 */
public class S3adtSmallFileTest extends AbstractFSContractTestBase {
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }

  private TestingS3adtFileSystem testingFs(String... keyValues) throws IOException {
    Configuration conf = new Configuration(getContract().getConf());
    conf.set("fs.s3a.impl", TestingS3adtFileSystem.class.getName());
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    for (int i = 0; i < keyValues.length; i += 2) {
      conf.set(keyValues[i], keyValues[i + 1]);
    }
    return (TestingS3adtFileSystem) FileSystem.newInstance(getFileSystem().getUri(), conf);
  }

  private static void write(FileSystem fs, Path p, byte[] data) throws IOException {
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(data);
    }
  }

  private static int probes(TestingS3adtFileSystem fs) {
    return fs.heads.get() + fs.lists.get();
  }

  private static void resetProbes(TestingS3adtFileSystem fs) {
    fs.heads.set(0);
    fs.lists.set(0);
    fs.opens.set(0);
  }

  @Test
  public void testCreatesInAKnownDirectoryProbeOnce() throws Throwable {
    Path dir = path("known");
    try (TestingS3adtFileSystem fs = testingFs()) {
      write(fs, new Path(dir, "a"), new byte[] {1});
      resetProbes(fs);
      for (int i = 0; i < 3; i++) {
        write(fs, new Path(dir, "f" + i), new byte[] {(byte) i});
      }
      assertEquals("one LIST of key/ per create, no HEAD", 3, fs.lists.get());
      assertEquals(0, fs.heads.get());
      assertEquals(4, fs.listStatus(dir).length);
    }
  }

  @Test
  public void testCreatePerformanceMakesNoProbe() throws Throwable {
    Path dir = path("perf");
    try (TestingS3adtFileSystem fs = testingFs("fs.s3a.create.performance", "true")) {
      resetProbes(fs);
      for (int i = 0; i < 3; i++) {
        write(fs, new Path(dir, "sub/f" + i), new byte[] {(byte) i});
      }
      assertEquals("no HEAD, no LIST", 0, probes(fs));
      assertEquals(3, fs.listStatus(new Path(dir, "sub")).length);
    }
  }

  @Test
  public void testAFileAboveIsStillRefusedAfterItsDirectoryWasKnown() throws Throwable {
    Path dir = path("was-dir");
    try (TestingS3adtFileSystem fs = testingFs()) {
      write(fs, new Path(dir, "x"), new byte[] {1});
      assertTrue(fs.delete(dir, true));
      write(fs, dir, new byte[] {2});
      try {
        write(fs, new Path(dir, "y"), new byte[] {3});
        fail("created a file under the file " + dir);
      } catch (ParentNotDirectoryException expected) {
        // as before: the directory known earlier was forgotten by the delete
      }
    }
  }

  @Test
  public void testOpenFileWithALengthOrAStatusMakesNoProbe() throws Throwable {
    Path p = path("known-length");
    byte[] data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    try (TestingS3adtFileSystem fs = testingFs()) {
      write(fs, p, data);
      FileStatus status = fs.getFileStatus(p);
      resetProbes(fs);
      byte[] back = new byte[data.length];
      try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(p)
          .opt("fs.option.openfile.length", Long.toString(data.length))
          .opt("fs.option.openfile.read.policy", "whole-file")
          .build())) {
        in.readFully(back);
        assertEquals(-1, in.read());
      }
      assertArrayEquals(data, back);
      try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(p)
          .withFileStatus(status)
          .must("fs.option.openfile.read.policy", "random")
          .build())) {
        in.readFully(0, back);
      }
      assertArrayEquals(data, back);
      assertEquals("no HEAD, no LIST", 0, probes(fs));
      assertEquals(2, fs.opens.get());
      // Without either, as open(): no probe either, the stream's first GET at once.
      try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(p).build())) {
        in.readFully(back);
      }
      assertArrayEquals(data, back);
      assertEquals("no HEAD, no LIST", 0, probes(fs));
      assertEquals(3, fs.opens.get());
    }
  }

  /** moto's request recorder, where the contract store is moto: the requests a block makes. */
  private final class Requests implements AutoCloseable {
    private final String endpoint;

    Requests() throws IOException {
      endpoint = "moto".equals(ContractTarget.store())
          ? getContract().getConf().get("fs.s3a.endpoint") : null;
      if (endpoint != null) {
        moto("POST", "/moto-api/recorder/reset-recording");
        moto("POST", "/moto-api/recorder/start-recording");
      }
    }

    private String moto(String method, String what) throws IOException {
      HttpURLConnection c = (HttpURLConnection) new URL(endpoint + what).openConnection();
      c.setRequestMethod(method);
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        c.disconnect();
      }
    }

    /** The recorded requests whose URL holds {@code part} ("METHOD url range"), or null off moto. */
    List<String> of(String part) throws IOException {
      if (endpoint == null) {
        return null;
      }
      moto("POST", "/moto-api/recorder/stop-recording");
      List<String> out = new ArrayList<>();
      for (String line : moto("GET", "/moto-api/recorder/download-recording").split("\n")) {
        if (line.contains(part)) {
          int m = line.indexOf("\"method\": \"");
          String method = m < 0 ? "?" : line.substring(m + 11, line.indexOf('"', m + 11));
          int r = line.indexOf("\"Range\": \"");
          out.add(method + (r < 0 ? "" : " " + line.substring(r + 10, line.indexOf('"', r + 10))));
        }
      }
      return out;
    }

    @Override
    public void close() throws IOException {
      if (endpoint != null) {
        moto("POST", "/moto-api/recorder/stop-recording");
        moto("POST", "/moto-api/recorder/reset-recording");
      }
    }
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  @Test
  public void testOpenOfASmallFileIsOneGet() throws Throwable {
    Path p = path("one-get/small");
    byte[] data = bytes(1024, 1);
    try (TestingS3adtFileSystem fs = testingFs()) {
      write(fs, p, data);
      resetProbes(fs);
      byte[] back = new byte[data.length];
      List<String> requests;
      try (Requests rec = new Requests()) {
        try (FSDataInputStream in = fs.open(p)) {
          in.readFully(back);
          assertEquals(-1, in.read());
        }
        requests = rec.of("/one-get/small");
      }
      assertArrayEquals(data, back);
      assertEquals("no HEAD, no LIST", 0, probes(fs));
      assertEquals(1, fs.opens.get());
      if (requests != null) {
        assertEquals("one GET of the first 64 KiB", List.of("GET bytes=0-65535"), requests);
      }
    }
  }

  @Test
  public void testOpenOfAnEmptyFile() throws Throwable {
    Path p = path("one-get/empty");
    try (TestingS3adtFileSystem fs = testingFs()) {
      write(fs, p, new byte[0]);
      resetProbes(fs);
      try (FSDataInputStream in = fs.open(p)) {
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(new byte[8], 0, 8));
        assertEquals(0, in.available());
      }
      assertEquals("no HEAD, no LIST", 0, probes(fs));
    }
  }

  @Test
  public void testOpenOfAMissingFileOrADirectoryKeepsItsMessage() throws Throwable {
    Path base = path("one-get/errors");
    try (TestingS3adtFileSystem fs = testingFs()) {
      Path missing = new Path(base, "missing");
      try {
        fs.open(missing).close();
        fail("opened a missing file");
      } catch (FileNotFoundException e) {
        assertEquals("No such file or directory: " + fs.makeQualified(missing), e.getMessage());
      }
      Path marked = new Path(base, "marked");
      fs.mkdirs(marked);
      Path implied = new Path(base, "implied");
      write(fs, new Path(implied, "child"), new byte[] {1});
      for (Path dir : new Path[] {marked, implied, base}) {
        resetProbes(fs);
        try {
          fs.open(dir).close();
          fail("opened the directory " + dir);
        } catch (FileNotFoundException e) {
          assertEquals("Can't open " + fs.makeQualified(dir) + " because it is a directory",
              e.getMessage());
        }
        assertEquals("the GET's 404, then one LIST", 1, fs.lists.get());
        assertEquals(0, fs.heads.get());
      }
    }
  }

  @Test
  public void testOpenOfAFileLargerThanTheFirstGet() throws Throwable {
    Path p = path("one-get/large");
    int len = 200 * 1024 + 7;
    byte[] data = bytes(len, 2);
    try (TestingS3adtFileSystem fs = testingFs()) {
      write(fs, p, data);
      byte[] back = new byte[len];
      List<String> requests;
      try (Requests rec = new Requests()) {
        try (FSDataInputStream in = fs.open(p)) {
          in.readFully(back);
          assertEquals(-1, in.read());
        }
        requests = rec.of("/one-get/large");
      }
      assertArrayEquals(data, back);
      if (requests != null) {
        assertEquals("the bounded first GET, then one to the end",
            List.of("GET bytes=0-65535", "GET bytes=65536-"), requests);
      }
      // A columnar reader: the footer first, then back to the start and about.
      try (Requests rec = new Requests()) {
        try (FSDataInputStream in = fs.open(p)) {
          byte[] tail = new byte[8];
          in.readFully(len - 8, tail);
          assertArrayEquals(java.util.Arrays.copyOfRange(data, len - 8, len), tail);
          byte[] some = new byte[1000];
          in.seek(100_000);
          in.readFully(some);
          assertArrayEquals(java.util.Arrays.copyOfRange(data, 100_000, 101_000), some);
          in.seek(10);
          in.readFully(some);
          assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 1010), some);
          assertEquals(1010, in.getPos());
        }
        requests = rec.of("/one-get/large");
      }
      if (requests != null) {
        assertEquals("no GET of the whole object", List.of("GET bytes=0-65535",
            "GET bytes=" + (len - 8) + "-", "GET bytes=100000-165535", "GET bytes=10-65545"),
            requests);
      }
    }
  }

  @Test
  public void testOpenFileOfAMissingKnownFileFailsAtTheRead() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs()) {
      Path missing = path("missing");
      try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(missing)
          .opt("fs.option.openfile.length", "10")
          .build())) {
        in.read();
        fail("read a missing file");
      } catch (FileNotFoundException expected) {
        // the GET's 404
      }
    }
  }

  @Test
  public void testOpenFileChecksTheStatusItIsGiven() throws Throwable {
    Path dir = path("a-dir");
    try (TestingS3adtFileSystem fs = testingFs()) {
      fs.mkdirs(dir);
      write(fs, new Path(dir, "f"), new byte[] {1});
      FileStatus dirStatus = fs.getFileStatus(dir);
      try {
        FutureIO.awaitFuture(fs.openFile(dir).withFileStatus(dirStatus).build());
        fail("opened a directory");
      } catch (FileNotFoundException expected) {
        // a directory cannot be opened
      }
      try {
        FutureIO.awaitFuture(fs.openFile(new Path(dir, "f")).withFileStatus(dirStatus).build());
        fail("took another file's status");
      } catch (IllegalArgumentException expected) {
        // the status is of another path
      }
      try {
        FutureIO.awaitFuture(fs.openFile(new Path(dir, "f")).must("fs.s3a.no.such.option", "1")
            .build());
        fail("an unknown mandatory option was accepted");
      } catch (IllegalArgumentException expected) {
        // unknown mandatory keys are refused
      }
    }
  }
}
