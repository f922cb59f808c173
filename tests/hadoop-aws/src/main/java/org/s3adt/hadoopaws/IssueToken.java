package org.s3adt.hadoopaws;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.auth.delegation.AbstractS3ATokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Part 2, hadoop-aws token → s3adt: the real S3AFileSystem, with the parent keys in its
 * configuration and STS = RGW, issues delegation tokens for s3a://bucket-a with the Session and
 * the Role binding and writes each to a token file (Credentials.writeTokenStorageFile), which
 * run.sh then hands to `s3adt credentials`.
 *
 * <p>What it takes on RGW: STS through {@link TlsFront} (hadoop-aws 3.4.1 speaks https to STS
 * only). The Session binding then works as shipped. The Role binding is refused by RGW, for two
 * independent reasons, each checked: the {@code kms:*} statement hadoop-aws always puts in the
 * session policy (left out by {@link NoKmsS3AFileSystem}), and the SDK's {@code +} for the spaces
 * of the pretty-printed policy (sent as {@code %20} by {@link RgwStsInterceptor} when asked).
 *
 * <p>usage: IssueToken DIR. DIR holds cert.pem/key.pem for the TLS front; the token files
 * session.token and role.token are written there. Environment: S3ADT_RGW_ENDPOINT,
 * S3ADT_RGW_ADMIN_AK, S3ADT_RGW_ADMIN_SK, S3ADT_RGW_ROLE_ARN.
 */
public final class IssueToken {
  private static final String PKG = "org.apache.hadoop.fs.s3a.auth.delegation.";

  public static void main(String[] args) throws Exception {
    java.nio.file.Path dir = Paths.get(args[0]).toAbsolutePath();
    String endpoint = Checks.env("S3ADT_RGW_ENDPOINT");
    Checks c = new Checks();
    String tag = "[hadoop-aws -> token file] ";

    try (TlsFront front = new TlsFront(dir.resolve("cert.pem"), dir.resolve("key.pem"),
        dir.resolve("truststore.p12"), URI.create(endpoint).getPort())) {
      Configuration base = Checks.rgwConf(endpoint);
      base.set("fs.s3a.access.key", Checks.env("S3ADT_RGW_ADMIN_AK"));
      base.set("fs.s3a.secret.key", Checks.env("S3ADT_RGW_ADMIN_SK"));
      base.set("fs.s3a.assumed.role.sts.endpoint", front.hostPort());
      base.set("fs.s3a.assumed.role.sts.endpoint.region", "us-east-1");
      base.set("fs.s3a.assumed.role.arn", Checks.env("S3ADT_RGW_ROLE_ARN"));

      Configuration session = new Configuration(base);
      session.set("fs.s3a.delegation.token.binding", PKG + "SessionTokenBinding");
      c.check(tag + "SessionTokenBinding issues a token for s3a://bucket-a (GetSessionToken on RGW)",
          () -> issue(session, SessionTokenIdentifier.class, "Session", dir.resolve("session.token")));

      // hadoop-aws's Role binding meets two obstacles on RGW, each enough to fail AssumeRole with
      // 400 MalformedPolicyDocument: the kms:* statement of its policy, and the '+' the SDK
      // sends for each space of the pretty-printed policy JSON (see RgwStsInterceptor). Each
      // combination is tried; only with both removed does RGW issue the role credentials.
      Configuration role = new Configuration(base);
      role.set("fs.s3a.delegation.token.binding", PKG + "RoleTokenBinding");
      Configuration noKms = new Configuration(role);
      noKms.set("fs.s3a.impl", NoKmsS3AFileSystem.class.getName());
      String refused = "RGW refuses (400 MalformedPolicyDocument)";
      c.check(tag + "RoleTokenBinding, stock hadoop-aws (kms:* statement, '+' for spaces): " + refused,
          () -> refused(role, false));
      c.check(tag + "RoleTokenBinding, spaces sent as %20, kms:* statement kept: " + refused,
          () -> refused(role, true));
      c.check(tag + "RoleTokenBinding, kms:* statement left out, '+' for spaces: " + refused,
          () -> refused(noKms, false));
      c.check(tag + "RoleTokenBinding, kms:* left out and spaces sent as %20: issues a token for"
          + " s3a://bucket-a (AssumeRole with hadoop-aws's S3 statements for bucket-a)", () -> {
        RgwStsInterceptor.percent20 = true;
        try {
          return issue(noKms, RoleTokenIdentifier.class, "Role", dir.resolve("role.token"));
        } finally {
          RgwStsInterceptor.percent20 = false;
        }
      });
    }
    System.exit(c.exitCode());
  }

  /** null if RGW refuses this Role binding's AssumeRole with 400 MalformedPolicyDocument. */
  private static String refused(Configuration conf, boolean percent20) throws Exception {
    RgwStsInterceptor.percent20 = percent20;
    RgwStsInterceptor.lastErrorCode = null;
    try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://bucket-a"), conf)) {
      Token<?> t = fs.getDelegationToken("s3adt-check");
      return "RGW issued a token (" + t.getKind() + "): the refusal this check documents is gone";
    } catch (IOException e) {
      AwsServiceException aws = Checks.aws(e);
      String code = RgwStsInterceptor.lastErrorCode;
      System.out.println("  " + Checks.describe(e) + "; RGW's <Code>: " + code);
      if (aws == null || aws.statusCode() != 400 || !"MalformedPolicyDocument".equals(code)) {
        return "not RGW's 400 MalformedPolicyDocument";
      }
      return null;
    } finally {
      RgwStsInterceptor.percent20 = false;
    }
  }

  /** Issue a token with this configuration and write it to {@code out}; null if all is as expected. */
  private static String issue(Configuration conf, Class<?> idClass, String binding,
      java.nio.file.Path out) throws Exception {
    try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://bucket-a"), conf)) {
      if (!(fs instanceof S3AFileSystem)) {
        return "not an S3AFileSystem: " + fs.getClass().getName();
      }
      @SuppressWarnings("unchecked")
      Token<AbstractS3ATokenIdentifier> t =
          (Token<AbstractS3ATokenIdentifier>) fs.getDelegationToken("s3adt-check");
      if (t == null) {
        return "no token";
      }
      if (!t.getKind().toString().equals("S3ADelegationToken/" + binding)
          || !t.getService().toString().equals("s3a://bucket-a")) {
        return "kind " + t.getKind() + ", service " + t.getService();
      }
      AbstractS3ATokenIdentifier id = t.decodeIdentifier();
      if (id.getClass() != idClass) {
        return "identifier " + id.getClass().getName();
      }
      long expiry = ((SessionTokenIdentifier) id).getMarshalledCredentials().getExpiration();
      System.out.println("  " + t.getKind() + " for " + t.getService() + ": maxDate " + id.getMaxDate()
          + ", credentials expire " + Instant.ofEpochMilli(expiry));
      if (id.getMaxDate() != 0) {
        return "hadoop-aws 3.4.1 was expected to leave maxDate 0, it wrote " + id.getMaxDate();
      }
      if (expiry <= System.currentTimeMillis()) {
        return "credentials already expired";
      }
      Credentials creds = new Credentials();
      creds.addToken(t.getService(), t);
      Files.deleteIfExists(out);
      creds.writeTokenStorageFile(new Path(out.toUri()), conf);
      return null;
    }
  }
}
