package org.s3adt.fs;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.s3adt.jni.S3adtRebind;
import org.s3adt.token.S3adtTokenIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound filesystem's move to newer tokens (issue 16): when the token it signs with is within
 * {@value #MARGIN_KEY} of its credentials' expiry, or past it, the owner's credentials are
 * searched for the filesystem's service ({@code s3a://bucket}); a token there of the same kind
 * whose credentials expire later is handed to the native store ({@link S3adtRebind}), which signs
 * every later request with it, those of open reads and multipart uploads included. Spark puts
 * such tokens there: with a keytab its driver re-obtains every filesystem's tokens before they
 * expire (it learns their lifetime from {@link org.s3adt.token.S3adtTokenRenewer}) and its
 * executors add them to the user's credentials. Without a newer token nothing changes, and once
 * the bound token has expired the native store refuses it before any request, naming the expiry.
 *
 * <p>The owner is the user the filesystem was created for (Hadoop caches filesystems per user):
 * the current user when it was created, whose credentials Spark's executors update.
 */
final class Rebind {
  private static final Logger LOG = LoggerFactory.getLogger(S3adtFileSystem.class);

  /** How long before the bound token's expiry to look for a newer one. */
  static final String MARGIN_KEY = "fs.s3a.s3adt.token.rebind.margin";
  /** Default margin: 5 minutes, a third of the shortest STS session (15 minutes). */
  static final long DEFAULT_MARGIN_MS = 5 * 60 * 1000L;
  /** Within the margin but not expired, the credentials are searched at most this often. */
  static final long LOOK_INTERVAL_MS = 1000L;

  private final long handle;
  private final UserGroupInformation owner;
  private final Text service;
  private final long marginMs;
  private Token<? extends TokenIdentifier> bound;
  /** The bound token's credentials' expiry, ms; 0 when they do not expire (Full) or unknown. */
  private volatile long expiry;
  private long nextLook;

  Rebind(long handle, UserGroupInformation owner, Token<? extends TokenIdentifier> bound,
      Configuration conf) {
    this.handle = handle;
    this.owner = owner;
    this.service = new Text(bound.getService());
    this.marginMs = Math.max(0, conf.getTimeDuration(MARGIN_KEY, DEFAULT_MARGIN_MS,
        java.util.concurrent.TimeUnit.MILLISECONDS));
    this.bound = bound;
    this.expiry = expiryOf(bound);
  }

  /** The credentials' expiry, 0 when none or the identifier does not decode. */
  private static long expiryOf(Token<?> t) {
    try {
      return S3adtTokenIdentifier.decode(t).getExpiration();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * When near the expiry: the newer token now bound, else null. Errors are logged, never
   * thrown: the request goes on with the bound token (and fails naming its expiry if it has
   * expired).
   */
  Token<? extends TokenIdentifier> refresh() {
    long exp = expiry;
    if (exp <= 0) {
      return null;
    }
    long now = System.currentTimeMillis();
    if (now < exp - marginMs) {
      return null;
    }
    synchronized (this) {
      if (expiry != exp) {
        return bound; // another thread rebound meanwhile
      }
      if (now < exp && now < nextLook) {
        return null; // looked a moment ago; until the expiry, no need to look at every request
      }
      nextLook = now + LOOK_INTERVAL_MS;
      Token<? extends TokenIdentifier> found = owner.getCredentials().getToken(service);
      if (found == null || !found.getKind().equals(bound.getKind())
          || Arrays.equals(found.getIdentifier(), bound.getIdentifier())) {
        return null;
      }
      long foundExpiry = expiryOf(found);
      if (foundExpiry <= exp) {
        return null;
      }
      try {
        if (!S3adtRebind.rebind(handle, found.getIdentifier(), found.getPassword(),
            found.getKind().toString(), found.getService().toString())) {
          return null;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: not rebinding to the newer {} token in the credentials: {}", service,
            found.getKind(), e.toString());
        return null;
      }
      LOG.info("{}: rebound to a newer {} token, its credentials expiring at {} (the previous"
          + " token's at {})", service, found.getKind(), Instant.ofEpochMilli(foundExpiry),
          Instant.ofEpochMilli(exp));
      bound = found;
      expiry = foundExpiry;
      return found;
    }
  }
}
