package org.s3adt.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSMainOperationsBaseTest;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.Assume;

/**
 * Hadoop's FSMainOperationsBaseTest (working directory, globbing, listing filters, writes of a
 * block and more, rename with options) on s3adt, as hadoop-aws runs it on S3A. The two cases
 * that make a directory unreadable with setPermission are skipped, as hadoop-aws skips them: an
 * object store has no permissions (setPermission does nothing).
 */
public class S3adtFSMainOperationsTest extends FSMainOperationsBaseTest {
  public S3adtFSMainOperationsTest() {
    super("/test-main-operations");
  }

  @Override
  public void setUp() throws Exception {
    AbstractFSContract contract = new S3adtContract(new Configuration());
    contract.init();
    fSys = contract.getTestFileSystem();
    super.setUp();
  }

  @Override
  protected FileSystem createFileSystem() {
    return fSys;
  }

  @Override
  public void testListStatusThrowsExceptionForUnreadableDir() {
    Assume.assumeTrue("no permissions in an object store (as S3A)", false);
  }

  @Override
  public void testGlobStatusThrowsExceptionForUnreadableDir() {
    Assume.assumeTrue("no permissions in an object store (as S3A)", false);
  }
}
