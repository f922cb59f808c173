package org.s3adt.token;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.Test;
import org.s3adt.testsupport.Bytes;
import org.s3adt.testsupport.Cases;

/**
 * Truncated and mutated identifiers give an {@code IOException} and nothing else: no runtime
 * exception, no error, no huge allocation, through {@link S3adtTokenIdentifier#decode} and
 * through Hadoop's {@code Token.decodeIdentifier()}; and {@code Token.toString()} never throws.
 * The inputs are real identifiers: every case of cases.json in each layout, and the tokens
 * s3adt's Rust side and hadoop-aws 3.4.1 wrote.
 */
public class MalformedInputTest {

  /** Identifiers above this size get sampled truncations instead of every one. */
  private static final int EXHAUSTIVE_UP_TO = 4096;
  private static final int MUTATIONS_PER_INPUT = 1500;

  private static final class Input {
    final String name;
    final String kind;
    final byte[] bytes;
    /**
     * Whether a prefix may decode: only of a V1-with-context identifier. A V1 reading of it is
     * misaligned by the context's length byte, and when the V1-with-context reading fails (the
     * input was cut), a V1 reading that leaves bytes over is taken, as hadoop-aws 3.3-3.4 would
     * take it (s3adt's rule, the Rust decoder's too): garbage credentials, but no exception.
     */
    final boolean prefixMayDecode;

    Input(String name, String kind, byte[] bytes, boolean prefixMayDecode) {
      this.name = name;
      this.kind = kind;
      this.bytes = bytes;
      this.prefixMayDecode = prefixMayDecode;
    }
  }

  private static List<Input> inputs() throws Exception {
    Map<String, Input> m = new LinkedHashMap<>();
    for (Cases.Case c : Fixtures.cases().cases) {
      for (S3adtTokenIdentifier.EncryptionLayout layout
          : S3adtTokenIdentifier.EncryptionLayout.values()) {
        String context = layout == S3adtTokenIdentifier.EncryptionLayout.V1 ? "" : c.context;
        m.put(c.alias + " " + layout, new Input(c.alias + " " + layout, c.kind,
            CaseBytes.encode(Checks.withContext(c, context), layout),
            layout == S3adtTokenIdentifier.EncryptionLayout.V1_WITH_CONTEXT));
      }
    }
    for (String source : new String[] {"rust/v1", "rust/v2", "java-3.4.1"}) {
      Credentials creds = Fixtures.read(Fixtures.dir().resolve(source).resolve("tokens.writable"));
      for (Cases.Case c : Fixtures.cases().cases) {
        Token<? extends TokenIdentifier> t = creds.getToken(new Text(c.alias));
        if (t != null) {
          m.put(source + " " + c.alias, new Input(source + " " + c.alias, c.kind,
              t.getIdentifier(), false));
        }
      }
    }
    return new ArrayList<>(m.values());
  }

  /** Decode {@code b}; true if it decoded. Anything but an IOException fails the test. */
  private static boolean attempt(String ctx, String kind, byte[] b) {
    try {
      S3adtTokenIdentifier id = S3adtTokenIdentifier.decode(new Text(kind), b);
      id.toString();
      try {
        id.write(new DataOutputStream(new ByteArrayOutputStream()));
      } catch (IOException e) {
        // a decodable value that cannot be written back (e.g. U+FFFD grew a string past
        // its limit) is refused with an IOException too
      }
      return true;
    } catch (IOException e) {
      assertTrue(ctx + ": " + e, e.getMessage() != null
          && e.getMessage().startsWith("Cannot decode " + kind + " identifier"));
      return false;
    } catch (Throwable t) {
      throw new AssertionError(ctx + ": " + t + " for " + CaseBytes.hex(b), t);
    }
  }

  /** The same through Hadoop: decodeIdentifier() and toString(). */
  private static void throughHadoop(String ctx, String kind, byte[] b) {
    Token<TokenIdentifier> t = new Token<>(b, "non-password".getBytes(), new Text(kind),
        new Text("s3a://bucket"));
    try {
      try {
        t.decodeIdentifier();
      } catch (IOException expected) {
        // fine
      }
      t.toString();
    } catch (Throwable e) {
      throw new AssertionError(ctx + " through Hadoop: " + e + " for " + CaseBytes.hex(b), e);
    }
  }

  @Test
  public void truncationsFailWithAnIOExceptionOrDecode() throws Exception {
    Random random = new Random(4);
    int tried = 0;
    int decoded = 0;
    for (Input in : inputs()) {
      int n = in.bytes.length;
      List<Integer> cuts = new ArrayList<>();
      if (n <= EXHAUSTIVE_UP_TO) {
        for (int cut = 0; cut < n; cut++) {
          cuts.add(cut);
        }
      } else {
        for (int i = 0; i < 64; i++) {
          cuts.add(random.nextInt(n));
        }
        cuts.add(n - 1);
        cuts.add(0);
      }
      for (int cut : cuts) {
        byte[] b = Arrays.copyOf(in.bytes, cut);
        String ctx = in.name + " cut at " + cut + " of " + n;
        if (attempt(ctx, in.kind, b)) {
          assertTrue(ctx + " decoded", in.prefixMayDecode);
          decoded++;
        }
        if (n <= EXHAUSTIVE_UP_TO) {
          throughHadoop(ctx, in.kind, b);
        }
        tried++;
      }
    }
    assertTrue(tried > 10000);
    assertTrue("prefixes decoded: " + decoded, decoded < tried / 10);
  }

  // duplicates: deliberate. Two tests' set-ups (a seeded Random, counters, the inputs):
  // alike in shape only.
  @Test
  public void randomMutationsGiveAnIdentifierOrAnIOException() throws Exception {
    Random random = new Random(20261122);
    int decoded = 0;
    int refused = 0;
    for (Input in : inputs()) {
      if (in.bytes.length > EXHAUSTIVE_UP_TO) {
        continue;
      }
      for (int i = 0; i < MUTATIONS_PER_INPUT; i++) {
        byte[] b = mutate(random, in.bytes);
        String ctx = in.name + " mutation " + i;
        if (attempt(ctx, in.kind, b)) {
          decoded++;
        } else {
          refused++;
        }
        if (i % 10 == 0) {
          throughHadoop(ctx, in.kind, b);
        }
      }
    }
    // Both outcomes happen: flips inside strings decode, flips in lengths and numbers do not.
    assertTrue("decoded " + decoded, decoded > 1000);
    assertTrue("refused " + refused, refused > 1000);
  }

  @Test
  public void hugeDeclaredLengthsAreRefusedWithoutAllocating() throws Exception {
    Cases.Case c = CaseBytes.workedExample();
    c.algorithm = "";
    byte[] good = CaseBytes.encode(c, S3adtTokenIdentifier.EncryptionLayout.V2);
    // after the V2 version number: algorithm "" and key "", then a context that claims
    // 2^31-1 bytes (the context has no limit but the input)
    int uid = Bytes.find(good, new byte[] {0x7a, (byte) 0x9a, 0x28, 0x56, 0x41, 0x31, 0x4a,
        (byte) 0xca});
    byte[] huge = Arrays.copyOf(good, uid + 8 + 2 + 5);
    System.arraycopy(new byte[] {(byte) 0x8c, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0,
        huge, uid + 10, 5);
    try {
      S3adtTokenIdentifier.decode(new Text(c.kind), huge);
      throw new AssertionError("decoded");
    } catch (IOException e) {
      assertEquals("Cannot decode S3ADelegationToken/Session identifier (" + huge.length
          + " bytes): encryption context: truncated: needs 2147483647 more bytes but only 0"
          + " remain", e.getMessage());
    }
  }


  private static byte[] mutate(Random r, byte[] in) {
    byte[] b = in.clone();
    switch (r.nextInt(6)) {
      case 0: // flip a few bytes
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
      case 1: // one bit
        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        return b;
      case 2: // a VInt marker for a long length or number
        b[r.nextInt(b.length)] = (byte) (0x80 + r.nextInt(16));
        return b;
      case 3: { // insert a byte
        int at = r.nextInt(b.length + 1);
        byte[] o = new byte[b.length + 1];
        System.arraycopy(b, 0, o, 0, at);
        o[at] = (byte) r.nextInt(256);
        System.arraycopy(b, at, o, at + 1, b.length - at);
        return o;
      }
      case 4: { // delete a range
        int at = r.nextInt(b.length);
        int len = 1 + r.nextInt(Math.min(8, b.length - at));
        byte[] o = new byte[b.length - len];
        System.arraycopy(b, 0, o, 0, at);
        System.arraycopy(b, at + len, o, at, b.length - at - len);
        return o;
      }
      default: { // append junk
        byte[] o = Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
        for (int i = b.length; i < o.length; i++) {
          o[i] = (byte) r.nextInt(256);
        }
        return o;
      }
    }
  }
}
