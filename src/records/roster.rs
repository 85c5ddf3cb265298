//! The roster (attendees) and the catalog (sessions) as rows: what the
//! imports read, the kiosk's store and the hub's database keep, and the hub
//! sends kiosks as `roster.attendee` and `roster.session` changes.

use crate::domain::{CodeSet, Profession, Quarters};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeRow {
    pub badge_id: String,
    pub first_name: String,
    pub last_name: String,
    pub degree: String,
    pub profession: Profession,
    pub email: String,
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
