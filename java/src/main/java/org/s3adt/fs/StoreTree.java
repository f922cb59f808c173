package org.s3adt.fs;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;

/**
 * The directory tree S3A's semantics build over a bucket's flat keys, for one
 * {@link S3adtFileSystem}: what is at a path (a file's object, or a directory's marker or keys
 * under it), and the checks and markers that creating, renaming and deleting share.
 */
final class StoreTree {
  /** At most this many directories are remembered (then all are forgotten at once). */
  private static final int KNOWN_DIRS_MAX = 4096;

  private final S3adtFileSystem fs;
  /**
   * Parents this filesystem checked: no file at them or above them (the walk of
   * {@link #checkNoFileAbove} found a directory or the root), so that creating one file after
   * another in one directory costs one parent LIST, not one per file. Forgotten when this
   * filesystem deletes or renames anything, and a key is dropped when a file is created at it;
   * a change by another client is seen once the set is forgotten.
   */
  private final Set<String> knownDirs = ConcurrentHashMap.newKeySet();

  StoreTree(S3adtFileSystem fs) {
    this.fs = fs;
  }

  /** The store, after checking that the filesystem is open. */
  ObjectStore store() throws IOException {
    return fs.store();
  }

  /** The filesystem's URI, {@code s3a://bucket}. */
  URI uri() {
    return fs.getUri();
  }

  Path keyToPath(String key) {
    return Keys.path(fs.getUri(), key);
  }

  S3adtFileStatus fileStatus(Path path, ObjectStore.Entry e) {
    return new S3adtFileStatus(path, e.length, e.modified, fs.getDefaultBlockSize(),
        fs.userName(), e.etag);
  }

  S3adtFileStatus dirStatus(Path path) {
    return new S3adtFileStatus(path, fs.userName());
  }

  /**
   * What is at a path, or null: HEAD the key (a file), else LIST "key/" for one entry (a
   * marker, or anything under it: a directory). The root is always a directory.
   */
  S3adtFileStatus probe(Path qualified, String key) throws IOException {
    if (key.isEmpty()) {
      return dirStatus(qualified);
    }
    ObjectStore.Entry head = store().head(key);
    if (head != null) {
      return fileStatus(qualified, head);
    }
    if (!store().list(Keys.dirPrefix(key), true, 1).isEmpty()) {
      return dirStatus(qualified);
    }
    return null;
  }

  /** True if a directory's key has nothing under it but its own marker. */
  boolean isEmptyDirectory(String key) throws IOException {
    String prefix = Keys.dirPrefix(key);
    for (ObjectStore.Entry e : store().list(prefix, true, 2)) {
      if (!e.key.equals(prefix)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every ancestor of {@code path}, nearest first, up to the first that is a directory, must not
   * be a file: creating, making or renaming under a file is refused, at every depth. One LIST
   * when the parent is a directory already (the usual case), none when this filesystem found it
   * to be one before (see {@code knownDirs}); a HEAD and a LIST for each missing ancestor above
   * it.
   */
  void checkNoFileAbove(Path path, String action) throws IOException {
    // The usual case, one more file in a directory checked before: from the key alone, without
    // making the parent's Path (a URI parsed again), which showed in a small file's CPU.
    String own = Keys.key(path);
    int slash = own.lastIndexOf('/');
    if (slash > 0 && knownDirs.contains(own.substring(0, slash))) {
      return;
    }
    Path parent = path.getParent();
    for (Path a = parent; a != null && !a.isRoot(); a = a.getParent()) {
      String key = Keys.key(a);
      if (knownDirs.contains(key) || !store().list(Keys.dirPrefix(key), true, 1).isEmpty()) {
        break;
      }
      if (store().head(key) != null) {
        throw new ParentNotDirectoryException("Cannot " + action + " " + path + ": " + a
            + " is a file");
      }
    }
    if (parent != null && !parent.isRoot()) {
      if (knownDirs.size() >= KNOWN_DIRS_MAX) {
        knownDirs.clear();
      }
      knownDirs.add(Keys.key(parent));
    }
  }

  /** A file is being created at {@code key}: it is no directory (if it was remembered as one). */
  void fileAt(String key) {
    knownDirs.remove(key);
  }

  /** Forget every remembered directory: this filesystem deleted or renamed something. */
  void forgetDirectories() {
    knownDirs.clear();
  }

  /**
   * After a delete or a rename away, a parent left with nothing in it would vanish: S3A puts a
   * marker there so that it stays a directory.
   */
  void keepParentDirectory(Path path) throws IOException {
    Path parent = path.getParent();
    if (parent == null || parent.isRoot()) {
      return;
    }
    String prefix = Keys.dirPrefix(Keys.key(parent));
    if (store().list(prefix, true, 1).isEmpty()) {
      store().putEmpty(prefix);
    }
  }
}
