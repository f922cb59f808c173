package org.s3adt.commit.manifest;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.mapreduce.lib.output.committer.manifest.TestCommitTaskStage;
import org.s3adt.fs.contract.S3adtContract;

/** The manifest committer's task commit stage with s3adt as its store. */
public class S3adtManifestCommitTaskStageTest extends TestCommitTaskStage {
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }

  @Override
  public void setup() throws Exception {
    ManifestSuites.onlyInFullRun("57 s on moto");
    super.setup();
  }
}
