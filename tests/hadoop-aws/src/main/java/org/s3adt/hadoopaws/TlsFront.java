package org.s3adt.hadoopaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS front for RGW's (or moto's) STS, in this JVM, on loopback only: hadoop-aws 3.4.1 builds its STS
 * endpoint as {@code https://<fs.s3a.assumed.role.sts.endpoint>} (STSClientFactory.getSTSEndpoint,
 * URIBuilder.setScheme("https")), so it cannot reach a plain-HTTP STS, and RGW here serves HTTP.
 * Bytes are relayed unchanged after TLS, so RGW checks the SigV4 signature over the Host header
 * the SDK signed (127.0.0.1:front-port).
 *
 * <p>The certificate (EC P-256, SAN IP:127.0.0.1) is made by run.sh with openssl; this JVM trusts
 * it through javax.net.ssl.trustStore (a PKCS12 file written here), which the SDK's Apache client
 * uses for its default trust managers.
 *
 * <p>Run as a program ({@link #main}) it serves a fixed loopback address and port until killed:
 * tests/java/run.sh puts one on 127.0.0.2:443 for hadoop-aws 3.5.0, which builds its STS endpoint
 * as {@code new URI("https", host, null, null)} and so takes a host without a port only.
 */
public final class TlsFront implements AutoCloseable {
  private final ServerSocket server;
  private final int target;

  public TlsFront(java.nio.file.Path certPem, java.nio.file.Path keyPem, java.nio.file.Path trustStore,
      int targetPort) throws Exception {
    this(certPem, keyPem, trustStore, targetPort, InetAddress.getLoopbackAddress(), 0);
  }

  /** On {@code bindAddress:bindPort}, which must be a loopback address (0: any free port). */
  public TlsFront(java.nio.file.Path certPem, java.nio.file.Path keyPem, java.nio.file.Path trustStore,
      int targetPort, InetAddress bindAddress, int bindPort) throws Exception {
    if (!bindAddress.isLoopbackAddress()) {
      throw new IllegalArgumentException(bindAddress + " is not a loopback address");
    }
    this.target = targetPort;
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Certificate cert;
    try (InputStream in = Files.newInputStream(certPem)) {
      cert = cf.generateCertificate(in);
    }
    String pem = Files.readString(keyPem, StandardCharsets.US_ASCII);
    byte[] der = Base64.getMimeDecoder().decode(pem
        .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    char[] pw = "s3adt-test".toCharArray();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("front", key, pw, new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);

    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("rgw-sts-front", cert);
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      ts.store(out, pw);
    }
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", new String(pw));
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

    server = ctx.getServerSocketFactory().createServerSocket();
    server.bind(new InetSocketAddress(bindAddress, bindPort));
    Thread t = new Thread(this::acceptLoop, "tls-front");
    t.setDaemon(true);
    t.start();
  }

  /**
   * usage: TlsFront CERT.pem KEY.pem TRUSTSTORE.p12 TARGET-PORT BIND-ADDRESS BIND-PORT. Relays
   * to 127.0.0.1:TARGET-PORT until killed; prints "listening HOST:PORT" once bound.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: TlsFront CERT.pem KEY.pem TRUSTSTORE.p12 TARGET-PORT BIND-ADDRESS BIND-PORT");
      System.exit(2);
    }
    TlsFront front = new TlsFront(java.nio.file.Paths.get(args[0]), java.nio.file.Paths.get(args[1]),
        java.nio.file.Paths.get(args[2]), Integer.parseInt(args[3]), InetAddress.getByName(args[4]),
        Integer.parseInt(args[5]));
    System.out.println("listening " + args[4] + ":" + front.server.getLocalPort());
    System.out.flush();
    Thread.currentThread().join();   // the accept loop runs until the process is killed
  }

  /** host:port, the form fs.s3a.assumed.role.sts.endpoint takes. */
  public String hostPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          System.err.println("tls-front: " + e);
        }
        continue;
      }
      try {
        Socket up = new Socket(InetAddress.getLoopbackAddress(), target);
        pipe(client, up);
        pipe(up, client);
      } catch (IOException e) {
        // RGW unreachable: drop the client at once rather than leave it waiting for a reply.
        System.err.println("tls-front: " + e);
        try {
          client.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }

  private static void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // the other side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // closing
        }
      }
    }, "tls-front-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
