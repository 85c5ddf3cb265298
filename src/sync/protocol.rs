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
/// The longest the hub holds a device's held claims (`?wait=N`) while it
/// is taking other uploads; a kiosk asks for half its timeout, up to this.
pub const HELD_WAIT_SECONDS: u64 = 5;

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

/// `POST /api/v1/enrol`: a kiosk trades the one-time code the CE office
/// gave it for its own credentials. No token: the code is the key. The
/// nonce is the kiosk's own random word, so a retry of the same enrolment
/// (the first answer lost) is answered again; any other second use of the
/// code is refused.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub code: String,
    pub nonce: String,
    /// The event the kiosk is set up for: a code from another event's hub
    /// is refused before it is used.
    pub event_id: String,
}

/// What an enrolled kiosk keeps (in its database, never in a file of
/// settings): who it is at this hub, the token it presents, and the key
/// it signs certificate summaries and export bundles with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EnrolAnswer {
    pub kiosk_id: String,
    pub key_id: i64,
    pub token: String,
    /// 32 bytes, base64url without padding.
    pub summary_key: String,
}

/// `GET /api/v1/attendees/{badge_id}/certificate`: an attendee's latest
/// certificate, for a kiosk reissuing the QR of someone who never visited
/// it (kiosks are not sent other kiosks' certificate ids). 404 when the
/// hub holds none.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CertificateAnswer {
    pub certificate_id: String,
    pub short_code: String,
    pub issued_at: String,
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
    /// HMAC-SHA256 of the bundle (this field empty) with the kiosk's
    /// summary key, base64url: `hub import` takes only bundles of kiosks
    /// it enrolled (or, in rehearsal mode, signed with the fleet's shared
    /// secret it is configured with). Empty in an unsigned bundle.
    #[serde(default)]
    pub signature: String,
}

pub const BUNDLE_FORMAT: &str = "cekiosk-export-1";

impl Bundle {
    /// The bytes the signature covers: the bundle as written, with an
    /// empty signature. Serialising the same struct twice gives the same
    /// bytes (its payloads are carried as the kiosk wrote them).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut unsigned = self.clone();
        unsigned.signature.clear();
        serde_json::to_vec(&unsigned).unwrap_or_default()
    }

    /// Signs the bundle with a kiosk's summary key.
    pub fn sign(&mut self, key: &[u8; 32]) {
        self.signature = crate::domain::certificate_id::sign_bytes(key, &self.signed_bytes());
    }

    /// Whether the bundle was signed with `key`.
    pub fn signed_with(&self, key: &[u8; 32]) -> bool {
        crate::domain::certificate_id::verify_bytes(key, &self.signed_bytes(), &self.signature)
    }
}
