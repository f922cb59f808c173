package org.s3adt.ozone;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fs.s3a.delegation.token.binding=org.s3adt.ozone.OzoneTokenBinding}: s3adt's filesystem
 * issues {@code S3ADelegationToken/Full} tokens (which hadoop-aws's Full binding reads too)
 * carrying the Ozone S3 credentials of the Kerberos-logged-in user: taken from the secret store
 * ({@code fs.s3a.s3adt.ozone.secret.store}) when it holds them, else fetched from the S3
 * gateway's secret endpoint ({@code fs.s3a.s3adt.ozone.secret.url}) over SPNEGO as the UGI's login
 * and then saved in that store, so the next submission works although Ozone gives a secret only
 * once. The credentials go to the native library directly, never into the job's configuration.
 *
 * <p>A token is never revoked implicitly: Ozone has one secret per user, and revoking it breaks
 * every job of that user. {@link #revokeSecret} revokes on purpose and removes the stored copy.
 */
public final class OzoneTokenBinding {
  private static final Logger LOG = LoggerFactory.getLogger(OzoneTokenBinding.class);

  /** The value of {@code fs.s3a.delegation.token.binding} that selects this binding. */
  public static final String NAME = "org.s3adt.ozone.OzoneTokenBinding";
  /** The S3 gateway's webadmin URL, e.g. {@code http://s3g.example.com:19878}. */
  public static final String URL_KEY = "fs.s3a.s3adt.ozone.secret.url";
  /** Empty: no store; {@code vault}: {@link #VAULT_STORE}; else a class name. */
  public static final String STORE_KEY = "fs.s3a.s3adt.ozone.secret.store";
  public static final String VAULT_STORE = "org.s3adt.vault.VaultS3SecretStore";

  /**
   * Secrets this JVM fetched from Ozone, by URL and principal: without a store, a second
   * filesystem of the same user in this JVM reuses it (Ozone would refuse a second fetch).
   */
  private static final Map<String, S3Secret> FETCHED = new ConcurrentHashMap<>();

  private OzoneTokenBinding() {
  }

  /** A principal's S3 secret and where it came from (for the token's origin; no secret). */
  public static final class Found {
    public final S3Secret secret;
    public final String source;

    Found(S3Secret secret, String source) {
      this.secret = secret;
      this.source = source;
    }
  }

  /** Whether {@code conf} names this binding for {@code bucket} (per-bucket key first). */
  public static boolean isSelected(Configuration conf, String bucket) {
    String k = "delegation.token.binding";
    return NAME.equals(conf.getTrimmed("fs.s3a.bucket." + bucket + "." + k,
        conf.getTrimmed("fs.s3a." + k, "")));
  }

  private static String get(Configuration conf, String bucket, String key) {
    String rest = key.substring("fs.s3a.".length());
    return bucket == null ? conf.getTrimmed(key, "")
        : conf.getTrimmed("fs.s3a.bucket." + bucket + "." + rest, conf.getTrimmed(key, ""));
  }

  /** The configured store; null when none is. */
  public static S3SecretStore store(Configuration conf, String bucket) throws IOException {
    String name = get(conf, bucket, STORE_KEY);
    if (name.isEmpty()) {
      return null;
    }
    String cls = name.equals("vault") ? VAULT_STORE : name;
    try {
      Class<?> c = Class.forName(cls, true, classLoader());
      if (!S3SecretStore.class.isAssignableFrom(c)) {
        throw new IOException(STORE_KEY + "=" + name + ": " + cls + " is not an "
            + S3SecretStore.class.getName());
      }
      Constructor<?> ctor = c.getConstructor(Configuration.class);
      return (S3SecretStore) ctor.newInstance(conf);
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
        | IllegalAccessException e) {
      throw new IOException(STORE_KEY + "=" + name + ": cannot load " + cls
          + " with a public (Configuration) constructor: " + e, e);
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      throw t instanceof IOException ? (IOException) t
          : new IOException(STORE_KEY + "=" + name + ": " + cls + ": " + t, t);
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    return l != null ? l : OzoneTokenBinding.class.getClassLoader();
  }

  private static String url(Configuration conf, String bucket) throws IOException {
    String url = get(conf, bucket, URL_KEY);
    if (url.isEmpty()) {
      throw new IOException(NAME + " needs the S3 gateway's webadmin URL in " + URL_KEY
          + " (e.g. http://s3g.example.com:19878) to get the S3 secret of a Kerberos user");
    }
    return url;
  }

  /**
   * The S3 secret of {@code ugi}'s Kerberos principal: the store's copy, else one fetched from
   * Ozone (or earlier in this JVM) and saved in the store.
   */
  public static Found secret(Configuration conf, String bucket, UserGroupInformation ugi)
      throws IOException {
    String principal = ugi.getUserName();
    S3SecretStore store = store(conf, bucket);
    if (store != null) {
      S3Secret s = store.get(principal);
      if (s != null) {
        LOG.debug("Ozone S3 secret of {} from the secret store", principal);
        return new Found(s, "Ozone S3 secret of " + principal + " from the secret store");
      }
    }
    String url = url(conf, bucket);
    String cacheKey = url + " " + principal;
    String source = "Ozone S3 secret of " + principal + " fetched from " + url;
    // one fetch at a time in this JVM: a second thread finds the first one's secret
    synchronized (FETCHED) {
      S3Secret s = FETCHED.get(cacheKey);
      if (s == null) {
        s = fetch(conf, bucket, ugi, url, store);
        FETCHED.put(cacheKey, s);
        if (store != null && save(conf, bucket, store, principal, s)) {
          source += " and saved in the secret store";
        }
      }
      return new Found(s, source);
    }
  }

  private static S3Secret fetch(Configuration conf, String bucket, UserGroupInformation ugi,
      String url, S3SecretStore store) throws IOException {
    String principal = ugi.getUserName();
    if (!ugi.hasKerberosCredentials()) {
      throw new IOException(NAME + ": no Kerberos login (" + principal + ", "
          + ugi.getAuthenticationMethod() + "): run kinit (or log in from a keytab) and try"
          + " again; the binding gets the S3 secret of a Kerberos user");
    }
    S3Secret s;
    try {
      s = new OzoneSecretEndpoint(url).getSecret(ugi, null);
    } catch (OzoneSecretEndpoint.RefusedException e) {
      if (e.alreadyExists()) {
        throw new IOException(principal + " already has an S3 secret (400"
            + " S3_SECRET_ALREADY_EXISTS) and Ozone gives a secret only once, "
            + (store == null ? "and no secret store is configured: set " + STORE_KEY
                + " (vault, or a class) to a store holding it"
                : "and the secret store (" + STORE_KEY + "=" + get(conf, bucket, STORE_KEY)
                + ") holds none")
            + ", or revoke it (s3adt ozone revokesecret; this breaks every job using it) so"
            + " the next submission gets a new one"
            + (store == null ? "" : " and saves it"), e);
      }
      throw new IOException(NAME + ": " + e.getMessage(), e);
    }
    if (!principal.equals(s.accessKeyId())) {
      LOG.warn("Ozone gave the S3 access key {} to the Kerberos principal {}", s.accessKeyId(),
          principal);
    }
    LOG.info("Fetched the Ozone S3 secret of {} from {}", principal, url);
    return s;
  }

  /** Saves a fetched secret; false (with a warning) when the store refused it. */
  private static boolean save(Configuration conf, String bucket, S3SecretStore store,
      String principal, S3Secret s) {
    try {
      store.put(principal, s);
      return true;
    } catch (IOException e) {
      // the secret is had now; without the saved copy the next submission is refused
      LOG.warn("The Ozone S3 secret of {} was fetched but could not be saved in the secret"
          + " store ({}={}): {}. Ozone will not give it again: the next submission fails"
          + " unless it is stored, or revoked and fetched anew", principal, STORE_KEY,
          get(conf, bucket, STORE_KEY), e.toString());
      return false;
    }
  }

  /**
   * Revokes the S3 secret of {@code ugi}'s principal at Ozone (every token and job using it stops
   * working) and removes the stored copy, if a store is configured. A stored copy is removed
   * even when Ozone has none to revoke.
   */
  public static void revokeSecret(Configuration conf, UserGroupInformation ugi) throws IOException {
    String principal = ugi.getUserName();
    String url = url(conf, null);
    IOException failed = null;
    try {
      new OzoneSecretEndpoint(url).revokeSecret(ugi, null);
    } catch (OzoneSecretEndpoint.RefusedException e) {
      if (e.status() != 404) {
        failed = e;
      }
    }
    FETCHED.remove(url + " " + principal);
    if (failed != null) {
      throw failed;
    }
    S3SecretStore store = store(conf, null);
    if (store != null && store.remove(principal)) {
      LOG.info("Removed the stored Ozone S3 secret of {}", principal);
    }
  }

  /** {@code revokesecret}: revoke the logged-in user's secret and remove its stored copy. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !args[0].equals("revokesecret")) {
      System.err.println("usage: " + NAME + " revokesecret   (with " + URL_KEY + " and "
          + STORE_KEY + " in the configuration, as the Kerberos user)");
      System.exit(2);
    }
    Configuration conf = new Configuration();
    UserGroupInformation.setConfiguration(conf);
    revokeSecret(conf, UserGroupInformation.getCurrentUser());
    System.err.println("revoked the S3 secret of " + UserGroupInformation.getCurrentUser()
        .getUserName());
  }
}
