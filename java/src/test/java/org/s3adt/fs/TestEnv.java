package org.s3adt.fs;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;

/** What tests/java/run.sh sets up: moto servers on loopback and alice's keys. */
final class TestEnv {
  private TestEnv() {
  }

  static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException(name + " is not set: run the Java tests with tests/java/run.sh");
    }
    return v;
  }

  static final String BINDING_PACKAGE = "org.apache.hadoop.fs.s3a.auth.delegation.";
  static final String FULL = BINDING_PACKAGE + "FullCredentialsTokenBinding";
  static final String SESSION = BINDING_PACKAGE + "SessionTokenBinding";
  static final String ROLE = BINDING_PACKAGE + "RoleTokenBinding";

  /** A configuration with no defaults loaded from the classpath but s3adt enabled. */
  static Configuration base() {
    Configuration c = new Configuration(false);
    c.set("fs.s3a.impl", S3adtFileSystem.class.getName());
    c.setBoolean("fs.s3a.impl.disable.cache", true);
    c.set("fs.s3a.assumed.role.sts.endpoint", env("S3ADT_MOTO_ENDPOINT"));
    c.set("fs.s3a.assumed.role.sts.endpoint.region", "us-east-1");
    c.set("fs.s3a.endpoint", env("S3ADT_MOTO_ENDPOINT"));
    c.set("fs.s3a.endpoint.region", "us-east-1");
    return c;
  }

  /** {@link #base()} with alice's keys and the given binding class. */
  static Configuration withBinding(String binding) {
    Configuration c = base();
    c.set("fs.s3a.access.key", env("S3ADT_MOTO_AK"));
    c.set("fs.s3a.secret.key", env("S3ADT_MOTO_SK"));
    c.set("fs.s3a.delegation.token.binding", binding);
    c.set("fs.s3a.assumed.role.arn", env("S3ADT_MOTO_ROLE_ARN"));
    return c;
  }

  /**
   * Fills {@code dir} as a gateway host's HADOOP_CONF_DIR for a child JVM: {@code conf} as
   * core-site.xml, and log4j at INFO to the console, as the hadoop scripts set it.
   */
  static File confDir(File dir, Configuration conf) throws IOException {
    try (OutputStream out = Files.newOutputStream(new File(dir, "core-site.xml").toPath())) {
      conf.writeXml(out);
    }
    Files.write(new File(dir, "log4j.properties").toPath(), ("log4j.rootLogger=INFO,console\n"
        + "log4j.appender.console=org.apache.log4j.ConsoleAppender\n"
        + "log4j.appender.console.layout=org.apache.log4j.PatternLayout\n"
        + "log4j.appender.console.layout.ConversionPattern=%p %c{1}: %m%n\n")
        .getBytes(StandardCharsets.UTF_8));
    return dir;
  }

  static File root() {
    return new File(System.getProperty("s3adt.root", "."));
  }
}
