package org.s3adt.e2e;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
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
 *
 * <p>This class runs the binding cases and the control; the other cases and checks are classes
 * of their own that it hands itself to (its options, checks and alice's logins): {@link
 * RoleScenarios} (--scenarios deny,expiry on RGW), {@link NativeCase} (the C task),
 * {@link SecretScan}; {@link WordCountIo}, {@link YarnApps} and {@link RgwLog} read back what
 * a job, the RM and RGW left.
 */
public final class E2eClient {
  static final String BINDING_PACKAGE = "org.apache.hadoop.fs.s3a.auth.delegation.";
  static final Map<String, String> BINDINGS = new LinkedHashMap<>();

  static {
    BINDINGS.put("Full", BINDING_PACKAGE + "FullCredentialsTokenBinding");
    BINDINGS.put("Session", BINDING_PACKAGE + "SessionTokenBinding");
    BINDINGS.put("Role", BINDING_PACKAGE + "RoleTokenBinding");
    // --store ozone: s3adt's Ozone binding (OzoneCases), whose tokens are of the Full kind
    BINDINGS.put("Ozone", OzoneCases.BINDING);
  }

  /** The kind of a binding's tokens. */
  static String kind(String binding) {
    return "S3ADelegationToken/" + (binding.equals("Ozone") ? "Full" : binding);
  }

  /** Whether a binding's tokens carry the user's own secret key (the scan finds it there). */
  static boolean fullKind(String binding) {
    return kind(binding).endsWith("/Full");
  }

  private final Map<String, String> opts;
  private final Results results;
  /** The Full cases' application ids (job, native): their token files may hold the secret. */
  final List<String> fullAppIds = new ArrayList<>();

  E2eClient(Map<String, String> opts, PrintStream results) {
    this.opts = opts;
    this.results = new Results(results, "");
  }

  String opt(String k) {
    String v = opts.get(k);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + k);
    }
    return v;
  }

  String opt(String k, String otherwise) {
    return opts.getOrDefault(k, otherwise);
  }

  /**
   * The committer of a binding's jobs: --committer (file or magic), where --magic-bindings,
   * if given, narrows magic to the bindings it lists (the others use the FileOutputCommitter).
   */
  String committer(String binding) {
    String c = opt("committer", "file");
    String only = opt("magic-bindings", "");
    if (c.equals("magic") && !only.isEmpty() && !Arrays.asList(only.split(",")).contains(binding)) {
      return "file";
    }
    return c;
  }

  boolean has(String k) {
    return opts.containsKey(k);
  }

  void check(String name, boolean ok, String why) {
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
    boolean storedBefore = ozone() && OzoneCases.stored(secrets, "alice", opt("realm")).exists();
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
    if (ozone()) {
      new OzoneCases(this).afterFirstJobs(secrets, storedBefore);
    }
    for (String sc : opts.getOrDefault("scenarios", "").split(",")) {
      sc = sc.trim();
      if (sc.isEmpty()) {
        continue;
      }
      try {
        if (sc.equals("deny")) {
          new RoleScenarios(this).runOtherBucket(base, secrets);
        } else if (sc.equals("expiry")) {
          new RoleScenarios(this).runExpiry(base, secrets);
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
          new NativeCase(this).run(base, secrets, b.trim());
        } catch (Exception | LinkageError e) {
          e.printStackTrace();
          check("Native " + b.trim() + ": case ran to the end", false, e.toString());
        }
      }
    }
    if (ozone()) {
      try {
        new OzoneCases(this).runOtherUser(base, secrets);
      } catch (Exception | LinkageError e) {
        e.printStackTrace();
        check("Ozone bob: case ran to the end", false, e.toString());
      }
    }
    for (UserGroupInformation u : logins) {
      FileSystem.closeAllForUGI(u);
    }
    List<String> fullCases = new ArrayList<>();
    for (String b : bindings) {
      if (fullKind(b.trim())) {
        fullCases.add(b.trim());
      }
    }
    if (secrets.getProperty("secret.key") == null) {
      check("scan: alice's secret key known to the client", false, "not in the secret store");
      return;
    }
    SecretScan.run(this, secrets, fullCases);
    if (!"0".equals(opts.getOrDefault("control", "1"))) {
      try {
        runCase(base, secrets, ozone() ? "Ozone" : "Session", true);
      } catch (Exception | LinkageError e) {
        e.printStackTrace();
        check("Control: case ran to the end", false, e.toString());
      }
    }
  }

  /** A fresh Kerberos login per case, so no case's token is seen by the next. */
  UserGroupInformation alice() throws IOException {
    return login("alice");
  }

  /** A fresh Kerberos login of {@code user} from its keytab in --kdc-dir. */
  UserGroupInformation login(String user) throws IOException {
    String principal = user + "@" + opt("realm");
    UserGroupInformation ugi = UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal,
        new File(opt("kdc-dir"), user + ".keytab").getAbsolutePath());
    logins.add(ugi);
    return ugi;
  }

  /** Every login (alice's, bob's): their cached FileSystems are closed when the cases are done. */
  private final List<UserGroupInformation> logins = new ArrayList<>();

  /** What the job (and so its tasks) is configured with: everything but the secrets. */
  Configuration jobConf(Configuration base, Properties secrets, String binding,
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
    c.set("fs.s3a.delegation.token.binding", BINDINGS.get(binding));
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
    if ("magic".equals(committer(binding))) {
      // --committer magic: s3adt's own magic committer (README's two settings); run.sh checks
      // what it leaves in the bucket with boto3 (exactly the files, no __magic_job-*, no upload)
      c.set("mapreduce.outputcommitter.factory.scheme.s3a", "org.s3adt.commit.S3adtCommitterFactory");
      c.set("fs.s3a.committer.name", "magic");
    }
    c.setInt("mapreduce.map.maxattempts", 1);
    c.setInt("mapreduce.reduce.maxattempts", 1);
    c.setInt("mapreduce.am.max-attempts", 1);
    c.setInt("mapreduce.job.reduces", reduces()); // 0 where run.sh cannot shuffle: WordCount
    // TokenCache collects tokens for these too (input and output may be local: --data local)
    c.set("mapreduce.job.hdfs-servers", "s3a://" + opt("bucket"));
    c.set("s3adt.e2e.bucket", opt("bucket"));
    c.set("s3adt.e2e.expected.kind", kind(binding));
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
      setKeys(jobConf, secrets);
    }
    // the one place alice's keys (or, on Ozone, where to get them) exist: token collection
    Configuration clientConf = clientConf(jobConf, secrets);

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
      WordCountIo.writeInput(in, j.getConfiguration());
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
    if (fullKind(binding)) {
      // "<cluster timestamp>_<sequence>": in application_..., container_... and .tokens names
      fullAppIds.add(job.getJobID().toString().substring("job_".length()));
    }
    Credentials creds = job.getCredentials();
    Token<?> tok = creds.getToken(new Text("s3a://" + bucket));
    check(p + "token collected at submission by TokenCache (none in the job's credentials"
            + " before submit, one of kind " + kind(binding) + " after)",
        noTokenBeforeSubmit[0] && tok != null
            && tok.getKind().toString().equals(kind(binding)),
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
    long tasks = WordCountIo.counter(counters, "tasks");
    if (control) {
      long clean = WordCountIo.counter(counters, "conf-clean");
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
      long n = WordCountIo.counter(counters, c);
      check(p + "tasks " + c + " " + n + "/" + tasks, n == tasks && tasks > 0,
          c + "=" + n + " of " + tasks + " (dumps: " + new File(caseDir, "dumps") + ")");
    }
    if (opts.containsKey("c-program")) {
      long n = WordCountIo.counter(counters, "c-ok");
      check(p + "C program in each task read the bucket's credentials from the token file "
          + n + "/" + tasks, n == tasks, "c-ok=" + n);
    }
    long errors = WordCountIo.counter(counters, "errors");
    check(p + "no task check threw", errors == 0, "errors=" + errors);
    Map<String, Integer> got = ugi.doAs(
        (PrivilegedExceptionAction<Map<String, Integer>>) () -> WordCountIo.readOutput(out, jobConf));
    Map<String, Integer> want = WordCountIo.expected();
    check(p + "word count output at " + out + " is right (" + want.size() + " words)",
        want.equals(got), "got " + got + ", want " + want);
    File[] dumps = new File(caseDir, "dumps").listFiles();
    check(p + "tasks wrote their conf/env dumps", dumps != null && dumps.length == tasks,
        "dumps: " + (dumps == null ? 0 : dumps.length));
  }

  /**
   * The client's conf for collecting the job's token: the job's with alice's keys, or on Ozone
   * with where the binding gets her S3 secret (OzoneCases); never a job's conf.
   */
  Configuration clientConf(Configuration jobConf, Properties secrets) {
    return ozone() ? OzoneCases.clientConf(jobConf, secrets) : withKeys(jobConf, secrets);
  }

  /** {@code conf} with alice's keys: for token collection only, never a job's conf. */
  static Configuration withKeys(Configuration conf, Properties secrets) {
    Configuration c = new Configuration(conf);
    setKeys(c, secrets);
    return c;
  }

  private static void setKeys(Configuration conf, Properties secrets) {
    conf.set("fs.s3a.access.key", secrets.getProperty("access.key"));
    conf.set("fs.s3a.secret.key", secrets.getProperty("secret.key"));
  }

  /** Every request RGW logged (--rgw-log); on RGW the log must be there. */
  List<RgwLog.RgwRequest> rgwLog() throws IOException {
    return RgwLog.read(opts.get("rgw-log"), rgw());
  }

  /** The container logs of application {@code appId} under --cluster-dir. */
  List<Path> containerLogs(String appId) throws IOException {
    return YarnApps.containerLogs(new File(opt("cluster-dir")), appId);
  }

  /** Reducers of the word count: 2, or 0 where run.sh cannot give the NM a shuffle. */
  int reduces() {
    return Integer.parseInt(opts.getOrDefault("reduces", "2"));
  }

  boolean ozone() {
    return "ozone".equals(opts.getOrDefault("store", "moto"));
  }

  boolean rgw() {
    return "rgw".equals(opts.getOrDefault("store", "moto"));
  }


}
