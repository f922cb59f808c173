package org.s3adt.benchshim;

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
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.token.Token;

/**
 * Warm {@code FileSystem.getDelegationToken} latency, s3adt's shim beside hadoop-aws 3.4.1, in one
 * JVM against the same STS (bench/shim.sh's TLS front to moto), with the same Session-binding
 * configuration for both.
 *
 * <p>Three variants, each its own FileSystem instance(s), created with {@code new} + {@code
 * initialize(s3a://bucket-a, conf)} outside the timing (the classes are loaded by name, so this
 * compiles against hadoop-common alone):
 *
 * <ul>
 *   <li>{@code s3adt}: one {@code org.s3adt.fs.S3adtFileSystem}, as shipped: its JNI side shares
 *       GetSessionToken results between the filesystems of a JVM for 60 s (SESSION_CACHE in
 *       rust/ffi/src/jni/s3adt_native.rs), so after the first call it mostly does not call STS.</li>
 *   <li>{@code s3adt-nocache}: the same code with that cache defeated. Its key includes the session
 *       duration, so this variant has one S3adtFileSystem per call, the i-th with
 *       {@code fs.s3a.assumed.role.session.duration = 1801+i} seconds (30 min, as the others, plus
 *       1+i s, so no key is the shipped variant's): every call is a cache miss and one
 *       GetSessionToken.</li>
 *   <li>{@code hadoop-aws}: one {@code org.apache.hadoop.fs.s3a.S3AFileSystem}; its
 *       SessionTokenBinding calls GetSessionToken for every token.</li>
 * </ul>
 *
 * <p>Each variant first makes {@code --warmup} calls; then {@code --calls} calls each are measured in
 * blocks of {@code --block}, the variants taking turns (the order rotates each round). One call =
 * {@code fs.getDelegationToken("yarn")}, timed with System.nanoTime; every token is checked to be
 * S3ADelegationToken/Session for s3a://bucket-a (outside the timing). STS requests, TLS
 * connections and the time the front spent waiting for moto are read from the front's counter
 * before and after each block.
 *
 * <pre>
 * usage: WarmBench --sts HOST:PORT --s3 http://HOST:PORT --counts http://HOST:PORT/counts
 *                  [--warmup 200] [--calls 1000] [--block 100]
 * environment: S3ADT_BENCH_AK, S3ADT_BENCH_SK (alice's keys)
 * output: one line per variant,
 *   warm impl=NAME calls=N p50_us=.. p99_us=.. mean_us=.. sts=.. connections=..
 *        upstream_mean_us=.. (moto's share of a call, as the front saw it) warmup_sts=..
 * </pre>
 */
public final class WarmBench {
  private static final String S3ADT = "org.s3adt.fs.S3adtFileSystem";
  private static final String S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem";
  private static final URI BUCKET = URI.create("s3a://bucket-a");

  private WarmBench() {
  }

  /** One variant: a source of filesystems (one per call or one for all) and its measurements. */
  private static final class Variant {
    final String name;
    final List<FileSystem> pool;
    final long[] nanos;
    int done;
    long sts;
    long connections;
    long upstreamMicros;
    long warmupSts;
    int next;

    Variant(String name, List<FileSystem> pool, int calls) {
      this.name = name;
      this.pool = pool;
      this.nanos = new long[calls];
    }

    FileSystem fs() {
      return pool.size() == 1 ? pool.get(0) : pool.get(next++);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "200"));
    int calls = Integer.parseInt(a.getOrDefault("calls", "1000"));
    int block = Integer.parseInt(a.getOrDefault("block", "100"));
    String counts = a.get("counts");

    Configuration base = new Configuration();
    base.set("fs.s3a.delegation.token.binding",
        "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding");
    base.set("fs.s3a.access.key", env("S3ADT_BENCH_AK"));
    base.set("fs.s3a.secret.key", env("S3ADT_BENCH_SK"));
    base.set("fs.s3a.assumed.role.sts.endpoint", a.get("sts"));
    base.set("fs.s3a.assumed.role.sts.endpoint.region", "us-east-1");
    base.set("fs.s3a.assumed.role.session.duration", "30m");
    base.set("fs.s3a.endpoint", a.get("s3"));
    base.set("fs.s3a.endpoint.region", "us-east-1");
    base.set("fs.s3a.path.style.access", "true");
    base.set("fs.s3a.connection.ssl.enabled", "false");
    base.set("fs.s3a.bucket.probe", "0");

    List<FileSystem> s3adtOne = new ArrayList<>();
    s3adtOne.add(open(S3ADT, base));
    List<FileSystem> noCache = new ArrayList<>();
    for (int i = 0; i < warmup + calls; i++) {
      Configuration c = new Configuration(base);
      c.set("fs.s3a.assumed.role.session.duration", (1801 + i) + "s");
      noCache.add(open(S3ADT, c));
    }
    List<FileSystem> s3aOne = new ArrayList<>();
    s3aOne.add(open(S3A, base));

    Variant[] vs = {
      new Variant("s3adt", s3adtOne, calls),
      new Variant("s3adt-nocache", noCache, calls),
      new Variant("hadoop-aws", s3aOne, calls),
    };

    for (Variant v : vs) {
      long[] before = counts(counts);
      for (int i = 0; i < warmup; i++) {
        check(v, v.fs().getDelegationToken("yarn"));
      }
      v.warmupSts = counts(counts)[1] - before[1];
    }

    for (int round = 0; round * block < calls; round++) {
      for (int k = 0; k < vs.length; k++) {
        Variant v = vs[(round + k) % vs.length];
        int n = Math.min(block, calls - v.done);
        long[] before = counts(counts);
        for (int i = 0; i < n; i++) {
          FileSystem fs = v.fs();
          long t0 = System.nanoTime();
          Token<?> t = fs.getDelegationToken("yarn");
          v.nanos[v.done++] = System.nanoTime() - t0;
          check(v, t);
        }
        long[] after = counts(counts);
        v.connections += after[0] - before[0];
        v.sts += after[1] - before[1];
        v.upstreamMicros += after[2] - before[2];
      }
    }

    for (Variant v : vs) {
      long[] s = v.nanos.clone();
      Arrays.sort(s);
      double mean = Arrays.stream(s).average().orElse(0);
      System.out.printf("warm impl=%s calls=%d p50_us=%.1f p99_us=%.1f mean_us=%.1f sts=%d"
          + " connections=%d upstream_mean_us=%.1f warmup_sts=%d%n", v.name, s.length,
          s[s.length / 2] / 1e3, s[(int) Math.ceil(s.length * 0.99) - 1] / 1e3, mean / 1e3, v.sts,
          v.connections, (double) v.upstreamMicros / s.length, v.warmupSts);
    }
    for (Variant v : vs) {
      for (FileSystem fs : v.pool) {
        fs.close();
      }
    }
  }

  private static FileSystem open(String className, Configuration conf) throws Exception {
    FileSystem fs = (FileSystem) Class.forName(className).getDeclaredConstructor().newInstance();
    fs.initialize(BUCKET, conf);
    return fs;
  }

  private static void check(Variant v, Token<?> t) {
    if (t == null || !"S3ADelegationToken/Session".equals(t.getKind().toString())
        || !"s3a://bucket-a".equals(t.getService().toString())) {
      throw new IllegalStateException(v.name + ": unexpected token " + t);
    }
  }

  /** {connections, sts, upstream_us} from the front's counter. */
  private static long[] counts(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    try (InputStream in = c.getInputStream()) {
      String line = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
      long[] out = new long[3];
      for (String kv : line.split(" ")) {
        String[] p = kv.split("=", 2);
        if (p[0].equals("connections")) {
          out[0] = Long.parseLong(p[1]);
        } else if (p[0].equals("sts")) {
          out[1] = Long.parseLong(p[1]);
        } else if (p[0].equals("upstream_us")) {
          out[2] = Long.parseLong(p[1]);
        }
      }
      return out;
    } finally {
      c.disconnect();
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return v;
  }
}
