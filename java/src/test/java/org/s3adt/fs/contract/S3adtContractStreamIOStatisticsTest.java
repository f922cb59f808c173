package org.s3adt.fs.contract;

import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractStreamIOStatisticsTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.fs.statistics.StreamStatisticNames;

/** Hadoop's stream IOStatistics contract, with the statistics s3adt's streams keep. */
public class S3adtContractStreamIOStatisticsTest extends AbstractContractStreamIOStatisticsTest {
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }

  @Override
  public List<String> inputStreamStatisticKeys() {
    return Arrays.asList(StreamStatisticNames.STREAM_READ_BYTES,
        StreamStatisticNames.STREAM_READ_OPERATIONS,
        StreamStatisticNames.STREAM_READ_SEEK_OPERATIONS,
        StreamStatisticNames.STREAM_READ_UNBUFFERED,
        StreamStatisticNames.STREAM_READ_EXCEPTIONS,
        StreamStatisticNames.STREAM_READ_CLOSE_OPERATIONS);
  }

  @Override
  public List<String> outputStreamStatisticKeys() {
    return Arrays.asList(StreamStatisticNames.STREAM_WRITE_BYTES,
        StreamStatisticNames.STREAM_WRITE_EXCEPTIONS,
        StreamStatisticNames.STREAM_WRITE_EXCEPTIONS_COMPLETING_UPLOADS);
  }
}
