package org.s3adt.fs;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.Test;

/**
 * {@link RefreshingObjectStore} writes out its delegation (it was a reflective proxy, which
 * checked the token before every method by construction): every instance method of the store,
 * reader and writer interfaces, default ones included, must be its own, so that a method added
 * to an interface later cannot skip the token check. RebindTest checks the behaviour on moto.
 */
public class RefreshingObjectStoreTest {
  private static void allOverridden(Class<?> api, Class<?> impl) throws Exception {
    assertEquals(impl + " implements " + api, true, api.isAssignableFrom(impl));
    for (Method m : api.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method own = impl.getMethod(m.getName(), m.getParameterTypes());
      assertEquals(api.getSimpleName() + "." + m.getName() + " is delegated by " + impl.getName(),
          impl, own.getDeclaringClass());
    }
  }

  @Test
  public void everyMethodChecksTheToken() throws Exception {
    allOverridden(ObjectStore.class, RefreshingObjectStore.class);
    allOverridden(ObjectStore.Reader.class,
        Class.forName("org.s3adt.fs.RefreshingObjectStore$RefreshingReader"));
    allOverridden(ObjectStore.Writer.class,
        Class.forName("org.s3adt.fs.RefreshingObjectStore$RefreshingWriter"));
  }
}
