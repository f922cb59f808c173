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
import org.apache.hadoop.mapreduce.Reducer;

/**
 * Word count: each map task first runs {@link TaskChecks} in its own JVM, then counts the words
 * of its split in memory and writes (word, count) when it ends; the reducers (when the job has
 * any) run the same checks, add the maps' counts up after the shuffle and write part-r-*.
 *
 * <p>The shuffle of a Kerberos NodeManager needs libhadoop.so and map outputs owned by the job's
 * user; run.sh provides both (tests/e2e/README.md). Where it cannot (not root), the job runs
 * map-only and the client adds up the maps' part-m-* files.
 */
public final class WordCount {
  /** Set: each map writes its counts to DIR/part-m-NNNNN itself (see writeDirect). */
  static final String DIRECT_OUTPUT = "s3adt.e2e.direct.output";

  private WordCount() {
  }

  /** Adds the maps' counts of a word up; checks its task first, like the maps. */
  public static class CheckingReducer extends Reducer<Text, IntWritable, Text, IntWritable> {
    @Override
    protected void setup(Context context) throws IOException {
      TaskChecks.run(context);
    }

    @Override
    protected void reduce(Text word, Iterable<IntWritable> counts, Context context)
        throws IOException, InterruptedException {
      int sum = 0;
      for (IntWritable c : counts) {
        sum += c.get();
      }
      context.write(word, new IntWritable(sum));
    }
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
