//! Checks every record before the hub stores it. The views over `records`
//! read only records that passed, so a record a view could not read is kept
//! with its reason instead of stopping a report.

use serde_json::Value;

use crate::records::{AttendeeRow, Body, Record};

/// What a record that passed its checks brings beside itself.
pub(super) struct Checked {
    /// The attendee it is about, indexed so one attendee's records are
    /// found at once.
    pub(super) badge_id: Option<String>,
    /// A walk-in, who joins the hub's attendees unless the hub holds them.
    pub(super) walkin: Option<AttendeeRow>,
    /// A void: the claim it takes back (badge, claim id), which must be
    /// the same kiosk's.
    pub(super) voids: Option<(String, String)>,
}

/// How far ahead of the hub's clock a kiosk's may run: a profile or an
/// evaluation (what newest-wins reads) dated later than the hub received
/// it plus this is refused. Kiosks keep NTP time; a few minutes of drift
/// on a kiosk offline all day pass, and a clock set ahead wins newest-wins
/// for no longer than this. The hub's migration 12 uses the same figure
/// for records it held before.
pub const CLOCK_AHEAD: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);

/// Who sent a page, and when the hub received it: what a record is
/// checked against beside its own form.
pub struct Sender<'a> {
    /// The kiosk the credentials name (with the shared secret, the one
    /// the page names).
    pub kiosk_id: &'a str,
    /// Whether the kiosk presented its own credentials: only then does the
    /// hub know that the kiosk is who it says.
    pub enrolled: bool,
    pub received: jiff::Timestamp,
}

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
pub(super) fn check(r: &Record, sender: &Sender) -> Result<Checked, String> {
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
        Body::WalkIn(w) => Some(w.row()?),
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

/// PostgreSQL text cannot hold U+0000: a record holding one is stored
/// with the character replaced, and rejected with the reason. Returns the
/// payload scrubbed, for such a record only.
pub(super) fn scrub_nul(r: &Record) -> Option<Record> {
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
