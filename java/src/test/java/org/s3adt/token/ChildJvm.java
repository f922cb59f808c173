package org.s3adt.token;

import static org.junit.Assert.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.rules.TemporaryFolder;

/**
 * A program of these tests run in a child JVM on a classpath of the test's choosing (s3adt's
 * classes with hadoop-aws before or after them), without the native library.
 */
final class ChildJvm {

  private ChildJvm() {
  }

  /** The entries of a classpath string. */
  static List<String> split(String path) {
    List<String> l = new ArrayList<>();
    for (String s : path.split(File.pathSeparator)) {
      if (!s.isEmpty()) {
        l.add(s);
      }
    }
    return l;
  }

  /** Run {@code main} with {@code args}: its standard output's lines; fails on a nonzero exit. */
  static List<String> run(TemporaryFolder tmp, List<String> classpath, Class<?> main,
      List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    cmd.add("-Djava.library.path=/nonexistent");
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, classpath));
    cmd.add(main.getName());
    cmd.addAll(args);
    Path out = tmp.newFile().toPath();
    Path err = tmp.newFile().toPath();
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    int rc = p.waitFor();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    if (rc != 0) {
      fail("child JVM exited " + rc + "\nstdout:\n" + String.join("\n", lines) + "\nstderr:\n"
          + new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    }
    return lines;
  }
}
