package org.s3adt.e2e;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;

/**
 * A minimal YARN ApplicationMaster (as DistributedShell's, without its options): it asks the
 * ResourceManager for one container and starts in it {@code /bin/bash SCRIPT ARGS...}, a
 * process with no JVM, handing it the tokens the application was submitted with (the s3adt
 * token among them) minus its own AMRM token, as DistributedShell does. The NodeManager writes
 * them to the container's token file and sets {@code HADOOP_TOKEN_FILE_LOCATION}. The
 * container's environment gets {@code LD_LIBRARY_PATH=LIBDIR} and nothing else of the AM's.
 * The application succeeds if and only if the container exits 0; the diagnostics carry its
 * exit status.
 *
 * <p>usage: NativeTaskAM LIBDIR SCRIPT ARGS...
 */
public final class NativeTaskAM {
  private NativeTaskAM() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: NativeTaskAM LIBDIR SCRIPT ARGS...");
      System.exit(2);
    }
    Configuration conf = new YarnConfiguration();
    Credentials all = UserGroupInformation.getCurrentUser().getCredentials();
    Credentials forContainer = new Credentials();
    for (Token<?> t : all.getAllTokens()) {
      if (!t.getKind().equals(AMRMTokenIdentifier.KIND_NAME)) {
        forContainer.addToken(t.getService(), t);
      }
    }
    System.err.println("native-am: tokens for the container: " + forContainer.getAllTokens().size()
        + " " + kinds(forContainer));
    DataOutputBuffer dob = new DataOutputBuffer();
    forContainer.writeTokenStorageToStream(dob);
    ByteBuffer tokens = ByteBuffer.wrap(dob.getData(), 0, dob.getLength());

    AMRMClient<ContainerRequest> rm = AMRMClient.createAMRMClient();
    rm.init(conf);
    rm.start();
    NMClient nm = NMClient.createNMClient();
    nm.init(conf);
    nm.start();
    rm.registerApplicationMaster("", 0, "");
    rm.addContainerRequest(new ContainerRequest(Resource.newInstance(128, 1), null, null,
        Priority.newInstance(0)));
    long deadline = System.currentTimeMillis() + 120_000;
    Container container = null;
    while (container == null && System.currentTimeMillis() < deadline) {
      AllocateResponse r = rm.allocate(0.1f);
      if (!r.getAllocatedContainers().isEmpty()) {
        container = r.getAllocatedContainers().get(0);
      } else {
        Thread.sleep(100);
      }
    }
    if (container == null) {
      rm.unregisterApplicationMaster(FinalApplicationStatus.FAILED,
          "no container allocated within 120 s", "");
      System.exit(1);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add("/bin/bash");
    for (String a : Arrays.asList(args).subList(1, args.length)) {
      cmd.add("'" + a.replace("'", "'\\''") + "'");
    }
    cmd.add("1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout");
    cmd.add("2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr");
    Map<String, String> env = new HashMap<>();
    env.put("LD_LIBRARY_PATH", args[0]);
    ContainerLaunchContext ctx = ContainerLaunchContext.newInstance(Collections.emptyMap(), env,
        Collections.singletonList(String.join(" ", cmd)), null, tokens, null);
    System.err.println("native-am: starting " + container.getId() + ": " + cmd);
    nm.startContainer(container, ctx);
    ContainerStatus done = null;
    while (done == null && System.currentTimeMillis() < deadline) {
      AllocateResponse r = rm.allocate(0.5f);
      for (ContainerStatus s : r.getCompletedContainersStatuses()) {
        if (s.getContainerId().equals(container.getId())) {
          done = s;
        }
      }
      if (done == null) {
        Thread.sleep(200);
      }
    }
    String diag = done == null ? "the container did not finish within 120 s"
        : "native container " + container.getId() + " exit status " + done.getExitStatus()
            + (done.getDiagnostics().isEmpty() ? "" : ": " + done.getDiagnostics().trim());
    boolean ok = done != null && done.getExitStatus() == 0;
    System.err.println("native-am: " + diag);
    rm.unregisterApplicationMaster(ok ? FinalApplicationStatus.SUCCEEDED
        : FinalApplicationStatus.FAILED, diag, "");
    nm.stop();
    rm.stop();
  }

  private static String kinds(Credentials c) {
    List<String> k = new ArrayList<>();
    for (Token<?> t : c.getAllTokens()) {
      k.add(t.getKind() + "@" + t.getService());
    }
    return k.toString();
  }
}
