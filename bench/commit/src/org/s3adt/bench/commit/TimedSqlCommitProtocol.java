package org.s3adt.bench.commit;

import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage;
import org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol;
import scala.collection.immutable.Seq;

/**
 * Spark's default commit protocol (SQLHadoopMapReduceCommitProtocol: the FileOutputCommitter
 * when the factory for s3a:// is FileOutputCommitterFactory), timing commitJob and commitTask.
 * Nothing else changes.
 */
// duplicates: deliberate. Spark instantiates a commit protocol by class name, so each superclass
// (PathOutputCommitProtocol, SQLHadoopMapReduceCommitProtocol) needs its own timed subclass.
public class TimedSqlCommitProtocol extends SQLHadoopMapReduceCommitProtocol {
  private static final long serialVersionUID = 1L;

  public TimedSqlCommitProtocol(String jobId, String dest, boolean dynamicPartitionOverwrite) {
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
