package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractGetFileStatusTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/**
 * Hadoop's getFileStatus() and listing contract, with LIST pages of two keys
 * ({@code fs.s3a.paging.maximum}), as hadoop-aws runs it, so that every listing takes several
 * pages.
 */
public class S3adtContractGetFileStatusTest extends AbstractContractGetFileStatusTest {
  @Override
  protected Configuration createConfiguration() {
    // its own instance, closed in teardown: a cached one would have another configuration
    Configuration conf = S3adtContract.ownInstance(super.createConfiguration());
    conf.setInt("fs.s3a.paging.maximum", 2);
    return conf;
  }

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }

  @Override
  public void teardown() throws Exception {
    super.teardown();
    S3adtContract.closeOwnInstance(getFileSystem());
  }
}
