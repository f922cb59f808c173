//! HashiCorp Vault (or OpenBao) as a credential source and as the store of Ozone S3 secrets:
//! read, write and delete the secret of a principal in a KV engine (v1 or v2), in the layout
//! Ozone's `VaultS3SecretStorageProvider` writes ([`kv`]), with the settings Ozone names for its
//! own store (address, namespace, engine version, secret path, `TOKEN` or `APPROLE` auth, TLS
//! trust) as `fs.s3a.s3adt.vault.*` keys. So where Ozone keeps its S3 secrets in Vault, a client
//! Vault authorizes reads its own secret there.
//!
//! Used by the credential source `VaultCredentialsProvider` ([`credentials`], in
//! `fs.s3a.aws.credentials.provider`), the JVM's `org.s3adt.vault.VaultS3SecretStore` and the
//! command. The token and the secrets are held in the wiped, redacted [`SecretString`]; every
//! error names the address, the path and Vault's status and says what to do, never a token or
//! a secret. Each operation logs in afresh (an AppRole login per call), so nothing expires
//! between calls.

mod error;
mod kv;

use super::credentials::{check_resolved, AwsCredentials};
use crate::auth::sources::get;
use crate::conf::Configuration;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use kv::Tree;
use s3adt_token::secret::SecretString;
use std::fmt;
use std::time::Duration;

pub mod keys;

pub use error::VaultError;

const TIMEOUT: Duration = Duration::from_secs(30); // one request, connect included

enum Auth {
    Token(SecretString),
    AppRole {
        path: String,
        role_id: String,
        secret_id: SecretString,
    },
}

/// One Vault's settings, from `fs.s3a.s3adt.vault.*`.
pub struct VaultStore {
    address: String,
    namespace: Option<String>,
    engine: u8,
    secret_path: String,
    auth: Auth,
    http: SharedHttpClient,
}

impl fmt::Debug for VaultStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VaultStore")
            .field("address", &self.address)
            .field("namespace", &self.namespace)
            .field("engine", &self.engine)
            .field("secret_path", &self.secret_path)
            .finish_non_exhaustive()
    }
}

fn value(conf: &Configuration, key: &str) -> Option<String> {
    conf.get(key)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn required(conf: &Configuration, key: &'static str, what: &str) -> Result<String, VaultError> {
    value(conf, key).ok_or_else(|| VaultError::Config {
        key,
        message: format!("unset: {what}"),
    })
}

fn secret(conf: &Configuration, key: &'static str, what: &str) -> Result<SecretString, VaultError> {
    let v = required(conf, key, what)?;
    check_resolved(key, &v).map_err(|message| VaultError::Config { key, message })?;
    Ok(SecretString::new(v))
}

impl VaultStore {
    /// The settings of `conf` (bucket-resolved when per bucket). Reads the CA file, if any;
    /// sends nothing.
    pub fn from_conf(conf: &Configuration) -> Result<Self, VaultError> {
        let address = required(
            conf,
            keys::ADDRESS,
            "Vault's URL, e.g. https://vault.example.com:8200",
        )?;
        if !(address.starts_with("http://") || address.starts_with("https://")) {
            return Err(VaultError::Config {
                key: keys::ADDRESS,
                message: format!("{address:?} is not an http:// or https:// URL"),
            });
        }
        let address = address.trim_end_matches('/').to_owned();
        let engine = match value(conf, keys::ENGINE_VERSION).as_deref() {
            None | Some("1") => 1,
            Some("2") => 2,
            Some(other) => {
                return Err(VaultError::Config {
                    key: keys::ENGINE_VERSION,
                    message: format!("must be 1 or 2, not {other:?}"),
                })
            }
        };
        let secret_path = required(
            conf,
            keys::SECRET_PATH,
            "the KV mount (and prefix) holding the secrets, as Ozone's ozone.secret.s3.store.remote.vault.secretpath",
        )?
        .trim_matches('/')
        .to_owned();
        if secret_path.is_empty() || secret_path.split('/').any(|s| s.is_empty() || s == "..") {
            return Err(VaultError::Config {
                key: keys::SECRET_PATH,
                message: format!("{secret_path:?} is not a Vault path"),
            });
        }
        let method = value(conf, keys::AUTH_METHOD).unwrap_or_else(|| "TOKEN".to_owned());
        let auth = match method.to_ascii_uppercase().replace('_', "").as_str() {
            "TOKEN" => Auth::Token(secret(conf, keys::TOKEN, "the Vault token (TOKEN auth)")?),
            "APPROLE" => Auth::AppRole {
                path: value(conf, keys::APPROLE_PATH)
                    .unwrap_or_else(|| "approle".to_owned())
                    .trim_matches('/')
                    .to_owned(),
                role_id: required(conf, keys::APPROLE_ROLE_ID, "the AppRole's role_id")?,
                secret_id: secret(conf, keys::APPROLE_SECRET_ID, "the AppRole's secret_id")?,
            },
            _ => {
                return Err(VaultError::Config {
                    key: keys::AUTH_METHOD,
                    message: format!("must be TOKEN or APPROLE, not {method:?}"),
                })
            }
        };
        let http = match value(conf, keys::TLS_CA_FILE) {
            None => crate::runtime::http_client(),
            Some(file) => {
                let pem = std::fs::read(&file).map_err(|e| VaultError::Config {
                    key: keys::TLS_CA_FILE,
                    message: format!("{file}: {e}"),
                })?;
                crate::runtime::http_client_trusting(pem).map_err(|e| VaultError::Config {
                    key: keys::TLS_CA_FILE,
                    message: format!("{file}: {e}"),
                })?
            }
        };
        Ok(VaultStore {
            address,
            namespace: value(conf, keys::NAMESPACE),
            engine,
            secret_path,
            auth,
            http,
        })
    }

    /// This Vault as messages name it: address, namespace and secret path (never a token).
    pub fn describe(&self) -> String {
        format!(
            "Vault at {}, secret path {}",
            self.address,
            self.at(&self.secret_path)
        )
    }

    /// `path` as errors name it: with the namespace.
    fn at(&self, path: &str) -> String {
        match &self.namespace {
            Some(ns) => format!("{path} (namespace {ns})"),
            None => path.to_owned(),
        }
    }

    /// One request to `/v1/<path>`: its status and body (wiped on drop).
    async fn call(
        &self,
        method: &'static str,
        path: &str,
        token: Option<&SecretString>,
        body: Option<Vec<u8>>,
    ) -> Result<get::Response, VaultError> {
        let url = format!("{}/v1/{path}", self.address);
        let mut headers: Vec<(&'static str, &str)> = Vec::new();
        if let Some(t) = token {
            headers.push(("x-vault-token", t.expose()));
        }
        if let Some(ns) = &self.namespace {
            headers.push(("x-vault-namespace", ns.as_str()));
        }
        if body.is_some() {
            headers.push(("content-type", "application/json"));
        }
        let r = get::request_with(
            method,
            &url,
            &headers,
            body.map(bytes::Bytes::from),
            TIMEOUT,
            self.http.clone(),
        )
        .await
        .map_err(|detail| VaultError::Unreachable {
            address: self.address.clone(),
            detail,
        })?;
        if r.status == 503 && r.body.contains("sealed") {
            return Err(VaultError::Sealed {
                address: self.address.clone(),
            });
        }
        Ok(r)
    }

    /// The failure of an answer that is not one the operation expects.
    fn refusal(&self, op: &'static str, path: &str, r: &get::Response) -> VaultError {
        let detail = kv::errors(&r.body);
        match r.status {
            401 | 403 => VaultError::Denied {
                op,
                at: self.at(path),
                status: r.status,
                detail: if detail.is_empty() {
                    "permission denied".to_owned()
                } else {
                    detail
                },
            },
            s => {
                // Vault's errors are JSON; a plain-text answer (an http:// request to an HTTPS
                // listener: "Client sent an HTTP request to an HTTPS server.") is said as it is
                let text = r.body.trim();
                let detail = if detail.is_empty() && !text.starts_with('{') {
                    text.chars().take(200).collect()
                } else {
                    detail
                };
                VaultError::Unexpected(format!(
                    "Vault at {} answered the {op} of {} with {s} ({detail})",
                    self.address,
                    self.at(path)
                ))
            }
        }
    }

    /// A token to act with: the configured one, or an AppRole login's.
    async fn login(&self) -> Result<SecretString, VaultError> {
        let (path, role_id, secret_id) = match &self.auth {
            Auth::Token(t) => return Ok(t.clone()),
            Auth::AppRole {
                path,
                role_id,
                secret_id,
            } => (path, role_id, secret_id),
        };
        let login = format!("auth/{path}/login");
        let r = self
            .call(
                "POST",
                &login,
                None,
                Some(kv::login_body(role_id, secret_id)),
            )
            .await?;
        match r.status {
            200 => kv::login_token(&r.body).ok_or_else(|| {
                VaultError::Unexpected(format!(
                    "Vault's answer to the AppRole login at {} has no auth.client_token",
                    self.at(&login)
                ))
            }),
            400 | 401 | 403 | 404 => Err(VaultError::LoginRefused {
                at: self.at(&login),
                detail: format!("{} {}", r.status, kv::errors(&r.body)),
            }),
            _ => Err(self.refusal("AppRole login", &login, &r)),
        }
    }

    /// The version of the KV engine at the secret path, when Vault tells this token
    /// (`sys/internal/ui/mounts/<path>`, which any token with access to the mount may ask).
    async fn mount_version(&self, token: &SecretString) -> Option<(String, u8)> {
        let path = format!("sys/internal/ui/mounts/{}", self.secret_path);
        let r = self.call("GET", &path, Some(token), None).await.ok()?;
        if r.status == 200 {
            kv::mount_version(&r.body)
        } else {
            None
        }
    }

    /// Fails when Vault says the mount is of the other KV version.
    async fn check_engine(&self, token: &SecretString) -> Result<(), VaultError> {
        match self.mount_version(token).await {
            Some((mount, actual)) if actual != self.engine => Err(VaultError::WrongEngine {
                mount,
                configured: self.engine,
                actual,
            }),
            _ => Ok(()),
        }
    }

    fn path(&self, principal: &str, tree: Tree) -> Result<String, VaultError> {
        kv::check_principal(principal).map_err(VaultError::Unexpected)?;
        Ok(kv::secret_api_path(
            &self.secret_path,
            self.engine,
            principal,
            tree,
        ))
    }

    async fn read_with(
        &self,
        token: &SecretString,
        principal: &str,
    ) -> Result<Option<SecretString>, VaultError> {
        let path = self.path(principal, Tree::Data)?;
        let r = self.call("GET", &path, Some(token), None).await?;
        match r.status {
            200 => kv::read_value(self.engine, &r.body, principal)
                .map(Some)
                .map_err(|e| VaultError::NotOzoneLayout {
                    at: self.at(&path),
                    what: match e {
                        kv::ReadError::NotJson => "not JSON".to_owned(),
                        kv::ReadError::NoData if self.engine == 2 => "no data.data".to_owned(),
                        kv::ReadError::NoData => "no data".to_owned(),
                        kv::ReadError::NoField => format!("no field {principal}"),
                        kv::ReadError::NotText => format!("the field {principal} is not text"),
                    },
                }),
            404 => {
                self.check_engine(token).await?;
                Ok(None)
            }
            // A policy that names the right path refuses the other version's.
            401 | 403 => {
                self.check_engine(token).await?;
                Err(self.refusal("read", &path, &r))
            }
            _ => Err(self.refusal("read", &path, &r)),
        }
    }

    /// The secret stored for `principal`; None when there is none.
    pub async fn get(&self, principal: &str) -> Result<Option<SecretString>, VaultError> {
        let token = self.login().await?;
        self.read_with(&token, principal).await
    }

    /// Stores `secret` for `principal` as Ozone does, replacing any stored before.
    pub async fn put(&self, principal: &str, secret: &SecretString) -> Result<(), VaultError> {
        let token = self.login().await?;
        // A write to a v2 path on a v1 mount would land as a secret at `data/<principal>`.
        self.check_engine(&token).await?;
        let path = self.path(principal, Tree::Data)?;
        let body = kv::write_body(self.engine, principal, secret);
        let r = self.call("POST", &path, Some(&token), Some(body)).await?;
        match r.status {
            200 | 204 => Ok(()),
            _ => Err(self.refusal("write", &path, &r)),
        }
    }

    /// Removes the secret stored for `principal` (on v2: every version, as Ozone does); false
    /// when there was none.
    pub async fn remove(&self, principal: &str) -> Result<bool, VaultError> {
        let token = self.login().await?;
        if self.read_with(&token, principal).await?.is_none() {
            return Ok(false);
        }
        let path = self.path(principal, Tree::Metadata)?;
        let r = self.call("DELETE", &path, Some(&token), None).await?;
        match r.status {
            200 | 204 => Ok(true),
            _ => Err(self.refusal("delete", &path, &r)),
        }
    }

    /// The credentials of `principal`: its secret, or [`VaultError::NotFound`].
    pub async fn credentials_of(&self, principal: &str) -> Result<AwsCredentials, VaultError> {
        match self.get(principal).await? {
            Some(secret) => Ok(AwsCredentials {
                access_key: principal.to_owned(),
                secret_key: secret,
                session_token: None,
                expiration: None,
            }),
            None => Err(VaultError::NotFound {
                at: self.at(&self.path(principal, Tree::Data)?),
            }),
        }
    }
}

/// The credential source `VaultCredentialsProvider`: the secret of `fs.s3a.s3adt.vault.principal`.
pub async fn credentials(conf: &Configuration) -> Result<AwsCredentials, VaultError> {
    let principal = required(
        conf,
        keys::PRINCIPAL,
        "whose secret to read: the principal that is the access key, e.g. alice@EXAMPLE.COM",
    )?;
    VaultStore::from_conf(conf)?
        .credentials_of(&principal)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(pairs: &[(&str, &str)]) -> Configuration {
        let mut c = Configuration::new();
        for (k, v) in pairs {
            c.set(*k, *v);
        }
        c
    }

    #[test]
    fn settings() {
        let base = [
            (keys::ADDRESS, "http://127.0.0.1:8200/"),
            (keys::SECRET_PATH, "/secret/"),
            (keys::TOKEN, "hvs.tok"),
        ];
        let s = VaultStore::from_conf(&conf(&base)).unwrap();
        assert_eq!(
            (s.address.as_str(), s.secret_path.as_str(), s.engine),
            ("http://127.0.0.1:8200", "secret", 1)
        );
        assert!(!format!("{s:?}").contains("hvs.tok"));
        let e = |pairs: &[(&str, &str)]| {
            let mut all = base.to_vec();
            all.extend_from_slice(pairs);
            VaultStore::from_conf(&conf(&all)).unwrap_err().to_string()
        };
        assert!(e(&[(keys::ENGINE_VERSION, "3")]).contains("must be 1 or 2"));
        assert!(e(&[(keys::AUTH_METHOD, "ldap")]).contains("must be TOKEN or APPROLE"));
        assert!(e(&[(keys::AUTH_METHOD, "approle")]).contains(keys::APPROLE_ROLE_ID));
        assert!(e(&[(keys::ADDRESS, "vault:8200")]).contains("not an http"));
        assert!(e(&[(keys::TLS_CA_FILE, "/nonexistent/ca.pem")]).contains(keys::TLS_CA_FILE));
        let not_pem = std::env::temp_dir().join(format!("s3adt-not-pem-{}", std::process::id()));
        std::fs::write(&not_pem, "not a certificate\n").unwrap();
        let t = e(&[(keys::TLS_CA_FILE, not_pem.to_str().unwrap())]);
        std::fs::remove_file(&not_pem).unwrap();
        assert!(
            t.contains(keys::TLS_CA_FILE) && t.contains("no PEM certificate"),
            "{t}"
        );
        let t = e(&[(keys::TOKEN, "${env.S3ADT_TEST_UNSET_VAULT}")]);
        assert!(t.contains("unresolved"), "{t}");
        for m in ["APPROLE", "AppRole", "APP_ROLE"] {
            let c = conf(&[
                base[0],
                base[1],
                (keys::AUTH_METHOD, m),
                (keys::APPROLE_ROLE_ID, "r"),
                (keys::APPROLE_SECRET_ID, "s"),
            ]);
            assert!(VaultStore::from_conf(&c).is_ok(), "{m}");
        }
        let missing = crate::runtime::block_on(credentials(&conf(&base))).unwrap_err();
        assert!(missing.to_string().contains(keys::PRINCIPAL), "{missing}");
        assert!(!format!("{:?}", conf(&base)).contains("hvs.tok")); // Debug hides it
    }

    #[test]
    fn an_unreachable_vault_names_the_address_and_not_the_token() {
        // a port nothing listens on
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = format!("http://{}", l.local_addr().unwrap());
        drop(l);
        let c = conf(&[
            (keys::ADDRESS, &addr),
            (keys::SECRET_PATH, "secret"),
            (keys::TOKEN, "hvs.never-shown"),
            (keys::PRINCIPAL, "alice@R"),
        ]);
        let e = crate::runtime::block_on(credentials(&c))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&format!("no answer from Vault at {addr}")),
            "{e}"
        );
        assert!(!e.contains("never-shown"), "{e}");
    }
}
