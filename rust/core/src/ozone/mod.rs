//! S3 secrets from Apache Ozone's S3 gateway over SPNEGO: `PUT /secret[/<user>]` gets one,
//! `DELETE /secret[/<user>]` revokes it, on the gateway's webadmin port (19878 by default on
//! Ozone 2.x), as the caller's Kerberos login ([`spnego`]). The answers are those measured on a
//! real secure Ozone 2.2.0 (`tests/peers/ozone/README.md`); each failure is its own
//! [`OzoneError`], whose text says what to do.
//!
//! Hazards kept to: never `Accept: application/json` (Ozone creates the secret, then fails with
//! 500 and the secret is lost until revoked); another user by the path `/secret/<user>`, never
//! `?username=` (which Ozone ignores, acting on the caller); the answer is told by its status
//! and body (the reason phrases `S3_SECRET_ALREADY_EXISTS`/`S3_SECRET_NOT_FOUND` come with
//! empty bodies and fixed statuses, so the status says it).

mod spnego;
pub mod store;

use crate::auth::sources::get;
use s3adt_token::secret::SecretString;
use std::fmt;
use std::time::Duration;

/// How long one call to the gateway may take, connect included.
const TIMEOUT: Duration = Duration::from_secs(30);

/// An S3 access key and secret from Ozone. The secret is redacted in `Debug` and `Display`.
#[derive(Debug)]
pub struct S3Secret {
    /// The Kerberos principal, e.g. `alice@EXAMPLE.COM`.
    pub access_key: String,
    pub secret: SecretString,
}

/// Why a secret could not be had or revoked. `Display` says what to do.
#[derive(Debug)]
pub enum OzoneError {
    /// The URL is not `http(s)://host[:port][/secret]`.
    BadUrl(String),
    /// No Kerberos login to make a SPNEGO token from.
    NoTicket(String),
    /// GSSAPI could not make a token for `HTTP/host` (unknown service, KDC unreachable).
    Kerberos(String),
    /// 401: the gateway refused the SPNEGO token.
    Unauthenticated,
    /// 403 from the secret endpoint: the caller is not in `ozone.s3.administrators`.
    NotAdmin,
    /// 403 with an S3 error body: the URL is the S3 API port, not the webadmin port.
    WrongPort,
    /// 400 `S3 Secret endpoint is disabled.`
    Disabled,
    /// 400 on PUT (`S3_SECRET_ALREADY_EXISTS`): the user already has a secret.
    AlreadyExists { user: String },
    /// 404 on DELETE (`S3_SECRET_NOT_FOUND`): nothing to revoke.
    NotFound { user: String },
    /// 200 without an `<S3Secret>`, 404 on PUT, 405, or a status Ozone is not known to give.
    Unexpected(String),
    /// No answer (connection refused, timeout, TLS).
    Transport(String),
}

impl fmt::Display for OzoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadUrl(m) => write!(f, "{m}: give the S3 gateway's webadmin URL, e.g. http://s3g.example.com:19878"),
            Self::NoTicket(m) => write!(
                f,
                "no Kerberos login: run kinit (or give a keytab via KRB5_CLIENT_KTNAME) and try again ({m})"
            ),
            Self::Kerberos(m) => write!(
                f,
                "{m}: the URL's host must be the name in the gateway's HTTP/host principal \
                 (ozone.s3g.http.auth.kerberos.principal), and the KDC must be reachable; kinit again if the \
                 ticket expired"
            ),
            Self::Unauthenticated => write!(
                f,
                "the gateway refused the Kerberos ticket (401): run kinit again, and check that the URL's \
                 host is the name in the gateway's HTTP/host principal"
            ),
            Self::NotAdmin => write!(
                f,
                "refused (403): Ozone 2.x gives and revokes S3 secrets only for its S3 administrators \
                 (ozone.s3.administrators), even one's own; ask one to run this with --user YOUR_PRINCIPAL"
            ),
            Self::WrongPort => write!(
                f,
                "that is the gateway's S3 API port (it answered 403 with an S3 error): the secret endpoint \
                 is on its webadmin port (ozone.s3g.webadmin.http-address, 19878 by default)"
            ),
            Self::Disabled => write!(
                f,
                "the gateway's S3 secret endpoint is disabled (400): its administrator must set \
                 ozone.s3g.secret.http.enabled=true and ozone.s3g.secret.http.auth.type=kerberos"
            ),
            Self::AlreadyExists { user } => write!(
                f,
                "{user} already has an S3 secret (400 S3_SECRET_ALREADY_EXISTS), and Ozone gives a secret \
                 only once: use the copy kept when it was made, or revoke it (s3adt ozone revokesecret; \
                 this breaks everything using it) and get a new one"
            ),
            Self::NotFound { user } => {
                write!(f, "{user} has no S3 secret to revoke (404 S3_SECRET_NOT_FOUND): nothing to do")
            }
            Self::Unexpected(m) => write!(f, "{m}"),
            Self::Transport(m) => write!(f, "no answer from the gateway: {m}"),
        }
    }
}

impl std::error::Error for OzoneError {}

impl crate::error::HasKind for OzoneError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            Self::BadUrl(_) => ErrorKind::InvalidArgument,
            Self::NoTicket(_) | Self::Kerberos(_) => ErrorKind::Credentials,
            Self::Unauthenticated | Self::NotAdmin => ErrorKind::AccessDenied,
            Self::WrongPort | Self::Disabled => ErrorKind::Config,
            Self::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::Unexpected(_) | Self::Transport(_) => ErrorKind::Io,
        }
    }
}

/// The endpoint's URL for `user` (None: the caller) and the host SPNEGO names: from
/// `http(s)://host[:port][/...][/secret]`.
fn endpoint(url: &str, user: Option<&str>) -> Result<(String, String), OzoneError> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| OzoneError::BadUrl(format!("{url:?} is not an http:// or https:// URL")))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') || rest[authority.len()..].contains(['?', '#']) {
        return Err(OzoneError::BadUrl(format!(
            "{url:?}: no user, query or fragment in the URL"
        )));
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return Err(OzoneError::BadUrl(format!("{url:?} has no host")));
    }
    let base = url.trim_end_matches('/');
    let mut full = if base.ends_with("/secret") {
        base.to_owned()
    } else {
        format!("{base}/secret")
    };
    if let Some(u) = user {
        if u.is_empty() {
            return Err(OzoneError::BadUrl("--user is empty".to_owned()));
        }
        full.push('/');
        crate::percent::encode_into(&mut full, u, b"-._~@");
    }
    Ok((full, host.to_owned()))
}

/// At most 200 characters of a (non-secret) body, on one line, for an unexpected answer.
fn excerpt(body: &str) -> String {
    let one: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    one.chars().take(200).collect()
}

fn call(
    method: &'static str,
    url: &str,
    user: Option<&str>,
) -> Result<(u16, get::Response, String), OzoneError> {
    let (full, host) = endpoint(url, user)?;
    let header = spnego::negotiate_header(&host).map_err(login_error)?;
    let r = crate::runtime::block_on(get::request(
        method,
        &full,
        &[("authorization", header.as_str())],
        TIMEOUT,
    ))
    .map_err(OzoneError::Transport)?;
    Ok((r.status, r, full))
}

/// The failures both methods share, from a non-200 answer.
fn refusal(method: &str, full: &str, status: u16, body: &str, who: String) -> OzoneError {
    match status {
        401 => OzoneError::Unauthenticated,
        403 if body.contains("<Error>") => OzoneError::WrongPort,
        403 => OzoneError::NotAdmin,
        400 if body.contains("S3 Secret endpoint is disabled") => OzoneError::Disabled,
        400 if method == "PUT" => OzoneError::AlreadyExists { user: who },
        404 if method == "DELETE" => OzoneError::NotFound { user: who },
        _ => OzoneError::Unexpected(format!(
            "{method} {full} answered {status} ({}): not an answer of Ozone's S3 secret endpoint; is this \
             the S3 gateway's webadmin URL (port 19878 by default)?",
            excerpt(body)
        )),
    }
}

fn who(user: Option<&str>) -> String {
    user.map_or_else(
        || "the Kerberos principal logged in".to_owned(),
        str::to_owned,
    )
}

/// The `<S3Secret>` of a 200 answer.
fn parse_secret(body: &str) -> Option<S3Secret> {
    let doc = roxmltree::Document::parse(body).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "S3Secret" {
        return None;
    }
    let text = |name: &str| {
        root.children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    Some(S3Secret {
        access_key: text("awsAccessKey")?.to_owned(),
        secret: SecretString::new(text("awsSecret")?),
    })
}

/// Gets a new S3 secret for the logged-in principal, or for `user` (an S3 administrator only).
/// Ozone gives a secret once: a second call fails with [`OzoneError::AlreadyExists`].
pub fn get_secret(url: &str, user: Option<&str>) -> Result<S3Secret, OzoneError> {
    let (status, r, full) = call("PUT", url, user)?;
    if status != 200 {
        return Err(refusal("PUT", &full, status, &r.body, who(user)));
    }
    parse_secret(&r.body).ok_or_else(|| {
        // Not quoted: a 200 body may hold a secret in another shape.
        OzoneError::Unexpected(format!(
            "PUT {full} answered 200 without an <S3Secret>: is this the S3 gateway's webadmin URL \
             (port 19878 by default)? If it made a secret, revoke it and try again"
        ))
    })
}

/// The Kerberos principal logged in (the ticket cache's, or the first of the client keytab in
/// `KRB5_CLIENT_KTNAME`), e.g. `alice@EXAMPLE.COM`: whose secret a call without a user acts on.
pub fn login_principal() -> Result<String, OzoneError> {
    spnego::principal().map_err(login_error)
}

/// No login, or another GSSAPI failure.
fn login_error(e: spnego::SpnegoError) -> OzoneError {
    match e {
        spnego::SpnegoError::NoCredentials(m) => OzoneError::NoTicket(m),
        spnego::SpnegoError::Context(m) => OzoneError::Kerberos(m),
    }
}

/// Revokes the S3 secret of the logged-in principal, or of `user` (an S3 administrator only).
pub fn revoke_secret(url: &str, user: Option<&str>) -> Result<(), OzoneError> {
    let (status, r, full) = call("DELETE", url, user)?;
    match status {
        200 => Ok(()),
        _ => Err(refusal("DELETE", &full, status, &r.body, who(user))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let e = |u: &str, w| endpoint(u, w).unwrap();
        assert_eq!(
            e("http://localhost:19878", None),
            (
                "http://localhost:19878/secret".to_owned(),
                "localhost".to_owned()
            )
        );
        assert_eq!(e("http://h:1/secret/", None).0, "http://h:1/secret");
        assert_eq!(
            e("https://[::1]:19879/", Some("bob@EXAMPLE.TEST")),
            (
                "https://[::1]:19879/secret/bob@EXAMPLE.TEST".to_owned(),
                "::1".to_owned()
            )
        );
        assert_eq!(
            e("http://h", Some("s3g/h@R")).0,
            "http://h/secret/s3g%2Fh@R"
        );
        for bad in [
            "localhost:19878",
            "http://",
            "http://u@h/",
            "http://h/?username=x",
        ] {
            assert!(
                matches!(endpoint(bad, None), Err(OzoneError::BadUrl(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn each_failure_has_the_kind_the_c_api_codes_by() {
        use crate::error::{ErrorKind as K, HasKind};
        let who = || "bob".to_owned();
        for (e, k) in [
            (OzoneError::BadUrl(String::new()), K::InvalidArgument),
            (OzoneError::NoTicket(String::new()), K::Credentials),
            (OzoneError::Kerberos(String::new()), K::Credentials),
            (OzoneError::Unauthenticated, K::AccessDenied),
            (OzoneError::NotAdmin, K::AccessDenied),
            (OzoneError::WrongPort, K::Config),
            (OzoneError::Disabled, K::Config),
            (OzoneError::AlreadyExists { user: who() }, K::AlreadyExists),
            (OzoneError::NotFound { user: who() }, K::NotFound),
            (OzoneError::Transport(String::new()), K::Io),
        ] {
            assert_eq!(e.kind(), k, "{e:?}");
        }
    }

    #[test]
    fn answers() {
        let r = |m, s, b: &str| refusal(m, "u", s, b, "bob".to_owned());
        assert!(matches!(r("PUT", 401, ""), OzoneError::Unauthenticated));
        assert!(matches!(r("PUT", 403, ""), OzoneError::NotAdmin));
        assert!(matches!(
            r(
                "PUT",
                403,
                "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>"
            ),
            OzoneError::WrongPort
        ));
        assert!(matches!(
            r("DELETE", 400, "S3 Secret endpoint is disabled."),
            OzoneError::Disabled
        ));
        assert!(matches!(
            r("PUT", 400, ""),
            OzoneError::AlreadyExists { .. }
        ));
        assert!(matches!(r("DELETE", 404, ""), OzoneError::NotFound { .. }));
        assert!(matches!(r("PUT", 404, ""), OzoneError::Unexpected(_)));
        assert!(matches!(r("PUT", 405, ""), OzoneError::Unexpected(_)));
        let s = parse_secret(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <S3Secret><awsAccessKey>alice@R</awsAccessKey><awsSecret>abc</awsSecret></S3Secret>",
        )
        .unwrap();
        assert_eq!(
            (s.access_key.as_str(), s.secret.expose()),
            ("alice@R", "abc")
        );
        assert!(!format!("{s:?}").contains("abc"));
        assert!(parse_secret("<S3Secret><awsAccessKey>a</awsAccessKey></S3Secret>").is_none());
        assert!(parse_secret("<html/>").is_none());
    }
}
