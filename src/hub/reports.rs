//! The CE office's reports. The column lists live here, one constant each,
//! so they are easy to check against the receiving systems' current
//! templates before an event.

use std::collections::HashMap;

use crate::config::Config;
use crate::domain::{CodeSet, CreditCode, Profession, Quarters, format_quarters};
use crate::store::{AttendeeRow, SessionRow};

use super::certificate::{awarded, codes_of};

pub const CREDITS_COLUMNS: [&str; 11] = [
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

/// NABP refuses uploads this many days after participation.
pub const CPE_DEADLINE_DAYS: i64 = 60;

/// Everything the reports need about one attendee.
#[derive(Debug, Clone, Default)]
pub struct Learner {
    pub attendee: Option<AttendeeRow>,
    pub claims: Vec<(SessionRow, Quarters)>,
    pub codes: Option<CodeSet>,
    pub epid: Option<String>,
    pub birth_mmdd: Option<String>,
    pub pharm_role: Option<String>,
    pub moc_consent: bool,
    pub abim_id: Option<String>,
    pub certificate: Option<(String, String)>,
    pub last_changed: String,
    /// When the evaluation was completed (the latest answer), RFC 3339.
    pub evaluated_at: Option<String>,
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

pub fn credits(config: &Config, learners: &HashMap<String, Learner>) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(CREDITS_COLUMNS)?;
    let mut badges: Vec<&String> = learners.keys().collect();
    badges.sort();
    for badge in badges {
        let l = &learners[badge];
        let profession = l.attendee.as_ref().map(|a| a.profession);
        let mut codes = codes_of(config, profession, l.codes);
        if !l.moc_consent {
            codes.remove(CreditCode::MOC);
        }
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        let (cert, issued) = l.certificate.clone().unwrap_or_default();
        for (code, q) in awarded(config, codes, &l.claims) {
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

pub fn cpe_monitor(
    config: &Config,
    learners: &HashMap<String, Learner>,
    today: jiff::civil::Date,
) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(CPE_COLUMNS)?;
    let mut badges: Vec<&String> = learners.keys().collect();
    badges.sort();
    for badge in badges {
        let l = &learners[badge];
        let takes_acpe = l.codes.is_some_and(|c| c.contains(CreditCode::ACPE));
        let (Some(epid), true) = (&l.epid, takes_acpe) else {
            continue;
        };
        let technician = l.pharm_role.as_deref() == Some("technician");
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        for (s, _) in &l.claims {
            if !s.credit_types.contains(CreditCode::ACPE) {
                continue;
            }
            let date = s.starts_at.get(..10).unwrap_or("");
            let days_left = date
                .parse::<jiff::civil::Date>()
                .ok()
                .and_then(|d| today.since(d).ok())
                .map(|span| CPE_DEADLINE_DAYS - i64::from(span.get_days()))
                .unwrap_or(CPE_DEADLINE_DAYS);
            for uan in s
                .acpe_uan
                .split(';')
                .map(str::trim)
                .filter(|u| !u.is_empty())
            {
                let fits =
                    uan.ends_with("-B") || uan.ends_with(if technician { "-T" } else { "-P" });
                if !fits {
                    continue;
                }
                w.write_record([
                    config.event.acpe_provider_number.as_str(),
                    &cell(epid),
                    &cell(l.birth_mmdd.as_deref().unwrap_or("")),
                    uan,
                    date,
                    &format_quarters(s.credits),
                    &days_left.to_string(),
                    &cell(&a.first_name),
                    &cell(&a.last_name),
                    &cell(badge),
                ])?;
            }
        }
    }
    Ok(finish(w))
}

pub fn pars(
    config: &Config,
    learners: &HashMap<String, Learner>,
    tab: bool,
) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(tab);
    w.write_record(PARS_COLUMNS)?;
    let mut badges: Vec<&String> = learners.keys().collect();
    badges.sort();
    for badge in badges {
        let l = &learners[badge];
        let codes = match l.codes {
            Some(c) if l.moc_consent && c.contains(CreditCode::MOC) => c,
            _ => continue,
        };
        let totals = awarded(config, codes, &l.claims);
        let get = |code| {
            totals
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, q)| *q)
                .unwrap_or(0)
        };
        let (ama, moc) = (get(CreditCode::AMA), get(CreditCode::MOC));
        if moc == 0 {
            continue;
        }
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        let completed = l
            .evaluated_at
            .as_deref()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| {
                t.to_zoned_datetime(config.tz.clone())
                    .strftime("%m/%d/%Y")
                    .to_string()
            })
            .unwrap_or_default();
        let dob = l
            .birth_mmdd
            .as_deref()
            .filter(|m| m.len() == 4)
            .map(|m| format!("{}/{}", &m[..2], &m[2..]))
            .unwrap_or_default();
        w.write_record([
            "Add",
            config.event.accme_activity_id.as_str(),
            &completed,
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
                claims: vec![(
                    SessionRow {
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
                    4,
                )],
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
