package org.s3adt.fs.contract;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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

  /**
   * The set-up of a suite that sets options of its own (createConfiguration): {@code conf}, the
   * suite's configuration, asks for a filesystem instance of its own, since the cached one
   * would carry another suite's options. The suite closes it with {@link #closeOwnInstance}
   * in teardown.
   */
  static Configuration ownInstance(Configuration conf) {
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    return conf;
  }

  /** At a suite's teardown: its own instance (see {@link #ownInstance}), if it made one. */
  static void closeOwnInstance(FileSystem fs) throws IOException {
    if (fs != null) {
      fs.close();
    }
  }

  @Override
  public String getScheme() {
    return "s3a";
  }
}
