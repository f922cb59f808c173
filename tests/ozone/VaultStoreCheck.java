import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.s3adt.ozone.S3Secret;
import org.s3adt.ozone.S3SecretStore;

/**
 * org.s3adt.vault.VaultS3SecretStore (over JNI) on the OpenBao where Ozone's OM keeps its S3
 * secrets, as the Ozone token binding loads it (by name, the Configuration constructor). Run by
 * tests/ozone/vault.sh: java VaultStoreCheck TOKEN_SITE TOKEN_FILE JCEKS APPROLE_SITE ALICE
 * ALICE_SECRET_FILE BOB. TOKEN_SITE's Vault token is put into the JCEKS file, so the store reads it
 * through Configuration.getPassword. Prints PASS/FAIL lines; never a secret.
 */
public class VaultStoreCheck {
  static int failed;

  static void check(String name, boolean ok) {
    System.out.println((ok ? "PASS  " : "FAIL  ") + name);
    if (!ok) {
      failed++;
    }
  }

  static S3SecretStore open(Configuration conf) throws Exception {
    return (S3SecretStore) Class.forName("org.s3adt.vault.VaultS3SecretStore")
        .getConstructor(Configuration.class).newInstance(conf);
  }

  public static void main(String[] a) throws Exception {
    String tokenSite = a[0], tokenFile = a[1], jceks = a[2], approleSite = a[3];
    String alice = a[4], aliceSecret = new String(Files.readAllBytes(Paths.get(a[5])),
        StandardCharsets.UTF_8).trim(), bob = a[6];

    Configuration c = new Configuration(false);
    c.addResource(new Path(tokenSite));
    String provider = "jceks://file" + jceks;
    c.set("fs.s3a.security.credential.provider.path", provider);
    Configuration forJceks = new Configuration(false);
    forJceks.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, provider);
    CredentialProvider p = CredentialProviderFactory.getProviders(forJceks).get(0);
    p.createCredentialEntry("fs.s3a.s3adt.vault.token", new String(Files.readAllBytes(
        Paths.get(tokenFile)), StandardCharsets.UTF_8).trim().toCharArray());
    p.flush();
    check("the token is only in the JCEKS file", c.get("fs.s3a.s3adt.vault.token") == null);

    S3SecretStore store = open(c);
    String carol = "carol@" + alice.substring(alice.indexOf('@') + 1);
    String value = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    check("store (TOKEN auth, token from JCEKS): nothing stored for " + carol,
        store.get(carol) == null);
    store.put(carol, new S3Secret(carol, value));
    S3Secret got = store.get(carol);
    check("put then get: the same secret", got != null && value.equals(got.secretAccessKey())
        && carol.equals(got.accessKeyId()));
    check("toString hides the secret", !String.valueOf(got).contains(value)
        && !store.toString().contains(value));
    check("remove: true, then nothing stored", store.remove(carol) && store.get(carol) == null);
    check("remove again: false", !store.remove(carol));
    S3Secret ozones = store.get(alice);
    check("the secret Ozone's OM wrote for " + alice + " reads back as Ozone issued it",
        ozones != null && aliceSecret.equals(ozones.secretAccessKey()));

    Configuration ar = new Configuration(false);
    ar.addResource(new Path(approleSite));
    S3SecretStore alices = open(ar);
    S3Secret mine = alices.get(alice);
    check("alice's AppRole: her own secret", mine != null
        && aliceSecret.equals(mine.secretAccessKey()));
    try {
      alices.get(bob);
      check("alice's AppRole: bob's secret refused", false);
    } catch (AccessDeniedException e) {
      String m = String.valueOf(e.getMessage());
      check("alice's AppRole: bob's secret refused (AccessDeniedException naming the path and 403)",
          m.contains(bob) && m.contains("403") && !m.contains(aliceSecret));
      System.out.println("    " + m);
    }
    try {
      alices.put(alice, new S3Secret(alice, value));
      check("alice's AppRole may not write", false);
    } catch (IOException e) {
      check("alice's AppRole may not write (" + e.getClass().getSimpleName() + ")",
          e instanceof AccessDeniedException);
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
