package org.s3adt.commit.manifest;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.mapreduce.lib.output.committer.manifest.TestCommitTaskStage;
import org.junit.Rule;
import org.junit.rules.TestRule;
import org.s3adt.fs.contract.S3adtContract;

/** The manifest committer's task commit stage with s3adt as its store. */
public class S3adtManifestCommitTaskStageTest extends TestCommitTaskStage {
  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return S3adtContract.ownInstance(conf);
  }

  @Override
  public void setup() throws Exception {
    ManifestSuites.onlyInFullRun("57 s on moto");
    super.setup();
  }
}
