//! Checks every record before the hub stores it. The views over `records`
//! read only records that passed, so a record a view could not read is kept
//! with its reason instead of stopping a report.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::domain::{CodeSet, Profession};
use crate::records::AttendeeRow;
use crate::sync::protocol::Record;

/// A payload's top-level fields, each still as its JSON text: the checks
/// read a few of them without building the whole payload.
struct Fields<'a>(HashMap<Key<'a>, &'a RawValue>);

#[derive(serde::Deserialize, PartialEq, Eq, Hash)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'a> Fields<'a> {
    fn of(raw: &'a RawValue) -> Result<Fields<'a>, String> {
        serde_json::from_str(raw.get())
            .map(Fields)
            .map_err(|_| "payload is not a JSON object".to_string())
    }

    fn raw(&self, k: &str) -> Option<&'a str> {
        self.0.get(&Key(Cow::Borrowed(k))).map(|v| v.get())
    }

    /// A string field; None when absent or not a string.
    fn text(&self, k: &str) -> Option<Cow<'a, str>> {
        let v = self.raw(k)?;
        match serde_json::from_str::<&'a str>(v) {
            Ok(t) => Some(Cow::Borrowed(t)),
            Err(_) => serde_json::from_str::<String>(v).ok().map(Cow::Owned),
        }
    }

    fn need(&self, k: &str) -> Result<Cow<'a, str>, String> {
        match self.text(k) {
            Some(v) if !v.is_empty() && v.chars().count() <= 200 => Ok(v),
            Some(_) => Err(format!("{k} is empty or too long")),
            None => Err(format!("{k} is missing")),
        }
    }

    fn int(&self, k: &str) -> Option<i64> {
        serde_json::from_str(self.raw(k)?).ok()
    }
}

/// How a kiosk writes a time (RFC 3339, in UTC or with an offset). The
/// views read a claim's time with PostgreSQL's own parser, so the hub takes
/// no other form: a bracketed zone name or year 0 would stop every report.
fn is_kiosk_time(t: &str) -> bool {
    static FORM: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let form = FORM.get_or_init(|| {
        regex::Regex::new(
            r"^(19[7-9][0-9]|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$",
        )
        .expect("a valid pattern")
    });
    form.is_match(t) && t.parse::<jiff::Timestamp>().is_ok()
}

/// The most quarter hours one claim can carry: more than any session.
const MAX_CLAIM_Q: i64 = 10_000;

/// What a record that passed its checks brings beside itself.
pub(super) struct Checked {
    /// The attendee it is about, indexed so one attendee's records are
    /// found at once.
    pub(super) badge_id: Option<String>,
    /// A walk-in, who joins the hub's attendees.
    pub(super) walkin: Option<AttendeeRow>,
}

/// Checks a record before it is stored: the views over `records` read only
/// records that passed, so every field they read is here.
pub(super) fn check(r: &Record) -> Result<Checked, String> {
    let p = Fields::of(&r.payload)?;
    let badge = |p: &Fields| p.need("badge_id").map(|b| Some(b.into_owned()));
    let badge_id = match r.kind.as_str() {
        "claim" => {
            // Only the record's form is checked here. Whether the claim
            // fits the catalog and roster (the session is known, not more
            // than its designation, ended by the claim's time) is read
            // with them as they are, so a claim the hub cannot place yet
            // is held, never lost: see the claims view.
            p.need("session_id")?;
            let credits_q = p.int("credits_q").ok_or("credits_q is missing")?;
            if !(1..=MAX_CLAIM_Q).contains(&credits_q) {
                return Err(format!("credits_q {credits_q} is not a claim"));
            }
            p.need("claim_id")?;
            let claimed_at = p.need("claimed_at")?;
            if !is_kiosk_time(&claimed_at) {
                return Err(format!("claimed_at '{claimed_at}' is not a time"));
            }
            badge(&p)?
        }
        "void" => {
            p.need("claim_id")?;
            p.need("voided_at")?;
            p.need("reason")?;
            badge(&p)?
        }
        "certificate" => {
            let id = p.need("certificate_id")?;
            if !crate::domain::ids::is_url_safe_id(&id, 16..=200) {
                return Err("certificate_id is not a URL-safe random id".into());
            }
            if id != r.record_id.as_str() {
                return Err("certificate_id differs from the record's id".into());
            }
            p.need("issued_at")?;
            badge(&p)?
        }
        "profile" => {
            CodeSet::parse_list(&p.text("codes").unwrap_or_default())?;
            p.need("at")?;
            badge(&p)?
        }
        "evaluation" => {
            if !p.raw("answers").is_some_and(|a| a.starts_with('{')) {
                return Err("answers is missing".into());
            }
            p.need("at")?;
            badge(&p)?
        }
        "attendee" => {
            let text = |k: &str| p.text(k).unwrap_or_default().into_owned();
            let walkin = AttendeeRow {
                badge_id: p.need("badge_id")?.into_owned(),
                first_name: text("first_name"),
                last_name: text("last_name"),
                degree: text("degree"),
                profession: p.need("profession")?.parse::<Profession>()?,
                email: text("email"),
            };
            return Ok(Checked {
                badge_id: Some(walkin.badge_id.clone()),
                walkin: Some(walkin),
            });
        }
        "audit" => {
            p.need("at")?;
            p.need("action")?;
            None
        }
        other => return Err(format!("unknown record kind '{other}'")),
    };
    Ok(Checked {
        badge_id,
        walkin: None,
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
