package org.s3adt.spark;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.s3adt.testsupport.Bytes;
import org.s3adt.testsupport.Results;
import org.s3adt.token.S3adtTokenIdentifier;

/**
 * A job that outlives its S3A token (issue 16 item 3): rounds of tasks that each write an object
 * under {@code --out}/round-N/ and read it and the previous round's back, until more than three
 * lifetimes of the first token have passed (its credentials' expiry plus 2.25 lifetimes; the
 * lifetime is {@code --lifetime-secs}). Every task reports the expiry and uuid of the token its
 * filesystem is bound to; the driver prints them, one {@code round=...} line a round, to stdout.
 *
 * <p>{@code --expect success}: every round must succeed and the executors must have used at least
 * three tokens. {@code --expect expiry} (the negative control, renewer disabled): a round must
 * fail, after the first token's expiry, with s3adt's expiry error naming that time.
 *
 * <p>usage: {@code LongJob --results F --case NAME --bucket B --out PREFIX --lifetime-secs L
 * --expect success|expiry [--partitions N]}
 */
public final class LongJob {
  private LongJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Results.options(args);
    try (PrintStream file = new PrintStream(Files.newOutputStream(new File(opts.get("results"))
        .toPath(), StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, "UTF-8")) {
      Results results = new Results(file, opts.get("case") + ": ");
      SparkSession spark = SparkSession.builder().appName("s3adt-" + opts.get("case")).getOrCreate();
      // for run.sh, which finds the app's container logs by it (not a PASS/FAIL line)
      file.println("app " + spark.sparkContext().applicationId());
      try {
        run(spark, opts, results);
      } catch (Exception | LinkageError e) {
        e.printStackTrace();
        results.check("job ran to the end", false, e.toString());
      } finally {
        spark.stop();
      }
      System.out.println("long-job: done, " + results.passed() + " PASS / " + results.failed()
          + " FAIL");
    }
  }

  private static long expiryOf(Token<?> t) {
    try {
      return t == null ? 0 : S3adtTokenIdentifier.decode(t).getExpiration();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static void run(SparkSession spark, Map<String, String> opts, Results results)
      throws Exception {
    String bucket = opts.get("bucket");
    String out = opts.get("out");
    long lifetimeMs = Long.parseLong(opts.get("lifetime-secs")) * 1000L;
    boolean expectExpiry = "expiry".equals(opts.get("expect"));
    int partitions = Integer.parseInt(opts.getOrDefault("partitions", "2"));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Text service = new Text("s3a://" + bucket);
    Token<?> first = UserGroupInformation.getCurrentUser().getCredentials().getToken(service);
    long firstExpiry = expiryOf(first);
    results.check("the driver holds a " + (first == null ? "no" : first.getKind()) + " token for "
        + service + " whose credentials expire at " + Instant.ofEpochMilli(firstExpiry),
        firstExpiry > 0, "no S3A token with an expiry in the driver's credentials");
    if (firstExpiry <= 0) {
      return;
    }
    long until = firstExpiry + (long) (2.25 * lifetimeMs);
    System.out.println("long-job: first token expires at " + Instant.ofEpochMilli(firstExpiry)
        + "; rounds until " + Instant.ofEpochMilli(until) + " (lifetime " + lifetimeMs / 1000
        + " s)");
    Configuration shipped = spark.sessionState().newHadoopConf();
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(shipped));
    List<Integer> parts = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      parts.add(i);
    }
    TreeSet<Long> expiries = new TreeSet<>();
    TreeSet<String> executors = new TreeSet<>();
    int round = 0;
    long start = System.currentTimeMillis();
    Exception failure = null;
    long failedAt = 0;
    while (System.currentTimeMillis() < until) {
      round++;
      String dir = out + "/round-" + round;
      String prev = round > 1 ? out + "/round-" + (round - 1) : null;
      try {
        List<String> rows = jsc.parallelize(parts, partitions)
            .mapPartitions((FlatMapFunction<Iterator<Integer>, String>)
                it -> round(it, conf, bucket, dir, prev))
            .collect();
        for (String r : rows) {
          System.out.println("long-job: round=" + round + " " + r);
          for (String kv : r.split(" ")) {
            if (kv.startsWith("expiry=")) {
              expiries.add(Long.parseLong(kv.substring(7)));
            } else if (kv.startsWith("executor=")) {
              executors.add(kv.substring(9));
            }
          }
        }
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
          failedAt = System.currentTimeMillis();
          System.out.println("long-job: round=" + round + " failed: " + e);
        }
        break;
      }
      Thread.sleep(1000);
    }
    long secs = (System.currentTimeMillis() - start) / 1000;
    StringBuilder seen = new StringBuilder();
    for (long e : expiries) {
      seen.append(seen.length() == 0 ? "" : ", ").append(Instant.ofEpochMilli(e));
    }
    if (!expectExpiry) {
      results.check("the job wrote and read s3a://" + bucket + " in " + round + " rounds over "
          + secs + " s, past " + Instant.ofEpochMilli(until) + " (more than three lifetimes of "
          + lifetimeMs / 1000 + " s from the first token's issue)", failure == null,
          failure == null ? "" : "round " + round + " failed: " + rootMessage(failure));
      results.check("the executors (" + executors + ") were bound to " + expiries.size()
          + " tokens over the job, their credentials expiring at " + seen, expiries.size() >= 3,
          "fewer than three");
    } else {
      String msg = failure == null ? "" : rootMessage(failure);
      // the expiry as hadoop-aws prints one (ISO_DATE_TIME: the fraction without trailing zeros,
      // unlike Instant.toString's three digits), then the same instant in ms
      String named = "expired at " + java.time.OffsetDateTime.ofInstant(
          Instant.ofEpochMilli(firstExpiry), java.time.ZoneOffset.UTC)
          .format(java.time.format.DateTimeFormatter.ISO_DATE_TIME)
          + " (" + firstExpiry + " ms since the epoch)";
      results.check("with the renewer disabled the job failed at the first expiry ("
          + (failedAt - firstExpiry) + " ms after it, round " + round + "): " + msg,
          failure != null && msg.contains("the delegation token for s3a://" + bucket + " " + named)
              && failedAt >= firstExpiry,
          failure == null ? "no round failed in " + secs + " s" : "expected '" + named + "'");
    }
  }

  private static String rootMessage(Throwable e) {
    String all = e.toString();
    int i = all.indexOf("the delegation token for ");
    if (i >= 0) {
      int end = all.indexOf('\n', i);
      return all.substring(i, end < 0 ? all.length() : end);
    }
    Throwable c = e;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.toString();
  }

  /**
   * One task of a round: writes its object, reads it and the previous round's back, and
   * reports {@code executor=ID expiry=MS uuid=UUID} of its filesystem's bound token.
   */
  static Iterator<String> round(Iterator<Integer> it, Broadcast<SerializableConfiguration> conf,
      String bucket, String dir, String prev) throws Exception {
    int part = it.hasNext() ? it.next() : -1;
    Configuration c = conf.value().value();
    FileSystem fs = FileSystem.get(URI.create("s3a://" + bucket + "/"), c);
    String executor = SparkEnv.get().executorId();
    byte[] body = ("part " + part + " of " + dir + "\n").getBytes(StandardCharsets.UTF_8);
    Path mine = new Path(dir + "/part-" + part);
    try (OutputStream o = fs.create(mine, true)) {
      o.write(body);
    }
    try (InputStream in = fs.open(mine)) {
      if (!java.util.Arrays.equals(Bytes.readAll(in), body)) {
        throw new IllegalStateException(mine + " read back differs");
      }
    }
    if (prev != null) {
      try (InputStream in = fs.open(new Path(prev + "/part-" + part))) {
        Bytes.readAll(in);
      }
    }
    Token<?> bound = fs.getDelegationToken(null); // the bound token: issues nothing
    String uuid = bound == null ? "none" : S3adtTokenIdentifier.decode(bound).getUuid();
    List<String> r = new ArrayList<>();
    r.add("executor=" + executor + " part=" + part + " expiry=" + expiryOf(bound) + " uuid="
        + uuid + " at=" + Instant.now());
    return r.iterator();
  }
}
