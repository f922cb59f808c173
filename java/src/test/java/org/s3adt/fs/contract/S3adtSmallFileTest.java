package org.s3adt.fs.contract;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.FileNotFoundException;
import java.io.IOException;
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
 * without a probe, so the read is the one GET. The probes are counted at the object store
 * ({@link TestingS3adtFileSystem}) over the contract's store (moto by default).
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
      // Without either, as open(): probed first.
      try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(p).build())) {
        in.readFully(back);
      }
      assertEquals(1, fs.heads.get());
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
