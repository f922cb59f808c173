package org.s3adt.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.HadoopKerberosName;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.util.Progressable;
import org.s3adt.jni.S3adtNative;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hadoop FileSystem for {@code s3a://} whose delegation tokens are issued and consumed by
 * libs3adt.so, byte-compatible with hadoop-aws's. Enable it with
 * {@code fs.s3a.impl=org.s3adt.fs.S3adtFileSystem} (and, for FileContext users,
 * {@code fs.AbstractFileSystem.s3a.impl=org.s3adt.fs.S3adt}); the keys are hadoop-aws's
 * ({@code fs.s3a.delegation.token.binding}, {@code fs.s3a.assumed.role.*}, per-bucket
 * {@code fs.s3a.bucket.<b>.*}).
 *
 * <p>At {@link #initialize} it hands the native side every {@code fs.s3a.*} key (secrets read
 * through {@link Configuration#getPassword}, so JCEKS credential providers work) and, when
 * delegation tokens are enabled and the current user's credentials hold a token for
 * {@code s3a://bucket} (a task launched with {@code HADOOP_TOKEN_FILE_LOCATION}), binds to that
 * token alone, as hadoop-aws does.
 */
public class S3adtFileSystem extends FileSystem {
  private static final Logger LOG = LoggerFactory.getLogger(S3adtFileSystem.class);

  /** S3A's default for {@code fs.s3a.block.size}: the block size files report. */
  static final long DEFAULT_BLOCK_SIZE = 32L * 1024 * 1024;

  /** Path capability: this filesystem issues delegation tokens for its bucket. */
  public static final String CAPABILITY_DELEGATION_TOKENS =
      "fs.s3adt.capability.delegation.tokens";
  /** Path capability: this filesystem is bound to a delegation token it was given. */
  public static final String CAPABILITY_BOUND_TO_TOKEN =
      "fs.s3adt.capability.delegation.token.bound";

  /** Keys whose values may live in a credential provider (read with getPassword). */
  static final String[] SECRET_KEYS = {
    "fs.s3a.access.key",
    "fs.s3a.secret.key",
    "fs.s3a.session.token",
    "fs.s3a.encryption.key",
    "fs.s3a.server-side-encryption.key",
  };

  private URI uri;
  private String bucket;
  private long handle;
  private String tokenKind;
  private Token<? extends TokenIdentifier> boundToken;
  private UserGroupInformation owner;
  private Path workingDir;
  private ObjectStore store;
  private ExecutorService copyPool;
  private final AtomicBoolean closed = new AtomicBoolean();

  @Override
  public String getScheme() {
    return "s3a";
  }

  @Override
  public void initialize(URI name, Configuration originalConf) throws IOException {
    super.initialize(name, originalConf);
    String host = name.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("s3adt: no bucket in the filesystem URI " + name);
    }
    bucket = host;
    uri = URI.create(getScheme() + "://" + bucket);
    setConf(originalConf);
    owner = UserGroupInformation.getCurrentUser();
    workingDir = new Path("/user", owner.getShortUserName()).makeQualified(uri, null);
    S3adtNative.ensureLoaded();
    handle = S3adtNative.open(nativeConfiguration(originalConf, bucket), bucket);
    try {
      store = createObjectStore(handle);
      tokenKind = S3adtNative.tokenKind(handle);
      if (tokenKind != null) {
        Token<? extends TokenIdentifier> found =
            owner.getCredentials().getToken(new Text(getCanonicalServiceName()));
        if (found != null) {
          S3adtNative.bind(handle, found.getIdentifier(), found.getPassword(),
              found.getKind().toString(), found.getService().toString());
          boundToken = found;
        } else {
          // hadoop-aws's "unbonded" mode (S3ADelegationTokens.deployUnbonded), with its text
          LOG.debug("No delegation tokens present: using direct authentication");
        }
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The configuration the native side sees, as alternating keys and values: every
   * {@code fs.s3a.*} and {@code fs.s3adt.*} key with variables expanded, and the secret keys
   * (plain and per-bucket) through getPassword, honouring
   * {@code fs.s3a.security.credential.provider.path} as hadoop-aws does.
   */
  static String[] nativeConfiguration(Configuration conf, String bucket) throws IOException {
    Configuration c = withBucketCredentialProviders(conf, bucket);
    List<String> kv = new ArrayList<>();
    for (Map.Entry<String, String> e : c) {
      String k = e.getKey();
      if (k.startsWith("fs.s3a.") || k.startsWith("fs.s3adt.")) {
        String v = c.get(k);
        if (v != null) {
          kv.add(k);
          kv.add(v);
        }
      }
    }
    for (String key : SECRET_KEYS) {
      String perBucket = "fs.s3a.bucket." + bucket + "." + key.substring("fs.s3a.".length());
      for (String k : new String[] {key, perBucket}) {
        char[] secret = c.getPassword(k);
        if (secret != null) {
          kv.add(k);
          kv.add(new String(secret));
          java.util.Arrays.fill(secret, '\0');
        }
      }
    }
    return kv.toArray(new String[0]);
  }

  private static Configuration withBucketCredentialProviders(Configuration conf, String bucket) {
    String key = "security.credential.provider.path";
    String providers = conf.getTrimmed("fs.s3a.bucket." + bucket + "." + key,
        conf.getTrimmed("fs.s3a." + key, ""));
    if (providers.isEmpty()) {
      return conf;
    }
    Configuration c = new Configuration(conf);
    String existing = conf.getTrimmed("hadoop." + key, "");
    c.set("hadoop." + key, existing.isEmpty() ? providers : providers + "," + existing);
    return c;
  }

  @Override
  public URI getUri() {
    return uri;
  }

  /** The bucket's service, {@code s3a://bucket}; null when delegation tokens are off. */
  @Override
  public String getCanonicalServiceName() {
    return tokenKind == null ? null : getScheme() + "://" + bucket;
  }

  /**
   * The token this filesystem is bound to, else a new one from the bucket's binding (STS for
   * Session and Role tokens); null when delegation tokens are off. The owner is the user who
   * created this filesystem (the Kerberos principal when security is on).
   */
  @Override
  public Token<?> getDelegationToken(String renewer) throws IOException {
    checkOpen();
    if (tokenKind == null) {
      return null;
    }
    if (boundToken != null) {
      return boundToken;
    }
    // The renewer as AbstractDelegationTokenIdentifier stores it: a principal's short name
    // through the auth_to_local rules (yarn/host@REALM -> yarn), as hadoop-aws's tokens carry.
    String renewerShort = renewer == null || renewer.isEmpty() ? ""
        : new HadoopKerberosName(renewer).getShortName();
    byte[][] parts = S3adtNative.issueToken(handle, owner.getUserName(), renewerShort);
    return new Token<TokenIdentifier>(parts[0], parts[1], new Text(parts[2]), new Text(parts[3]));
  }

  /** The bound token's identifier as text (no secrets), or null when not bound to one. */
  public String getBoundTokenDescription() throws IOException {
    checkOpen();
    return S3adtNative.boundDescription(handle);
  }

  @Override
  public boolean hasPathCapability(Path path, String capability) throws IOException {
    switch (capability) {
      case CAPABILITY_DELEGATION_TOKENS:
        return tokenKind != null;
      case CAPABILITY_BOUND_TO_TOKEN:
        return boundToken != null;
      case CommonPathCapabilities.ETAGS_AVAILABLE:
      case CommonPathCapabilities.BULK_DELETE:
        return true;
      case CommonPathCapabilities.FS_APPEND:
      case CommonPathCapabilities.FS_CONCAT:
      case CommonPathCapabilities.FS_PERMISSIONS:
      case CommonPathCapabilities.FS_ACLS:
      case CommonPathCapabilities.FS_XATTRS:
      case CommonPathCapabilities.FS_SNAPSHOTS:
      case CommonPathCapabilities.FS_STORAGEPOLICY:
      case CommonPathCapabilities.FS_TRUNCATE:
        return false;
      default:
        return super.hasPathCapability(path, capability);
    }
  }

  private void checkOpen() throws IOException {
    if (closed.get()) {
      throw new IOException("s3adt: filesystem " + uri + " is closed");
    }
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      synchronized (this) {
        if (copyPool != null) {
          copyPool.shutdownNow();
        }
      }
      try {
        S3adtNative.close(handle);
      } finally {
        super.close();
      }
    }
  }

  @Override
  public String toString() {
    return "S3adtFileSystem{uri=" + uri + ", tokenKind=" + tokenKind + ", boundToToken="
        + (boundToken != null) + ", version=" + org.s3adt.jni.NativeVersion.jarVersion() + "}";
  }

  // ---- data operations: S3A's semantics over the object store (S3adtStore) ----

  /** The store the data operations use: libs3adt.so's, for the handle opened at initialize. */
  protected ObjectStore createObjectStore(long nativeHandle) {
    return new NativeObjectStore(nativeHandle);
  }

  private ObjectStore store() throws IOException {
    checkOpen();
    return store;
  }

  /** The key of a path of this filesystem (relative paths are under the working directory). */
  String pathToKey(Path path) {
    return Keys.key(makeQualified(path));
  }

  private Path keyToPath(String key) {
    return Keys.path(uri, key);
  }

  private String userName() {
    return owner.getShortUserName();
  }

  @Override
  public long getDefaultBlockSize() {
    return getConf().getLongBytes("fs.s3a.block.size", DEFAULT_BLOCK_SIZE);
  }

  private S3adtFileStatus fileStatus(Path path, ObjectStore.Entry e) {
    return new S3adtFileStatus(path, e.length, e.modified, getDefaultBlockSize(), userName(),
        e.etag);
  }

  private S3adtFileStatus dirStatus(Path path) {
    return new S3adtFileStatus(path, userName());
  }

  /**
   * What is at a path, or null: HEAD the key (a file), else LIST "key/" for one entry (a
   * marker, or anything under it: a directory). The root is always a directory.
   */
  private S3adtFileStatus probe(Path qualified, String key) throws IOException {
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
  private boolean isEmptyDirectory(String key) throws IOException {
    String prefix = Keys.dirPrefix(key);
    for (ObjectStore.Entry e : store().list(prefix, true, 2)) {
      if (!e.key.equals(prefix)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    Path path = makeQualified(f);
    S3adtFileStatus status = probe(path, Keys.key(path));
    if (status == null) {
      throw new FileNotFoundException("No such file or directory: " + path);
    }
    return status;
  }

  /**
   * Every ancestor of {@code path}, nearest first, up to the first that is a directory, must not
   * be a file: creating, making or renaming under a file is refused, at every depth. One LIST
   * when the parent is a directory already (the usual case); a HEAD and a LIST for each missing
   * ancestor above it.
   */
  private void checkNoFileAbove(Path path, String action) throws IOException {
    for (Path a = path.getParent(); a != null && !a.isRoot(); a = a.getParent()) {
      String key = Keys.key(a);
      if (!store().list(Keys.dirPrefix(key), true, 1).isEmpty()) {
        return;
      }
      if (store().head(key) != null) {
        throw new ParentNotDirectoryException("Cannot " + action + " " + path + ": " + a
            + " is a file");
      }
    }
  }

  /**
   * After a delete or a rename away, a parent left with nothing in it would vanish: S3A puts a
   * marker there so that it stays a directory.
   */
  private void keepParentDirectory(Path path) throws IOException {
    Path parent = path.getParent();
    if (parent == null || parent.isRoot()) {
      return;
    }
    String prefix = Keys.dirPrefix(Keys.key(parent));
    if (store().list(prefix, true, 1).isEmpty()) {
      store().putEmpty(prefix);
    }
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    Path path = makeQualified(f);
    FileStatus status = getFileStatus(path);
    if (status.isDirectory()) {
      throw new FileNotFoundException("Can't open " + path + " because it is a directory");
    }
    statistics.incrementReadOps(1);
    return new FSDataInputStream(new S3adtInputStream(store(), Keys.key(path), path,
        status.getLen(), statistics));
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    Path path = makeQualified(f);
    String key = Keys.key(path);
    if (key.isEmpty()) {
      throw new FileAlreadyExistsException("Cannot create file over the root path " + path);
    }
    // As hadoop-aws: with overwrite only a directory is in the way (one LIST, no HEAD);
    // without it, a file too (HEAD, then LIST).
    S3adtFileStatus existing = overwrite
        ? (store().list(Keys.dirPrefix(key), true, 1).isEmpty() ? null : dirStatus(path))
        : probe(path, key);
    if (existing != null) {
      if (existing.isDirectory()) {
        throw new FileAlreadyExistsException(path + " is a directory");
      }
      throw new FileAlreadyExistsException(path + " already exists");
    }
    checkNoFileAbove(path, "create");
    ObjectStore.Writer writer = store().openWrite(key);
    statistics.incrementWriteOps(1);
    return new FSDataOutputStream(new S3adtOutputStream(writer, path, progress), statistics);
  }

  /** As {@link #create}, but the parent must already be a directory. */
  @Override
  public FSDataOutputStream createNonRecursive(Path f, FsPermission permission,
      EnumSet<CreateFlag> flags, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    Path path = makeQualified(f);
    Path parent = path.getParent();
    if (parent != null && !getFileStatus(parent).isDirectory()) {
      throw new ParentNotDirectoryException("Not a directory: " + parent);
    }
    return create(path, permission, flags.contains(CreateFlag.OVERWRITE), bufferSize,
        replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress)
      throws IOException {
    throw new UnsupportedOperationException("Append is not supported by S3adtFileSystem");
  }

  /**
   * Rename by copy and delete, as S3A: not atomic. Returns false (and changes nothing) when
   * the source is missing, either side is the root, the destination is a non-empty directory or
   * lies under the source, or a file is above the destination; throws
   * FileAlreadyExistsException when a file is in the way of the destination. A directory
   * renamed onto an empty directory replaces it; a file renamed onto a directory goes into it.
   * A destination whose parents are missing gets them.
   */
  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    try {
      innerRename(makeQualified(src), makeQualified(dst));
      return true;
    } catch (RenameRefused e) {
      LOG.debug("rename({}, {}) refused: {}", src, dst, e.getMessage());
      return false;
    } catch (FileNotFoundException e) {
      LOG.debug("rename({}, {}): {}", src, dst, e.toString());
      return false;
    }
  }

  /** A rename that is refused with false, not an exception. */
  private static final class RenameRefused extends IOException {
    private static final long serialVersionUID = 1L;

    RenameRefused(Path src, Path dst, String why) {
      super("rename " + src + " to " + dst + ": " + why);
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
    S3adtFileStatus srcStatus = probe(src, srcKey);
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
    S3adtFileStatus dstStatus = probe(dst, dstKey);
    if (dstStatus != null) {
      if (srcStatus.isDirectory()) {
        if (dstStatus.isFile()) {
          throw new FileAlreadyExistsException("Failed to rename " + src + " to " + dst
              + "; source is a directory and dest is a file");
        }
        if (!isEmptyDirectory(dstKey)) {
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
        S3adtFileStatus inside = probe(dst, dstKey);
        if (inside != null) {
          throw new FileAlreadyExistsException("Failed to rename " + src + " to " + dst
              + "; destination " + (inside.isFile() ? "file" : "directory") + " exists");
        }
      }
    } else if (!dst.getParent().equals(src.getParent())) {
      try {
        checkNoFileAbove(dst, "rename to");
      } catch (ParentNotDirectoryException e) {
        throw new RenameRefused(src, dst, e.getMessage());
      }
    }

    if (srcStatus.isFile()) {
      store().copy(srcKey, dstKey);
      store().deleteKeys(Collections.singletonList(srcKey));
    } else {
      String srcPrefix = Keys.dirPrefix(srcKey);
      String dstPrefix = Keys.dirPrefix(dstKey);
      List<ObjectStore.Entry> entries = store().list(srcPrefix, true, 0);
      List<String> copied = new ArrayList<>(entries.size() + 1);
      boolean marker = false;
      List<Future<?>> copies = new ArrayList<>(entries.size());
      final ObjectStore s = store();
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
          store().putEmpty(dstPrefix);
        }
      }
      store().deleteKeys(copied);
    }
    keepParentDirectory(src);
  }

  /** The copies of a directory rename run this many at a time, as S3A's. */
  static final int RENAME_PARALLEL_COPIES = 10;

  private synchronized ExecutorService copyPool() throws IOException {
    checkOpen();
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
        Throwable c = e.getCause();
        if (first == null) {
          first = c instanceof IOException ? (IOException) c
              : new IOException("s3adt: copy for a rename failed: " + c, c);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Delete as S3A: a missing path is false; a file, or an empty directory, is deleted; a
   * non-empty directory needs {@code recursive} (else PathIsNotEmptyDirectoryException), and
   * then every key under it goes, in batches. The root itself is never deleted: an empty root
   * is true, a non-empty one false when recursive, an error otherwise.
   */
  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    Path path = makeQualified(f);
    String key = Keys.key(path);
    if (key.isEmpty()) {
      boolean empty = store().list("", true, 1).isEmpty();
      LOG.info("s3adt: delete of the root of {} (empty: {}, recursive: {}) refused", uri,
          empty, recursive);
      if (empty) {
        return true;
      }
      if (recursive) {
        return false;
      }
      throw new PathIOException(bucket, "Cannot delete root path");
    }
    S3adtFileStatus status = probe(path, key);
    if (status == null) {
      return false;
    }
    statistics.incrementWriteOps(1);
    if (status.isFile()) {
      store().deleteKeys(Collections.singletonList(key));
    } else {
      String prefix = Keys.dirPrefix(key);
      if (isEmptyDirectory(key)) {
        store().deleteKeys(Collections.singletonList(prefix));
      } else {
        if (!recursive) {
          throw new PathIsNotEmptyDirectoryException(path.toString());
        }
        List<ObjectStore.Entry> entries = store().list(prefix, true, 0);
        List<String> keys = new ArrayList<>(entries.size() + 1);
        for (ObjectStore.Entry e : entries) {
          keys.add(e.key);
        }
        if (!keys.contains(prefix)) {
          keys.add(prefix);
        }
        store().deleteKeys(keys);
      }
    }
    keepParentDirectory(path);
    return true;
  }

  /**
   * The children of a directory (one LIST, every page), the file itself for a file;
   * FileNotFoundException when there is nothing at the path. The directory's own marker is not
   * a child.
   */
  private List<FileStatus> children(Path path, boolean filesOnly, boolean recursive)
      throws IOException {
    String key = Keys.key(path);
    String prefix = Keys.dirPrefix(key);
    List<ObjectStore.Entry> entries = store().list(prefix, recursive, 0);
    statistics.incrementReadOps(1);
    List<FileStatus> out = new ArrayList<>(entries.size());
    if (entries.isEmpty()) {
      S3adtFileStatus status = probe(path, key);
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
          out.add(dirStatus(keyToPath(e.key)));
        }
      } else if (!Keys.isMarker(e.key)) {
        out.add(fileStatus(keyToPath(e.key), e));
      }
    }
    return out;
  }

  @Override
  public FileStatus[] listStatus(Path f) throws FileNotFoundException, IOException {
    return children(makeQualified(f), false, false).toArray(new FileStatus[0]);
  }

  private LocatedFileStatus located(FileStatus status) throws IOException {
    return new S3adtLocatedFileStatus(status,
        status.isFile() ? getFileBlockLocations(status, 0, status.getLen()) : null);
  }

  private RemoteIterator<LocatedFileStatus> locatedIterator(final List<FileStatus> statuses,
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

  /** Files under a path from one LIST (recursive: no delimiter); a file lists itself. */
  @Override
  public RemoteIterator<LocatedFileStatus> listFiles(Path f, boolean recursive)
      throws FileNotFoundException, IOException {
    return locatedIterator(children(makeQualified(f), true, recursive), null);
  }

  @Override
  protected RemoteIterator<LocatedFileStatus> listLocatedStatus(Path f, PathFilter filter)
      throws FileNotFoundException, IOException {
    return locatedIterator(children(makeQualified(f), false, false), filter);
  }

  /**
   * A directory's totals from one recursive LIST: every directory under it (named by a marker
   * or implied by a key) counts, and so does the directory itself.
   */
  @Override
  public ContentSummary getContentSummary(Path f) throws IOException {
    Path path = makeQualified(f);
    FileStatus status = getFileStatus(path);
    if (status.isFile()) {
      return new ContentSummary.Builder().length(status.getLen()).fileCount(1)
          .directoryCount(0).spaceConsumed(status.getLen()).build();
    }
    String prefix = Keys.dirPrefix(Keys.key(path));
    long files = 0;
    long bytes = 0;
    Set<String> dirs = new HashSet<>();
    for (ObjectStore.Entry e : store().list(prefix, true, 0)) {
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

  /**
   * Hadoop's BulkDelete (3.4.1+), as S3A's: up to {@code fs.s3a.bulk.delete.page.size} paths
   * under {@code base} deleted in one DeleteObjects call each page, each as the object at its
   * key; nothing is probed first, so a directory path deletes no directory (its marker and
   * contents stay) and parents left empty are not given markers.
   */
  @Override
  public org.apache.hadoop.fs.BulkDelete createBulkDelete(Path base)
      throws IllegalArgumentException, IOException {
    int pageSize = getConf().getInt("fs.s3a.bulk.delete.page.size", 250);
    if (pageSize <= 0) {
      throw new IllegalArgumentException("fs.s3a.bulk.delete.page.size must be positive, not "
          + pageSize);
    }
    return S3adtBulkDelete.create(this, store(), makeQualified(base), Math.min(pageSize, 1000));
  }

  @Override
  public void setWorkingDirectory(Path newDir) {
    workingDir = makeQualified(newDir);
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDir;
  }

  /**
   * A directory marker "key/"; true if the path is a directory already. A file at the path is
   * FileAlreadyExistsException; a file above it ParentNotDirectoryException.
   */
  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    Path path = makeQualified(f);
    String key = Keys.key(path);
    S3adtFileStatus status = probe(path, key);
    if (status != null) {
      if (status.isDirectory()) {
        return true;
      }
      throw new FileAlreadyExistsException("Path is a file: " + path);
    }
    checkNoFileAbove(path, "make directory");
    statistics.incrementWriteOps(1);
    store().putEmpty(Keys.dirPrefix(key));
    return true;
  }
}
