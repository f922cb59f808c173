package org.s3adt.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.security.token.Token;

/**
 * The word count's data: the two input files every job reads, the counts they must give, and
 * the output and counters read back after a job.
 */
final class WordCountIo {
  private WordCountIo() {}

  static final String[] INPUT_A = {
    "the quick brown fox jumps over the lazy dog",
    "a token is all the task holds",
    "The Fox And The Token",
  };
  static final String[] INPUT_B = {
    "s3adt binds the task to the token",
    "no secret in the task",
  };

  static long counter(Counters c, String name) {
    return c.findCounter(TaskChecks.GROUP, name).getValue();
  }

  static void writeInput(org.apache.hadoop.fs.Path in, Configuration conf)
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

  static Map<String, Integer> readOutput(org.apache.hadoop.fs.Path out, Configuration conf)
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

  /** The maps' part-m-* files under {@code out}, added up (direct output: no _SUCCESS). */
  static Map<String, Integer> readParts(org.apache.hadoop.fs.Path out,
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
}
