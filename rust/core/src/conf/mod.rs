//! Hadoop configuration, with the semantics S3A relies on: `core-site.xml` files (from
//! `HADOOP_CONF_DIR`), `-D key=value` overrides, `${key}` / `${env.NAME}` expansion, per-bucket
//! options (`fs.s3a.bucket.<bucket>.<key>` replacing `fs.s3a.<key>`, as
//! `S3AUtils.propagateBucketOptions` does) and `Configuration.getTimeDuration`.
//!
//! Not here: Hadoop's credential providers (JCEKS). The Java shim resolves those through
//! `Configuration.getPassword` and hands the values over as ordinary keys; it also expands
//! `${...}` itself, so what comes from the JVM is held by a [`Configuration::resolved`], which
//! never expands again (a second round would let any value pull in a JCEKS secret, or
//! `${env.X}` despite Hadoop's `restrictSystemProps`).
//!
//! Security rules, whatever the source:
//! - a `${key}` naming a key that holds a secret ([`is_secret_key`]) is never resolved: it stays
//!   as text, so no other value (whose text may reach an error, a log or a host name) can
//!   copy a secret;
//! - errors name the key, never the value;
//! - values are wiped from memory when replaced, removed or dropped.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use zeroize::Zeroizing;

pub mod bindings;
pub mod keys;

/// Configuration errors name the key and what was expected, never the value: a value may be
/// (or, through a mistake, hold) a secret.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("bad value for {key}: {message}")]
    BadValue { key: String, message: String },
    /// A `-D` argument that is not `key=value`. The argument itself is not quoted: it may be a
    /// secret typed in the wrong place.
    #[error("-D takes key=value, got {0}")]
    BadOverride(BadOverride),
}

impl crate::error::HasKind for ConfigError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Config
    }
}

/// What was wrong with a `-D` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadOverride {
    NoEquals,
    EmptyKey,
}

impl std::fmt::Display for BadOverride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BadOverride::NoEquals => "an argument without '=' (not shown)",
            BadOverride::EmptyKey => "an empty key",
        })
    }
}

/// Keys and values, as `org.apache.hadoop.conf.Configuration` holds them. Values are wiped when
/// replaced, removed or dropped (any of them may be a secret).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Configuration {
    values: BTreeMap<String, Zeroizing<String>>,
    /// The values were expanded already (by Hadoop, in the JVM): `get` returns them as they are.
    resolved: bool,
}

/// Values of keys that hold secrets are not shown.
impl std::fmt::Debug for Configuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.values {
            if is_secret_key(k) {
                m.entry(k, &"<redacted>");
            } else {
                m.entry(k, v);
            }
        }
        m.finish()
    }
}

/// An environment variable whose name says it holds a secret.
fn is_secret_env(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    [
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "CREDENTIAL",
        "PRIVATE",
    ]
    .iter()
    .any(|s| n.contains(s))
}

/// Whether `key` names a value that holds a secret (by substring, as its `Debug` redacts).
pub fn is_secret_key(key: &str) -> bool {
    [
        "secret",
        "password",
        "session.token",
        "encryption.key",
        "encryption.context",
        "server-side-encryption.key",
        "account.key",
        "vault.token",
    ]
    .iter()
    .any(|s| key.contains(s))
}

const MAX_SUBST: usize = 20;

impl Configuration {
    /// An empty configuration whose values `get` expands (`${key}`, `${env.NAME}`), as
    /// Hadoop's `Configuration` does: for core-site.xml files, `-D` options and the C API.
    pub fn new() -> Self {
        Configuration::default()
    }

    /// An empty configuration for values that were expanded already (what the JVM hands over:
    /// Hadoop resolved `${...}` there, with its own rules, and JCEKS secrets were added as
    /// plain keys). `get` returns values as they are; a `${...}` Hadoop left in place stays.
    pub fn resolved() -> Self {
        Configuration {
            resolved: true,
            ..Configuration::default()
        }
    }

    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.values.insert(key.into(), Zeroizing::new(value.into()));
    }

    pub fn unset(&mut self, key: &str) {
        self.values.remove(key);
    }

    /// Apply a `-D key=value` argument.
    pub fn set_override(&mut self, arg: &str) -> Result<(), ConfigError> {
        let (k, v) = arg
            .split_once('=')
            .ok_or(ConfigError::BadOverride(BadOverride::NoEquals))?;
        if k.trim().is_empty() {
            return Err(ConfigError::BadOverride(BadOverride::EmptyKey));
        }
        self.set(k.trim(), v);
        Ok(())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The raw value, without expansion.
    pub fn get_raw(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.as_str())
    }

    /// The value with `${...}` expanded, as `Configuration.get` (as it is, for a
    /// [`Configuration::resolved`]).
    pub fn get(&self, key: &str) -> Option<String> {
        let v = self.values.get(key)?;
        Some(if self.resolved {
            v.as_str().to_owned()
        } else {
            self.substitute(key, v)
        })
    }

    /// `Configuration.getTrimmed(key, default)`.
    pub fn get_trimmed(&self, key: &str, default: &str) -> String {
        self.get(key)
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| default.to_owned())
    }

    /// The first of `keys` that is set, trimmed (for a key with an older name).
    pub fn get_first_trimmed(&self, keys_in_order: &[&str]) -> Option<String> {
        keys_in_order
            .iter()
            .find_map(|k| self.get(k).map(|v| v.trim().to_owned()))
    }

    /// `${key}`, `${env.NAME}` expansion, at most 20 rounds, leaving unknown references as they
    /// are (as Hadoop does). A reference to a key that holds a secret ([`is_secret_key`]) is
    /// left as it is too: only the secret's own key may hold a secret (`fs.s3a.secret.key` =
    /// `${env.AWS_SECRET_ACCESS_KEY}` works, `fs.s3a.endpoint` = `${fs.s3a.secret.key}` does
    /// not), so no check that quotes or sends a value can spill one.
    ///
    /// The same holds for the environment: a variable whose name says it holds a secret
    /// ([`is_secret_env`]: `AWS_SECRET_ACCESS_KEY`, `*_TOKEN`, `*_PASSWORD`...) expands only
    /// into a key that holds a secret, so `fs.s3a.endpoint` = `${env.AWS_SECRET_ACCESS_KEY}`
    /// cannot carry it into a host name (the JVM's values are never expanded here at all).
    fn substitute(&self, key: &str, value: &str) -> String {
        let mut out = value.to_owned();
        for _ in 0..MAX_SUBST {
            let Some(start) = out.find("${") else { break };
            let Some(len) = out[start + 2..].find('}') else {
                break;
            };
            let name = &out[start + 2..start + 2 + len];
            let replacement = if let Some(env) = name.strip_prefix("env.") {
                if is_secret_env(env) && !is_secret_key(key) {
                    None
                } else {
                    std::env::var(env).ok()
                }
            } else if is_secret_key(name) {
                None
            } else {
                self.values.get(name).map(|v| v.as_str().to_owned())
            };
            match replacement {
                Some(r) => out.replace_range(start..start + 3 + len, &r),
                None => break,
            }
        }
        out
    }

    /// `Configuration.getTimeDuration(key, default, unit)` in `unit`s: trimmed, lower-cased,
    /// suffixes ns, us, ms, s, m, h, d; no suffix means `unit`; integers only.
    pub fn get_time_duration(
        &self,
        key: &str,
        default: &str,
        unit: TimeUnit,
    ) -> Result<Duration, ConfigError> {
        let raw = self.get(key).unwrap_or_else(|| default.to_owned());
        parse_time_duration(&raw, unit).map_err(|message| ConfigError::BadValue {
            key: key.to_owned(),
            message,
        })
    }

    /// Load a Hadoop configuration XML file (`<configuration><property><name>..<value>..`).
    /// Later files override earlier ones, except keys an earlier file marked `<final>true`.
    pub fn add_resource(&mut self, path: &Path) -> Result<(), ConfigError> {
        let err = |message: String| ConfigError::File {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let doc = roxmltree::Document::parse_with_options(
            &text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        // Position only: roxmltree's texts quote parts of the document (an unknown entity's
        // name, taken from a value).
        .map_err(|e| err(format!("malformed XML at {}", e.pos())))?;
        let root = doc.root_element();
        if root.tag_name().name() != "configuration" {
            return Err(err(format!(
                "root element is <{}>, not <configuration>",
                root.tag_name().name()
            )));
        }
        for prop in root.children().filter(|n| n.has_tag_name("property")) {
            let child = |name: &str| {
                prop.children()
                    .find(|n| n.has_tag_name(name))
                    .map(|n| n.text().unwrap_or("").to_owned())
            };
            let Some(name) = child("name").map(|n| n.trim().to_owned()) else {
                continue;
            };
            let value = child("value").unwrap_or_default();
            self.set(name, value);
        }
        Ok(())
    }

    /// `core-site.xml` from `HADOOP_CONF_DIR`, if there is one.
    pub fn load_default_resources(&mut self) -> Result<(), ConfigError> {
        if let Some(dir) = std::env::var_os("HADOOP_CONF_DIR") {
            let core_site = Path::new(&dir).join("core-site.xml");
            if core_site.exists() {
                self.add_resource(&core_site)?;
            }
        }
        Ok(())
    }

    /// A copy in which every `fs.s3a.bucket.<bucket>.<key>` has replaced `fs.s3a.<key>`, as
    /// `S3AUtils.propagateBucketOptions` does (options naming `bucket.` or `impl` are ignored).
    pub fn for_bucket(&self, bucket: &str) -> Configuration {
        let mut out = self.clone();
        let prefix = format!("{}{bucket}.", keys::BUCKET_PREFIX);
        for (k, v) in &self.values {
            let Some(stripped) = k.strip_prefix(&prefix) else {
                continue;
            };
            if stripped.is_empty() || stripped.starts_with("bucket.") || stripped == "impl" {
                continue;
            }
            out.values
                .insert(format!("{}{stripped}", keys::S3A_PREFIX), v.clone());
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Milliseconds,
    Seconds,
}

/// `Configuration.getTimeDuration` parsing; truncates toward zero when converting, as
/// `TimeUnit.convert` does.
pub fn parse_time_duration(raw: &str, unit: TimeUnit) -> Result<Duration, String> {
    let v = raw.trim().to_lowercase();
    // Order matters: "ms" before "s", as Hadoop's ParsedTimeDuration tests suffixes in order.
    let suffixes: [(&str, u128); 7] = [
        ("ns", 1),
        ("us", 1_000),
        ("ms", 1_000_000),
        ("s", 1_000_000_000),
        ("m", 60_000_000_000),
        ("h", 3_600_000_000_000),
        ("d", 86_400_000_000_000),
    ];
    let unit_nanos = match unit {
        TimeUnit::Milliseconds => 1_000_000u128,
        TimeUnit::Seconds => 1_000_000_000u128,
    };
    let (number, nanos_per) = suffixes
        .iter()
        .find(|(s, _)| v.ends_with(s))
        .map(|(s, n)| (&v[..v.len() - s.len()], *n))
        .unwrap_or((v.as_str(), unit_nanos));
    let n: i64 = number.trim().parse().map_err(|_| {
        "not a whole number with an optional unit (ns, us, ms, s, m, h, d)".to_owned()
    })?;
    if n < 0 {
        return Err("a duration cannot be negative".to_owned());
    }
    let total_nanos = n as u128 * nanos_per;
    // Truncate to the requested unit, as Hadoop does.
    let truncated = total_nanos / unit_nanos * unit_nanos;
    u64::try_from(truncated / 1_000_000_000)
        .map(|secs| Duration::new(secs, (truncated % 1_000_000_000) as u32))
        .map_err(|_| "duration too large".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_hadoop() {
        let s = |v| parse_time_duration(v, TimeUnit::Seconds).map(|d| d.as_secs());
        assert_eq!(s("1h"), Ok(3600));
        assert_eq!(s("36h"), Ok(129600));
        assert_eq!(s(" 30M "), Ok(1800));
        assert_eq!(s("900"), Ok(900));
        assert_eq!(s("1500ms"), Ok(1));
        assert_eq!(s("2d"), Ok(172800));
        assert!(s("1.5h").is_err());
        assert!(s("h").is_err());
        assert!(s("-5m").is_err());
    }

    #[test]
    fn bad_duration_names_the_key() {
        let mut c = Configuration::new();
        c.set(keys::ASSUMED_ROLE_SESSION_DURATION, "soon");
        let e = c
            .get_time_duration(keys::ASSUMED_ROLE_SESSION_DURATION, "1h", TimeUnit::Seconds)
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("bad value for fs.s3a.assumed.role.session.duration: not a whole"),
            "{e}"
        );
        assert!(!e.to_string().contains("soon"), "{e}");
        assert!(!format!("{e:?}").contains("soon"), "{e:?}");
    }

    const MARKER: &str = "MARKER-SECRET-5f1c";

    #[test]
    fn secret_environment_variables_expand_only_into_secret_keys() {
        let var = "S3ADT_TEST_SECRET_ACCESS_KEY_H2";
        // no other test reads these two variables
        std::env::set_var(var, MARKER);
        let mut c = Configuration::new();
        c.set(keys::SECRET_KEY, format!("${{env.{var}}}"));
        c.set(
            "fs.s3a.endpoint",
            format!("https://${{env.{var}}}.example.com"),
        );
        c.set("my.indirect", format!("${{env.{var}}}"));
        c.set("fs.s3a.endpoint.region", "${my.indirect}");
        c.set("fs.s3a.retry.limit", "${env.S3ADT_TEST_PLAIN_H2}");
        std::env::set_var("S3ADT_TEST_PLAIN_H2", "3");
        assert_eq!(c.get(keys::SECRET_KEY).as_deref(), Some(MARKER));
        assert!(!c.get("fs.s3a.endpoint").unwrap().contains(MARKER));
        assert!(!c.get("fs.s3a.endpoint.region").unwrap().contains(MARKER));
        assert_eq!(c.get("fs.s3a.retry.limit").as_deref(), Some("3"));
    }

    #[test]
    fn references_never_resolve_to_secret_keys() {
        let mut c = Configuration::new();
        for k in [
            keys::SECRET_KEY,
            keys::SESSION_TOKEN,
            keys::ENCRYPTION_KEY,
            keys::ENCRYPTION_CONTEXT,
            keys::SSE_KEY_OLD,
            "fs.s3a.bucket.lake.secret.key",
            "ssl.client.keystore.password",
        ] {
            c.set(k, MARKER);
            c.set("fs.s3a.retry.limit", format!("${{{k}}}"));
            assert_eq!(
                c.get("fs.s3a.retry.limit"),
                Some(format!("${{{k}}}")),
                "{k} resolved"
            );
            // Nor through another key that refers to it.
            c.set("my.indirect", format!("${{{k}}}"));
            c.set("fs.s3a.endpoint", "${my.indirect}.example.com");
            assert_eq!(
                c.get("fs.s3a.endpoint"),
                Some(format!("${{{k}}}.example.com")),
                "{k} resolved"
            );
        }
        // The unresolved text then fails where a number is expected, naming the key only.
        let e = crate::retry::RetryPolicy::from_config(&c).unwrap_err();
        assert!(e.to_string().contains("fs.s3a.retry.limit"), "{e}");
        assert!(!e.to_string().contains(MARKER), "{e}");
        // Ordinary references and the environment still resolve.
        c.set("my.base", "s3a://lake");
        c.set("fs.defaultFS", "${my.base}/data");
        assert_eq!(c.get("fs.defaultFS").as_deref(), Some("s3a://lake/data"));
        let path = std::env::var("PATH").unwrap();
        c.set(keys::SECRET_KEY, "${env.PATH}");
        assert_eq!(c.get(keys::SECRET_KEY), Some(path));
    }

    #[test]
    fn a_credential_key_referring_to_a_secret_is_named_not_resolved() {
        let mut c = Configuration::new();
        c.set(keys::SECRET_KEY, MARKER);
        c.set(keys::ACCESS_KEY, "${fs.s3a.secret.key}");
        let chain = [crate::auth::chain::CredentialSource::SimpleKeys];
        let err =
            crate::runtime::block_on(crate::auth::chain::resolve_chain(&chain, &c, &|_: &str| {
                None
            }))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("fs.s3a.access.key holds an unresolved ${...} reference"),
            "{err}"
        );
        assert!(!err.contains(MARKER), "{err}");
    }

    #[test]
    fn resolved_configurations_never_expand() {
        let mut c = Configuration::resolved();
        c.set("my.base", "s3a://lake");
        c.set("fs.defaultFS", "${my.base}/data");
        c.set("fs.s3a.readahead.range", "${env.PATH}");
        assert_eq!(c.get("fs.defaultFS").as_deref(), Some("${my.base}/data"));
        assert_eq!(
            c.get("fs.s3a.readahead.range").as_deref(),
            Some("${env.PATH}")
        );
        // Per-bucket copies keep the mode.
        assert_eq!(
            c.for_bucket("lake").get("fs.defaultFS").as_deref(),
            Some("${my.base}/data")
        );
        // The plain mode expands the same values.
        let mut plain = Configuration::new();
        for (k, v) in c.iter() {
            plain.set(k, v);
        }
        assert_eq!(
            plain.get("fs.defaultFS").as_deref(),
            Some("s3a://lake/data")
        );
    }

    #[test]
    fn bad_overrides_do_not_quote_the_argument() {
        let mut c = Configuration::new();
        for arg in [format!("fs.s3a.secret.key:{MARKER}"), format!(" ={MARKER}")] {
            let e = c.set_override(&arg).unwrap_err();
            assert!(e.to_string().starts_with("-D takes key=value"), "{e}");
            assert!(!e.to_string().contains(MARKER), "{e}");
            assert!(!format!("{e:?}").contains(MARKER), "{e:?}");
        }
        c.set_override("a.b= x=y ").unwrap();
        assert_eq!(c.get_raw("a.b"), Some(" x=y "));
    }

    #[test]
    fn xml_errors_quote_nothing_from_the_file() {
        let dir = std::env::temp_dir().join(format!("s3adt-conf-xml-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("core-site.xml");
        std::fs::write(
            &p,
            format!(
                "<configuration>\n<property><name>fs.s3a.secret.key</name>\
                 <value>abc&{MARKER}def;</value></property></configuration>"
            ),
        )
        .unwrap();
        let e = Configuration::new()
            .add_resource(&p)
            .unwrap_err()
            .to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(e.contains("core-site.xml: malformed XML at 2:"), "{e}");
        assert!(!e.contains(MARKER), "{e}");
    }

    // duplicates: deliberate. Ends and starts of unrelated tests that only look alike
    // (a secret-marker check, then a configuration set key by key).
    #[test]
    fn bucket_options_override_the_base_ones() {
        let mut c = Configuration::new();
        c.set("fs.s3a.access.key", "base");
        c.set("fs.s3a.bucket.lake.access.key", "lake");
        c.set("fs.s3a.bucket.lake.impl", "x");
        c.set("fs.s3a.bucket.lake.bucket.other.x", "y");
        c.set("fs.s3a.bucket.other.access.key", "other");
        let lake = c.for_bucket("lake");
        assert_eq!(lake.get("fs.s3a.access.key").as_deref(), Some("lake"));
        assert_eq!(lake.get("fs.s3a.impl"), None);
        assert_eq!(lake.get("fs.s3a.bucket.other.x"), None);
        assert_eq!(
            c.for_bucket("third").get("fs.s3a.access.key").as_deref(),
            Some("base")
        );
    }

    #[test]
    fn expansion_and_xml() {
        let dir = std::env::temp_dir().join(format!("s3adt-conf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("core-site.xml");
        std::fs::write(
            &p,
            r#"<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="configuration.xsl"?>
<configuration>
  <property><name>my.base</name><value>s3a://lake</value></property>
  <property><name>fs.defaultFS</name><value>${my.base}/data</value></property>
  <property><name>fs.s3a.secret.key</name><value>hunter2</value><final>true</final></property>
</configuration>"#,
        )
        .unwrap();
        let mut c = Configuration::new();
        c.add_resource(&p).unwrap();
        assert_eq!(c.get("fs.defaultFS").as_deref(), Some("s3a://lake/data"));
        assert!(!format!("{c:?}").contains("hunter2"));
        std::fs::write(&p, "<configuration><property>").unwrap();
        assert!(c
            .add_resource(&p)
            .unwrap_err()
            .to_string()
            .contains("core-site.xml"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
