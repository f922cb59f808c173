package org.s3adt.jni;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;

/**
 * Settings as the natives take them: a {@code String[]} of alternating keys and values, with
 * Hadoop's variables expanded and the secrets read through {@link Configuration#getPassword}, so
 * they may live in a Hadoop credential provider (JCEKS). The one place both the filesystem's
 * configuration ({@code S3adtNative.open}) and the Vault store's ({@code S3adtVault}) are made.
 */
public final class NativeSettings {
  private NativeSettings() {
  }

  /**
   * {@code conf} with the credential providers of {@code fs.s3a.security.credential.provider.path}
   * (the bucket's {@code fs.s3a.bucket.<bucket>.security.credential.provider.path} first, when
   * {@code bucket} is not null) ahead of {@code hadoop.security.credential.provider.path}, as
   * hadoop-aws reads its secrets; {@code conf} itself when neither is set.
   */
  public static Configuration withS3aCredentialProviders(Configuration conf, String bucket) {
    String key = "security.credential.provider.path";
    String global = conf.getTrimmed("fs.s3a." + key, "");
    String providers = bucket == null ? global
        : conf.getTrimmed("fs.s3a.bucket." + bucket + "." + key, global);
    if (providers.isEmpty()) {
      return conf;
    }
    Configuration c = new Configuration(conf);
    String existing = conf.getTrimmed("hadoop." + key, "");
    c.set("hadoop." + key, existing.isEmpty() ? providers : providers + "," + existing);
    return c;
  }

  /**
   * The keys of {@code conf} that {@code include} selects, as alternating keys and values
   * ({@code conf.get}: variables expanded), then each of {@code secretKeys} that has a value
   * through {@code getPassword} (a credential provider's, else the configuration's own), each
   * key once. The char arrays getPassword returns are wiped.
   */
  public static List<String> settings(Configuration conf, Predicate<String> include,
      Collection<String> secretKeys) throws IOException {
    List<String> kv = new ArrayList<>();
    for (Map.Entry<String, String> e : conf) {
      String k = e.getKey();
      if (include.test(k) && !secretKeys.contains(k)) {
        String v = conf.get(k);
        if (v != null) {
          kv.add(k);
          kv.add(v);
        }
      }
    }
    for (String k : secretKeys) {
      char[] secret = conf.getPassword(k);
      String v = secret != null ? new String(secret) : conf.get(k);
      if (secret != null) {
        Arrays.fill(secret, '\0');
      }
      if (v != null) {
        kv.add(k);
        kv.add(v);
      }
    }
    return kv;
  }
}
