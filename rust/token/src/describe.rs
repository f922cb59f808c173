//! A description of a token with every field that is not a secret: what `s3adt print` shows,
//! as text or JSON, and what the C API hands out. Secret values never enter this type; only
//! whether they are present.

use crate::identifier::DelegationTokenIdentifier;
use crate::s3a::S3ATokenIdentifier;
use crate::token::Token;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenDescription {
    pub alias: Option<String>,
    pub kind: String,
    pub service: String,
    pub owner: Option<String>,
    pub renewer: Option<String>,
    pub real_user: Option<String>,
    pub issue_date: Option<i64>,
    pub max_date: Option<i64>,
    pub sequence_number: Option<i32>,
    pub master_key_id: Option<i32>,
    pub uri: Option<String>,
    pub origin: Option<String>,
    pub uuid: Option<String>,
    pub created: Option<i64>,
    pub encryption_algorithm: Option<String>,
    pub encryption_key_present: Option<bool>,
    pub encryption_context_present: Option<bool>,
    /// `full`, `session` or `empty`.
    pub credential_type: Option<&'static str>,
    pub expiration: Option<i64>,
    /// Only for S3A tokens: the encryption-secrets layout the identifier used.
    pub encryption_layout: Option<&'static str>,
    /// The hadoop-aws releases that can read the token (`3.3.0-3.4.x` for V1, `3.5.x` for
    /// v1ctx), `none` for v2 and for any token that is not S3A's.
    pub hadoop_aws_readers: &'static str,
    /// Set when the identifier could not be decoded: its bytes in hex.
    pub identifier_hex: Option<String>,
    /// Set when the identifier could not be decoded: why.
    pub decode_error: Option<String>,
}

impl TokenDescription {
    /// Describe `token`. An S3A kind whose identifier does not decode is an error (the caller
    /// wants to know the token is broken); any other kind falls back to the base fields when
    /// they decode and to hex when they do not.
    pub fn of(alias: Option<&str>, token: &Token) -> crate::Result<Self> {
        let mut d = TokenDescription {
            alias: alias.map(str::to_owned),
            kind: token.kind.to_string_lossy(),
            service: token.service.to_string_lossy(),
            owner: None,
            renewer: None,
            real_user: None,
            issue_date: None,
            max_date: None,
            sequence_number: None,
            master_key_id: None,
            uri: None,
            origin: None,
            uuid: None,
            created: None,
            encryption_algorithm: None,
            encryption_key_present: None,
            encryption_context_present: None,
            credential_type: None,
            expiration: None,
            encryption_layout: None,
            hadoop_aws_readers: "none",
            identifier_hex: None,
            decode_error: None,
        };
        if crate::s3a::S3ATokenKind::from_kind(&d.kind).is_some() {
            let id = token.decode_s3a_identifier()?;
            d.fill_s3a(&id);
            return Ok(d);
        }
        match DelegationTokenIdentifier::decode(&token.identifier) {
            Ok(base) => d.fill_base(&base),
            Err(e) => {
                d.identifier_hex = Some(
                    token
                        .identifier
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect(),
                );
                d.decode_error = Some(e.to_string());
            }
        }
        Ok(d)
    }

    fn fill_base(&mut self, b: &DelegationTokenIdentifier) {
        self.owner = Some(b.owner.to_string_lossy());
        self.renewer = Some(b.renewer.to_string_lossy());
        self.real_user = Some(b.real_user.to_string_lossy());
        self.issue_date = Some(b.issue_date);
        self.max_date = Some(b.max_date);
        self.sequence_number = Some(b.sequence_number);
        self.master_key_id = Some(b.master_key_id);
    }

    fn fill_s3a(&mut self, id: &S3ATokenIdentifier) {
        self.fill_base(&id.base);
        self.uri = Some(id.uri.clone());
        self.origin = Some(id.origin.clone());
        self.uuid = Some(id.uuid.clone());
        self.created = Some(id.created);
        self.encryption_algorithm = Some(id.encryption.algorithm.clone());
        self.encryption_key_present = Some(id.encryption.has_key());
        self.encryption_context_present = Some(!id.encryption.context.is_empty());
        self.encryption_layout = Some(id.encryption.layout.name());
        self.hadoop_aws_readers = id.encryption.layout.hadoop_aws_readers().unwrap_or("none");
        self.credential_type = Some(id.credentials.credential_type().name());
        self.expiration = Some(id.credentials.expiration);
    }
}
