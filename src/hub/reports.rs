//! The CE office's reports: the upload files PARS and CPE Monitor take as
//! they are, the corrections after a file was marked as uploaded, the
//! deadlines beside them, and the office's own lists (credits, held).
//! Each column list lives here, one constant each, with where it comes
//! from, so it is easy to check against the receiving systems' current
//! templates before an event.
//!
//! An upload file holds the receiving system's columns and nothing else.
//! What the hub last sent is kept per row ([`SentRows`]); the next file
//! holds what changed since ([`changes`]): a new row as an Add, a changed
//! one as a Delete of the row as sent and then an Add, a row that is gone
//! as a Delete alone.

use std::collections::{BTreeMap, HashMap};

use super::award::{Award, Choices, award};
use super::db::{FileRow, Learner, RowAction, Sent, SentRows, System};
use crate::config::Config;
use crate::domain::credits::eligible_for;
use crate::domain::ids::{validate_abim_id, validate_epid, validate_mmdd};
use crate::domain::{CreditCode, Profession, format_quarters, sanitize};
use crate::import::{ATTENDEE_COLUMNS, joined};
use crate::records::AttendeeRow;

/// SPEC section 7's columns, then `no_door_scan`: the sessions behind the
/// row's credit that the attendee claimed without a door scan where scans
/// were taken (`;`-separated; flagged, not refused: `hub::db::WITHOUT_SCAN`).
pub const CREDITS_COLUMNS: [&str; 12] = joined(
    ATTENDEE_COLUMNS,
    [
        "credit_type",
        "credits",
        "certificate_id",
        "issued",
        "last_changed",
        "no_door_scan",
    ],
);

/// NABP CPE Monitor: the fields of a provider's submission for one
/// participant and one UAN, and nothing of ours.
///
/// Source: ACPE, "CPE Monitor Technical Specifications" (last modified
/// 15 October 2020; earlier versions 28 August 2013 and 30 November 2017)
/// is ACPE's specification for providers' submissions. Only its contents
/// page could be read in the public copies found, so the field names and
/// the action code follow the closest public description: the same
/// submission as ACPE's CPE Monitor web service takes it
/// (`SubmitCPEActivity`: provider_number, epid, date_of_birth as MMDD,
/// uan, date_of_participation as YYYY-MM-DD, action, where `I` inserts a
/// record), as a provider's integration calls it (read 2026). `D` deletes
/// the record as sent; a correction is a `D` then an `I`. Credit hours are
/// not sent: NABP takes them from the UAN's registration.
pub const CPE_COLUMNS: [&str; 6] = [
    "provider_number",
    "epid",
    "date_of_birth",
    "uan",
    "date_of_participation",
    "action",
];

/// ACCME PARS learner upload (CME + MOC), in the template's column order.
///
/// Source: ACCME, "Excel Template Instructions for Submitting Learner
/// Completion Data" (accme.org, 19 November 2025), whose template is
/// `917_20240125_Learner_Excel_CME_MOC_Template.xlsx` (25 January 2024):
/// its header row, as a public reading of that file gives it (read 2026),
/// is these fourteen columns, and the template goes on with optional
/// "Additional Credit Type" columns for a second board credit type, which
/// a learner of this activity never has (one type, below). `CurrentRow
/// RowAction` is Add or Delete (a Delete names the row as it was sent); the
/// date of birth is month and day only; `Credit Type` is the board's
/// credit type the learner earned and `Credits Awarded for Credit Type`
/// its points (for ABIM, Medical Knowledge: CME for MOC at a live meeting
/// earns Medical Knowledge points), so they add up to `Total Board
/// Credits`. The older tab-delimited route (ACCME's "PARS Participant Tab
/// Delimited File Upload Instructions, Learner Template B", 23 April
/// 2020) takes the same columns, which `pars.tsv` has.
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

/// The board credit type every MOC point of this activity is (see
/// [`PARS_COLUMNS`]).
pub const ABIM_CREDIT_TYPE: &str = "Medical Knowledge";

/// ACCME's learner pre-validation: the learners to check against the
/// boards' records before the real upload.
///
/// Source: ACCME links a pre-validation template from the Excel
/// instructions above (19 November 2025); the template itself could not
/// be read. These are the learner fields the boards match a record on,
/// named as in the learner template, which is the closest public
/// description: board, board ID, name and date of birth (mm/dd).
pub const PREVALIDATION_COLUMNS: [&str; 5] = [
    "Certifying Board",
    "Certifying Board ID",
    "First Name",
    "Last Name",
    "Date of Birth",
];

/// Ours, beside the upload files: each record's window and whether it was
/// sent, and what keeps a value out of the files.
pub const DEADLINES_COLUMNS: [&str; 11] = [
    "system",
    "badge_id",
    "first_name",
    "last_name",
    "record",
    "from",
    "due",
    "days_left",
    "sent",
    "changed_since_sent",
    "problem",
];

/// What the hub keeps but does not count, with the reason.
pub const HELD_COLUMNS: [&str; 6] = ["badge_id", "name", "what", "kiosk_id", "at", "reason"];

/// NABP refuses uploads this many days after participation.
pub const CPE_DEADLINE_DAYS: i64 = 60;
/// Boards expect a PARS record within this many days of completion, and
/// by 31 December for that year's requirements.
pub const PARS_DEADLINE_DAYS: i64 = 30;

pub fn held(rows: &[super::db::HeldClaim]) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(HELD_COLUMNS)?;
    for h in rows {
        let reason = h.reason.to_string();
        guarded(
            &mut w,
            [&h.badge_id, &h.name, &h.what, &h.kiosk_id, &h.at, &reason],
        )?;
    }
    Ok(finish(w))
}

impl Learner {
    /// What the certificate of this attendee says, by the same rules.
    pub fn award(&self, config: &Config) -> Award {
        award(
            config,
            Choices {
                profession: self.attendee.as_ref().map(|a| a.profession),
                chosen: self.codes,
                moc_consent: self.moc_consent,
                pharm_role: self.pharm_role.as_deref(),
            },
            &self.claims,
        )
    }
}

/// A value made safe to open in a spreadsheet: one starting with `=`,
/// `+`, `-`, `@` or a tab or carriage return would be run as a formula, so
/// it gets a leading apostrophe, which spreadsheets show as text (OWASP's
/// advice on CSV injection). Every cell of every report goes through it;
/// the values the hub computes (credits, dates) never start so.
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

/// Writes a row with every cell through [`cell`].
fn guarded<S: AsRef<str>>(
    w: &mut csv::Writer<Vec<u8>>,
    row: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    let cells: Vec<String> = row
        .into_iter()
        .map(|v| cell(v.as_ref()).into_owned())
        .collect();
    w.write_record(&cells)
}

/// The learners in badge order, so a report reads the same every time.
fn in_order(learners: &HashMap<String, Learner>) -> Vec<(&String, &Learner)> {
    let mut all: Vec<(&String, &Learner)> = learners.iter().collect();
    all.sort_by_key(|(badge, _)| *badge);
    all
}

/// Days from `today` to `due`: what is left before the receiving system
/// refuses the record (negative once it is late).
pub fn days_left(due: jiff::civil::Date, today: jiff::civil::Date) -> i64 {
    i64::from((due - today).get_days())
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
            guarded(
                &mut w,
                [
                    a.badge_id.as_str(),
                    &a.first_name,
                    &a.last_name,
                    &a.degree,
                    a.profession.as_str(),
                    &a.email,
                    code.as_str(),
                    &format_quarters(q),
                    &cert,
                    &issued,
                    &l.last_changed,
                    &unscanned.join(";"),
                ],
            )?;
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

/// One row the receiving system keeps, as the hub would send it now:
/// its fields without the action, as values (the formula guard is the
/// writer's), and what the office sees of it beside the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentRow {
    pub system: System,
    /// What the receiving system knows the row by: the learner (PARS), the
    /// learner and UAN (CPE Monitor).
    pub key: String,
    pub badge_id: String,
    pub first_name: String,
    pub last_name: String,
    pub fields: Vec<String>,
    /// The UAN, or the MOC points.
    pub what: String,
    /// The date the receiving system's window runs from.
    pub from: Option<jiff::civil::Date>,
    pub due: Option<jiff::civil::Date>,
    /// Why a value is missing from the row (the office must fix it).
    pub problem: Option<String>,
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

/// When the boards want a PARS record: 30 days after completion, and by
/// 31 December of the completion's year, whichever comes first.
pub fn pars_due(completed: jiff::civil::Date) -> jiff::civil::Date {
    let thirty = completed
        .checked_add(jiff::Span::new().days(PARS_DEADLINE_DAYS))
        .unwrap_or(completed);
    let year_end = jiff::civil::Date::new(completed.year(), 12, 31).unwrap_or(completed);
    thirty.min(year_end)
}

/// An RFC 3339 time's date in the event's zone.
fn local_date(config: &Config, t: &str) -> Option<jiff::civil::Date> {
    t.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.to_zoned_datetime(config.tz.clone()).date())
}

/// A stored value for a file: control characters out (a tab would split a
/// TSV row), trimmed.
fn value(s: &str) -> String {
    sanitize(s).trim().to_string()
}

/// The birth month and day as stored, checked: `None` with the reason
/// when it is not a real MMDD (it then goes out empty, never sliced).
fn birth(l: &Learner) -> Result<String, String> {
    let stored = l.birth_mmdd.as_deref().unwrap_or("");
    validate_mmdd(stored).map_err(|e| {
        format!(
            "birth month/day '{}' is not a real MMDD ({e}); the date of birth goes out empty",
            value(stored)
        )
    })
}

/// One PARS row per physician who consented to MOC and earned points, for
/// the activity as a whole: the AMA total and the MOC points exactly as
/// on the certificate.
pub fn pars_records(config: &Config, learners: &HashMap<String, Learner>) -> Vec<CurrentRow> {
    let mut out = Vec::new();
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
        let mut problems = Vec::new();
        let dob = match birth(l) {
            Ok(mmdd) => format!("{}/{}", &mmdd[..2], &mmdd[2..]),
            Err(m) => {
                problems.push(m);
                String::new()
            }
        };
        let abim = l.abim_id.as_deref().unwrap_or("");
        if let Err(e) = validate_abim_id(abim) {
            problems.push(format!(
                "ABIM ID '{}' is not one ({e}); PARS will refuse the row",
                value(abim)
            ));
        }
        if completed.is_none() {
            problems.push("no completion date: no evaluation or claim time reads as one".into());
        }
        out.push(CurrentRow {
            system: System::Pars,
            key: badge.clone(),
            badge_id: badge.clone(),
            first_name: value(&a.first_name),
            last_name: value(&a.last_name),
            fields: vec![
                config.event.accme_activity_id.clone(),
                completed
                    .map(|d| d.strftime("%m/%d/%Y").to_string())
                    .unwrap_or_default(),
                value(&a.first_name),
                value(&a.last_name),
                dob,
                String::new(),
                String::new(),
                format_quarters(ama),
                "ABIM".into(),
                value(abim),
                format_quarters(moc),
                ABIM_CREDIT_TYPE.into(),
                format_quarters(moc),
            ],
            what: format!(
                "{} MOC points, {} AMA credits",
                format_quarters(moc),
                format_quarters(ama)
            ),
            from: completed,
            due: completed.map(pars_due),
            problem: (!problems.is_empty()).then(|| problems.join("; ")),
        });
    }
    out
}

/// One CPE Monitor row per UAN behind a pharmacist's (or technician's)
/// ACPE hours, each once: exactly the UANs the certificate lists.
pub fn cpe_records(config: &Config, learners: &HashMap<String, Learner>) -> Vec<CurrentRow> {
    let mut out = Vec::new();
    for (badge, l) in in_order(learners) {
        let award = l.award(config);
        if !award.codes.contains(CreditCode::ACPE) || award.uans.is_empty() {
            continue;
        }
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        let mut problems = Vec::new();
        let dob = birth(l).unwrap_or_else(|m| {
            problems.push(m);
            String::new()
        });
        let epid = l.epid.as_deref().unwrap_or("");
        if let Err(e) = validate_epid(epid) {
            problems.push(format!(
                "NABP e-Profile ID '{}' is not one ({e}); CPE Monitor will refuse the row",
                value(epid)
            ));
        }
        let problem = (!problems.is_empty()).then(|| problems.join("; "));
        for u in &award.uans {
            let date = u.date.parse::<jiff::civil::Date>().ok();
            out.push(CurrentRow {
                system: System::CpeMonitor,
                key: format!("{badge} {}", u.uan),
                badge_id: badge.clone(),
                first_name: value(&a.first_name),
                last_name: value(&a.last_name),
                fields: vec![
                    config.event.acpe_provider_number.clone(),
                    value(epid),
                    dob.clone(),
                    u.uan.clone(),
                    u.date.clone(),
                ],
                what: u.uan.clone(),
                from: date,
                due: date.and_then(|d| {
                    d.checked_add(jiff::Span::new().days(CPE_DEADLINE_DAYS))
                        .ok()
                }),
                problem: problem.clone(),
            });
        }
    }
    out
}

/// What the next file holds: every current row as an Add when `all`, else
/// what changed since the rows in `sent`: a new row as an Add, a changed
/// row as a Delete of the row as sent then an Add of the new one, a row
/// that is gone as a Delete alone. In key order.
pub fn changes(current: &[CurrentRow], sent: &SentRows, all: bool) -> Vec<FileRow> {
    let now: BTreeMap<&str, &CurrentRow> = current.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut keys: Vec<&str> = now.keys().copied().collect();
    if !all {
        keys.extend(
            sent.keys()
                .map(String::as_str)
                .filter(|k| !now.contains_key(k)),
        );
        keys.sort_unstable();
    }
    let mut out = Vec::new();
    for key in keys {
        let add = |r: &CurrentRow| FileRow {
            action: RowAction::Add,
            key: r.key.clone(),
            badge_id: r.badge_id.clone(),
            fields: r.fields.clone(),
        };
        let delete = |s: &Sent, badge: &str| FileRow {
            action: RowAction::Delete,
            key: key.to_string(),
            badge_id: badge.to_string(),
            fields: s.fields.clone(),
        };
        match (sent.get(key).filter(|_| !all), now.get(key)) {
            (None, Some(r)) => out.push(add(r)),
            (Some(s), Some(r)) if s.fields != r.fields => {
                out.push(delete(s, &r.badge_id));
                out.push(add(r));
            }
            (Some(_), Some(_)) | (None, None) => {}
            (Some(s), None) => {
                let badge = key.split(' ').next().unwrap_or(key);
                out.push(delete(s, badge));
            }
        }
    }
    out
}

/// The file formats of the PARS learner upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Tsv,
    Csv,
}

/// The PARS learner upload: the template's columns, one row per change.
pub fn pars_file(rows: &[FileRow], format: Format) -> anyhow::Result<Vec<u8>> {
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|c| {
            std::iter::once(System::Pars.word(c.action).to_string())
                .chain(c.fields.iter().cloned())
                .collect()
        })
        .collect();
    match format {
        Format::Xlsx => xlsx(
            "Learners",
            &PARS_COLUMNS,
            &lines,
            &PARS_NUMBERS,
            Some(PARS_COMPLETION),
        ),
        Format::Tsv | Format::Csv => {
            let mut w = writer(format == Format::Tsv);
            w.write_record(PARS_COLUMNS)?;
            for l in &lines {
                guarded(&mut w, l)?;
            }
            Ok(finish(w))
        }
    }
}

/// The PARS columns that hold numbers, written as numbers in the workbook.
const PARS_NUMBERS: [usize; 3] = [8, 11, 13];
/// The PARS column that holds the completion date (mm/dd/yyyy).
const PARS_COMPLETION: usize = 2;

/// The CPE Monitor upload: the submission's fields, the action last.
pub fn cpe_file(rows: &[FileRow]) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(CPE_COLUMNS)?;
    for c in rows {
        guarded(
            &mut w,
            c.fields
                .iter()
                .map(String::as_str)
                .chain([System::CpeMonitor.word(c.action)]),
        )?;
    }
    Ok(finish(w))
}

/// ACCME's pre-validation: every consenting physician with an ABIM ID,
/// whether or not they have points yet, to check before the upload.
pub fn prevalidation(
    config: &Config,
    learners: &HashMap<String, Learner>,
) -> anyhow::Result<Vec<u8>> {
    let mut lines = Vec::new();
    for (badge, l) in in_order(learners) {
        if !l.award(config).codes.contains(CreditCode::MOC) {
            continue;
        }
        let a = l.attendee.clone().unwrap_or_default_for(badge);
        let dob = birth(l)
            .map(|m| format!("{}/{}", &m[..2], &m[2..]))
            .unwrap_or_default();
        lines.push(vec![
            "ABIM".to_string(),
            value(l.abim_id.as_deref().unwrap_or("")),
            value(&a.first_name),
            value(&a.last_name),
            dob,
        ]);
    }
    xlsx("Learners", &PREVALIDATION_COLUMNS, &lines, &[], None)
}

/// A one-sheet workbook: the header, then the rows as text through the
/// formula guard, except the columns in `numbers` (numbers) and `date`
/// (an mm/dd/yyyy date, as the template's date cells are).
fn xlsx(
    sheet: &str,
    header: &[&str],
    rows: &[Vec<String>],
    numbers: &[usize],
    date: Option<usize>,
) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{ExcelDateTime, Format as Style, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Style::new().set_bold();
    let day = Style::new().set_num_format("mm/dd/yyyy");
    for (c, h) in header.iter().enumerate() {
        let col = u16::try_from(c)?;
        ws.write_string_with_format(0, col, *h, &bold)?;
        ws.set_column_width(col, (h.len() + 2).max(12) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        let at = u32::try_from(r + 1)?;
        for (c, v) in row.iter().enumerate() {
            let col = u16::try_from(c)?;
            let number = numbers
                .contains(&c)
                .then(|| v.parse::<f64>().ok())
                .flatten();
            let when = (date == Some(c))
                .then(|| {
                    let d = jiff::civil::Date::strptime("%m/%d/%Y", v).ok()?;
                    ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).ok()?,
                        u8::try_from(d.month()).ok()?,
                        u8::try_from(d.day()).ok()?,
                    )
                    .ok()
                })
                .flatten();
            if let Some(n) = number {
                ws.write_number(at, col, n)?;
            } else if let Some(d) = when {
                ws.write_datetime_with_format(at, col, &d, &day)?;
            } else if !v.is_empty() {
                ws.write_string(at, col, cell(v))?;
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

/// A record with its window and what was sent of it, for the Deadlines
/// page and `deadlines.csv`.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub record: CurrentRow,
    pub days_left: Option<i64>,
    /// When the row as it stands now was sent (RFC 3339), if it was.
    pub sent: Option<String>,
    /// The row was sent, and has changed since: the next file corrects it.
    pub changed: bool,
}

/// Every record of both systems with its days left, soonest due first
/// (those without a date last), and whether it was sent as it stands.
pub fn deadlines(
    records: Vec<CurrentRow>,
    sent: &HashMap<System, SentRows>,
    today: jiff::civil::Date,
) -> Vec<Deadline> {
    let empty = SentRows::new();
    let mut out: Vec<Deadline> = records
        .into_iter()
        .map(|r| {
            let was = sent.get(&r.system).unwrap_or(&empty).get(&r.key);
            Deadline {
                days_left: r.due.map(|d| days_left(d, today)),
                sent: was.filter(|s| s.fields == r.fields).map(|s| s.at.clone()),
                changed: was.is_some_and(|s| s.fields != r.fields),
                record: r,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.days_left.is_none(),
            a.days_left,
            &a.record.badge_id,
            &a.record.what,
        )
            .cmp(&(
                b.days_left.is_none(),
                b.days_left,
                &b.record.badge_id,
                &b.record.what,
            ))
    });
    out
}

pub fn deadlines_csv(rows: &[Deadline]) -> anyhow::Result<Vec<u8>> {
    let mut w = writer(false);
    w.write_record(DEADLINES_COLUMNS)?;
    for d in rows {
        let r = &d.record;
        let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        guarded(
            &mut w,
            [
                r.system.as_str().to_string(),
                r.badge_id.clone(),
                r.first_name.clone(),
                r.last_name.clone(),
                r.what.clone(),
                date(r.from),
                date(r.due),
                d.days_left.map(|n| n.to_string()).unwrap_or_default(),
                d.sent.clone().unwrap_or_default(),
                if d.changed { "yes" } else { "no" }.to_string(),
                r.problem.clone().unwrap_or_default(),
            ],
        )?;
    }
    Ok(finish(w))
}

#[cfg(test)]
mod tests;
