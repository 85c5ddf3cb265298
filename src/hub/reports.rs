//! The CE office's reports. The column lists live here, one constant each,
//! so they are easy to check against the receiving systems' current
//! templates before an event.

use std::collections::{HashMap, HashSet};

use super::award::{Award, Claimed, Standing, award};
use crate::config::Config;
use crate::domain::credits::eligible_for;
use crate::domain::{CodeSet, CreditCode, Profession, format_quarters};
use crate::records::AttendeeRow;

/// SPEC section 7's columns, then `no_door_scan`: the sessions behind the
/// row's credit that the attendee claimed without a door scan where scans
/// were taken (`;`-separated; flagged, not refused: `hub::db::WITHOUT_SCAN`).
pub const CREDITS_COLUMNS: [&str; 12] = [
    "badge_id",
    "first_name",
    "last_name",
    "degree",
    "profession",
    "email",
    "credit_type",
    "credits",
    "certificate_id",
    "issued",
    "last_changed",
    "no_door_scan",
];

/// NABP CPE Monitor: ACPE's provider submission fields, plus the days left
/// before NABP refuses the upload (60 days after participation).
pub const CPE_COLUMNS: [&str; 10] = [
    "provider_number",
    "epid",
    "date_of_birth",
    "uan",
    "date_of_participation",
    "contact_hours",
    "days_left",
    "first_name",
    "last_name",
    "badge_id",
];

/// ACCME PARS learner batch template (CME + MOC), in its column order.
pub const PARS_COLUMNS: [&str; 14] = [
    "Record Action",
    "ACCME Activity ID",
    "Completion Date",
    "First Name",
    "Last Name",
    "Date of Birth",
    "Licensing State",
    "Licensing ID or NPI",
    "Number of CME Credits",
    "Certifying Board",
    "Certifying Board ID",
    "Total Board Credits",
    "Credit Type",
    "Credits Awarded for Credit Type",
];

/// What the hub keeps but does not count, with the reason.
pub const HELD_COLUMNS: [&str; 6] = ["badge_id", "name", "what", "kiosk_id", "at", "reason"];

pub fn held(rows: &[super::db::HeldClaim]) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(HELD_COLUMNS)?;
    for h in rows {
        w.write_record([
            &*cell(&h.badge_id),
            &cell(&h.name),
            &h.what,
            &cell(&h.kiosk_id),
            &h.at,
            &h.reason,
        ])?;
    }
    Ok(finish(w))
}

/// NABP refuses uploads this many days after participation.
pub const CPE_DEADLINE_DAYS: i64 = 60;
/// Boards expect a PARS record within this many days of completion.
pub const PARS_DEADLINE_DAYS: i64 = 30;
/// Beside PARS's template columns: the days left of the boards' window,
/// and whether the row changed since the date the office gave.
pub const PARS_EXTRA_COLUMNS: [&str; 2] = ["Days Left", "Changed Since"];

/// Everything the reports need about one attendee.
#[derive(Debug, Clone, Default)]
pub struct Learner {
    pub attendee: Option<AttendeeRow>,
    /// Counted claims, earliest first.
    pub claims: Vec<Claimed>,
    pub codes: Option<CodeSet>,
    pub epid: Option<String>,
    pub birth_mmdd: Option<String>,
    pub pharm_role: Option<String>,
    pub moc_consent: bool,
    pub abim_id: Option<String>,
    pub certificate: Option<(String, String)>,
    /// The latest change to the attendee's claims, voids, answers or
    /// choices, RFC 3339.
    pub last_changed: String,
    /// When the evaluation was completed (the latest answer), RFC 3339.
    pub evaluated_at: Option<String>,
    /// The sessions of counted claims without a door scan where scans were
    /// taken.
    pub without_scan: HashSet<String>,
}

impl Learner {
    /// What the certificate of this attendee says, by the same rules.
    pub fn award(&self, config: &Config) -> Award {
        award(
            config,
            Standing {
                profession: self.attendee.as_ref().map(|a| a.profession),
                chosen: self.codes,
                moc_consent: self.moc_consent,
                pharm_role: self.pharm_role.as_deref(),
            },
            &self.claims,
        )
    }
}

/// A value people typed (a name, an e-mail, an id), made safe to open in a
/// spreadsheet: one starting with `=`, `+`, `-`, `@` or a tab or carriage
/// return would be run as a formula, so it gets a leading apostrophe, which
/// spreadsheets show as text (OWASP's advice on CSV injection). Values the
/// hub computes (credits, dates, days left) are written as they are.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

fn writer(tab: bool) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(if tab { b'\t' } else { b',' })
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

/// The learners in badge order, so a report reads the same every time.
fn in_order(learners: &HashMap<String, Learner>) -> Vec<(&String, &Learner)> {
    let mut all: Vec<(&String, &Learner)> = learners.iter().collect();
    all.sort_by_key(|(badge, _)| *badge);
    all
}

/// Days from `from` (a date) to `today`, counted off a window of `window`
/// days: what is left before the receiving system refuses the record.
pub fn days_left(from: jiff::civil::Date, today: jiff::civil::Date, window: i64) -> i64 {
    window - i64::from((today - from).get_days())
}

pub fn credits(config: &Config, learners: &HashMap<String, Learner>) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(CREDITS_COLUMNS)?;
    for (badge, l) in in_order(learners) {
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        let (cert, issued) = l.certificate.clone().unwrap_or_default();
        let technician = l.pharm_role.as_deref() == Some("technician");
        for (code, q) in l.award(config).totals {
            // The unscanned sessions that carry this row's credit type.
            let unscanned: Vec<&str> = l
                .claims
                .iter()
                .map(|c| &c.session)
                .filter(|s| l.without_scan.contains(&s.session_id))
                .filter(|s| {
                    eligible_for(s.credit_types, &s.acpe_uan, technician).contains(code.follows())
                })
                .map(|s| s.session_id.as_str())
                .collect();
            w.write_record([
                &cell(&a.badge_id),
                &cell(&a.first_name),
                &cell(&a.last_name),
                &cell(&a.degree),
                a.profession.as_str(),
                &cell(&a.email),
                code.as_str(),
                &format_quarters(q),
                &cert,
                &issued,
                &l.last_changed,
                &cell(&unscanned.join(";")),
            ])?;
        }
    }
    Ok(finish(w))
}

trait OrBadge {
    fn unwrap_or_default_for(self, badge: &str) -> AttendeeRow;
}

impl OrBadge for Option<AttendeeRow> {
    fn unwrap_or_default_for(self, badge: &str) -> AttendeeRow {
        self.unwrap_or(AttendeeRow {
            badge_id: badge.to_string(),
            first_name: String::new(),
            last_name: String::new(),
            degree: String::new(),
            profession: Profession::Other,
            email: String::new(),
        })
    }
}

/// One row per UAN behind the certificate's ACPE hours, each once, with
/// the suffix of the attendee's role: exactly what NABP will credit.
pub fn cpe_monitor(
    config: &Config,
    learners: &HashMap<String, Learner>,
    today: jiff::civil::Date,
) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(CPE_COLUMNS)?;
    for (badge, l) in in_order(learners) {
        let Some(epid) = &l.epid else {
            continue;
        };
        let award = l.award(config);
        if !award.codes.contains(CreditCode::ACPE) {
            continue;
        }
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        for u in &award.uans {
            let left = u
                .date
                .parse::<jiff::civil::Date>()
                .map(|d| days_left(d, today, CPE_DEADLINE_DAYS))
                .unwrap_or(CPE_DEADLINE_DAYS);
            w.write_record([
                config.event.acpe_provider_number.as_str(),
                &cell(epid),
                &cell(l.birth_mmdd.as_deref().unwrap_or("")),
                &u.uan,
                &u.date,
                &format_quarters(u.hours),
                &left.to_string(),
                &cell(&a.first_name),
                &cell(&a.last_name),
                &cell(badge),
            ])?;
        }
    }
    Ok(finish(w))
}

/// An RFC 3339 time's date in the event's zone.
fn local_date(config: &Config, t: &str) -> Option<jiff::civil::Date> {
    t.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.to_zoned_datetime(config.tz.clone()).date())
}

/// The date a learner completed the activity for PARS, from which the
/// boards' 30 days run: when both the evaluation and the latest counted
/// claim were done.
pub fn pars_completed(config: &Config, l: &Learner, award: &Award) -> Option<jiff::civil::Date> {
    [l.evaluated_at.as_deref(), award.last_claim.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|t| local_date(config, t))
        .max()
}

/// ACCME PARS: one row per consenting physician with MOC points, for the
/// activity as a whole. `since` marks the rows changed on or after it.
pub fn pars(
    config: &Config,
    learners: &HashMap<String, Learner>,
    tab: bool,
    today: jiff::civil::Date,
    since: Option<jiff::civil::Date>,
) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(tab);
    w.write_record(PARS_COLUMNS.iter().chain(&PARS_EXTRA_COLUMNS))?;
    let local_date = |t: &str| local_date(config, t);
    for (badge, l) in in_order(learners) {
        let award = l.award(config);
        if !award.codes.contains(CreditCode::MOC) {
            continue;
        }
        let (ama, moc) = (award.get(CreditCode::AMA), award.get(CreditCode::MOC));
        if moc == 0 {
            continue;
        }
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        let completed = pars_completed(config, l, &award);
        let left = completed
            .map(|d| days_left(d, today, PARS_DEADLINE_DAYS).to_string())
            .unwrap_or_default();
        let changed = match since {
            Some(since) => {
                let at = local_date(&l.last_changed);
                if at.is_some_and(|d| d >= since) {
                    "yes"
                } else {
                    "no"
                }
            }
            None => "",
        };
        let dob = l
            .birth_mmdd
            .as_deref()
            .filter(|m| m.len() == 4)
            .map(|m| format!("{}/{}", &m[..2], &m[2..]))
            .unwrap_or_default();
        w.write_record([
            "Add",
            config.event.accme_activity_id.as_str(),
            &completed
                .map(|d| d.strftime("%m/%d/%Y").to_string())
                .unwrap_or_default(),
            &cell(&a.first_name),
            &cell(&a.last_name),
            &dob,
            "",
            "",
            &format_quarters(ama),
            "ABIM",
            &cell(l.abim_id.as_deref().unwrap_or("")),
            &format_quarters(moc),
            "AMA PRA Category 1 Credit",
            &format_quarters(ama),
            &left,
            changed,
        ])?;
    }
    Ok(finish(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_would_be_a_formula_is_written_as_text() {
        let config = Config::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config"))
            .expect("the demo config");
        let mut learners = HashMap::new();
        learners.insert(
            "W1".to_string(),
            Learner {
                attendee: Some(AttendeeRow {
                    badge_id: "W1".into(),
                    first_name: "=HYPERLINK(\"http://x.example\",\"click\")".into(),
                    last_name: "-Smith".into(),
                    degree: "MD".into(),
                    profession: Profession::Physician,
                    email: "@home".into(),
                }),
                claims: vec![Claimed {
                    session: crate::records::SessionRow {
                        session_id: "S1".into(),
                        credits: 4,
                        credit_types: CodeSet::parse_list("AMA").unwrap(),
                        starts_at: "2026-11-23T09:00".into(),
                        ends_at: "2026-11-23T10:00".into(),
                        title: "Session".into(),
                        track: String::new(),
                        room: String::new(),
                        acpe_uan: String::new(),
                    },
                    credits: 4,
                    claimed_at: "2026-11-23T17:00:00Z".into(),
                }],
                codes: Some(CodeSet::parse_list("AMA").unwrap()),
                ..Learner::default()
            },
        );
        let text = String::from_utf8(credits(&config, &learners).unwrap()).unwrap();
        let row = text.lines().nth(1).expect("a row");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let fields: Vec<String> = r
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            fields[1], "'=HYPERLINK(\"http://x.example\",\"click\")",
            "{row}"
        );
        assert_eq!(fields[2], "'-Smith");
        assert_eq!(fields[3], "MD");
        assert_eq!(fields[5], "'@home");
        assert_eq!(fields[7], "1", "credits are written as they are: {row}");
        assert_eq!(cell("Okafor"), "Okafor");
    }
}
