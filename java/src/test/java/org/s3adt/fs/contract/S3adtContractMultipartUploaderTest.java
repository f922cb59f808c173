package org.s3adt.fs.contract;

import java.io.FileNotFoundException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractMultipartUploaderTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.rules.TestRule;

/**
 * Hadoop's {@code MultipartUploader} contract on s3adt's uploader
 * ({@code FileSystem.createMultipartUploader}), as hadoop-aws runs it on S3A
 * (ITestS3AContractMultipartUploader), with S3's rules declared in {@code contract/s3adt.xml}:
 * <ul>
 *   <li>{@code fs.contract.multipart-uploader.min-part-size}: every part but the last must be at
 *       least 5 MiB (S3's EntityTooSmall), so the suite's parts are that size; three of them, as
 *       for S3A.</li>
 *   <li>{@code fs.contract.multipart-uploader.concurrent-uploads-to-same-path}: S3 allows any
 *       number of uploads to one key; the last completed wins.</li>
 *   <li>{@code fs.contract.multipart-uploader.finalize-consumes-upload-id}: false, as on S3 (see
 *       the XML).</li>
 * </ul>
 * Unlike S3A, which skips them, the directory-in-the-way case runs (s3adt's complete refuses a
 * key with objects under it) and so does the reverse-order case (S3A skips it for speed).
 */
public class S3adtContractMultipartUploaderTest extends AbstractContractMultipartUploaderTest {
  static final String MIN_PART_SIZE = "multipart-uploader.min-part-size";
  static final String CONCURRENT = "multipart-uploader.concurrent-uploads-to-same-path";
  static final String CONSUMES_ID = "multipart-uploader.finalize-consumes-upload-id";

  @Rule public final TestRule ownInstance = S3adtContract.closesOwnInstance(this::getFileSystem);

  /**
   * A complete of an aborted upload is an HTTP 500 on both test stores where S3 answers
   * NoSuchUpload: on moto (its internal KeyError; a part too) and on RGW ("This multipart
   * completion is already in progress"). s3adt retries a 500 as transient, so this suite uses
   * few and short retries: the abort case takes a second, not half a minute or a minute.
   */
  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    Assume.assumeFalse("S3ADT_CONTRACT_STORE=memory: the uploader goes to libs3adt.so, which the "
        + "in-JVM store does not back", "memory".equals(ContractTarget.store()));
    conf.setInt("fs.s3a.retry.limit", 1);
    conf.set("fs.s3a.retry.interval", "10ms");
    return S3adtContract.ownInstance(conf);
  }

  private String option(String name) {
    String v = getContract().getConf().getTrimmed("fs.contract." + name);
    if (v == null) {
      throw new IllegalStateException("fs.contract." + name + " is not set in "
          + S3adtContract.CONTRACT_XML);
    }
    return v;
  }

  @Override
  protected int partSizeInBytes() {
    return Integer.parseInt(option(MIN_PART_SIZE));
  }

  @Override
  protected int getTestPayloadCount() {
    return 3;
  }

  @Override
  protected boolean finalizeConsumesUploadIdImmediately() {
    return Boolean.parseBoolean(option(CONSUMES_ID));
  }

  @Override
  protected boolean supportsConcurrentUploadsToSamePath() {
    return Boolean.parseBoolean(option(CONCURRENT));
  }

  /**
   * As hadoop-aws: the case ends with a second abort, which S3 answers with NoSuchUpload
   * (FileNotFoundException) although a second complete succeeds; the suite expects both alike.
   * Every step before it (abort, then a part and a complete that must fail, nothing visible)
   * is asserted as written.
   */
  @Override
  public void testMultipartUploadAbort() throws Exception {
    try {
      super.testMultipartUploadAbort();
    } catch (FileNotFoundException e) {
      LOG.info("second abort of an aborted upload: {}", e.toString());
      assertPathDoesNotExist("aborted upload", methodPath());
    }
  }
}
