package org.s3adt.fs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.HadoopKerberosName;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.util.VersionInfo;
import org.s3adt.jni.NativeSettings;
import org.s3adt.jni.S3adtNative;
import org.s3adt.jni.S3adtOzone;
import org.s3adt.ozone.OzoneTokenBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegation-token side of an {@link S3adtFileSystem}: the configuration handed to
 * libs3adt.so, binding to a token found in the owner's credentials, and issuing new tokens.
 * The tokens themselves are made and read by the native side.
 */
final class DelegationTokens {
  private static final Logger LOG = LoggerFactory.getLogger(S3adtFileSystem.class);

  /** Keys whose values may live in a credential provider (read with getPassword). */
  static final String[] SECRET_KEYS = {
    "fs.s3a.access.key",
    "fs.s3a.secret.key",
    "fs.s3a.session.token",
    "fs.s3a.encryption.key",
    "fs.s3a.server-side-encryption.key",
    // the Vault credential source's (org.s3adt.vault.VaultCredentialsProvider)
    "fs.s3a.s3adt.vault.token",
    "fs.s3a.s3adt.vault.approle.secret.id",
  };

  private final long handle;
  private final UserGroupInformation owner;
  /** The binding's token kind; null when delegation tokens are off. */
  private final String kind;
  /** The token the handle signs with; replaced by a newer one near its expiry ({@link Rebind}). */
  private volatile Token<? extends TokenIdentifier> bound;
  /** Looks for a newer token near the bound one's expiry; null when not bound. */
  private final Rebind rebind;
  /**
   * The Ozone binding's credentials when the owner's Kerberos login got them (the handle then
   * signs with a token of its own carrying them, and each token issued carries them); else null.
   */
  private final OzoneTokenBinding.Found ozone;
  /** The Ozone binding is configured (its credentials are in {@link #ozone} when had). */
  private boolean ozoneSelected;

  private DelegationTokens(long handle, UserGroupInformation owner, String kind,
      Token<? extends TokenIdentifier> bound, Rebind rebind, OzoneTokenBinding.Found ozone) {
    this.handle = handle;
    this.owner = owner;
    this.kind = kind;
    this.bound = bound;
    this.rebind = rebind;
    this.ozone = ozone;
  }

  /**
   * The configuration the native side sees, as alternating keys and values: every
   * {@code fs.s3a.*} and {@code fs.s3adt.*} key with variables expanded, and the secret keys
   * (plain and per-bucket) through getPassword, honouring
   * {@code fs.s3a.security.credential.provider.path} as hadoop-aws does.
   */
  static String[] nativeConfiguration(Configuration conf, String bucket) throws IOException {
    Configuration c = NativeSettings.withS3aCredentialProviders(conf, bucket);
    List<String> secretKeys = new ArrayList<>();
    for (String key : SECRET_KEYS) {
      secretKeys.add(key);
      secretKeys.add("fs.s3a.bucket." + bucket + "." + key.substring("fs.s3a.".length()));
    }
    List<String> kv = NativeSettings.settings(c,
        k -> k.startsWith("fs.s3a.") || k.startsWith("fs.s3adt."), secretKeys);
    // Tokens in the layout the running Hadoop's hadoop-aws reads (3.5: with the encryption
    // context; 3.3 and 3.4: V1), unless the configuration names the readers or the layout.
    if (c.get(TOKEN_READERS) == null) {
      String readers = readersOf(VersionInfo.getVersion());
      if (readers != null) {
        kv.add(TOKEN_READERS);
        kv.add(readers);
      }
    }
    return kv.toArray(new String[0]);
  }

  /** s3adt's key for the Hadoop version of the hadoop-aws that reads the tokens. */
  static final String TOKEN_READERS = "fs.s3a.s3adt.token.readers";

  /**
   * {@code major.minor} of a Hadoop version ({@code 3.5.0} and {@code 3.4.1-amzn-1} give
   * {@code 3.5} and {@code 3.4}); null when it does not start that way (a build without version
   * information says "Unknown"), and the native default (V1) applies.
   */
  static String readersOf(String version) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+\\.\\d+)(?:[.-].*)?$")
        .matcher(version == null ? "" : version.trim());
    return m.matches() ? m.group(1) : null;
  }

  /**
   * For a handle just opened: when delegation tokens are on and the owner's credentials hold a
   * token for {@code service} (a task launched with {@code HADOOP_TOKEN_FILE_LOCATION}), the
   * handle is bound to that token alone, as hadoop-aws does.
   */
  static DelegationTokens bind(long handle, UserGroupInformation owner, String service,
      Configuration conf) throws IOException {
    String kind = S3adtNative.tokenKind(handle);
    Token<? extends TokenIdentifier> bound = null;
    if (kind != null) {
      Token<? extends TokenIdentifier> found = owner.getCredentials().getToken(new Text(service));
      if (found != null) {
        S3adtNative.bind(handle, found.getIdentifier(), found.getPassword(),
            found.getKind().toString(), found.getService().toString());
        bound = found;
      } else if (ozoneLogin(owner, service, conf)) {
        // the Ozone binding, no token, a Kerberos login: the owner's own S3 secret (store, else
        // Ozone over SPNEGO), for this filesystem's requests and the tokens it issues
        String bucket = service.substring(service.indexOf("://") + 3);
        OzoneTokenBinding.Found secret = OzoneTokenBinding.secret(conf, bucket, owner);
        Token<TokenIdentifier> own = ozoneToken(handle, owner, "", secret);
        S3adtNative.bind(handle, own.getIdentifier(), own.getPassword(), own.getKind().toString(),
            own.getService().toString());
        return new DelegationTokens(handle, owner, kind, null, null, secret);
      } else {
        // hadoop-aws's "unbonded" mode (S3ADelegationTokens.deployUnbonded), with its text
        LOG.debug("No delegation tokens present: using direct authentication");
      }
    }
    Rebind rebind = bound == null ? null : new Rebind(handle, owner, bound, conf);
    DelegationTokens t = new DelegationTokens(handle, owner, kind, bound, rebind, null);
    t.ozoneSelected = kind != null
        && OzoneTokenBinding.isSelected(conf, service.substring(service.indexOf("://") + 3));
    return t;
  }

  /** The Ozone binding is configured for the service's bucket and the owner logged in by Kerberos. */
  private static boolean ozoneLogin(UserGroupInformation owner, String service,
      Configuration conf) {
    String bucket = service.substring(service.indexOf("://") + 3);
    return OzoneTokenBinding.isSelected(conf, bucket) && owner.hasKerberosCredentials();
  }

  /** A Full token of the Ozone binding carrying {@code found}'s credentials, made natively. */
  private static Token<TokenIdentifier> ozoneToken(long handle, UserGroupInformation owner,
      String renewerShort, OzoneTokenBinding.Found found) throws IOException {
    byte[][] parts = S3adtOzone.issueToken(handle, owner.getUserName(), renewerShort,
        found.secret.accessKeyId(), found.secret.secretAccessKey(), found.source);
    return new Token<TokenIdentifier>(parts[0], parts[1], new Text(parts[2]), new Text(parts[3]));
  }

  /**
   * Before a request: when the bound token is within {@link Rebind#MARGIN_KEY} of its expiry,
   * move to a newer token of its kind from the owner's credentials, if there is one (see
   * {@link Rebind}). Cheap otherwise: one comparison of the clock.
   */
  void refresh() {
    if (rebind != null) {
      Token<? extends TokenIdentifier> newer = rebind.refresh();
      if (newer != null) {
        bound = newer;
      }
    }
  }

  /**
   * Whether {@link #refresh} can ever move to another token: only a filesystem bound to a token
   * at initialize can (an unbound one signs with its login credentials for its whole life).
   */
  boolean canRebind() {
    return rebind != null;
  }

  /** The binding's token kind; null when delegation tokens are off. */
  String kind() {
    return kind;
  }

  boolean enabled() {
    return kind != null;
  }

  boolean isBound() {
    return bound != null;
  }

  /**
   * The token the handle is bound to, else a new one from the bucket's binding (STS for
   * Session and Role tokens); null when delegation tokens are off. The owner is the user who
   * created the filesystem (the Kerberos principal when security is on).
   */
  Token<?> token(String renewer) throws IOException {
    if (kind == null) {
      return null;
    }
    if (bound != null) {
      return bound;
    }
    // The renewer as AbstractDelegationTokenIdentifier stores it: a principal's short name
    // through the auth_to_local rules (yarn/host@REALM -> yarn), as hadoop-aws's tokens carry.
    String renewerShort = renewer == null || renewer.isEmpty() ? ""
        : new HadoopKerberosName(renewer).getShortName();
    if (ozone != null) {
      return ozoneToken(handle, owner, renewerShort, ozone);
    }
    if (ozoneSelected) {
      throw new DelegationTokenIOException(OzoneTokenBinding.NAME + " issues tokens for a Kerberos"
          + " login, and " + owner.getUserName() + " has none (" + owner.getAuthenticationMethod()
          + "): run kinit (or log in from a keytab) and try again");
    }
    byte[][] parts = S3adtNative.issueToken(handle, owner.getUserName(), renewerShort);
    return new Token<TokenIdentifier>(parts[0], parts[1], new Text(parts[2]), new Text(parts[3]));
  }

  /** The bound token's identifier as text (no secrets), or null when not bound to one. */
  String boundDescription() throws IOException {
    return S3adtNative.boundDescription(handle);
  }
}
