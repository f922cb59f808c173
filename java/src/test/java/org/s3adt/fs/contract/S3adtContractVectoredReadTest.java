package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractVectoredReadTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * Hadoop's vectored-read contract, into heap and direct buffers. s3adt reads each range with a
 * positioned readFully (Hadoop's default readVectored).
 */
@RunWith(Parameterized.class)
public class S3adtContractVectoredReadTest extends AbstractContractVectoredReadTest {
  public S3adtContractVectoredReadTest(String bufferType) {
    super(bufferType);
  }

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }
}
