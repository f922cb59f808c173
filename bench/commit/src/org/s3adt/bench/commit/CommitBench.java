package org.s3adt.bench.commit;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark job of bench/commit.sh: writes partitioned parquet of N files (TASKS tasks, each
 * writing one file into each of N/TASKS partitions k=0..), under OUT/n{N}-r{REP}/, and prints
 * one line per write: the write action's time (total) and what the timed commit protocol
 * (TimedPathCommitProtocol or TimedSqlCommitProtocol, named by
 * spark.sql.sources.commitProtocolClass) measured of commitJob and of the tasks' commitTask.
 * Which committer runs is the configuration's business; bench/commit/check.py checks the
 * output afterwards (file count, _SUCCESS, nothing left behind).
 *
 * <p>usage: CommitBench --impl NAME --out s3a://B/PREFIX --results FILE [--files 100,1000]
 * [--reps 1] [--tasks 20] [--rows-per-file 100]. One untimed warm-up write (rep 0, 1 partition)
 * comes first.
 */
public final class CommitBench {
  private CommitBench() {}

  public static void main(String[] args) throws IOException {
    String impl = null;
    String out = null;
    String results = null;
    List<Integer> files = List.of(100, 1000);
    int reps = 1;
    int tasks = 20;
    int rowsPerFile = 100;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--impl" -> impl = v;
        case "--out" -> out = v;
        case "--results" -> results = v;
        case "--files" -> {
          files = new ArrayList<>();
          for (String f : v.split(",")) {
            files.add(Integer.parseInt(f.trim()));
          }
        }
        case "--reps" -> reps = Integer.parseInt(v);
        case "--tasks" -> tasks = Integer.parseInt(v);
        case "--rows-per-file" -> rowsPerFile = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (impl == null || out == null || results == null) {
      throw new IllegalArgumentException("--impl, --out and --results are required");
    }
    for (int n : files) {
      if (n % tasks != 0) {
        throw new IllegalArgumentException(n + " files are not a multiple of " + tasks + " tasks");
      }
    }
    SparkSession spark = SparkSession.builder().appName("s3adt-bench-commit-" + impl).getOrCreate();
    try (PrintWriter res = new PrintWriter(new FileWriter(results, true), true)) {
      write(spark, res, impl, out, tasks, 0, tasks, rowsPerFile);
      for (int rep = 1; rep <= reps; rep++) {
        for (int n : files) {
          write(spark, res, impl, out, n, rep, tasks, rowsPerFile);
        }
      }
    } finally {
      spark.stop();
    }
  }

  private static void write(SparkSession spark, PrintWriter res, String impl, String out, int n,
      int rep, int tasks, int rowsPerFile) {
    int partitions = n / tasks;
    // spark.range with TASKS slices: each slice is a run of consecutive ids, so every task holds
    // rowsPerFile rows of each k and writes one file per partition
    Dataset<Row> df = spark.range(0, (long) n * rowsPerFile, 1, tasks)
        .selectExpr("id", "cast(id % " + partitions + " as int) as k",
            "concat('row-', cast(id as string)) as s");
    String path = String.format(Locale.ROOT, "%s/n%d-r%d", out, n, rep);
    CommitTimes.reset();
    long t0 = System.nanoTime();
    df.write().partitionBy("k").parquet(path);
    long total = System.nanoTime() - t0;
    String line = String.format(Locale.ROOT,
        "impl=%s n=%d rep=%d tasks=%d partitions=%d total_ms=%.1f job_commit_ms=%.1f"
            + " task_commit_ms=%.1f task_commits=%d protocol=%s path=%s",
        impl, n, rep, tasks, partitions, total / 1e6, CommitTimes.jobNanos() / 1e6,
        CommitTimes.taskNanos() / 1e6, CommitTimes.tasks(), CommitTimes.protocol(), path);
    res.println(line);
    System.err.println("bench/commit: " + line);
  }
}
