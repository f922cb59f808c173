package org.s3adt.fs;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.BulkDelete;
import org.apache.hadoop.fs.BulkDeleteUtils;
import org.apache.hadoop.fs.Path;

/**
 * {@link S3adtFileSystem#createBulkDelete}: a page of paths under a base deleted as objects in
 * one DeleteObjects call. Loaded only when Hadoop (3.4.1+) asks for it.
 */
final class S3adtBulkDelete implements BulkDelete {
  private final S3adtFileSystem fs;
  private final ObjectStore store;
  private final Path base;
  private final int pageSize;

  private S3adtBulkDelete(S3adtFileSystem fs, ObjectStore store, Path base, int pageSize) {
    this.fs = fs;
    this.store = store;
    this.base = base;
    this.pageSize = pageSize;
  }

  static BulkDelete create(S3adtFileSystem fs, ObjectStore store, Path base, int pageSize) {
    return new S3adtBulkDelete(fs, store, base, pageSize);
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  @Override
  public Path basePath() {
    return base;
  }

  /** The paths that failed, each with its error; an empty list when all were deleted. */
  @Override
  public List<Map.Entry<Path, String>> bulkDelete(Collection<Path> paths)
      throws IOException, IllegalArgumentException {
    BulkDeleteUtils.validateBulkDeletePaths(paths, pageSize, base);
    List<String> keys = new ArrayList<>(paths.size());
    for (Path p : paths) {
      String key = fs.pathToKey(p);
      if (!key.isEmpty() && !keys.contains(key)) {
        keys.add(key);
      }
    }
    List<Map.Entry<Path, String>> failed = new ArrayList<>();
    try {
      store.deleteKeys(keys);
    } catch (IOException e) {
      for (Path p : paths) {
        failed.add(new AbstractMap.SimpleImmutableEntry<>(p, e.toString()));
      }
    }
    return failed;
  }

  @Override
  public void close() {
  }
}
