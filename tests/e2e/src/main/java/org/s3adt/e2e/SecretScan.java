package org.s3adt.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.s3adt.testsupport.Bytes;

/** The scan for alice's secret key in every file the cluster, the jobs and the tasks left. */
final class SecretScan {
  private SecretScan() {}

  /**
   * Every file the cluster, the jobs and the tasks left (the cluster's work dir with the NM's
   * container dirs and launch scripts, the JobHistoryServer's files, each case's staging dir
   * with job.xml, the tasks' dumps): alice's secret key may appear only in token files, and
   * only because the Full binding's token (and the Ozone binding's, of the same kind) carries
   * her credentials by design. That those cases' token files ({@code fullCases}) do hold it
   * shows the scan finds what it looks for.
   */
  static void run(E2eClient c, Properties secrets, List<String> fullCases) throws IOException {
    byte[] secret = secrets.getProperty("secret.key").getBytes(StandardCharsets.UTF_8);
    List<Path> roots = new ArrayList<>();
    roots.add(new File(c.opt("cluster-dir")).toPath());
    roots.add(new File(c.opt("work")).toPath());
    List<String> tokenFiles = new ArrayList<>();
    List<String> others = new ArrayList<>();
    int scanned = 0;
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.walk(root)) {
        files = s.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toList());
      }
      for (Path f : files) {
        if (f.toString().equals(new File(c.opt("secrets")).getAbsolutePath())) {
          continue; // the client's own secrets file (run.sh keeps it outside these roots anyway)
        }
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(f);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // removed between the walk and the read (the NM cleaning up a container)
        }
        scanned++;
        if (Bytes.contains(bytes, secret)) {
          String name = f.getFileName().toString();
          boolean tokenFile = name.equals("container_tokens") || name.equals("appTokens")
              || name.endsWith(".tokens") || name.endsWith(".token");
          (tokenFile ? tokenFiles : others).add(f.toString());
        }
      }
    }
    c.check("scan: alice's secret key in no conf, env, script, log or dump (" + scanned
        + " files)", others.isEmpty(), "found in " + others);
    if (!fullCases.isEmpty()) {
      c.check("scan: found in the " + String.join(", ", fullCases) + " case's token files only"
              + " (the scan works)",
          !tokenFiles.isEmpty() && tokenFiles.stream().allMatch(
              f -> fullCases.stream().anyMatch(b -> f.contains("/case-" + b + "/"))
              || c.fullAppIds.stream().anyMatch(f::contains)),
          "token files holding it: " + tokenFiles);
    }
    System.out.println("scan: token files holding alice's secret key ("
        + String.join(", ", fullCases) + "): " + tokenFiles.size());
  }
}
