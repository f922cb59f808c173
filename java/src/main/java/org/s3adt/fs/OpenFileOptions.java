package org.s3adt.fs;

import java.io.FileNotFoundException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.impl.AbstractFSBuilderImpl;
import org.apache.hadoop.fs.impl.OpenFileParameters;

/** What {@code openFile()}'s options tell {@link S3adtFileSystem}: accepted keys, a known length. */
final class OpenFileOptions {
  private OpenFileOptions() {
  }

  /** S3A's own openFile() options, accepted as mandatory keys beside Hadoop's standard ones. */
  private static final Set<String> S3A_OPEN_OPTIONS = Collections.unmodifiableSet(new HashSet<>(
      Arrays.asList("fs.s3a.readahead.range", "fs.s3a.experimental.input.fadvise",
          "fs.s3a.input.async.drain.threshold")));

  /** {@code Options.OpenFileOptions.FS_OPTION_OPENFILE_LENGTH}, named here (see below). */
  static final String OPENFILE_LENGTH = "fs.option.openfile.length";

  /** {@code Options.OpenFileOptions.FS_OPTION_OPENFILE_BUFFER_SIZE}. */
  static final String OPENFILE_BUFFER_SIZE = "fs.option.openfile.buffer.size";

  /**
   * Hadoop's standard openFile() options and S3A's: {@code Options.OpenFileOptions} (Hadoop 3.3.5
   * on) where it exists, else those of 3.3.5 by name, so s3adt still runs on Hadoop 3.3.4 (Spark
   * 3.5's client), which has no such class.
   */
  private static final Set<String> KNOWN = known();

  private static Set<String> known() {
    Set<String> s = new HashSet<>(Arrays.asList(OPENFILE_BUFFER_SIZE,
        "fs.option.openfile.read.policy", OPENFILE_LENGTH, "fs.option.openfile.split.start",
        "fs.option.openfile.split.end"));
    try {
      s.addAll(Options.OpenFileOptions.FS_OPTION_OPENFILE_STANDARD_OPTIONS);
    } catch (NoClassDefFoundError e) {
      // Hadoop before 3.3.5
    }
    s.addAll(S3A_OPEN_OPTIONS);
    return Collections.unmodifiableSet(s);
  }

  /**
   * Refuses unknown mandatory keys; then the file's length when the caller knows it (a passed
   * {@code FileStatus} of this file, or {@code fs.option.openfile.length}, given trimmed, "" when
   * absent), else -1. As S3A, an unparseable length is not used; a status of another file or of
   * a directory is refused.
   */
  static long knownLength(Path path, Set<String> mandatory, FileStatus status, String length)
      throws FileNotFoundException {
    if (!mandatory.isEmpty()) {
      // the message's path is text made per call: only when there is something to check
      AbstractFSBuilderImpl.rejectUnknownMandatoryKeys(mandatory, KNOWN, "for " + path);
    }
    if (status != null) {
      if (!path.getName().equals(status.getPath().getName())) {
        throw new IllegalArgumentException("The FileStatus of " + status.getPath()
            + " passed to openFile(" + path + ") is not of that file");
      }
      if (status.isDirectory()) {
        throw new FileNotFoundException("Can't open " + path + " because it is a directory");
      }
      return status.getLen();
    }
    if (!length.isEmpty()) {
      try {
        return Long.parseLong(length);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  /** {@code fs.option.openfile.length} among Hadoop's builder's options, trimmed; "" if none. */
  static String lengthOption(OpenFileParameters parameters) {
    return parameters.getOptions() == null ? ""
        : parameters.getOptions().getTrimmed(OPENFILE_LENGTH, "");
  }
}
