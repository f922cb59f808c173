package org.s3adt.e2e;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * A secure (Kerberos) MiniMRYarnCluster in its own JVM: one ResourceManager, one NodeManager
 * (DefaultContainerExecutor) and the JobHistoryServer, all logged in from one service keytab
 * of a real MIT KDC. It holds no AWS secret: nothing here reads one, and run.sh starts this
 * JVM with every AWS_* variable removed from its environment, which the NodeManager's
 * containers would otherwise inherit through the whitelist.
 *
 * <p>Usage: {@code SecureCluster WORKDIR PRINCIPAL KEYTAB CONTAINER_JAVA_OPTS}. Writes
 * {@code WORKDIR/conf/yarn-site.xml} (the running cluster's full configuration: what a client's
 * HADOOP_CONF_DIR would hold) and then {@code WORKDIR/ready}; runs until
 * {@code WORKDIR/stop} appears or the JVM is signalled.
 *
 * <p>Why one principal for the three daemons: they share one JVM, and Hadoop's RPC servers take
 * their Kerberos identity from the JVM-wide login user ({@code SaslRpcServer} calls
 * {@code UserGroupInformation.getCurrentUser()} when a client connects), which is whoever logged
 * in last. With rm/ and nm/ principals the RM would answer with the NM's keys. Hadoop's own
 * secure MiniYARNCluster tests use one principal for RM and NM for the same reason.
 */
public final class SecureCluster {
  private SecureCluster() {
  }

  /** The secure settings, apart from the ones MiniMRYarnCluster forces. */
  static Configuration secureConf(File work, String principal, String keytab, String javaOpts) {
    Configuration c = new YarnConfiguration();
    c.set("hadoop.security.authentication", "kerberos");
    c.set("hadoop.security.authorization", "true");
    c.set("hadoop.tmp.dir", new File(work, "hadoop-tmp").getAbsolutePath());
    // history: fixed dirs that the AM (per-job staging dirs, see E2eClient) and the JHS share
    c.set("mapreduce.jobhistory.intermediate-done-dir",
        new File(work, "history/intermediate").getAbsolutePath());
    c.set("mapreduce.jobhistory.done-dir", new File(work, "history/done").getAbsolutePath());
    // ResourceManager, NodeManager, JobHistoryServer: one principal, one keytab (see above)
    c.set(YarnConfiguration.RM_PRINCIPAL, principal);
    c.set(YarnConfiguration.RM_KEYTAB, keytab);
    c.set(YarnConfiguration.NM_PRINCIPAL, principal);
    c.set(YarnConfiguration.NM_KEYTAB, keytab);
    c.set("mapreduce.jobhistory.principal", principal);
    c.set("mapreduce.jobhistory.keytab", keytab);
    // Containers: what the tasks' JVMs need on Java 17, and the KDC's krb5.conf (the only
    // Kerberos file a task reads; tasks authenticate with tokens, never with Kerberos).
    c.set("yarn.app.mapreduce.am.command-opts", "-Xmx300m " + javaOpts);
    c.set("mapreduce.map.java.opts", "-Xmx160m " + javaOpts);
    c.set("mapreduce.reduce.java.opts", "-Xmx160m " + javaOpts);
    c.setInt("yarn.app.mapreduce.am.resource.mb", 512);
    c.setInt("mapreduce.map.memory.mb", 256);
    c.setInt("mapreduce.reduce.memory.mb", 256);
    c.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    c.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 4096);
    c.setInt(YarnConfiguration.NM_VCORES, 8);
    // keep the containers' directories (launch_container.sh, container_tokens) for the scan
    c.setInt(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 3600);
    // a fast cluster on 2 cores: heartbeats, and no waiting for disk-health checks
    c.setLong("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", 200);
    c.setLong("yarn.app.mapreduce.am.scheduler.heartbeat.interval-ms", 200);
    // A test machine's disk may be fuller than YARN's 90 % default: the NodeManager would mark
    // every local dir bad, turn UNHEALTHY and never get a container, and jobs would wait forever.
    c.setFloat("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage",
        100.0f);
    c.setLong("yarn.nodemanager.disk-health-checker.min-free-space-per-disk-mb", 0);
    return c;
  }

  /**
   * Ready means a NodeManager that takes containers: one reported UNHEALTHY (a full disk, a bad
   * local dir) ends the start with its health report instead of leaving jobs to wait forever.
   */
  private static void waitForHealthyNode(MiniMRYarnCluster cluster) throws Exception {
    org.apache.hadoop.yarn.server.resourcemanager.ResourceManager rm =
        cluster.getResourceManager();
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      String unhealthy = null;
      for (org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNode n
          : rm.getRMContext().getRMNodes().values()) {
        if (n.getState() == org.apache.hadoop.yarn.api.records.NodeState.RUNNING) {
          return;
        }
        if (n.getState() == org.apache.hadoop.yarn.api.records.NodeState.UNHEALTHY) {
          unhealthy = n.getNodeID() + ": " + n.getHealthReport();
        }
      }
      if (unhealthy != null) {
        throw new IllegalStateException("SecureCluster: the NodeManager is UNHEALTHY, no job "
            + "would run: " + unhealthy);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("SecureCluster: no NodeManager RUNNING after 120 s");
      }
      Thread.sleep(200);
    }
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      // the daemons' non-daemon threads would keep a failed JVM alive
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: SecureCluster WORKDIR PRINCIPAL KEYTAB CONTAINER_JAVA_OPTS");
      System.exit(2);
    }
    File work = new File(args[0]).getAbsoluteFile();
    for (String k : System.getenv().keySet()) {
      if (k.startsWith("AWS_")) {
        throw new IllegalStateException("SecureCluster: the environment holds " + k
            + "; the cluster must hold no AWS secret");
      }
    }
    Configuration conf = secureConf(work, args[1], args[2], args[3]);
    UserGroupInformation.setConfiguration(conf);
    UserGroupInformation.loginUserFromKeytab(args[1], args[2]);
    // MiniYARNCluster puts its directories under target/<name> of the working directory
    MiniMRYarnCluster cluster = new MiniMRYarnCluster("s3adt-e2e", 1);
    cluster.init(conf);
    cluster.start();
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));

    File confDir = new File(work, "conf");
    confDir.mkdirs();
    File tmp = new File(confDir, "yarn-site.xml.tmp");
    try (OutputStream out = new FileOutputStream(tmp)) {
      cluster.getConfig().writeXml(out);
    }
    Files.move(tmp.toPath(), new File(confDir, "yarn-site.xml").toPath(),
        StandardCopyOption.ATOMIC_MOVE);
    // what the NodeManager's shuffle has to work with (run.sh checks these two lines)
    System.out.println("SecureCluster: native hadoop "
        + org.apache.hadoop.util.NativeCodeLoader.isNativeCodeLoaded() + ", NativeIO "
        + org.apache.hadoop.io.nativeio.NativeIO.isAvailable());
    System.out.println("SecureCluster: OS user " + System.getProperty("user.name"));
    System.out.println("SecureCluster: RM " + cluster.getConfig().get(YarnConfiguration.RM_ADDRESS)
        + ", JHS " + cluster.getConfig().get("mapreduce.jobhistory.address")
        + ", work dir " + cluster.getTestWorkDir());
    waitForHealthyNode(cluster);
    touch(new File(work, "ready"));
    File stop = new File(work, "stop");
    while (!stop.exists()) {
      Thread.sleep(200);
    }
    cluster.stop();
    System.out.println("SecureCluster: stopped");
    System.exit(0);
  }

  private static void touch(File f) throws IOException {
    new FileOutputStream(f).close();
  }
}
