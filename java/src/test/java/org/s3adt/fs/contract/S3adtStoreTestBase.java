package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.fs.contract.AbstractFSContractTestBase;

/**
 * A test of s3adt beyond Hadoop's contract on the contract's store ({@link S3adtContract}: moto
 * from tests/java/run.sh, or RGW with S3ADT_CONTRACT_STORE=rgw).
 */
public abstract class S3adtStoreTestBase extends AbstractFSContractTestBase {
  protected static final int MIB = 1024 * 1024;

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }
}
