package org.s3adt.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskInputOutputContext;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.s3adt.testsupport.AwsEnv;
import org.s3adt.testsupport.Bytes;
import org.s3adt.testsupport.Results;

/**
 * What every task checks in its own JVM, before it does any work, and reports
 * as counters of group {@link #GROUP} (the client asserts them) and as a dump file per task
 * attempt under {@code s3adt.e2e.dump.dir} (run.sh greps it, with the cluster's directories,
 * for alice's secrets).
 *
 * <ul>
 *   <li>{@code tasks}: tasks that ran the checks;</li>
 *   <li>{@code bound}: {@code FileSystem.get(s3a://BUCKET/)} is s3adt and answers
 *       {@code fs.s3adt.capability.delegation.token.bound};</li>
 *   <li>{@code kind-ok}: the token it is bound to has the kind the job expects;</li>
 *   <li>{@code conf-clean}: no S3A secret key in the task's configuration, plain, per bucket,
 *       or through a credential provider;</li>
 *   <li>{@code env-clean}: no AWS credential variable in the task's environment;</li>
 *   <li>{@code c-ok} (only with {@code s3adt.e2e.c.program}): a C program run from the task on
 *       the container's token file ({@code HADOOP_TOKEN_FILE_LOCATION}) got the bucket's
 *       credentials through libs3adt.so;</li>
 *   <li>{@code errors}: a check threw; the dump holds the stack trace.</li>
 * </ul>
 */
final class TaskChecks {
  static final String GROUP = "s3adt-e2e";
  static final String CAPABILITY_BOUND = "fs.s3adt.capability.delegation.token.bound";
  static final String[] SECRET_SUFFIXES = {"access.key", "secret.key", "session.token",
      "encryption.key", "server-side-encryption.key"};
  static final Pattern SECRET_KEY = Pattern.compile(
      "fs\\.s3a\\.(bucket\\.[^.]+\\.)?(access\\.key|secret\\.key|session\\.token)");

  private TaskChecks() {
  }

  static void run(TaskInputOutputContext<?, ?, ?, ?> ctx) throws IOException {
    Configuration conf = ctx.getConfiguration();
    String bucket = conf.get("s3adt.e2e.bucket", "bucket-a");
    String expectedKind = conf.get("s3adt.e2e.expected.kind", "");
    StringBuilder dump = new StringBuilder();
    dump.append("task=").append(ctx.getTaskAttemptID()).append('\n');
    ctx.getCounter(GROUP, "tasks").increment(1);
    try {
      UserGroupInformation ugi = UserGroupInformation.getCurrentUser();
      dump.append("ugi=").append(ugi.getUserName()).append(" auth=")
          .append(ugi.getAuthenticationMethod()).append(" kerberos=")
          .append(ugi.hasKerberosCredentials()).append('\n');
      for (Token<?> t : ugi.getTokens()) {
        dump.append("token kind=").append(t.getKind()).append(" service=")
            .append(t.getService()).append('\n');
      }
      FileSystem fs = FileSystem.get(URI.create("s3a://" + bucket + "/"), conf);
      boolean bound = fs.hasPathCapability(new Path("/"), CAPABILITY_BOUND);
      dump.append("fs=").append(fs).append('\n').append("bound=").append(bound).append('\n');
      if (bound && fs.getClass().getName().equals("org.s3adt.fs.S3adtFileSystem")) {
        ctx.getCounter(GROUP, "bound").increment(1);
        Token<?> t = fs.getDelegationToken(null); // the bound token: no new issue
        dump.append("bound.kind=").append(t.getKind()).append('\n');
        if (t.getKind().toString().equals(expectedKind)) {
          ctx.getCounter(GROUP, "kind-ok").increment(1);
        }
      }
    } catch (IOException | RuntimeException e) {
      ctx.getCounter(GROUP, "errors").increment(1);
      dump.append("ERROR ").append(Results.stackTrace(e));
    }

    List<String> confHits = new ArrayList<>();
    Map<String, String> all = new TreeMap<>();
    for (Map.Entry<String, String> e : conf) {
      all.put(e.getKey(), e.getValue());
      if (SECRET_KEY.matcher(e.getKey()).matches()) {
        confHits.add(e.getKey());
      }
    }
    for (String s : SECRET_SUFFIXES) {
      for (String k : new String[] {"fs.s3a." + s, "fs.s3a.bucket." + bucket + "." + s}) {
        char[] p = conf.getPassword(k);
        if (p != null) {
          confHits.add(k + "(getPassword)");
        }
      }
    }
    for (String k : new String[] {"hadoop.security.credential.provider.path",
        "fs.s3a.security.credential.provider.path"}) {
      if (conf.get(k) != null) {
        confHits.add(k);
      }
    }
    dump.append("conf.secret.keys=").append(confHits).append('\n');
    if (confHits.isEmpty()) {
      ctx.getCounter(GROUP, "conf-clean").increment(1);
    }
    List<String> envHits = new ArrayList<>();
    for (String k : AwsEnv.CREDENTIAL_VARIABLES) {
      if (System.getenv(k) != null) {
        envHits.add(k);
      }
    }
    dump.append("env.aws=").append(envHits).append('\n');
    if (envHits.isEmpty()) {
      ctx.getCounter(GROUP, "env-clean").increment(1);
    }

    String program = conf.get("s3adt.e2e.c.program");
    if (program != null && !program.isEmpty()) {
      runC(ctx, program, bucket, expectedKind, dump);
    }

    String other = conf.get(OTHER_BUCKET);
    if (other != null && !other.isEmpty()) {
      otherBucket(ctx, bucket, other, dump);
    }

    dump.append("---- env\n");
    for (Map.Entry<String, String> e : new TreeMap<>(System.getenv()).entrySet()) {
      dump.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    dump.append("---- conf\n");
    for (Map.Entry<String, String> e : all.entrySet()) {
      dump.append(e.getKey()).append('=').append(conf.get(e.getKey())).append('\n');
    }
    String dir = conf.get("s3adt.e2e.dump.dir");
    if (dir != null) {
      File d = new File(dir);
      d.mkdirs();
      Files.write(new File(d, ctx.getTaskAttemptID() + ".txt").toPath(),
          dump.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Issue 6 item 4 in miniature: a C program in the container, given nothing but the task's
   * environment (HADOOP_TOKEN_FILE_LOCATION names the container's token file), asks
   * libs3adt.so for the bucket's credentials. It must succeed and say which kind it got.
   */
  private static void runC(TaskInputOutputContext<?, ?, ?, ?> ctx, String program,
      String bucket, String expectedKind, StringBuilder dump) {
    try {
      ProcessBuilder pb = new ProcessBuilder(program, bucket).redirectErrorStream(true);
      String libDir = ctx.getConfiguration().get("s3adt.e2e.c.libdir");
      if (libDir != null) {
        pb.environment().put("LD_LIBRARY_PATH", libDir);
      }
      Process p = pb.start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = Bytes.readAll(in);
      }
      boolean done = p.waitFor(30, TimeUnit.SECONDS);
      String text = new String(out, StandardCharsets.UTF_8).trim();
      int rc = done ? p.exitValue() : -1;
      dump.append("c.program=").append(program).append(" rc=").append(rc).append(" out=")
          .append(text).append('\n');
      String want = expectedKind.endsWith("/Full") ? "full credentials" : "session credentials";
      if (rc == 0 && text.startsWith("s3a://" + bucket + ":") && text.contains(want)
          && System.getenv("HADOOP_TOKEN_FILE_LOCATION") != null) {
        ctx.getCounter(GROUP, "c-ok").increment(1);
      }
    } catch (IOException | InterruptedException e) {
      ctx.getCounter(GROUP, "errors").increment(1);
      dump.append("ERROR c.program ").append(Results.stackTrace(e));
    }
  }

  /** Set by the client of the RGW "other bucket" scenario: the bucket the token is not for. */
  static final String OTHER_BUCKET = "s3adt.e2e.other.bucket";
  /** Set by the client of the RGW expiry scenario: when (ms) the map stops sleeping. */
  static final String SLEEP_UNTIL = "s3adt.e2e.sleep.until";
  /** The marker the task prints on stderr (its container log) for the client to find. */
  static final String LOG_PREFIX = "s3adt-e2e-task: ";

  /**
   * The RGW "other bucket" scenario (issue 6 item 5): the client has put the bucket's Role
   * token into the job's credentials a second time, under the service {@code s3a://OTHER}, so
   * s3adt binds {@code s3a://OTHER} to credentials whose AssumeRole session policy allows only
   * the job's bucket. Each of read, list and write must then be refused by RGW itself:
   * {@code java.nio.file.AccessDeniedException} whose text carries RGW's {@code (HTTP 403)}
   * (the text s3adt gives only to a status the service answered). Counters:
   * {@code other-bound} (s3adt, bound, to the very token of the job's bucket),
   * {@code other-denied-403} (all three refused so), {@code other-allowed} (any succeeded),
   * {@code other-unexpected} (failed in another way).
   */
  private static void otherBucket(TaskInputOutputContext<?, ?, ?, ?> ctx, String bucket,
      String other, StringBuilder dump) {
    Configuration conf = ctx.getConfiguration();
    try {
      FileSystem own = FileSystem.get(URI.create("s3a://" + bucket + "/"), conf);
      FileSystem fs = FileSystem.get(URI.create("s3a://" + other + "/"), conf);
      boolean bound = fs.getClass().getName().equals("org.s3adt.fs.S3adtFileSystem")
          && fs.hasPathCapability(new Path("/"), CAPABILITY_BOUND);
      Token<?> mine = own.getDelegationToken(null);
      Token<?> theirs = bound ? fs.getDelegationToken(null) : null;
      boolean same = theirs != null && mine != null
          && java.util.Arrays.equals(mine.getIdentifier(), theirs.getIdentifier());
      dump.append("other.fs=").append(fs).append(" bound=").append(bound)
          .append(" same-token-as-").append(bucket).append('=').append(same).append('\n');
      if (bound && same) {
        ctx.getCounter(GROUP, "other-bound").increment(1);
      }
      Path hello = new Path("s3a://" + other + "/hello.txt");
      Path put = new Path("s3a://" + other + "/e2e-denied/" + ctx.getTaskAttemptID() + ".txt");
      int denied = 0;
      for (String op : new String[] {"read", "list", "write"}) {
        try {
          String got;
          if (op.equals("read")) {
            try (InputStream in = fs.open(hello)) {
              got = new String(Bytes.readAll(in), StandardCharsets.UTF_8);
            }
          } else if (op.equals("list")) {
            got = java.util.Arrays.toString(fs.listStatus(new Path("s3a://" + other + "/")));
          } else {
            try (java.io.OutputStream o = fs.create(put, true)) {
              o.write("denied?".getBytes(StandardCharsets.UTF_8));
            }
            got = "wrote " + put;
          }
          ctx.getCounter(GROUP, "other-allowed").increment(1);
          note(dump, "other." + op + "=ALLOWED " + got);
        } catch (java.nio.file.AccessDeniedException e) {
          boolean rgw403 = String.valueOf(e.getMessage()).contains("(HTTP 403)");
          denied += rgw403 ? 1 : 0;
          if (!rgw403) {
            ctx.getCounter(GROUP, "other-unexpected").increment(1);
          }
          note(dump, "other." + op + "=" + e.getClass().getName() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
          ctx.getCounter(GROUP, "other-unexpected").increment(1);
          note(dump, "other." + op + "=UNEXPECTED " + e);
        }
      }
      if (denied == 3) {
        ctx.getCounter(GROUP, "other-denied-403").increment(1);
      }
    } catch (IOException | RuntimeException e) {
      ctx.getCounter(GROUP, "errors").increment(1);
      dump.append("ERROR other bucket ").append(Results.stackTrace(e));
    }
  }

  /**
   * The RGW expiry scenario (issue 6 item 5), run by the mapper after it has read its split
   * through s3a:// (so with the token still valid): one more S3 call before the expiry, a
   * sleep until {@link #SLEEP_UNTIL} (past the token's expiry), then a read of the bucket. That
   * read must fail; its exception is rethrown so that the task, and the job, fail with it. Each
   * step is printed to stderr, which YARN keeps as the container's log.
   */
  static void afterExpiry(TaskInputOutputContext<?, ?, ?, ?> ctx, long records)
      throws IOException, InterruptedException {
    Configuration conf = ctx.getConfiguration();
    long until = conf.getLong(SLEEP_UNTIL, 0);
    if (until <= 0) {
      return;
    }
    String bucket = conf.get("s3adt.e2e.bucket", "bucket-a");
    FileSystem fs = FileSystem.get(URI.create("s3a://" + bucket + "/"), conf);
    Path hello = new Path("s3a://" + bucket + "/hello.txt");
    long len = fs.getFileStatus(hello).getLen();
    System.err.println(LOG_PREFIX + "before expiry: read " + records + " records of the split"
        + " and HEAD " + hello + " (" + len + " bytes) through s3a at "
        + java.time.Instant.now() + "; sleeping until " + java.time.Instant.ofEpochMilli(until));
    System.err.flush();
    for (long now = System.currentTimeMillis(); now < until; now = System.currentTimeMillis()) {
      Thread.sleep(Math.min(1000, until - now));
      ctx.progress();
    }
    System.err.println(LOG_PREFIX + "woke at " + java.time.Instant.now() + "; reading " + hello);
    try (InputStream in = fs.open(hello)) {
      String got = new String(Bytes.readAll(in), StandardCharsets.UTF_8);
      System.err.println(LOG_PREFIX + "after expiry: read succeeded: '" + got + "'");
      throw new IOException("s3adt-e2e: reading " + hello + " after the token's expiry succeeded");
    } catch (IOException e) {
      System.err.println(LOG_PREFIX + "after expiry: " + e);
      System.err.flush();
      throw e;
    }
  }

  private static void note(StringBuilder dump, String line) {
    dump.append(line).append('\n');
    System.err.println(LOG_PREFIX + line);
  }


}
