package org.s3adt.fs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 12 item 2 through the FileSystem: {@code fs.s3a.buffer.dir} and
 * {@code fs.s3a.fast.upload.buffer} reach the native side, with core-default.xml's value as the
 * JVM resolves it when unset, and a buffer directory that cannot take a part is an IOException
 * naming it. Run by tests/java/run.sh (moto).
 */
public class UploadBufferTest {
  private static final URI BUCKET_A = URI.create("s3a://bucket-a/");

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  /** alice's keys on moto, 5 MiB parts, over the given configuration. */
  private static Configuration conf(Configuration c) {
    c.set("fs.s3a.impl", S3adtFileSystem.class.getName());
    c.setBoolean("fs.s3a.impl.disable.cache", true);
    c.set("fs.s3a.endpoint", TestEnv.env("S3ADT_MOTO_ENDPOINT"));
    c.set("fs.s3a.endpoint.region", "us-east-1");
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.access.key", TestEnv.env("S3ADT_MOTO_AK"));
    c.set("fs.s3a.secret.key", TestEnv.env("S3ADT_MOTO_SK"));
    c.set("fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    c.set("fs.s3a.multipart.size", "5M");
    return c;
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(12).nextBytes(b);
    return b;
  }

  @Test
  public void theDefaultBufferDirIsCoreDefaultsAsTheJvmResolvesIt() throws IOException {
    Configuration c = conf(new Configuration());
    File dir = new File(c.get("fs.s3a.buffer.dir"));
    assertEquals("disk", c.get("fs.s3a.fast.upload.buffer"));
    byte[] data = bytes(12 << 20);
    Path p = new Path("/buffer/default");
    try (FileSystem fs = FileSystem.newInstance(BUCKET_A, c)) {
      try (FSDataOutputStream out = fs.create(p, true)) {
        out.write(data);
        assertTrue("the native side made " + dir, dir.isDirectory());
        String[] left = dir.list();
        assertEquals("part files are unlinked", 0, left == null ? 0 : left.length);
      }
      byte[] back = new byte[data.length];
      try (FSDataInputStream in = fs.open(p)) {
        in.readFully(back);
      }
      assertArrayEquals(data, back);
      fs.delete(p, false);
    }
  }

  @Test
  public void anUnusableBufferDirIsAnIOExceptionNamingIt() throws IOException {
    File file = tmp.newFile("a-file");
    String dir = new File(file, "s3a").getPath();
    Configuration c = conf(new Configuration(false));
    c.set("fs.s3a.buffer.dir", dir);
    Path p = new Path("/buffer/unusable");
    try (FileSystem fs = FileSystem.newInstance(BUCKET_A, c)) {
      FSDataOutputStream out = fs.create(p, true);
      try {
        out.write(bytes(3 << 20));
        out.close();
        fail("wrote through a buffer dir under a file");
      } catch (IOException e) {
        assertTrue(e.getMessage(), e.getMessage().contains(dir + ": Not a directory"));
        assertTrue(e.getMessage(), e.getMessage().contains("fs.s3a.buffer.dir"));
      }
      assertFalse(fs.exists(p));
      // array keeps the parts in memory: the same directory is no obstacle.
      c.set("fs.s3a.fast.upload.buffer", "array");
      try (FileSystem inMemory = FileSystem.newInstance(BUCKET_A, c)) {
        try (FSDataOutputStream o = inMemory.create(p, true)) {
          o.write(bytes(7 << 20));
        }
        assertEquals(7 << 20, inMemory.getFileStatus(p).getLen());
        inMemory.delete(p, false);
      }
    }
    assertTrue(Files.isRegularFile(file.toPath()));
  }
}
