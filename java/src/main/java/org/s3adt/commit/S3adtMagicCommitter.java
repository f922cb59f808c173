package org.s3adt.commit;

import static org.apache.hadoop.mapreduce.lib.output.committer.manifest.ManifestCommitterConstants.SPARK_WRITE_UUID;
import static org.apache.hadoop.mapreduce.lib.output.committer.manifest.ManifestCommitterConstants.SUCCESS_MARKER;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitter;
import org.s3adt.commit.files.PendingSet;
import org.s3adt.commit.files.SinglePendingCommit;
import org.s3adt.commit.files.SuccessData;
import org.s3adt.fs.Failures;
import org.s3adt.fs.MagicPaths;
import org.s3adt.fs.S3adtFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * s3adt's magic committer: hadoop-aws's protocol, layout and keys without hadoop-aws.
 *
 * <ul>
 * <li>A task attempt writes under {@code <dest>/__magic_job-<uuid>/job-<uuid>/<NN>/tasks/
 * <attempt>/__base/}; s3adt's filesystem turns each file into a multipart upload to its final
 * key that is left uncompleted, and saves a {@code .pending} record beside it.</li>
 * <li>Task commit gathers the attempt's records into {@code <job attempt dir>/<taskId>
 * .pendingset} (a retried attempt's replaces it) and deletes the attempt's directory; task
 * abort aborts the attempt's uploads.</li>
 * <li>Job commit completes every upload of every pending set, {@code fs.s3a.committer.threads}
 * at once (default 8), aborts the uploads of attempts that were never committed (those are
 * this job's alone), writes {@code _SUCCESS} (the JSON of hadoop-aws and the manifest
 * committer) and deletes {@code __magic_job-<uuid>}. Job abort aborts every upload of the
 * job. Only with {@code fs.s3a.committer.abort.pending.uploads=true} (default false, as
 * hadoop-aws since HADOOP-18797) are all uploads under the destination aborted, other jobs'
 * too.</li>
 * </ul>
 *
 * <p>If a completion fails half way through job commit, job commit does what hadoop-aws's
 * ({@code AbstractS3ACommitter.commitPendingUploads}: stop on failure, abort, revert) does: no
 * further upload is completed, the failed one and every one not yet completed are aborted, the
 * files already completed by this job commit are reverted (deleted; an object that was at such a
 * key before the job is gone too, as with hadoop-aws), no {@code _SUCCESS} is written, the
 * job's {@code __magic_job-<uuid>} directory is deleted (with
 * {@code fs.s3a.committer.abort.pending.uploads=true} every upload under the destination is
 * aborted as well) and the job fails with the error of the first failed completion, naming its
 * file. Listing uploads in that clean-up is best effort, as hadoop-aws's: refused, it is logged.
 */
public class S3adtMagicCommitter extends PathOutputCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(S3adtMagicCommitter.class);

  public static final String NAME = S3adtMagicCommitter.class.getName();
  public static final String THREADS = "fs.s3a.committer.threads";
  public static final String ABORT_PENDING_UPLOADS = "fs.s3a.committer.abort.pending.uploads";
  public static final String UUID_KEY = "fs.s3a.committer.uuid";
  public static final String REQUIRE_UUID = "fs.s3a.committer.require.uuid";
  public static final String GENERATE_UUID = "fs.s3a.committer.generate.uuid";
  /** hadoop-aws lists at most this many files in _SUCCESS. */
  public static final int SUCCESS_FILE_LIMIT = 100;

  private final Path dest;
  private final S3adtFileSystem fs;
  private final Configuration conf;
  private final String jobUUID;
  private final String jobUUIDSource;
  private final Path jobDir;
  private final Path jobAttemptDir;
  private final Path workPath;

  public S3adtMagicCommitter(Path outputPath, TaskAttemptContext context) throws IOException {
    super(outputPath, context);
    this.conf = context.getConfiguration();
    this.fs = (S3adtFileSystem) outputPath.getFileSystem(conf);
    this.dest = fs.makeQualified(outputPath);
    String[] uuid = buildJobUUID(conf, String.valueOf(context.getJobID()));
    this.jobUUID = uuid[0];
    this.jobUUIDSource = uuid[1];
    this.jobDir = new Path(dest, MagicPaths.MAGIC_PATH_PREFIX + jobUUID);
    int appAttempt = conf.getInt(MRJobConfig.APPLICATION_ATTEMPT_ID, 0);
    this.jobAttemptDir = new Path(jobDir,
        "job-" + jobUUID + "/" + String.format("%02d", appAttempt));
    this.workPath = context.getTaskAttemptID() == null ? null
        : new Path(taskAttemptDir(context), MagicPaths.BASE);
  }

  /** The job's id as hadoop-aws chooses it: {id, where it came from}. */
  static String[] buildJobUUID(Configuration conf, String jobId) throws IOException {
    String u = conf.getTrimmed(UUID_KEY, "");
    if (!u.isEmpty()) {
      return new String[] {u, UUID_KEY};
    }
    u = conf.getTrimmed(SPARK_WRITE_UUID, "");
    if (!u.isEmpty()) {
      return new String[] {u, SPARK_WRITE_UUID};
    }
    if (conf.getBoolean(REQUIRE_UUID, false)) {
      throw new PathIOException("", "no job UUID: " + REQUIRE_UUID + " is set but neither "
          + UUID_KEY + " nor " + SPARK_WRITE_UUID + " is");
    }
    if (conf.getBoolean(GENERATE_UUID, false)) {
      u = UUID.randomUUID().toString();
      conf.set(UUID_KEY, u);
      return new String[] {u, "generated"};
    }
    return new String[] {jobId, "JobID"};
  }

  private Path taskAttemptDir(TaskAttemptContext context) {
    return new Path(jobAttemptDir, "tasks/" + context.getTaskAttemptID());
  }

  @Override
  public Path getOutputPath() {
    return dest;
  }

  /** Where a task attempt writes: {@code .../tasks/<attempt>/__base}. */
  @Override
  public Path getWorkPath() {
    return workPath;
  }

  public String getJobUUID() {
    return jobUUID;
  }

  /** {@code <dest>/__magic_job-<uuid>}. */
  public Path getJobDir() {
    return jobDir;
  }

  public Path getJobAttemptDir() {
    return jobAttemptDir;
  }

  @Override
  public void setupJob(JobContext context) {
    // nothing to create: keys need no directories, and job commit writes _SUCCESS
  }

  @Override
  public void setupTask(TaskAttemptContext context) {
  }

  @Override
  public boolean needsTaskCommit(TaskAttemptContext context) {
    return true;
  }

  @Override
  public boolean isRecoverySupported() {
    return false;
  }

  /** The .pending records under a directory (none when it is missing), read threads() at once. */
  private List<SinglePendingCommit> loadPending(Path dir, List<Path> failed) throws IOException {
    List<Path> paths = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it;
    try {
      it = fs.listFiles(dir, true);
    } catch (FileNotFoundException e) {
      return new ArrayList<>();
    }
    while (it.hasNext()) {
      Path p = it.next().getPath();
      if (p.getName().endsWith(MagicPaths.PENDING_SUFFIX)) {
        paths.add(p);
      }
    }
    List<SinglePendingCommit> out = new ArrayList<>();
    for (Object c : readAll(paths, failed,
        (json, p) -> SinglePendingCommit.fromBytes(json, p.toString()))) {
      out.add((SinglePendingCommit) c);
    }
    return out;
  }

  /** Parses one small file read by {@link #readAll}. */
  private interface Parser {
    Object parse(byte[] json, Path p) throws IOException;
  }

  /**
   * Reads and parses the small files at these paths, threads() at once (a task's or a job's
   * records are many small GETs: one after the other they were most of a task commit's time).
   * Results in the paths' order; a file gone meanwhile is left out. A failure is thrown (the
   * first in order) or, with {@code failed} given, logged and its path added there.
   */
  private List<Object> readAll(List<Path> paths, List<Path> failed, Parser parser)
      throws IOException {
    List<Object> out = new ArrayList<>();
    if (paths.isEmpty()) {
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads(), paths.size()), r -> {
      Thread t = new Thread(r, "s3adt-commit-read-" + jobUUID);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Object>> reads = new ArrayList<>();
      for (Path p : paths) {
        reads.add(pool.submit(() -> {
          byte[] json = fs.readSmall(fs.keyOf(p));
          return json == null ? null : parser.parse(json, p);
        }));
      }
      for (int i = 0; i < reads.size(); i++) {
        try {
          Object v = reads.get(i).get();
          if (v != null) {
            out.add(v);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("s3adt committer: interrupted reading " + paths.get(i));
        } catch (ExecutionException e) {
          IOException cause = Failures.ioCause(e, paths.get(i) + ": ");
          if (failed == null) {
            throw cause;
          }
          LOG.warn("s3adt committer: cannot load {}: {}", paths.get(i), cause.toString());
          failed.add(paths.get(i));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public void commitTask(TaskAttemptContext context) throws IOException {
    Path taskDir = taskAttemptDir(context);
    List<SinglePendingCommit> commits;
    try {
      commits = loadPending(taskDir, null);
    } catch (IOException e) {
      // the attempt's output cannot all be committed: none of it will be
      abortPending(loadPending(taskDir, new ArrayList<>()));
      throw e;
    }
    PendingSet set = new PendingSet();
    set.jobId = jobUUID;
    String attempt = String.valueOf(context.getTaskAttemptID());
    set.extraData.put(PendingSet.TASK_ATTEMPT_ID, attempt);
    for (SinglePendingCommit c : commits) {
      c.jobId = jobUUID;
      c.taskId = attempt;
      set.commits.add(c);
    }
    Path setPath = new Path(jobAttemptDir,
        context.getTaskAttemptID().getTaskID() + MagicPaths.PENDINGSET_SUFFIX);
    try {
      fs.writeSmall(fs.keyOf(setPath), set.toBytes());
    } catch (IOException e) {
      abortPending(commits);
      throw e;
    }
    fs.delete(taskDir, true);
    LOG.info("s3adt committer: task {} committed {} file(s) to {}", attempt, commits.size(),
        setPath);
  }

  @Override
  public void abortTask(TaskAttemptContext context) throws IOException {
    Path taskDir = taskAttemptDir(context);
    abortPending(loadPending(taskDir, new ArrayList<>()));
    fs.delete(taskDir, true);
  }

  /** Abort each upload; failures are logged (the bucket's lifecycle rules end those). */
  private int abortPending(List<SinglePendingCommit> commits) {
    int n = 0;
    for (SinglePendingCommit c : commits) {
      try {
        fs.abortUpload(c.destinationKey, c.uploadId);
        n++;
      } catch (IOException e) {
        LOG.warn("s3adt committer: aborting the upload of {} failed: {}", c.destinationKey,
            e.toString());
      }
    }
    return n;
  }

  /** The job's committed task attempts' records, read threads() at once. */
  private List<SinglePendingCommit> loadPendingSets(boolean tolerant) throws IOException {
    List<SinglePendingCommit> out = new ArrayList<>();
    FileStatus[] sets;
    try {
      sets = fs.listStatus(jobAttemptDir);
    } catch (FileNotFoundException e) {
      return out;
    }
    List<Path> paths = new ArrayList<>();
    for (FileStatus st : sets) {
      if (st.isFile() && st.getPath().getName().endsWith(MagicPaths.PENDINGSET_SUFFIX)) {
        paths.add(st.getPath());
      }
    }
    for (Object set : readAll(paths, tolerant ? new ArrayList<>() : null,
        (json, p) -> PendingSet.fromBytes(json, p.toString()))) {
      out.addAll(((PendingSet) set).commits);
    }
    return out;
  }

  private int threads() {
    int n = conf.getInt(THREADS, 8);
    return n > 0 ? n : Math.max(1, -n * Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void commitJob(JobContext context) throws IOException {
    long start = System.currentTimeMillis();
    List<SinglePendingCommit> commits = loadPendingSets(false);
    try {
      completeAll(commits);
    } catch (IOException e) {
      // as hadoop-aws's commitJob: the job's own clean-up, its errors logged, then the failure
      int strays = abortPending(loadPending(new Path(jobAttemptDir, "tasks"), new ArrayList<>()));
      LOG.error("s3adt committer: job commit of {} failed, no _SUCCESS; {} uncommitted upload(s) "
          + "of failed attempts aborted: {}", dest, strays, e.toString());
      try {
        cleanup();
      } catch (IOException c) {
        LOG.warn("s3adt committer: clean-up after the failed job commit of {}: {}", dest,
            c.toString());
      }
      throw e;
    }
    // attempts that wrote and were never committed (failed, killed, speculative losers)
    int strays = abortPending(loadPending(new Path(jobAttemptDir, "tasks"), new ArrayList<>()));
    writeSuccess(commits, System.currentTimeMillis() - start, strays);
    cleanup();
    LOG.info("s3adt committer: job {} committed {} file(s) to {} in {} ms", jobUUID,
        commits.size(), dest, System.currentTimeMillis() - start);
  }

  /**
   * Complete every upload, threads() at once. On a failure (hadoop-aws's stop on failure, abort,
   * revert): none is started after it, the failed one and those not completed are aborted, those
   * completed are reverted (their objects deleted); the first failure is thrown, naming its file.
   */
  private void completeAll(List<SinglePendingCommit> commits) throws IOException {
    if (commits.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads(), commits.size()), r -> {
      Thread t = new Thread(r, "s3adt-commit-" + jobUUID);
      t.setDaemon(true);
      return t;
    });
    AtomicBoolean stop = new AtomicBoolean();
    Set<SinglePendingCommit> completed = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (SinglePendingCommit c : commits) {
        done.add(pool.submit(() -> {
          if (stop.get()) {
            return null;
          }
          try {
            fs.completeUpload(c.destinationKey, c.uploadId, c.etags);
          } catch (IOException | RuntimeException e) {
            stop.set(true);
            throw e;
          }
          completed.add(c);
          return null;
        }));
      }
      IOException failure = null;
      for (int i = 0; i < done.size(); i++) {
        try {
          done.get(i).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stop.set(true);
          failure = failure != null ? failure
              : new InterruptedIOException("s3adt committer: interrupted in job commit");
        } catch (ExecutionException e) {
          if (failure == null) {
            SinglePendingCommit c = commits.get(i);
            IOException cause = Failures.ioCause(e, "");
            PathIOException named = new PathIOException(pathOf(c.destinationKey).toString(),
                "s3adt committer: job commit failed completing upload " + c.uploadId + " ("
                    + commits.size() + " in the job): " + cause.getMessage());
            named.initCause(cause);
            failure = named;
          }
        }
      }
      if (failure != null) {
        List<SinglePendingCommit> rest = new ArrayList<>();
        int reverted = 0;
        for (SinglePendingCommit c : commits) {
          if (!completed.contains(c)) {
            rest.add(c);
            continue;
          }
          try {
            fs.delete(pathOf(c.destinationKey), false);
            reverted++;
          } catch (IOException e) {
            LOG.warn("s3adt committer: reverting {} failed: {}", c.destinationKey, e.toString());
          }
        }
        int aborted = abortPending(rest);
        LOG.error("s3adt committer: job commit of {} failed ({}); {} completed file(s) reverted, "
            + "{} upload(s) aborted", dest, failure.getMessage(), reverted, aborted);
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The s3a:// path of a key of this bucket. */
  private Path pathOf(String key) {
    return new Path(new Path(fs.getUri().toString() + "/"), key);
  }

  private void writeSuccess(List<SinglePendingCommit> commits, long millis, int strays)
      throws IOException {
    SuccessData s = new SuccessData();
    long now = System.currentTimeMillis();
    s.timestamp = now;
    s.date = new Date(now).toString();
    try {
      s.hostname = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      s.hostname = "unknown";
    }
    s.committer = NAME;
    s.description = "s3adt magic committer: " + commits.size() + " upload(s) completed";
    s.jobId = jobUUID;
    s.jobIdSource = jobUUIDSource;
    s.state = "COMMITTED";
    s.stage = "job_commit";
    long bytes = 0;
    for (SinglePendingCommit c : commits) {
      bytes += c.length;
      if (s.filenames.size() < SUCCESS_FILE_LIMIT) {
        s.filenames.add("/" + c.destinationKey);
      }
    }
    s.metrics.put("committer_commits_completed", (long) commits.size());
    s.metrics.put("committer_bytes_committed", bytes);
    s.metrics.put("committer_commit_job_millis", millis);
    s.metrics.put("committer_stray_uploads_aborted", (long) strays);
    s.diagnostics.put(THREADS, Integer.toString(threads()));
    s.diagnostics.put(ABORT_PENDING_UPLOADS, Boolean.toString(abortAllPending()));
    fs.writeSmall(fs.keyOf(new Path(dest, SUCCESS_MARKER)), s.toBytes());
  }

  /**
   * {@code fs.s3a.committer.abort.pending.uploads} as set by the user or the site; the
   * {@code true} of hadoop-common 3.4's core-default.xml (from before concurrent jobs, which
   * hadoop-aws's own default {@code false} now serves) is not taken: it would abort every other
   * job's uploads under the destination.
   */
  boolean abortAllPending() {
    String[] sources = conf.getPropertySources(ABORT_PENDING_UPLOADS);
    if (sources != null && sources.length > 0
        && "core-default.xml".equals(sources[sources.length - 1])) {
      return false;
    }
    return conf.getBoolean(ABORT_PENDING_UPLOADS, false);
  }

  /** Delete the job's magic directory; with abort.pending.uploads, abort all under dest. */
  private void cleanup() throws IOException {
    if (abortAllPending()) {
      String prefix = fs.keyOf(dest) + "/";
      List<String[]> all;
      try {
        all = fs.listUploads(prefix);
      } catch (IOException e) {
        // best effort, as hadoop-aws's abortPendingUploadsInCleanup; the message names the
        // action a refusal lacks (s3:ListBucketMultipartUploads)
        LOG.warn("s3adt committer: {}=true but the uploads under {} cannot be listed, none "
            + "aborted beyond this job's own: {}", ABORT_PENDING_UPLOADS, dest, e.getMessage());
        all = new ArrayList<>();
      }
      for (String[] u : all) {
        fs.abortUpload(u[0], u[1]);
      }
    }
    fs.delete(jobDir, true);
  }

  @Override
  public void abortJob(JobContext context, JobStatus.State state) throws IOException {
    int n = abortPending(loadPendingSets(true));
    n += abortPending(loadPending(jobAttemptDir, new ArrayList<>()));
    LOG.info("s3adt committer: job {} aborted ({}): {} upload(s) aborted", jobUUID, state, n);
    cleanup();
  }

  @Override
  public void cleanupJob(JobContext context) throws IOException {
    fs.delete(jobDir, true);
  }

  @Override
  public String toString() {
    return "S3adtMagicCommitter{dest=" + dest + ", job=" + jobUUID + ", work=" + workPath + "}";
  }
}
