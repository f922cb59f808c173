package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code fs.s3a.multipart.purge} and {@code fs.s3a.multipart.purge.age} at initialize, on moto,
 * as hadoop-aws honours them: off by default; on, the bucket's uploads older than the age are
 * aborted (per-bucket keys apply); a bad age fails initialize naming the key; a 403 (the
 * filesystem may be read only) is logged and initialize goes on. Uploads are opened, and what is
 * left is listed, by boto3, not by s3adt. moto dates every upload 2010-11-10T20:48:33Z, so any
 * age under 16 years finds them old, and a larger one finds them young. A bucket of its own:
 * purging is bucket-wide.
 */
public class UploadsPurgeTest {
  private static final String BUCKET = "purge-test";

  private static String boto(String... args) throws Exception {
    String script = "import boto3, sys\n"
        + "s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',"
        + " aws_access_key_id='k', aws_secret_access_key='s')\n"
        + "op, bucket = sys.argv[2], sys.argv[3]\n"
        + "if op == 'bucket':\n"
        + "    s3.create_bucket(Bucket=bucket)\n"
        + "elif op == 'start':\n"
        + "    for key in sys.argv[4:]:\n"
        + "        s3.create_multipart_upload(Bucket=bucket, Key=key)\n"
        + "else:\n"
        + "    ups = s3.list_multipart_uploads(Bucket=bucket).get('Uploads', [])\n"
        + "    print(' '.join(sorted(u['Key'] for u in ups)))\n";
    List<String> cmd = new ArrayList<>(Arrays.asList("python3", "-c", script,
        TestEnv.env("S3ADT_MOTO_ENDPOINT")));
    Collections.addAll(cmd, args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = read(p.getInputStream()).trim();
    assertEquals("boto3: " + out, 0, p.waitFor());
    return out;
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) > 0; ) {
      b.write(buf, 0, n);
    }
    return new String(b.toByteArray(), StandardCharsets.UTF_8);
  }

  @BeforeClass
  public static void bucket() throws Exception {
    boto("bucket", BUCKET);
  }

  private static Configuration conf() {
    Configuration c = TestEnv.base();
    c.set("fs.s3a.access.key", TestEnv.env("S3ADT_MOTO_AK"));
    c.set("fs.s3a.secret.key", TestEnv.env("S3ADT_MOTO_SK"));
    c.set("fs.s3a.path.style.access", "true");
    return c;
  }

  private static void initialize(Configuration c) throws IOException {
    try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), c)) {
      // initialize is where the purge happens; one call to show the filesystem works
      fs.exists(new Path("/"));
    }
  }

  @Test
  public void purgesOldUploadsOnlyWhenAskedAndOnlyOldEnough() throws Exception {
    boto("start", BUCKET, "t/a", "t/a", "t/b/c");
    initialize(conf());
    assertEquals("off by default", "t/a t/a t/b/c", boto("left", BUCKET));

    Configuration young = conf();
    young.set("fs.s3a.multipart.purge", "true");
    young.set("fs.s3a.multipart.purge.age", "36500d");
    initialize(young);
    assertEquals("younger than a century", "t/a t/a t/b/c", boto("left", BUCKET));

    // The bucket's own keys apply, and the default age (24h) finds moto's uploads old.
    Configuration perBucket = conf();
    perBucket.set("fs.s3a.bucket." + BUCKET + ".multipart.purge", "true");
    initialize(perBucket);
    assertEquals("purged", "", boto("left", BUCKET));
  }

  @Test
  public void aBadAgeFailsInitializeNamingTheKey() throws Exception {
    Configuration c = conf();
    c.set("fs.s3a.multipart.purge", "true");
    c.set("fs.s3a.multipart.purge.age", "soon");
    try {
      initialize(c);
      fail("initialize accepted fs.s3a.multipart.purge.age=soon");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("fs.s3a.multipart.purge.age"));
    }
  }

  @Test
  public void aRefusalIsLoggedAndInitializeGoesOn() throws Exception {
    // moto with authentication on refuses keys it never issued: ListMultipartUploads is a 403.
    Configuration c = conf();
    c.set("fs.s3a.endpoint", TestEnv.env("S3ADT_MOTO_AUTH_ENDPOINT"));
    c.set("fs.s3a.access.key", "AKIANOBODYKNOWS00000");
    c.set("fs.s3a.secret.key", "not-a-secret-anyone-issued");
    c.set("fs.s3a.multipart.purge", "true");
    try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://bucket-a/"), c)) {
      try {
        fs.getFileStatus(new Path("/hello.txt"));
        fail("moto with authentication on accepted unknown keys");
      } catch (AccessDeniedException e) {
        // the same refusal the purge met at initialize, which did not fail
      }
    }
  }
}
