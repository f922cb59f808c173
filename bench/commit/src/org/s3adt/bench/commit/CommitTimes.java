package org.s3adt.bench.commit;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the timed commit protocols measured during one write. Local mode: the driver and the
 * executors share this JVM, so the tasks' commits land here too.
 */
public final class CommitTimes {
  private static final AtomicLong JOB_NANOS = new AtomicLong(-1);
  private static final AtomicLong TASK_NANOS = new AtomicLong();
  private static final AtomicLong TASKS = new AtomicLong();
  private static volatile String protocol = "none";

  private CommitTimes() {}

  static void reset() {
    JOB_NANOS.set(-1);
    TASK_NANOS.set(0);
    TASKS.set(0);
    protocol = "none";
  }

  /** Runs a protocol's commitJob, timed. */
  static void job(Class<?> by, Runnable commit) {
    long t0 = System.nanoTime();
    commit.run();
    JOB_NANOS.set(System.nanoTime() - t0);
    protocol = by.getSimpleName();
  }

  /** Runs a protocol's commitTask, its time added to the tasks' sum. */
  static <T> T task(Supplier<T> commit) {
    long t0 = System.nanoTime();
    T m = commit.get();
    TASK_NANOS.addAndGet(System.nanoTime() - t0);
    TASKS.incrementAndGet();
    return m;
  }

  static long jobNanos() {
    return JOB_NANOS.get();
  }

  static long taskNanos() {
    return TASK_NANOS.get();
  }

  static long tasks() {
    return TASKS.get();
  }

  static String protocol() {
    return protocol;
  }
}
