package org.s3adt.fs;

import java.io.IOException;
import java.text.SimpleDateFormat;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.hadoop.fs.Path;
import org.s3adt.commit.files.SinglePendingCommit;

/**
 * A file written under a magic path (see {@link MagicPaths}): its bytes go to a multipart upload
 * to the final key, which close leaves uncompleted; close then saves
 * {@code <magic path>.pending} (a {@link SinglePendingCommit}) for task commit, and a
 * zero-length object at the magic path so that the file the task wrote exists (its written
 * length is in the .pending file, which {@code getXAttr(path, XA_MAGIC_MARKER)} reads).
 */
final class MagicCommitTracker {
  private final S3adtFileSystem fs;
  private final Path path;
  private final String magicKey;
  private final String finalKey;
  private final String bucket;

  MagicCommitTracker(S3adtFileSystem fs, Path path, String magicKey, String finalKey,
      String bucket) {
    this.fs = fs;
    this.path = path;
    this.magicKey = magicKey;
    this.finalKey = finalKey;
    this.bucket = bucket;
  }

  String finalKey() {
    return finalKey;
  }

  /** {uploadId, length, etags...} from the closed stream: record them. */
  void aboutToComplete(String[] pending) throws IOException {
    if (pending == null || pending.length < 3) {
      throw new IOException("s3adt: closing " + path + " gave no pending upload");
    }
    SinglePendingCommit c = new SinglePendingCommit();
    long now = System.currentTimeMillis();
    c.filename = path.toString();
    c.uri = "s3a://" + bucket + "/" + finalKey;
    c.uploadId = pending[0];
    c.bucket = bucket;
    c.destinationKey = finalKey;
    c.created = now;
    c.saved = now;
    SimpleDateFormat iso = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
    iso.setTimeZone(TimeZone.getTimeZone("UTC"));
    c.date = iso.format(new Date(now));
    c.length = Long.parseLong(pending[1]);
    c.etags.addAll(Arrays.asList(pending).subList(2, pending.length));
    try {
      ObjectStore store = fs.store();
      ObjectStore.Writer w = store.openWrite(magicKey + MagicPaths.PENDING_SUFFIX);
      byte[] json = c.toBytes();
      w.write(json, 0, json.length);
      w.complete();
      store.putEmpty(magicKey);
    } catch (IOException | RuntimeException e) {
      // nobody will ever know this upload: abort it rather than leave it to the lifecycle rules
      fs.abortUpload(finalKey, c.uploadId);
      throw e;
    }
  }
}
