package org.s3adt.fs;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * An {@link ObjectStore} whose every call, and every call on the readers and writers it opens,
 * first lets the filesystem's delegation tokens move to a newer token when the bound one nears
 * its expiry ({@link DelegationTokens#refresh}), so that a long read or multipart upload picks it
 * up at its next request even when nothing else uses the filesystem. A proxy, so that every
 * method of the interface, present or added later, gets the check.
 */
final class RefreshingObjectStore {
  private RefreshingObjectStore() {
  }

  static ObjectStore around(ObjectStore store, DelegationTokens tokens) {
    return wrap(ObjectStore.class, store, tokens);
  }

  private static <T> T wrap(Class<T> type, T target, DelegationTokens tokens) {
    InvocationHandler h = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(target, args);
      }
      tokens.refresh();
      Object out;
      try {
        out = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (out instanceof ObjectStore.Reader && method.getReturnType() == ObjectStore.Reader.class) {
        return wrap(ObjectStore.Reader.class, (ObjectStore.Reader) out, tokens);
      }
      if (out instanceof ObjectStore.Writer && method.getReturnType() == ObjectStore.Writer.class) {
        return wrap(ObjectStore.Writer.class, (ObjectStore.Writer) out, tokens);
      }
      return out;
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }
}
