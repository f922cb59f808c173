package org.s3adt.fs;

import java.net.URI;
import org.apache.hadoop.fs.Path;

/**
 * Paths and S3 keys as S3A maps them: the key of {@code s3a://bucket/a/b} is {@code a/b} (no
 * leading "/"); the root's is the empty string; a directory's contents, and its marker, are
 * under {@code key + "/"}.
 */
final class Keys {
  private Keys() {
  }

  /** The key of an absolute, qualified path; "" for the root. */
  static String key(Path qualified) {
    String p = qualified.toUri().getPath();
    int start = 0;
    while (start < p.length() && p.charAt(start) == '/') {
      start++;
    }
    int end = p.length();
    while (end > start && p.charAt(end - 1) == '/') {
      end--;
    }
    return p.substring(start, end);
  }

  /** What lies under a directory's key: "key/", or "" for the root. */
  static String dirPrefix(String key) {
    return key.isEmpty() ? "" : key + "/";
  }

  /** The qualified path of a key (a trailing "/" of a marker or prefix is dropped). */
  static Path path(URI fsUri, String key) {
    int end = key.length();
    while (end > 0 && key.charAt(end - 1) == '/') {
      end--;
    }
    return new Path(fsUri.getScheme(), fsUri.getAuthority(), "/" + key.substring(0, end));
  }

  /** True for a directory marker (or any key ending in "/"). */
  static boolean isMarker(String key) {
    return key.endsWith("/");
  }
}
