package org.s3adt.interop;

import org.apache.hadoop.fs.s3a.auth.delegation.EncryptionSecrets;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Builds and reads hadoop-aws {@link EncryptionSecrets} across releases whose API differs:
 * 3.3.x-3.4.x have only {@code (algorithm, key)}, 3.5.0 has only {@code (algorithm, key,
 * context)} and {@code getEncryptionContext()}. Compiled against any of them, resolved at run
 * time by reflection.
 */
public final class EncryptionSecretsCompat {
  private EncryptionSecretsCompat() {
  }

  private static Constructor<EncryptionSecrets> constructor(int strings) {
    Class<?>[] types = new Class<?>[strings];
    java.util.Arrays.fill(types, String.class);
    try {
      return EncryptionSecrets.class.getConstructor(types);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** Whether this hadoop-aws's EncryptionSecrets can carry an encryption context. */
  public static boolean supportsContext() {
    return constructor(3) != null;
  }

  /**
   * New secrets: {@code (algorithm, key, context)} where the version has a context, else
   * {@code (algorithm, key)} (the context is then dropped; callers record that). Throws the
   * version's own IOException for an algorithm it does not know.
   */
  public static EncryptionSecrets create(String algorithm, String key, String context)
      throws IOException {
    Constructor<EncryptionSecrets> c3 = constructor(3);
    Constructor<EncryptionSecrets> c = c3 != null ? c3 : constructor(2);
    if (c == null) {
      throw new IllegalStateException("EncryptionSecrets has neither (String, String) nor"
          + " (String, String, String) constructor");
    }
    try {
      return c3 != null ? c.newInstance(algorithm, key, context) : c.newInstance(algorithm, key);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException) {
        throw (IOException) e.getCause();
      }
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code getEncryptionContext()} where it exists; null for versions without one. */
  public static String context(EncryptionSecrets s) {
    Method m;
    try {
      m = EncryptionSecrets.class.getMethod("getEncryptionContext");
    } catch (NoSuchMethodException e) {
      return null;
    }
    try {
      return (String) m.invoke(s);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
