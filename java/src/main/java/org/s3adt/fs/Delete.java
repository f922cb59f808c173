package org.s3adt.fs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link S3adtFileSystem#delete}, as S3A's. */
final class Delete {
  private static final Logger LOG = LoggerFactory.getLogger(S3adtFileSystem.class);

  private Delete() {}

  /**
   * Delete as S3A: a missing path is false; a file, or an empty directory, is deleted; a
   * non-empty directory needs {@code recursive} (else PathIsNotEmptyDirectoryException), and
   * then every key under it goes, in batches. The root itself is never deleted: an empty root
   * is true, a non-empty one false when recursive, an error otherwise. {@code path} is qualified.
   */
  static boolean delete(StoreTree tree, FileSystem.Statistics statistics, Path path,
      boolean recursive) throws IOException {
    String key = Keys.key(path);
    if (key.isEmpty()) {
      boolean empty = tree.store().list("", true, 1).isEmpty();
      LOG.info("s3adt: delete of the root of {} (empty: {}, recursive: {}) refused",
          tree.uri(), empty, recursive);
      if (empty) {
        return true;
      }
      if (recursive) {
        return false;
      }
      throw new PathIOException(tree.uri().getHost(), "Cannot delete root path");
    }
    S3adtFileStatus status = tree.probe(path, key);
    if (status == null) {
      return false;
    }
    statistics.incrementWriteOps(1);
    if (status.isFile()) {
      tree.store().deleteKeys(Collections.singletonList(key));
    } else {
      String prefix = Keys.dirPrefix(key);
      if (tree.isEmptyDirectory(key)) {
        tree.store().deleteKeys(Collections.singletonList(prefix));
      } else {
        if (!recursive) {
          throw new PathIsNotEmptyDirectoryException(path.toString());
        }
        List<ObjectStore.Entry> entries = tree.store().list(prefix, true, 0);
        List<String> keys = new ArrayList<>(entries.size() + 1);
        for (ObjectStore.Entry e : entries) {
          keys.add(e.key);
        }
        if (!keys.contains(prefix)) {
          keys.add(prefix);
        }
        tree.store().deleteKeys(keys);
      }
    }
    tree.keepParentDirectory(path);
    return true;
  }
}
