package org.s3adt.commit.manifest;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.mapreduce.lib.output.committer.manifest.TestCreateOutputDirectoriesStage;
import org.s3adt.fs.contract.S3adtContract;

/** The manifest committer's stage that creates the output directories, with s3adt as its store. */
public class S3adtManifestCreateOutputDirectoriesStageTest extends TestCreateOutputDirectoriesStage {
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }
}
