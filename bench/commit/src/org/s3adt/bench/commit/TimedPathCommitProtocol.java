package org.s3adt.bench.commit;

import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage;
import org.apache.spark.internal.io.cloud.PathOutputCommitProtocol;
import scala.collection.immutable.Seq;

/**
 * spark-hadoop-cloud's PathOutputCommitProtocol (the committer comes from
 * mapreduce.outputcommitter.factory.scheme.s3a: s3adt's or hadoop-aws's magic committer),
 * timing commitJob and commitTask. Nothing else changes.
 */
// duplicates: deliberate. Spark instantiates a commit protocol by class name, so each superclass
// (PathOutputCommitProtocol, SQLHadoopMapReduceCommitProtocol) needs its own timed subclass.
public class TimedPathCommitProtocol extends PathOutputCommitProtocol {
  private static final long serialVersionUID = 1L;

  public TimedPathCommitProtocol(String jobId, String dest, boolean dynamicPartitionOverwrite) {
    super(jobId, dest, dynamicPartitionOverwrite);
  }

  @Override
  public void commitJob(JobContext job, Seq<TaskCommitMessage> taskCommits) {
    CommitTimes.job(getClass(), () -> super.commitJob(job, taskCommits));
  }

  @Override
  public TaskCommitMessage commitTask(TaskAttemptContext task) {
    return CommitTimes.task(() -> super.commitTask(task));
  }
}
