package org.s3adt.token;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;

/**
 * Run by {@link KindRegistrationTest} in a child JVM with a classpath of its choosing. Prints,
 * one per line:
 * <ul>
 *   <li>{@code scan <class> <kind>}: what {@code ServiceLoader.load(TokenIdentifier.class)}
 *       yields, in order (the scan {@code Token.getClassForIdentifier} makes: last one wins);</li>
 *   <li>for each token URL string argument, {@code decoded <kind> <class>} as
 *       {@code Token.decodeIdentifier()} returns it ({@code null} for none), and
 *       {@code own <class> <kind> <deferring>} as {@link S3adtTokenIdentifier#decode} gives it.
 *   </li>
 * </ul>
 */
public final class DecodeMain {

  private DecodeMain() {
  }

  public static void main(String[] args) throws Exception {
    Iterator<TokenIdentifier> it = ServiceLoader.load(TokenIdentifier.class).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        TokenIdentifier id = it.next();
        System.out.println("scan " + id.getClass().getName() + " " + id.getKind());
      } catch (ServiceConfigurationError e) {
        System.out.println("scan-error " + e.getMessage().replace('\n', ' '));
      }
    }
    for (String url : args) {
      Token<TokenIdentifier> t = new Token<>();
      t.decodeFromUrlString(url);
      TokenIdentifier id = t.decodeIdentifier();
      System.out.println("decoded " + t.getKind() + " "
          + (id == null ? "null" : id.getClass().getName()));
      S3adtTokenIdentifier own = S3adtTokenIdentifier.decode(t);
      System.out.println("own " + own.getClass().getName() + " " + own.getKind() + " "
          + own.isDeferringToHadoopAws());
    }
  }
}
