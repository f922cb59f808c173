package org.s3adt.fs;

import java.io.IOException;
import java.util.concurrent.ExecutionException;

/** What the shim's thread pools (rename's copies, job commit) report of a failed task. */
public final class Failures {
  private Failures() {
  }

  /**
   * The failure of a task, as an IOException: its own when it threw one, else one whose text is
   * {@code prefix} and the cause.
   */
  public static IOException ioCause(ExecutionException e, String prefix) {
    Throwable cause = e.getCause();
    return cause instanceof IOException ? (IOException) cause
        : new IOException(prefix + cause, cause);
  }
}
