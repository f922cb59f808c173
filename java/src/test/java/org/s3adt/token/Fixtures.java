package org.s3adt.token;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.s3adt.testsupport.Bytes;
import org.s3adt.testsupport.Cases;
import org.s3adt.testsupport.Json;

/**
 * The token files these tests read, in the layout of {@code tests/interop/run.sh}'s output:
 * <ul>
 *   <li>{@code rust/{v1,v1ctx,v2}/tokens.{writable,protobuf}}: every case of cases.json written
 *       by s3adt's Rust encoder ({@code write_interop_cases} example), once per layout;</li>
 *   <li>{@code java-<version>/tokens.{writable,protobuf}} and {@code manifest.json}: the same
 *       cases written by real hadoop-aws of that version, with its own {@code toString()} texts.
 *   </li>
 * </ul>
 *
 * <p>Where they come from:
 * <ol>
 *   <li>{@code -Ds3adt.fixtures=DIR} or the environment's {@code S3ADT_INTEROP_DIR} (what
 *       {@code tests/interop/run.sh DIR} and {@code .ci/run} fill): used as it is, and it must
 *       hold the Rust files and hadoop-aws {@link #REQUIRED_HADOOP}'s;</li>
 *   <li>otherwise {@code target/gradle/token-fixtures}, made on first use and kept while
 *       cases.json is unchanged: the Rust files with {@code cargo run --example
 *       write_interop_cases}, each hadoop-aws version's with the interop Maven project's fixture
 *       writer ({@code mvn -f tests/interop/java/pom.xml -Dtest=WriteJavaFixturesTest}). That
 *       needs cargo, Maven and Maven Central, and a few minutes the first time.</li>
 * </ol>
 * A test never passes for want of fixtures: a missing one is an error that says how to make it.
 */
final class Fixtures {

  /** hadoop-aws versions whose files must be read (all write V1). */
  static final List<String> REQUIRED_HADOOP = Arrays.asList("3.3.6", "3.4.1", "3.4.2");
  static final List<String> LAYOUTS = Arrays.asList("v1", "v1ctx", "v2");

  private static Path dir;
  private static Cases cases;

  private Fixtures() {
  }

  static Path root() {
    String r = System.getProperty("s3adt.root");
    if (r != null && !r.isEmpty()) {
      return Paths.get(r).toAbsolutePath().normalize();
    }
    Path p = Paths.get("").toAbsolutePath();
    for (; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("tests/fixtures/cases.json"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root (set -Ds3adt.root)");
  }

  static Path casesPath() {
    return root().resolve("tests/fixtures/cases.json");
  }

  static synchronized Cases cases() throws IOException {
    if (cases == null) {
      cases = Cases.load(casesPath());
    }
    return cases;
  }

  static Path rustDir(String layout) throws Exception {
    return dir().resolve("rust").resolve(layout);
  }

  /** The hadoop-aws directories present, by version (at least {@link #REQUIRED_HADOOP}). */
  static Map<String, Path> javaDirs() throws Exception {
    Map<String, Path> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir())) {
      s.filter(p -> p.getFileName().toString().startsWith("java-")
              && Files.isRegularFile(p.resolve("manifest.json")))
          .forEach(p -> m.put(p.getFileName().toString().substring(5), p));
    }
    return m;
  }

  static Credentials read(Path file) throws IOException {
    return Credentials.readTokenStorageFile(file.toFile(), new Configuration(false));
  }

  static Map<String, Object> json(Path file) throws IOException {
    return Json.object(Json.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
  }

  static synchronized Path dir() throws Exception {
    if (dir != null) {
      return dir;
    }
    String given = System.getProperty("s3adt.fixtures");
    if (given == null || given.isEmpty()) {
      given = System.getenv("S3ADT_INTEROP_DIR");
    }
    Path d;
    if (given != null && !given.isEmpty()) {
      d = Paths.get(given).toAbsolutePath().normalize();
      List<String> missing = missing(d);
      if (!missing.isEmpty()) {
        throw new IllegalStateException("fixture directory " + d + " lacks " + missing
            + ": fill it with `bash tests/interop/run.sh " + d + "`, or unset"
            + " S3ADT_INTEROP_DIR / -Ds3adt.fixtures to have the tests make their own");
      }
    } else {
      d = root().resolve("target/gradle/token-fixtures");
      generate(d);
    }
    dir = d;
    return d;
  }

  private static List<String> missing(Path d) {
    List<String> m = new ArrayList<>();
    for (String layout : LAYOUTS) {
      if (!Files.isRegularFile(d.resolve("rust").resolve(layout).resolve("tokens.writable"))) {
        m.add("rust/" + layout);
      }
    }
    for (String v : REQUIRED_HADOOP) {
      if (!Files.isRegularFile(d.resolve("java-" + v).resolve("manifest.json"))) {
        m.add("java-" + v);
      }
    }
    return m;
  }

  private static void generate(Path d) throws Exception {
    Path stamp = d.resolve("cases.sha256");
    String want = Bytes.sha256(Files.readAllBytes(casesPath()));
    if (Files.isDirectory(d) && (!Files.isRegularFile(stamp)
        || !new String(Files.readAllBytes(stamp), StandardCharsets.UTF_8).equals(want))) {
      deleteTree(d);
    }
    Files.createDirectories(d);
    Files.write(stamp, want.getBytes(StandardCharsets.UTF_8));
    Path root = root();
    Path log = d.resolve("generate.log");
    boolean rustMissing = false;
    for (String layout : LAYOUTS) {
      rustMissing |= !Files.isRegularFile(d.resolve("rust").resolve(layout)
          .resolve("tokens.writable"));
    }
    if (rustMissing) {
      // The hadoop-aws writer below also reads these (its pom runs the whole interop suite
      // otherwise; -Dtest limits it to the writer, but the directory layout stays the same).
      run(root, log, "cargo", "run", "-q", "--release", "--example",
          "write_interop_cases", "--", casesPath().toString(), d.resolve("rust").toString());
    }
    for (String v : REQUIRED_HADOOP) {
      if (!Files.isRegularFile(d.resolve("java-" + v).resolve("manifest.json"))) {
        run(root, log, "mvn", "-q", "-B", "-f", "tests/interop/java/pom.xml",
            "-Dhadoop.version=" + v, "-Ds3adt.interop.dir=" + d,
            "-Dtest=WriteJavaFixturesTest", "-Dsurefire.failIfNoSpecifiedTests=false", "test");
      }
    }
    List<String> missing = missing(d);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("could not make fixtures " + missing + " in " + d
          + "; see " + log);
    }
  }

  private static void run(Path cwd, Path log, String... command) throws Exception {
    Files.write(log, ("$ " + String.join(" ", command) + "\n").getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    int rc = p.waitFor();
    if (rc != 0) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      throw new IllegalStateException(String.join(" ", command) + " exited " + rc + "; "
          + log + " ends:\n" + tail);
    }
  }


  private static void deleteTree(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
