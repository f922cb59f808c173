package org.s3adt.token;

/**
 * Whether hadoop-aws's identifier class for a kind can be loaded, i.e. whether s3adt's class for
 * that kind must leave the kind to it (see {@link S3adtTokenIdentifier}).
 */
final class HadoopAwsPresence {

  private HadoopAwsPresence() {
  }

  /**
   * True when {@code className} loads (without being initialised) through the thread's context
   * class loader, which {@code ServiceLoader.load(TokenIdentifier.class)} searches, or through
   * the loader of {@code self}. Any failure, of any kind, means "not present": this runs in a
   * static initialiser reached from the ServiceLoader scan, which must never fail.
   */
  static boolean isPresent(String className, Class<?> self) {
    ClassLoader context = null;
    try {
      context = Thread.currentThread().getContextClassLoader();
    } catch (Throwable t) {
      // a security manager may refuse; fall through to our own loader
    }
    ClassLoader own = null;
    try {
      own = self.getClassLoader();
    } catch (Throwable t) {
      // as above
    }
    return loads(className, context) || (own != context && loads(className, own));
  }

  private static boolean loads(String className, ClassLoader loader) {
    if (loader == null) {
      return false;
    }
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (Throwable t) {
      return false;
    }
  }
}
