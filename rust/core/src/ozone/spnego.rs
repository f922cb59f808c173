//! One SPNEGO token for `HTTP@host` from the caller's Kerberos login (MIT GSSAPI through the crate
//! `libgssapi`): the ticket cache (`KRB5CCNAME`), or a client keytab (`KRB5_CLIENT_KTNAME`) from
//! which MIT's GSSAPI gets a ticket itself. One `Authorization: Negotiate` header is enough for
//! Ozone's S3 gateway (measured): no 401 round trip, no mutual authentication step.

use base64::Engine;
use libgssapi::context::{ClientCtx, CtxFlags};
use libgssapi::credential::{Cred, CredUsage};
use libgssapi::error::MajorFlags;
use libgssapi::name::Name;
use libgssapi::oid::{OidSet, GSS_MECH_KRB5, GSS_MECH_SPNEGO, GSS_NT_HOSTBASED_SERVICE};
use zeroize::Zeroizing;

/// GSSAPI's routine error field of a major status (RFC 2744 3.9.1).
const ROUTINE_ERROR: u32 = 0x00ff_0000;

/// GSSAPI's message on one line: libgssapi keeps the C string's NUL and MIT's double spaces.
fn text(e: &libgssapi::error::Error) -> String {
    e.to_string()
        .replace('\0', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why no token could be made.
#[derive(Debug)]
pub(crate) enum SpnegoError {
    /// No usable Kerberos login (no ticket, an expired one, no keytab).
    NoCredentials(String),
    /// The KDC does not know `HTTP/host` (or could not be reached), or another GSSAPI failure.
    Context(String),
}

/// The header value `Negotiate <base64>` for the service `HTTP@host`, wiped on drop.
pub(crate) fn negotiate_header(host: &str) -> Result<Zeroizing<String>, SpnegoError> {
    let mechs = OidSet::singleton(GSS_MECH_SPNEGO)
        .map_err(|e| SpnegoError::Context(format!("GSSAPI: {e}")))?;
    // An initiator's credentials fail to come only for want of a login (measured with an empty
    // ticket cache: "No credentials were supplied, or the credentials were unavailable or
    // inaccessible (SPNEGO cannot find mechanisms to negotiate)").
    let cred = Cred::acquire(None, None, CredUsage::Initiate, Some(&mechs))
        .map_err(|e| SpnegoError::NoCredentials(text(&e)))?;
    let service = format!("HTTP@{host}");
    let target = Name::new(service.as_bytes(), Some(GSS_NT_HOSTBASED_SERVICE))
        .map_err(|e| SpnegoError::Context(format!("the name {service}: {e}")))?;
    let mut ctx = ClientCtx::new(Some(cred), target, CtxFlags::empty(), Some(GSS_MECH_SPNEGO));
    // Expired tickets and an unknown service both show here, as MIT's text says.
    let token = ctx
        .step(None, None)
        .map_err(|e| {
            // The routine error is a number in bits 16-23, not a set of flags.
            let routine = e.major.bits() & ROUTINE_ERROR;
            if routine == MajorFlags::GSS_S_NO_CRED.bits()
                || routine == MajorFlags::GSS_S_CREDENTIALS_EXPIRED.bits()
            {
                SpnegoError::NoCredentials(text(&e))
            } else {
                SpnegoError::Context(format!("a Kerberos ticket for HTTP/{host}: {}", text(&e)))
            }
        })?
        .ok_or_else(|| SpnegoError::Context("GSSAPI made no SPNEGO token".to_owned()))?;
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*token));
    Ok(Zeroizing::new(format!("Negotiate {}", b64.as_str())))
}

/// The principal of the caller's Kerberos login, as GSSAPI names it (`alice@EXAMPLE.COM`): the
/// ticket cache's client, or (no cache, a client keytab) the keytab's first principal, as MIT's
/// GSSAPI picks it to log in with. Any failure is a missing login.
pub(crate) fn principal() -> Result<String, SpnegoError> {
    let mechs = OidSet::singleton(GSS_MECH_KRB5)
        .map_err(|e| SpnegoError::NoCredentials(format!("GSSAPI: {e}")))?;
    let cred = Cred::acquire(None, None, CredUsage::Initiate, Some(&mechs))
        .map_err(|e| SpnegoError::NoCredentials(text(&e)))?;
    let name = cred
        .name()
        .and_then(|n| n.display_name())
        .map_err(|e| SpnegoError::NoCredentials(text(&e)))?;
    String::from_utf8(name.to_vec())
        .map_err(|_| SpnegoError::NoCredentials("the login's principal is not UTF-8".to_owned()))
}
