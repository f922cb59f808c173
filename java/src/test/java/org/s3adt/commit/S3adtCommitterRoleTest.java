package org.s3adt.commit;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.MultipartUploader;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitterFactory;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.junit.BeforeClass;
import org.junit.Test;
import org.s3adt.fs.S3adtFileSystem;

/**
 * A Role token whose role may not list multipart uploads, on Ceph RGW (which enforces role
 * policies): tests/peers/rgw/setup.py makes the role {@code s3-nolist} (s3:* but
 * s3:ListBucketMultipartUploads and s3:ListMultipartUploadParts denied), tests/java/committer.sh
 * --rgw names it in S3ADT_RGW_NOLIST_ROLE_ARN; skipped without it (moto enforces no policy).
 * What needs the listing fails naming the action; the magic committer, which lists only as best effort (its
 * {@code fs.s3a.committer.abort.pending.uploads} clean-up, as hadoop-aws's), commits and aborts
 * its own uploads all the same.
 */
public class S3adtCommitterRoleTest {
  private static final URI BUCKET_A = URI.create("s3a://bucket-a/");
  private static final String ACTION = "s3:ListBucketMultipartUploads";

  @BeforeClass
  public static void rgwWithTheRole() {
    assumeTrue("S3ADT_RGW_NOLIST_ROLE_ARN is set by tests/java/committer.sh --rgw",
        System.getenv("S3ADT_RGW_NOLIST_ROLE_ARN") != null);
  }

  /** RGW as s3adt reaches it, with the Role binding and no keys. */
  private static Configuration base() {
    Configuration c = new Configuration();
    String ep = System.getenv("S3ADT_RGW_ENDPOINT");
    c.set("fs.s3a.impl", S3adtFileSystem.class.getName());
    c.setBoolean("fs.s3a.impl.disable.cache", true);
    c.set("fs.s3a.endpoint", ep);
    c.set("fs.s3a.endpoint.region", "us-east-1");
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.connection.ssl.enabled", "false");
    c.set("fs.s3a.bucket.probe", "0");
    c.set("fs.s3a.assumed.role.sts.endpoint", ep);
    c.set("fs.s3a.assumed.role.sts.endpoint.region", "us-east-1");
    c.set("fs.s3a.delegation.token.binding",
        "org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenBinding");
    // RGW refuses kms: in a session policy, and DeleteObjects to a session with one
    c.set("fs.s3a.s3adt.role.policy.kms", "false");
    c.set("fs.s3a.multiobjectdelete.enable", "false");
    c.set("mapreduce.outputcommitter.factory.scheme.s3a", S3adtCommitterFactory.class.getName());
    c.set("fs.s3a.committer.name", "magic");
    return c;
  }

  /** The admin's filesystem (keys, no binding): to look at what the role's left. */
  private static S3adtFileSystem admin() throws IOException {
    Configuration c = base();
    c.unset("fs.s3a.delegation.token.binding");
    c.set("fs.s3a.access.key", System.getenv("S3ADT_RGW_ADMIN_AK"));
    c.set("fs.s3a.secret.key", System.getenv("S3ADT_RGW_ADMIN_SK"));
    return (S3adtFileSystem) FileSystem.newInstance(BUCKET_A, c);
  }

  /** A task's user holding a Role token of s3-nolist, as a YARN container does. */
  private static UserGroupInformation roleTask() throws Exception {
    Configuration c = base();
    c.set("fs.s3a.access.key", System.getenv("S3ADT_RGW_ADMIN_AK"));
    c.set("fs.s3a.secret.key", System.getenv("S3ADT_RGW_ADMIN_SK"));
    c.set("fs.s3a.assumed.role.arn", System.getenv("S3ADT_RGW_NOLIST_ROLE_ARN"));
    Token<?> t;
    try (FileSystem fs = FileSystem.newInstance(BUCKET_A, c)) {
      t = fs.getDelegationToken("yarn");
    }
    UserGroupInformation u = UserGroupInformation.createRemoteUser("task");
    u.addToken(t);
    return u;
  }

  private static TaskAttemptContext task(Configuration conf, JobID job, int task) {
    return new TaskAttemptContextImpl(conf,
        new TaskAttemptID(new org.apache.hadoop.mapreduce.TaskID(job, TaskType.REDUCE, task), 0));
  }

  private static S3adtMagicCommitter written(S3adtFileSystem fs, Configuration conf, Path dest,
      JobID job, String name) throws IOException {
    S3adtMagicCommitter c = (S3adtMagicCommitter) PathOutputCommitterFactory.createCommitter(
        dest, task(conf, job, 0));
    try (FSDataOutputStream out = fs.create(new Path(c.getWorkPath(), name), false)) {
      out.write(name.getBytes(StandardCharsets.UTF_8));
    }
    return c;
  }

  private static List<String> uploads(S3adtFileSystem fs, Path dest) throws IOException {
    List<String> out = new ArrayList<>();
    for (String[] u : fs.listUploads(fs.keyOf(dest) + "/")) {
      out.add(u[0]);
    }
    return out;
  }

  @Test
  public void testListingRefusedNamesTheAction() throws Exception {
    roleTask().doAs((PrivilegedExceptionAction<Void>) () -> {
      inTask();
      return null;
    });
  }

  /** In the task's user: every filesystem opened here is bound to the Role token. */
  private static void inTask() throws Exception {
    Path dest = new Path("s3a://bucket-a/committer-role/" + UUID.randomUUID());
    try (S3adtFileSystem fs = (S3adtFileSystem) FileSystem.newInstance(BUCKET_A, base());
        S3adtFileSystem admin = admin()) {
      // Hadoop's MultipartUploader.abortUploadsUnderPath lists: refused, naming the action
      try (MultipartUploader mpu = fs.createMultipartUploader(dest).build()) {
        mpu.abortUploadsUnderPath(dest).get();
        fail("listing uploads with a role that may not succeeded");
      } catch (IOException e) {
        assertTrue(e.toString(), e.toString().contains(ACTION));
      }
      try {
        fs.listUploads(fs.keyOf(dest) + "/");
        fail("listing uploads with a role that may not succeeded");
      } catch (IOException e) {
        assertTrue(e.toString(), e.toString().contains(ACTION));
      }

      // the magic committer with abort.pending.uploads=true: its listing is best effort
      Configuration conf = base();
      conf.setBoolean(S3adtMagicCommitter.ABORT_PENDING_UPLOADS, true);
      JobID a = new JobID("nolist", 1);
      S3adtMagicCommitter ca = written(fs, conf, dest, a, "part-a");
      ca.commitTask(task(conf, a, 0));
      ca.commitJob(new JobContextImpl(conf, a));
      byte[] got = new byte[6];
      try (FSDataInputStream in = admin.open(new Path(dest, "part-a"))) {
        IOUtils.readFully(in, got, 0, got.length);
      }
      assertArrayEquals("part-a".getBytes(StandardCharsets.UTF_8), got);
      assertTrue(admin.exists(new Path(dest, "_SUCCESS")));
      JobID b = new JobID("nolist", 2);
      S3adtMagicCommitter cb = written(fs, conf, dest, b, "part-b");
      cb.commitTask(task(conf, b, 0));
      assertEquals(1, uploads(admin, dest).size());
      cb.abortJob(new JobContextImpl(conf, b), JobStatus.State.FAILED);
      assertTrue(uploads(admin, dest).toString(), uploads(admin, dest).isEmpty());
      assertTrue(!admin.exists(new Path(dest, "part-b")));
    }
  }
}
