package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractBondedFSContract;

/**
 * The filesystem contract of s3adt for {@code s3a://}: the options declared in
 * {@code contract/s3adt.xml} (S3's semantics, as hadoop-aws's {@code contract/s3a.xml} declares
 * them for S3A), on the store {@link ContractTarget} picks.
 */
public class S3adtContract extends AbstractBondedFSContract {
  public static final String CONTRACT_XML = "contract/s3adt.xml";

  public S3adtContract(Configuration conf) {
    super(conf);
    addConfResource(CONTRACT_XML);
    ContractTarget.configure(conf);
  }

  @Override
  public String getScheme() {
    return "s3a";
  }
}
