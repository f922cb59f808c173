//! Natives of `org.s3adt.jni.S3adtVault` (java/src/main/java/org/s3adt/jni/S3adtVault.java):
//! one principal's Ozone S3 secret in Vault, read, written or removed by s3adt-core's
//! [`VaultStore`], for `org.s3adt.vault.VaultS3SecretStore`. Errors are thrown as the class of
//! their kind (a refusal `AccessDeniedException`, a setting `IllegalArgumentException`).

use super::convert::{self, configuration, opt_jstring, string};
use super::Thrown;
use jni::objects::{JObjectArray, JString};
use jni::sys::{jboolean, jstring, JNI_FALSE};
use s3adt_core::auth::vault::{VaultError, VaultStore};
use s3adt_core::runtime::block_on;
use s3adt_token::secret::SecretString;

fn thrown(e: VaultError) -> Thrown {
    Thrown::of(&e)
}

natives! {
    /// `static native String get(String[] conf, String principal)`: the stored secret, or null.
    fn Java_org_s3adt_jni_S3adtVault_get(env, kv: JObjectArray<'l>, principal: JString<'l>)
        -> jstring = std::ptr::null_mut() => {
        let conf = configuration(env, &kv)?;
        let principal = string(env, &principal, "principal")?;
        let store = VaultStore::from_conf(&conf).map_err(thrown)?;
        let secret = block_on(store.get(&principal)).map_err(thrown)?;
        opt_jstring(env, secret.as_ref().map(SecretString::expose))
    };

    /// `static native void put(String[] conf, String principal, String secret)`.
    fn Java_org_s3adt_jni_S3adtVault_put(
        env, kv: JObjectArray<'l>, principal: JString<'l>, secret: JString<'l>,
    ) -> () = () => {
        let conf = configuration(env, &kv)?;
        let principal = string(env, &principal, "principal")?;
        let secret = convert::secret(env, &secret, "secret")?;
        let store = VaultStore::from_conf(&conf).map_err(thrown)?;
        block_on(store.put(&principal, &secret)).map_err(thrown)
    };

    /// `static native boolean remove(String[] conf, String principal)`: false when none was stored.
    fn Java_org_s3adt_jni_S3adtVault_remove(env, kv: JObjectArray<'l>, principal: JString<'l>)
        -> jboolean = JNI_FALSE => {
        let conf = configuration(env, &kv)?;
        let principal = string(env, &principal, "principal")?;
        let store = VaultStore::from_conf(&conf).map_err(thrown)?;
        Ok(jboolean::from(block_on(store.remove(&principal)).map_err(thrown)?))
    };
}
