package org.s3adt.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.util.VersionInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.SerializableConfiguration;
import org.s3adt.testsupport.AwsEnv;
import org.s3adt.testsupport.Bytes;
import org.s3adt.testsupport.Results;

/**
 * The Spark application of tests/spark/run.sh: reads and writes {@code s3a://BUCKET} through
 * s3adt ({@code spark.hadoop.fs.s3a.impl=org.s3adt.fs.S3adtFileSystem}), and with
 * {@code --expect-bound KIND} runs {@link ExecutorCheck} in every partition of a small RDD: each
 * executor opens {@code s3a://BUCKET/} with the Hadoop configuration the driver ships to file
 * sources, and must find s3adt bound to a delegation token of that kind, no AWS secret in its
 * configuration or environment, and must read and write the bucket itself.
 *
 * <p>Writes one line per check ({@code PASS name} / {@code FAIL name: why}) to stdout and to
 * {@code --results FILE}; exits 0 when it ran to the end (run.sh counts the lines).
 *
 * <p>{@code --expect-jar JAR}: s3adt's classes must come from JAR and from nowhere else, in the
 * driver (one {@code org/s3adt/fs/S3adtFileSystem.class} on its whole class loader chain) and in
 * every executor (a jar of the same name: Spark may hand executors a copy).
 *
 * <p>usage: {@code SparkJob --results F --bucket B --out PREFIX [--expect-bound KIND]
 * [--expect-clean true|false] [--partitions N] [--dump-dir D] [--case NAME] [--expect-jar JAR]}
 */
public final class SparkJob {
  static final String CAPABILITY_BOUND = "fs.s3adt.capability.delegation.token.bound";
  static final String S3ADT_CLASS = "org.s3adt.fs.S3adtFileSystem";
  /** S3A's credential keys, plain and per bucket (hadoop-aws's names). */
  static final Pattern SECRET_KEY = Pattern.compile(
      "fs\\.s3a?\\.(bucket\\.[^.]+\\.)?(access\\.key|secret\\.key|session\\.token"
          + "|awsAccessKeyId|awsSecretAccessKey)|fs\\.s3n\\.(awsAccessKeyId|awsSecretAccessKey)");

  private final Map<String, String> opts;
  private final Results results;

  private SparkJob(Map<String, String> opts, PrintStream results) {
    this.opts = opts;
    this.results = new Results(results, opts.containsKey("case") ? opts.get("case") + ": " : "");
  }

  private long tStep = System.nanoTime();

  /** Seconds since the previous call, for the check names. */
  private String took() {
    long now = System.nanoTime();
    String s = String.format(java.util.Locale.ROOT, " (%.1f s)", (now - tStep) / 1e9);
    tStep = now;
    return s;
  }

  private void check(String name, boolean ok, String why) {
    results.check(name, ok, why);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Results.options(args);
    try (PrintStream results = new PrintStream(
        Files.newOutputStream(new File(opts.get("results")).toPath(),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND),
        true, "UTF-8")) {
      SparkJob job = new SparkJob(opts, results);
      SparkSession spark = SparkSession.builder().appName("s3adt-spark-" + opts.get("case"))
          .getOrCreate();
      try {
        job.run(spark);
      } catch (Exception | LinkageError e) {
        e.printStackTrace();
        job.check("job ran to the end", false, rootCause(e));
      } finally {
        spark.stop();
      }
      System.out.println("spark-job: done, " + job.results.passed() + " PASS / "
          + job.results.failed() + " FAIL");
    }
  }

  private void run(SparkSession spark) throws Exception {
    String bucket = opts.get("bucket");
    String out = opts.get("out");
    String expectKind = opts.get("expect-bound");
    boolean expectClean = !"false".equals(opts.get("expect-clean"));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    check("Spark " + spark.version() + " (master " + jsc.master() + ") on Hadoop "
        + VersionInfo.getVersion(), true, "");
    // The configuration Spark's file sources build and broadcast to the executors.
    Configuration shipped = spark.sessionState().newHadoopConf();
    check("fs.s3a.impl is s3adt", "org.s3adt.fs.S3adtFileSystem".equals(shipped.get("fs.s3a.impl")),
        String.valueOf(shipped.get("fs.s3a.impl")));
    String expectJar = opts.get("expect-jar");
    if (expectJar != null) {
      // where the driver finds s3adt: every copy of the class on its class loader chain (the
      // application's loader, Spark's jars, the JVM's class path), and the one it loads
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      List<String> copies = classCopies(cl);
      String from = jarOf(Class.forName(S3ADT_CLASS, false, cl));
      String want = new File(expectJar).getCanonicalPath();
      check("the driver loads s3adt from " + from + ", its only copy on the class loader chain",
          copies.size() == 1 && want.equals(from) && copies.get(0).contains(want),
          "loaded from " + from + ", copies " + copies + ", expected " + want);
      List<String> onPath = new ArrayList<>();
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (new File(e).getName().matches("s3adt-[0-9].*|org\\.s3adt_.*|s3adt\\.jar")) {
          onPath.add(e);
        }
      }
      check("the JVM's class path (java.class.path) holds no s3adt jar", onPath.isEmpty(),
          onPath.toString());
    }

    // 1. read through s3adt
    took();
    List<String> hello = spark.read().text("s3a://" + bucket + "/hello.txt")
        .as(Encoders.STRING()).collectAsList();
    check("read s3a://" + bucket + "/hello.txt through s3adt" + took(),
        hello.equals(Collections.singletonList("hello from A")), String.valueOf(hello));

    if ("true".equals(opts.get("magic"))) {
      magic(spark, shipped, out);
      return;
    }

    // 2. what every executor sees (only when a token is expected: the keys case has none)
    if (expectKind != null) {
      int parts = Integer.parseInt(opts.getOrDefault("partitions", "4"));
      Broadcast<SerializableConfiguration> bc =
          jsc.broadcast(new SerializableConfiguration(shipped));
      List<String> reports = jsc.parallelize(range(parts), parts)
          .mapPartitions(new ExecutorCheck(bc, bucket, out, opts.get("dump-dir"))).collect();
      checkReports(jsc, reports, parts, expectKind, expectClean, jsc.master().startsWith("local"));
    }
    if ("false".equals(opts.get("data"))) {
      return; // the negative control stops here
    }

    // 3. a DataFrame written as parquet and as text by the executors, committed by the driver
    //    (FileOutputCommitter: task output renamed under _temporary, then into place), read back
    Dataset<Row> df = spark.range(0, 1000).selectExpr("id", "concat('row-', id) AS s");
    String pq = out + "/parquet";
    df.repartition(3).write().mode(SaveMode.Overwrite).parquet(pq);
    Dataset<Row> back = spark.read().parquet(pq);
    long n = back.count();
    long sum = back.selectExpr("sum(id)").first().getLong(0);
    check("parquet written to " + pq + " and read back (1000 rows)" + took(),
        n == 1000 && sum == 499500, "count " + n + ", sum " + sum);
    // partitioned parquet (Hive-style k=N/ directories): one file per partition value, then
    // read back whole and with a filter on the partition column (only k=2/ is listed and read)
    String pb = out + "/parquet-by";
    df.selectExpr("id", "s", "CAST(id % 4 AS INT) AS k").repartition(functions.col("k"))
        .write().mode(SaveMode.Overwrite).partitionBy("k").parquet(pb);
    Dataset<Row> byK = spark.read().parquet(pb);
    long all = byK.count();
    long k2 = byK.where("k = 2").count();
    long k2bad = byK.where("k = 2 AND id % 4 != 2").count();
    List<Row> ks = byK.selectExpr("k").distinct().orderBy("k").collectAsList();
    check("partitioned parquet written to " + pb + " (partitionBy k, k=0..3) and read back: "
        + "1000 rows, 250 with k = 2, each in its own k= directory" + took(),
        all == 1000 && k2 == 250 && k2bad == 0 && ks.size() == 4,
        "count " + all + ", k=2 " + k2 + " (" + k2bad + " misplaced), k values " + ks);
    if ("true".equals(opts.get("committer-probe"))) {
      // mapred-default.xml maps s3a:// to hadoop-aws's S3ACommitterFactory; FileOutputFormat
      // (text, csv, json) goes through that factory, ParquetOutputFormat does not.
      String factory = "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory";
      String why;
      try {
        df.selectExpr("s").write().mode(SaveMode.Overwrite)
            .option("mapreduce.outputcommitter.factory.scheme.s3a", factory)
            .text(out + "/text-probe");
        why = "the text write succeeded";
      } catch (Exception e) {
        why = rootCause(e);
      }
      check("without the committer override a text write fails: "
          + "ClassNotFoundException " + factory,
          why.contains("ClassNotFoundException") && why.contains(factory), why);
    }
    String txt = out + "/text";
    df.selectExpr("s").repartition(2).write().mode(SaveMode.Overwrite).text(txt);
    List<String> lines = spark.read().text(txt).as(Encoders.STRING()).collectAsList();
    TreeSet<String> got = new TreeSet<>(lines);
    check("text written to " + txt + " and read back (1000 lines)" + took(),
        lines.size() == 1000 && got.size() == 1000 && got.contains("row-999"),
        lines.size() + " lines");
    FileSystem dfs = new Path(out).getFileSystem(shipped);
    boolean noTemp = !dfs.exists(new Path(pq + "/_temporary"))
        && !dfs.exists(new Path(txt + "/_temporary")) && !dfs.exists(new Path(pb + "/_temporary"))
        && dfs.exists(new Path(pq + "/_SUCCESS")) && dfs.exists(new Path(txt + "/_SUCCESS"))
        && dfs.exists(new Path(pb + "/_SUCCESS"));
    check("committer left _SUCCESS and no _temporary", noTemp, "see the listing of " + out);
    if (expectKind != null) {
      check("driver's own s3a://" + bucket + " is bound to the collected token too",
          dfs.hasPathCapability(new Path("/"), CAPABILITY_BOUND), dfs.toString());
    }
  }

  /**
   * The magic case: partitioned parquet, four tasks each writing into all three partitions,
   * committed by spark-hadoop-cloud's PathOutputCommitProtocol and BindingParquetOutputCommitter
   * through s3adt's magic committer; read back; _SUCCESS names the committer. run.sh checks the
   * bucket with boto3 (the files, no __magic_job-*, no upload open).
   */
  private void magic(SparkSession spark, Configuration shipped, String out) throws Exception {
    String dir = out + "/partitioned";
    Dataset<Row> df = spark.range(0, 1000).selectExpr("id", "id % 3 AS p");
    df.repartition(4).write().mode(SaveMode.Overwrite).partitionBy("p").parquet(dir);
    Dataset<Row> back = spark.read().parquet(dir);
    long n = back.count();
    long sum = back.selectExpr("sum(id)").first().getLong(0);
    long parts = back.select("p").distinct().count();
    check("partitioned parquet written to " + dir + " through the magic committer and read back"
        + " (1000 rows, 3 partitions)" + took(), n == 1000 && sum == 499500 && parts == 3,
        "count " + n + ", sum " + sum + ", partitions " + parts);
    FileSystem fs = new Path(dir).getFileSystem(shipped);
    byte[] success = new byte[(int) fs.getFileStatus(new Path(dir, "_SUCCESS")).getLen()];
    try (java.io.DataInputStream in = fs.open(new Path(dir, "_SUCCESS"))) {
      in.readFully(success);
    }
    String json = new String(success, java.nio.charset.StandardCharsets.UTF_8);
    check("_SUCCESS is the JSON of s3adt's magic committer",
        json.contains("\"committer\" : \"org.s3adt.commit.S3adtMagicCommitter\""),
        json.length() > 300 ? json.substring(0, 300) : json);
  }

  /** The executors' reports: every partition ran, and each passed every check. */
  private void checkReports(JavaSparkContext jsc, List<String> reports, int parts, String kind,
      boolean expectClean, boolean local) {
    Map<String, Integer> counts = new TreeMap<>();
    TreeSet<String> executors = new TreeSet<>();
    TreeSet<String> ids = new TreeSet<>();
    TreeSet<String> secretKeys = new TreeSet<>();
    TreeSet<String> jars = new TreeSet<>();
    TreeSet<String> copies = new TreeSet<>();
    List<String> errors = new ArrayList<>();
    for (String r : reports) {
      Map<String, String> m = new HashMap<>();
      for (String l : r.split("\n")) {
        int eq = l.indexOf('=');
        if (eq > 0) {
          m.put(l.substring(0, eq), l.substring(eq + 1));
        }
      }
      executors.add(m.get("executor"));
      jars.add(String.valueOf(m.get("s3adt.jar")));
      copies.add(String.valueOf(m.get("s3adt.copies")));
      for (String k : new String[] {"s3adt", "bound", "conf-clean", "env-clean", "read", "write"}) {
        if ("true".equals(m.get(k))) {
          counts.merge(k, 1, Integer::sum);
        }
      }
      if (kind.equals(m.get("bound.kind"))) {
        counts.merge("kind", 1, Integer::sum);
      }
      ids.add(String.valueOf(m.get("bound.id.sha256")));
      String h = m.getOrDefault("conf.secret.keys", "[]");
      for (String k : h.substring(1, Math.max(1, h.length() - 1)).split(", ")) {
        if (!k.isEmpty()) {
          secretKeys.add(k);
        }
      }
      if (m.containsKey("error")) {
        errors.add(m.get("executor") + ": " + m.get("error"));
      }
      System.out.println("executor report:\n  " + r.replace("\n", "\n  "));
    }
    check("executors ran the checks (" + reports.size() + " partitions on executors " + executors
        + ")" + took(), reports.size() == parts && (local || !executors.contains("driver")),
        reports.size() + " reports from " + executors);
    check("no executor check threw", errors.isEmpty(), errors.toString());
    check("every executor opened s3a:// as org.s3adt.fs.S3adtFileSystem",
        counts.getOrDefault("s3adt", 0) == parts, counts.toString());
    String expectJar = opts.get("expect-jar");
    if (expectJar != null) {
      // Spark hands the application's jars (spark.jars: here what --packages resolved) to the
      // executors, which fetch them into their userFiles dir and add them to their own loader:
      // in local mode a second copy of the same jar, below the driver's
      String name = new File(expectJar).getName();
      TreeSet<String> where = new TreeSet<>();
      for (String c : copies) {
        for (String u : c.substring(1, Math.max(1, c.length() - 1)).split(", ")) {
          where.add(u.replaceFirst("^jar:file:", "").replaceFirst("!/.*", ""));
        }
      }
      boolean ok = !jars.isEmpty() && !where.isEmpty();
      for (String j : jars) {
        ok &= new File(j).getName().equals(name);
      }
      for (String w : where) {
        ok &= new File(w).getName().equals(name);
      }
      check("every executor loads s3adt from " + jars + "; the only copies on its class loader "
          + "chain are that jar and Spark's copies of it " + where, ok,
          "loaded from " + jars + ", copies " + copies + ", expected " + name);
    }
    check("every executor's s3adt answers " + CAPABILITY_BOUND,
        counts.getOrDefault("bound", 0) == parts, counts.toString());
    check("every executor is bound to a " + kind + " token",
        counts.getOrDefault("kind", 0) == parts, counts.toString());
    String mine = "none";
    try {
      Token<?> t = UserGroupInformation.getCurrentUser().getCredentials()
          .getToken(new Text("s3a://" + opts.get("bucket")));
      mine = t == null ? "none" : Bytes.sha256(t.getIdentifier());
    } catch (IOException e) {
      mine = e.toString();
    }
    String shippedFile = System.getenv("HADOOP_TOKEN_FILE_LOCATION");
    if (shippedFile != null && !jsc.master().startsWith("local")) {
      // cluster mode: the driver is the AM, launched with the tokens the submitter collected
      String submitted = "none";
      try {
        Token<?> t = org.apache.hadoop.security.Credentials.readTokenStorageFile(
            new File(shippedFile), new Configuration(false))
            .getToken(new Text("s3a://" + opts.get("bucket")));
        submitted = t == null ? "none" : Bytes.sha256(t.getIdentifier());
      } catch (IOException e) {
        submitted = e.toString();
      }
      if ("reissued".equals(opts.get("am-token"))) {
        // --keytab in cluster mode: the AM logs in from the shipped keytab and collects anew
        check("the driver (in the AM) collected a token of its own: not the one in its "
            + "container's token file", !submitted.equals(mine) && !"none".equals(mine),
            "container_tokens " + submitted + ", driver " + mine);
      } else {
        check("the driver (in the AM) holds the token the submitter collected, from its "
            + "container's token file, not one it issued itself", submitted.equals(mine),
            "container_tokens " + submitted + ", driver " + mine);
      }
    }
    check("every executor is bound to the very token the driver holds for s3a://"
        + opts.get("bucket") + " (identifier SHA-256 " + mine.substring(0, Math.min(12, mine.length()))
        + "...)", ids.size() == 1 && ids.contains(mine), "driver " + mine + ", executors " + ids);
    if (expectClean) {
      check("no AWS secret in any executor's Hadoop configuration",
          counts.getOrDefault("conf-clean", 0) == parts, counts.toString());
      check("no AWS credential variable in any executor's environment",
          counts.getOrDefault("env-clean", 0) == parts, counts.toString());
    } else {
      check("negative control: every executor's Hadoop configuration holds alice's keys "
          + secretKeys, counts.getOrDefault("conf-clean", 0) == 0, counts.toString());
    }
    check("every executor read s3a://" + opts.get("bucket") + "/hello.txt itself",
        counts.getOrDefault("read", 0) == parts, counts.toString());
    check("every executor wrote an object to " + opts.get("out") + "/executors/",
        counts.getOrDefault("write", 0) == parts, counts.toString());
  }

  private static List<Integer> range(int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }

  static String rootCause(Throwable e) {
    Throwable r = e;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r.toString();
  }

  /**
   * Runs in an executor, once per partition. Reports {@code key=value} lines: executor, pid,
   * ugi, tokens, s3adt (the class), bound, bound.kind, conf-clean, env-clean, read, write,
   * error. The secret is never sent here: run.sh greps the dumps (whole conf and env) for it.
   */
  static final class ExecutorCheck implements FlatMapFunction<Iterator<Integer>, String> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableConfiguration> conf;
    private final String bucket;
    private final String out;
    private final String dumpDir;

    ExecutorCheck(Broadcast<SerializableConfiguration> conf, String bucket, String out,
        String dumpDir) {
      this.conf = conf;
      this.bucket = bucket;
      this.out = out;
      this.dumpDir = dumpDir;
    }

    @Override
    public Iterator<String> call(Iterator<Integer> it) throws Exception {
      int part = it.hasNext() ? it.next() : -1;
      StringBuilder r = new StringBuilder();
      String executor = SparkEnv.get().executorId();
      r.append("executor=").append(executor).append('\n');
      r.append("partition=").append(part).append('\n');
      r.append("pid=").append(ManagementFactory.getRuntimeMXBean().getName()).append('\n');
      r.append("container=").append(System.getenv("CONTAINER_ID")).append('\n');
      r.append("token.file=").append(System.getenv("HADOOP_TOKEN_FILE_LOCATION")).append('\n');
      Configuration shipped = conf.value().value();
      // what the executor builds itself: spark.hadoop.* and __spark_hadoop_conf__.xml
      Configuration local = SparkHadoopUtil.get().newConfiguration(SparkEnv.get().conf());
      try {
        UserGroupInformation ugi = UserGroupInformation.getCurrentUser();
        r.append("ugi=").append(ugi.getUserName()).append(' ')
            .append(ugi.getAuthenticationMethod()).append(" kerberos=")
            .append(ugi.hasKerberosCredentials()).append('\n');
        List<String> toks = new ArrayList<>();
        for (Token<?> t : ugi.getCredentials().getAllTokens()) {
          toks.add(t.getKind() + "@" + t.getService());
        }
        r.append("tokens=").append(toks).append('\n');
        FileSystem fs = FileSystem.get(URI.create("s3a://" + bucket + "/"), shipped);
        r.append("fs=").append(fs.getClass().getName()).append('\n');
        r.append("s3adt=").append(fs.getClass().getName().equals("org.s3adt.fs.S3adtFileSystem"))
            .append('\n');
        r.append("s3adt.jar=").append(jarOf(fs.getClass())).append('\n');
        r.append("s3adt.copies=").append(classCopies(Thread.currentThread().getContextClassLoader()))
            .append('\n');
        boolean bound = fs.hasPathCapability(new Path("/"), CAPABILITY_BOUND);
        r.append("bound=").append(bound).append('\n');
        if (bound) {
          Token<?> t = fs.getDelegationToken(null); // the bound token: issues nothing
          r.append("bound.kind=").append(t.getKind()).append('\n');
          r.append("bound.service=").append(t.getService()).append('\n');
          Token<?> inUgi = ugi.getCredentials().getToken(new Text("s3a://" + bucket));
          r.append("bound.same-as-ugi=").append(inUgi != null
              && Arrays.equals(inUgi.getIdentifier(), t.getIdentifier())).append('\n');
          r.append("bound.id.sha256=").append(Bytes.sha256(t.getIdentifier())).append('\n');
        }
        String text;
        try (InputStream in = fs.open(new Path("/hello.txt"))) {
          text = new String(Bytes.readAll(in), StandardCharsets.UTF_8);
        }
        r.append("read=").append(text.equals("hello from A")).append('\n');
        Path mine = new Path(out + "/executors/executor-" + executor + "-part-" + part + ".txt");
        byte[] body = ("written by executor " + executor + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream o = mine.getFileSystem(shipped).create(mine, true)) {
          o.write(body);
        }
        r.append("write=").append(mine.getFileSystem(shipped).getFileStatus(mine).getLen()
            == body.length).append('\n');
      } catch (IOException | RuntimeException e) {
        r.append("error=").append(rootCause(e).replace('\n', ' ')).append('\n');
        r.append("stack=").append(Results.stackTrace(e).replace('\n', '|')).append('\n');
      }
      List<String> hits = new ArrayList<>();
      secretKeys("shipped", shipped, hits);
      secretKeys("executor", local, hits);
      r.append("conf.secret.keys=").append(hits).append('\n');
      r.append("conf-clean=").append(hits.isEmpty()).append('\n');
      List<String> env = new ArrayList<>();
      for (String k : AwsEnv.CREDENTIAL_VARIABLES) {
        if (System.getenv(k) != null) {
          env.add(k);
        }
      }
      r.append("env.aws=").append(env).append('\n');
      r.append("env-clean=").append(env.isEmpty()).append('\n');
      if (dumpDir != null) {
        dump(r.toString(), shipped, local, executor, part);
      }
      return Collections.singletonList(r.toString()).iterator();
    }

    /**
     * A credential key whose value resolves to something: a secret. A value that stays an
     * unresolved {@code ${env.X}} reference (the submitter's variable, absent here) is no
     * secret; neither is a key that is unset. Credential providers count as secrets too:
     * the executor could open them.
     */
    private static void secretKeys(String which, Configuration c, List<String> hits) {
      for (Map.Entry<String, String> e : c) {
        String k = e.getKey();
        if (SECRET_KEY.matcher(k).matches()) {
          String v = c.get(k);
          if (v != null && !v.isEmpty() && !v.startsWith("${")) {
            hits.add(which + ":" + k);
          }
        }
      }
      for (String k : new String[] {"hadoop.security.credential.provider.path",
          "fs.s3a.security.credential.provider.path"}) {
        if (c.get(k) != null) {
          hits.add(which + ":" + k);
        }
      }
    }

    private void dump(String report, Configuration shipped, Configuration local, String executor,
        int part) throws IOException {
      StringBuilder d = new StringBuilder(report);
      d.append("---- env\n");
      for (Map.Entry<String, String> e : new TreeMap<>(System.getenv()).entrySet()) {
        d.append(e.getKey()).append('=').append(e.getValue()).append('\n');
      }
      d.append("---- system properties\n");
      for (Map.Entry<Object, Object> e : new TreeMap<>(System.getProperties()).entrySet()) {
        d.append(e.getKey()).append('=').append(e.getValue()).append('\n');
      }
      for (Object[] c : new Object[][] {{"shipped", shipped}, {"executor", local}}) {
        d.append("---- conf ").append(c[0]).append('\n');
        Configuration conf = (Configuration) c[1];
        TreeSet<String> keys = new TreeSet<>();
        for (Map.Entry<String, String> e : conf) {
          keys.add(e.getKey());
        }
        for (String k : keys) {
          d.append(k).append('=').append(conf.get(k)).append('\n');
        }
      }
      d.append("---- spark conf\n");
      for (scala.Tuple2<String, String> e : SparkEnv.get().conf().getAll()) {
        d.append(e._1()).append('=').append(e._2()).append('\n');
      }
      File dir = new File(dumpDir);
      dir.mkdirs();
      Files.write(new File(dir, "executor-" + executor + "-part-" + part + ".txt").toPath(),
          d.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The jar (or directory) a class was loaded from, as a canonical path. */
  static String jarOf(Class<?> c) {
    try {
      java.security.CodeSource src = c.getProtectionDomain().getCodeSource();
      return src == null ? "(no code source)"
          : new File(src.getLocation().toURI()).getCanonicalPath();
    } catch (IOException | java.net.URISyntaxException e) {
      return e.toString();
    }
  }

  /** Every place s3adt's FileSystem class can be found by a class loader and its parents. */
  static List<String> classCopies(ClassLoader cl) {
    List<String> l = new ArrayList<>();
    try {
      for (java.util.Enumeration<java.net.URL> e =
          cl.getResources(S3ADT_CLASS.replace('.', '/') + ".class"); e.hasMoreElements(); ) {
        l.add(e.nextElement().toString());
      }
    } catch (IOException e) {
      l.add(e.toString());
    }
    return l;
  }



}
