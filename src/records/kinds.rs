//! One struct per record kind, as its payload is written on the wire and
//! kept in the kiosk's outbox and the hub's `records` table.
//!
//! The JSON form is the contract with databases and kiosks already
//! deployed: field names never change, a field added later is optional
//! (`#[serde(default)]`) so older payloads still read, and a payload's
//! keys are written in alphabetical order (`Body::to_json`) so it reads
//! exactly as the kiosk wrote it before these types existed (the hub
//! compares a re-sent record with the one it holds). An `Option` is
//! written as `null`, never left out, for the same reason.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::roster::{AttendeeRow, SessionRow};

/// `claim`: one session claimed on one visit. The quarter hours are what
/// the attendee asked for; the hub decides what counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub badge_id: String,
    pub claim_id: String,
    /// The kiosk's clock, RFC 3339.
    pub claimed_at: String,
    pub credits_q: i64,
    /// Empty in claims written before kiosks named themselves.
    #[serde(default)]
    pub kiosk_id: String,
    pub session_id: String,
    #[serde(default)]
    pub visit_id: String,
}

/// `void`: staff took a claim back, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Void {
    pub badge_id: String,
    pub claim_id: String,
    #[serde(default)]
    pub kiosk_id: String,
    pub reason: String,
    #[serde(default)]
    pub session_id: String,
    pub voided_at: String,
}

/// `certificate`: the QR an attendee left with. Its id is also the
/// record's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub badge_id: String,
    pub certificate_id: String,
    /// The credit types chosen on that visit, `AMA;MOC`.
    #[serde(default)]
    pub codes: String,
    pub issued_at: String,
    #[serde(default)]
    pub kiosk_id: String,
    /// The language the attendee used at the kiosk (`ja`, `pt-BR`): the
    /// certificate page opens in it. Absent from older kiosks' records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The attendee declined the certificate by e-mail on this visit (a
    /// key at Attest). Left out when false, so a certificate record reads
    /// and is written as it was before kiosks asked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mail_declined: bool,
    #[serde(default)]
    pub short_code: String,
    #[serde(default)]
    pub visit_id: String,
}

/// `profile`: the credit types and IDs an attendee chose. The newest wins.
///
/// A kiosk writes an ID it was told is on file (and the attendee left as
/// it was) as `null` with only its ending: the hub keeps the value it
/// has. The hub's feed sends kiosks profiles in that same form, never an
/// ID's value (docs/security.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub abim_ending: Option<String>,
    #[serde(default)]
    pub abim_id: Option<String>,
    /// When the choice was made (the kiosk's clock).
    pub at: String,
    pub badge_id: String,
    #[serde(default)]
    pub birth_mmdd: Option<String>,
    #[serde(default)]
    pub birth_on_file: bool,
    /// `AMA;MOC`.
    #[serde(default)]
    pub codes: String,
    #[serde(default)]
    pub epid: Option<String>,
    #[serde(default)]
    pub epid_ending: Option<String>,
    #[serde(default)]
    pub moc_consent: bool,
    /// `pharmacist` or `technician`.
    #[serde(default)]
    pub pharm_role: Option<String>,
}

/// `evaluation`: the answers given on one visit, by question id. The
/// newest answer to each question wins.
///
/// A kiosk writes `answers`. The hub's feed sends other kiosks an
/// evaluation without them: `answers` empty and `answered` naming the
/// questions that were given an answer, which is all a kiosk needs to
/// know whether the evaluation is complete (docs/security.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    pub answers: BTreeMap<String, String>,
    pub at: String,
    pub badge_id: String,
    #[serde(default)]
    pub visit_id: String,
}

/// `attendee`: a walk-in staff registered at a kiosk: the attendee, and
/// when and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkIn {
    #[serde(default)]
    pub at: String,
    #[serde(flatten)]
    pub attendee: AttendeeRow,
    #[serde(default)]
    pub kiosk_id: String,
    /// Always `walkin`.
    #[serde(default)]
    pub source: String,
}

/// `audit`: something staff did at a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub action: String,
    pub at: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub kiosk_id: String,
}

/// `roster.session`: a session in the hub's catalog, as the feed sends it
/// to kiosks. Times are local to the event, `YYYY-MM-DDTHH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterSession {
    #[serde(default)]
    pub acpe_uan: String,
    /// `AMA;ANCC`.
    #[serde(default)]
    pub credit_types: String,
    #[serde(default)]
    pub credits_q: i64,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub room: String,
    pub session_id: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub track: String,
}

/// `scan`: a badge scanned at a session's door, loaded at the hub with
/// `cekiosk hub import scans` and sent to kiosks by the feed, which tick
/// the sessions an attendee was scanned into. A scan is the four fields
/// together: the same badge, session, minute and direction imported again
/// is the same scan. Kiosks never send scans.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DoorScan {
    pub badge_id: String,
    /// `in` or `out`; empty when the scanner does not record it (taken as
    /// `in`: the attendee went through the door).
    #[serde(default)]
    pub direction: String,
    /// Local to the event, `YYYY-MM-DDTHH:MM`.
    pub scanned_at: String,
    pub session_id: String,
}

impl DoorScan {
    /// Whether the scan saw the attendee go in (or does not say which way).
    pub fn entered(&self) -> bool {
        self.direction != "out"
    }
}

impl From<&SessionRow> for RosterSession {
    fn from(s: &SessionRow) -> RosterSession {
        RosterSession {
            acpe_uan: s.acpe_uan.clone(),
            credit_types: s.credit_types.to_list(),
            credits_q: i64::from(s.credits),
            ends_at: s.ends_at.clone(),
            room: s.room.clone(),
            session_id: s.session_id.clone(),
            starts_at: s.starts_at.clone(),
            title: s.title.clone(),
            track: s.track.clone(),
        }
    }
}
