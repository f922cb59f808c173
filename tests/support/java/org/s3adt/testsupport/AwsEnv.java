package org.s3adt.testsupport;

/** The environment variables the AWS SDKs read credentials from: none may reach a task. */
public final class AwsEnv {
  private AwsEnv() {
  }

  public static final String[] CREDENTIAL_VARIABLES = {"AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
      "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "AWS_WEB_IDENTITY_TOKEN_FILE"};
}
