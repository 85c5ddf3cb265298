//! The sync API's messages, shared by the kiosk (client) and the hub
//! (server). docs/sync.md describes the protocol around them.

use serde::{Deserialize, Serialize};

/// Every path of the sync API starts with this.
pub const API: &str = "/api/v1";
/// Records per upload page.
pub const PAGE: usize = 500;
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
/// holds for a device. It only ever rises.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeviceState {
    pub device_id: String,
    pub high_seq: i64,
}

/// One outbox row, as the kiosk recorded it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub seq: i64,
    pub kind: String,
    pub record_id: String,
    pub payload: serde_json::Value,
    /// The kiosk's own timestamp (RFC 3339).
    pub created_at: String,
}

/// `POST /api/v1/devices/{device_id}/records`: one page, in sequence order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
}

/// A record another kiosk uploaded, or a roster or catalog row the hub
/// holds, in the hub's order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Change {
    pub hub_seq: i64,
    pub origin: String,
    pub kind: String,
    pub payload: serde_json::Value,
}

/// `GET /api/v1/changes?since={hub_seq}&device={device_id}`: changes after
/// the cursor that did not come from the asking device.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Changes {
    pub changes: Vec<Change>,
    /// The cursor to ask with next time.
    pub next: i64,
    pub more: bool,
}

/// A bundle of a kiosk's records carried to the hub by hand.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Bundle {
    pub format: String,
    pub event_id: String,
    pub device_id: String,
    pub kiosk_id: String,
    pub exported_at: String,
    pub records: Vec<Record>,
}

pub const BUNDLE_FORMAT: &str = "cekiosk-export-1";
