package org.s3adt.hadoopaws;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.auth.RoleModel;

/**
 * The real S3AFileSystem, less the one statement RGW refuses. hadoop-aws 3.4.1's
 * S3AFileSystem.listAWSPolicyRules always appends RolePolicies.STATEMENT_ALLOW_KMS_RW
 * ({@code kms:*} on every key) to the session policy the Role binding sends with AssumeRole, and
 * no configuration key turns it off (fs.s3a.assumed.role.policy is read only by
 * AssumedRoleCredentialProvider, not by RoleTokenBinding). RGW answers any {@code kms:} action
 * with 400 MalformedPolicyDocument; s3adt's {@code fs.s3a.s3adt.role.policy.kms=false} leaves it out
 * the same way. Used through {@code fs.s3a.impl}; everything else, the S3 statements included, is
 * hadoop-aws's own.
 */
public class NoKmsS3AFileSystem extends S3AFileSystem {
  @Override
  public List<RoleModel.Statement> listAWSPolicyRules(Set<AccessLevel> access) {
    List<RoleModel.Statement> out = new ArrayList<>();
    for (RoleModel.Statement s : super.listAWSPolicyRules(access)) {
      if (s.action.stream().noneMatch(a -> a.startsWith("kms:"))) {
        out.add(s);
      }
    }
    return out;
  }
}
