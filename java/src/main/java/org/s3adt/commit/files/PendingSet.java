package org.s3adt.commit.files;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one committed task attempt wrote: its {@link SinglePendingCommit}s, saved at task
 * commit as {@code <job attempt dir>/<taskId>.pendingset} (a later attempt of the same task
 * replaces it). JSON with the field names of hadoop-aws's {@code PendingSet} (version 3).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class PendingSet {
  public static final int VERSION = 3;
  public static final String TASK_ATTEMPT_ID = "task.attempt.id";

  public int version = VERSION;
  public String jobId = "";
  public List<SinglePendingCommit> commits = new ArrayList<>();
  public Map<String, String> extraData = new TreeMap<>();

  public byte[] toBytes() throws IOException {
    return SinglePendingCommit.JSON.writeValueAsBytes(this);
  }

  public static PendingSet fromBytes(byte[] json, String where) throws IOException {
    PendingSet s;
    try {
      s = SinglePendingCommit.JSON.readValue(json, PendingSet.class);
    } catch (IOException e) {
      throw new IOException("s3adt: " + where + " is not a pending set: " + e.getMessage(), e);
    }
    if (s.version != VERSION || s.commits == null) {
      throw new IOException("s3adt: " + where + " is not a version " + VERSION + " pending set");
    }
    for (SinglePendingCommit c : s.commits) {
      c.validate(where);
    }
    return s;
  }
}
