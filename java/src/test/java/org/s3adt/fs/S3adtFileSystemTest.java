package org.s3adt.fs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.s3adt.jni.S3adtNative;
import org.s3adt.jni.S3adtStore;
import org.s3adt.jni.TestFfi;
import org.s3adt.token.S3adtTokenIdentifier;
import org.s3adt.token.TestSecrets;

/**
 * The FileSystem's token side against a real moto server (STS, IAM) through libs3adt.so:
 * the three bindings, per-bucket options, JCEKS secrets, binding to a token in the UGI, the
 * failures with hadoop-aws's texts and exception classes, a deliberate Rust panic, and 32
 * threads at once. Run by tests/java/run.sh, under -Xcheck:jni.
 */
public class S3adtFileSystemTest {
  private static final URI BUCKET_A = URI.create("s3a://bucket-a/");
  private static final URI BUCKET_B = URI.create("s3a://bucket-b/");

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private static FileSystem open(URI uri, Configuration conf) throws IOException {
    return FileSystem.newInstance(uri, conf);
  }

  private static void assertNoSecret(String text) {
    String sk = TestEnv.env("S3ADT_MOTO_SK");
    assertFalse("text shows the secret key: " + text, text.contains(sk));
  }

  @Test
  public void fullTokenForTheBucketOwnedByTheUgiUser() throws Exception {
    try (FileSystem fs = open(BUCKET_A, TestEnv.withBinding(TestEnv.FULL))) {
      assertTrue(fs instanceof S3adtFileSystem);
      assertEquals("s3a://bucket-a", fs.getCanonicalServiceName());
      Token<?> t = fs.getDelegationToken("yarn");
      assertEquals(new Text("S3ADelegationToken/Full"), t.getKind());
      assertEquals(new Text("s3a://bucket-a"), t.getService());
      TokenIdentifier id = t.decodeIdentifier();
      assertNotNull("no identifier class decodes " + t.getKind(), id);
      assertEquals(UserGroupInformation.getCurrentUser().getUserName(),
          id.getUser().getUserName());
      assertNoSecret(id.toString());
      assertNoSecret(t.toString());
      assertTrue(fs.hasPathCapability(new Path("/"), S3adtFileSystem.CAPABILITY_DELEGATION_TOKENS));
      assertFalse(fs.hasPathCapability(new Path("/"), S3adtFileSystem.CAPABILITY_BOUND_TO_TOKEN));
    }
  }

  @Test
  public void tokensDisabledMeansNoServiceAndNoToken() throws Exception {
    Configuration c = TestEnv.base();
    try (FileSystem fs = open(BUCKET_A, c)) {
      assertNull(fs.getCanonicalServiceName());
      assertNull(fs.getDelegationToken("yarn"));
      Credentials creds = new Credentials();
      assertEquals(0, fs.addDelegationTokens("yarn", creds).length);
      assertEquals(0, creds.numberOfTokens());
      assertFalse(fs.hasPathCapability(new Path("/"), S3adtFileSystem.CAPABILITY_DELEGATION_TOKENS));
    }
  }

  @Test
  public void sessionAndRoleTokensFromStsCarryExpiringSessionCredentials() throws Exception {
    for (String[] b : new String[][] {{TestEnv.SESSION, "Session"}, {TestEnv.ROLE, "Role"}}) {
      Token<?> t;
      try (FileSystem fs = open(BUCKET_A, TestEnv.withBinding(b[0]))) {
        t = fs.getDelegationToken(null);
      }
      assertEquals(new Text("S3ADelegationToken/" + b[1]), t.getKind());
      S3adtTokenIdentifier id = boundIdentifier(t, b[0]);
      assertNotEquals("an STS key, not alice's", TestEnv.env("S3ADT_MOTO_AK"),
          TestSecrets.accessKey(id));
      assertEquals(b[1] + " token without a session token",
          S3adtTokenIdentifier.CredentialType.SESSION, id.getCredentialType());
      long expiry = id.getExpiration();
      assertTrue(b[1] + " expiry in the future: " + expiry, expiry > System.currentTimeMillis());
      assertNoSecret(t.decodeIdentifier().toString());
    }
  }

  /** A token of {@code binding} for bucket-a, collected as a job client does (alice's keys). */
  private static Token<?> token(String binding) throws IOException {
    try (FileSystem fs = open(BUCKET_A, TestEnv.withBinding(binding))) {
      return fs.getDelegationToken("yarn");
    }
  }

  /** A task's UGI: holds {@code t} and nothing else. */
  private static UserGroupInformation task(Token<?> t) {
    UserGroupInformation task = UserGroupInformation.createRemoteUser("task");
    task.addToken(t);
    return task;
  }

  /** A task's configuration: the binding, no keys. */
  private static Configuration taskConf(String binding) {
    Configuration c = TestEnv.base();
    c.set("fs.s3a.delegation.token.binding", binding);
    return c;
  }

  /**
   * The identifier of {@code t}, decoded in Java, after checking that a filesystem in a task's
   * UGI (no keys) binds to it: the native side describes the very identifier it bound to.
   */
  private static S3adtTokenIdentifier boundIdentifier(Token<?> t, String binding)
      throws Exception {
    UserGroupInformation task = task(t);
    Configuration c = taskConf(binding);
    S3adtTokenIdentifier id = S3adtTokenIdentifier.decode(t);
    task.doAs((PrivilegedExceptionAction<Void>) () -> {
      try (FileSystem fs = open(URI.create(t.getService().toString()), c)) {
        assertTrue(fs.hasPathCapability(new Path("/"), S3adtFileSystem.CAPABILITY_BOUND_TO_TOKEN));
        assertEquals(id.toString(), ((S3adtFileSystem) fs).getBoundTokenDescription());
      }
      return null;
    });
    return id;
  }

  private static long handleOf(S3adtFileSystem fs) throws Exception {
    java.lang.reflect.Field f = S3adtFileSystem.class.getDeclaredField("handle");
    f.setAccessible(true);
    return f.getLong(fs);
  }

  @Test
  public void perBucketOptionsOverrideTheBase() throws Exception {
    Configuration c = TestEnv.withBinding(TestEnv.SESSION);
    c.set("fs.s3a.bucket.bucket-b.delegation.token.binding", TestEnv.FULL);
    try (FileSystem a = open(BUCKET_A, c); FileSystem b = open(BUCKET_B, c)) {
      assertEquals(new Text("S3ADelegationToken/Session"), a.getDelegationToken("r").getKind());
      assertEquals(new Text("S3ADelegationToken/Full"), b.getDelegationToken("r").getKind());
    }
    // a per-bucket empty binding switches tokens off for that bucket only
    c.set("fs.s3a.bucket.bucket-b.delegation.token.binding", "");
    try (FileSystem b = open(BUCKET_B, c)) {
      assertNull(b.getCanonicalServiceName());
    }
  }

  @Test
  public void secretsComeThroughJceksCredentialProviders() throws Exception {
    File store = new File(tmp.getRoot(), "s3.jceks");
    String path = "jceks://file" + store.getAbsolutePath();
    Configuration c = TestEnv.base();
    c.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, path);
    CredentialProvider p = CredentialProviderFactory.getProviders(c).get(0);
    p.createCredentialEntry("fs.s3a.access.key", TestEnv.env("S3ADT_MOTO_AK").toCharArray());
    p.createCredentialEntry("fs.s3a.bucket.bucket-a.secret.key",
        TestEnv.env("S3ADT_MOTO_SK").toCharArray());
    p.flush();
    c.set("fs.s3a.delegation.token.binding", TestEnv.FULL);
    assertNull("the keys are in the store only", c.get("fs.s3a.access.key"));
    Token<?> t;
    try (FileSystem fs = open(BUCKET_A, c)) {
      t = fs.getDelegationToken("yarn");
    }
    S3adtTokenIdentifier id = boundIdentifier(t, TestEnv.FULL);
    assertEquals(TestEnv.env("S3ADT_MOTO_AK"), TestSecrets.accessKey(id));
    assertEquals(TestEnv.env("S3ADT_MOTO_SK"), TestSecrets.secretKey(id));
    assertEquals("", TestSecrets.sessionToken(id));
  }

  @Test
  public void aTaskBindsToItsTokenAndNeedsNoSecrets() throws Exception {
    Token<?> t = token(TestEnv.SESSION);
    UserGroupInformation task = task(t);
    Configuration noKeys = taskConf(TestEnv.SESSION);
    // an unreachable STS proves nothing is fetched: the bound token is handed back
    noKeys.set("fs.s3a.assumed.role.sts.endpoint", "http://127.0.0.1:9");
    task.doAs((PrivilegedExceptionAction<Void>) () -> {
      try (FileSystem fs = open(BUCKET_A, noKeys)) {
        Token<?> again = fs.getDelegationToken("yarn");
        assertArrayEquals(t.getIdentifier(), again.getIdentifier());
        Credentials creds = new Credentials();
        Token<?>[] added = fs.addDelegationTokens("yarn", creds);
        assertEquals(1, added.length);
        assertArrayEquals(t.getIdentifier(), creds.getToken(t.getService()).getIdentifier());
        String d = ((S3adtFileSystem) fs).getBoundTokenDescription();
        assertTrue(d, d.contains("s3a://bucket-a"));
        assertNoSecret(d);
      }
      return null;
    });
  }

  /** The messages S3adtFileSystem logs (at any level) while {@code body} runs. */
  private static List<String> logged(Callable<Void> body) throws Exception {
    org.apache.log4j.Logger log = org.apache.log4j.Logger.getLogger(S3adtFileSystem.class);
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    org.apache.log4j.AppenderSkeleton capture = new org.apache.log4j.AppenderSkeleton() {
      @Override
      protected void append(org.apache.log4j.spi.LoggingEvent e) {
        seen.add(e.getRenderedMessage());
      }

      @Override
      public void close() {
      }

      @Override
      public boolean requiresLayout() {
        return false;
      }
    };
    org.apache.log4j.Level before = log.getLevel();
    log.setLevel(org.apache.log4j.Level.DEBUG);
    log.addAppender(capture);
    try {
      body.call();
    } finally {
      log.removeAppender(capture);
      log.setLevel(before);
    }
    return new ArrayList<>(seen);
  }

  @Test
  public void withoutATokenTheLoginChainIsUsedAndTheLogSaysSo() throws Exception {
    String unbonded = "No delegation tokens present: using direct authentication";
    Token<?>[] t = new Token<?>[1];
    List<String> seen = logged(() -> {
      try (FileSystem fs = open(BUCKET_A, TestEnv.withBinding(TestEnv.FULL))) {
        t[0] = fs.getDelegationToken("yarn");
      }
      return null;
    });
    assertTrue(seen.toString(), seen.contains(unbonded));
    // bound to a token: not said
    UserGroupInformation task = task(t[0]);
    Configuration c = taskConf(TestEnv.FULL);
    seen = logged(() -> task.doAs((PrivilegedExceptionAction<Void>) () -> {
      open(BUCKET_A, c).close();
      return null;
    }));
    assertFalse(seen.toString(), seen.contains(unbonded));
    // delegation tokens off: nothing to say
    seen = logged(() -> {
      open(BUCKET_A, TestEnv.base()).close();
      return null;
    });
    assertFalse(seen.toString(), seen.contains(unbonded));
  }

  @Test
  public void aTokenOfAnotherKindIsATokenMismatch() throws Exception {
    UserGroupInformation task = task(token(TestEnv.FULL));
    Configuration c = taskConf(TestEnv.SESSION);
    try {
      task.doAs((PrivilegedExceptionAction<FileSystem>) () -> open(BUCKET_A, c));
      fail("a Full token bound under the Session binding");
    } catch (DelegationTokenIOException e) {
      assertEquals("Token mismatch: expected token for s3a://bucket-a of type "
          + "S3ADelegationToken/Session but got a token of type S3ADelegationToken/Full",
          e.getMessage());
    }
  }

  @Test
  public void aMissingRoleArnFailsOnlyWhenATokenIsAskedFor() throws Exception {
    Configuration c = TestEnv.withBinding(TestEnv.ROLE);
    c.unset("fs.s3a.assumed.role.arn");
    try (FileSystem fs = open(BUCKET_A, c)) {
      assertEquals("s3a://bucket-a", fs.getCanonicalServiceName());
      fs.getDelegationToken("yarn");
      fail("a Role token without a role ARN");
    } catch (DelegationTokenIOException e) {
      assertEquals("No role ARN defined in fs.s3a.assumed.role.arn", e.getMessage());
    }
  }

  @Test
  public void stsRefusingTheKeysIsAccessDenied() throws Exception {
    Configuration c = TestEnv.withBinding(TestEnv.SESSION);
    c.set("fs.s3a.assumed.role.sts.endpoint", TestEnv.env("S3ADT_MOTO_AUTH_ENDPOINT"));
    c.set("fs.s3a.access.key", "AKIANOBODYKNOWS00000");
    c.set("fs.s3a.secret.key", "not-a-secret-anyone-issued");
    try (FileSystem fs = open(BUCKET_A, c)) {
      fs.getDelegationToken("yarn");
      fail("STS with authentication on accepted unknown keys");
    } catch (AccessDeniedException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("InvalidClientTokenId"));
      assertFalse(e.getMessage().contains("not-a-secret-anyone-issued"));
    }
  }

  @Test
  public void anUnknownBindingIsABadValueNamingTheKey() throws Exception {
    Configuration c = TestEnv.withBinding("org.example.NoSuchBinding");
    try {
      open(BUCKET_A, c).close();
      fail("an unknown binding class was accepted");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("fs.s3a.delegation.token.binding"));
      assertTrue(e.getMessage(), e.getMessage().contains("org.example.NoSuchBinding"));
    }
  }

  @Test
  public void aRustPanicIsAnIOExceptionAndTheLibraryKeepsWorking() throws Exception {
    TestFfi.assumeAvailable();
    for (int i = 0; i < 3; i++) {
      try {
        TestFfi.debugPanic();
        fail("debugPanic returned");
      } catch (IOException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("panic"));
        // Where it happened, never the panic's own message (which could quote a secret).
        assertTrue(e.getMessage(), e.getMessage().contains(
            "internal error (a bug in s3adt) at rust/ffi/src/test_ffi.rs:"));
        assertFalse(e.getMessage(), e.getMessage().contains("S3ADT-DEBUG-PANIC-PAYLOAD"));
      }
    }
    try (FileSystem fs = open(BUCKET_A, TestEnv.withBinding(TestEnv.FULL))) {
      assertNotNull(fs.getDelegationToken("yarn"));
    }
  }

  @Test
  public void aClosedFilesystemOrHandleIsAnIOExceptionNotACrash() throws Exception {
    FileSystem fs = open(BUCKET_A, TestEnv.withBinding(TestEnv.FULL));
    long handle = handleOf((S3adtFileSystem) fs);
    fs.close();
    fs.close();
    try {
      fs.getDelegationToken("yarn");
      fail("a closed filesystem issued a token");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("closed"));
    }
    for (long h : new long[] {handle, -1, 0, Long.MAX_VALUE}) {
      try {
        S3adtNative.issueToken(h, "u", "r");
        fail("handle " + h + " issued a token");
      } catch (IOException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("handle " + h + " is closed"));
      }
    }
  }

  @Test
  public void handlesAreRandomNotCounted() throws Exception {
    S3adtNative.ensureLoaded();
    long[] h = new long[4];
    for (int i = 0; i < h.length; i++) {
      h[i] = S3adtNative.open(new String[0], "b");
    }
    try {
      for (int i = 0; i < h.length; i++) {
        assertTrue("handle " + h[i], h[i] > 0);
        for (int j = 0; j < i; j++) {
          // sequential handles (1, 2, 3 ...) let any code in the JVM reach every filesystem
          assertTrue(h[j] + " then " + h[i], Math.abs(h[i] - h[j]) > 1000);
        }
      }
      // neighbours of a live handle are unknown
      for (long near : new long[] {h[0] + 1, h[0] - 1, h[3] + 1}) {
        try {
          S3adtNative.tokenKind(near);
          fail("handle " + near + " next to " + h[0] + " is known");
        } catch (IOException e) {
          assertTrue(e.getMessage(), e.getMessage().contains("handle " + near + " is closed"));
        }
      }
    } finally {
      for (long x : h) {
        S3adtNative.close(x);
      }
    }
    // streams too
    try (S3adtFileSystem fs = (S3adtFileSystem) open(BUCKET_A, TestEnv.base())) {
      long w1 = S3adtStore.openWrite(handleOf(fs), "handles/one");
      long w2 = S3adtStore.openWrite(handleOf(fs), "handles/two");
      try {
        assertTrue(w1 + " then " + w2, w1 > 0 && w2 > 0 && Math.abs(w2 - w1) > 1000);
        try {
          S3adtStore.length(w1 + 1);
          fail("stream " + (w1 + 1) + " is known");
        } catch (IOException e) {
          assertTrue(e.getMessage(), e.getMessage().contains("is closed"));
        }
      } finally {
        S3adtStore.abortWrite(w1);
        S3adtStore.abortWrite(w2);
      }
    }
  }

  @Test
  public void nullsAndMalformedArgumentsAreExceptions() throws Exception {
    S3adtNative.ensureLoaded();
    try {
      S3adtNative.open(new String[] {"only-a-key"}, "b");
      fail();
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("odd length"));
    }
    try {
      S3adtNative.open(null, "b");
      fail();
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("null"));
    }
    long h = S3adtNative.open(new String[0], "b");
    try {
      S3adtNative.bind(h, new byte[] {1, 2, 3}, new byte[0], "S3ADelegationToken/Full", "s3a://b");
      fail("three bytes bound as an identifier");
    } catch (DelegationTokenIOException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("Failed to unmarshall token for s3a://b"));
    } finally {
      S3adtNative.close(h);
    }
  }

  @Test
  public void thirtyTwoThreadsInitializeAndIssueAtOnce() throws Exception {
    int n = 32;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Token<?>>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final String binding = i % 3 == 0 ? TestEnv.FULL : i % 3 == 1 ? TestEnv.SESSION : TestEnv.ROLE;
      final URI uri = i % 2 == 0 ? BUCKET_A : BUCKET_B;
      futures.add(pool.submit((Callable<Token<?>>) () -> {
        start.await();
        try (FileSystem fs = open(uri, TestEnv.withBinding(binding))) {
          return fs.getDelegationToken("yarn");
        }
      }));
    }
    start.countDown();
    Set<String> identifiers = new HashSet<>();
    for (Future<Token<?>> f : futures) {
      Token<?> t = f.get(120, TimeUnit.SECONDS);
      assertNotNull(t);
      assertNotNull(t.decodeIdentifier());
      identifiers.add(java.util.Arrays.toString(t.getIdentifier()));
    }
    pool.shutdown();
    assertEquals("every token is its own (uuid, created)", n, identifiers.size());
  }
}
