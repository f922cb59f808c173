package org.s3adt.commit.files;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code _SUCCESS} as hadoop-aws's {@code SuccessData} and the manifest committer's
 * {@code ManifestSuccessData} write it (same name string and field names: either class loads
 * it), written here rather than through {@code ManifestSuccessData} because Hadoop clients
 * before 3.3.5 (Spark 3.5's 3.3.4) lack that class.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SuccessData {
  /** The name both hadoop-aws and the manifest committer check. */
  public static final String NAME = "org.apache.hadoop.fs.s3a.commit.files.SuccessData/1";

  public String name = NAME;
  public boolean success = true;
  public long timestamp;
  public String date = "";
  public String hostname = "";
  public String committer = "";
  public String description = "";
  public String jobId = "";
  public String jobIdSource = "";
  public Map<String, Long> metrics = new TreeMap<>();
  public Map<String, String> diagnostics = new TreeMap<>();
  /** At most 100 of the committed files' keys, each with a leading "/". */
  public List<String> filenames = new ArrayList<>();
  /** An empty IOStatisticsSnapshot, as the readers expect the field. */
  public Map<String, Map<String, Object>> iostatistics = new TreeMap<>();
  public String state = "";
  public String stage = "";

  public SuccessData() {
    for (String k : new String[] {"counters", "gauges", "minimums", "maximums", "meanstatistics"}) {
      iostatistics.put(k, new TreeMap<>());
    }
  }

  public byte[] toBytes() throws IOException {
    return SinglePendingCommit.JSON.writeValueAsBytes(this);
  }

  public static SuccessData fromBytes(byte[] json) throws IOException {
    return SinglePendingCommit.JSON.readValue(json, SuccessData.class);
  }
}
