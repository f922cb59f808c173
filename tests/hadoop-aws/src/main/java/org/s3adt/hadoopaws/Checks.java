package org.s3adt.hadoopaws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * PASS/FAIL lines on stdout, one per check; run.sh counts them. Nothing printed here may carry a
 * secret: only names, kinds, dates, error codes and exception classes, never a token's bytes or a
 * credential.
 */
final class Checks {
  private int passed;
  private int failed;

  /** A check whose body returns null on success, or why it failed. */
  interface Body {
    String run() throws Exception;
  }

  void check(String name, Body body) {
    String why;
    try {
      why = body.run();
    } catch (Throwable t) {
      why = "unexpected " + describe(t);
    }
    if (why == null) {
      passed++;
      System.out.println("PASS " + name);
    } else {
      failed++;
      System.out.println("FAIL " + name + ": " + why);
    }
    System.out.flush();
  }

  /** Exit status for the JVM: 0 if every check passed. */
  int exitCode() {
    return failed == 0 && passed > 0 ? 0 : 1;
  }

  static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException(name + " is not set: eval \"$(tests/peers/rgw/up.sh DIR)\" first");
    }
    return v;
  }

  /** The class chain of an exception and the AWS error code/status if there is one; no messages
   *  beyond the first line of hadoop-aws's own, which name the path and operation only. */
  static String describe(Throwable t) {
    List<String> parts = new ArrayList<>();
    for (Throwable c = t; c != null && parts.size() < 6; c = c.getCause()) {
      String s = c.getClass().getName();
      if (c instanceof AwsServiceException) {
        AwsServiceException a = (AwsServiceException) c;
        s += "[" + a.statusCode() + " " + errorCode(a) + "]";
      }
      parts.add(s);
    }
    String msg = String.valueOf(t.getMessage());
    int nl = msg.indexOf('\n');
    msg = nl < 0 ? msg : msg.substring(0, nl);
    return String.join(" <- ", parts) + " (" + (msg.length() > 240 ? msg.substring(0, 240) + "..." : msg) + ")";
  }

  static String errorCode(AwsServiceException a) {
    return a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
  }

  /** The first AwsServiceException in the cause chain, or null. */
  static AwsServiceException aws(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AwsServiceException) {
        return (AwsServiceException) c;
      }
    }
    return null;
  }

  /** The first cause of the given class in the chain, or null. */
  static <T extends Throwable> T cause(Throwable t, Class<T> cls) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (cls.isInstance(c)) {
        return cls.cast(c);
      }
    }
    return null;
  }

  static String read(FileSystem fs, Path p) throws IOException {
    try (FSDataInputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  static List<String> list(FileSystem fs, Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      names.add(st.getPath().getName());
    }
    return names;
  }

  /** S3A settings for RGW: path-style, plain HTTP, us-east-1, few retries. No credentials. */
  static Configuration rgwConf(String endpoint) {
    Configuration conf = new Configuration();
    conf.set("fs.s3a.endpoint", endpoint);
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.setBoolean("fs.s3a.path.style.access", true);
    conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
    // Fail fast: a denial is not retried anyway, but a setup error should not spin for minutes.
    conf.setInt("fs.s3a.attempts.maximum", 1);
    conf.setInt("fs.s3a.retry.limit", 1);
    conf.set("fs.s3a.retry.interval", "100ms");
    conf.set("fs.s3a.connection.timeout", "30s");
    // Every FileSystem.get in these programs is a new instance with this exact configuration.
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    return conf;
  }
}
