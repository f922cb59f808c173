package org.s3adt.fs.contract;

import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.contract.AbstractBondedFSContract;
import org.junit.rules.TestRule;
import org.junit.runners.model.Statement;

/**
 * The filesystem contract of s3adt for {@code s3a://}: the options declared in
 * {@code contract/s3adt.xml} (S3's semantics, as hadoop-aws's {@code contract/s3a.xml} declares
 * them for S3A), on the store {@link ContractTarget} picks; on Ozone with the differences
 * {@code contract/s3adt-ozone.xml} declares.
 */
public class S3adtContract extends AbstractBondedFSContract {
  public static final String CONTRACT_XML = "contract/s3adt.xml";
  /** Where Apache Ozone's S3 gateway differs from S3, on top (S3ADT_CONTRACT_STORE=ozone). */
  public static final String OZONE_XML = "contract/s3adt-ozone.xml";

  public S3adtContract(Configuration conf) {
    super(conf);
    addConfResource(CONTRACT_XML);
    if ("ozone".equals(ContractTarget.store())) {
      addConfResource(OZONE_XML);
    }
    ContractTarget.configure(conf);
  }

  /**
   * The contract of a suite that sets options of its own on {@code conf}: it asks for a
   * filesystem instance of its own, since the cached one would carry another suite's options.
   * The suite closes it with the rule {@link #closesOwnInstance}.
   */
  public static S3adtContract ownInstance(Configuration conf) {
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    return new S3adtContract(conf);
  }

  /**
   * The rule of a suite with its own instance (see {@link #ownInstance}): closes it after each
   * case, after the suite's teardown, which still uses it.
   */
  public static TestRule closesOwnInstance(Supplier<FileSystem> fs) {
    return (base, description) -> new Statement() {
      @Override
      public void evaluate() throws Throwable {
        try {
          base.evaluate();
        } finally {
          FileSystem own = fs.get();
          if (own != null) {
            own.close();
          }
        }
      }
    };
  }

  @Override
  public String getScheme() {
    return "s3a";
  }
}
