package org.s3adt.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** What the tests' child processes (JVMs, Hadoop's tools, kinit) write. */
public final class Processes {
  private Processes() {}

  /** Everything {@code in} holds up to its end: a child's output, read before waiting for it. */
  public static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      b.write(buf, 0, n);
    }
    return b.toByteArray();
  }
}
