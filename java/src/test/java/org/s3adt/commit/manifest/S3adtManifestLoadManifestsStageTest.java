package org.s3adt.commit.manifest;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.mapreduce.lib.output.committer.manifest.TestLoadManifestsStage;
import org.junit.Rule;
import org.junit.rules.TestRule;
import org.s3adt.fs.contract.S3adtContract;

/**
 * The manifest committer's stage that loads the task manifests, with s3adt as its store: the
 * suite's 2,000 task attempts in a full run (S3ADT_MANIFEST_FULL=1; 575 s on moto), 100 in CI.
 */
public class S3adtManifestLoadManifestsStageTest extends TestLoadManifestsStage {
  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return S3adtContract.ownInstance(conf);
  }

  @Override
  protected int numberOfTaskAttempts() {
    return ManifestSuites.FULL ? super.numberOfTaskAttempts() : 100;
  }
}
