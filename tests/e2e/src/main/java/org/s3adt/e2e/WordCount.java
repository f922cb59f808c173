package org.s3adt.e2e;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.StringTokenizer;
import java.util.TreeMap;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;

/**
 * Word count as a map-only job: each map task first runs {@link TaskChecks} in its own JVM,
 * then counts the words of its split in memory and writes (word, count) when it ends; the
 * client adds up the tasks' part-m-* files.
 *
 * <p>Map-only because a reducer cannot fetch map output from a secure NodeManager here: the
 * ShuffleHandler opens each map's index file through {@code SecureIOUtils}, which with
 * Kerberos on needs libhadoop.so ({@code NativeIO.POSIX.fstat}) and then requires the file to
 * be owned by the job's user, which only LinuxContainerExecutor achieves. Neither is available
 * on this machine (see tests/e2e/README.md).
 */
public final class WordCount {
  /** Set: each map writes its counts to DIR/part-m-NNNNN itself (see writeDirect). */
  static final String DIRECT_OUTPUT = "s3adt.e2e.direct.output";

  private WordCount() {
  }

  /** Counts the words (whitespace-separated, lower-cased) of its split. */
  public static class CheckingMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    private final Map<String, Integer> counts = new TreeMap<>();

    @Override
    protected void setup(Context context) throws IOException {
      TaskChecks.run(context);
    }

    private long records;

    @Override
    protected void map(LongWritable key, Text value, Context context) {
      records++;
      StringTokenizer it = new StringTokenizer(value.toString());
      while (it.hasMoreTokens()) {
        counts.merge(it.nextToken().toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      TaskChecks.afterExpiry(context, records); // only in the RGW expiry scenario
      String direct = context.getConfiguration().get(DIRECT_OUTPUT);
      if (direct != null) {
        writeDirect(context, direct);
        return;
      }
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        context.write(new Text(e.getKey()), new IntWritable(e.getValue()));
      }
    }

    /**
     * The counts straight to {@code DIR/part-m-NNNNN} through FileSystem.create, no committer
     * (the job's output format is NullOutputFormat): no rename and no delete. Used by the RGW
     * "other bucket" scenario, because RGW 16.2 refuses DeleteObjects to any session with a
     * session policy, which the FileOutputCommitter's renames need (tests/e2e/README.md).
     */
    private void writeDirect(Context context, String dir) throws IOException {
      org.apache.hadoop.fs.Path part = new org.apache.hadoop.fs.Path(dir, String.format(
          Locale.ROOT, "part-m-%05d", context.getTaskAttemptID().getTaskID().getId()));
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        b.append(e.getKey()).append('\t').append(e.getValue()).append('\n');
      }
      try (java.io.OutputStream o = part.getFileSystem(context.getConfiguration())
          .create(part, true)) {
        o.write(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }
}
