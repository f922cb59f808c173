package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.io.wrappedio.impl.TestWrappedIO;

/**
 * Hadoop's WrappedIO (the reflection-friendly API libraries such as Parquet and Iceberg call:
 * openFile, bulk delete, path capabilities, statistics) on s3adt, as hadoop-aws runs it on S3A.
 */
public class S3adtWrappedIOTest extends TestWrappedIO {
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }
}
