package org.s3adt.fs.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.s3adt.fs.S3adtFileSystem;

/**
 * Which S3 the contract suites run against, chosen by {@code S3ADT_CONTRACT_STORE}:
 * <ul>
 *   <li>{@code moto} (the default): the moto server tests/java/run.sh starts for these suites
 *       ({@code S3ADT_CONTRACT_MOTO_ENDPOINT}, alice's keys {@code S3ADT_CONTRACT_MOTO_AK/SK});
 *       without those, the shared one ({@code S3ADT_MOTO_ENDPOINT}, {@code S3ADT_MOTO_AK/SK}).
 *       The root-directory suite empties bucket-a, so run.sh gives these suites their own
 *       server and leaves the shared bucket-a (hello.txt) to the other tests.</li>
 *   <li>{@code rgw}: Ceph RGW from tests/peers/rgw/up.sh ({@code S3ADT_RGW_ENDPOINT}, the
 *       admin's keys {@code S3ADT_RGW_ADMIN_AK/SK}, who owns bucket-a); see
 *       tests/java/contract-rgw.sh.</li>
 *   <li>{@code ozone}: Apache Ozone's S3 gateway from tests/peers/ozone/up.sh
 *       ({@code S3ADT_OZONE_S3_ENDPOINT}), with a Kerberos principal as the access key
 *       ({@code S3ADT_CONTRACT_OZONE_AK}) and its S3 secret read from the file
 *       {@code S3ADT_CONTRACT_OZONE_SECRET_FILE} (never the environment); the options of
 *       {@code contract/s3adt-ozone.xml} on top; see tests/ozone/contract.sh.</li>
 *   <li>{@code memory}: {@link MemoryS3adtFileSystem}, an in-JVM store with no server, for
 *       working on the Java side alone.</li>
 * </ul>
 * Always path-style, region us-east-1, the keys through S3A's login chain, no delegation
 * tokens; the bucket is {@code bucket-a}, or {@code S3ADT_CONTRACT_BUCKET} (Ozone's bucket names
 * are global: one per principal, each owned by it).
 */
final class ContractTarget {
  static final String BUCKET = env("S3ADT_CONTRACT_BUCKET") == null
      ? "bucket-a" : env("S3ADT_CONTRACT_BUCKET");
  static final String FS_URI = "s3a://" + BUCKET;

  private ContractTarget() {
  }

  static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static String need(String name, String store) {
    String v = env(name);
    if (v == null) {
      throw new IllegalStateException(name + " is not set (S3ADT_CONTRACT_STORE=" + store
          + "): run the contract tests with tests/java/run.sh, tests/java/contract-rgw.sh or"
          + " tests/ozone/run.sh");
    }
    return v;
  }

  private static String readSecret(String file) {
    try {
      return new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("the S3 secret file " + file, e);
    }
  }

  static String store() {
    String s = env("S3ADT_CONTRACT_STORE");
    return s == null ? "moto" : s;
  }

  /** Point {@code conf} at the chosen store; returns the endpoint (or "memory"). */
  static String configure(Configuration conf) {
    String store = store();
    String endpoint;
    String ak;
    String sk;
    conf.set("fs.s3a.impl", S3adtFileSystem.class.getName());
    switch (store) {
      case "moto":
        if (env("S3ADT_CONTRACT_MOTO_ENDPOINT") != null) {
          endpoint = need("S3ADT_CONTRACT_MOTO_ENDPOINT", store);
          ak = need("S3ADT_CONTRACT_MOTO_AK", store);
          sk = need("S3ADT_CONTRACT_MOTO_SK", store);
        } else {
          endpoint = need("S3ADT_MOTO_ENDPOINT", store);
          ak = need("S3ADT_MOTO_AK", store);
          sk = need("S3ADT_MOTO_SK", store);
        }
        break;
      case "rgw":
        endpoint = need("S3ADT_RGW_ENDPOINT", store);
        ak = need("S3ADT_RGW_ADMIN_AK", store);
        sk = need("S3ADT_RGW_ADMIN_SK", store);
        break;
      case "ozone":
        endpoint = need("S3ADT_OZONE_S3_ENDPOINT", store);
        ak = need("S3ADT_CONTRACT_OZONE_AK", store);
        sk = readSecret(need("S3ADT_CONTRACT_OZONE_SECRET_FILE", store));
        break;
      case "memory":
        endpoint = "memory";
        ak = "memory";
        sk = "memory";
        conf.set("fs.s3a.impl", MemoryS3adtFileSystem.class.getName());
        break;
      default:
        throw new IllegalStateException("S3ADT_CONTRACT_STORE=" + store
            + ": expected moto, rgw, ozone or memory");
    }
    conf.set("fs.contract.test.fs.s3a", FS_URI);
    if (!"memory".equals(endpoint)) {
      conf.set("fs.s3a.endpoint", endpoint);
    }
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.setBoolean("fs.s3a.path.style.access", true);
    conf.set("fs.s3a.access.key", ak);
    conf.set("fs.s3a.secret.key", sk);
    conf.unset("fs.s3a.session.token");
    conf.unset("fs.s3a.delegation.token.binding");
    return endpoint;
  }
}
