package org.s3adt.commit.manifest;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.mapreduce.lib.output.committer.manifest.TestTaskManifestFileIO;
import org.junit.Rule;
import org.junit.rules.TestRule;
import org.s3adt.fs.contract.S3adtContract;

/** Task manifests saved and loaded through s3adt. */
public class S3adtManifestTaskManifestFileIOTest extends TestTaskManifestFileIO {
  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return S3adtContract.ownInstance(conf);
  }
}
