package org.s3adt.fs.contract;

import static org.apache.hadoop.fs.contract.ContractTestUtils.dataset;
import static org.apache.hadoop.fs.contract.ContractTestUtils.readDataset;
import static org.apache.hadoop.fs.contract.ContractTestUtils.touch;
import static org.apache.hadoop.fs.contract.ContractTestUtils.writeDataset;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.Test;
import org.s3adt.fs.ObjectStore;

/**
 * s3adt's data path beyond Hadoop's contract, on the same store: what S3 holds after each
 * operation (markers, uploads), multipart writes, aborts on failed and interrupted writes (seen
 * through ListMultipartUploads), listings over many pages, concurrent positioned reads.
 */
public class S3adtDataPathTest extends S3adtStoreTestBase {

  @Override
  protected int getTestTimeoutMillis() {
    return 300_000;
  }

  /** A filesystem of its own ({@link TestingS3adtFileSystem}) with 5 MiB parts. */
  private TestingS3adtFileSystem testingFs(String... keyValues) throws IOException {
    Configuration conf = new Configuration(getContract().getConf());
    conf.set("fs.s3a.impl", TestingS3adtFileSystem.class.getName());
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    conf.set("fs.s3a.multipart.size", "5M");
    for (int i = 0; i < keyValues.length; i += 2) {
      conf.set(keyValues[i], keyValues[i + 1]);
    }
    return (TestingS3adtFileSystem) FileSystem.newInstance(getFileSystem().getUri(), conf);
  }

  private static String key(Path p) {
    return p.toUri().getPath().substring(1);
  }

  private static byte[] random(int len, long seed) {
    byte[] b = new byte[len];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Poll the store's multipart uploads under a key until {@code present} holds (20 s at most). */
  private static boolean awaitUploads(ObjectStore store, String key, boolean present)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      boolean there = store.listUploads(key).contains(key);
      if (there == present || System.nanoTime() > deadline) {
        return there == present;
      }
      Thread.sleep(100);
    }
  }

  @Test
  public void testNothingIsVisibleUntilCloseAndProgressIsReported() throws Throwable {
    Path p = path("invisible");
    AtomicInteger progress = new AtomicInteger();
    FileSystem fs = getFileSystem();
    FSDataOutputStream out = fs.create(p, true, 4096, (short) 1, 1 << 20,
        progress::incrementAndGet);
    byte[] data = dataset(10_000, 'a', 26);
    for (int i = 0; i < 10; i++) {
      out.write(data, i * 1000, 1000);
    }
    assertPathDoesNotExist("visible before close", p);
    assertTrue("progress calls: " + progress.get(), progress.get() >= 10);
    out.close();
    out.close();
    assertEquals(10_000, fs.getFileStatus(p).getLen());
    assertTrue(Arrays.equals(data, readDataset(fs, p, data.length)));
  }

  @Test
  public void testMarkersAreKeptAsS3ADoes() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs()) {
      ObjectStore store = fs.raw();
      Path dir = path("markers/dir");
      assertTrue(fs.mkdirs(dir));
      assertNotNull("mkdirs puts a marker", store.head(key(dir) + "/"));
      assertNull("no marker for the parent", store.head(key(dir.getParent()) + "/"));
      assertIsDirectory(dir.getParent());

      Path file = new Path(dir, "file");
      touch(fs, file);
      assertNotNull("the marker is kept under a file", store.head(key(dir) + "/"));
      assertTrue(fs.delete(file, false));
      assertIsDirectory(dir);

      // a directory that only a file implied gets a marker when that file goes
      Path implied = path("markers/implied");
      Path only = new Path(implied, "only");
      touch(fs, only);
      assertNull(store.head(key(implied) + "/"));
      assertTrue(fs.delete(only, false));
      assertNotNull("the emptied parent keeps a marker", store.head(key(implied) + "/"));
      assertIsDirectory(implied);
      assertEquals(0, fs.listStatus(implied).length);
    }
  }

  @Test
  public void testMultipartWriteRoundTrip() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs()) {
      Path p = path("multipart");
      int len = 11 * MIB + 12_345;
      byte[] data = random(len, 1);
      try (FSDataOutputStream out = fs.create(p, true)) {
        int off = 0;
        int step = 1;
        while (off < len) {
          int n = Math.min(step, len - off);
          out.write(data, off, n);
          off += n;
          step = step * 3 + 1; // 1, 4, 13, ... bytes, up to far more than a part
          if (step > 3 * MIB) {
            step = 7;
          }
        }
      }
      assertEquals("no upload left behind", 0, fs.raw().listUploads(key(p)).size());
      FileStatus st = fs.getFileStatus(p);
      assertEquals(len, st.getLen());
      try (FSDataInputStream in = fs.open(p)) {
        byte[] got = new byte[len];
        in.readFully(0, got);
        assertTrue("the multipart object differs from what was written",
            Arrays.equals(data, got));
        for (long at : new long[] {5L * MIB - 3, 10L * MIB - 1, len - 10}) {
          byte[] small = new byte[10];
          in.readFully(at, small);
          assertTrue("bytes at " + at, Arrays.equals(Arrays.copyOfRange(data, (int) at,
              (int) at + 10), small));
        }
      }
    }
  }

  /** A stream on {@code p} that has written six times {@code mib}: a multipart upload is open. */
  private static FSDataOutputStream uploading(TestingS3adtFileSystem fs, Path p, byte[] mib)
      throws IOException, InterruptedException {
    String key = key(p);
    FSDataOutputStream out = fs.create(p, true);
    for (int i = 0; i < 6; i++) {
      out.write(mib);
    }
    assertTrue("no multipart upload of " + key + " after 6 MiB",
        awaitUploads(fs.raw(), key, true));
    return out;
  }

  /** The upload to {@code p} was aborted: abort called, the upload no longer listed. */
  private static void assertAborted(TestingS3adtFileSystem fs, Path p)
      throws IOException, InterruptedException {
    String key = key(p);
    assertTrue("abort was not called", fs.aborts.get() >= 1);
    assertTrue("the upload of " + key + " is still listed after the abort",
        awaitUploads(fs.raw(), key, false));
  }

  @Test
  public void testAFailedWriteAbortsTheUpload() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs()) {
      Path p = path("failed-write");
      String key = key(p);
      fs.fault = TestingS3adtFileSystem.Fault.WRITE;
      fs.failAfter = 6L * MIB;
      AssertionError[] uploadSeen = new AssertionError[1];
      fs.beforeFailure = () -> {
        try {
          if (!awaitUploads(fs.raw(), key, true)) {
            uploadSeen[0] = new AssertionError("no multipart upload of " + key
                + " after a part's worth of writes");
          }
        } catch (IOException | InterruptedException e) {
          uploadSeen[0] = new AssertionError(e);
        }
      };
      byte[] mib = random(MIB, 2);
      FSDataOutputStream out = fs.create(p, true);
      IOException failed = null;
      try {
        for (int i = 0; i < 8; i++) {
          out.write(mib);
        }
      } catch (IOException e) {
        failed = e;
      }
      assertNotNull("the injected failure did not surface", failed);
      assertTrue(failed.getMessage(), failed.getMessage().contains("injected"));
      if (uploadSeen[0] != null) {
        throw uploadSeen[0];
      }
      assertAborted(fs, p);
      try {
        out.write(1);
        fail("a write after a failure was accepted");
      } catch (IOException expected) {
        assertTrue(expected.getMessage(), expected.getMessage().contains("aborted"));
      }
      try {
        out.close();
        fail("close after a failure said the file was written");
      } catch (IOException expected) {
        // the failure is reported again, once
      }
      out.close();
      assertPathDoesNotExist("a failed write became visible", p);
    }
  }

  @Test
  public void testAFailedCloseAbortsTheUpload() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs()) {
      Path p = path("failed-close");
      fs.fault = TestingS3adtFileSystem.Fault.COMPLETE;
      FSDataOutputStream out = uploading(fs, p, random(MIB, 3));
      try {
        out.close();
        fail("the injected completion failure did not surface");
      } catch (IOException expected) {
        assertTrue(expected.getMessage(), expected.getMessage().contains("injected"));
      }
      assertAborted(fs, p);
      assertPathDoesNotExist("a failed close made the file visible", p);
    }
  }

  @Test
  public void testAnInterruptedWriteAbortsTheUpload() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs()) {
      Path p = path("interrupted");
      byte[] mib = random(MIB, 4);
      FSDataOutputStream out = uploading(fs, p, mib);
      Thread.currentThread().interrupt();
      try {
        out.write(mib);
        fail("a write on an interrupted thread went on");
      } catch (InterruptedIOException expected) {
        assertTrue("the interrupt flag was cleared", Thread.currentThread().isInterrupted());
      } finally {
        Thread.interrupted();
      }
      assertAborted(fs, p);
      try {
        out.close();
        fail("close after an interrupted write said the file was written");
      } catch (IOException expected) {
        // reported once more
      }
      assertPathDoesNotExist("an interrupted write became visible", p);
    }
  }

  @Test
  public void testListingsOverManyPages() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs("fs.s3a.paging.maximum", "3")) {
      Path base = path("pages");
      Set<Path> files = new HashSet<>();
      for (int i = 0; i < 11; i++) {
        Path f = new Path(base, "f" + i);
        touch(fs, f);
        files.add(f);
      }
      for (int d = 0; d < 4; d++) {
        Path f = new Path(base, "d" + d + "/sub/g");
        touch(fs, f);
        files.add(f);
      }
      fs.mkdirs(new Path(base, "empty"));
      FileStatus[] top = fs.listStatus(base);
      assertEquals("11 files, 4 directories and an empty one: " + Arrays.toString(top), 16,
          top.length);
      Set<Path> listed = new HashSet<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(base, true);
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        assertTrue(s.isFile());
        listed.add(s.getPath());
      }
      assertEquals(files, listed);
      assertEquals(15, fs.getContentSummary(base).getFileCount());
      assertEquals("base, d0..d3, their subs, empty", 10,
          fs.getContentSummary(base).getDirectoryCount());
    }
  }

  @Test
  public void testRenameAndDeleteOfADirectoryTree() throws Throwable {
    FileSystem fs = getFileSystem();
    Path src = path("tree-src");
    Path dst = path("tree-dst");
    List<String> rel = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rel.add((i % 3 == 0 ? "" : "a" + (i % 3) + "/") + (i % 2 == 0 ? "b/" : "") + "f" + i);
    }
    for (String r : rel) {
      writeDataset(fs, new Path(src, r), dataset(r.length(), 'a', 26), r.length(), 1024,
          true);
    }
    fs.mkdirs(new Path(src, "emptydir"));
    assertTrue(fs.rename(src, dst));
    assertPathDoesNotExist("source after rename", src);
    for (String r : rel) {
      assertEquals(r, r.length(), fs.getFileStatus(new Path(dst, r)).getLen());
    }
    assertIsDirectory(new Path(dst, "emptydir"));
    assertIsDirectory(src.getParent());
    assertTrue(fs.delete(dst, true));
    assertPathDoesNotExist("tree after delete", dst);
    assertEquals(0, fs.listStatus(src.getParent()).length);
  }

  @Test
  public void testPositionedReadsFromManyThreads() throws Throwable {
    FileSystem fs = getFileSystem();
    Path p = path("concurrent");
    int len = 3 * MIB + 7;
    byte[] data = random(len, 5);
    writeDataset(fs, p, data, len, 1 << 20, true);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (FSDataInputStream in = fs.open(p)) {
      List<Future<Void>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        final long seed = t;
        results.add(pool.submit((Callable<Void>) () -> {
          Random r = new Random(seed);
          for (int i = 0; i < 40; i++) {
            int at = r.nextInt(len);
            int n = Math.min(1 + r.nextInt(100_000), len - at);
            byte[] got = new byte[n];
            in.readFully(at, got);
            if (!Arrays.equals(Arrays.copyOfRange(data, at, at + n), got)) {
              throw new AssertionError("positioned read of " + n + " at " + at + " differs");
            }
          }
          return null;
        }));
      }
      for (Future<Void> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void testALargeRenameCopiesInParts() throws Throwable {
    // above fs.s3a.multipart.threshold the copy is UploadPartCopy in parts of multipart.size
    try (TestingS3adtFileSystem fs = testingFs("fs.s3a.multipart.threshold", "5M")) {
      Path src = path("large-src");
      Path dst = path("large-dst");
      int len = 11 * MIB + 3;
      byte[] data = random(len, 6);
      writeDataset(fs, src, data, len, 1 << 20, true);
      String etag = ((org.apache.hadoop.fs.EtagSource) fs.getFileStatus(src)).getEtag();
      assertTrue("rename of an 11 MiB file", fs.rename(src, dst));
      assertPathDoesNotExist("source after rename", src);
      assertEquals(len, fs.getFileStatus(dst).getLen());
      assertTrue("the copy differs", Arrays.equals(data, readDataset(fs, dst, len)));
      assertEquals("no upload left behind", 0, fs.raw().listUploads(key(dst)).size());
      assertNotNull(etag);
    }
  }

  @Test
  public void testNamesThatNeedEncoding() throws Throwable {
    FileSystem fs = getFileSystem();
    Path base = path("names");
    String[] names = {"with space", "plus+sign", "percent%41", "ünïcödé-名前", "eq=amp&x",
        "tilde~quote'", "hash#q?mark", "(paren)[br]{cu}", "semi;comma,at@dollar$", "*star"};
    for (String n : names) {
      Path dir = new Path(base, n);
      Path file = new Path(dir, n + ".txt");
      byte[] data = ("contents of " + n).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      writeDataset(fs, file, data, data.length, 1024, true);
      assertEquals(n, data.length, fs.getFileStatus(file).getLen());
      assertTrue(n, fs.getFileStatus(dir).isDirectory());
      FileStatus[] in = fs.listStatus(dir);
      assertEquals(n, 1, in.length);
      assertEquals(n, file, in[0].getPath());
      assertTrue(n, Arrays.equals(data, readDataset(fs, file, data.length)));
      Path renamed = new Path(dir, n + " renamed");
      assertTrue(n, fs.rename(file, renamed));
      assertPathDoesNotExist(n, file);
      assertTrue(n, Arrays.equals(data, readDataset(fs, renamed, data.length)));
    }
    Set<Path> listed = new HashSet<>();
    for (FileStatus st : fs.listStatus(base)) {
      listed.add(st.getPath());
    }
    Set<Path> expected = new HashSet<>();
    for (String n : names) {
      expected.add(new Path(base, n));
    }
    assertEquals(expected, listed);
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(base, true);
    int files = 0;
    while (it.hasNext()) {
      LocatedFileStatus st = it.next();
      assertTrue(st.getPath().toString(), st.getPath().getName().endsWith(" renamed"));
      files++;
    }
    assertEquals(names.length, files);
    assertTrue(fs.delete(base, true));
    assertPathDoesNotExist("after the recursive delete", base);
  }

  @Test
  public void testAFailedCopyLeavesTheSourceWhole() throws Throwable {
    try (TestingS3adtFileSystem fs = testingFs()) {
      Path src = path("copy-src");
      Path dst = path("copy-dst");
      for (int i = 0; i < 30; i++) {
        touch(fs, new Path(src, (i == 17 ? "bad-" : "f") + i));
      }
      fs.fault = TestingS3adtFileSystem.Fault.COPY;
      fs.failCopiesOf = "bad-";
      try {
        fs.rename(src, dst);
        fail("a rename whose copy failed succeeded");
      } catch (IOException expected) {
        assertTrue(expected.getMessage(), expected.getMessage().contains("injected"));
      }
      assertEquals("every source file is still there", 30, fs.listStatus(src).length);
      fs.fault = TestingS3adtFileSystem.Fault.NONE;
      fs.delete(dst, true);
      assertTrue(fs.rename(src, dst));
      assertEquals(30, fs.listStatus(dst).length);
      assertPathDoesNotExist("source after the second rename", src);
    }
  }
}
