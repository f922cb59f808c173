package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractGetFileStatusTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.Rule;
import org.junit.rules.TestRule;

/**
 * Hadoop's getFileStatus() and listing contract, with LIST pages of two keys
 * ({@code fs.s3a.paging.maximum}), as hadoop-aws runs it, so that every listing takes several
 * pages.
 */
public class S3adtContractGetFileStatusTest extends AbstractContractGetFileStatusTest {
  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    conf.setInt("fs.s3a.paging.maximum", 2);
    return S3adtContract.ownInstance(conf);
  }
}
