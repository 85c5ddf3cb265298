//! A record as it travels, around whatever kind it is: the outbox row a
//! kiosk uploads (`Record`), the hub's reason for not applying one
//! (`Rejected`), a change the hub's feed sends down (`Change`) and where a
//! kiosk is in that feed (`Cursor`).

use serde::{Deserialize, Serialize};

/// One outbox row, as the kiosk recorded it. The payload is carried as the
/// kiosk wrote it: checked to be JSON, never rebuilt on the way.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub seq: i64,
    pub kind: String,
    pub record_id: String,
    pub payload: Box<serde_json::value::RawValue>,
    /// The kiosk's own timestamp (RFC 3339).
    pub created_at: String,
}

/// A record the hub keeps but did not apply, and why. `record_id` says
/// which record it is: a kiosk marks its own outbox row rejected only when
/// the ids match, never by `seq` alone (another database may have written
/// that seq under the same device id). Empty from hubs older than that.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rejected {
    pub seq: i64,
    #[serde(default)]
    pub record_id: String,
    pub reason: String,
}

/// An outbox row the hub has not confirmed, as the sync's plan weighs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unconfirmed {
    pub seq: i64,
    pub record_id: String,
    /// Marked rejected here already.
    pub rejected: bool,
}

/// A record another kiosk uploaded, or a roster or catalog row the hub
/// holds, in the hub's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    pub origin: String,
    pub kind: String,
    pub payload: Box<serde_json::value::RawValue>,
}

/// Where a kiosk is in the hub's change feed: the PostgreSQL transaction
/// that wrote the last change it applied, and that change's sequence
/// number within it. Written `TXID.SEQ`; `0.0` (or `0`) is the start. The hub only
/// hands out changes of transactions older than every one still running,
/// so a change that commits late can never land behind a cursor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cursor {
    pub txid: i64,
    pub seq: i64,
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.txid, self.seq)
    }
}

impl std::str::FromStr for Cursor {
    type Err = String;

    fn from_str(s: &str) -> Result<Cursor, String> {
        let bad = || format!("'{s}' is not a change cursor (TXID.SEQ)");
        if s == "0" {
            return Ok(Cursor::default());
        }
        let (t, q) = s.split_once('.').ok_or_else(bad)?;
        let part = |p: &str| {
            p.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0 && p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(bad)
        };
        Ok(Cursor {
            txid: part(t)?,
            seq: part(q)?,
        })
    }
}

impl Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cursor, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
