//! The fields every Hadoop delegation-token identifier starts with. Same layout as Hadoop's
//! `AbstractDelegationTokenIdentifier.write`; HDFS, YARN and S3A identifiers all begin this way.

use crate::error::{Error, Result};
use crate::writable::{Limit, Reader, Text, Writer, TEXT_DEFAULT_MAX_LEN};

/// The only identifier version Hadoop writes or accepts.
pub const IDENTIFIER_VERSION: i8 = 0;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DelegationTokenIdentifier {
    pub owner: Text,
    pub renewer: Text,
    pub real_user: Text,
    /// Milliseconds since the epoch.
    pub issue_date: i64,
    /// Milliseconds since the epoch; 0 when unset (hadoop-aws never sets it).
    pub max_date: i64,
    pub sequence_number: i32,
    pub master_key_id: i32,
}

impl DelegationTokenIdentifier {
    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let version = r.byte("identifier version")?;
        if version != IDENTIFIER_VERSION {
            return Err(Error::UnknownIdentifierVersion(version));
        }
        let limit = Limit::Exclusive(TEXT_DEFAULT_MAX_LEN);
        Ok(DelegationTokenIdentifier {
            owner: r.text("owner", limit)?,
            renewer: r.text("renewer", limit)?,
            real_user: r.text("realUser", limit)?,
            issue_date: r.vlong("issueDate")?,
            max_date: r.vlong("maxDate")?,
            sequence_number: r.vint("sequenceNumber")?,
            master_key_id: r.vint("masterKeyId")?,
        })
    }

    /// Decode an identifier that holds only these fields (an HDFS or web delegation token).
    /// Trailing bytes are ignored, as Hadoop ignores them.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        Self::read(&mut Reader::new(bytes))
    }

    /// Hadoop refuses to write a Text above 1 MiB here ("owner is too long to be serialized!"),
    /// and its reader refuses anything of 1 MiB or more, so a value of exactly 1 MiB would be
    /// written and then be unreadable. We refuse it on write.
    pub fn write(&self, w: &mut Writer) -> Result<()> {
        for (field, t) in [
            ("owner", &self.owner),
            ("renewer", &self.renewer),
            ("realUser", &self.real_user),
        ] {
            if t.len() >= TEXT_DEFAULT_MAX_LEN {
                return Err(Error::TooLongToWrite {
                    field,
                    len: t.len(),
                    max: TEXT_DEFAULT_MAX_LEN - 1,
                });
            }
        }
        w.byte(IDENTIFIER_VERSION);
        w.vint_bytes(self.owner.as_bytes());
        w.vint_bytes(self.renewer.as_bytes());
        w.vint_bytes(self.real_user.as_bytes());
        w.vlong(self.issue_date);
        w.vlong(self.max_date);
        w.vint(self.sequence_number);
        w.vint(self.master_key_id);
        Ok(())
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut w = Writer::new();
        self.write(&mut w)?;
        Ok(w.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_layout() {
        let id = DelegationTokenIdentifier {
            owner: "alice".into(),
            renewer: "yarn".into(),
            real_user: Text::default(),
            issue_date: 1700000000000,
            ..Default::default()
        };
        let bytes = id.to_bytes().unwrap();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "0005616c696365047961726e008a018bcfe56800000000");
        assert_eq!(DelegationTokenIdentifier::decode(&bytes).unwrap(), id);
    }

    #[test]
    fn unknown_version_has_hadoops_text() {
        let err = DelegationTokenIdentifier::decode(&[0xff]).unwrap_err();
        assert_eq!(err.to_string(), "Unknown version of delegation token -1");
    }

    #[test]
    fn owner_of_one_mebibyte_is_refused_both_ways() {
        let id = DelegationTokenIdentifier {
            owner: Text::new(vec![b'x'; TEXT_DEFAULT_MAX_LEN]),
            ..Default::default()
        };
        assert!(matches!(
            id.write(&mut Writer::new()),
            Err(Error::TooLongToWrite { field: "owner", .. })
        ));
        let mut w = Writer::new();
        w.byte(0);
        w.vint_bytes(&vec![b'x'; TEXT_DEFAULT_MAX_LEN]);
        let err = DelegationTokenIdentifier::decode(w.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "owner: tried to deserialize 1048576 bytes of data, but maxLength = 1048576"
        );
    }
}
