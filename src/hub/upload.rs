//! The one place an upload is checked before the hub stores any of it:
//! the page (its event, its size, its sequence numbers), then each record
//! (its form, by its kind's type in `crate::records`; text PostgreSQL can
//! hold; the times newest-wins reads). A page refused is answered with the
//! reason and nothing is stored; a record refused is stored with its
//! reason (`records.rejected`), which goes back to the kiosk. Storage
//! (`hub::db::ingest`) takes the page as checked here, and refuses only
//! what needs the database to tell: a void of another kiosk's claim, a
//! different record at a sequence it holds.

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::Value;

use crate::hub::db::{CheckedPage, Sender, StoredRecord};
use crate::records::{AttendeeRow, Body};
use crate::sync::protocol::{PAGE, Record, Upload};

/// Why a whole page is refused; its words are the answer's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRefusal {
    /// The page is for another event than the hub serves (409).
    OtherEvent { serves: String, sent: String },
    /// More records than a page may hold (413).
    TooLarge,
    /// A sequence number twice in the page (400).
    RepeatedSeq,
    /// A sequence number below 1 (400).
    SeqNotPositive,
}

impl std::fmt::Display for PageRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageRefusal::OtherEvent { serves, sent } => {
                write!(f, "this hub serves event '{serves}', not '{sent}'")
            }
            PageRefusal::TooLarge => write!(f, "at most {MAX_RECORDS} records a page"),
            PageRefusal::RepeatedSeq => f.write_str("a sequence number repeats within the page"),
            PageRefusal::SeqNotPositive => f.write_str("positive sequence numbers are required"),
        }
    }
}

/// The most records the hub takes in one page: four of a kiosk's pages.
pub const MAX_RECORDS: usize = PAGE * 4;

/// Checks a page as a whole, before any of its records.
pub fn check_page(page: &Upload, event_id: &str) -> Result<(), PageRefusal> {
    if page.event_id != event_id {
        return Err(PageRefusal::OtherEvent {
            serves: event_id.to_string(),
            sent: page.event_id.clone(),
        });
    }
    if page.records.len() > MAX_RECORDS {
        return Err(PageRefusal::TooLarge);
    }
    let mut seqs: Vec<i64> = page.records.iter().map(|r| r.seq).collect();
    seqs.sort_unstable();
    if seqs.windows(2).any(|w| w[0] == w[1]) {
        return Err(PageRefusal::RepeatedSeq);
    }
    if page.records.iter().any(|r| r.seq < 1) {
        return Err(PageRefusal::SeqNotPositive);
    }
    Ok(())
}

/// Checks each record of a page (one per seq, the first sent), as it
/// will be stored: with the attendee it names, or the reason it is
/// refused; the walk-ins and voids it brings beside.
pub fn check_records<'a>(records: &'a [Record], sender: &Sender) -> CheckedPage<'a> {
    let mut seen = HashSet::new();
    let mut page = CheckedPage {
        sent: records.len(),
        ..CheckedPage::default()
    };
    for r in records.iter().filter(|r| seen.insert(r.seq)) {
        if let Some(scrubbed) = scrub_nul(r) {
            // Pages almost never hold a NUL: only these are copied.
            page.rows.push(StoredRecord {
                record: Cow::Owned(scrubbed),
                badge_id: None,
                rejected: Some("text holds NUL characters".into()),
            });
            continue;
        }
        match check(r, sender) {
            Ok(c) => {
                page.walkins.extend(c.walkin.map(|a| (r.seq, a)));
                page.voids.extend(c.voids.map(|v| (r.seq, v)));
                page.rows.push(StoredRecord {
                    record: Cow::Borrowed(r),
                    badge_id: c.badge_id,
                    rejected: None,
                });
            }
            Err(reason) => page.rows.push(StoredRecord {
                record: Cow::Borrowed(r),
                // Kept under its attendee where it names one, so the
                // office's page for them shows it.
                badge_id: badge_named(r),
                rejected: Some(reason),
            }),
        }
    }
    page
}

/// What a record that passed its checks brings beside itself.
struct Checked {
    /// The attendee it is about, indexed so one attendee's records are
    /// found at once.
    badge_id: Option<String>,
    /// A walk-in, who joins the hub's attendees unless the hub holds them.
    walkin: Option<AttendeeRow>,
    /// A void: the claim it takes back (badge, claim id), which must be
    /// the same kiosk's.
    voids: Option<(String, String)>,
}

/// How far ahead of the hub's clock a kiosk's may run: a profile or an
/// evaluation (what newest-wins reads) dated later than the hub received
/// it plus this is refused. Kiosks keep NTP time; a few minutes of drift
/// on a kiosk offline all day pass, and a clock set ahead wins newest-wins
/// for no longer than this. The hub's migration 12 uses the same figure
/// for records it held before.
pub const CLOCK_AHEAD: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);

/// Checks a record before it is stored: the record's kind reads it
/// (`crate::records`, the types the kiosk wrote it from) and says whether
/// its form is one the views and reports can read; and the times
/// newest-wins reads are no later than the hub received it (give or take
/// [`CLOCK_AHEAD`]). The kiosk a
/// record is counted for is the one its device belongs to, whatever the
/// record names (the typed tables read it so). Whether a claim fits the
/// catalog and roster (the session is known, not more than its
/// designation, ended by the claim's time) is read with them as they are,
/// so a claim the hub cannot place yet is held, never lost: see the
/// claims view.
fn check(r: &Record, sender: &Sender) -> Result<Checked, String> {
    let body = Body::decode(&r.kind, r.payload.get())?;
    body.check(&r.record_id)?;
    if !crate::records::is_kiosk_time(&r.created_at) {
        return Err("created_at is not a time".into());
    }
    // Newest-wins reads these times: one from a clock set ahead would
    // win for good. (A claim's time is read by the claims view, which
    // holds a claim for a session that had not ended by then or by when
    // the hub received it, so a clock ahead gains a claim nothing.)
    if matches!(body, Body::Profile(_) | Body::Evaluation(_)) {
        let latest = sender.received + CLOCK_AHEAD;
        for (field, t) in body.kiosk_times() {
            match t.parse::<jiff::Timestamp>() {
                Ok(at) if at > latest => {
                    return Err(format!(
                        "{field} {t} is later than the hub received it ({}): the kiosk's clock is ahead",
                        sender
                            .received
                            .round(jiff::Unit::Second)
                            .unwrap_or(sender.received)
                    ));
                }
                Ok(_) => {}
                Err(_) => return Err(format!("{field} is not a time")),
            }
        }
    }
    let walkin = match &body {
        Body::WalkIn(w) => Some(w.attendee.clone()),
        _ => None,
    };
    let voids = match &body {
        Body::Void(v) => Some((v.badge_id.clone(), v.claim_id.clone())),
        _ => None,
    };
    Ok(Checked {
        badge_id: body.badge_id().map(str::to_string),
        walkin,
        voids,
    })
}

/// The attendee a record names, read as loosely as possible: for a
/// record that failed its checks.
fn badge_named(r: &Record) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        badge_id: Option<String>,
    }
    serde_json::from_str::<Named>(r.payload.get())
        .ok()?
        .badge_id
        .map(|b| crate::domain::sanitize(&b).chars().take(200).collect())
        .filter(|b: &String| !b.is_empty())
}

/// PostgreSQL text cannot hold U+0000: a record holding one is stored
/// with the character replaced, and rejected with the reason. Returns the
/// payload scrubbed, for such a record only.
fn scrub_nul(r: &Record) -> Option<Record> {
    fn in_value(v: &Value) -> bool {
        match v {
            Value::String(t) => t.contains('\0'),
            Value::Array(items) => items.iter().any(in_value),
            Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || in_value(v)),
            _ => false,
        }
    }
    fn scrub(v: &Value) -> Value {
        match v {
            Value::String(t) => Value::String(t.replace('\0', "\u{fffd}")),
            Value::Array(items) => Value::Array(items.iter().map(scrub).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.replace('\0', "\u{fffd}"), scrub(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    // In JSON text a NUL can only be written as an escape.
    let payload = if r.payload.get().contains("\\u0000") {
        serde_json::from_str::<Value>(r.payload.get())
            .ok()
            .filter(in_value)
    } else {
        None
    };
    let in_text = [&r.kind, &r.record_id, &r.created_at]
        .iter()
        .any(|t| t.contains('\0'));
    if payload.is_none() && !in_text {
        return None;
    }
    let text = |t: &str| t.replace('\0', "\u{fffd}");
    Some(Record {
        seq: r.seq,
        kind: text(&r.kind),
        record_id: text(&r.record_id),
        payload: match payload {
            Some(v) => serde_json::value::to_raw_value(&scrub(&v)).ok()?,
            None => r.payload.clone(),
        },
        created_at: text(&r.created_at),
    })
}
