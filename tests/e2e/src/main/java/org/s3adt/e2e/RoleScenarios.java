package org.s3adt.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.Master;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;

/**
 * The scenarios of issue 6 item 5 on Ceph RGW (--scenarios deny,expiry): a Role token
 * presented for another bucket, and a Role token that expires while the job runs.
 */
final class RoleScenarios {
  private final E2eClient c;

  RoleScenarios(E2eClient c) {
    this.c = c;
  }

  /**
   * Submits a Role word count (two maps) as alice with input and output under
   * {@code s3a://BUCKET/e2e/RUN/NAME/}. {@code clientConf} (jobConf + alice's keys) collects
   * the token for the bucket; {@code tweak} may change the job's credentials and conf after
   * that (it gets the collected token). Returns the submitted job.
   */
  private Job submitRole(UserGroupInformation ugi, Configuration jobConf,
      Configuration clientConf, String name, boolean direct,
      java.util.function.BiConsumer<Job, Token<?>> tweak) throws Exception {
    String bucket = c.opt("bucket");
    URI bucketUri = URI.create("s3a://" + bucket + "/");
    String dataRoot = "s3a://" + bucket + "/e2e/" + c.opt("run-id") + "/" + name;
    org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(dataRoot + "/in");
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dataRoot + "/out");
    return ugi.doAs((PrivilegedExceptionAction<Job>) () -> {
      Job j = Job.getInstance(jobConf, "s3adt-e2e-" + name);
      String renewer = Master.getMasterPrincipal(jobConf);
      try (FileSystem fs = FileSystem.newInstance(bucketUri, clientConf)) {
        fs.addDelegationTokens(renewer, j.getCredentials());
      }
      tweak.accept(j, j.getCredentials().getToken(new Text("s3a://" + bucket)));
      UserGroupInformation.getCurrentUser().addCredentials(j.getCredentials());
      WordCountIo.writeInput(in, j.getConfiguration());
      j.setJarByClass(WordCount.class);
      j.setMapperClass(WordCount.CheckingMapper.class);
      j.setNumReduceTasks(0); // the scenarios are about the maps' requests
      j.setOutputKeyClass(Text.class);
      j.setOutputValueClass(IntWritable.class);
      FileInputFormat.addInputPath(j, in);
      if (direct) {
        // each map writes out/part-m-NNNNN itself; no committer, so no rename and no delete
        j.setOutputFormatClass(org.apache.hadoop.mapreduce.lib.output.NullOutputFormat.class);
        j.getConfiguration().set(WordCount.DIRECT_OUTPUT, out.toString());
      } else {
        FileOutputFormat.setOutputPath(j, out);
      }
      j.submit();
      return j;
    });
  }

  /**
   * Issue 6 item 5, restriction, on Ceph RGW: a Role-token job reads and writes its bucket,
   * and each of its tasks also tries the other bucket with the same credentials. The client
   * collects the Role token for BUCKET (AssumeRole with a session policy for BUCKET only) and
   * puts it into the job's credentials a second time under {@code s3a://OTHER}, as a
   * misconfigured or malicious client could: s3adt in the task then binds s3a://OTHER to it
   * (without that the task would have no credentials for OTHER at all and nothing would reach
   * RGW). RGW must refuse read, list and write with 403: the session policy, enforced by the
   * store, not by s3adt. Meanwhile the job's own I/O on BUCKET succeeds (output checked).
   */
  void runOtherBucket(Configuration base, Properties secrets) throws Exception {
    String name = "RoleOtherBucket";
    String bucket = c.opt("bucket");
    String other = c.opt("other-bucket", "bucket-b");
    String p = "Role token for " + bucket + " presented for " + other + " (RGW): ";
    File caseDir = new File(c.opt("work"), "case-" + name).getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = c.jobConf(base, secrets, "Role", caseDir);
    jobConf.set(TaskChecks.OTHER_BUCKET, other);
    Configuration clientConf = E2eClient.withKeys(jobConf, secrets);
    UserGroupInformation ugi = c.alice();
    long before = c.rgwLog().stream().filter(r -> r.status == 403 && r.path.startsWith("/" + other))
        .count();
    long t0 = System.nanoTime();
    // Direct output (no committer): RGW 16.2 refuses DeleteObjects under a session policy,
    // and the FileOutputCommitter's renames need it (tests/e2e/README.md)
    Job job = submitRole(ugi, jobConf, clientConf, name, true, (j, tok) -> {
      if (tok != null) {
        Token<?> moved = new Token<>(tok.getIdentifier(), tok.getPassword(), tok.getKind(),
            new Text("s3a://" + other));
        j.getCredentials().addToken(new Text("s3a://" + other), moved);
      }
    });
    Token<?> a = job.getCredentials().getToken(new Text("s3a://" + bucket));
    Token<?> b = job.getCredentials().getToken(new Text("s3a://" + other));
    c.check(p + "job credentials: the Role token for s3a://" + bucket + ", and the same token"
            + " under s3a://" + other,
        a != null && b != null && a.getKind().toString().equals("S3ADelegationToken/Role")
            && Arrays.equals(a.getIdentifier(), b.getIdentifier()),
        "job credentials hold " + job.getCredentials().getAllTokens());
    boolean ok = ugi.doAs((PrivilegedExceptionAction<Boolean>) () -> job.waitForCompletion(false));
    c.check(p + "job " + job.getJobID() + " succeeded (" + String.format(Locale.ROOT, "%.1f s",
        (System.nanoTime() - t0) / 1e9) + ")", ok, job.getStatus().getFailureInfo());
    if (!ok) {
      return;
    }
    Counters counters = ugi.doAs((PrivilegedExceptionAction<Counters>) job::getCounters);
    long tasks = WordCountIo.counter(counters, "tasks");
    c.check(p + "two map tasks ran the checks", tasks == 2, "tasks=" + tasks);
    for (String k : new String[] {"bound", "kind-ok", "conf-clean", "env-clean"}) {
      long n = WordCountIo.counter(counters, k);
      c.check(p + "tasks " + k + " " + n + "/" + tasks, n == tasks && tasks > 0, k + "=" + n);
    }
    long bound = WordCountIo.counter(counters, "other-bound");
    c.check(p + "each task's s3a://" + other + " is s3adt bound to the " + bucket + " token ("
        + bound + "/" + tasks + ")", bound == tasks && tasks > 0, "other-bound=" + bound);
    long denied = WordCountIo.counter(counters, "other-denied-403");
    c.check(p + "each task: read, list and write of s3a://" + other + " refused by RGW with"
            + " AccessDeniedException (HTTP 403) (" + denied + "/" + tasks + ")",
        denied == tasks && tasks > 0, "other-denied-403=" + denied + ", other-allowed="
            + WordCountIo.counter(counters, "other-allowed") + ", other-unexpected="
            + WordCountIo.counter(counters, "other-unexpected") + " (dumps: " + new File(caseDir, "dumps")
            + ")");
    long allowed = WordCountIo.counter(counters, "other-allowed");
    long unexpected = WordCountIo.counter(counters, "other-unexpected");
    long errors = WordCountIo.counter(counters, "errors");
    c.check(p + "nothing on s3a://" + other + " allowed, no other failure, no check threw",
        allowed == 0 && unexpected == 0 && errors == 0,
        "other-allowed=" + allowed + ", other-unexpected=" + unexpected + ", errors=" + errors);
    String msg = firstLine(new File(caseDir, "dumps"), "other.list=");
    if (msg != null) {
      System.out.println("  a task saw: " + msg);
    }
    List<RgwLog.RgwRequest> log = c.rgwLog();
    long after = log.stream().filter(r -> r.status == 403 && r.path.startsWith("/" + other))
        .count();
    c.check(p + "RGW's own log: " + (after - before) + " requests on /" + other + " answered 403"
        + " (at least 3 per task)", after - before >= 3 * tasks, "before " + before + ", after "
        + after);
    String outDir = "s3a://" + bucket + "/e2e/" + c.opt("run-id") + "/" + name + "/out";
    Map<String, Integer> got = ugi.doAs((PrivilegedExceptionAction<Map<String, Integer>>) () ->
        WordCountIo.readParts(new org.apache.hadoop.fs.Path(outDir), jobConf));
    c.check(p + "word count output at " + outDir + " is right (the job's own bucket works:"
        + " input read, part-m-* written by the maps)", WordCountIo.expected().equals(got), "got " + got);
  }

  /**
   * Issue 6 item 5, expiry, on Ceph RGW: a Role token of {@code --expiry-secs} seconds, a job
   * whose maps read their split (s3a://, token valid), sleep past the expiry and read again.
   * That read must fail in s3adt, before any request, with the text naming the expiry
   * ({@code ConsumeError::Expired}); the task and so the job fail. Checked in the task's
   * diagnostics as the client gets them, in the container logs the NodeManager kept, and in
   * RGW's own log (requests before the expiry, none after it).
   */
  void runExpiry(Configuration base, Properties secrets) throws Exception {
    String name = "RoleExpiry";
    String bucket = c.opt("bucket");
    int secs = Integer.parseInt(c.opt("expiry-secs", "45"));
    String p = "Role token of " + secs + " s expiring mid-job (RGW): ";
    File caseDir = new File(c.opt("work"), "case-" + name).getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = c.jobConf(base, secrets, "Role", caseDir);
    Configuration clientConf = E2eClient.withKeys(jobConf, secrets);
    // only token collection sees the duration: the token carries its expiry
    clientConf.set("fs.s3a.assumed.role.session.duration", secs + "s");
    UserGroupInformation ugi = c.alice();
    long issued = System.currentTimeMillis();
    long[] expiry = {0};
    Job job = submitRole(ugi, jobConf, clientConf, name, false, (j, tok) -> {
      try {
        expiry[0] = ((org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier)
            tok.decodeIdentifier()).getMaxDate();
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("cannot decode the Role token: " + e, e);
      }
      // the maps sleep until 1.5 s past the expiry, then read again
      j.getConfiguration().setLong(TaskChecks.SLEEP_UNTIL, expiry[0] + 1500);
    });
    long submitted = System.currentTimeMillis();
    String iso = java.time.OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(expiry[0]),
        java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ISO_DATE_TIME);
    long life = expiry[0] - issued;
    c.check(p + "token expires at " + iso + ", " + life + " ms after it was requested",
        life > (secs - 5) * 1000L && life <= secs * 1000L + 2000, "expiry " + expiry[0]
            + ", requested at " + issued);
    c.check(p + "submitted before the expiry (" + (expiry[0] - submitted) + " ms to spare)",
        submitted < expiry[0], "submitted at " + submitted);
    boolean ok = ugi.doAs((PrivilegedExceptionAction<Boolean>) () -> job.waitForCompletion(false));
    long ended = System.currentTimeMillis();
    org.apache.hadoop.mapreduce.JobStatus.State state = job.getStatus().getState();
    c.check(p + "job " + job.getJobID() + " failed (state " + state + ", "
            + (ended - submitted) / 1000 + " s)",
        !ok && state == org.apache.hadoop.mapreduce.JobStatus.State.FAILED,
        "succeeded: " + ok + ", state " + state);
    String want = "the delegation token for s3a://" + bucket + " expired at " + iso + " ("
        + expiry[0] + " ms since the epoch); fetch a new one";
    System.out.println("  want: " + want);
    // what the client is told: the failed map tasks' diagnostics (the exception, as YarnChild
    // reported it to the AM), from the task reports
    List<String> diags = ugi.doAs((PrivilegedExceptionAction<List<String>>) () -> {
      List<String> d = new ArrayList<>();
      for (org.apache.hadoop.mapreduce.TaskReport r
          : job.getTaskReports(org.apache.hadoop.mapreduce.TaskType.MAP)) {
        for (String s : r.getDiagnostics()) {
          d.add(r.getTaskID() + " (" + r.getCurrentStatus() + "): " + s);
        }
      }
      return d;
    });
    String diag = diags.stream().filter(d -> d.contains(want)).findFirst().orElse(null);
    c.check(p + "the failed task's diagnostics (Job.getTaskReports) name the expiry",
        diag != null, "diagnostics: " + diags);
    if (diag != null) {
      System.out.println("  diagnostics: " + diag.split("\n")[0]);
      c.check(p + "... as org.s3adt.fs.DelegationTokenIOException",
          diag.contains("org.s3adt.fs.DelegationTokenIOException: "), diag);
    }
    // the container logs the NodeManager kept (stderr: the task's own lines; syslog: YarnChild),
    // once the AM (which reports the job failed before it exits) has ended
    String appId = "application_" + job.getJobID().toString().substring("job_".length());
    YarnApps.awaitApplicationEnd(ugi, jobConf, appId);
    List<Path> logs = c.containerLogs(appId);
    boolean before = false;
    boolean expired = false;
    for (Path f : logs) {
      String t = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      before |= t.contains(TaskChecks.LOG_PREFIX + "before expiry: read ");
      expired |= t.contains(TaskChecks.LOG_PREFIX + "after expiry: ") && t.contains(want);
    }
    c.check(p + "container logs: a task read s3a://" + bucket + " before the expiry ("
        + logs.size() + " log files of " + appId + ")", before,
        "no '" + TaskChecks.LOG_PREFIX + "before expiry' line (if the task started after the"
            + " expiry, raise --expiry-secs)");
    c.check(p + "container logs: the read after the expiry failed naming it", expired,
        "not found in " + logs);
    // RGW's log: requests during the job before the expiry, none from the expiry on
    Thread.sleep(1000); // RGW's log is written asynchronously
    List<RgwLog.RgwRequest> window = new ArrayList<>();
    for (RgwLog.RgwRequest r : c.rgwLog()) {
      if (r.millis >= issued - 1000 && r.millis <= ended + 1000) {
        window.add(r);
      }
    }
    long pre = window.stream().filter(r -> r.millis < expiry[0]).count();
    List<String> post = new ArrayList<>();
    window.stream().filter(r -> r.millis >= expiry[0]).forEach(r -> post.add(r.line));
    c.check(p + "RGW served " + pre + " requests of the job before the expiry", pre > 0,
        "none in RGW's log");
    c.check(p + "RGW got no request from the expiry to the job's end (s3adt refused first)",
        post.isEmpty(), post.size() + " requests: " + post);
  }

  private static String firstLine(File dir, String prefix) throws IOException {
    File[] files = dir.listFiles();
    for (File f : files == null ? new File[0] : files) {
      for (String l : Files.readAllLines(f.toPath(), StandardCharsets.UTF_8)) {
        if (l.startsWith(prefix)) {
          return l;
        }
      }
    }
    return null;
  }
}
