package org.s3adt.fs;

import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.permission.FsCreateModes;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The permission {@code create(Path, boolean, ...)} passes on, as FileSystem's: the file default
 * with the configured umask applied (s3adt ignores permissions, as S3A does). FileSystem parses
 * the umask, with regular expressions, at every create; here once per value of
 * {@code fs.permissions.umask-mode}. An unparseable umask fails each create as it does there.
 */
final class FilePermissions {
  /** {@code fs.permissions.umask-mode}'s value and the file permission made with it. */
  private volatile Object[] known;

  FsPermission of(Configuration conf) {
    String umask = conf.get(FsPermission.UMASK_LABEL);
    Object[] k = known;
    if (k != null && Objects.equals(k[0], umask)) {
      return (FsPermission) k[1];
    }
    FsPermission permission = FsCreateModes.applyUMask(FsPermission.getFileDefault(),
        FsPermission.getUMask(conf));
    known = new Object[] {umask, permission};
    return permission;
  }
}
