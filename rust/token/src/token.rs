//! A Hadoop `Token`: identifier bytes, password, kind, service. Same Writable layout as
//! Hadoop's `Token.write`, and the same string form as `encodeToUrlString` /
//! `decodeFromUrlString`.

use crate::error::{Error, Result};
use crate::s3a::S3ATokenIdentifier;
use crate::secret::{SecretBytes, Wiped};
use crate::writable::{Limit, Reader, Text, Writer};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use std::fmt;

/// The password hadoop-aws puts in every S3A token (`getSecretManagerPasssword`).
pub const S3A_TOKEN_PASSWORD: &[u8] = b"non-password";

const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub identifier: Vec<u8>,
    /// For S3A tokens this is the fixed text `non-password`; for HDFS and others it is the
    /// real secret, so it is kept in a redacting type.
    pub password: SecretBytes,
    pub kind: Text,
    pub service: Text,
}

/// The identifier of an S3A token holds its secret key, session token and encryption key: it
/// is wiped when the token is dropped (the password is a [`SecretBytes`], wiped by itself).
impl Drop for Token {
    fn drop(&mut self) {
        crate::secret::wipe(&mut self.identifier);
    }
}

impl Token {
    pub fn new(identifier: Vec<u8>, password: &[u8], kind: Text, service: Text) -> Self {
        Token {
            identifier,
            password: SecretBytes::new_or_public(password, S3A_TOKEN_PASSWORD),
            kind,
            service,
        }
    }

    /// A token carrying an S3A identifier, built the way hadoop-aws builds one.
    pub fn from_s3a(id: &S3ATokenIdentifier, service: impl Into<Text>) -> Result<Self> {
        Ok(Token::new(
            id.to_bytes()?,
            S3A_TOKEN_PASSWORD,
            Text::from(id.kind.as_str()),
            service.into(),
        ))
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let identifier = r.vint_bytes("token identifier")?.to_vec();
        // S3A's password is a constant, held without a copy (one allocation a token fewer).
        let password =
            SecretBytes::new_or_public(r.vint_bytes("token password")?, S3A_TOKEN_PASSWORD);
        // Kind and service are filled in place (Text::set_from_slice): built apart and moved
        // in, each was read back right after it was written, a store-forwarding stall that
        // cost a tenth of reading a token file.
        let mut token = Token {
            identifier,
            password,
            kind: Text::default(),
            service: Text::default(),
        };
        token
            .kind
            .set_from_slice(r.text_bytes("token kind", Limit::Input)?);
        token
            .service
            .set_from_slice(r.text_bytes("token service", Limit::Input)?);
        Ok(token)
    }

    pub fn write(&self, w: &mut Writer) {
        w.vint_bytes(&self.identifier);
        w.vint_bytes(self.password.expose());
        w.vint_bytes(self.kind.as_bytes());
        w.vint_bytes(self.service.as_bytes());
    }

    pub fn to_writable_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(
            self.identifier.len() + self.password.len() + self.kind.len() + self.service.len() + 20,
        );
        self.write(&mut w);
        w.into_bytes()
    }

    /// Hadoop's `Token.encodeToUrlString`: URL-safe base64, no padding, no line breaks.
    pub fn encode_to_url_string(&self) -> String {
        URL_SAFE_LENIENT.encode(&*Wiped::new(self.to_writable_bytes()))
    }

    /// Hadoop's `Token.decodeFromUrlString`: either base64 alphabet, padding optional.
    /// Bytes after the token are ignored, as Hadoop ignores them.
    pub fn decode_from_url_string(s: &str) -> Result<Self> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(Error::UrlString("the string is empty".into()));
        }
        // Both buffers hold the identifier's secrets: wiped on drop.
        let normalized = Wiped::new(
            trimmed
                .bytes()
                .map(|b| match b {
                    b'+' => b'-',
                    b'/' => b'_',
                    b => b,
                })
                .collect(),
        );
        let bytes = Wiped::new(
            URL_SAFE_LENIENT
                .decode(&*normalized)
                .map_err(|e| Error::UrlString(format!("not base64: {e}")))?,
        );
        Token::read(&mut Reader::new(&bytes))
    }

    /// The S3A identifier, when the kind is an S3A kind.
    pub fn decode_s3a_identifier(&self) -> Result<S3ATokenIdentifier> {
        let kind = crate::writable::utf8_lossy(self.kind.as_bytes());
        S3ATokenIdentifier::decode(&kind, &self.identifier)
    }
}

/// Like Hadoop's `Token.toString()`: the decoded S3A identifier in parentheses when it decodes,
/// else the identifier bytes in hex. Never a secret: the S3A identifier's text has none, the
/// password is not shown, and an S3A identifier that does not decode is not dumped in hex
/// (Hadoop does dump it, secrets and all, e.g. 3.3.6 for a DSSE-KMS token it cannot read).
impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kind: {}, Service: {}, Ident: ", self.kind, self.service)?;
        match self.decode_s3a_identifier() {
            Ok(id) => write!(f, "({id})"),
            Err(e)
                if crate::s3a::S3ATokenKind::from_kind(&self.kind.to_string_lossy()).is_some() =>
            {
                write!(
                    f,
                    "(undecodable S3A identifier of {} bytes: {e})",
                    self.identifier.len()
                )
            }
            Err(_) => {
                for (i, b) in self.identifier.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Token {
        Token::new(
            vec![0, 1, 2, 0xfb, 0xff],
            b"pw",
            "KIND".into(),
            "svc".into(),
        )
    }

    #[test]
    fn url_string_round_trip_and_both_alphabets() {
        let t = sample();
        let s = t.encode_to_url_string();
        assert!(!s.contains('=') && !s.contains('+') && !s.contains('/'));
        assert_eq!(Token::decode_from_url_string(&s).unwrap(), t);
        let standard = base64::engine::general_purpose::STANDARD.encode(t.to_writable_bytes());
        assert!(standard.contains('+') || standard.contains('/') || standard.ends_with('='));
        assert_eq!(Token::decode_from_url_string(&standard).unwrap(), t);
    }

    #[test]
    fn bad_url_strings_are_clear_errors() {
        assert!(Token::decode_from_url_string("")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        assert!(Token::decode_from_url_string("!!!!")
            .unwrap_err()
            .to_string()
            .contains("not base64"));
        let err = Token::decode_from_url_string("AAAA").unwrap_err();
        assert!(err.to_string().contains("token"), "{err}");
    }

    #[test]
    fn display_of_undecodable_identifier_is_hex_like_hadoop() {
        assert_eq!(
            sample().to_string(),
            "Kind: KIND, Service: svc, Ident: 00 01 02 fb ff"
        );
    }
}
