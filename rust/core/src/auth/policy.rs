//! The session policy hadoop-aws's Role binding sends with AssumeRole: read and write on one
//! bucket (`S3AFileSystem.listAWSPolicyRules` for READ and WRITE), plus KMS use. Written as
//! compact JSON: S3-compatible STS services (Ceph RGW) reject a form-encoded `+` for a space.

use serde_json::{json, Value};

/// The statements for one bucket.
pub fn bucket_statements(bucket: &str) -> Vec<Value> {
    vec![
        json!({
            "Effect": "Allow",
            "Action": ["s3:GetBucketLocation", "s3:ListBucket*"],
            "Resource": format!("arn:aws:s3:::{bucket}"),
        }),
        json!({
            "Effect": "Allow",
            "Action": ["s3:Get*", "s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            "Resource": format!("arn:aws:s3:::{bucket}/*"),
        }),
    ]
}

/// The whole policy for `buckets`, with the KMS statement hadoop-aws adds (`kms:*` on `*`, so
/// objects others wrote with SSE-KMS can be read) unless `kms` is false: S3-compatible STS
/// services such as Ceph RGW reject any `kms:` action as a malformed policy.
pub fn role_policy(buckets: &[&str], kms: bool) -> String {
    let mut statements: Vec<Value> = buckets.iter().flat_map(|b| bucket_statements(b)).collect();
    if kms {
        statements.push(json!({"Effect": "Allow", "Action": "kms:*", "Resource": "*"}));
    }
    for (i, s) in statements.iter_mut().enumerate() {
        s.as_object_mut()
            .expect("statement is an object")
            .insert("Sid".into(), Value::from(format!("{}", i + 1)));
    }
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn compact_policy_for_one_bucket() {
        assert!(!super::role_policy(&["b"], false).contains("kms"));
        let p = super::role_policy(&["bucket-a"], true);
        assert!(!p.contains(' '), "compact: {p}");
        let v: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(v["Statement"].as_array().unwrap().len(), 3);
        assert_eq!(v["Statement"][0]["Resource"], "arn:aws:s3:::bucket-a");
        assert_eq!(v["Statement"][1]["Resource"], "arn:aws:s3:::bucket-a/*");
        assert_eq!(v["Statement"][2]["Action"], "kms:*");
    }
}
