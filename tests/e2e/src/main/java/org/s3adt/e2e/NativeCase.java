package org.s3adt.e2e;

import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.Master;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;

/** The YARN application whose one task is a C program (--native-program). */
final class NativeCase {
  private final E2eClient c;

  NativeCase(E2eClient c) {
    this.c = c;
  }

  /**
   * Issue 6 item 4: a YARN application whose one task is a C program. Alice collects the token
   * as for a job and writes an object with a fresh nonce through s3adt bound to it; the
   * application (NativeTaskAM) gets her token in its launch context and starts one container
   * running native-task.sh, which runs README.md's token_cat.c on the container's token file:
   * it must print the object, and must be refused the other bucket, for which the application
   * holds no token. The container's settings carry the endpoint and the binding, never a key.
   */
  void run(Configuration base, Properties secrets, String binding)
      throws Exception {
    File caseDir = new File(c.opt("work"), "case-Native-" + binding).getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = c.jobConf(base, secrets, binding, caseDir);
    String bucket = c.opt("bucket");
    String other = bucket.equals("bucket-a") ? "bucket-b" : "bucket-a";
    runAs("Native " + binding + ": ", c.alice(), binding, jobConf, c.clientConf(jobConf, secrets),
        bucket, other, false);
  }

  /**
   * The application as {@code ugi}, reading s3a://BUCKET; {@code otherHeld}: the application
   * holds {@code ugi}'s token for s3a://OTHER too, so the C program's refusal there must come
   * from the store itself (HTTP 403, e.g. Ozone's ACLs), not from the C API finding no token.
   */
  void runAs(String p, UserGroupInformation ugi, String binding, Configuration jobConf,
      Configuration clientConf, String bucket, String other, boolean otherHeld) throws Exception {
    String user = ugi.getShortUserName();
    URI bucketUri = URI.create("s3a://" + bucket + "/");
    String key = "e2e/" + c.opt("run-id") + "/native-" + binding
        + (user.equals("alice") ? "" : "-" + user) + "/input.txt";
    String nonce = "s3adt native task " + binding + " " + java.util.UUID.randomUUID() + "\n";
    long t0 = System.nanoTime();
    org.apache.hadoop.yarn.api.records.ApplicationId appId = ugi.doAs(
        (PrivilegedExceptionAction<org.apache.hadoop.yarn.api.records.ApplicationId>) () -> {
          Credentials creds = new Credentials();
          for (String b : otherHeld ? new String[] {bucket, other} : new String[] {bucket}) {
            URI u = URI.create("s3a://" + b + "/");
            try (FileSystem fs = FileSystem.newInstance(u, clientConf)) {
              fs.addDelegationTokens(Master.getMasterPrincipal(jobConf), creds);
            }
          }
          UserGroupInformation.getCurrentUser().addCredentials(creds);
          try (FileSystem fs = FileSystem.newInstance(bucketUri, jobConf);
               OutputStream o = fs.create(new org.apache.hadoop.fs.Path("/" + key), true)) {
            o.write(nonce.getBytes(StandardCharsets.UTF_8)); // through s3adt, bound to the token
          }
          org.apache.hadoop.io.DataOutputBuffer dob = new org.apache.hadoop.io.DataOutputBuffer();
          creds.writeTokenStorageToStream(dob);
          java.nio.ByteBuffer tokens = java.nio.ByteBuffer.wrap(dob.getData(), 0, dob.getLength());
          org.apache.hadoop.yarn.client.api.YarnClient yc =
              org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient();
          yc.init(jobConf);
          yc.start();
          try {
            org.apache.hadoop.yarn.client.api.YarnClientApplication app = yc.createApplication();
            org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext ctx =
                app.getApplicationSubmissionContext();
            ctx.setApplicationName("s3adt-e2e-native-" + binding);
            ctx.setApplicationType("s3adt-native");
            ctx.setMaxAppAttempts(1);
            ctx.setResource(org.apache.hadoop.yarn.api.records.Resource.newInstance(384, 1));
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("java.home") + "/bin/java");
            cmd.add("-Xmx200m " + jobConf.get("yarn.app.mapreduce.am.command-opts", "")
                .replace("-Xmx300m", ""));
            cmd.add("org.s3adt.e2e.NativeTaskAM");
            cmd.add(c.opt("c-libdir"));
            cmd.add(c.opt("native-script"));
            cmd.add(c.opt("native-program"));
            cmd.add(bucket);
            cmd.add(key);
            cmd.add(other);
            for (String k : new String[] {"fs.s3a.endpoint", "fs.s3a.endpoint.region",
                "fs.s3a.path.style.access", "fs.s3a.connection.ssl.enabled",
                "fs.s3a.delegation.token.binding"}) {
              if (jobConf.get(k) != null) {
                cmd.add(k + "=" + jobConf.get(k));
              }
            }
            // the container runs this line through bash: quote every argument
            for (int i = 3; i < cmd.size(); i++) {
              cmd.set(i, "'" + cmd.get(i).replace("'", "'\\''") + "'");
            }
            cmd.add("1>" + org.apache.hadoop.yarn.api.ApplicationConstants.LOG_DIR_EXPANSION_VAR
                + "/am.stdout");
            cmd.add("2>" + org.apache.hadoop.yarn.api.ApplicationConstants.LOG_DIR_EXPANSION_VAR
                + "/am.stderr");
            Map<String, String> env = new HashMap<>();
            // the AM's classpath: the cluster's conf (the RM's scheduler address) and Hadoop's
            env.put("CLASSPATH", new File(c.opt("cluster-conf")).getParent() + File.pathSeparator
                + System.getProperty("java.class.path"));
            ctx.setAMContainerSpec(
                org.apache.hadoop.yarn.api.records.ContainerLaunchContext.newInstance(
                    java.util.Collections.emptyMap(), env,
                    java.util.Collections.singletonList(String.join(" ", cmd)), null, tokens,
                    null));
            yc.submitApplication(ctx);
            return ctx.getApplicationId();
          } finally {
            yc.stop();
          }
        });
    org.apache.hadoop.yarn.api.records.ApplicationReport report = ugi.doAs(
        (PrivilegedExceptionAction<org.apache.hadoop.yarn.api.records.ApplicationReport>) () ->
            YarnApps.waitForApp(jobConf, appId, 180_000));
    if (E2eClient.fullKind(binding) && user.equals("alice")) {
      c.fullAppIds.add(appId.toString().substring("application_".length()));
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    c.check(p + "application " + appId + " (one C container) succeeded on the secure cluster ("
            + String.format(Locale.ROOT, "%.1f s", secs) + ")",
        report.getFinalApplicationStatus()
            == org.apache.hadoop.yarn.api.records.FinalApplicationStatus.SUCCEEDED,
        report.getYarnApplicationState() + "/" + report.getFinalApplicationStatus() + ": "
            + report.getDiagnostics());
    Thread.sleep(500); // the NM's log files of the finished container
    String app = appId.toString().substring("application_".length());
    String stdout = null;
    String stderr = "";
    for (Path f : c.containerLogs(appId.toString())) {
      String dir = f.getParent().getFileName().toString();
      if (!dir.endsWith("_000002")) {
        continue; // _000001 is the AM
      }
      String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      if (f.getFileName().toString().equals("stdout")) {
        stdout = text;
      } else if (f.getFileName().toString().equals("stderr")) {
        stderr = text;
      }
    }
    c.check(p + "the C program printed s3a://" + bucket + "/" + key + " (the nonce " + user
            + " wrote)",
        nonce.equals(stdout), "container stdout " + (stdout == null ? "not found for " + app
            : "'" + stdout.trim() + "'") + "; stderr: " + stderr.trim());
    if (otherHeld) {
      c.check(p + "the C program, with " + user + "'s own token for s3a://" + other
              + ", was refused it by the store (HTTP 403)", stderr.contains("HTTP 403"),
          "container stderr: " + stderr.trim());
    } else {
      c.check(p + "the C program was refused s3a://" + other + ", for which the application holds"
              + " no token", stderr.contains("no delegation token for s3a://" + other),
          "container stderr: " + stderr.trim());
    }
    System.out.println("native " + binding + " (" + user + "): container stderr: " + stderr.trim());
  }
}
