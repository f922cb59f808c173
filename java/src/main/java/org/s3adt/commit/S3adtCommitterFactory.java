package org.s3adt.commit;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitterFactory;
import org.s3adt.fs.MagicPaths;
import org.s3adt.fs.S3adtFileSystem;

/**
 * The committer factory for {@code s3a://} over s3adt:
 * {@code mapreduce.outputcommitter.factory.scheme.s3a=org.s3adt.commit.S3adtCommitterFactory}.
 * {@code fs.s3a.committer.name} chooses, as in hadoop-aws: {@code magic} is
 * {@link S3adtMagicCommitter}; {@code file} (hadoop-common's default) Hadoop's
 * {@code FileOutputCommitter}; hadoop-aws's staging committers ({@code directory},
 * {@code partitioned}) are not offered.
 */
public class S3adtCommitterFactory extends PathOutputCommitterFactory {
  public static final String COMMITTER_NAME = "fs.s3a.committer.name";
  public static final String MAGIC = "magic";
  public static final String FILE = "file";

  @Override
  public PathOutputCommitter createOutputCommitter(Path outputPath, TaskAttemptContext context)
      throws IOException {
    Configuration conf = context.getConfiguration();
    String name = conf.getTrimmed(COMMITTER_NAME, FILE);
    switch (name) {
      case FILE:
        return new FileOutputCommitter(outputPath, context);
      case MAGIC:
        if (outputPath == null) {
          throw new PathIOException("", "s3adt's magic committer needs an output path");
        }
        FileSystem fs = outputPath.getFileSystem(conf);
        if (!(fs instanceof S3adtFileSystem)) {
          throw new PathIOException(outputPath.toString(), "s3adt's magic committer needs "
              + "fs.s3a.impl=" + S3adtFileSystem.class.getName() + ", not " + fs.getClass().getName());
        }
        if (!fs.hasPathCapability(outputPath, MagicPaths.CAPABILITY_MAGIC_COMMITTER)) {
          throw new PathIOException(outputPath.toString(), "the magic committer is disabled ("
              + MagicPaths.MAGIC_COMMITTER_ENABLED + "=false)");
        }
        return new S3adtMagicCommitter(outputPath, context);
      default:
        throw new PathIOException(outputPath == null ? "" : outputPath.toString(),
            COMMITTER_NAME + "=" + name + ": s3adt offers \"" + MAGIC + "\" and \"" + FILE + "\"");
    }
  }
}
