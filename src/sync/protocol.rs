//! The sync API's messages, shared by the kiosk (client) and the hub
//! (server). docs/sync.md describes the protocol around them.

use serde::{Deserialize, Serialize};

/// Every path of the sync API starts with this.
pub const API: &str = "/api/v1";
/// Records per upload page.
pub const PAGE: usize = 2000;
/// Changes per download page.
pub const CHANGES_PAGE: usize = 5000;
/// The hub refuses request bodies larger than this.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// `GET /api/v1/hello`: which event the hub serves. Needs a kiosk token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Hello {
    pub event_id: String,
    pub event_title: String,
}

/// `GET /api/v1/devices/{device_id}`: the highest sequence number the hub
/// holds for a device (it only ever rises), and the device's records it
/// holds but rejected, with the reasons: a kiosk whose upload was cut off
/// before it heard the answer, or whose records came by hand, learns them
/// here.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeviceState {
    pub device_id: String,
    pub high_seq: i64,
    #[serde(default)]
    pub rejected: Vec<Rejected>,
    /// The device's claims the hub keeps but does not count yet (a session
    /// or attendee it does not know, a claim that no longer fits the
    /// catalog), with the reasons: staff see how many.
    #[serde(default)]
    pub held: Vec<Rejected>,
}

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

/// `POST /api/v1/devices/{device_id}/records`: one page, in sequence order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    pub event_id: String,
    pub kiosk_id: String,
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rejected {
    pub seq: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UploadResult {
    /// The device's high-water mark after this page.
    pub high_seq: i64,
    /// Records new to the hub.
    pub inserted: usize,
    /// Records the hub already had (a retry): nothing changed.
    pub repeated: usize,
    /// Records kept at the hub but not applied, with the reason.
    pub rejected: Vec<Rejected>,
    /// Sequence numbers at which the hub already holds a different record
    /// for this device: the kiosk was restored from a backup or cloned.
    /// The hub answers 409 and takes nothing else from the page; it keeps
    /// what was sent for the CE office, and the kiosk sends its records
    /// again under a new device id.
    #[serde(default)]
    pub conflicts: Vec<i64>,
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

/// `GET /api/v1/changes?since={cursor}&device={device_id}`: changes after
/// the cursor that did not come from the asking device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Changes {
    pub changes: Vec<Change>,
    /// The cursor to ask with next time.
    pub next: Cursor,
    pub more: bool,
}

/// A bundle of a kiosk's records carried to the hub by hand.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bundle {
    pub format: String,
    pub event_id: String,
    pub device_id: String,
    pub kiosk_id: String,
    pub exported_at: String,
    pub records: Vec<Record>,
}

pub const BUNDLE_FORMAT: &str = "cekiosk-export-1";
