//! The kiosk's setup, what it holds in memory besides the screen state:
//! the loaded configuration and session catalog, the event clock; and
//! what a badge look-up found (`BadgeMatch`, an `AttendeeHistory`).
//! Shared by the app, the screens and the runner.

use std::collections::BTreeMap;
use std::time::Instant;

use super::catalog::SessionCatalog;
use super::strings::Words;
use crate::config::Config;
use crate::domain::CreditCode;
use crate::domain::evaluation::Answers;
use crate::records::AttendeeRow;
use crate::store::{ClaimRow, CreditChoices};

/// The event clock: real time, or `--now` advancing with real time.
#[derive(Debug, Clone)]
pub struct EventClock {
    base: Option<i64>,
    started: Instant,
}

impl EventClock {
    pub fn real() -> Self {
        EventClock {
            base: None,
            started: Instant::now(),
        }
    }
    /// An event clock that reads `minutes` (absolute) at `started`.
    pub fn fixed(minutes: i64, started: Instant) -> Self {
        EventClock {
            base: Some(minutes),
            started,
        }
    }
    pub fn minutes_at(&self, at: Instant) -> i64 {
        match self.base {
            Some(b) => b + (at.saturating_duration_since(self.started).as_secs() / 60) as i64,
            None => jiff::Timestamp::now().as_second().div_euclid(60),
        }
    }
}

/// The configuration, catalog and clock the kiosk runs with. Shared behind
/// an `Arc`; when the hub sends new sessions the runner swaps in a new
/// `KioskSetup` with the rebuilt catalog, between attendees (never under a visit,
/// whose selections index the catalog).
pub struct KioskSetup {
    pub config: Config,
    pub catalog: SessionCatalog,
    pub clock: EventClock,
}

/// What the runner found for a scan or a typed badge.
#[derive(Debug, Clone)]
pub enum BadgeMatch {
    Attendee(Box<AttendeeHistory>),
    Staff(String),
    Unknown,
}

/// An attendee with their history, loaded when their badge is scanned.
#[derive(Debug, Clone)]
pub struct AttendeeHistory {
    pub attendee: AttendeeRow,
    pub claims: Vec<ClaimRow>,
    pub answers: Answers,
    pub profile: Option<CreditChoices>,
    /// The sessions they were scanned into at the door: session id → the
    /// latest scan in, event-local `YYYY-MM-DDTHH:MM`.
    pub scanned: BTreeMap<String, String>,
}

/// A credit type's name for display, as the activity calls it, in the
/// language on screen.
pub fn code_name(ctx: &KioskSetup, words: Words, code: CreditCode) -> String {
    ctx.config.credit_name(words.lang(), code)
}
