//! Every record that travels between a kiosk and the hub, one type per
//! kind: what the kiosk's store writes to its outbox, what the hub checks
//! and keeps, and what the hub's feed sends back down. Depends on `domain`
//! only, so the store, sync and the hub all meet here and nowhere else.
//!
//! `Body` is one record of any kind; `Body::decode` reads a payload by its
//! kind and `Body::check` is the hub's test of its form (whether a claim
//! fits the catalog is read at the hub with the catalog as it is: see the
//! hub's claims view).

pub mod envelope;
pub mod kinds;
pub mod roster;

pub use envelope::{Change, Cursor, Record, Rejected};
pub use kinds::{
    Audit, Certificate, Claim, DoorScan, Evaluation, Profile, RosterAttendee, RosterSession, Void,
    WalkIn,
};
pub use roster::{AttendeeRow, SessionRow};

use serde::Serialize;

use crate::domain::CodeSet;

/// One record, of whichever kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Claim(Claim),
    Void(Void),
    Certificate(Certificate),
    Profile(Profile),
    Evaluation(Evaluation),
    WalkIn(WalkIn),
    Audit(Audit),
    RosterAttendee(RosterAttendee),
    RosterSession(RosterSession),
    DoorScan(DoorScan),
}

/// The most quarter hours one claim can carry: more than any session.
pub const MAX_CLAIM_Q: i64 = 10_000;

/// The longest text a required field may hold.
const MAX_FIELD: usize = 200;

impl Body {
    /// The record's kind, as the outbox and the hub's tables name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Claim(_) => "claim",
            Body::Void(_) => "void",
            Body::Certificate(_) => "certificate",
            Body::Profile(_) => "profile",
            Body::Evaluation(_) => "evaluation",
            Body::WalkIn(_) => "attendee",
            Body::Audit(_) => "audit",
            Body::RosterAttendee(_) => "roster.attendee",
            Body::RosterSession(_) => "roster.session",
            Body::DoorScan(_) => "scan",
        }
    }

    /// Reads a payload of the given kind.
    pub fn decode(kind: &str, payload: &str) -> Result<Body, String> {
        Ok(match kind {
            "claim" => Body::Claim(read(kind, payload)?),
            "void" => Body::Void(read(kind, payload)?),
            "certificate" => Body::Certificate(read(kind, payload)?),
            "profile" => Body::Profile(read(kind, payload)?),
            "evaluation" => Body::Evaluation(read(kind, payload)?),
            "attendee" => Body::WalkIn(read(kind, payload)?),
            "audit" => Body::Audit(read(kind, payload)?),
            "roster.attendee" => Body::RosterAttendee(read(kind, payload)?),
            "roster.session" => Body::RosterSession(read(kind, payload)?),
            "scan" => Body::DoorScan(read(kind, payload)?),
            other => return Err(format!("unknown record kind '{other}'")),
        })
    }

    /// The payload as JSON text.
    pub fn to_json(&self) -> String {
        fn text<T: Serialize>(t: &T) -> String {
            // Plain structs of strings, numbers and maps with string keys
            // always serialize.
            serde_json::to_string(t).expect("a record serializes")
        }
        match self {
            Body::Claim(r) => text(r),
            Body::Void(r) => text(r),
            Body::Certificate(r) => text(r),
            Body::Profile(r) => text(r),
            Body::Evaluation(r) => text(r),
            Body::WalkIn(r) => text(r),
            Body::Audit(r) => text(r),
            Body::RosterAttendee(r) => text(r),
            Body::RosterSession(r) => text(r),
            Body::DoorScan(r) => text(r),
        }
    }

    /// The attendee the record is about, if it is about one.
    pub fn badge_id(&self) -> Option<&str> {
        match self {
            Body::Claim(r) => Some(&r.badge_id),
            Body::Void(r) => Some(&r.badge_id),
            Body::Certificate(r) => Some(&r.badge_id),
            Body::Profile(r) => Some(&r.badge_id),
            Body::Evaluation(r) => Some(&r.badge_id),
            Body::WalkIn(r) => Some(&r.badge_id),
            Body::RosterAttendee(r) => Some(&r.badge_id),
            Body::DoorScan(r) => Some(&r.badge_id),
            Body::Audit(_) | Body::RosterSession(_) => None,
        }
    }

    /// Whether a record a kiosk sent has the form the hub keeps: the
    /// fields the hub's views read are there and readable. `record_id` is
    /// the id the record travelled under.
    pub fn check(&self, record_id: &str) -> Result<(), String> {
        match self {
            Body::Claim(c) => {
                need("session_id", &c.session_id)?;
                if !(1..=MAX_CLAIM_Q).contains(&c.credits_q) {
                    return Err(format!("credits_q {} is not a claim", c.credits_q));
                }
                need("claim_id", &c.claim_id)?;
                need("claimed_at", &c.claimed_at)?;
                if !is_kiosk_time(&c.claimed_at) {
                    return Err(format!("claimed_at '{}' is not a time", c.claimed_at));
                }
                need("badge_id", &c.badge_id)
            }
            Body::Void(v) => {
                need("claim_id", &v.claim_id)?;
                need("voided_at", &v.voided_at)?;
                need("reason", &v.reason)?;
                need("badge_id", &v.badge_id)
            }
            Body::Certificate(c) => {
                need("certificate_id", &c.certificate_id)?;
                if !crate::domain::ids::is_url_safe_id(&c.certificate_id, 16..=MAX_FIELD) {
                    return Err("certificate_id is not a URL-safe random id".into());
                }
                if c.certificate_id != record_id {
                    return Err("certificate_id differs from the record's id".into());
                }
                need("issued_at", &c.issued_at)?;
                need("badge_id", &c.badge_id)
            }
            Body::Profile(p) => {
                CodeSet::parse_list(&p.codes)?;
                need("at", &p.at)?;
                need("badge_id", &p.badge_id)
            }
            Body::Evaluation(e) => {
                need("at", &e.at)?;
                need("badge_id", &e.badge_id)
            }
            Body::WalkIn(w) => {
                need("badge_id", &w.badge_id)?;
                need("profession", &w.profession)?;
                w.row().map(|_| ())
            }
            Body::Audit(a) => {
                need("at", &a.at)?;
                need("action", &a.action)
            }
            Body::RosterAttendee(_) | Body::RosterSession(_) | Body::DoorScan(_) => {
                Err(format!("a kiosk does not send {} records", self.kind()))
            }
        }
    }
}

macro_rules! body_from {
    ($($kind:ident),*) => {$(
        impl From<$kind> for Body {
            fn from(r: $kind) -> Body {
                Body::$kind(r)
            }
        }
    )*};
}
body_from!(
    Claim,
    Void,
    Certificate,
    Profile,
    Evaluation,
    WalkIn,
    Audit,
    RosterAttendee,
    RosterSession,
    DoorScan
);

/// A required text field: there, not empty, not too long.
fn need(name: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.chars().count() > MAX_FIELD {
        return Err(format!("{name} is empty or too long"));
    }
    Ok(())
}

/// A payload read as its kind's struct; an error names the field that is
/// missing or of the wrong type.
fn read<'a, T: serde::Deserialize<'a>>(kind: &str, payload: &'a str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(payload);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // serde's own words, without the line and column: a payload is
        // one line.
        let text = inner.to_string();
        let text = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(t, _)| t);
        if let Some(field) = text
            .strip_prefix("missing field `")
            .and_then(|f| f.strip_suffix('`'))
        {
            format!("{field} is missing")
        } else if path == "." {
            format!("{kind} payload is not a JSON object of its fields: {text}")
        } else {
            format!("{path}: {text}")
        }
    })?;
    de.end()
        .map_err(|_| format!("{kind} payload has text after its end"))?;
    Ok(value)
}

/// How a kiosk writes a time (RFC 3339, in UTC or with an offset). The
/// hub's views read a claim's time with PostgreSQL's own parser, so the
/// hub takes no other form: a bracketed zone name or year 0 would stop
/// every report.
pub fn is_kiosk_time(t: &str) -> bool {
    static FORM: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let form = FORM.get_or_init(|| {
        regex::Regex::new(
            r"^(19[7-9][0-9]|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$",
        )
        .expect("a valid pattern")
    });
    form.is_match(t) && t.parse::<jiff::Timestamp>().is_ok()
}

#[cfg(test)]
pub mod samples;
#[cfg(test)]
mod tests;
