//! Hadoop token storage files (`Credentials.writeTokenStorageFile`): the `HDTS` magic, a format
//! byte, then the tokens and secret keys as Writables (format 0) or as one length-delimited
//! `CredentialsProto` (format 1).
//!
//! Entries are kept in the order they were read or added, an alias at most once (a later entry
//! replaces an earlier one, as `Credentials.addToken` does). Writing uses the iteration order of
//! Java's `HashMap`, which is the order Hadoop writes, so files are byte-identical to Hadoop's.

use crate::error::{Error, Result};
mod io;
mod java_hashmap;
pub(crate) mod protobuf;

use crate::secret::{SecretBytes, Wiped};
use crate::token::Token;
use crate::writable::{Limit, Reader, Text, Writer};
use hashbrown::{DefaultHashBuilder, HashTable};
pub use io::MAX_TOKEN_FILE_BYTES;
use io::{read_bounded, write_atomically};
pub use java_hashmap::order_of_hashes as java_hashmap_order;
use protobuf::{ProtoCredentials, ProtoKv, ProtoToken};
use std::hash::BuildHasher;
use std::path::Path;

/// `Credentials.TOKEN_STORAGE_MAGIC`.
pub const MAGIC: &[u8; 4] = b"HDTS";

/// `Credentials.SerializedFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenFileFormat {
    /// Format byte 0: what `Credentials.writeTokenStorageFile` and `hdfs fetchdt` write.
    #[default]
    Writable,
    /// Format byte 1: what `hadoop dtutil get` writes by default.
    Protobuf,
}

impl TokenFileFormat {
    pub fn byte(self) -> u8 {
        match self {
            TokenFileFormat::Writable => 0,
            TokenFileFormat::Protobuf => 1,
        }
    }

    /// The names `hadoop dtutil -format` takes: `java` and `protobuf`.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "java" | "writable" => Some(TokenFileFormat::Writable),
            "protobuf" | "pb" => Some(TokenFileFormat::Protobuf),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TokenFileFormat::Writable => "java",
            TokenFileFormat::Protobuf => "protobuf",
        }
    }
}

// duplicates: deliberate. Its hand-written Debug (no secrets) looks like store/read.rs's
// ReadStream Debug: two types, each naming its own fields.
/// The contents of a token storage file: Hadoop's `Credentials`.
#[derive(Clone, Default)]
pub struct TokenFile {
    tokens: Vec<(Text, Token)>,
    secrets: Vec<(Text, SecretBytes)>,
    /// Positions in `tokens`, hashed by alias (no second copy of the alias).
    token_index: HashTable<usize>,
    hasher: DefaultHashBuilder,
}

impl std::fmt::Debug for TokenFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenFile")
            .field("tokens", &self.tokens)
            .field("secrets", &self.secrets)
            .finish()
    }
}

/// Equal when they map the same aliases to the same values, whatever the order (Hadoop's
/// `Credentials` are maps).
impl PartialEq for TokenFile {
    fn eq(&self, other: &Self) -> bool {
        let secret = |f: &TokenFile, alias: &Text| {
            f.secrets
                .iter()
                .find(|(a, _)| a == alias)
                .map(|(_, v)| v.clone())
        };
        self.tokens.len() == other.tokens.len()
            && self.secrets.len() == other.secrets.len()
            && self.tokens.iter().all(|(a, t)| other.token(a) == Some(t))
            && self
                .secrets
                .iter()
                .all(|(a, v)| secret(other, a).as_ref() == Some(v))
    }
}

impl Eq for TokenFile {}

impl TokenFile {
    pub fn new() -> Self {
        TokenFile::default()
    }

    pub fn tokens(&self) -> &[(Text, Token)] {
        &self.tokens
    }

    pub fn secrets(&self) -> &[(Text, SecretBytes)] {
        &self.secrets
    }

    /// The token stored under `alias`.
    pub fn token(&self, alias: &Text) -> Option<&Token> {
        self.position(alias).map(|i| &self.tokens[i].1)
    }

    fn position(&self, alias: &Text) -> Option<usize> {
        let h = self.hasher.hash_one(alias);
        self.token_index
            .find(h, |&i| self.tokens[i].0 == *alias)
            .copied()
    }

    /// Add or replace the token under `alias` (`Credentials.addToken`).
    pub fn add_token(&mut self, alias: Text, token: Token) {
        let TokenFile {
            tokens,
            token_index,
            hasher,
            ..
        } = self;
        let h = hasher.hash_one(&alias);
        match token_index.find(h, |&i| tokens[i].0 == alias) {
            Some(&i) => tokens[i].1 = token,
            None => {
                token_index.insert_unique(h, tokens.len(), |&i| hasher.hash_one(&tokens[i].0));
                tokens.push((alias, token));
            }
        }
    }

    /// Add or replace the secret key under `alias` (`Credentials.addSecretKey`).
    pub fn add_secret(&mut self, alias: Text, secret: SecretBytes) {
        match self.secrets.iter_mut().find(|(a, _)| *a == alias) {
            Some(slot) => slot.1 = secret,
            None => self.secrets.push((alias, secret)),
        }
    }

    pub fn remove_token(&mut self, alias: &Text) -> Option<Token> {
        let i = self.position(alias)?;
        let (_, token) = self.tokens.remove(i);
        let TokenFile {
            tokens,
            token_index,
            hasher,
            ..
        } = self;
        token_index.clear();
        for (pos, (a, _)) in tokens.iter().enumerate() {
            token_index.insert_unique(hasher.hash_one(a), pos, |&j| hasher.hash_one(&tokens[j].0));
        }
        Some(token)
    }

    /// Read a token storage file from bytes, in either format. Bytes after the contents are
    /// ignored, as Hadoop ignores them.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        Ok(Self::decode_with_format(bytes)?.0)
    }

    /// Like [`TokenFile::decode`], also saying which format the file was in.
    pub fn decode_with_format(bytes: &[u8]) -> Result<(Self, TokenFileFormat)> {
        if bytes.len() < MAGIC.len() || &bytes[..4] != MAGIC {
            return Err(Error::BadHeader);
        }
        let format_byte = *bytes.get(4).ok_or(Error::BadHeader)?;
        let body = &bytes[5..];
        match format_byte {
            0 => Ok((Self::decode_writable(body)?, TokenFileFormat::Writable)),
            1 => Ok((Self::decode_protobuf(body)?, TokenFileFormat::Protobuf)),
            other => Err(Error::UnknownFormat(other)),
        }
    }

    fn decode_writable(body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(body);
        let mut file = TokenFile::new();
        let count = r.vint("token count")?;
        if count < 0 {
            return Err(Error::field(
                "token count",
                crate::error::Problem::NegativeLength(count as i64),
            ));
        }
        // Every token takes at least 5 bytes, so this reserves no more than the input can fill.
        let room = (count as usize).min(r.remaining() / 5);
        file.tokens.reserve(room);
        let TokenFile {
            tokens,
            token_index,
            hasher,
            ..
        } = &mut file;
        token_index.reserve(room, |&j| hasher.hash_one(&tokens[j].0));
        for index in 0..count as usize {
            let alias = r
                .text("token alias", Limit::Input)
                .map_err(|e| e.context(format!("token {}", index + 1)))?;
            let token = Token::read(&mut r)
                .map_err(|e| e.context(format!("token {} (alias {alias:?})", index + 1)))?;
            file.add_token(alias, token);
        }
        let count = r.vint("secret key count")?;
        if count < 0 {
            return Err(Error::field(
                "secret key count",
                crate::error::Problem::NegativeLength(count as i64),
            ));
        }
        for index in 0..count as usize {
            let ctx = |e: Error| e.context(format!("secret key {}", index + 1));
            let alias = r.text("secret key alias", Limit::Input).map_err(ctx)?;
            let value = r.vint_bytes("secret key value").map_err(ctx)?;
            file.add_secret(alias, SecretBytes::new(value.to_vec()));
        }
        Ok(file)
    }

    fn decode_protobuf(body: &[u8]) -> Result<Self> {
        let (proto, _) = protobuf::parse_delimited_credentials(body)?;
        let mut file = TokenFile::new();
        for mut kv in proto.tokens {
            // Hadoop's readProto only adds entries that carry a token.
            if let Some(t) = &mut kv.token {
                let token = Token {
                    identifier: std::mem::take(&mut t.identifier),
                    password: SecretBytes::new(std::mem::take(&mut t.password)),
                    kind: Text::new(std::mem::take(&mut t.kind)),
                    service: Text::new(std::mem::take(&mut t.service)),
                };
                file.add_token(Text::new(std::mem::take(&mut kv.alias)), token);
            }
        }
        for mut kv in proto.secrets {
            let value = kv.secret.take().unwrap_or_default();
            file.add_secret(
                Text::new(std::mem::take(&mut kv.alias)),
                SecretBytes::new(value),
            );
        }
        Ok(file)
    }

    /// Write the file in `format`, entries in Java `HashMap` order.
    pub fn encode(&self, format: TokenFileFormat) -> Vec<u8> {
        let token_order = java_hashmap::iteration_order(self.tokens.iter().map(|(a, _)| a));
        let secret_order = java_hashmap::iteration_order(self.secrets.iter().map(|(a, _)| a));
        // Sized for the whole file (a vint is at most 5 bytes), so the buffer holding the
        // secrets is never regrown and no unwiped copy is left behind.
        let room = 16
            + self
                .tokens
                .iter()
                .map(|(a, t)| {
                    a.len()
                        + t.identifier.len()
                        + t.password.len()
                        + t.kind.len()
                        + t.service.len()
                        + 64
                })
                .sum::<usize>()
            + self
                .secrets
                .iter()
                .map(|(a, v)| a.len() + v.len() + 24)
                .sum::<usize>();
        let mut out = Vec::with_capacity(room);
        out.extend_from_slice(MAGIC);
        out.push(format.byte());
        match format {
            TokenFileFormat::Writable => {
                let mut w = Writer::with_capacity(room);
                w.vint(self.tokens.len() as i32);
                for &i in &token_order {
                    let (alias, token) = &self.tokens[i];
                    w.vint_bytes(alias.as_bytes());
                    token.write(&mut w);
                }
                w.vint(self.secrets.len() as i32);
                for &i in &secret_order {
                    let (alias, value) = &self.secrets[i];
                    w.vint_bytes(alias.as_bytes());
                    w.vint_bytes(value.expose());
                }
                let body = Wiped::new(w.into_bytes());
                out.extend_from_slice(&body);
            }
            TokenFileFormat::Protobuf => {
                let kv = |alias: &Text, token, secret| ProtoKv {
                    alias: alias.as_bytes().to_vec(),
                    token,
                    secret,
                };
                let token = |t: &Token| ProtoToken {
                    identifier: t.identifier.clone(),
                    password: t.password.expose().to_vec(),
                    kind: t.kind.as_bytes().to_vec(),
                    service: t.service.as_bytes().to_vec(),
                };
                let proto = ProtoCredentials {
                    tokens: token_order
                        .iter()
                        .map(|&i| kv(&self.tokens[i].0, Some(token(&self.tokens[i].1)), None))
                        .collect(),
                    secrets: secret_order
                        .iter()
                        .map(|&i| {
                            kv(
                                &self.secrets[i].0,
                                None,
                                Some(self.secrets[i].1.expose().to_vec()),
                            )
                        })
                        .collect(),
                };
                protobuf::write_delimited_credentials(&proto, &mut out);
            }
        }
        out
    }

    /// Read a file; errors name the path. Only a regular file of at most
    /// [`MAX_TOKEN_FILE_BYTES`] is read: a device (`/dev/zero`), a FIFO or a directory is refused
    /// at once instead of filling memory or waiting for a writer.
    pub fn read_path(path: impl AsRef<Path>) -> Result<(Self, TokenFileFormat)> {
        let path = path.as_ref();
        let bytes = read_bounded(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::decode_with_format(&bytes).map_err(|e| e.context(path.display().to_string()))
    }

    /// Write a file atomically: a new temporary file with a random name beside it, then a
    /// rename, so a reader never sees half a file and a failed write leaves the old one in place
    /// and no temporary file behind. The temporary file is created exclusively (never an existing
    /// file or a symlink someone planted) and is mode 0600 whatever the umask. A symlink at
    /// `path` itself is replaced, not followed.
    pub fn write_path(&self, path: impl AsRef<Path>, format: TokenFileFormat) -> Result<()> {
        let path = path.as_ref();
        let bytes = Wiped::new(self.encode(format));
        write_atomically(path, &bytes).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    }
}
