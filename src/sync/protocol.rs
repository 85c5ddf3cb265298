//! The sync API's messages, shared by the kiosk (client) and the hub
//! (server). docs/sync.md describes the protocol around them.

use serde::{Deserialize, Serialize};

pub use crate::records::{Change, Cursor, Record, Rejected};

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

/// `POST /api/v1/devices/{device_id}/report`: what a kiosk says of itself
/// at the start and the end of each sync, for the CE office's fleet page.
/// The hub answers 204; an older hub's 404 is ignored by the kiosk.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeviceReport {
    pub kiosk_id: String,
    /// The program's version (`cekiosk --version`).
    pub version: String,
    /// The kiosk's clock when it sent this (RFC 3339): the hub keeps the
    /// difference from its own.
    pub clock: String,
    /// Records the kiosk holds that the hub has not confirmed.
    pub not_uploaded: i64,
    /// How the kiosk's previous sync went, as staff mode shows it.
    #[serde(default)]
    pub last_result: String,
    /// How often the kiosk syncs by itself (`[sync] interval_seconds`).
    pub interval_seconds: u64,
}

/// `POST /api/v1/devices/{device_id}/records`: one page, in sequence order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    pub event_id: String,
    pub kiosk_id: String,
    pub records: Vec<Record>,
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
