package org.s3adt.token;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;

/**
 * Run by {@link S3adtTokenRenewerTest} in a child JVM with a classpath of its choosing (s3adt
 * and hadoop-aws in either order). For each token URL string argument, through Hadoop's own
 * dispatch ({@code Token.renew}, {@code isManaged}, {@code cancel}, which pick the renewer by
 * kind from the TokenRenewer services), prints
 * {@code renew <kind> <value>} or {@code renew-error <kind> <class>: <message>}, then
 * {@code managed <kind> <boolean>} and {@code cancelled <kind>}.
 */
public final class RenewMain {

  private RenewMain() {
  }

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration(false);
    for (String url : args) {
      Token<TokenIdentifier> t = new Token<>();
      t.decodeFromUrlString(url);
      try {
        System.out.println("renew " + t.getKind() + " " + t.renew(conf));
      } catch (Exception e) {
        System.out.println("renew-error " + t.getKind() + " " + e.getClass().getName() + ": "
            + e.getMessage());
      }
      System.out.println("managed " + t.getKind() + " " + t.isManaged());
      t.cancel(conf);
      System.out.println("cancelled " + t.getKind());
    }
  }
}
