package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractCreateTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/**
 * Hadoop's create() contract. hadoop-aws runs it twice, with and without S3A's "create
 * performance" mode; s3adt has no such mode (its create always checks what is at and above the
 * path), so it runs once, as S3A without it.
 */
public class S3adtContractCreateTest extends AbstractContractCreateTest {
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }
}
