package org.s3adt.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/**
 * Issue 17 item 2: a MapReduce job that gets s3adt only through {@code -libjars}, the jar being
 * the one published to a file repository ({@code tests/install/publish-file-repo.sh}) and
 * resolved from there by Maven (run.sh). This client JVM has no s3adt on its class path (on a
 * MiniYARNCluster the AM and the tasks inherit the submitting JVM's class path, so that is what
 * keeps s3adt off theirs too); {@code ToolRunner} parses {@code -libjars JAR}, which puts the jar
 * in the job's configuration class loader, where the client's token collection finds
 * {@code fs.s3a.impl}, and ships it to the tasks through the distributed cache.
 *
 * <p>The job: alice (Kerberos) collects a Session token as {@link E2eClient} does, and one map
 * task reads {@code s3a://BUCKET/hello.txt} through s3adt bound to that token. The task reports
 * (counters, group {@code s3adt-libjars}) that the FileSystem is s3adt's, bound to the token, its
 * class loaded from a jar localized by YARN whose SHA-256 is the published jar's, and that no other
 * s3adt jar is on its class path.
 *
 * <p>Usage (run.sh): {@code LibjarsCase --libjar JAR --results FILE} and E2eClient's options
 * ({@code --cluster-conf --secrets - --kdc-dir --realm --work --bucket --store}).
 */
public final class LibjarsCase extends Configured implements Tool {
  static final String GROUP = "s3adt-libjars";
  static final String S3ADT_FS = "org.s3adt.fs.S3adtFileSystem";

  private final E2eClient c;
  private final Properties secrets;
  private final File libjar;
  private final File caseDir;

  private LibjarsCase(E2eClient c, Properties secrets, File libjar, File caseDir) {
    this.c = c;
    this.secrets = secrets;
    this.libjar = libjar;
    this.caseDir = caseDir;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = org.s3adt.testsupport.Results.options(args);
    try (PrintStream results = new PrintStream(
        Files.newOutputStream(new File(opts.get("results")).toPath()), true, "UTF-8")) {
      E2eClient c = new E2eClient(opts, results);
      try {
        run(c);
      } catch (Exception | LinkageError e) {
        e.printStackTrace();
        c.check("Libjars: case ran to the end", false, e.toString());
      }
      System.out.println("e2e-libjars: done");
      System.exit(0);
    }
  }

  private static void run(E2eClient c) throws Exception {
    Properties secrets = new Properties();
    secrets.load(System.in);
    boolean absent;
    try {
      Class.forName(S3ADT_FS, false, ClassLoader.getSystemClassLoader());
      absent = false;
    } catch (ClassNotFoundException e) {
      absent = true;
    }
    c.check("Libjars: the client JVM's class path holds no s3adt (" + S3ADT_FS
        + " not found by the system class loader)", absent, System.getProperty("java.class.path"));
    Configuration base = new Configuration();
    base.addResource(new Path(new File(c.opt("cluster-conf")).toURI()));
    UserGroupInformation.setConfiguration(base);
    File caseDir = new File(c.opt("work"), "case-Libjars").getAbsoluteFile();
    caseDir.mkdirs();
    Configuration jobConf = c.jobConf(base, secrets, "Session", caseDir);
    File libjar = new File(c.opt("libjar")).getAbsoluteFile();
    jobConf.set("s3adt.e2e.libjars.sha256", sha256(libjar));
    // The staging dir is on the local filesystem here, as the jar is: JobResourceUploader then
    // does not copy the jar into staging/libjars (same filesystem), while the default wildcard
    // entry names that directory, left empty, and the tasks get no s3adt (seen: a
    // ClassNotFoundException). With staging on HDFS, as on a real cluster, the default works;
    // here each -libjars jar is its own cache file, localized from where it is.
    jobConf.setBoolean("mapreduce.client.libjars.wildcard", false);
    UserGroupInformation ugi = c.alice();
    LibjarsCase tool = new LibjarsCase(c, secrets, libjar, caseDir);
    int rc = ugi.doAs((PrivilegedExceptionAction<Integer>) () -> ToolRunner.run(jobConf, tool,
        new String[] {"-libjars", libjar.getPath()}));
    c.check("Libjars: the job client (ToolRunner, -libjars " + libjar.getName() + ") exited 0",
        rc == 0, "exit " + rc);
  }

  @Override
  public int run(String[] rest) throws Exception {
    Configuration conf = getConf();
    c.check("Libjars: ToolRunner took -libjars (tmpjars names " + libjar.getName() + ")",
        conf.get("tmpjars", "").endsWith("/" + libjar.getName()), conf.get("tmpjars"));
    Class<?> fsClass = conf.getClassByNameOrNull(S3ADT_FS);
    String from = fsClass == null ? "not found"
        : String.valueOf(fsClass.getProtectionDomain().getCodeSource().getLocation());
    c.check("Libjars: the job's configuration class loader loads s3adt from the -libjars jar",
        fsClass != null && new File(URI.create(from)).equals(libjar), from);
    String bucket = c.opt("bucket");
    // alice's keys only here, for token collection (as E2eClient's cases)
    FileSystem.get(URI.create("s3a://" + bucket + "/"), E2eClient.withKeys(conf, secrets));
    Job job = Job.getInstance(conf, "s3adt-e2e-libjars");
    job.setJarByClass(LibjarsCase.class);
    job.setMapperClass(CheckMapper.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(NullWritable.class);
    FileInputFormat.addInputPath(job, new Path("s3a://" + bucket + "/hello.txt"));
    Path out = new Path(new File(caseDir, "out").toURI());
    FileOutputFormat.setOutputPath(job, out);
    boolean ok = job.waitForCompletion(false);
    c.check("Libjars: job " + job.getJobID() + " succeeded", ok, job.getStatus().getFailureInfo());
    if (!ok) {
      return 1;
    }
    Counters counters = job.getCounters();
    long tasks = counters.findCounter(GROUP, "tasks").getValue();
    String[] names = {"s3adt", "bound", "from-libjars", "published-jar", "only-s3adt-jar"};
    StringBuilder seen = new StringBuilder("tasks=" + tasks);
    boolean all = tasks == 1 && counters.findCounter(GROUP, "errors").getValue() == 0;
    for (String n : names) {
      long v = counters.findCounter(GROUP, n).getValue();
      seen.append(", ").append(n).append('=').append(v);
      all &= v == tasks;
    }
    c.check("Libjars: the task opened s3a://" + bucket + " with s3adt bound to the token, its class"
        + " from the YARN-localized -libjars jar (the published one, by SHA-256), and no other"
        + " s3adt jar on its class path", all, seen.toString());
    List<String> lines = new ArrayList<>();
    for (File f : new File(caseDir, "out").listFiles((d, n) -> n.startsWith("part-"))) {
      lines.addAll(Files.readAllLines(f.toPath(), StandardCharsets.UTF_8));
    }
    c.check("Libjars: the task read s3a://" + bucket + "/hello.txt through the token",
        lines.size() == 1 && lines.get(0).startsWith("hello from "), lines.toString());
    return 0;
  }

  static String sha256(File f) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(f.toPath())) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    StringBuilder s = new StringBuilder();
    for (byte b : d.digest()) {
      s.append(String.format("%02x", b));
    }
    return s.toString();
  }

  /** Checks where s3adt comes from in the task, then passes the input's lines through. */
  public static class CheckMapper extends Mapper<LongWritable, Text, Text, NullWritable> {
    @Override
    protected void setup(Context context) throws IOException {
      Configuration conf = context.getConfiguration();
      context.getCounter(GROUP, "tasks").increment(1);
      try {
        FileSystem fs = FileSystem.get(URI.create("s3a://" + conf.get("s3adt.e2e.bucket") + "/"),
            conf);
        Class<?> k = fs.getClass();
        count(context, "s3adt", k.getName().equals(S3ADT_FS));
        count(context, "bound", fs.hasPathCapability(new Path("/"),
            "fs.s3adt.capability.delegation.token.bound"));
        File jar = new File(k.getProtectionDomain().getCodeSource().getLocation().toURI());
        // YARN localizes distributed-cache files under a local dir's usercache/.../filecache
        count(context, "from-libjars", jar.getCanonicalPath().contains("/filecache/"));
        count(context, "published-jar", sha256(jar).equals(conf.get("s3adt.e2e.libjars.sha256")));
        boolean only = true;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
          String name = new File(e).getName();
          if (name.startsWith("s3adt") && !name.startsWith("s3adt-e2e") && name.endsWith(".jar")) {
            only &= new File(e).getCanonicalFile().equals(jar.getCanonicalFile());
          }
        }
        count(context, "only-s3adt-jar", only);
      } catch (Exception e) {
        e.printStackTrace();
        context.getCounter(GROUP, "errors").increment(1);
      }
    }

    private static void count(Context context, String name, boolean ok) {
      if (ok) {
        context.getCounter(GROUP, name).increment(1);
      } else {
        System.err.println("s3adt-libjars: check " + name + " failed");
      }
    }

    @Override
    protected void map(LongWritable key, Text value, Context context)
        throws IOException, InterruptedException {
      context.write(value, NullWritable.get());
    }
  }
}
