package org.s3adt.interop;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.s3adt.testsupport.Cases;

/**
 * Where things are: the interop directory ({@code -Ds3adt.interop.dir}), cases.json, the
 * Hadoop version under test, and a Configuration that never reads the user's site files.
 */
final class Env {
  private Env() {
  }

  private static String prop(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
    }
    return v;
  }

  /** The hadoop.version Maven resolved; checked against the jar's own VersionInfo. */
  static String version() {
    return prop("hadoop.version");
  }

  static Path dir() {
    return Paths.get(prop("s3adt.interop.dir")).toAbsolutePath().normalize();
  }

  static Path casesPath() {
    return Paths.get(prop("s3adt.interop.cases")).toAbsolutePath().normalize();
  }

  private static Cases cases;

  static synchronized Cases cases() throws IOException {
    if (cases == null) {
      cases = Cases.load(casesPath());
    }
    return cases;
  }

  /** $DIR/java-<version>, created if needed. */
  static Path javaDir() throws IOException {
    return Files.createDirectories(dir().resolve("java-" + version()));
  }

  /** $DIR/rust/<layout> (may not exist). */
  static Path rustDir(String layout) {
    return dir().resolve("rust").resolve(layout);
  }

  /** s3adt's fixtures for the layout of the Hadoop under test: rustDir, which must exist. */
  static Path rustFixtures(JavaFixtures java) {
    Path rust = rustDir(java.layout);
    if (!Files.isDirectory(rust)) {
      throw new AssertionError("no s3adt fixtures for layout " + java.layout + " (hadoop "
          + java.version + "): " + rust + " does not exist. Write them first: cargo run -q"
          + " --example write_interop_cases -- tests/fixtures/cases.json "
          + dir().resolve("rust"));
    }
    return rust;
  }

  static Path resources() {
    return Paths.get(prop("s3adt.interop.resources"));
  }

  static boolean recordCrossLayout() {
    return Boolean.parseBoolean(System.getProperty("s3adt.interop.recordCrossLayout", "false"));
  }

  /** A Configuration without default resources: nothing from the machine leaks in. */
  static Configuration conf() {
    return new Configuration(false);
  }
}
