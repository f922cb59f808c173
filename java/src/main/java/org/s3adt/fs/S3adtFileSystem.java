package org.s3adt.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.HadoopKerberosName;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
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
 */
public class S3adtFileSystem extends FileSystem {
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
      tokenKind = S3adtNative.tokenKind(handle);
      if (tokenKind != null) {
        Token<? extends TokenIdentifier> found =
            owner.getCredentials().getToken(new Text(getCanonicalServiceName()));
        if (found != null) {
          S3adtNative.bind(handle, found.getIdentifier(), found.getPassword(),
              found.getKind().toString(), found.getService().toString());
          boundToken = found;
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
        + (boundToken != null) + "}";
  }

  // ---- data operations: the native data path is issue 5; until then they say so plainly ----

  private UnsupportedOperationException notYet(String op) {
    return new UnsupportedOperationException("s3adt: " + op + " on " + uri
        + " is not implemented yet (this build issues and consumes delegation tokens only)");
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    throw notYet("open");
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    throw notYet("create");
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress)
      throws IOException {
    throw new UnsupportedOperationException("Append is not supported by S3adtFileSystem");
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    throw notYet("rename");
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    throw notYet("delete");
  }

  @Override
  public FileStatus[] listStatus(Path f) throws FileNotFoundException, IOException {
    throw notYet("listStatus");
  }

  @Override
  public void setWorkingDirectory(Path newDir) {
    workingDir = makeQualified(newDir);
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDir;
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    throw notYet("mkdirs");
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    throw notYet("getFileStatus");
  }
}
