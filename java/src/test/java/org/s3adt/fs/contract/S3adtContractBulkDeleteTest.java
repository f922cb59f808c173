package org.s3adt.fs.contract;

import static org.apache.hadoop.fs.contract.ContractTestUtils.touch;
import static org.apache.hadoop.io.wrappedio.WrappedIO.bulkDelete_delete;

import java.util.Arrays;
import java.util.Collections;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractContractBulkDeleteTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.test.LambdaTestUtils;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestRule;

/**
 * Hadoop's bulk-delete contract (Hadoop 3.4.1's BulkDelete API) with a page of 20 paths
 * ({@code fs.s3a.bulk.delete.page.size}), as hadoop-aws runs it. As for S3A, a bulk delete
 * deletes objects and never probes for directories: a directory's path is deleted "successfully"
 * and the directory, its marker and its contents stay; so the cases that expect a non-empty
 * directory to be reported as a failure expect S3A's outcome here.
 */
public class S3adtContractBulkDeleteTest extends AbstractContractBulkDeleteTest {
  static final int PAGE = 20;

  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    conf.setInt("fs.s3a.bulk.delete.page.size", PAGE);
    return S3adtContract.ownInstance(conf);
  }

  @Override
  protected int getExpectedPageSize() {
    return PAGE;
  }

  @Override
  public void testDeletePathsDirectory() throws Exception {
    Path dir = new Path(basePath, "dir");
    Path file = new Path(dir, "file");
    fs.mkdirs(dir);
    touch(fs, file);
    assertSuccessfulBulkDelete(bulkDelete_delete(getFileSystem(), basePath,
        Arrays.asList(dir, file)));
    assertPathDoesNotExist("the file was deleted", file);
    assertIsDirectory(dir);
  }

  @Override
  public void testBulkDeleteParentDirectoryWithDirectories() throws Exception {
    Path dir = new Path(basePath, "dir");
    Path sub = new Path(dir, "subdir");
    fs.mkdirs(sub);
    bulkDeleteKeepsDirectory(dir);
    assertIsDirectory(sub);
  }

  @Override
  public void testBulkDeleteParentDirectoryWithFiles() throws Exception {
    Path dir = new Path(basePath, "dir");
    Path file = new Path(dir, "file");
    touch(fs, file);
    bulkDeleteKeepsDirectory(dir);
    assertIsFile(file);
  }

  /** As S3A: a bulk delete of a directory that holds something "succeeds" and leaves it. */
  private void bulkDeleteKeepsDirectory(Path dir) throws Exception {
    assertSuccessfulBulkDelete(bulkDelete_delete(getFileSystem(), basePath,
        Collections.singletonList(dir)));
    assertIsDirectory(dir);
  }

  @Test
  public void testZeroPageSizeIsRejected() throws Exception {
    Configuration conf = new Configuration(getFileSystem().getConf());
    conf.setInt("fs.s3a.bulk.delete.page.size", 0);
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    try (FileSystem other = FileSystem.newInstance(getFileSystem().getUri(), conf)) {
      LambdaTestUtils.intercept(IllegalArgumentException.class,
          () -> other.createBulkDelete(basePath));
    }
  }
}
