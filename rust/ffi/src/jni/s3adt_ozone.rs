//! Natives of `org.s3adt.jni.S3adtOzone` (java/src/main/java/org/s3adt/jni/S3adtOzone.java): the
//! Ozone binding's token, a Full token carrying the credentials the Java shim got for the
//! Kerberos principal (a secret store, else Ozone over SPNEGO), handed over here directly so
//! they never pass through the job's configuration.

use super::convert::{opt_string, secret, string, token_parts};
use super::handles;
use jni::objects::JString;
use jni::sys::{jlong, jobjectArray};

natives! {
    /// `static native byte[][] issueToken(long handle, String owner, String renewer,
    /// String accessKey, String secretKey, String source)`: {identifier, password, kind,
    /// service} as `S3adtNative.issueToken` gives them; only for a bucket whose binding is
    /// `org.s3adt.ozone.OzoneTokenBinding`.
    fn Java_org_s3adt_jni_S3adtOzone_issueToken(
        env,
        handle: jlong,
        owner: JString<'l>,
        renewer: JString<'l>,
        access_key: JString<'l>,
        secret_key: JString<'l>,
        source: JString<'l>,
    ) -> jobjectArray = std::ptr::null_mut() => {
        let ctx = handles::bucket(handle)?;
        let owner = string(env, &owner, "owner")?;
        let renewer = opt_string(env, &renewer)?.unwrap_or_default();
        let access_key = string(env, &access_key, "accessKey")?;
        let secret_key = secret(env, &secret_key, "secretKey")?;
        let source = string(env, &source, "source")?;
        let token =
            ctx.issue_with_credentials(&owner, &renewer, &access_key, secret_key, &source)?;
        token_parts(env, &token)
    };
}
