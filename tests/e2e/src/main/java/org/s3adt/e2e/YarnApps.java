package org.s3adt.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.UserGroupInformation;

/** A YARN application's end as the RM reports it, and the container logs the NodeManager kept. */
final class YarnApps {
  private YarnApps() {}

  /**
   * Polls the RM (every 200 ms, up to {@code timeoutMs}) until the application is FINISHED,
   * FAILED or KILLED; returns its last report. Call as the submitting user.
   */
  static org.apache.hadoop.yarn.api.records.ApplicationReport waitForApp(
      Configuration conf, org.apache.hadoop.yarn.api.records.ApplicationId id, long timeoutMs)
      throws Exception {
    try (org.apache.hadoop.yarn.client.api.YarnClient yc =
        org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient()) {
      yc.init(conf);
      yc.start();
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (true) {
        org.apache.hadoop.yarn.api.records.ApplicationReport r = yc.getApplicationReport(id);
        org.apache.hadoop.yarn.api.records.YarnApplicationState st = r.getYarnApplicationState();
        if (st == org.apache.hadoop.yarn.api.records.YarnApplicationState.FINISHED
            || st == org.apache.hadoop.yarn.api.records.YarnApplicationState.FAILED
            || st == org.apache.hadoop.yarn.api.records.YarnApplicationState.KILLED
            || System.currentTimeMillis() >= deadline) {
          return r;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Waits (up to 60 s) until the RM reports the application ended: its AM has exited. */
  static void awaitApplicationEnd(UserGroupInformation ugi, Configuration conf,
      String appId) throws Exception {
    ugi.doAs((PrivilegedExceptionAction<Void>) () -> {
      waitForApp(conf, org.apache.hadoop.yarn.api.records.ApplicationId.fromString(appId),
          60_000);
      return null;
    });
    Thread.sleep(1000); // the NM's container clean-up after the AM's exit
  }

  /** Files named stderr, stdout or syslog under {@code clusterDir}, in a dir of this app. */
  static List<Path> containerLogs(File clusterDir, String appId) throws IOException {
    try (Stream<Path> s = Files.walk(clusterDir.toPath())) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().contains("/" + appId + "/"))
          .filter(f -> {
            String n = f.getFileName().toString();
            return n.equals("stderr") || n.equals("syslog") || n.equals("stdout");
          })
          .collect(java.util.stream.Collectors.toList());
    }
  }
}
