package org.s3adt.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * {@link S3adtFileSystem}'s listings (listStatus, listFiles, listLocatedStatus) and content
 * summary: each one LIST of every page under the path, as S3A's.
 */
final class Listing {
  private final FileSystem fs;
  private final StoreTree tree;
  private final FileSystem.Statistics statistics;

  Listing(FileSystem fs, StoreTree tree, FileSystem.Statistics statistics) {
    this.fs = fs;
    this.tree = tree;
    this.statistics = statistics;
  }

  /**
   * The children of a directory (one LIST, every page), the file itself for a file;
   * FileNotFoundException when there is nothing at the path. The directory's own marker is not
   * a child. {@code path} is qualified.
   */
  List<FileStatus> children(Path path, boolean filesOnly, boolean recursive)
      throws IOException {
    String key = Keys.key(path);
    String prefix = Keys.dirPrefix(key);
    List<ObjectStore.Entry> entries = tree.store().list(prefix, recursive, 0);
    statistics.incrementReadOps(1);
    List<FileStatus> out = new ArrayList<>(entries.size());
    if (entries.isEmpty()) {
      S3adtFileStatus status = tree.probe(path, key);
      if (status == null) {
        throw new FileNotFoundException("No such file or directory: " + path);
      }
      if (status.isFile()) {
        out.add(status);
      }
      return out;
    }
    for (ObjectStore.Entry e : entries) {
      if (e.prefix) {
        if (!filesOnly) {
          out.add(tree.dirStatus(tree.keyToPath(e.key)));
        }
      } else if (!Keys.isMarker(e.key)) {
        out.add(tree.fileStatus(tree.keyToPath(e.key), e));
      }
    }
    return out;
  }

  private LocatedFileStatus located(FileStatus status) throws IOException {
    return new S3adtLocatedFileStatus(status,
        status.isFile() ? fs.getFileBlockLocations(status, 0, status.getLen()) : null);
  }

  /** The statuses, located, that pass {@code filter} (null: all). */
  RemoteIterator<LocatedFileStatus> locatedIterator(final List<FileStatus> statuses,
      final PathFilter filter) {
    return new RemoteIterator<LocatedFileStatus>() {
      private int next;

      private void skipFiltered() {
        while (next < statuses.size() && filter != null
            && !filter.accept(statuses.get(next).getPath())) {
          next++;
        }
      }

      @Override
      public boolean hasNext() {
        skipFiltered();
        return next < statuses.size();
      }

      @Override
      public LocatedFileStatus next() throws IOException {
        if (!hasNext()) {
          throw new NoSuchElementException("no more entries");
        }
        return located(statuses.get(next++));
      }
    };
  }

  /**
   * A directory's totals from one recursive LIST: every directory under it (named by a marker
   * or implied by a key) counts, and so does the directory itself. {@code path} is qualified.
   */
  ContentSummary contentSummary(Path path) throws IOException {
    FileStatus status = fs.getFileStatus(path);
    if (status.isFile()) {
      return new ContentSummary.Builder().length(status.getLen()).fileCount(1)
          .directoryCount(0).spaceConsumed(status.getLen()).build();
    }
    String prefix = Keys.dirPrefix(Keys.key(path));
    long files = 0;
    long bytes = 0;
    Set<String> dirs = new HashSet<>();
    for (ObjectStore.Entry e : tree.store().list(prefix, true, 0)) {
      String rel = e.key.substring(prefix.length());
      if (Keys.isMarker(e.key)) {
        rel = rel.isEmpty() ? rel : rel.substring(0, rel.length() - 1);
        if (!rel.isEmpty()) {
          dirs.add(rel);
        }
      } else {
        files++;
        bytes += e.length;
      }
      for (int i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
        if (!dirs.add(rel.substring(0, i))) {
          break;
        }
      }
    }
    return new ContentSummary.Builder().length(bytes).fileCount(files)
        .directoryCount(dirs.size() + 1).spaceConsumed(bytes).build();
  }
}
