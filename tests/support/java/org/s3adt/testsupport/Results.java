package org.s3adt.testsupport;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The PASS/FAIL lines of a check program run on a cluster (tests/e2e's E2eClient, tests/spark's
 * SparkJob): each check is printed to stdout and to the results file its run.sh reads, and
 * counted. Also the programs' {@code --key value} arguments.
 */
public final class Results {
  private final PrintStream results;
  private final String prefix;
  private int passed;
  private int failed;

  /** {@code prefix} goes before every check's name (e.g. {@code "Session: "}); "" for none. */
  public Results(PrintStream results, String prefix) {
    this.results = results;
    this.prefix = prefix;
  }

  /** One check: "PASS name", or "FAIL name: why". */
  public void check(String name, boolean ok, String why) {
    String line = ok ? "PASS " + prefix + name : "FAIL " + prefix + name + ": " + why;
    System.out.println(line);
    results.println(line);
    results.flush();
    if (ok) {
      passed++;
    } else {
      failed++;
    }
  }

  public int passed() {
    return passed;
  }

  public int failed() {
    return failed;
  }

  /** {@code --key value} pairs as a map from key (without the dashes) to value. */
  public static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --key value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  /** The stack trace as printStackTrace writes it. */
  public static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
