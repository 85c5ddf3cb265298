//! The roster (attendees) and the catalog (sessions) as rows: what the
//! imports read, the kiosk's store and the hub's database keep, and the hub
//! sends kiosks as `roster.attendee` and `roster.session` changes; the ids
//! they hold, and a counted claim with its session.

use std::collections::HashSet;

use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::{CodeSet, Profession, Quarters};

/// An attendee: a roster row, the payload of `roster.attendee`, and the
/// attendee a walk-in (`kinds::WalkIn`) registers. On the wire its fields
/// are written in key order (`Body::to_json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeRow {
    pub badge_id: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub degree: String,
    /// Read as the roster reads it, with the roster's words when it is not
    /// a profession the rules know.
    #[serde(deserialize_with = "profession_named")]
    pub profession: Profession,
    #[serde(default)]
    pub email: String,
}

fn profession_named<'de, D: Deserializer<'de>>(d: D) -> Result<Profession, D::Error> {
    String::deserialize(d)?
        .parse()
        .map_err(serde::de::Error::custom)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub session_id: String,
    pub title: String,
    /// Local to the event, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub ends_at: String,
    pub credits: Quarters,
    pub credit_types: CodeSet,
    pub track: String,
    pub room: String,
    pub acpe_uan: String,
}

/// The ids the roster and the catalog hold, for what must name one of
/// them (a door scans file).
#[derive(Debug, Clone, Default)]
pub struct RosterIds {
    pub badges: HashSet<String>,
    pub sessions: HashSet<String>,
}

/// A claim that counts (not void, not held, not a duplicate), with its
/// session as the catalog holds it: what the hub's store reads and the
/// award counts.
#[derive(Debug, Clone)]
pub struct CountedClaim {
    pub session: SessionRow,
    pub credits: Quarters,
    /// When the kiosk recorded it (RFC 3339, the kiosk's clock).
    pub claimed_at: String,
}
