package org.s3adt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * The JVM side of bench/data.sh: one run of the data-path operations through the Hadoop
 * FileSystem API, on whatever fs.s3a.impl and the classpath make s3a:// (s3adt's
 * S3adtFileSystem or hadoop-aws's S3AFileSystem). One JVM per implementation, so its peak RSS
 * (measured from outside, /usr/bin/time -v) is that implementation's.
 *
 * <ol>
 *   <li>FileSystem.get (timed as init_ms; the list bucket's as init_list_ms), then an untimed warm-up: one small file written,
 *       its status taken and read back;</li>
 *   <li>write: create(PREFIX/big, overwrite) and SIZE bytes written in 1 MiB buffers, close;</li>
 *   <li>read: open and readFully in 1 MiB buffers to the end, close (every MiB checked);</li>
 *   <li>small create: N files PREFIX/small/fNNNNN of SMALL bytes, create+write+close each, one
 *       after the other; small read: open+readFully+close each (checked); small openFile: the
 *       same through openFile() with fs.option.openfile.length and the whole-file read policy;
 *       small create with fs.s3a.create.performance=true: N more files through a second
 *       instance (small-perf/);</li>
 *   <li>list: listFiles(LIST_PREFIX, recursive) iterated to the end, then listStatus(LIST_PREFIX),
 *       in the list bucket (its keys are made beforehand by bench_s3 --mode setup; a bucket of
 *       their own, so that moto, whose LIST scans the whole bucket, does not slow the rest);</li>
 *   <li>delete(PREFIX, recursive), timed as delete_s (not part of the comparison proper).</li>
 * </ol>
 *
 * <p>After each phase (start = JVM start to the end of the warm-up; write; read; small = create
 * and read; list) its own peak RSS is printed as rss_PHASE_mib (VmHWM, reset between phases), and
 * the CPU time the whole process used in it as cpu_PHASE_s.
 *
 * <p>The bytes are those of bench/rust/src/bin/bench_s3/common.rs: a 1 MiB xorshift buffer (seed 42),
 * its first 8 bytes set to the MiB's index (little endian). Prints key=value lines on stdout;
 * any failure (or a byte read back wrong) is a stack trace on stderr and exit status 1.
 *
 * <p>usage: DataBench --uri s3a://BUCKET [--list-uri s3a://LISTBUCKET] [--prefix data/s3adt]
 * [--size BYTES] [--small N] [--small-size BYTES] [--list-prefix data/list] [-D key=value]...
 */
public final class DataBench {
  private static final int MIB = 1024 * 1024;

  private DataBench() {}

  public static void main(String[] argv) throws Exception {
    String uri = null;
    String listUri = null;
    String prefix = "data/jvm";
    long size = 256L * MIB;
    int small = 1000;
    int smallSize = 1024;
    String listPrefix = "data/list";
    Configuration conf = new Configuration();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      String v = i + 1 < argv.length ? argv[i + 1] : null;
      if (v == null) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      i++;
      switch (a) {
        case "--uri": uri = v; break;
        case "--list-uri": listUri = v; break;
        case "--prefix": prefix = v; break;
        case "--size": size = Long.parseLong(v); break;
        case "--small": small = Integer.parseInt(v); break;
        case "--small-size": smallSize = Integer.parseInt(v); break;
        case "--list-prefix": listPrefix = v; break;
        case "-D": {
          int eq = v.indexOf('=');
          conf.set(v.substring(0, eq), v.substring(eq + 1));
          break;
        }
        default: throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (uri == null) {
      throw new IllegalArgumentException("--uri is required");
    }
    if (listUri == null) {
      listUri = uri;
    }
    if (smallSize < 8) {
      throw new IllegalArgumentException("--small-size must be at least 8");
    }
    // Printed as they come, so a run that fails half-way still reports what it measured.
    List<String> out = new ArrayList<String>() {
      @Override
      public boolean add(String line) {
        System.out.println(line);
        System.out.flush();
        return super.add(line);
      }
    };
    byte[] base = baseChunk();

    long t = System.nanoTime();
    out.add("size=" + size);
    out.add("small_n=" + small);
    FileSystem fs = FileSystem.get(new URI(uri), conf);
    out.add("init_ms=" + String.format("%.1f", (System.nanoTime() - t) / 1e6));
    out.add("fs_class=" + fs.getClass().getName());
    t = System.nanoTime();
    FileSystem listFs = FileSystem.get(new URI(listUri), conf);
    out.add("init_list_ms=" + String.format("%.1f", (System.nanoTime() - t) / 1e6));
    Path root = new Path(uri + "/" + prefix);

    // Warm-up (untimed): the first request of each kind pays for class loading and the first
    // connection on both sides.
    Path warm = new Path(root, "warmup");
    t = System.nanoTime();
    writeSmall(fs, warm, base, smallSize, 0);
    fs.getFileStatus(warm);
    readSmall(fs, warm, smallSize, 0);
    out.add("warmup_ms=" + String.format("%.1f", (System.nanoTime() - t) / 1e6));
    phaseRss(out, "start");

    Path big = new Path(root, "big");
    byte[] chunk = base.clone();
    t = System.nanoTime();
    try (FSDataOutputStream os = fs.create(big, true)) {
      for (long i = 0, pos = 0; pos < size; i++, pos += MIB) {
        stamp(chunk, i);
        os.write(chunk, 0, (int) Math.min(MIB, size - pos));
      }
    }
    out.add(secs("write_s", t));
    phaseRss(out, "write");

    byte[] buf = new byte[MIB];
    t = System.nanoTime();
    try (FSDataInputStream in = fs.open(big)) {
      for (long i = 0, pos = 0; pos < size; i++, pos += MIB) {
        int n = (int) Math.min(MIB, size - pos);
        in.readFully(buf, 0, n);
        check(buf, n, base, i, big);
      }
      if (in.read() != -1) {
        throw new IOException(big + " is longer than " + size + " bytes");
      }
    }
    out.add(secs("read_s", t));
    phaseRss(out, "read");

    t = System.nanoTime();
    for (int i = 0; i < small; i++) {
      writeSmall(fs, smallPath(root, i), base, smallSize, i);
    }
    out.add(secs("small_create_s", t));
    t = System.nanoTime();
    for (int i = 0; i < small; i++) {
      readSmall(fs, smallPath(root, i), smallSize, i);
    }
    out.add(secs("small_read_s", t));
    // openFile() with the length given (fs.option.openfile.length, whole-file read policy), as a
    // job that listed the files knows them: the filesystem need not probe before the GET.
    t = System.nanoTime();
    for (int i = 0; i < small; i++) {
      readSmallKnown(fs, smallPath(root, i), smallSize, i);
    }
    out.add(secs("small_openfile_s", t));
    // create with fs.s3a.create.performance=true (no probes), in a second instance warmed by one
    // untimed create.
    Configuration perfConf = new Configuration(conf);
    perfConf.setBoolean("fs.s3a.create.performance", true);
    FileSystem perfFs = FileSystem.newInstance(new URI(uri), perfConf);
    writeSmall(perfFs, new Path(root, "small-perf/warmup"), base, smallSize, 0);
    t = System.nanoTime();
    for (int i = 0; i < small; i++) {
      writeSmall(perfFs, new Path(root, String.format("small-perf/f%05d", i)), base, smallSize, i);
    }
    out.add(secs("small_create_perf_s", t));
    perfFs.close();
    phaseRss(out, "small");

    Path list = new Path(listUri + "/" + listPrefix);
    t = System.nanoTime();
    long files = 0;
    RemoteIterator<LocatedFileStatus> it = listFs.listFiles(list, true);
    while (it.hasNext()) {
      it.next();
      files++;
    }
    out.add(secs("list_files_s", t));
    out.add("list_files_n=" + files);
    t = System.nanoTime();
    FileStatus[] status = listFs.listStatus(list);
    out.add(secs("list_status_s", t));
    out.add("list_status_n=" + status.length);
    phaseRss(out, "list");

    t = System.nanoTime();
    if (!fs.delete(root, true)) {
      throw new IOException("delete(" + root + ", true) returned false");
    }
    out.add(secs("delete_s", t));
    fs.close();
    listFs.close();

  }

  /**
   * The peak RSS since the last call (VmHWM), then reset to the current RSS (clear_refs 5), so
   * that each phase's peak is its own: rss_PHASE_mib; and the CPU the phase used: cpu_PHASE_s.
   */
  private static double cpuMark;

  private static void phaseRss(List<String> out, String phase) throws IOException {
    // CPU of the whole process (every thread, the native ones too) since the previous phase
    double cpu = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    out.add("cpu_" + phase + "_s=" + String.format("%.2f", cpu - cpuMark));
    cpuMark = cpu;
    long kib = -1;
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        kib = Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    try {
      Files.write(Paths.get("/proc/self/clear_refs"), "5".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // not resettable here: the next phase's figure is the peak so far
    }
    out.add("rss_" + phase + "_mib=" + String.format("%.1f", kib / 1024.0));
  }

  private static Path smallPath(Path root, int i) {
    return new Path(root, String.format("small/f%05d", i));
  }

  private static String secs(String key, long start) {
    return key + "=" + String.format("%.4f", (System.nanoTime() - start) / 1e9);
  }

  private static byte[] baseChunk() {
    long x = 42;
    byte[] v = new byte[MIB];
    for (int i = 0; i < v.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      v[i] = (byte) (x >>> 24);
    }
    return v;
  }

  private static void stamp(byte[] b, long i) {
    for (int k = 0; k < 8; k++) {
      b[k] = (byte) (i >>> (8 * k));
    }
  }

  private static void check(byte[] got, int n, byte[] base, long i, Path p) throws IOException {
    byte[] want = new byte[8];
    stamp(want, i);
    boolean ok = n >= 16
        && Arrays.equals(Arrays.copyOfRange(got, 0, 8), want)
        && Arrays.equals(Arrays.copyOfRange(got, 8, 16), Arrays.copyOfRange(base, 8, 16))
        && Arrays.equals(Arrays.copyOfRange(got, n - 8, n), Arrays.copyOfRange(base, n - 8, n));
    if (!ok) {
      throw new IOException(p + ": MiB " + i + " read back differs from what was written");
    }
  }

  private static void writeSmall(FileSystem fs, Path p, byte[] base, int size, long i)
      throws IOException {
    byte[] b = Arrays.copyOf(base, size);
    stamp(b, i);
    try (FSDataOutputStream os = fs.create(p, true)) {
      os.write(b);
    }
  }

  private static void readSmall(FileSystem fs, Path p, int size, long i) throws IOException {
    byte[] b = new byte[size];
    try (FSDataInputStream in = fs.open(p)) {
      in.readFully(b, 0, size);
    }
    checkSmall(b, p, i);
  }

  private static void readSmallKnown(FileSystem fs, Path p, int size, long i)
      throws IOException {
    byte[] b = new byte[size];
    try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(p)
        .opt("fs.option.openfile.length", Long.toString(size))
        .opt("fs.option.openfile.read.policy", "whole-file")
        .build())) {
      in.readFully(b, 0, size);
    }
    checkSmall(b, p, i);
  }

  private static void checkSmall(byte[] b, Path p, long i) throws IOException {
    byte[] want = new byte[8];
    stamp(want, i);
    if (!Arrays.equals(Arrays.copyOfRange(b, 0, 8), want)) {
      throw new IOException(p + " read back differs from what was written");
    }
  }
}
