package org.s3adt.fs.contract;

import static org.apache.hadoop.fs.contract.ContractTestUtils.dataset;
import static org.apache.hadoop.fs.contract.ContractTestUtils.verifyFileContents;
import static org.apache.hadoop.fs.contract.ContractTestUtils.writeDataset;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractContractRenameTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/**
 * Hadoop's rename() contract. One case differs, as it does for S3A in hadoop-aws: a directory
 * renamed onto a non-empty directory is refused with false (S3A's semantics) where the
 * filesystem specification moves it underneath.
 */
public class S3adtContractRenameTest extends AbstractContractRenameTest {
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new S3adtContract(conf);
  }

  @Override
  public void testRenameDirIntoExistingDir() throws Throwable {
    describe("As S3A: renaming a directory onto a non-empty directory returns false"
        + " and changes neither");
    FileSystem fs = getFileSystem();
    Path src = path("source");
    Path srcFile = new Path(src, "source-256.txt");
    byte[] srcData = dataset(256, 'a', 'z');
    writeDataset(fs, srcFile, srcData, srcData.length, 1024, false);
    Path dest = path("dest");
    Path destFile = new Path(dest, "dest-512.txt");
    byte[] destData = dataset(512, 'A', 'Z');
    writeDataset(fs, destFile, destData, destData.length, 1024, false);

    assertFalse("rename onto a non-empty directory", fs.rename(src, dest));
    verifyFileContents(fs, srcFile, srcData);
    verifyFileContents(fs, destFile, destData);
    assertPathDoesNotExist("nothing moved underneath", new Path(dest, "source"));
  }
}
