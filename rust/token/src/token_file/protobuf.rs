//! The three messages of Hadoop's `Security.proto` that token files use (`TokenProto`,
//! `CredentialsKVProto`, `CredentialsProto`), coded by hand: proto2, fields written in
//! field-number order as protobuf-java writes them, unknown fields skipped on read, required
//! fields checked.

use crate::error::{Error, Problem, Result};
use crate::secret::{wipe, Wiped};

pub(crate) struct ProtoToken {
    pub identifier: Vec<u8>,
    pub password: Vec<u8>,
    pub kind: Vec<u8>,
    pub service: Vec<u8>,
}

pub(crate) struct ProtoKv {
    pub alias: Vec<u8>,
    pub token: Option<ProtoToken>,
    pub secret: Option<Vec<u8>>,
}

/// The identifier and password hold secrets: wiped on drop (take them out with `mem::take`).
impl Drop for ProtoToken {
    fn drop(&mut self) {
        wipe(&mut self.identifier);
        wipe(&mut self.password);
    }
}

impl Drop for ProtoKv {
    fn drop(&mut self) {
        if let Some(s) = &mut self.secret {
            wipe(s);
        }
    }
}

pub(crate) struct ProtoCredentials {
    pub tokens: Vec<ProtoKv>,
    pub secrets: Vec<ProtoKv>,
}

fn perr(field: &'static str, msg: impl Into<String>) -> Error {
    Error::field(field, Problem::Protobuf(msg.into()))
}

struct In<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> In<'a> {
    fn varint(&mut self, field: &'static str) -> Result<u64> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or_else(|| perr(field, "truncated varint"))?;
            self.pos += 1;
            v |= ((b & 0x7f) as u64) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(perr(field, "malformed varint"))
    }

    fn bytes(&mut self, field: &'static str) -> Result<&'a [u8]> {
        let len = self.varint(field)?;
        let available = self.buf.len() - self.pos;
        if len > available as u64 {
            return Err(Error::truncated(field, len, available));
        }
        let s = &self.buf[self.pos..self.pos + len as usize];
        self.pos += len as usize;
        Ok(s)
    }

    fn skip(&mut self, wire_type: u64, field: &'static str) -> Result<()> {
        let n = match wire_type {
            0 => return self.varint(field).map(drop),
            1 => 8,
            2 => return self.bytes(field).map(drop),
            5 => 4,
            t => return Err(perr(field, format!("unsupported wire type {t}"))),
        };
        if self.buf.len() - self.pos < n {
            return Err(perr(field, "truncated field"));
        }
        self.pos += n;
        Ok(())
    }

    /// Each field as (number, wire type); length-delimited values are handed to `on_bytes`,
    /// other known-number fields of the wrong type are skipped as protobuf-java does.
    fn fields(
        mut self,
        msg: &'static str,
        mut on_bytes: impl FnMut(u64, &'a [u8]) -> Result<bool>,
    ) -> Result<()> {
        while self.pos < self.buf.len() {
            let tag = self.varint(msg)?;
            let (number, wire_type) = (tag >> 3, tag & 7);
            if number == 0 {
                return Err(perr(msg, "field number 0"));
            }
            if wire_type == 2 {
                let b = self.bytes(msg)?;
                on_bytes(number, b)?;
            } else {
                self.skip(wire_type, msg)?;
            }
        }
        Ok(())
    }
}

fn parse_token(buf: &[u8], into: &mut [Option<Vec<u8>>; 4]) -> Result<()> {
    In { buf, pos: 0 }.fields("TokenProto", |n, b| {
        if (1..=4).contains(&n) {
            into[n as usize - 1] = Some(b.to_vec());
        }
        Ok(true)
    })
}

fn parse_kv(buf: &[u8], what: &'static str) -> Result<ProtoKv> {
    let mut alias = None;
    let mut token: Option<[Option<Vec<u8>>; 4]> = None;
    let mut secret = None;
    In { buf, pos: 0 }.fields(what, |n, b| {
        match n {
            1 => alias = Some(b.to_vec()),
            // A repeated embedded message is merged into the earlier one, as protobuf does.
            2 => parse_token(b, token.get_or_insert_with(Default::default))?,
            3 => secret = Some(b.to_vec()),
            _ => {}
        }
        Ok(true)
    })?;
    let alias = alias.ok_or_else(|| perr(what, "Message missing required fields: alias"))?;
    let token = match token {
        None => None,
        Some([Some(identifier), Some(password), Some(kind), Some(service)]) => Some(ProtoToken {
            identifier,
            password,
            kind,
            service,
        }),
        Some(f) => {
            let names = ["identifier", "password", "kind", "service"];
            let missing: Vec<_> = (0..4)
                .filter(|&i| f[i].is_none())
                .map(|i| names[i])
                .collect();
            return Err(perr(
                what,
                format!(
                    "Message missing required fields: token.{}",
                    missing.join(", token.")
                ),
            ));
        }
    };
    Ok(ProtoKv {
        alias,
        token,
        secret,
    })
}

/// Parse a `writeDelimitedTo` message: a varint32 length, then a `CredentialsProto`.
/// Returns the message and the number of bytes it took.
pub(crate) fn parse_delimited_credentials(buf: &[u8]) -> Result<(ProtoCredentials, usize)> {
    let mut input = In { buf, pos: 0 };
    let body = input.bytes("CredentialsProto length")?;
    let mut out = ProtoCredentials {
        tokens: Vec::new(),
        secrets: Vec::new(),
    };
    In { buf: body, pos: 0 }.fields("CredentialsProto", |n, b| {
        match n {
            1 => out.tokens.push(parse_kv(b, "CredentialsProto.tokens")?),
            2 => out.secrets.push(parse_kv(b, "CredentialsProto.secrets")?),
            _ => {}
        }
        Ok(true)
    })?;
    Ok((out, input.pos))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_bytes(out: &mut Vec<u8>, number: u64, b: &[u8]) {
    put_varint(out, (number << 3) | 2);
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

// The buffers below hold secrets (identifiers, passwords, secret keys): each is sized up front so
// it is never regrown (a regrown Vec leaves an unwiped copy), and wiped when dropped.

/// Room for one length-delimited field of `n` bytes: tag and length varints, then the bytes.
fn field_room(n: usize) -> usize {
    n + 12
}

fn token_bytes(t: &ProtoToken) -> Wiped {
    let mut m = Wiped::with_capacity(
        [
            t.identifier.len(),
            t.password.len(),
            t.kind.len(),
            t.service.len(),
        ]
        .iter()
        .map(|&n| field_room(n))
        .sum(),
    );
    put_bytes(&mut m, 1, &t.identifier);
    put_bytes(&mut m, 2, &t.password);
    put_bytes(&mut m, 3, &t.kind);
    put_bytes(&mut m, 4, &t.service);
    m
}

fn kv_bytes(kv: &ProtoKv) -> Wiped {
    let token = kv.token.as_ref().map(token_bytes);
    let mut m = Wiped::with_capacity(
        field_room(kv.alias.len())
            + token.as_ref().map_or(0, |t| field_room(t.len()))
            + kv.secret.as_ref().map_or(0, |s| field_room(s.len())),
    );
    put_bytes(&mut m, 1, &kv.alias);
    if let Some(t) = &token {
        put_bytes(&mut m, 2, t);
    }
    if let Some(s) = &kv.secret {
        put_bytes(&mut m, 3, s);
    }
    m
}

/// `CredentialsProto.writeDelimitedTo`.
pub(crate) fn write_delimited_credentials(c: &ProtoCredentials, out: &mut Vec<u8>) {
    let kvs: Vec<(u64, Wiped)> = c
        .tokens
        .iter()
        .map(|kv| (1, kv_bytes(kv)))
        .chain(c.secrets.iter().map(|kv| (2, kv_bytes(kv))))
        .collect();
    let mut body = Wiped::with_capacity(kvs.iter().map(|(_, b)| field_room(b.len())).sum());
    for (number, kv) in &kvs {
        put_bytes(&mut body, *number, kv);
    }
    out.reserve(body.len() + 10);
    put_varint(out, body.len() as u64);
    out.extend_from_slice(&body);
}
