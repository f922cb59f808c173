package org.s3adt.hadoopaws;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.auth.MarshalledCredentials;
import org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException;
import org.apache.hadoop.fs.s3a.auth.delegation.AbstractS3ATokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenIdentifier;
import org.apache.hadoop.fs.s3a.auth.delegation.S3ADelegationTokens;
import org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Part 1, s3adt token → hadoop-aws: a JVM whose only AWS credentials are the token file that
 * `s3adt fetch` wrote (HADOOP_TOKEN_FILE_LOCATION, loaded by UGI) opens s3a://bucket-a with the
 * real S3AFileSystem, lists it and reads hello.txt.
 *
 * <p>usage: ReadWithToken Session|Role. Environment: S3ADT_RGW_ENDPOINT,
 * HADOOP_TOKEN_FILE_LOCATION; run.sh removes every AWS_* credential variable and the RGW keys.
 */
public final class ReadWithToken {
  private static final Text BUCKET_A = new Text("s3a://bucket-a");
  private static final Text BUCKET_B = new Text("s3a://bucket-b");

  public static void main(String[] args) throws Exception {
    String binding = args[0];
    String tag = "[s3adt " + binding + " token -> hadoop-aws] ";
    Class<?> idClass = binding.equals("Role") ? RoleTokenIdentifier.class : SessionTokenIdentifier.class;
    Checks c = new Checks();

    Configuration conf = Checks.rgwConf(Checks.env("S3ADT_RGW_ENDPOINT"));
    conf.set("fs.s3a.delegation.token.binding",
        "org.apache.hadoop.fs.s3a.auth.delegation." + binding + "TokenBinding");

    c.check(tag + "no AWS keys in the configuration or the environment", () -> {
      for (String k : List.of("fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.session.token")) {
        if (conf.getPassword(k) != null) {
          return k + " is set";
        }
      }
      for (String v : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
          "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "S3ADT_RGW_ADMIN_SK", "S3ADT_RGW_LIMITED_SK")) {
        if (System.getenv(v) != null) {
          return v + " is set";
        }
      }
      return "true".equals(System.getenv("AWS_EC2_METADATA_DISABLED")) ? null
          : "AWS_EC2_METADATA_DISABLED is not true";
    });

    // UGI reads HADOOP_TOKEN_FILE_LOCATION when the login user is created.
    UserGroupInformation ugi = UserGroupInformation.getCurrentUser();
    @SuppressWarnings("unchecked")
    Token<AbstractS3ATokenIdentifier> token =
        (Token<AbstractS3ATokenIdentifier>) ugi.getCredentials().getToken(BUCKET_A);

    c.check(tag + "UGI loaded the token for s3a://bucket-a; hadoop-aws decodes it as "
        + idClass.getSimpleName(), () -> {
      if (token == null) {
        return "no token for s3a://bucket-a among " + ugi.getCredentials().getAllTokens().size();
      }
      String kind = "S3ADelegationToken/" + binding;
      if (!token.getKind().toString().equals(kind)) {
        return "kind " + token.getKind() + ", want " + kind;
      }
      AbstractS3ATokenIdentifier id = token.decodeIdentifier();
      if (id == null || id.getClass() != idClass) {
        return "decoded as " + (id == null ? "null" : id.getClass().getName());
      }
      id.validate();
      return null;
    });
    if (token == null) {
      System.exit(c.exitCode());
    }

    c.check(tag + "maxDate is the credentials' expiry (s3adt extension; hadoop-aws writes 0)", () -> {
      SessionTokenIdentifier id = (SessionTokenIdentifier) token.decodeIdentifier();
      MarshalledCredentials mc = id.getMarshalledCredentials();
      long now = System.currentTimeMillis();
      if (id.getMaxDate() != mc.getExpiration()) {
        return "maxDate " + id.getMaxDate() + " != expiration " + mc.getExpiration();
      }
      if (id.getMaxDate() <= now) {
        return "maxDate " + Instant.ofEpochMilli(id.getMaxDate()) + " is not in the future";
      }
      System.out.println("  maxDate = expiry = " + Instant.ofEpochMilli(id.getMaxDate())
          + " (" + (id.getMaxDate() - now) / 60000 + " min from now)");
      return null;
    });

    Path a = new Path("s3a://bucket-a/");
    try (FileSystem fs = FileSystem.newInstance(a.toUri(), conf)) {
      c.check(tag + "S3AFileSystem(s3a://bucket-a) is bound to that token, maxDate and all",
          () -> boundTo(fs, token));
      c.check(tag + "lists s3a://bucket-a/ (hello.txt among the entries)", () -> {
        List<String> names = Checks.list(fs, a);
        return names.contains("hello.txt") ? null : "entries " + names;
      });
      c.check(tag + "reads s3a://bucket-a/hello.txt", () -> {
        String got = Checks.read(fs, new Path(a, "hello.txt"));
        return got.equals("hello from A") ? null : "read '" + got + "'";
      });
    }

    // No token for bucket-b: hadoop-aws has no credentials at all for it (the configuration has no
    // keys), so the request never reaches RGW. That is what makes the next check meaningful.
    Path b = new Path("s3a://bucket-b/");
    try (FileSystem fs = FileSystem.newInstance(b.toUri(), conf)) {
      c.check(tag + "no token for s3a://bucket-b: S3AFileSystem is unbound and has no credentials"
          + " (NoAuthWithAWSException, nothing sent to RGW)", () -> {
        S3ADelegationTokens dt = ((S3AFileSystem) fs).getDelegationTokens().get();
        if (dt.isBoundToDT()) {
          return "bound to a token";
        }
        try {
          return "read '" + Checks.read(fs, new Path(b, "hello.txt")) + "'";
        } catch (AccessDeniedException e) {
          if (Checks.cause(e, NoAuthWithAWSException.class) == null || Checks.aws(e) != null) {
            return "denied, but not for want of credentials: " + Checks.describe(e);
          }
          System.out.println("  " + Checks.describe(e));
          return null;
        }
      });
    }

    // bucket-a's token presented for bucket-b (same token, alias and service s3a://bucket-b).
    Token<AbstractS3ATokenIdentifier> moved = new Token<>(token);
    moved.setService(BUCKET_B);
    ugi.addToken(BUCKET_B, moved);
    try (FileSystem fs = FileSystem.newInstance(b.toUri(), conf)) {
      if (binding.equals("Role")) {
        // open() probes with HEAD, whose 403 has no body (so no error code); openFile() with the
        // length known goes straight to GET, and listing is a GET too: both carry RGW's code.
        c.check(tag + "bucket-a's Role token used for s3a://bucket-b: RGW denies it (the session"
            + " policy): open/HEAD 403, openFile/GET and list 403 AccessDenied", () -> {
          String bound = boundTo(fs, moved);
          if (bound != null) {
            return bound;
          }
          Path hello = new Path(b, "hello.txt");
          for (String op : List.of("open", "openFile", "list")) {
            try {
              Object got;
              if (op.equals("open")) {
                got = Checks.read(fs, hello);
              } else if (op.equals("openFile")) {
                try (FSDataInputStream in = fs.openFile(hello)
                    .opt("fs.option.openfile.length", 12).build().get()) {
                  got = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
              } else {
                got = Checks.list(fs, b);
              }
              return op + " succeeded: " + got;
            } catch (AccessDeniedException e) {
              AwsServiceException aws = Checks.aws(e);
              String want = op.equals("open") ? null : "AccessDenied";
              if (aws == null || aws.statusCode() != 403 || !Objects.equals(want, Checks.errorCode(aws))) {
                return op + ": not RGW's 403 " + want + ": " + Checks.describe(e);
              }
              System.out.println("  " + op + ": " + Checks.describe(e));
            }
          }
          return null;
        });
      } else {
        c.check(tag + "bucket-a's Session token used for s3a://bucket-b reads it (no session policy:"
            + " the user's own rights; the Role denial is the policy)", () -> {
          String bound = boundTo(fs, moved);
          if (bound != null) {
            return bound;
          }
          String got = Checks.read(fs, new Path(b, "hello.txt"));
          return got.equals("hello from B") ? null : "read '" + got + "'";
        });
      }
    }
    System.exit(c.exitCode());
  }

  /** null if the S3A filesystem is bound to exactly this token, else why not. */
  private static String boundTo(FileSystem fs, Token<AbstractS3ATokenIdentifier> token) throws Exception {
    if (!(fs instanceof S3AFileSystem)) {
      return "not an S3AFileSystem: " + fs.getClass().getName();
    }
    S3ADelegationTokens dt = ((S3AFileSystem) fs).getDelegationTokens().orElse(null);
    if (dt == null || !dt.isBoundToDT()) {
      return "delegation tokens " + (dt == null ? "disabled" : "not bound");
    }
    Token<AbstractS3ATokenIdentifier> bound = dt.getBoundDT().get();
    if (!Arrays.equals(bound.getIdentifier(), token.getIdentifier())) {
      return "bound to another token";
    }
    AbstractS3ATokenIdentifier id = dt.getDecodedIdentifier().get();
    if (id.getMaxDate() != token.decodeIdentifier().getMaxDate()) {
      return "decoded maxDate differs";
    }
    return null;
  }
}
