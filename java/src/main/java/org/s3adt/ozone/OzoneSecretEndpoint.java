package org.s3adt.ozone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.security.UserGroupInformation;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Ozone's S3 secret endpoint ({@code PUT}/{@code DELETE /secret[/<user>]} on the S3 gateway's
 * webadmin port, 19878 by default on Ozone 2.x) over SPNEGO as a UGI's Kerberos login (keytab or
 * ticket cache, which native GSSAPI cannot see inside a JVM): the JDK's GSS-API under
 * {@code doAs}, one {@code Authorization: Negotiate} header per request, as the Rust core's
 * {@code s3adt ozone getsecret} does (rust/core/src/ozone). Each answer of the endpoint is its own
 * message, with the same texts as the Rust core's, saying what to do.
 *
 * <p>Hazards kept to (tests/peers/ozone/README.md): never {@code Accept: application/json} (Ozone
 * creates the secret, then answers 500 and the secret is lost until revoked); another user by the
 * path {@code /secret/<user>}, never {@code ?username=} (which Ozone ignores, acting on the
 * caller); the reason phrases {@code S3_SECRET_ALREADY_EXISTS}/{@code S3_SECRET_NOT_FOUND} come
 * with empty bodies and fixed statuses, so the status says it.
 */
public final class OzoneSecretEndpoint {
  /** How long connecting, and then reading the answer, may each take. */
  private static final int TIMEOUT_MS = 30_000;
  private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");

  private final String url;

  /** {@code http(s)://host[:port][/secret]}: the S3 gateway's webadmin URL. */
  public OzoneSecretEndpoint(String url) {
    this.url = url;
  }

  /** Why a secret could not be had or revoked; the message says what to do. */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    /** 0 when no answer was had (no ticket, a bad URL, no connection). */
    private final int status;
    private final boolean alreadyExists;

    RefusedException(String message, int status, boolean alreadyExists, Throwable cause) {
      super(message, cause);
      this.status = status;
      this.alreadyExists = alreadyExists;
    }

    public int status() {
      return status;
    }

    /** Ozone answered {@code 400 S3_SECRET_ALREADY_EXISTS}: it gives a secret only once. */
    public boolean alreadyExists() {
      return alreadyExists;
    }
  }

  private static RefusedException refused(String message, int status) {
    return new RefusedException(message, status, false, null);
  }

  /**
   * A new S3 secret for {@code ugi}'s principal, or for {@code user} (an S3 administrator only;
   * null: the caller's). Ozone gives a secret once: a second call is refused with
   * {@link RefusedException#alreadyExists()}.
   */
  public S3Secret getSecret(UserGroupInformation ugi, String user) throws IOException {
    Answer a = call(ugi, "PUT", user);
    if (a.status != 200) {
      throw refusal("PUT", a, who(user));
    }
    S3Secret s = parse(a.body);
    if (s == null) {
      // the body is not quoted: a 200 body may hold a secret in another shape
      throw refused("PUT " + a.url + " answered 200 without an <S3Secret>: is this the S3 gateway's"
          + " webadmin URL (port 19878 by default)? If it made a secret, revoke it and try again",
          200);
    }
    return s;
  }

  /** Revokes the S3 secret of {@code ugi}'s principal, or of {@code user} (S3 administrators only). */
  public void revokeSecret(UserGroupInformation ugi, String user) throws IOException {
    Answer a = call(ugi, "DELETE", user);
    if (a.status != 200) {
      throw refusal("DELETE", a, who(user));
    }
  }

  private static String who(String user) {
    return user == null ? "the Kerberos principal logged in" : user;
  }

  // duplicates: deliberate. A three-field value class, alike in shape only.
  private static final class Answer {
    final String url;
    final int status;
    final String body;

    Answer(String url, int status, String body) {
      this.url = url;
      this.status = status;
      this.body = body;
    }
  }

  /** The endpoint's URL for {@code user} (null: the caller) and the host SPNEGO names. */
  static String[] endpoint(String url, String user) throws IOException {
    URI u;
    try {
      u = new URI(url == null ? "" : url.trim());
    } catch (URISyntaxException e) {
      throw refused(quote(url) + " is not a URL: give the S3 gateway's webadmin URL, e.g."
          + " http://s3g.example.com:19878", 0);
    }
    String scheme = u.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw refused(quote(url) + " is not an http:// or https:// URL: give the S3 gateway's webadmin"
          + " URL, e.g. http://s3g.example.com:19878", 0);
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw refused(quote(url) + " has no host: give the S3 gateway's webadmin URL, e.g."
          + " http://s3g.example.com:19878", 0);
    }
    if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
      throw refused(quote(url) + ": no user, query or fragment in the URL: give the S3 gateway's"
          + " webadmin URL, e.g. http://s3g.example.com:19878", 0);
    }
    String base = u.toString().replaceAll("/+$", "");
    String full = base.endsWith("/secret") ? base : base + "/secret";
    if (user != null) {
      if (user.isEmpty()) {
        throw refused("the user is empty", 0);
      }
      // a path segment ('/' of s3g/host@R encoded), '@' kept as the Rust core keeps it
      full += "/" + URLEncoder.encode(user, "UTF-8").replace("+", "%20").replace("%40", "@")
          .replace("*", "%2A").replace("%7E", "~");
    }
    String host = u.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new String[] {full, host};
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private Answer call(UserGroupInformation ugi, String method, String user) throws IOException {
    String[] e = endpoint(url, user);
    String full = e[0];
    String header = "Negotiate " + Base64.getEncoder().encodeToString(negotiate(ugi, e[1]));
    HttpURLConnection c;
    try {
      c = (HttpURLConnection) new URL(full).openConnection();
      c.setConnectTimeout(TIMEOUT_MS);
      c.setReadTimeout(TIMEOUT_MS);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestMethod(method);
      c.setRequestProperty("Authorization", header);
      // what curl sends, which Ozone answers in XML; never application/json (see above)
      c.setRequestProperty("Accept", "*/*");
      if (method.equals("PUT")) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(0);
        try (OutputStream out = c.getOutputStream()) {
          out.flush();
        }
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : read(in);
      c.disconnect();
      return new Answer(full, status, body);
    } catch (IOException ex) {
      throw new RefusedException("no answer from the gateway: " + method + " " + full + ": " + ex,
          0, false, ex);
    }
  }

  private static String read(InputStream in) throws IOException {
    try (InputStream i = in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = i.read(buf)) > 0 && b.size() < (1 << 20)) {
        b.write(buf, 0, n);
      }
      return new String(b.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  /** The first SPNEGO token for {@code HTTP/host}, from {@code ugi}'s Kerberos login. */
  static byte[] negotiate(UserGroupInformation ugi, String host) throws IOException {
    if (ugi == null || !ugi.hasKerberosCredentials()) {
      throw refused("no Kerberos login: run kinit (or log in from a keytab) and try again ("
          + (ugi == null ? "no user" : ugi.getUserName() + " has no Kerberos credentials, "
          + ugi.getAuthenticationMethod()) + ")", 0);
    }
    try {
      return ugi.doAs((PrivilegedExceptionAction<byte[]>) () -> initialToken(host));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException(ex);
    }
  }

  /** Inside the login's {@code doAs}: GSS-API finds its Kerberos ticket in the Subject. */
  private static byte[] initialToken(String host) throws IOException {
    try {
      GSSManager m = GSSManager.getInstance();
      GSSName server = m.createName("HTTP@" + host, GSSName.NT_HOSTBASED_SERVICE);
      GSSContext ctx = m.createContext(server, SPNEGO, null, GSSContext.DEFAULT_LIFETIME);
      try {
        ctx.requestMutualAuth(false);
        ctx.requestCredDeleg(false);
        return ctx.initSecContext(new byte[0], 0, 0);
      } finally {
        ctx.dispose();
      }
    } catch (GSSException ex) {
      if (ex.getMajor() == GSSException.NO_CRED) {
        throw new RefusedException("no Kerberos login: run kinit (or log in from a keytab) and try"
            + " again (" + ex.getMessage() + ")", 0, false, ex);
      }
      throw new RefusedException(ex.getMessage() + ": the URL's host must be the name in the"
          + " gateway's HTTP/host principal (ozone.s3g.http.auth.kerberos.principal), and the KDC"
          + " must be reachable; kinit again if the ticket expired", 0, false, ex);
    }
  }

  /** The failures both methods share, from a non-200 answer; the texts are the Rust core's. */
  private static RefusedException refusal(String method, Answer a, String who) {
    int s = a.status;
    String body = a.body;
    if (s == 401) {
      return refused("the gateway refused the Kerberos ticket (401): run kinit again, and check that"
          + " the URL's host is the name in the gateway's HTTP/host principal", s);
    }
    if (s == 403 && body.contains("<Error>")) {
      return refused("that is the gateway's S3 API port (it answered 403 with an S3 error): the"
          + " secret endpoint is on its webadmin port (ozone.s3g.webadmin.http-address, 19878 by"
          + " default)", s);
    }
    if (s == 403) {
      return refused("refused (403): Ozone 2.x gives and revokes S3 secrets only for its S3"
          + " administrators (ozone.s3.administrators), even one's own; ask one to get yours"
          + " (s3adt ozone getsecret --user YOUR_PRINCIPAL) into the secret store", s);
    }
    if (s == 400 && body.contains("S3 Secret endpoint is disabled")) {
      return refused("the gateway's S3 secret endpoint is disabled (400): its administrator must"
          + " set ozone.s3g.secret.http.enabled=true and ozone.s3g.secret.http.auth.type=kerberos",
          s);
    }
    if (s == 400 && method.equals("PUT")) {
      return new RefusedException(who + " already has an S3 secret (400 S3_SECRET_ALREADY_EXISTS),"
          + " and Ozone gives a secret only once", s, true, null);
    }
    if (s == 404 && method.equals("DELETE")) {
      return refused(who + " has no S3 secret to revoke (404 S3_SECRET_NOT_FOUND): nothing to do",
          s);
    }
    return refused(method + " " + a.url + " answered " + s + " (" + excerpt(body) + "): not an"
        + " answer of Ozone's S3 secret endpoint; is this the S3 gateway's webadmin URL (port 19878"
        + " by default)?", s);
  }

  /** At most 200 characters of a (non-secret) body, on one line. */
  private static String excerpt(String body) {
    String one = body.trim().replaceAll("\\s+", " ");
    return one.length() > 200 ? one.substring(0, 200) : one;
  }

  private static final Pattern FIELD =
      Pattern.compile("<(awsAccessKey|awsSecret)>\\s*([^<]*?)\\s*</\\1>");

  /** The {@code <S3Secret>} of a 200 answer; null when it is not one. */
  static S3Secret parse(String body) {
    if (body == null || !body.contains("<S3Secret>")) {
      return null;
    }
    String ak = null;
    String sk = null;
    Matcher m = FIELD.matcher(body);
    while (m.find()) {
      if (m.group(1).equals("awsAccessKey")) {
        ak = m.group(2);
      } else {
        sk = m.group(2);
      }
    }
    return ak == null || sk == null || ak.isEmpty() || sk.isEmpty() ? null : new S3Secret(ak, sk);
  }

  private static Oid oid(String s) {
    try {
      return new Oid(s);
    } catch (GSSException e) {
      throw new IllegalStateException(e);
    }
  }
}
