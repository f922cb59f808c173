package org.s3adt.interop;

import org.apache.hadoop.fs.s3a.auth.MarshalledCredentials;
import org.apache.hadoop.fs.s3a.auth.delegation.AbstractS3ATokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.EncryptionSecrets;
import org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * How fast hadoop-aws and hadoop-common do what s3adt's criterion bench measures, on the same
 * bytes, so a script can print the ratios:
 * <ul>
 *   <li>{@code decode_session_token}: {@code Token.decodeFromUrlString} + {@code decodeIdentifier()}
 *       of one Session token;</li>
 *   <li>{@code encode_session_identifier}: that identifier's bytes ({@code getBytes()}, i.e.
 *       {@code write} into a fresh buffer, copied out);</li>
 *   <li>{@code read_1000_token_file}: {@code Credentials.readTokenStorageStream} of a token file
 *       held in memory.</li>
 * </ul>
 * Each is warmed up for {@code -Dbench.warmup=2} seconds, then timed in batches of about 20 ms
 * for {@code -Dbench.seconds=3} seconds; the median batch gives ns/op. Prints one line per
 * measurement, {@code java <name> <ns_per_op>}, on stdout; details go to stderr.
 *
 * <pre>
 * DecodeBench URL|@URLFILE TOKENFILE     measure
 * DecodeBench --write-sample DIR         write DIR/session.url and DIR/tokens-1000.writable,
 *                                        built with hadoop-aws like s3adt's bench data
 * </pre>
 */
public final class DecodeBench {

  private static volatile long sink;

  private DecodeBench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--write-sample")) {
      writeSample(Paths.get(args[1]));
      return;
    }
    if (args.length != 2) {
      System.err.println("usage: DecodeBench URL|@URLFILE TOKENFILE | --write-sample DIR");
      System.exit(2);
    }
    String url = args[0].startsWith("@")
        ? new String(Files.readAllBytes(Paths.get(args[0].substring(1))), StandardCharsets.UTF_8)
            .trim()
        : args[0];
    byte[] file = Files.readAllBytes(Paths.get(args[1]));

    Token<TokenIdentifier> token = new Token<>();
    token.decodeFromUrlString(url);
    TokenIdentifier id = token.decodeIdentifier();
    if (!(id instanceof SessionTokenIdentifier)) {
      throw new IllegalArgumentException("not a Session token: " + token);
    }
    if (!Arrays.equals(id.getBytes(), token.getIdentifier())) {
      throw new IllegalStateException("hadoop-aws re-encodes the identifier differently");
    }
    int tokens = readFile(file).numberOfTokens();
    System.err.println("hadoop " + org.apache.hadoop.util.VersionInfo.getVersion() + ", java "
        + System.getProperty("java.version") + "; token file: " + tokens + " tokens, "
        + file.length + " bytes");

    Callable<Object> decode = () -> {
      Token<TokenIdentifier> t = new Token<>();
      t.decodeFromUrlString(url);
      return t.decodeIdentifier();
    };
    Callable<Object> encode = id::getBytes;
    Callable<Object> read = () -> readFile(file);

    double warmup = Double.parseDouble(System.getProperty("bench.warmup", "2"));
    double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
    measure("decode_session_token", decode, warmup, seconds);
    measure("encode_session_identifier", encode, warmup, seconds);
    measure("read_1000_token_file", read, warmup, seconds);
  }

  private static Credentials readFile(byte[] file) throws Exception {
    Credentials c = new Credentials();
    c.readTokenStorageStream(new DataInputStream(new ByteArrayInputStream(file)));
    return c;
  }

  private static void measure(String name, Callable<Object> op, double warmupSeconds,
      double seconds) throws Exception {
    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long ops = 0;
    while (System.nanoTime() < warmEnd) {
      consume(op.call());
      ops++;
    }
    long warmNs = (long) (warmupSeconds * 1e9);
    // batch size for ~20 ms per batch
    int batch = (int) Math.max(1, Math.min(Integer.MAX_VALUE, ops * 20_000_000L / warmNs));
    long end = System.nanoTime() + (long) (seconds * 1e9);
    double[] perOp = new double[4096];
    int n = 0;
    while ((System.nanoTime() < end || n < 5) && n < perOp.length) {
      long t0 = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        consume(op.call());
      }
      perOp[n++] = (System.nanoTime() - t0) / (double) batch;
    }
    double[] s = Arrays.copyOf(perOp, n);
    Arrays.sort(s);
    double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    System.err.printf("%s: %d batches of %d, min %.1f median %.1f max %.1f ns/op%n", name, n,
        batch, s[0], median, s[n - 1]);
    System.out.printf("java %s %.1f%n", name, median);
  }

  private static void consume(Object o) {
    sink += System.identityHashCode(o);
  }

  // ------------------------------------------------------------------ sample data

  /**
   * Bench data equivalent to s3adt's (rust/token/tests/common/bench_data.rs): Session token
   * {@code i} for bucket {@code bucket-<i>}, built with hadoop-aws and every field forced.
   */
  static Token<TokenIdentifier> sampleToken(int i) throws Exception {
    MarshalledCredentials mc = new MarshalledCredentials();
    mc.setAccessKey("ASIAEXAMPLEACCESS01");
    mc.setSecretKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    mc.setSessionToken("FwoGZXIvYXdzEJr//////////wEaDOz1example-session-token-of-realistic-"
        + "length-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    mc.setRoleARN("");
    mc.setExpiration(1700003600000L);
    String uri = String.format("s3a://bucket-%04d", i);
    EncryptionSecrets es = EncryptionSecretsCompat.create("SSE-KMS",
        "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "");
    SessionTokenIdentifier id = new SessionTokenIdentifier(
        new Text("S3ADelegationToken/Session"), new Text("alice@EXAMPLE.TEST"), new Text("yarn"),
        URI.create(uri), mc, es,
        "Created on worker-17.example at time 2023-11-14T22:13:20.123456Z.");
    id.setIssueDate(1700000000000L + i);
    id.setMaxDate(0);
    id.setSequenceNumber(0);
    id.setMasterKeyId(0);
    set(id, "uuid", String.format("5f0c6f1e-8a43-4a4c-9b5e-2d1f3c4b%04x", i));
    set(id, "created", 1700000000123L + i);
    return new Token<>(id.getBytes(), "non-password".getBytes(StandardCharsets.UTF_8),
        id.getKind(), new Text(uri));
  }

  private static void set(Object target, String name, Object value) throws Exception {
    Field f = AbstractS3ATokenIdentifier.class.getDeclaredField(name);
    f.setAccessible(true);
    f.set(target, value);
  }

  private static void writeSample(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve("session.url"),
        (sampleToken(0).encodeToUrlString() + "\n").getBytes(StandardCharsets.UTF_8));
    Credentials c = new Credentials();
    for (int i = 0; i < 1000; i++) {
      Token<TokenIdentifier> t = sampleToken(i);
      c.addToken(t.getService(), t);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      c.writeTokenStorageToStream(out, Credentials.SerializedFormat.WRITABLE);
    }
    Files.write(dir.resolve("tokens-1000.writable"), bytes.toByteArray());
    System.err.println("wrote " + dir.resolve("session.url") + " and "
        + dir.resolve("tokens-1000.writable"));
  }
}
