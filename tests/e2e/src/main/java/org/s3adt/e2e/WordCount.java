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
  private WordCount() {
  }

  /** Counts the words (whitespace-separated, lower-cased) of its split. */
  public static class CheckingMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    private final Map<String, Integer> counts = new TreeMap<>();

    @Override
    protected void setup(Context context) throws IOException {
      TaskChecks.run(context);
    }

    @Override
    protected void map(LongWritable key, Text value, Context context) {
      StringTokenizer it = new StringTokenizer(value.toString());
      while (it.hasMoreTokens()) {
        counts.merge(it.nextToken().toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        context.write(new Text(e.getKey()), new IntWritable(e.getValue()));
      }
    }
  }
}
