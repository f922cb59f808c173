package org.s3adt.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.Master;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.s3adt.testsupport.Bytes;
import org.s3adt.testsupport.Results;

/**
 * The job client: alice, logged in from her keytab, submits one word count per S3A binding to
 * the secure cluster and checks what came back. Run by run.sh; writes one line per check
 * ({@code PASS name} / {@code FAIL name: why}) to stdout and to {@code --results FILE}.
 *
 * <p>Where alice's AWS keys live: only in {@code clientConf}, a Configuration this class builds
 * for token collection alone: {@code FileSystem.get(s3a://bucket, clientConf)} puts an s3adt
 * FileSystem with her keys in the FileSystem cache of her UGI, and MapReduce's own
 * {@code TokenCache} collects the token through it during submit (it gets the filesystems of
 * the input, the output and {@code mapreduce.job.hdfs-servers} with {@code FileSystem.get}).
 * The job's own Configuration, from which MapReduce writes the job.xml the tasks read, never
 * gets the keys; the token travels in the job's credentials (shipped by YARN to the AM and the
 * tasks).
 *
 * <p>{@code --data local}: input and output on the local filesystem; the tasks still open
 * s3a://bucket through s3adt and must find it bound to the token (stage (a), before the data
 * path exists). {@code --data s3a}: input and output under {@code s3a://BUCKET/e2e/RUN/BINDING/}
 * through s3adt (stage (b): needs open/create/list/rename/delete).
 */
public final class E2eClient {
  static final String BINDING_PACKAGE = "org.apache.hadoop.fs.s3a.auth.delegation.";
  static final Map<String, String> BINDINGS = new LinkedHashMap<>();

  static {
    BINDINGS.put("Full", "FullCredentialsTokenBinding");
    BINDINGS.put("Session", "SessionTokenBinding");
    BINDINGS.put("Role", "RoleTokenBinding");
  }

  static final String[] INPUT_A = {
    "the quick brown fox jumps over the lazy dog",
    "a token is all the task holds",
    "The Fox And The Token",
  };
  static final String[] INPUT_B = {
    "s3adt binds the task to the token",
    "no secret in the task",
  };

  private final Map<String, String> opts;
  private final Results results;
  /** The Full cases' application ids (job, native): their token files may hold the secret. */
  private final List<String> fullAppIds = new ArrayList<>();

  private E2eClient(Map<String, String> opts, PrintStream results) {
    this.opts = opts;
    this.results = new Results(results, "");
  }

  private String opt(String k) {
    String v = opts.get(k);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + k);
    }
    return v;
  }

  private void check(String name, boolean ok, String why) {
    results.check(name, ok, why);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Results.options(args);
    try (PrintStream results = new PrintStream(
        Files.newOutputStream(new File(opts.get("results")).toPath()), true, "UTF-8")) {
      E2eClient c = new E2eClient(opts, results);
      c.runAll();
      // not in the "N passed, N failed" form: run.sh prints the one summary line
      System.out.println("e2e-client: done, " + c.results.passed() + " PASS / "
          + c.results.failed() + " FAIL");
      System.exit(c.results.failed() == 0 ? 0 : 1);
    }
  }

  private void runAll() throws Exception {
    Properties secrets = new Properties();
    // "-": on stdin, from a file the client's OS user cannot open (run.sh), so that the
    // tasks, which run as the same OS user, cannot either
    try (InputStream in = opt("secrets").equals("-") ? System.in
        : new FileInputStream(opt("secrets"))) {
      secrets.load(in);
    }
    Configuration base = new Configuration();
    base.addResource(new org.apache.hadoop.fs.Path(new File(opt("cluster-conf")).toURI()));
    UserGroupInformation.setConfiguration(base);
    check("cluster-conf: hadoop.security.authentication=kerberos",
        UserGroupInformation.isSecurityEnabled(), base.get("hadoop.security.authentication"));
    List<String> bindings = Arrays.asList(opts.getOrDefault("bindings", "Full,Session,Role")
        .split(","));
    for (String b : bindings) {
      try {
        runCase(base, secrets, b.trim(), false);
      } catch (Exception | LinkageError e) {
        // e.g. UnsupportedOperationException from s3adt's data path before it exists
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        e.printStackTrace();
        check(b.trim() + ": case ran to the end", false, root.toString());
      }
    }
    for (String sc : opts.getOrDefault("scenarios", "").split(",")) {
      sc = sc.trim();
      if (sc.isEmpty()) {
        continue;
      }
      try {
        if (sc.equals("deny")) {
          runOtherBucket(base, secrets);
        } else if (sc.equals("expiry")) {
          runExpiry(base, secrets);
        } else {
          check("scenario " + sc + " exists", false, "known: deny, expiry");
        }
      } catch (Exception | LinkageError e) {
        e.printStackTrace();
        check("scenario " + sc + ": case ran to the end", false, e.toString());
      }
    }
    if (opts.containsKey("native-program")) {
      for (String b : bindings) {
        try {
          runNative(base, secrets, b.trim());
        } catch (Exception | LinkageError e) {
          e.printStackTrace();
          check("Native " + b.trim() + ": case ran to the end", false, e.toString());
        }
      }
    }
    for (UserGroupInformation u : logins) {
      FileSystem.closeAllForUGI(u);
    }
    scanForSecrets(secrets, bindings.contains("Full"));
    if (!"0".equals(opts.getOrDefault("control", "1"))) {
      try {
        runCase(base, secrets, "Session", true);
      } catch (Exception | LinkageError e) {
        e.printStackTrace();
        check("Control: case ran to the end", false, e.toString());
      }
    }
  }

  /** A fresh Kerberos login per case, so no case's token is seen by the next. */
  private UserGroupInformation alice() throws IOException {
    String principal = "alice@" + opt("realm");
    UserGroupInformation ugi = UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal,
        new File(opt("kdc-dir"), "alice.keytab").getAbsolutePath());
    logins.add(ugi);
    return ugi;
  }

  /** Every login of alice: their cached FileSystems are closed when the cases are done. */
  private final List<UserGroupInformation> logins = new ArrayList<>();

  /** What the job (and so its tasks) is configured with: everything but the secrets. */
  private Configuration jobConf(Configuration base, Properties secrets, String binding,
      File caseDir) {
    Configuration c = new Configuration(base);
    c.set("fs.s3a.impl", "org.s3adt.fs.S3adtFileSystem");
    c.set("fs.AbstractFileSystem.s3a.impl", "org.s3adt.fs.S3adt");
    String endpoint = secrets.getProperty("endpoint");
    c.set("fs.s3a.endpoint", endpoint);
    c.set("fs.s3a.endpoint.region", "us-east-1");
    c.set("fs.s3a.assumed.role.sts.endpoint", endpoint);
    c.set("fs.s3a.assumed.role.sts.endpoint.region", "us-east-1");
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.connection.ssl.enabled", "false");
    c.set("fs.s3a.bucket.probe", "0");
    c.set("fs.s3a.delegation.token.binding", BINDING_PACKAGE + BINDINGS.get(binding));
    if (binding.equals("Role")) {
      c.set("fs.s3a.assumed.role.arn", secrets.getProperty("role.arn"));
    }
    if (rgw()) {
      // Ceph RGW refuses any kms: action in a session policy (MalformedPolicyDocument)
      c.set("fs.s3a.s3adt.role.policy.kms", "false");
      // and refuses DeleteObjects to any session with a session policy (every Role token):
      // S3A's switch to single DeleteObject calls, which s3adt honours
      c.set("fs.s3a.multiobjectdelete.enable", "false");
    }
    // one staging dir per job: on the local filesystem every directory is owned by the OS
    // user, and JobSubmissionFiles refuses a staging dir that exists and is not alice's
    c.set("yarn.app.mapreduce.am.staging-dir", new File(caseDir, "staging").getAbsolutePath());
    // keep job.xml and appTokens in the staging dir, for the scan
    c.set("mapreduce.task.files.preserve.filepattern", ".*");
    // mapred-default.xml maps s3a:// output to hadoop-aws's S3ACommitterFactory, a class
    // s3adt does not ship: without this the AM dies with ClassNotFoundException before any task
    // runs. The classic FileOutputCommitter (rename-based) needs only the FileSystem API.
    c.set("mapreduce.outputcommitter.factory.scheme.s3a",
        "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory");
    c.setInt("mapreduce.map.maxattempts", 1);
    c.setInt("mapreduce.reduce.maxattempts", 1);
    c.setInt("mapreduce.am.max-attempts", 1);
    c.setInt("mapreduce.job.reduces", reduces()); // 0 where run.sh cannot shuffle: WordCount
    // TokenCache collects tokens for these too (input and output may be local: --data local)
    c.set("mapreduce.job.hdfs-servers", "s3a://" + opt("bucket"));
    c.set("s3adt.e2e.bucket", opt("bucket"));
    c.set("s3adt.e2e.expected.kind", "S3ADelegationToken/" + binding);
    c.set("s3adt.e2e.dump.dir", new File(caseDir, "dumps").getAbsolutePath());
    if (opts.containsKey("c-program")) {
      c.set("s3adt.e2e.c.program", opt("c-program"));
      c.set("s3adt.e2e.c.libdir", opt("c-libdir"));
    }
    return c;
  }

  /**
   * One job. {@code control}: the negative control, run after the scan. The client makes the
   * mistake the harness guards against (alice's keys in the job's own Configuration, so in
   * job.xml) and the checks must see it: every task reports its conf unclean and the tasks'
   * dumps hold the secret. Without this a check that can never fail would pass unnoticed.
   */
  private void runCase(Configuration base, Properties secrets, String binding, boolean control)
      throws Exception {
    String name = control ? "Control" : binding;
    String p = control ? "Control (" + binding + ", alice's keys put in the job conf on purpose): "
        : binding + ": ";
    File caseDir = new File(opt("work"), "case-" + name).getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = jobConf(base, secrets, binding, caseDir);
    if (control) {
      jobConf.set("fs.s3a.access.key", secrets.getProperty("access.key"));
      jobConf.set("fs.s3a.secret.key", secrets.getProperty("secret.key"));
    }
    // the one place alice's keys exist: token collection
    Configuration clientConf = new Configuration(jobConf);
    clientConf.set("fs.s3a.access.key", secrets.getProperty("access.key"));
    clientConf.set("fs.s3a.secret.key", secrets.getProperty("secret.key"));

    UserGroupInformation ugi = alice();
    check(p + "alice logged in from her keytab (Kerberos)",
        ugi.hasKerberosCredentials() && ugi.getShortUserName().equals("alice"),
        ugi + " " + ugi.getAuthenticationMethod());
    String bucket = opt("bucket");
    URI bucketUri = URI.create("s3a://" + bucket + "/");
    boolean s3 = opt("data").equals("s3a");
    String dataRoot = s3
        ? "s3a://" + bucket + "/e2e/" + opt("run-id") + "/" + name
        : new File(caseDir, "data").toURI().toString();
    org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(dataRoot + "/in");
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dataRoot + "/out");

    long t0 = System.nanoTime();
    boolean[] noTokenBeforeSubmit = {false};
    Job job = ugi.doAs((PrivilegedExceptionAction<Job>) () -> {
      Job j = Job.getInstance(jobConf, "s3adt-e2e-" + binding);
      // alice's s3a://bucket FileSystem, opened with her keys, goes into the FileSystem cache
      // of her UGI. TokenCache, during submit, gets the filesystems of the input, the output
      // and mapreduce.job.hdfs-servers with FileSystem.get, which returns this cached
      // instance, and collects the token through it: the keys never enter the job's conf.
      FileSystem.get(bucketUri, clientConf);
      writeInput(in, j.getConfiguration());
      j.setJarByClass(WordCount.class);
      j.setMapperClass(WordCount.CheckingMapper.class);
      j.setNumReduceTasks(reduces());
      if (reduces() > 0) {
        j.setReducerClass(WordCount.CheckingReducer.class);
        j.setMapOutputKeyClass(Text.class);
        j.setMapOutputValueClass(IntWritable.class);
      }
      j.setOutputKeyClass(Text.class);
      j.setOutputValueClass(IntWritable.class);
      FileInputFormat.addInputPath(j, in);
      FileOutputFormat.setOutputPath(j, out);
      noTokenBeforeSubmit[0] = j.getCredentials().getToken(new Text("s3a://" + bucket)) == null;
      j.submit();
      return j;
    });
    if (binding.equals("Full")) {
      // "<cluster timestamp>_<sequence>": in application_..., container_... and .tokens names
      fullAppIds.add(job.getJobID().toString().substring("job_".length()));
    }
    Credentials creds = job.getCredentials();
    Token<?> tok = creds.getToken(new Text("s3a://" + bucket));
    check(p + "token collected at submission by TokenCache (none in the job's credentials"
            + " before submit, one of kind S3ADelegationToken/" + binding + " after)",
        noTokenBeforeSubmit[0] && tok != null
            && tok.getKind().toString().equals("S3ADelegationToken/" + binding),
        "before submit: " + (noTokenBeforeSubmit[0] ? "none" : "present")
            + "; job credentials hold " + creds.getAllTokens());
    boolean confClean = job.getConfiguration().get("fs.s3a.secret.key") == null
        && job.getConfiguration().get("fs.s3a.access.key") == null;
    check(p + "job conf " + (control ? "holds" : "holds no") + " AWS secret",
        confClean != control, "fs.s3a.access.key/secret.key " + (control ? "absent" : "present"));
    boolean ok = ugi.doAs((PrivilegedExceptionAction<Boolean>) () -> job.waitForCompletion(false));
    double secs = (System.nanoTime() - t0) / 1e9;
    check(p + "job " + job.getJobID() + " succeeded on the secure cluster ("
        + String.format(Locale.ROOT, "%.1f s", secs) + ")", ok,
        job.getStatus().getFailureInfo());
    if (!ok) {
      return;
    }
    Counters counters = ugi.doAs((PrivilegedExceptionAction<Counters>) job::getCounters);
    long tasks = counter(counters, "tasks");
    if (control) {
      long clean = counter(counters, "conf-clean");
      check(p + "every task saw the secret in its conf (conf-clean " + clean + "/" + tasks + ")",
          tasks == 2 + reduces() && clean == 0, "conf-clean=" + clean + " of " + tasks);
      byte[] secret = secrets.getProperty("secret.key").getBytes(StandardCharsets.UTF_8);
      File[] dumps = new File(caseDir, "dumps").listFiles();
      int holding = 0;
      for (File d : dumps == null ? new File[0] : dumps) {
        holding += Bytes.contains(Files.readAllBytes(d.toPath()), secret) ? 1 : 0;
      }
      check(p + "the scan finds the secret in every task's dump (" + holding + "/" + tasks + ")",
          holding == tasks && tasks > 0, "dumps holding it: " + holding);
      return;
    }
    check(p + "every task ran the checks (one map per input file"
        + (reduces() > 0 ? ", " + reduces() + " reducers" : "") + ": " + tasks + ")",
        tasks == 2 + reduces(), "tasks=" + tasks);
    if (reduces() > 0) {
      long maps = counters.findCounter(org.apache.hadoop.mapreduce.TaskCounter.MAP_OUTPUT_RECORDS)
          .getValue();
      long shuffled = counters.findCounter(
          org.apache.hadoop.mapreduce.TaskCounter.REDUCE_SHUFFLE_BYTES).getValue();
      long reduced = counters.findCounter(
          org.apache.hadoop.mapreduce.TaskCounter.REDUCE_INPUT_RECORDS).getValue();
      check(p + "the reducers got every map output record through the shuffle (" + reduced
          + " of " + maps + " records, " + shuffled + " bytes)",
          reduced == maps && maps > 0 && shuffled > 0,
          "reduce input " + reduced + ", map output " + maps + ", shuffle bytes " + shuffled);
    }
    for (String c : new String[] {"bound", "kind-ok", "conf-clean", "env-clean"}) {
      long n = counter(counters, c);
      check(p + "tasks " + c + " " + n + "/" + tasks, n == tasks && tasks > 0,
          c + "=" + n + " of " + tasks + " (dumps: " + new File(caseDir, "dumps") + ")");
    }
    if (opts.containsKey("c-program")) {
      long n = counter(counters, "c-ok");
      check(p + "C program in each task read the bucket's credentials from the token file "
          + n + "/" + tasks, n == tasks, "c-ok=" + n);
    }
    long errors = counter(counters, "errors");
    check(p + "no task check threw", errors == 0, "errors=" + errors);
    Map<String, Integer> got = ugi.doAs(
        (PrivilegedExceptionAction<Map<String, Integer>>) () -> readOutput(out, jobConf));
    Map<String, Integer> want = expected();
    check(p + "word count output at " + out + " is right (" + want.size() + " words)",
        want.equals(got), "got " + got + ", want " + want);
    File[] dumps = new File(caseDir, "dumps").listFiles();
    check(p + "tasks wrote their conf/env dumps", dumps != null && dumps.length == tasks,
        "dumps: " + (dumps == null ? 0 : dumps.length));
  }

  /**
   * Issue 6 item 4: a YARN application whose one task is a C program. Alice collects the token
   * as for a job and writes an object with a fresh nonce through s3adt bound to it; the
   * application (NativeTaskAM) gets her token in its launch context and starts one container
   * running native-task.sh, which runs README.md's token_cat.c on the container's token file:
   * it must print the object, and must be refused the other bucket, for which the application
   * holds no token. The container's settings carry the endpoint and the binding, never a key.
   */
  private void runNative(Configuration base, Properties secrets, String binding)
      throws Exception {
    String p = "Native " + binding + ": ";
    File caseDir = new File(opt("work"), "case-Native-" + binding).getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = jobConf(base, secrets, binding, caseDir);
    Configuration clientConf = new Configuration(jobConf);
    clientConf.set("fs.s3a.access.key", secrets.getProperty("access.key"));
    clientConf.set("fs.s3a.secret.key", secrets.getProperty("secret.key"));
    String bucket = opt("bucket");
    String other = bucket.equals("bucket-a") ? "bucket-b" : "bucket-a";
    URI bucketUri = URI.create("s3a://" + bucket + "/");
    String key = "e2e/" + opt("run-id") + "/native-" + binding + "/input.txt";
    String nonce = "s3adt native task " + binding + " " + java.util.UUID.randomUUID() + "\n";
    UserGroupInformation ugi = alice();
    long t0 = System.nanoTime();
    org.apache.hadoop.yarn.api.records.ApplicationId appId = ugi.doAs(
        (PrivilegedExceptionAction<org.apache.hadoop.yarn.api.records.ApplicationId>) () -> {
          Credentials creds = new Credentials();
          try (FileSystem fs = FileSystem.newInstance(bucketUri, clientConf)) {
            fs.addDelegationTokens(Master.getMasterPrincipal(jobConf), creds);
          }
          UserGroupInformation.getCurrentUser().addCredentials(creds);
          try (FileSystem fs = FileSystem.newInstance(bucketUri, jobConf);
               OutputStream o = fs.create(new org.apache.hadoop.fs.Path("/" + key), true)) {
            o.write(nonce.getBytes(StandardCharsets.UTF_8)); // through s3adt, bound to the token
          }
          org.apache.hadoop.io.DataOutputBuffer dob = new org.apache.hadoop.io.DataOutputBuffer();
          creds.writeTokenStorageToStream(dob);
          java.nio.ByteBuffer tokens = java.nio.ByteBuffer.wrap(dob.getData(), 0, dob.getLength());
          org.apache.hadoop.yarn.client.api.YarnClient yc =
              org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient();
          yc.init(base);
          yc.start();
          try {
            org.apache.hadoop.yarn.client.api.YarnClientApplication app = yc.createApplication();
            org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext ctx =
                app.getApplicationSubmissionContext();
            ctx.setApplicationName("s3adt-e2e-native-" + binding);
            ctx.setApplicationType("s3adt-native");
            ctx.setMaxAppAttempts(1);
            ctx.setResource(org.apache.hadoop.yarn.api.records.Resource.newInstance(384, 1));
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("java.home") + "/bin/java");
            cmd.add("-Xmx200m " + base.get("yarn.app.mapreduce.am.command-opts", "")
                .replace("-Xmx300m", ""));
            cmd.add("org.s3adt.e2e.NativeTaskAM");
            cmd.add(opt("c-libdir"));
            cmd.add(opt("native-script"));
            cmd.add(opt("native-program"));
            cmd.add(bucket);
            cmd.add(key);
            cmd.add(other);
            for (String k : new String[] {"fs.s3a.endpoint", "fs.s3a.endpoint.region",
                "fs.s3a.path.style.access", "fs.s3a.connection.ssl.enabled",
                "fs.s3a.delegation.token.binding"}) {
              if (jobConf.get(k) != null) {
                cmd.add(k + "=" + jobConf.get(k));
              }
            }
            // the container runs this line through bash: quote every argument
            for (int i = 3; i < cmd.size(); i++) {
              cmd.set(i, "'" + cmd.get(i).replace("'", "'\\''") + "'");
            }
            cmd.add("1>" + org.apache.hadoop.yarn.api.ApplicationConstants.LOG_DIR_EXPANSION_VAR
                + "/am.stdout");
            cmd.add("2>" + org.apache.hadoop.yarn.api.ApplicationConstants.LOG_DIR_EXPANSION_VAR
                + "/am.stderr");
            Map<String, String> env = new HashMap<>();
            // the AM's classpath: the cluster's conf (the RM's scheduler address) and Hadoop's
            env.put("CLASSPATH", new File(opt("cluster-conf")).getParent() + File.pathSeparator
                + System.getProperty("java.class.path"));
            ctx.setAMContainerSpec(
                org.apache.hadoop.yarn.api.records.ContainerLaunchContext.newInstance(
                    java.util.Collections.emptyMap(), env,
                    java.util.Collections.singletonList(String.join(" ", cmd)), null, tokens,
                    null));
            yc.submitApplication(ctx);
            return ctx.getApplicationId();
          } finally {
            yc.stop();
          }
        });
    org.apache.hadoop.yarn.api.records.ApplicationReport report = ugi.doAs(
        (PrivilegedExceptionAction<org.apache.hadoop.yarn.api.records.ApplicationReport>) () ->
            waitForApp(base, appId, 180_000));
    if (binding.equals("Full")) {
      fullAppIds.add(appId.toString().substring("application_".length()));
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    check(p + "application " + appId + " (one C container) succeeded on the secure cluster ("
            + String.format(Locale.ROOT, "%.1f s", secs) + ")",
        report.getFinalApplicationStatus()
            == org.apache.hadoop.yarn.api.records.FinalApplicationStatus.SUCCEEDED,
        report.getYarnApplicationState() + "/" + report.getFinalApplicationStatus() + ": "
            + report.getDiagnostics());
    Thread.sleep(500); // the NM's log files of the finished container
    String app = appId.toString().substring("application_".length());
    String stdout = null;
    String stderr = "";
    for (Path f : containerLogs(appId.toString())) {
      String dir = f.getParent().getFileName().toString();
      if (!dir.endsWith("_000002")) {
        continue; // _000001 is the AM
      }
      String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      if (f.getFileName().toString().equals("stdout")) {
        stdout = text;
      } else if (f.getFileName().toString().equals("stderr")) {
        stderr = text;
      }
    }
    check(p + "the C program printed s3a://" + bucket + "/" + key + " (the nonce alice wrote)",
        nonce.equals(stdout), "container stdout " + (stdout == null ? "not found for " + app
            : "'" + stdout.trim() + "'") + "; stderr: " + stderr.trim());
    check(p + "the C program was refused s3a://" + other + ", for which the application holds no"
            + " token", stderr.contains("no delegation token for s3a://" + other),
        "container stderr: " + stderr.trim());
    System.out.println("native " + binding + ": container stderr: " + stderr.trim());
  }

  /** Reducers of the word count: 2, or 0 where run.sh cannot give the NM a shuffle. */
  private int reduces() {
    return Integer.parseInt(opts.getOrDefault("reduces", "2"));
  }

  private boolean rgw() {
    return "rgw".equals(opts.getOrDefault("store", "moto"));
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
    String bucket = opt("bucket");
    URI bucketUri = URI.create("s3a://" + bucket + "/");
    String dataRoot = "s3a://" + bucket + "/e2e/" + opt("run-id") + "/" + name;
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
      writeInput(in, j.getConfiguration());
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
  private void runOtherBucket(Configuration base, Properties secrets) throws Exception {
    String name = "RoleOtherBucket";
    String bucket = opt("bucket");
    String other = opts.getOrDefault("other-bucket", "bucket-b");
    String p = "Role token for " + bucket + " presented for " + other + " (RGW): ";
    File caseDir = new File(opt("work"), "case-" + name).getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = jobConf(base, secrets, "Role", caseDir);
    jobConf.set(TaskChecks.OTHER_BUCKET, other);
    Configuration clientConf = new Configuration(jobConf);
    clientConf.set("fs.s3a.access.key", secrets.getProperty("access.key"));
    clientConf.set("fs.s3a.secret.key", secrets.getProperty("secret.key"));
    UserGroupInformation ugi = alice();
    long before = rgwLog().stream().filter(r -> r.status == 403 && r.path.startsWith("/" + other))
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
    check(p + "job credentials: the Role token for s3a://" + bucket + ", and the same token"
            + " under s3a://" + other,
        a != null && b != null && a.getKind().toString().equals("S3ADelegationToken/Role")
            && Arrays.equals(a.getIdentifier(), b.getIdentifier()),
        "job credentials hold " + job.getCredentials().getAllTokens());
    boolean ok = ugi.doAs((PrivilegedExceptionAction<Boolean>) () -> job.waitForCompletion(false));
    check(p + "job " + job.getJobID() + " succeeded (" + String.format(Locale.ROOT, "%.1f s",
        (System.nanoTime() - t0) / 1e9) + ")", ok, job.getStatus().getFailureInfo());
    if (!ok) {
      return;
    }
    Counters counters = ugi.doAs((PrivilegedExceptionAction<Counters>) job::getCounters);
    long tasks = counter(counters, "tasks");
    check(p + "two map tasks ran the checks", tasks == 2, "tasks=" + tasks);
    for (String c : new String[] {"bound", "kind-ok", "conf-clean", "env-clean"}) {
      long n = counter(counters, c);
      check(p + "tasks " + c + " " + n + "/" + tasks, n == tasks && tasks > 0, c + "=" + n);
    }
    long bound = counter(counters, "other-bound");
    check(p + "each task's s3a://" + other + " is s3adt bound to the " + bucket + " token ("
        + bound + "/" + tasks + ")", bound == tasks && tasks > 0, "other-bound=" + bound);
    long denied = counter(counters, "other-denied-403");
    check(p + "each task: read, list and write of s3a://" + other + " refused by RGW with"
            + " AccessDeniedException (HTTP 403) (" + denied + "/" + tasks + ")",
        denied == tasks && tasks > 0, "other-denied-403=" + denied + ", other-allowed="
            + counter(counters, "other-allowed") + ", other-unexpected="
            + counter(counters, "other-unexpected") + " (dumps: " + new File(caseDir, "dumps")
            + ")");
    long allowed = counter(counters, "other-allowed");
    long unexpected = counter(counters, "other-unexpected");
    long errors = counter(counters, "errors");
    check(p + "nothing on s3a://" + other + " allowed, no other failure, no check threw",
        allowed == 0 && unexpected == 0 && errors == 0,
        "other-allowed=" + allowed + ", other-unexpected=" + unexpected + ", errors=" + errors);
    String msg = firstLine(new File(caseDir, "dumps"), "other.list=");
    if (msg != null) {
      System.out.println("  a task saw: " + msg);
    }
    List<RgwRequest> log = rgwLog();
    long after = log.stream().filter(r -> r.status == 403 && r.path.startsWith("/" + other))
        .count();
    check(p + "RGW's own log: " + (after - before) + " requests on /" + other + " answered 403"
        + " (at least 3 per task)", after - before >= 3 * tasks, "before " + before + ", after "
        + after);
    String outDir = "s3a://" + bucket + "/e2e/" + opt("run-id") + "/" + name + "/out";
    Map<String, Integer> got = ugi.doAs((PrivilegedExceptionAction<Map<String, Integer>>) () ->
        readParts(new org.apache.hadoop.fs.Path(outDir), jobConf));
    check(p + "word count output at " + outDir + " is right (the job's own bucket works:"
        + " input read, part-m-* written by the maps)", expected().equals(got), "got " + got);
  }

  /**
   * Issue 6 item 5, expiry, on Ceph RGW: a Role token of {@code --expiry-secs} seconds, a job
   * whose maps read their split (s3a://, token valid), sleep past the expiry and read again.
   * That read must fail in s3adt, before any request, with the text naming the expiry
   * ({@code ConsumeError::Expired}); the task and so the job fail. Checked in the task's
   * diagnostics as the client gets them, in the container logs the NodeManager kept, and in
   * RGW's own log (requests before the expiry, none after it).
   */
  private void runExpiry(Configuration base, Properties secrets) throws Exception {
    String name = "RoleExpiry";
    String bucket = opt("bucket");
    int secs = Integer.parseInt(opts.getOrDefault("expiry-secs", "45"));
    String p = "Role token of " + secs + " s expiring mid-job (RGW): ";
    File caseDir = new File(opt("work"), "case-" + name).getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = jobConf(base, secrets, "Role", caseDir);
    Configuration clientConf = new Configuration(jobConf);
    clientConf.set("fs.s3a.access.key", secrets.getProperty("access.key"));
    clientConf.set("fs.s3a.secret.key", secrets.getProperty("secret.key"));
    // only token collection sees the duration: the token carries its expiry
    clientConf.set("fs.s3a.assumed.role.session.duration", secs + "s");
    UserGroupInformation ugi = alice();
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
    check(p + "token expires at " + iso + ", " + life + " ms after it was requested",
        life > (secs - 5) * 1000L && life <= secs * 1000L + 2000, "expiry " + expiry[0]
            + ", requested at " + issued);
    check(p + "submitted before the expiry (" + (expiry[0] - submitted) + " ms to spare)",
        submitted < expiry[0], "submitted at " + submitted);
    boolean ok = ugi.doAs((PrivilegedExceptionAction<Boolean>) () -> job.waitForCompletion(false));
    long ended = System.currentTimeMillis();
    org.apache.hadoop.mapreduce.JobStatus.State state = job.getStatus().getState();
    check(p + "job " + job.getJobID() + " failed (state " + state + ", "
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
    check(p + "the failed task's diagnostics (Job.getTaskReports) name the expiry",
        diag != null, "diagnostics: " + diags);
    if (diag != null) {
      System.out.println("  diagnostics: " + diag.split("\n")[0]);
      check(p + "... as org.s3adt.fs.DelegationTokenIOException",
          diag.contains("org.s3adt.fs.DelegationTokenIOException: "), diag);
    }
    // the container logs the NodeManager kept (stderr: the task's own lines; syslog: YarnChild),
    // once the AM (which reports the job failed before it exits) has ended
    String appId = "application_" + job.getJobID().toString().substring("job_".length());
    awaitApplicationEnd(ugi, jobConf, appId);
    List<Path> logs = containerLogs(appId);
    boolean before = false;
    boolean expired = false;
    for (Path f : logs) {
      String t = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      before |= t.contains(TaskChecks.LOG_PREFIX + "before expiry: read ");
      expired |= t.contains(TaskChecks.LOG_PREFIX + "after expiry: ") && t.contains(want);
    }
    check(p + "container logs: a task read s3a://" + bucket + " before the expiry ("
        + logs.size() + " log files of " + appId + ")", before,
        "no '" + TaskChecks.LOG_PREFIX + "before expiry' line (if the task started after the"
            + " expiry, raise --expiry-secs)");
    check(p + "container logs: the read after the expiry failed naming it", expired,
        "not found in " + logs);
    // RGW's log: requests during the job before the expiry, none from the expiry on
    Thread.sleep(1000); // RGW's log is written asynchronously
    List<RgwRequest> window = new ArrayList<>();
    for (RgwRequest r : rgwLog()) {
      if (r.millis >= issued - 1000 && r.millis <= ended + 1000) {
        window.add(r);
      }
    }
    long pre = window.stream().filter(r -> r.millis < expiry[0]).count();
    List<String> post = new ArrayList<>();
    window.stream().filter(r -> r.millis >= expiry[0]).forEach(r -> post.add(r.line));
    check(p + "RGW served " + pre + " requests of the job before the expiry", pre > 0,
        "none in RGW's log");
    check(p + "RGW got no request from the expiry to the job's end (s3adt refused first)",
        post.isEmpty(), post.size() + " requests: " + post);
  }

  /**
   * Polls the RM (every 200 ms, up to {@code timeoutMs}) until the application is FINISHED,
   * FAILED or KILLED; returns its last report. Call as the submitting user.
   */
  private static org.apache.hadoop.yarn.api.records.ApplicationReport waitForApp(
      Configuration conf, org.apache.hadoop.yarn.api.records.ApplicationId id, long timeoutMs)
      throws Exception {
    try (org.apache.hadoop.yarn.client.api.YarnClient yc =
        org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient()) {
      yc.init(conf);
      yc.start();
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (true) {
        org.apache.hadoop.yarn.api.records.ApplicationReport r = yc.getApplicationReport(id);
        org.apache.hadoop.yarn.api.records.YarnApplicationState st = r.getYarnApplicationState();
        if (st == org.apache.hadoop.yarn.api.records.YarnApplicationState.FINISHED
            || st == org.apache.hadoop.yarn.api.records.YarnApplicationState.FAILED
            || st == org.apache.hadoop.yarn.api.records.YarnApplicationState.KILLED
            || System.currentTimeMillis() >= deadline) {
          return r;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Waits (up to 60 s) until the RM reports the application ended: its AM has exited. */
  private static void awaitApplicationEnd(UserGroupInformation ugi, Configuration conf,
      String appId) throws Exception {
    ugi.doAs((PrivilegedExceptionAction<Void>) () -> {
      waitForApp(conf, org.apache.hadoop.yarn.api.records.ApplicationId.fromString(appId),
          60_000);
      return null;
    });
    Thread.sleep(1000); // the NM's container clean-up after the AM's exit
  }

  /** The maps' part-m-* files under {@code out}, added up (direct output: no _SUCCESS). */
  private static Map<String, Integer> readParts(org.apache.hadoop.fs.Path out,
      Configuration conf) throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    Map<String, Integer> m = new TreeMap<>();
    for (FileStatus st : fs.listStatus(out)) {
      if (!st.getPath().getName().startsWith("part-m-")) {
        continue;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(st.getPath()),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          String[] kv = line.split("\t");
          m.merge(kv[0], Integer.parseInt(kv[1]), Integer::sum);
        }
      }
    }
    return m;
  }

  /** Files named stderr, stdout or syslog under the cluster dir, in a dir of this app. */
  private List<Path> containerLogs(String appId) throws IOException {
    try (Stream<Path> s = Files.walk(new File(opt("cluster-dir")).toPath())) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().contains("/" + appId + "/"))
          .filter(f -> {
            String n = f.getFileName().toString();
            return n.equals("stderr") || n.equals("syslog") || n.equals("stdout");
          })
          .collect(java.util.stream.Collectors.toList());
    }
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

  /** One request in RGW's log (beast's access line). */
  static final class RgwRequest {
    final long millis;
    final String method;
    final String path;
    final int status;
    final String line;

    RgwRequest(long millis, String method, String path, int status, String line) {
      this.millis = millis;
      this.method = method;
      this.path = path;
      this.status = status;
      this.line = line;
    }
  }

  static final java.util.regex.Pattern BEAST = java.util.regex.Pattern.compile(
      " beast: \\S+: \\S+ - \\S+ \\[([^\\]]+)\\] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) ");
  static final java.time.format.DateTimeFormatter BEAST_TIME =
      java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS Z", Locale.ENGLISH);

  /** Every request RGW logged (--rgw-log: radosgw's log, whose beast lines are the access log). */
  private List<RgwRequest> rgwLog() throws IOException {
    List<RgwRequest> out = new ArrayList<>();
    String f = opts.get("rgw-log");
    if (f == null || !new File(f).isFile()) {
      if (rgw()) {
        // an empty log would make "no request after the expiry" pass vacuously
        throw new IOException("RGW's log " + f + " cannot be read");
      }
      return out;
    }
    for (String l : Files.readAllLines(new File(f).toPath(), StandardCharsets.UTF_8)) {
      java.util.regex.Matcher m = BEAST.matcher(l);
      if (m.find()) {
        long ms = java.time.OffsetDateTime.parse(m.group(1), BEAST_TIME).toInstant()
            .toEpochMilli();
        out.add(new RgwRequest(ms, m.group(2), m.group(3), Integer.parseInt(m.group(4)),
            l.substring(m.start() + 1)));
      }
    }
    return out;
  }

  private static long counter(Counters c, String name) {
    return c.findCounter(TaskChecks.GROUP, name).getValue();
  }

  private static void writeInput(org.apache.hadoop.fs.Path in, Configuration conf)
      throws IOException {
    FileSystem fs = in.getFileSystem(conf);
    String[][] files = {INPUT_A, INPUT_B};
    for (int i = 0; i < files.length; i++) {
      try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(in, "part" + i + ".txt"),
          true)) {
        o.write((String.join("\n", files[i]) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  static Map<String, Integer> expected() {
    Map<String, Integer> m = new TreeMap<>();
    for (String[] f : new String[][] {INPUT_A, INPUT_B}) {
      for (String line : f) {
        for (String w : line.split("\\s+")) {
          m.merge(w.toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
      }
    }
    return m;
  }

  private static Map<String, Integer> readOutput(org.apache.hadoop.fs.Path out, Configuration conf)
      throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    Map<String, Integer> m = new TreeMap<>();
    if (!fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS"))) {
      m.put("<no _SUCCESS>", -1);
    }
    for (FileStatus st : fs.listStatus(out)) {
      String name = st.getPath().getName();
      if (!name.startsWith("part-m-") && !name.startsWith("part-r-")) {
        continue;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(st.getPath()),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          String[] kv = line.split("\t");
          if (name.startsWith("part-r-") && m.containsKey(kv[0])) {
            // a reduce output holds each word once, in one partition
            m.put("<" + kv[0] + " twice in the reduce output>", -1);
          }
          m.merge(kv[0], Integer.parseInt(kv[1]), Integer::sum); // maps: partial counts
        }
      }
    }
    return m;
  }

  /**
   * Every file the cluster, the jobs and the tasks left (the cluster's work dir with the NM's
   * container dirs and launch scripts, the JobHistoryServer's files, each case's staging dir
   * with job.xml, the tasks' dumps): alice's secret key may appear only in token files, and
   * only because the Full binding's token carries her credentials by design. That the Full
   * case's token files do hold it shows the scan finds what it looks for.
   */
  private void scanForSecrets(Properties secrets, boolean fullRan) throws IOException {
    byte[] secret = secrets.getProperty("secret.key").getBytes(StandardCharsets.UTF_8);
    List<Path> roots = new ArrayList<>();
    roots.add(new File(opt("cluster-dir")).toPath());
    roots.add(new File(opt("work")).toPath());
    List<String> tokenFiles = new ArrayList<>();
    List<String> others = new ArrayList<>();
    int scanned = 0;
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.walk(root)) {
        files = s.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toList());
      }
      for (Path f : files) {
        if (f.toString().equals(new File(opt("secrets")).getAbsolutePath())) {
          continue; // the client's own secrets file (run.sh keeps it outside these roots anyway)
        }
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(f);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // removed between the walk and the read (the NM cleaning up a container)
        }
        scanned++;
        if (Bytes.contains(bytes, secret)) {
          String name = f.getFileName().toString();
          boolean tokenFile = name.equals("container_tokens") || name.equals("appTokens")
              || name.endsWith(".tokens") || name.endsWith(".token");
          (tokenFile ? tokenFiles : others).add(f.toString());
        }
      }
    }
    check("scan: alice's secret key in no conf, env, script, log or dump (" + scanned
        + " files)", others.isEmpty(), "found in " + others);
    if (fullRan) {
      check("scan: found in the Full case's token files only (the scan works)",
          !tokenFiles.isEmpty() && tokenFiles.stream().allMatch(f -> f.contains("/case-Full/")
              || fullAppIds.stream().anyMatch(f::contains)),
          "token files holding it: " + tokenFiles);
    }
    System.out.println("scan: token files holding alice's secret key (Full binding): "
        + tokenFiles.size());
  }

}
