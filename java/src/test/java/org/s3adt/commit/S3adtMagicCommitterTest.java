package org.s3adt.commit;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.MultipartUploader;
import org.apache.hadoop.fs.PartHandle;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.UploadHandle;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitterFactory;
import org.apache.hadoop.mapreduce.lib.output.committer.manifest.files.ManifestSuccessData;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.Test;
import org.s3adt.fs.MagicPaths;
import org.s3adt.fs.S3adtFileSystem;
import org.s3adt.fs.contract.S3adtStoreTestBase;

/**
 * s3adt's magic committer protocol on a real store (moto from tests/java/run.sh, or RGW with
 * S3ADT_CONTRACT_STORE=rgw): nothing visible before job commit, the uploads pending in S3 the
 * whole time (ListMultipartUploads), what job commit leaves (exactly the files, _SUCCESS JSON,
 * no __magic_job-*, no upload), and the failures: a task attempt that dies after writing, task
 * and job abort, two jobs under one table directory, a failure half way through job commit.
 */
public class S3adtMagicCommitterTest extends S3adtStoreTestBase {

  /** 5 MiB parts, so a 6 MiB file is a pending upload of two parts. */
  @Override
  protected Configuration createConfiguration() {
    Configuration conf = super.createConfiguration();
    conf.set("fs.s3a.multipart.size", "5M");
    return conf;
  }

  @Override
  protected int getTestTimeoutMillis() {
    return 300_000;
  }

  private S3adtFileSystem fs() {
    return (S3adtFileSystem) getFileSystem();
  }

  private Configuration jobConf() {
    Configuration conf = new Configuration(getFileSystem().getConf());
    conf.set("mapreduce.outputcommitter.factory.scheme.s3a", S3adtCommitterFactory.class.getName());
    conf.set("fs.s3a.committer.name", "magic");
    return conf;
  }

  private static TaskAttemptContext task(Configuration conf, JobID job, int task, int attempt) {
    return new TaskAttemptContextImpl(conf,
        new TaskAttemptID(new org.apache.hadoop.mapreduce.TaskID(job, TaskType.REDUCE, task),
            attempt));
  }

  private static S3adtMagicCommitter committer(Path dest, TaskAttemptContext ctx)
      throws IOException {
    PathOutputCommitter c = PathOutputCommitterFactory.createCommitter(dest, ctx);
    assertTrue(c.toString(), c instanceof S3adtMagicCommitter);
    return (S3adtMagicCommitter) c;
  }

  private Path write(S3adtMagicCommitter c, String name, byte[] data) throws IOException {
    Path p = new Path(c.getWorkPath(), name);
    try (FSDataOutputStream out = getFileSystem().create(p, false)) {
      assertTrue(out.hasCapability(MagicPaths.CAPABILITY_MAGIC_OUTPUT_STREAM));
      out.write(data);
    }
    return p;
  }

  /** A task attempt's committer that has written {@code name} (the text {@code body}). */
  private S3adtMagicCommitter written(Path dest, TaskAttemptContext ctx, String name, String body)
      throws IOException {
    S3adtMagicCommitter c = committer(dest, ctx);
    write(c, name, text(body));
    return c;
  }

  /** What a committed job leaves: only _SUCCESS and {@code name} (holding {@code body}), no upload. */
  private void assertCommitted(Path dest, String name, String body) throws IOException {
    assertEquals(new TreeSet<>(Arrays.asList("_SUCCESS", name)), objects(dest));
    assertArrayEquals(text(body), read(new Path(dest, name)));
    assertTrue(uploads(dest).toString(), uploads(dest).isEmpty());
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Keys of uploads in progress under dest. */
  private List<String> uploads(Path dest) throws IOException {
    List<String> out = new ArrayList<>();
    for (String[] u : fs().listUploads(fs().keyOf(dest) + "/")) {
      out.add(u[0]);
    }
    return out;
  }

  /** Every object under dest, as keys relative to it. */
  private TreeSet<String> objects(Path dest) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    String prefix = fs().keyOf(dest) + "/";
    RemoteIterator<LocatedFileStatus> it;
    try {
      it = getFileSystem().listFiles(dest, true);
    } catch (java.io.FileNotFoundException e) {
      return out;
    }
    while (it.hasNext()) {
      out.add(fs().keyOf(it.next().getPath()).substring(prefix.length()));
    }
    return out;
  }

  private byte[] read(Path p) throws IOException {
    long len = getFileSystem().getFileStatus(p).getLen();
    byte[] b = new byte[(int) len];
    try (FSDataInputStream in = getFileSystem().open(p)) {
      IOUtils.readFully(in, b, 0, b.length);
    }
    return b;
  }

  @Test
  public void testCapabilitiesAndFactoryChoice() throws Exception {
    Path dest = path("capabilities");
    assertTrue(getFileSystem().hasPathCapability(dest, MagicPaths.CAPABILITY_MAGIC_COMMITTER));
    assertTrue(getFileSystem().hasPathCapability(dest, "fs.capability.multipart.uploader"));
    Configuration conf = jobConf();
    conf.set("fs.s3a.committer.name", "file");
    PathOutputCommitter c = PathOutputCommitterFactory.createCommitter(dest,
        task(conf, new JobID("cap", 1), 0, 0));
    assertTrue(c.toString(), c instanceof FileOutputCommitter);
    conf.set("fs.s3a.committer.name", "partitioned");
    try {
      PathOutputCommitterFactory.createCommitter(dest, task(conf, new JobID("cap", 1), 0, 0));
      fail("partitioned is not offered");
    } catch (IOException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("partitioned"));
    }
    Configuration off = new Configuration(getFileSystem().getConf());
    off.setBoolean(MagicPaths.MAGIC_COMMITTER_ENABLED, false);
    off.setBoolean("fs.s3a.impl.disable.cache", true);
    try (FileSystem plain = FileSystem.newInstance(getFileSystem().getUri(), off)) {
      assertFalse(plain.hasPathCapability(dest, MagicPaths.CAPABILITY_MAGIC_COMMITTER));
    }
  }

  /** The whole protocol: two tasks, a multipart file, an empty one; what S3 holds at each step. */
  @Test
  public void testCommitLifecycle() throws Exception {
    Path dest = path("lifecycle");
    Configuration conf = jobConf();
    JobID job = new JobID("lifecycle", 1);
    byte[] big = new byte[6 * MIB + 123];
    new Random(7).nextBytes(big);
    S3adtMagicCommitter c0 = committer(dest, task(conf, job, 0, 0));
    assertTrue(c0.getWorkPath().toString(),
        c0.getWorkPath().toString().contains("/__magic_job-" + job + "/job-" + job + "/00/tasks/"));
    c0.setupJob(new JobContextImpl(conf, job));
    c0.setupTask(task(conf, job, 0, 0));
    Path p0 = write(c0, "year=2024/part-0", big);
    write(c0, "part-empty", new byte[0]);
    S3adtMagicCommitter c1 = written(dest, task(conf, job, 1, 0), "part-1", "hello");

    // nothing visible at the final keys; the uploads are open in S3; Spark's length is there
    assertFalse(getFileSystem().exists(new Path(dest, "year=2024/part-0")));
    assertFalse(getFileSystem().exists(new Path(dest, "part-1")));
    assertEquals(new TreeSet<>(Arrays.asList(fs().keyOf(dest) + "/year=2024/part-0",
        fs().keyOf(dest) + "/part-empty",
        fs().keyOf(dest) + "/part-1")), new TreeSet<>(uploads(dest)));
    assertEquals(Long.toString(big.length), new String(
        getFileSystem().getXAttr(p0, MagicPaths.XA_MAGIC_MARKER), StandardCharsets.UTF_8));
    assertEquals(0, getFileSystem().getFileStatus(p0).getLen());
    assertNull(getFileSystem().getXAttr(p0, "header.other"));

    c0.commitTask(task(conf, job, 0, 0));
    c1.commitTask(task(conf, job, 1, 0));
    assertTrue(getFileSystem().exists(new Path(c0.getJobAttemptDir(),
        "task_lifecycle_0001_r_000000.pendingset")));
    assertFalse(getFileSystem().exists(new Path(dest, "part-1")));
    assertEquals(3, uploads(dest).size());

    S3adtMagicCommitter jobCommitter = committer(dest, task(conf, job, 0, 0));
    jobCommitter.commitJob(new JobContextImpl(conf, job));
    assertEquals(new TreeSet<>(Arrays.asList("_SUCCESS", "part-1", "part-empty",
        "year=2024/part-0")), objects(dest));
    assertArrayEquals(big, read(new Path(dest, "year=2024/part-0")));
    assertArrayEquals(text("hello"), read(new Path(dest, "part-1")));
    assertEquals(0, getFileSystem().getFileStatus(new Path(dest, "part-empty")).getLen());
    assertTrue(uploads(dest).toString(), uploads(dest).isEmpty());

    ManifestSuccessData success = ManifestSuccessData.load(getFileSystem(),
        new Path(dest, "_SUCCESS"));
    assertTrue(success.getSuccess());
    assertEquals(S3adtMagicCommitter.NAME, success.getCommitter());
    assertEquals(job.toString(), success.getJobId());
    assertEquals(new TreeSet<>(Arrays.asList("/" + fs().keyOf(dest) + "/part-1",
        "/" + fs().keyOf(dest) + "/part-empty", "/" + fs().keyOf(dest) + "/year=2024/part-0")),
        new TreeSet<>(success.getFilenames()));
    assertEquals(Long.valueOf(big.length + 5), success.getMetrics().get("committer_bytes_committed"));
  }

  /** A task attempt dies after writing: its upload is never completed; the retry's is. */
  @Test
  public void testTaskAttemptDiesAfterWriting() throws Exception {
    Path dest = path("retry");
    Configuration conf = jobConf();
    JobID job = new JobID("retry", 2);
    S3adtMagicCommitter dead =
        written(dest, task(conf, job, 0, 0), "part-0", "from the attempt that died");
    write(dead, "only-dead", text("never to be seen"));
    // attempt 0 is gone (no commit, no abort); attempt 1 writes the same file and commits
    S3adtMagicCommitter retry = written(dest, task(conf, job, 0, 1), "part-0", "from the retry");
    assertEquals(3, uploads(dest).size());
    retry.commitTask(task(conf, job, 0, 1));
    committer(dest, task(conf, job, 0, 0)).commitJob(new JobContextImpl(conf, job));
    assertCommitted(dest, "part-0", "from the retry");
  }

  /** Task abort aborts its uploads; job abort the rest: nothing visible, no upload left. */
  @Test
  public void testAbortTaskThenJob() throws Exception {
    Path dest = path("abort");
    Configuration conf = jobConf();
    JobID job = new JobID("abort", 3);
    S3adtMagicCommitter t0 = written(dest, task(conf, job, 0, 0), "part-0", "zero");
    t0.abortTask(task(conf, job, 0, 0));
    assertTrue(uploads(dest).toString(), uploads(dest).isEmpty());
    S3adtMagicCommitter t1 = written(dest, task(conf, job, 1, 0), "part-1", "one");
    t1.commitTask(task(conf, job, 1, 0));
    // written, never committed
    S3adtMagicCommitter t2 = written(dest, task(conf, job, 2, 0), "part-2", "two");
    assertEquals(2, uploads(dest).size());
    t0.abortJob(new JobContextImpl(conf, job), JobStatus.State.FAILED);
    assertTrue(uploads(dest).toString(), uploads(dest).isEmpty());
    assertEquals(new TreeSet<String>(), objects(dest));
  }

  /** Two jobs under one table directory: neither completes, aborts or deletes the other's. */
  @Test
  public void testTwoJobsUnderOneTable() throws Exception {
    Path dest = path("table");
    Configuration conf = jobConf();
    JobID a = new JobID("a", 4);
    JobID b = new JobID("b", 5);
    S3adtMagicCommitter ta = written(dest, task(conf, a, 0, 0), "p=a/part-0", "job a");
    S3adtMagicCommitter tb = written(dest, task(conf, b, 0, 0), "p=b/part-0", "job b");
    ta.commitTask(task(conf, a, 0, 0));
    tb.commitTask(task(conf, b, 0, 0));
    ta.commitJob(new JobContextImpl(conf, a));
    // a's commit completed a's upload only; b's is pending and invisible, b's dir still there
    assertEquals(Arrays.asList(fs().keyOf(dest) + "/p=b/part-0"), uploads(dest));
    assertFalse(getFileSystem().exists(new Path(dest, "p=b/part-0")));
    assertTrue(getFileSystem().exists(tb.getJobDir()));
    tb.abortJob(new JobContextImpl(conf, b), JobStatus.State.KILLED);
    assertCommitted(dest, "p=a/part-0", "job a");
  }

  /**
   * A failure half way through job commit: one upload of four aborted behind the committer's
   * back, one thread, so two are completed before it. As hadoop-aws (stop, abort, revert): the
   * job fails naming that file, the two completed files are reverted, the fourth upload is
   * aborted, no _SUCCESS, no __magic_job-*, no upload left; the job abort that follows is a no-op.
   */
  @Test
  public void testFailureHalfWayThroughJobCommit() throws Exception {
    Path dest = path("halfway");
    Configuration conf = jobConf();
    conf.setInt(S3adtMagicCommitter.THREADS, 1);
    JobID job = new JobID("halfway", 8);
    for (int i = 0; i < 4; i++) {
      written(dest, task(conf, job, i, 0), "part-" + i, "file " + i)
          .commitTask(task(conf, job, i, 0));
    }
    String failing = fs().keyOf(dest) + "/part-2";
    for (String[] u : fs().listUploads(failing)) {
      fs().abortUpload(u[0], u[1]);
    }
    assertEquals(3, uploads(dest).size());
    S3adtMagicCommitter c = committer(dest, task(conf, job, 0, 0));
    try {
      c.commitJob(new JobContextImpl(conf, job));
      fail("job commit with an upload aborted behind its back succeeded");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains(failing));
    }
    assertEquals(new TreeSet<String>(), objects(dest));
    assertTrue(uploads(dest).toString(), uploads(dest).isEmpty());
    assertFalse(getFileSystem().exists(c.getJobDir()));
    c.abortJob(new JobContextImpl(conf, job), JobStatus.State.FAILED);
    assertEquals(new TreeSet<String>(), objects(dest));
  }

  /**
   * fs.s3a.committer.abort.pending.uploads: core-default.xml's true is not taken (other jobs'
   * uploads survive, above); set explicitly, job commit aborts every upload under dest.
   */
  @Test
  public void testAbortPendingUploadsSetExplicitly() throws Exception {
    Path dest = path("purge");
    Configuration conf = jobConf();
    assertEquals("true", conf.get(S3adtMagicCommitter.ABORT_PENDING_UPLOADS));
    JobID c = new JobID("c", 6);
    JobID d = new JobID("d", 7);
    S3adtMagicCommitter tc = committer(dest, task(conf, c, 0, 0));
    assertFalse(tc.abortAllPending());
    S3adtMagicCommitter td = written(dest, task(conf, d, 0, 0), "part-d", "d");
    Configuration purge = jobConf();
    purge.setBoolean(S3adtMagicCommitter.ABORT_PENDING_UPLOADS, true);
    S3adtMagicCommitter pc = committer(dest, task(purge, c, 0, 0));
    assertTrue(pc.abortAllPending());
    write(pc, "part-c", text("c"));
    pc.commitTask(task(purge, c, 0, 0));
    pc.commitJob(new JobContextImpl(purge, c));
    assertTrue(uploads(dest).toString(), uploads(dest).isEmpty());
    assertArrayEquals(text("c"), read(new Path(dest, "part-c")));
  }

  /** Hadoop's public MultipartUploader over the Rust core. */
  @Test
  public void testMultipartUploader() throws Exception {
    Path dest = path("mpu/file");
    byte[] p1 = new byte[5 * MIB];
    new Random(1).nextBytes(p1);
    byte[] p2 = text("tail");
    try (MultipartUploader mpu = getFileSystem().createMultipartUploader(path("mpu")).build()) {
      UploadHandle up = mpu.startUpload(dest).get();
      Map<Integer, PartHandle> parts = new HashMap<>();
      parts.put(2, mpu.putPart(up, 2, dest, new ByteArrayInputStream(p2), p2.length).get());
      parts.put(1, mpu.putPart(up, 1, dest, new ByteArrayInputStream(p1), p1.length).get());
      assertFalse(getFileSystem().exists(dest));
      mpu.complete(up, dest, parts).get();
      byte[] all = new byte[p1.length + p2.length];
      System.arraycopy(p1, 0, all, 0, p1.length);
      System.arraycopy(p2, 0, all, p1.length, p2.length);
      assertArrayEquals(all, read(dest));

      Path other = path("mpu/aborted");
      UploadHandle up2 = mpu.startUpload(other).get();
      // the native side reads the stream itself: one that ends early, one whose read fails
      try {
        mpu.putPart(up2, 1, other, new ByteArrayInputStream(p2), p2.length + 1).get();
        fail("a part longer than its stream was uploaded");
      } catch (java.io.EOFException expected) {
        assertTrue(expected.getMessage(), expected.getMessage().contains("after 4 of 5 bytes"));
      }
      try {
        mpu.putPart(up2, 1, other, new java.io.InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("the source failed");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("the source failed");
          }
        }, 3).get();
        fail("a part from a failing stream was uploaded");
      } catch (IOException expected) {
        assertEquals("the source failed", expected.getMessage());
      }
      mpu.putPart(up2, 1, other, new ByteArrayInputStream(p2), p2.length).get();
      mpu.abort(up2, other).get();
      mpu.startUpload(path("mpu/x/one")).get();
      mpu.startUpload(path("mpu/x/two")).get();
      assertEquals(Integer.valueOf(2), mpu.abortUploadsUnderPath(path("mpu/x")).get());
      assertTrue(uploads(path("mpu")).toString(), uploads(path("mpu")).isEmpty());
      assertFalse(getFileSystem().exists(other));
    }
  }
}
