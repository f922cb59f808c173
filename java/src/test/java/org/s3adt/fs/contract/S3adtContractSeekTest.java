package org.s3adt.fs.contract;

import static org.apache.hadoop.fs.contract.ContractTestUtils.dataset;
import static org.apache.hadoop.fs.contract.ContractTestUtils.writeDataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractContractSeekTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * Hadoop's seek and read contract, under each of S3A's input policies
 * ({@code fs.s3a.experimental.input.fadvise}) with a small read-ahead
 * ({@code fs.s3a.readahead.range}, 1 KiB) as hadoop-aws runs it, plus reads that start before,
 * on and after the end of the read-ahead, where a stream must join one GET to the next.
 */
@RunWith(Parameterized.class)
public class S3adtContractSeekTest extends AbstractContractSeekTest {
  static final int READAHEAD = 1024;
  static final byte[] DATA = dataset(READAHEAD * 2, 'a', 32);

  @Parameterized.Parameters(name = "fadvise={0}")
  public static Collection<Object[]> policies() {
    return Arrays.asList(new Object[][] {{"sequential"}, {"random"}, {"normal"}});
  }

  private final String policy;

  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  public S3adtContractSeekTest(String policy) {
    this.policy = policy;
  }

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    conf.set("fs.s3a.experimental.input.fadvise", policy);
    conf.setInt("fs.s3a.readahead.range", READAHEAD);
    return S3adtContract.ownInstance(conf);
  }

  @Override
  protected Path path(String filepath) throws IOException {
    return super.path(filepath + "-" + policy);
  }

  private Path writeData(String name) throws IOException {
    Path p = path(name);
    writeDataset(getFileSystem(), p, DATA, DATA.length, READAHEAD, true);
    return p;
  }

  private void assertData(String what, int offset, byte[] got, int len) {
    for (int i = 0; i < len; i++) {
      assertEquals(what + " (" + policy + "): byte " + (offset + i), DATA[offset + i], got[i]);
    }
  }

  /** Read the last byte, then go back: the stream has had a GET to the end and must start over. */
  private static void touchTheEnd(FSDataInputStream in) throws IOException {
    long back = in.getPos();
    in.seek(DATA.length - 1);
    in.readByte();
    in.seek(back);
  }

  @Test
  public void testPositionedReadAcrossTheReadahead() throws Throwable {
    Path p = writeData("across");
    try (FSDataInputStream in = getFileSystem().open(p)) {
      in.readByte();
      byte[] five = new byte[5];
      in.readFully(READAHEAD - 2, five);
      assertData("readFully across the read-ahead", READAHEAD - 2, five, 5);
      assertEquals("position after a positioned read", 1, in.getPos());
      touchTheEnd(in);
      in.readFully(READAHEAD, five);
      assertData("readFully from the read-ahead's end", READAHEAD, five, 5);
    }
  }

  @Test
  public void testSingleBytesAcrossTheReadahead() throws Throwable {
    Path p = writeData("bytes");
    try (FSDataInputStream in = getFileSystem().open(p)) {
      touchTheEnd(in);
      in.seek(READAHEAD - 1);
      byte[] b = new byte[3];
      for (int i = 0; i < 3; i++) {
        b[i] = in.readByte();
      }
      assertData("readByte across the read-ahead", READAHEAD - 1, b, 3);
      assertEquals(READAHEAD + 2, in.getPos());
    }
  }

  @Test
  public void testSeekToTheReadaheadAndRead() throws Throwable {
    Path p = writeData("seekread");
    for (int offset : new int[] {READAHEAD - 1, READAHEAD, READAHEAD + 1}) {
      try (FSDataInputStream in = getFileSystem().open(p)) {
        touchTheEnd(in);
        in.seek(offset);
        byte[] buf = new byte[16];
        int n = in.read(buf);
        assertTrue("read at " + offset + " gave " + n, n > 0);
        assertData("read(byte[]) at " + offset, offset, buf, n);
        assertEquals(offset + n, in.getPos());
      }
    }
  }

  @Test
  public void testWholeFileInRandomOrder() throws Throwable {
    Path p = writeData("random-order");
    int chunk = 100;
    int chunks = (DATA.length + chunk - 1) / chunk;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(42));
    byte[] got = new byte[DATA.length];
    try (FSDataInputStream in = getFileSystem().open(p)) {
      for (int c : order) {
        int off = c * chunk;
        int len = Math.min(chunk, DATA.length - off);
        in.seek(off);
        in.readFully(got, off, len);
      }
    }
    assertTrue("the file read back in a scattered order differs", Arrays.equals(DATA, got));
  }
}
