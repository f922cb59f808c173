package org.s3adt.token;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableUtils;
import org.s3adt.testsupport.Cases;

/**
 * An encoder for test identifiers, independent of the class under test: hadoop-common's own
 * {@code Text} and {@code WritableUtils}, in the field order of the spec (§4).
 */
final class CaseBytes {

  private CaseBytes() {
  }

  static byte[] encode(Cases.Case c, S3adtTokenIdentifier.EncryptionLayout layout)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeByte(0);
    new Text(c.owner).write(d);
    new Text(c.renewer).write(d);
    new Text(c.realUser).write(d);
    WritableUtils.writeVLong(d, c.issueDate);
    WritableUtils.writeVLong(d, c.maxDate);
    WritableUtils.writeVInt(d, c.sequenceNumber);
    WritableUtils.writeVInt(d, c.masterKeyId);
    Text.writeString(d, c.uri);
    Text.writeString(d, c.origin);
    Text.writeString(d, c.uuid);
    d.writeLong(layout == S3adtTokenIdentifier.EncryptionLayout.V2
        ? S3adtTokenIdentifier.ENCRYPTION_SECRETS_UID_V2
        : S3adtTokenIdentifier.ENCRYPTION_SECRETS_UID_V1);
    Text.writeString(d, c.algorithm);
    Text.writeString(d, c.key);
    if (layout != S3adtTokenIdentifier.EncryptionLayout.V1) {
      Text.writeString(d, c.context);
    }
    d.writeLong(c.created);
    Text.writeString(d, c.accessKey);
    Text.writeString(d, c.secretKey);
    Text.writeString(d, c.sessionToken);
    Text.writeString(d, c.roleArn);
    d.writeLong(c.expiration);
    d.flush();
    return b.toByteArray();
  }

  /** The worked example of the spec (§4.6): a 125-byte V1 Session identifier. */
  static Cases.Case workedExample() {
    // duplicates: deliberate. Field-by-field fixture values (the spec's worked example): data.
    Cases.Case c = new Cases.Case();
    c.alias = "worked-example";
    c.kind = SessionTokenIdentifier.KIND;
    c.service = "s3a://bucket";
    c.password = "non-password";
    c.owner = "alice";
    c.renewer = "yarn";
    c.realUser = "";
    c.issueDate = 1700000000000L;
    c.uri = "s3a://bucket";
    c.origin = "origin";
    c.uuid = "00000000-0000-0000-0000-000000000000";
    c.created = 1700000000123L;
    c.algorithm = "";
    c.key = "";
    c.context = "";
    c.accessKey = "AKIA";
    c.secretKey = "SECRET";
    c.sessionToken = "TOKEN";
    c.roleArn = "";
    c.expiration = 1700003600000L;
    return c;
  }

  static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x & 0xff));
    }
    return s.toString();
  }
}
