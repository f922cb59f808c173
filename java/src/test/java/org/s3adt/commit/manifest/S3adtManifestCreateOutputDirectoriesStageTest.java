package org.s3adt.commit.manifest;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.mapreduce.lib.output.committer.manifest.TestCreateOutputDirectoriesStage;
import org.junit.Rule;
import org.junit.rules.TestRule;
import org.s3adt.fs.contract.S3adtContract;

/** The manifest committer's stage that creates the output directories, with s3adt as its store. */
public class S3adtManifestCreateOutputDirectoriesStageTest extends TestCreateOutputDirectoriesStage {
  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return S3adtContract.ownInstance(conf);
  }
}
