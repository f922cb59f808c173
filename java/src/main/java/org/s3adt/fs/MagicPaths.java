package org.s3adt.fs;

/**
 * hadoop-aws's magic committer layout, on keys: a path with an element starting
 * {@code __magic_job-} is a magic path, and a file written there goes to its final key, made of
 * the elements before that one, then those after a following {@code __base} (else only the file
 * name): {@code t/__magic_job-U/job-U/00/tasks/attempt_X/__base/y=1/part-0} is {@code t/y=1/part-0}.
 * Files ending {@code .pending} or {@code .pendingset} are the committer's own, written as
 * they are named.
 */
public final class MagicPaths {
  private MagicPaths() {
  }

  /** The prefix of a job's magic directory, {@code <dest>/__magic_job-<uuid>}. */
  public static final String MAGIC_PATH_PREFIX = "__magic_job-";
  public static final String BASE = "__base";
  public static final String PENDING_SUFFIX = ".pending";
  public static final String PENDINGSET_SUFFIX = ".pendingset";
  /** {@code fs.s3a.committer.magic.enabled}: magic paths are special (default true). */
  public static final String MAGIC_COMMITTER_ENABLED = "fs.s3a.committer.magic.enabled";
  /** Path capability: the filesystem supports the magic committer. */
  public static final String CAPABILITY_MAGIC_COMMITTER = "fs.s3a.capability.magic.committer";
  /** hadoop-aws's old name of the same capability. */
  public static final String CAPABILITY_MAGIC_COMMITTER_OLD = "s3a:magic.committer";
  /** Stream capability: the stream's output becomes visible only at job commit. */
  public static final String CAPABILITY_MAGIC_OUTPUT_STREAM =
      "fs.s3a.capability.magic.output.stream";
  /** The XAttr Spark reads a magic file's written length from. */
  public static final String XA_MAGIC_MARKER = "header.x-hadoop-s3a-magic-data-length";

  /** True when an element of {@code key} starts with {@link #MAGIC_PATH_PREFIX}. */
  public static boolean isMagic(String key) {
    return magicElement(key.split("/")) >= 0;
  }

  /** True for the committer's own files under a magic path. */
  public static boolean isCommitMetadata(String key) {
    return key.endsWith(PENDING_SUFFIX) || key.endsWith(PENDINGSET_SUFFIX);
  }

  private static int magicElement(String[] elements) {
    for (int i = 0; i < elements.length; i++) {
      if (elements[i].startsWith(MAGIC_PATH_PREFIX)) {
        return i;
      }
    }
    return -1;
  }

  /** The final key of a file written at magic key {@code key}. */
  public static String finalKey(String key) {
    String[] e = key.split("/");
    int m = magicElement(e);
    if (m < 0) {
      throw new IllegalArgumentException("not a magic path: " + key);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < m; i++) {
      append(out, e[i]);
    }
    int base = -1;
    for (int i = m + 1; i < e.length; i++) {
      if (BASE.equals(e[i])) {
        base = i;
        break;
      }
    }
    if (base >= 0) {
      for (int i = base + 1; i < e.length; i++) {
        append(out, e[i]);
      }
    } else {
      append(out, e[e.length - 1]);
    }
    if (base == e.length - 1 || e[e.length - 1].startsWith(MAGIC_PATH_PREFIX)) {
      throw new IllegalArgumentException("no file name after the magic elements: " + key);
    }
    return out.toString();
  }

  private static void append(StringBuilder out, String element) {
    if (out.length() > 0) {
      out.append('/');
    }
    out.append(element);
  }
}
