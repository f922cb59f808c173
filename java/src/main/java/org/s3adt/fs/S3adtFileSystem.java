package org.s3adt.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BulkDelete;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FutureDataInputStreamBuilder;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.impl.OpenFileParameters;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.util.LambdaUtils;
import org.apache.hadoop.util.Progressable;
import org.s3adt.jni.S3adtNative;

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
 *
 * <p>This class holds the filesystem's lifecycle and hands each operation to its part: the
 * directory tree over flat keys ({@link StoreTree}), {@link Rename}, {@link Delete},
 * {@link Listing}, {@link S3adtBulkDelete} and the delegation tokens
 * ({@link DelegationTokens}).
 */
public class S3adtFileSystem extends FileSystem {
  /** S3A's default for {@code fs.s3a.block.size}: the block size files report. */
  static final long DEFAULT_BLOCK_SIZE = 32L * 1024 * 1024;

  /** Path capability: this filesystem issues delegation tokens for its bucket. */
  public static final String CAPABILITY_DELEGATION_TOKENS =
      "fs.s3adt.capability.delegation.tokens";
  /** Path capability: this filesystem is bound to a delegation token it was given. */
  public static final String CAPABILITY_BOUND_TO_TOKEN =
      "fs.s3adt.capability.delegation.token.bound";

  private URI uri;
  private String bucket;
  /** {@code fs.s3a.create.performance}: create() makes no probes, as hadoop-aws's. */
  private boolean createPerformance;
  /** {@code fs.s3a.block.size}, read once at initialize as S3A does (every create asks it). */
  private long blockSize = DEFAULT_BLOCK_SIZE;
  private int ioBufferSize = 4096;
  private long handle;
  private DelegationTokens tokens;
  private UserGroupInformation owner;
  private Path workingDir;
  private ObjectStore store;
  private StoreTree tree;
  private Rename renames;
  private Listing listing;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** {@code fs.s3a.committer.magic.enabled}: files under magic paths are pending uploads. */
  private boolean magicEnabled;

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
    magicEnabled = originalConf.getBoolean(MagicPaths.MAGIC_COMMITTER_ENABLED, true);
    uri = URI.create(getScheme() + "://" + bucket);
    setConf(originalConf);
    owner = UserGroupInformation.getCurrentUser();
    workingDir = new Path("/user", owner.getShortUserName()).makeQualified(uri, null);
    S3adtNative.ensureLoaded();
    handle = S3adtNative.open(DelegationTokens.nativeConfiguration(originalConf, bucket), bucket);
    createPerformance = originalConf.getBoolean("fs.s3a.bucket." + bucket
        + ".create.performance", originalConf.getBoolean("fs.s3a.create.performance", false));
    blockSize = originalConf.getLongBytes("fs.s3a.block.size", DEFAULT_BLOCK_SIZE);
    ioBufferSize = originalConf.getInt("io.file.buffer.size", 4096);
    tree = new StoreTree(this);
    renames = new Rename(this, tree, bucket);
    listing = new Listing(this, tree, statistics);
    try {
      tokens = DelegationTokens.bind(handle, owner, getScheme() + "://" + bucket, originalConf);
      store = RefreshingObjectStore.around(createObjectStore(handle), tokens);
      Uploads.purgeAtInitialize(handle, bucket);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public URI getUri() {
    return uri;
  }

  /** The bucket's service, {@code s3a://bucket}; null when delegation tokens are off. */
  @Override
  public String getCanonicalServiceName() {
    return tokens == null || !tokens.enabled() ? null : getScheme() + "://" + bucket;
  }

  /**
   * The token this filesystem is bound to, else a new one from the bucket's binding (STS for
   * Session and Role tokens); null when delegation tokens are off. The owner is the user who
   * created this filesystem (the Kerberos principal when security is on).
   */
  @Override
  public Token<?> getDelegationToken(String renewer) throws IOException {
    checkOpen();
    return tokens.token(renewer);
  }

  /** The bound token's identifier as text (no secrets), or null when not bound to one. */
  public String getBoundTokenDescription() throws IOException {
    checkOpen();
    return tokens.boundDescription();
  }

  @Override
  public boolean hasPathCapability(Path path, String capability) throws IOException {
    switch (capability) {
      case CAPABILITY_DELEGATION_TOKENS:
        return tokens.enabled();
      case CAPABILITY_BOUND_TO_TOKEN:
        return tokens.isBound();
      case CommonPathCapabilities.ETAGS_AVAILABLE:
      case CommonPathCapabilities.BULK_DELETE:
      case CommonPathCapabilities.FS_MULTIPART_UPLOADER:
        return true;
      case MagicPaths.CAPABILITY_MAGIC_COMMITTER:
      case MagicPaths.CAPABILITY_MAGIC_COMMITTER_OLD:
        return magicEnabled;
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

  void checkOpen() throws IOException {
    if (closed.get()) {
      throw new IOException("s3adt: filesystem " + uri + " is closed");
    }
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      if (renames != null) {
        renames.close();
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
    return "S3adtFileSystem{uri=" + uri + ", tokenKind=" + (tokens == null ? null : tokens.kind())
        + ", boundToToken=" + (tokens != null && tokens.isBound()) + ", version=" + org.s3adt.jni.NativeVersion.jarVersion() + "}";
  }

  // ---- data operations: S3A's semantics over the object store (StoreTree and the parts) ----

  /** The store the data operations use: libs3adt.so's, for the handle opened at initialize. */
  protected ObjectStore createObjectStore(long nativeHandle) {
    return new NativeObjectStore(nativeHandle);
  }

  ObjectStore store() throws IOException {
    checkOpen();
    return store;
  }

  /** The key of a path of this filesystem (relative paths are under the working directory). */
  String pathToKey(Path path) {
    return Keys.key(makeQualified(path));
  }

  String userName() {
    return owner.getShortUserName();
  }

  @Override
  public long getDefaultBlockSize() {
    return blockSize;
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    Path path = makeQualified(f);
    S3adtFileStatus status = tree.probe(path, Keys.key(path));
    if (status == null) {
      throw new FileNotFoundException("No such file or directory: " + path);
    }
    return status;
  }

  /**
   * open(): one request for a small file. The stream's first GET is made here, bounded to the
   * read-ahead range (at least 64 KiB): its answer gives the length and the ETag and its bytes
   * are the first read's (hadoop-aws makes a HEAD, then the GET). Only when there is no object
   * at the key is the path probed (a LIST of {@code key/}), so that a directory is refused with
   * its own message, as before.
   */
  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    Path path = makeQualified(f);
    String key = Keys.key(path);
    if (key.isEmpty()) {
      throw new FileNotFoundException("Can't open " + path + " because it is a directory");
    }
    ObjectStore.Reader reader;
    try {
      reader = store().openRead(key, -1);
    } catch (FileNotFoundException e) {
      FileNotFoundException missing = store().list(Keys.dirPrefix(key), true, 1).isEmpty()
          ? new FileNotFoundException("No such file or directory: " + path)
          : new FileNotFoundException("Can't open " + path + " because it is a directory");
      missing.initCause(e);
      throw missing;
    }
    statistics.incrementReadOps(1);
    return new FSDataInputStream(new S3adtInputStream(store(), key, path, reader, statistics));
  }

  /** openFile(): {@link OpenFileBuilder}, Hadoop's builder without its per-call Configuration. */
  @Override
  public FutureDataInputStreamBuilder openFile(Path file) {
    return new OpenFileBuilder(this, file);
  }

  @Override
  protected CompletableFuture<FSDataInputStream> openFileWithOptions(Path file,
      OpenFileParameters parameters) throws IOException {
    return openFile(file, parameters.getMandatoryKeys(), parameters.getStatus(),
        OpenFileOptions.lengthOption(parameters), parameters.getBufferSize());
  }

  /**
   * Both openFile() routes: a file whose length is known, from a passed FileStatus or
   * {@code fs.option.openfile.length}, is opened without a probe, so reading it costs the one GET
   * the first read makes (a missing file is then a FileNotFoundException at that read, as S3A's).
   * Otherwise as {@link #open} (one bounded GET at once). Unknown mandatory keys are refused;
   * Hadoop's standard options and S3A's ({@code fs.s3a.readahead.range}, ...) are accepted. The
   * stream reads sequentially with one GET to the end and turns random on the first backward
   * seek (S3A's adaptive policy), which serves every read policy as asked.
   */
  CompletableFuture<FSDataInputStream> openFile(Path file, Set<String> mandatory,
      FileStatus status, String lengthOption, int bufferSize) throws IOException {
    Path path = makeQualified(file);
    long length = OpenFileOptions.knownLength(path, mandatory, status, lengthOption);
    if (length < 0) {
      return LambdaUtils.eval(new CompletableFuture<>(), () -> open(path, bufferSize));
    }
    statistics.incrementReadOps(1);
    return CompletableFuture.completedFuture(new FSDataInputStream(new S3adtInputStream(
        store(), Keys.key(path), path, length, statistics)));
  }

  /** {@code io.file.buffer.size}, read once (Hadoop's builder reads it per openFile()). */
  int ioBufferSize() {
    return ioBufferSize;
  }

  private final FilePermissions filePermissions = new FilePermissions();

  /** As FileSystem's, with the umask parsed once per value ({@link FilePermissions}). */
  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication,
      long blockSize, Progressable progress) throws IOException {
    return create(f, filePermissions.of(getConf()), overwrite, bufferSize, replication,
        blockSize, progress);
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
    if (magicEnabled && MagicPaths.isMagic(key)) {
      return createMagic(path, key, progress);
    }
    if (!createPerformance) {
      // As hadoop-aws: with overwrite only a directory is in the way (one LIST, no HEAD);
      // without it, a file too (HEAD, then LIST). Then no file above (one LIST of the parent
      // the first time, none for the next file in a directory this filesystem knows).
      S3adtFileStatus existing = overwrite
          ? (store().list(Keys.dirPrefix(key), true, 1).isEmpty() ? null : tree.dirStatus(path))
          : tree.probe(path, key);
      if (existing != null) {
        if (existing.isDirectory()) {
          throw new FileAlreadyExistsException(path + " is a directory");
        }
        throw new FileAlreadyExistsException(path + " already exists");
      }
      tree.checkNoFileAbove(path, "create");
    }
    // With fs.s3a.create.performance=true, as hadoop-aws's: no probe at all, the PUT alone.
    tree.fileAt(key);
    ObjectStore.Writer writer = store().openWrite(key);
    statistics.incrementWriteOps(1);
    return new FSDataOutputStream(new S3adtOutputStream(writer, path, progress), statistics);
  }

  /**
   * Create under a magic path, as hadoop-aws: no probes (task output names are unique); the
   * committer's own .pending/.pendingset files are written as named, any other file becomes a
   * multipart upload to its final key that close leaves pending (see MagicCommitTracker).
   */
  private FSDataOutputStream createMagic(Path path, String key, Progressable progress)
      throws IOException {
    statistics.incrementWriteOps(1);
    if (MagicPaths.isCommitMetadata(key)) {
      return new FSDataOutputStream(new S3adtOutputStream(store().openWrite(key), path,
          progress), statistics);
    }
    String finalKey = MagicPaths.finalKey(key);
    MagicCommitTracker tracker = new MagicCommitTracker(this, path, key, finalKey, bucket);
    // the upload starts at close's first part; nothing is visible at finalKey until job commit
    return new FSDataOutputStream(new S3adtOutputStream(store().openWrite(finalKey), path,
        progress, tracker), statistics);
  }

  /**
   * Only {@code header.x-hadoop-s3a-magic-data-length} of a file written under a magic path:
   * its written length (decimal, UTF-8), from the file's .pending record, as Spark reads it
   * for its bytes-written metric; null for anything else.
   */
  @Override
  public byte[] getXAttr(Path f, String name) throws IOException {
    Path path = makeQualified(f);
    String key = Keys.key(path);
    if (!MagicPaths.XA_MAGIC_MARKER.equals(name) || !MagicPaths.isMagic(key)
        || MagicPaths.isCommitMetadata(key)) {
      return null;
    }
    String pendingKey = key + MagicPaths.PENDING_SUFFIX;
    byte[] json = readSmall(pendingKey);
    if (json == null) {
      return null;
    }
    long length = org.s3adt.commit.files.SinglePendingCommit.fromBytes(json, pendingKey).length;
    return Long.toString(length).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A small object's bytes (a committer file), or null when there is none. */
  public byte[] readSmall(String key) throws IOException {
    ObjectStore.Entry e = store().head(key);
    if (e == null) {
      return null;
    }
    if (e.length > 64L * 1024 * 1024) {
      throw new IOException("s3adt: " + key + " is " + e.length + " bytes, too big to load");
    }
    byte[] out = new byte[(int) e.length];
    try (ObjectStore.Reader r = store().openRead(key, e.length)) {
      int at = 0;
      while (at < out.length) {
        int n = r.read(at, out, at, out.length - at);
        if (n < 0) {
          throw new java.io.EOFException("s3adt: " + key + " ended at " + at + " of "
              + out.length + " bytes");
        }
        at += n;
      }
    }
    return out;
  }

  /** Write a small object (a committer file) at once: visible when this returns. */
  public void writeSmall(String key, byte[] data) throws IOException {
    ObjectStore.Writer w = store().openWrite(key);
    try {
      w.write(data, 0, data.length);
    } catch (IOException | RuntimeException e) {
      w.abort();
      throw e;
    }
    w.complete();
  }

  /** The bucket this filesystem is bound to. */
  public String getBucket() {
    return bucket;
  }

  /** The key of a path of this filesystem (what S3 calls the object). */
  public String keyOf(Path path) {
    return pathToKey(path);
  }

  /** Complete a multipart upload from its parts' etags, part 1 first: the object is visible. */
  public void completeUpload(String key, String uploadId, java.util.List<String> etags)
      throws IOException {
    checkOpen();
    int[] numbers = new int[etags.size()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = i + 1;
    }
    org.s3adt.jni.S3adtMultipart.complete(handle, key, uploadId, numbers,
        etags.toArray(new String[0]));
  }

  /** Abort a multipart upload; one already gone is no error. */
  public void abortUpload(String key, String uploadId) throws IOException {
    checkOpen();
    org.s3adt.jni.S3adtMultipart.abort(handle, key, uploadId, false);
  }

  /** The multipart uploads in progress under a key prefix: {key, uploadId} each. */
  public java.util.List<String[]> listUploads(String prefix) throws IOException {
    checkOpen();
    String[] flat = org.s3adt.jni.S3adtMultipart.list(handle, prefix);
    java.util.List<String[]> out = new java.util.ArrayList<>();
    for (int i = 0; flat != null && i + 2 < flat.length; i += 3) {
      out.add(new String[] {flat[i], flat[i + 1]});
    }
    return out;
  }

  /** Hadoop's MultipartUploader (startUpload, putPart, complete, abort) over libs3adt.so. */
  @Override
  public org.apache.hadoop.fs.MultipartUploaderBuilder createMultipartUploader(Path basePath)
      throws IOException {
    checkOpen();
    return new S3adtMultipartUploader.Builder(this, makeQualified(basePath));
  }

  long nativeHandle() {
    return handle;
  }

  /** As {@link #create}, but the parent must already be a directory. */
  @Override
  public FSDataOutputStream createNonRecursive(Path f, FsPermission permission,
      EnumSet<CreateFlag> flags, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    Path path = makeQualified(f);
    Path parent = path.getParent();
    if (parent != null && !(magicEnabled && MagicPaths.isMagic(Keys.key(path)))
        && !getFileStatus(parent).isDirectory()) {
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
    tree.forgetDirectories();
    return renames.rename(makeQualified(src), makeQualified(dst));
  }

  /**
   * Delete as S3A: a missing path is false; a file, or an empty directory, is deleted; a
   * non-empty directory needs {@code recursive} (else PathIsNotEmptyDirectoryException), and
   * then every key under it goes, in batches. The root itself is never deleted: an empty root
   * is true, a non-empty one false when recursive, an error otherwise.
   */
  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    tree.forgetDirectories();
    return Delete.delete(tree, statistics, makeQualified(f), recursive);
  }

  @Override
  public FileStatus[] listStatus(Path f) throws FileNotFoundException, IOException {
    return listing.children(makeQualified(f), false, false).toArray(new FileStatus[0]);
  }

  /** Files under a path from one LIST (recursive: no delimiter); a file lists itself. */
  @Override
  public RemoteIterator<LocatedFileStatus> listFiles(Path f, boolean recursive)
      throws FileNotFoundException, IOException {
    return listing.locatedIterator(listing.children(makeQualified(f), true, recursive), null);
  }

  @Override
  protected RemoteIterator<LocatedFileStatus> listLocatedStatus(Path f, PathFilter filter)
      throws FileNotFoundException, IOException {
    return listing.locatedIterator(listing.children(makeQualified(f), false, false), filter);
  }

  /**
   * A directory's totals from one recursive LIST: every directory under it (named by a marker
   * or implied by a key) counts, and so does the directory itself.
   */
  @Override
  public ContentSummary getContentSummary(Path f) throws IOException {
    return listing.contentSummary(makeQualified(f));
  }

  /**
   * Hadoop's BulkDelete (3.4.1+), as S3A's: up to {@code fs.s3a.bulk.delete.page.size} paths
   * under {@code base} deleted in one DeleteObjects call each page, each as the object at its
   * key; nothing is probed first, so a directory path deletes no directory (its marker and
   * contents stay) and parents left empty are not given markers.
   */
  @Override
  public BulkDelete createBulkDelete(Path base)
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
    S3adtFileStatus status = tree.probe(path, key);
    if (status != null) {
      if (status.isDirectory()) {
        return true;
      }
      throw new FileAlreadyExistsException("Path is a file: " + path);
    }
    tree.checkNoFileAbove(path, "make directory");
    statistics.incrementWriteOps(1);
    store().putEmpty(Keys.dirPrefix(key));
    return true;
  }
}
