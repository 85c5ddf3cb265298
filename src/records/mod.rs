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

pub use envelope::{Change, Cursor, Record, Rejected, Unconfirmed};
pub use kinds::{
    Audit, Certificate, Claim, DoorScan, Evaluation, Profile, RosterSession, Void, WalkIn,
};
pub use roster::{AttendeeRow, CountedClaim, RosterIds, SessionRow};

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
    RosterAttendee(AttendeeRow),
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
            // Through a JSON map, which keeps its keys in order: the
            // payload's keys come out alphabetical whatever order the
            // struct declares them in (a walk-in's attendee is one
            // struct among its fields). Plain structs of strings,
            // numbers and maps with string keys always serialize.
            serde_json::to_value(t)
                .map(|v| v.to_string())
                .expect("a record serializes")
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
            Body::WalkIn(r) => Some(&r.attendee.badge_id),
            Body::RosterAttendee(r) => Some(&r.badge_id),
            Body::DoorScan(r) => Some(&r.badge_id),
            Body::Audit(_) | Body::RosterSession(_) => None,
        }
    }

    /// Whether a record a kiosk sent has the form the hub keeps: the
    /// fields the hub's views read are there and readable, its times are
    /// times, and every field the hub prints or reports is of its form (an
    /// ID of the right digits, a birth date that is a real month and day),
    /// so a report never meets a value it cannot print. `record_id` is the
    /// id the record travelled under.
    pub fn check(&self, record_id: &str) -> Result<(), String> {
        for (field, t) in self.kiosk_times() {
            if !is_kiosk_time(t) {
                return Err(format!("{field} '{}' is not a time", shown(t)));
            }
        }
        match self {
            Body::Claim(c) => {
                need("session_id", &c.session_id)?;
                if !(1..=MAX_CLAIM_Q).contains(&c.credits_q) {
                    return Err(format!("credits_q {} is not a claim", c.credits_q));
                }
                need("claim_id", &c.claim_id)?;
                need("badge_id", &c.badge_id)
            }
            Body::Void(v) => {
                need("claim_id", &v.claim_id)?;
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
                if let Some(lang) = &c.language
                    && lang.parse::<crate::domain::lang::Lang>().is_err()
                {
                    return Err(format!(
                        "language '{}' is not one the kiosk offers",
                        shown(lang)
                    ));
                }
                upto("short_code", &c.short_code, 40)?;
                need("badge_id", &c.badge_id)
            }
            Body::Profile(p) => {
                CodeSet::parse_list(&p.codes)?;
                use crate::domain::ids::{validate_abim_id, validate_epid, validate_mmdd};
                let form = |field: &str, v: &Option<String>, ok: &dyn Fn(&str) -> bool| match v {
                    Some(v) if !ok(v) || v.trim() != v => {
                        Err(format!("{field} '{}' is not of its form", shown(v)))
                    }
                    _ => Ok(()),
                };
                form("epid", &p.epid, &|v| validate_epid(v).is_ok())?;
                form("abim_id", &p.abim_id, &|v| validate_abim_id(v).is_ok())?;
                form("birth_mmdd", &p.birth_mmdd, &|v| validate_mmdd(v).is_ok())?;
                let two_digits = |v: &str| v.len() == 2 && v.bytes().all(|b| b.is_ascii_digit());
                form("epid_ending", &p.epid_ending, &two_digits)?;
                form("abim_ending", &p.abim_ending, &two_digits)?;
                form("pharm_role", &p.pharm_role, &|v| {
                    v == "pharmacist" || v == "technician"
                })?;
                need("badge_id", &p.badge_id)
            }
            Body::Evaluation(e) => {
                if !e.answered.is_empty() {
                    return Err("answered is the hub's feed form, not a kiosk's".into());
                }
                for (q, a) in &e.answers {
                    need("a question id", q)?;
                    upto("an answer", a, 4000)?;
                }
                need("badge_id", &e.badge_id)
            }
            Body::WalkIn(w) => {
                // The profession was read as one the rules know.
                let a = &w.attendee;
                need("badge_id", &a.badge_id)?;
                for (field, v) in [
                    ("first_name", &a.first_name),
                    ("last_name", &a.last_name),
                    ("degree", &a.degree),
                    ("email", &a.email),
                ] {
                    upto(field, v, MAX_FIELD)?;
                }
                Ok(())
            }
            Body::Audit(a) => need("action", &a.action),
            Body::RosterAttendee(_) | Body::RosterSession(_) | Body::DoorScan(_) => {
                Err(format!("a kiosk does not send {} records", self.kind()))
            }
        }
    }

    /// The times a kiosk wrote into the record, by field: each must be a
    /// time (RFC 3339), and the hub refuses one later than it received it
    /// (allowing for a kiosk's clock a little ahead), since newest-wins
    /// would otherwise let a clock set ahead decide for good.
    pub fn kiosk_times(&self) -> Vec<(&'static str, &str)> {
        match self {
            Body::Claim(c) => vec![("claimed_at", &c.claimed_at)],
            Body::Void(v) => vec![("voided_at", &v.voided_at)],
            Body::Certificate(c) => vec![("issued_at", &c.issued_at)],
            Body::Profile(p) => vec![("at", &p.at)],
            Body::Evaluation(e) => vec![("at", &e.at)],
            // Walk-ins from kiosks older than the field have none.
            Body::WalkIn(w) if w.at.is_empty() => vec![],
            Body::WalkIn(w) => vec![("at", &w.at)],
            Body::Audit(a) => vec![("at", &a.at)],
            Body::RosterAttendee(_) | Body::RosterSession(_) | Body::DoorScan(_) => vec![],
        }
    }
}

/// A value as a reason may quote it: printable, and not too long.
fn shown(v: &str) -> String {
    crate::domain::sanitize(v).chars().take(40).collect()
}

/// An optional text field: not too long.
fn upto(name: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("{name} is too long"));
    }
    Ok(())
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
        // A field of a struct flattened into the record (a walk-in's
        // attendee) is read without its path; its error names the field.
        let a_field_of_an_object = inner.classify() == serde_json::error::Category::Data
            && payload.trim_start().starts_with('{');
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
        } else if path == "." && a_field_of_an_object {
            format!("{kind}: {text}")
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

/// For tests, the crate's own and the hub's database tests (which hold
/// the record types to what the database reads).
#[doc(hidden)]
pub mod samples;
#[cfg(test)]
mod tests;
