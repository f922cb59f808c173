package org.s3adt.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link S3adtFileSystem#rename}: by copy and delete, as S3A, with a directory's copies run
 * {@link #RENAME_PARALLEL_COPIES} at a time on a pool of this filesystem's own (started at the
 * first directory rename, stopped at close).
 */
final class Rename {
  private static final Logger LOG = LoggerFactory.getLogger(S3adtFileSystem.class);

  /** The copies of a directory rename run this many at a time, as S3A's. */
  static final int RENAME_PARALLEL_COPIES = 10;

  private final S3adtFileSystem fs;
  private final StoreTree tree;
  private final String bucket;
  private ExecutorService copyPool;

  Rename(S3adtFileSystem fs, StoreTree tree, String bucket) {
    this.fs = fs;
    this.tree = tree;
    this.bucket = bucket;
  }

  /** A rename that is refused with false, not an exception. */
  private static final class RenameRefused extends IOException {
    private static final long serialVersionUID = 1L;

    RenameRefused(Path src, Path dst, String why) {
      super("rename " + src + " to " + dst + ": " + why);
    }
  }

  /** As {@link S3adtFileSystem#rename}; the paths are qualified. */
  boolean rename(Path src, Path dst) throws IOException {
    try {
      innerRename(src, dst);
      return true;
    } catch (RenameRefused e) {
      LOG.debug("rename({}, {}) refused: {}", src, dst, e.getMessage());
      return false;
    } catch (FileNotFoundException e) {
      LOG.debug("rename({}, {}): {}", src, dst, e.toString());
      return false;
    }
  }

  private void innerRename(Path src, Path dst) throws IOException {
    String srcKey = Keys.key(src);
    String dstKey = Keys.key(dst);
    if (srcKey.isEmpty()) {
      throw new RenameRefused(src, dst, "the source is the root directory");
    }
    if (dstKey.isEmpty()) {
      throw new RenameRefused(src, dst, "the destination is the root directory");
    }
    S3adtFileStatus srcStatus = tree.probe(src, srcKey);
    if (srcStatus == null) {
      throw new FileNotFoundException("rename source " + src + " not found");
    }
    if (srcKey.equals(dstKey)) {
      if (srcStatus.isFile()) {
        return; // a file renamed to itself: nothing to do, and true
      }
      throw new RenameRefused(src, dst, "source and destination are the same directory");
    }
    if (srcStatus.isDirectory() && dstKey.startsWith(srcKey + "/")) {
      throw new RenameRefused(src, dst, "cannot rename a directory under itself");
    }
    S3adtFileStatus dstStatus = tree.probe(dst, dstKey);
    if (dstStatus != null) {
      if (srcStatus.isDirectory()) {
        if (dstStatus.isFile()) {
          throw new FileAlreadyExistsException("Failed to rename " + src + " to " + dst
              + "; source is a directory and dest is a file");
        }
        if (!tree.isEmptyDirectory(dstKey)) {
          throw new RenameRefused(src, dst, "the destination is a non-empty directory");
        }
      } else {
        if (dstStatus.isFile()) {
          throw new FileAlreadyExistsException("Failed to rename " + src + " to " + dst
              + "; destination file exists");
        }
        // a file onto a directory goes into it
        dst = new Path(dst, src.getName());
        dstKey = Keys.key(dst);
        S3adtFileStatus inside = tree.probe(dst, dstKey);
        if (inside != null) {
          throw new FileAlreadyExistsException("Failed to rename " + src + " to " + dst
              + "; destination " + (inside.isFile() ? "file" : "directory") + " exists");
        }
      }
    } else if (!dst.getParent().equals(src.getParent())) {
      try {
        tree.checkNoFileAbove(dst, "rename to");
      } catch (ParentNotDirectoryException e) {
        throw new RenameRefused(src, dst, e.getMessage());
      }
    }

    if (srcStatus.isFile()) {
      tree.store().copy(srcKey, dstKey);
      tree.store().deleteKeys(Collections.singletonList(srcKey));
    } else {
      renameDirectory(srcKey, dstKey);
    }
    tree.keepParentDirectory(src);
  }

  /** Every key under the source copied (in parallel) and then deleted; a marker kept. */
  private void renameDirectory(String srcKey, String dstKey) throws IOException {
    String srcPrefix = Keys.dirPrefix(srcKey);
    String dstPrefix = Keys.dirPrefix(dstKey);
    List<ObjectStore.Entry> entries = tree.store().list(srcPrefix, true, 0);
    List<String> copied = new ArrayList<>(entries.size() + 1);
    boolean marker = false;
    List<Future<?>> copies = new ArrayList<>(entries.size());
    final ObjectStore s = tree.store();
    for (ObjectStore.Entry e : entries) {
      final String from = e.key;
      final String to = dstPrefix + e.key.substring(srcPrefix.length());
      copies.add(copyPool().submit(() -> {
        s.copy(from, to);
        return null;
      }));
      copied.add(e.key);
      marker |= e.key.equals(srcPrefix);
    }
    awaitCopies(copies);
    if (!marker) {
      copied.add(srcPrefix);
      if (entries.isEmpty()) {
        tree.store().putEmpty(dstPrefix);
      }
    }
    tree.store().deleteKeys(copied);
  }

  private synchronized ExecutorService copyPool() throws IOException {
    fs.checkOpen();
    if (copyPool == null) {
      final AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor pool = new ThreadPoolExecutor(RENAME_PARALLEL_COPIES,
          RENAME_PARALLEL_COPIES, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<Runnable>(),
          r -> {
            Thread t = new Thread(r, "s3adt-copy-" + bucket + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      copyPool = pool;
    }
    return copyPool;
  }

  /** At the filesystem's close: the copies under way are interrupted. */
  synchronized void close() {
    if (copyPool != null) {
      copyPool.shutdownNow();
    }
  }

  /**
   * Wait for every copy; the first failure is thrown once all have ended (the source is then
   * untouched, and what was copied stays at the destination, as with S3A). An interrupt
   * cancels the copies not yet started.
   */
  private static void awaitCopies(List<Future<?>> copies) throws IOException {
    IOException first = null;
    for (int i = 0; i < copies.size(); i++) {
      try {
        copies.get(i).get();
      } catch (InterruptedException e) {
        for (Future<?> f : copies) {
          f.cancel(false);
        }
        Thread.currentThread().interrupt();
        throw (InterruptedIOException) new InterruptedIOException(
            "s3adt: interrupted while copying for a rename").initCause(e);
      } catch (ExecutionException e) {
        if (first == null) {
          first = Failures.ioCause(e, "s3adt: copy for a rename failed: ");
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
