package org.s3adt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;

/**
 * hadoop-aws side of bench/sts.sh: S3A delegation tokens issued by hadoop-aws itself, in one JVM,
 * with the same cells and the same output as s3adt's bench/rust/src/bin/bench_sts.rs.
 *
 * <p>For each binding (Full, Session, Role), bucket count B and caller count C, C threads at once
 * each issue one token per bucket for B buckets, the way a job submitter does
 * ({@code TokenCache.obtainTokensForNamenodes}): {@code FileSystem.get(s3a://bucket, conf)} with
 * the FileSystem cache disabled, so every token gets a fresh {@code S3AFileSystem}, then
 * {@code fs.addDelegationTokens(renewer, credentials)} into the caller's {@code Credentials} (one
 * per caller, as one per job). A caller closes its file systems when it has all its tokens,
 * outside the timing. Each binding starts with {@code --warmup-seconds} (default 3) of 10-bucket,
 * 4-caller rounds; a cell is then measured after one warm-up round of the same shape (skipped above
 * {@code --warmup-max} tokens a round) over {@code ceil(--min-tokens / (B*C))} rounds.
 *
 * <p>Per token, {@code p50_ms}/{@code p99_ms} cover FileSystem.get + addDelegationTokens (what a
 * submitter pays per bucket); {@code token_p50_ms}/{@code token_p99_ms} cover addDelegationTokens
 * alone. STS and S3 requests and TLS connections are read from the counting moto server
 * (bench/sts/moto_counting.py).
 *
 * <pre>
 * usage: IssueBench --sts HOST:PORT --s3-endpoint https://HOST:PORT --access-key AK --secret-key SK
 *                   [--role-arn ARN] [--region us-east-1] [--counts http://127.0.0.1:PORT/counts]
 *                   [--bindings full,session,role] [--buckets 1,10,100] [--callers 1,4,16,64]
 *                   [--min-tokens 100] [--warmup-max 100] [--warmup-seconds 3]
 *                   [--skip role:100x64,...]   (cells left out: binding:BUCKETSxCALLERS)
 * </pre>
 */
public final class IssueBench {
  private static final Map<String, String> BINDINGS = Map.of(
      "full", "org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding",
      "session", "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding",
      "role", "org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenBinding");
  private static final String RENEWER = "yarn";

  private IssueBench() {
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = parse(argv);
    int minTokens = Integer.parseInt(a.getOrDefault("--min-tokens", "100"));
    double warmupSeconds = Double.parseDouble(a.getOrDefault("--warmup-seconds", "3"));
    int warmupMax = Integer.parseInt(a.getOrDefault("--warmup-max", "100"));
    List<String> skip = Arrays.asList(a.getOrDefault("--skip", "").split(","));
    String counts = a.get("--counts");

    Configuration base = new Configuration();
    // a fresh S3AFileSystem for every FileSystem.get, as the benchmark wants one per token
    base.setBoolean("fs.s3a.impl.disable.cache", true);
    base.set("fs.s3a.endpoint", need(a, "--s3-endpoint"));
    base.set("fs.s3a.endpoint.region", a.getOrDefault("--region", "us-east-1"));
    base.setBoolean("fs.s3a.path.style.access", true);
    // no bucket existence check in initialize(): the benchmark's buckets do not exist
    base.setInt("fs.s3a.bucket.probe", 0);
    base.set("fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    base.set("fs.s3a.access.key", need(a, "--access-key"));
    base.set("fs.s3a.secret.key", need(a, "--secret-key"));
    base.set("fs.s3a.assumed.role.sts.endpoint", need(a, "--sts"));
    base.set("fs.s3a.assumed.role.sts.endpoint.region", a.getOrDefault("--region", "us-east-1"));
    if (a.containsKey("--role-arn")) {
      base.set("fs.s3a.assumed.role.arn", a.get("--role-arn"));
    }

    int maxCallers = 4;
    List<Integer> callerCounts = ints(a.getOrDefault("--callers", "1,4,16,64"));
    for (int c : callerCounts) {
      maxCallers = Math.max(maxCallers, c);
    }
    ExecutorService pool = Executors.newFixedThreadPool(maxCallers);
    try {
      for (String name : a.getOrDefault("--bindings", "full,session,role").split(",")) {
        String binding = name.trim();
        String cls = BINDINGS.get(binding);
        if (cls == null) {
          throw new IllegalArgumentException("unknown binding " + binding);
        }
        Configuration conf = new Configuration(base);
        conf.set("fs.s3a.delegation.token.binding", cls);
        long warm = System.nanoTime();
        do {
          round(pool, conf, 10, 4);
        } while ((System.nanoTime() - warm) / 1e9 < warmupSeconds);
        for (int buckets : ints(a.getOrDefault("--buckets", "1,10,100"))) {
          for (int callers : callerCounts) {
            if (skip.contains(binding + ":" + buckets + "x" + callers)) {
              continue;
            }
            int perRound = buckets * callers;
            if (perRound <= warmupMax) {
              round(pool, conf, buckets, callers);
            }
            int rounds = Math.max(1, (minTokens + perRound - 1) / perRound);
            Map<String, Long> before = counts(counts);
            long start = System.nanoTime();
            List<double[]> all = new ArrayList<>(rounds * perRound);
            for (int r = 0; r < rounds; r++) {
              all.addAll(round(pool, conf, buckets, callers));
            }
            double wallMs = (System.nanoTime() - start) / 1e6;
            Map<String, Long> after = counts(counts);
            double[] total = new double[all.size()];
            double[] token = new double[all.size()];
            for (int i = 0; i < all.size(); i++) {
              total[i] = all.get(i)[0];
              token[i] = all.get(i)[1];
            }
            Arrays.sort(total);
            Arrays.sort(token);
            System.out.printf(Locale.ROOT,
                "hadoop-aws binding=%s buckets=%d callers=%d rounds=%d tokens=%d sts=%s"
                    + " sts_per_round=%s s3=%s connections=%s wall_ms_per_round=%.3f"
                    + " p50_ms=%.3f p99_ms=%.3f token_p50_ms=%.3f token_p99_ms=%.3f%n",
                binding, buckets, callers, rounds, all.size(),
                diff(before, after, "sts"), perRound(before, after, "sts", rounds),
                diff(before, after, "s3"), diff(before, after, "connections"), wallMs / rounds,
                pct(total, 0.50), pct(total, 0.99), pct(token, 0.50), pct(token, 0.99));
            System.out.flush();
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One round: {@code callers} threads at once, each issuing tokens for {@code buckets} buckets.
   * Returns {FileSystem.get + addDelegationTokens, addDelegationTokens} in ms per token.
   */
  private static List<double[]> round(ExecutorService pool, Configuration conf, int buckets,
      int callers) throws Exception {
    List<Future<List<double[]>>> futures = new ArrayList<>(callers);
    for (int c = 0; c < callers; c++) {
      futures.add(pool.submit(() -> caller(conf, buckets)));
    }
    List<double[]> all = new ArrayList<>(buckets * callers);
    for (Future<List<double[]>> f : futures) {
      all.addAll(f.get());
    }
    return all;
  }

  private static List<double[]> caller(Configuration conf, int buckets) throws IOException {
    Credentials job = new Credentials();
    List<double[]> times = new ArrayList<>(buckets);
    List<FileSystem> opened = new ArrayList<>(buckets);
    try {
      for (int b = 0; b < buckets; b++) {
        long t0 = System.nanoTime();
        URI uri = URI.create(String.format("s3a://bench-%04d", b));
        FileSystem fs = FileSystem.get(uri, conf);
        opened.add(fs);
        long t1 = System.nanoTime();
        Token<?>[] added = fs.addDelegationTokens(RENEWER, job);
        long t2 = System.nanoTime();
        if (added == null || added.length != 1) {
          throw new IOException("expected one token for " + uri + ", got "
              + (added == null ? "none" : added.length));
        }
        times.add(new double[] {(t2 - t0) / 1e6, (t2 - t1) / 1e6});
      }
    } finally {
      // a submitter keeps its file systems until it is done with the job
      for (FileSystem fs : opened) {
        fs.close();
      }
    }
    if (job.numberOfTokens() != buckets
        || job.getToken(new Text(String.format("s3a://bench-%04d", 0))) == null) {
      throw new IOException("expected " + buckets + " tokens, got " + job.numberOfTokens());
    }
    return times;
  }

  /** Nearest-rank percentile of sorted samples. */
  private static double pct(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    rank = Math.min(Math.max(rank, 1), sorted.length);
    return sorted[rank - 1];
  }

  /** The counting moto server's `key=value ...` line, or an empty map without --counts. */
  private static Map<String, Long> counts(String url) throws IOException {
    Map<String, Long> m = new HashMap<>();
    if (url == null) {
      return m;
    }
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    try (InputStream in = c.getInputStream()) {
      for (String kv : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")) {
        String[] p = kv.split("=", 2);
        if (p.length == 2) {
          m.put(p[0], Long.parseLong(p[1]));
        }
      }
    } finally {
      c.disconnect();
    }
    return m;
  }

  private static String diff(Map<String, Long> before, Map<String, Long> after, String key) {
    if (!before.containsKey(key) || !after.containsKey(key)) {
      return "na";
    }
    return Long.toString(after.get(key) - before.get(key));
  }

  private static String perRound(Map<String, Long> before, Map<String, Long> after, String key,
      int rounds) {
    if (!before.containsKey(key) || !after.containsKey(key)) {
      return "na";
    }
    return String.format(Locale.ROOT, "%.1f", (after.get(key) - before.get(key)) / (double) rounds);
  }

  private static List<Integer> ints(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(Integer.parseInt(s.trim()));
      }
    }
    return out;
  }

  private static String need(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }

  // duplicates: deliberate. Like testsupport's Results.options: bench/sts is a standalone
  // Maven project and does not depend on the test support module.
  private static Map<String, String> parse(String[] argv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + argv[i]);
      }
      m.put(argv[i], argv[i + 1]);
    }
    return m;
  }
}
