package org.s3adt.spark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;

/**
 * Writes AWS keys into a Hadoop credential provider file, as {@code hadoop credential create}
 * does: {@code Jceks jceks://file/PATH} reads {@code NAME=VALUE} lines (e.g.
 * {@code fs.s3a.access.key=...}) from stdin, so no key is on a command line. Run with Spark's
 * jars on the class path (Hadoop's client has the provider classes).
 */
public final class Jceks {
  private Jceks() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration(false);
    conf.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, args[0]);
    CredentialProvider p = CredentialProviderFactory.getProviders(conf).get(0);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int n = 0;
    for (String line; (line = in.readLine()) != null; ) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        p.createCredentialEntry(line.substring(0, eq), line.substring(eq + 1).toCharArray());
        n++;
      }
    }
    p.flush();
    System.out.println("jceks: " + n + " entries in " + args[0]);
  }
}
