package org.s3adt.token;

import java.io.IOException;
import java.time.Instant;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenRenewer;

/**
 * The {@link TokenRenewer} of the S3A kinds ({@code S3ADelegationToken/Full}, {@code /Session},
 * {@code /Role}), registered in {@code META-INF/services/org.apache.hadoop.security.token.TokenRenewer}.
 * Pure Java, like the identifiers: it needs neither the native library nor hadoop-aws, and works
 * whichever identifier class Hadoop decodes the kind with (it decodes the bytes itself with
 * {@link S3adtTokenIdentifier#decode}).
 *
 * <p>S3A tokens carry credentials that no service can extend or revoke, so this renewer calls no
 * service: {@link #renew} only says when the token stops working, and {@link #cancel} does
 * nothing. What it is for is Spark: {@code HadoopFSDelegationTokenProvider.getTokenRenewalInterval}
 * calls {@code Token.renew()} on freshly obtained tokens and takes {@code renew() - issueDate}
 * as the tokens' lifetime, then re-obtains every filesystem's tokens at
 * {@code spark.security.credentials.renewalRatio} of it and ships them to the executors, where
 * a running s3adt filesystem rebinds to them. Without a renewer, {@code Token.renew()} throws
 * and Spark never schedules that.
 *
 * <p>{@link #isManaged} is false: YARN's ResourceManager ({@code DelegationTokenRenewer}) and
 * {@code hdfs fetchdt --renew/--cancel} only touch managed tokens, so they leave S3A tokens alone
 * and a submission never fails because of them.
 */
public final class S3adtTokenRenewer extends TokenRenewer {

  /**
   * Set to false to make {@link #renew} fail as if there were no renewer (Spark then never
   * re-obtains S3A tokens, the behaviour before this class). Default true.
   */
  public static final String ENABLED_KEY = "fs.s3a.s3adt.token.renewer.enabled";

  @Override
  public boolean handleKind(Text kind) {
    return S3adtTokenIdentifier.forKind(kind) != null;
  }

  /** False: nothing to renew or cancel on a service; YARN's RM leaves these tokens alone. */
  @Override
  public boolean isManaged(Token<?> token) {
    return false;
  }

  /**
   * The token's expiry, milliseconds since the epoch: its {@code maxDate}, which s3adt sets to
   * the credentials' expiry for Session and Role tokens. Calls nothing and extends nothing.
   *
   * <p>A token with no expiry (a Full token, whose long-lived keys never expire, or one issued
   * by hadoop-aws, which leaves {@code maxDate} 0) is an IOException saying so, rather than
   * {@code Long.MAX_VALUE}. Spark runs {@code renew} inside a {@code Try} and drops tokens whose
   * renew throws, so they add no renewal interval and Spark schedules nothing for them (for a
   * job with only Full tokens, no re-obtaining at all, which is right). {@code Long.MAX_VALUE}
   * would be taken as an interval of {@code Long.MAX_VALUE - issueDate}, which Spark caches from
   * the first tokens and adds to every later token's {@code issueDate}: a later Full token's
   * sum overflows to a date in the past, and Spark would re-obtain tokens at once, again and
   * again. YARN never asks ({@link #isManaged} is false).
   *
   * @throws IOException when the token carries no expiry, does not decode, or renewal is
   *     disabled ({@value #ENABLED_KEY})
   */
  @Override
  public long renew(Token<?> token, Configuration conf) throws IOException {
    if (conf != null && !conf.getBoolean(ENABLED_KEY, true)) {
      throw new IOException("Renewal of " + token.getKind() + " tokens is disabled ("
          + ENABLED_KEY + "=false)");
    }
    S3adtTokenIdentifier id = S3adtTokenIdentifier.decode(token);
    long maxDate = id.getMaxDate();
    if (maxDate > 0) {
      return maxDate;
    }
    if (FullTokenIdentifier.KIND.equals(token.getKind().toString())) {
      throw new IOException(token.getKind() + " tokens carry long-lived credentials which do not"
          + " expire: nothing to renew");
    }
    throw new IOException("The " + token.getKind() + " token for " + token.getService()
        + " records no expiry (maxDate 0" + (id.getExpiration() > 0
            ? "; its credentials expire at " + Instant.ofEpochMilli(id.getExpiration())
            : "") + "): tokens issued by hadoop-aws do not; s3adt's do");
  }

  /** Nothing: S3A tokens cannot be revoked (their credentials stay valid until they expire). */
  @Override
  public void cancel(Token<?> token, Configuration conf) {
    // nothing to cancel
  }
}
