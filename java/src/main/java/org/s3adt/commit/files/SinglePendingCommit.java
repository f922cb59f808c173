package org.s3adt.commit.files;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One file written under a magic path: a multipart upload to its final key whose parts are
 * uploaded and which is not completed. Saved as {@code <magic path>.pending}, JSON with the
 * field names of hadoop-aws's {@code SinglePendingCommit} (version 2), so an operator who reads
 * S3A's files reads these.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SinglePendingCommit {
  public static final int VERSION = 2;
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  public int version = VERSION;
  /** The magic path the task wrote. */
  public String filename = "";
  /** The final object's URI, {@code s3a://bucket/key}. */
  public String uri = "";
  public String uploadId = "";
  public String bucket = "";
  public String destinationKey = "";
  public long created;
  public long saved;
  public String date = "";
  public String jobId = "";
  public String taskId = "";
  public String text = "";
  /** The parts' etags, part 1 first. */
  public List<String> etags = new ArrayList<>();
  public Map<String, String> extraData = new TreeMap<>();
  public long length;

  public byte[] toBytes() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  public static SinglePendingCommit fromBytes(byte[] json, String where) throws IOException {
    SinglePendingCommit c;
    try {
      c = JSON.readValue(json, SinglePendingCommit.class);
    } catch (IOException e) {
      throw new IOException("s3adt: " + where + " is not a pending commit: " + e.getMessage(), e);
    }
    c.validate(where);
    return c;
  }

  /** Fails naming {@code where} when a field needed to complete or abort is missing. */
  public void validate(String where) throws IOException {
    if (version != VERSION || isEmpty(uploadId) || isEmpty(destinationKey) || isEmpty(bucket)
        || etags == null || etags.isEmpty()) {
      throw new IOException("s3adt: " + where + " is not a complete pending commit (version "
          + version + ", upload id, bucket, destination key and etags needed)");
    }
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  @Override
  public String toString() {
    return "SinglePendingCommit{" + destinationKey + ", upload " + uploadId + ", " + etags.size()
        + " parts, " + length + " bytes}";
  }
}
