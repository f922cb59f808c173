//! The `fs.s3a.s3adt.vault.*` keys (Ozone's names in brackets, under
//! `ozone.secret.s3.store.remote.vault.`).

/// `http(s)://host:port` (`address`).
pub const ADDRESS: &str = "fs.s3a.s3adt.vault.address";
/// Sent as `X-Vault-Namespace` when set (`namespace`).
pub const NAMESPACE: &str = "fs.s3a.s3adt.vault.namespace";
/// The KV engine's version, 1 or 2; 1 when unset, as in Ozone (`enginever`).
pub const ENGINE_VERSION: &str = "fs.s3a.s3adt.vault.engine.version";
/// The mount and any prefix: a principal's secret is at `<secret.path>/<principal>`
/// (`secretpath`).
pub const SECRET_PATH: &str = "fs.s3a.s3adt.vault.secret.path";
/// `TOKEN` (the default) or `APPROLE` (`auth`).
pub const AUTH_METHOD: &str = "fs.s3a.s3adt.vault.auth.method";
/// The token for `TOKEN` auth; may live in a Hadoop credential provider (`auth.token`).
pub const TOKEN: &str = "fs.s3a.s3adt.vault.token";
/// AppRole's role_id (`auth.approle.id`).
pub const APPROLE_ROLE_ID: &str = "fs.s3a.s3adt.vault.approle.role.id";
/// AppRole's secret_id; may live in a Hadoop credential provider (`auth.approle.secret`).
pub const APPROLE_SECRET_ID: &str = "fs.s3a.s3adt.vault.approle.secret.id";
/// Where the AppRole auth method is mounted, `approle` by default (`auth.approle.path`).
pub const APPROLE_PATH: &str = "fs.s3a.s3adt.vault.approle.path";
/// A PEM file of the CA certificates to trust for an `https://` address, instead of the
/// platform's (Ozone's `trust.store.*`, as PEM).
pub const TLS_CA_FILE: &str = "fs.s3a.s3adt.vault.tls.ca.file";
/// Whose secret the credential source reads: the principal that is the access key.
pub const PRINCIPAL: &str = "fs.s3a.s3adt.vault.principal";
