package org.s3adt.fs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.URI;
import java.security.PrivilegedExceptionAction;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.junit.Test;
import org.s3adt.token.S3adtTokenIdentifier;

/**
 * Running filesystems move to newer tokens (issue 16 item 2), on moto with Session credentials
 * of about a minute: moto does not expire them, but s3adt refuses an expired token before any
 * request, so a request that succeeds after token 1's expiry was signed with token 2's
 * credentials. Three task UGIs hold token 1: one is given token 2 before token 1 nears its
 * expiry (the filesystem moves to it within the margin, not before; a multipart upload and a
 * read opened on token 1 finish on token 2), one after token 1 expired (the next request
 * moves), one never (the expiry error, naming the time).
 */
public class RebindTest {
  private static final URI BUCKET_A = URI.create("s3a://bucket-a/");
  private static final long MARGIN_MS = 15_000;

  /** A Session token for bucket-a whose credentials last {@code seconds}, as a client gets it. */
  private static Token<?> token(int seconds) throws IOException {
    Configuration c = TestEnv.withBinding(TestEnv.SESSION);
    // a duration of its own: the process's session cache never hands token 1's credentials back
    c.set("fs.s3a.assumed.role.session.duration", seconds + "s");
    try (FileSystem fs = FileSystem.newInstance(BUCKET_A, c)) {
      return fs.getDelegationToken("yarn");
    }
  }

  private static long expiry(Token<?> t) throws IOException {
    return S3adtTokenIdentifier.decode(t).getExpiration();
  }

  private static UserGroupInformation task(String name, Token<?> t) {
    UserGroupInformation u = UserGroupInformation.createRemoteUser(name);
    u.addToken(t);
    return u;
  }

  /** A filesystem opened in {@code ugi}: the task's configuration, no keys. */
  private static S3adtFileSystem open(UserGroupInformation ugi) throws Exception {
    Configuration c = TestEnv.base();
    c.set("fs.s3a.delegation.token.binding", TestEnv.SESSION);
    c.set(Rebind.MARGIN_KEY, MARGIN_MS + "ms");
    c.set("fs.s3a.multipart.size", "5M");
    return ugi.doAs((PrivilegedExceptionAction<S3adtFileSystem>) () ->
        (S3adtFileSystem) FileSystem.newInstance(BUCKET_A, c));
  }

  private static void sleepUntil(long ms) throws InterruptedException {
    for (long now; (now = System.currentTimeMillis()) < ms; ) {
      Thread.sleep(Math.min(1000, ms - now));
    }
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void assertBoundTo(Token<?> t, S3adtFileSystem fs) throws IOException {
    assertArrayEquals(t.getIdentifier(), fs.getDelegationToken("yarn").getIdentifier());
    assertEquals(S3adtTokenIdentifier.decode(t).toString(), fs.getBoundTokenDescription());
  }

  @Test
  public void runningFilesystemsMoveToNewerTokens() throws Exception {
    Token<?> t1 = token(60);
    long exp1 = expiry(t1);
    assertTrue("token 1 expires in about a minute: " + exp1,
        exp1 > System.currentTimeMillis() + 40_000 && exp1 < System.currentTimeMillis() + 70_000);
    // what Spark's HadoopFSDelegationTokenProvider learns from a fresh token through the
    // renewer: renew() - issueDate, the credentials' lifetime, by which it re-obtains tokens
    S3adtTokenIdentifier id1 = S3adtTokenIdentifier.decode(t1);
    long interval = t1.renew(new Configuration(false)) - id1.getIssueDate();
    assertEquals(exp1, t1.renew(new Configuration(false)));
    assertTrue("lifetime " + interval, interval > 50_000 && interval <= 61_000);
    assertFalse(t1.isManaged());
    UserGroupInformation early = task("early", t1);
    UserGroupInformation late = task("late", t1);
    UserGroupInformation never = task("never", t1);
    Path small = new Path("/rebind/small");
    Path big = new Path("/rebind/big");
    byte[] smallData = bytes(3 << 20, 1);
    byte[] part1 = bytes(6 << 20, 2);
    byte[] part2 = bytes(6 << 20, 3);
    byte[] part3 = bytes(1 << 20, 4);
    try (S3adtFileSystem fsEarly = open(early); S3adtFileSystem fsLate = open(late);
        S3adtFileSystem fsNever = open(never)) {
      try (FSDataOutputStream out = fsEarly.create(small, true)) {
        out.write(smallData);
      }
      // on token 1: a multipart upload under way (a part above 5 MiB) and an open read
      FSDataOutputStream upload = fsEarly.create(big, true);
      upload.write(part1);
      FSDataInputStream read = fsEarly.open(small);
      byte[] head = new byte[1000];
      read.readFully(0, head);

      // token 2, lasting longer, reaches the early task's credentials well before the margin:
      // nothing moves yet
      Token<?> t2 = token(150);
      long exp2 = expiry(t2);
      assertTrue(exp2 > exp1);
      early.addToken(t2);
      assertTrue(fsEarly.exists(small));
      assertBoundTo(t1, fsEarly);

      // within the margin: the next request moves to token 2
      sleepUntil(exp1 - MARGIN_MS + 2_000);
      assertTrue("still before token 1's expiry", System.currentTimeMillis() < exp1);
      upload.write(part2);
      assertBoundTo(t2, fsEarly);
      assertBoundTo(t1, fsLate);

      // token 1 has expired: s3adt refuses it before any request
      sleepUntil(exp1 + 1_000);
      try {
        fsNever.getFileStatus(small);
        fail("a request on an expired token");
      } catch (DelegationTokenIOException e) {
        String at = OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(exp1), ZoneOffset.UTC)
            .format(DateTimeFormatter.ISO_DATE_TIME);
        assertTrue(e.getMessage(), e.getMessage().contains("expired at " + at));
        assertTrue(e.getMessage(), e.getMessage().contains(exp1 + " ms since the epoch"));
      }
      // the late task gets token 2 only now: its next request moves
      late.addToken(t2);
      assertTrue(fsLate.exists(small));
      assertBoundTo(t2, fsLate);

      // the upload and the read opened on token 1 finish on token 2
      upload.write(part3);
      upload.close();
      byte[] rest = new byte[smallData.length - 1000];
      read.readFully(1000, rest);
      read.seek(0); // a new GET
      byte[] again = new byte[smallData.length];
      read.readFully(again);
      read.close();
      assertArrayEquals(smallData, again);
      assertEquals(part1.length + part2.length + part3.length, fsLate.getFileStatus(big).getLen());
      byte[] back = new byte[part1.length + part2.length + part3.length];
      try (FSDataInputStream in = fsLate.open(big)) {
        in.readFully(0, back);
      }
      java.nio.ByteBuffer want = java.nio.ByteBuffer.allocate(back.length);
      want.put(part1).put(part2).put(part3);
      assertArrayEquals(want.array(), back);
      assertTrue(fsLate.store().listUploads("rebind/").isEmpty());
      // the never task is still refused, still naming token 1's expiry
      try {
        fsNever.exists(small);
        fail("a request on an expired token");
      } catch (DelegationTokenIOException e) {
        assertTrue(e.getMessage(), e.getMessage().contains(exp1 + " ms since the epoch"));
      }
      assertBoundTo(t1, fsNever);
      assertFalse(fsNever.getBoundTokenDescription().isEmpty());
    }
  }
}
