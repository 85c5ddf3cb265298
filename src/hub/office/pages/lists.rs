//! The office's lists: held records with their reasons and what would
//! release each, the PARS and CPE Monitor deadlines soonest first with
//! what was sent of them, the report downloads with the marks that a file
//! was uploaded, and the audit of what accounts did.

use super::{attendee_link, esc, local, table, td, td_html};
use crate::hub::db::{AuditLine, HeldClaim, Submission};
use crate::hub::db::{RowAction, System};
use crate::hub::held::HeldReason;
use crate::hub::office::Figures;
use crate::hub::reports::{CPE_DEADLINE_DAYS, Deadline, PARS_DEADLINE_DAYS};

/// Rows shown on one page of a long list; the reports hold them all.
pub const SHOWN: usize = 500;

/// What would make a held claim count, or a record be read.
pub fn release(reason: &HeldReason) -> &'static str {
    match reason {
        HeldReason::SessionNotInCatalog { .. } => {
            "Import the session at the hub (cekiosk hub import sessions FILE): the claim then counts by itself."
        }
        HeldReason::AttendeeNotOnRoster { .. } => {
            "Import the attendee at the hub (cekiosk hub import attendees FILE), or sync the kiosk that registered them as a walk-in: the claim then counts by itself."
        }
        HeldReason::OverDesignation { .. } => {
            "The session's designation is now below the claim: restore it in the catalog if it was lowered by mistake; otherwise void the claim, and the attendee may claim again at a kiosk."
        }
        HeldReason::NotEnded { .. } => {
            "If the session's times in the catalog are wrong, import the corrected catalog and the claim counts; otherwise void it."
        }
        HeldReason::SequenceConflict { .. } => {
            "Nothing to do at the hub: run cekiosk sync on that kiosk; it sends its records again under a new device id."
        }
        HeldReason::SharedUan { .. }
        | HeldReason::AcpePartial { .. }
        | HeldReason::AcpeSimultaneous { .. }
        | HeldReason::AcpeOverMaximum => {
            "The ACPE rules keep it out of the ACPE hours; its other credit counts. Nothing to do at the hub."
        }
        HeldReason::NotRead { .. } => {
            "The record could not be read and is kept as it came; the attendee can claim again at a kiosk."
        }
        HeldReason::Unrecognised { .. } => {
            "This hub's build does not know the reason: run the same cekiosk version as the one that migrated the database."
        }
    }
}

pub fn held(rows: &[HeldClaim], at: &str, tz: &jiff::tz::TimeZone) -> String {
    if rows.is_empty() {
        return format!(
            "<p class=note>As of {}.</p><section><p class=ok role=status>Nothing is held: every claim the hub holds counts.</p></section>",
            esc(at)
        );
    }
    let lines: Vec<(String, Vec<String>)> = rows
        .iter()
        .take(SHOWN)
        .map(|h| {
            let who = if h.badge_id.is_empty() {
                "—".to_string()
            } else {
                attendee_link(&h.badge_id, &h.name)
            };
            (
                "warn".to_string(),
                vec![
                    td_html(who),
                    td(&h.what),
                    td(&h.kiosk_id),
                    td(&local(&h.at, tz)),
                    td(&h.reason.to_string()),
                    td(release(&h.reason)),
                ],
            )
        })
        .collect();
    format!(
        "<p class=note>As of {}; <code>cekiosk hub held</code> and held.csv list them as they are now.</p>\
<section><p role=status>{} held. {}</p>{}<p><a href=\"/reports/held.csv\">Download all as held.csv</a></p></section>",
        esc(at),
        rows.len(),
        if rows.len() > SHOWN {
            format!("The oldest {SHOWN} are shown.")
        } else {
            String::new()
        },
        table(
            "Held claims and records not read",
            &[
                "Attendee",
                "What",
                "Kiosk",
                "Recorded",
                "Why it is held",
                "What would release it"
            ],
            &lines
        )
    )
}

fn deadline_table(caption: &str, what: &str, rows: &[Deadline], tz: &jiff::tz::TimeZone) -> String {
    let lines: Vec<(String, Vec<String>)> = rows
        .iter()
        .take(SHOWN)
        .map(|d| {
            let r = &d.record;
            let class = match d.days_left {
                _ if r.problem.is_some() => "bad",
                Some(n) if n < 0 => "bad",
                Some(n) if n <= 7 => "warn",
                _ => "",
            };
            let left = match d.days_left {
                Some(n) if n < 0 => format!("<b>{} days late</b>", -n),
                Some(n) => n.to_string(),
                None => "—".into(),
            };
            let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
            let sent = match (&d.sent, d.changed) {
                (Some(at), _) => format!("sent {}", local(at, tz)),
                (None, true) => "changed since sent: the next file corrects it".into(),
                (None, false) => "not sent yet".into(),
            };
            (
                class.to_string(),
                vec![
                    td_html(left),
                    td(&date(r.due)),
                    td(&date(r.from)),
                    td_html(attendee_link(
                        &r.badge_id,
                        &format!("{} {}", r.first_name, r.last_name),
                    )),
                    td(&r.what),
                    td(&sent),
                    td(r.problem.as_deref().unwrap_or("")),
                ],
            )
        })
        .collect();
    let more = if rows.len() > SHOWN {
        format!(
            "<p class=note>The soonest {SHOWN} of {} are shown; deadlines.csv holds them all.</p>",
            rows.len()
        )
    } else {
        String::new()
    };
    format!(
        "{more}{}",
        table(
            caption,
            &[
                "Days left#",
                "Due",
                "From",
                "Attendee",
                what,
                "Sent",
                "Cannot be reported as it stands"
            ],
            &lines
        )
    )
}

/// The records a value keeps out of the files, for the office to fix.
fn problems(f: &Figures) -> String {
    let bad: Vec<&Deadline> = f
        .pars
        .iter()
        .chain(&f.cpe)
        .filter(|d| d.record.problem.is_some())
        .collect();
    if bad.is_empty() {
        return String::new();
    }
    let mut seen = std::collections::BTreeSet::new();
    let items: String = bad
        .iter()
        .filter(|d| seen.insert((d.record.system, d.record.badge_id.clone())))
        .take(SHOWN)
        .map(|d| {
            format!(
                "<li>{} ({}): {}</li>",
                attendee_link(
                    &d.record.badge_id,
                    &format!("{} {}", d.record.first_name, d.record.last_name)
                ),
                d.record.system.title(),
                esc(d.record.problem.as_deref().unwrap_or(""))
            )
        })
        .collect();
    format!(
        "<section><h2>Values that cannot be reported as they stand</h2>\
<p class=error role=alert>These rows go out with the value left empty, and the receiving system will refuse or misfile them until it is corrected (the attendee's profile at a kiosk, then a sync):</p><ul>{items}</ul></section>"
    )
}

pub fn deadlines(f: &Figures, tz: &jiff::tz::TimeZone) -> String {
    format!(
        "<p class=note>Figures as of {}. Days left are counted from the event's date today. \
The upload files hold the receiving systems' columns only; these are ours, also in <a href=\"/reports/deadlines.csv\">deadlines.csv</a>.</p>{}\
<section><h2>ACCME PARS (ABIM MOC): {} records</h2><p>Boards expect a record within {PARS_DEADLINE_DAYS} days of the learner's completion (the later of the evaluation and the last counted claim), and by 31 December for that year: the due date is the earlier of the two. <a href=\"/reports/pars.xlsx\">pars.xlsx</a></p>{}</section>\
<section><h2>NABP CPE Monitor: {} records</h2><p>CPE Monitor refuses an upload or a correction more than {CPE_DEADLINE_DAYS} days after the session's date. <a href=\"/reports/cpe-monitor.csv\">cpe-monitor.csv</a></p>{}</section>",
        esc(&f.at),
        problems(f),
        f.pars.len(),
        deadline_table("PARS records, soonest due first", "MOC points", &f.pars, tz),
        f.cpe.len(),
        deadline_table("CPE Monitor records, soonest due first", "UAN", &f.cpe, tz),
    )
}

/// The Reports page: the files, what the next upload file of each system
/// holds, the button that marks it uploaded, and the files marked so far.
pub fn reports(
    pending: &[(System, usize, usize)],
    submissions: &[Submission],
    csrf: &str,
    marked: Option<&str>,
) -> String {
    let files = [
        (
            "pars.xlsx",
            "ACCME PARS learner upload (CME + MOC), the Excel template's columns",
            "Excel",
        ),
        ("pars.tsv", "The same PARS file, tab-delimited", "TSV"),
        (
            "cpe-monitor.csv",
            "NABP CPE Monitor submission, one row per pharmacist and UAN",
            "CSV",
        ),
        (
            "pars-prevalidation.xlsx",
            "ABIM IDs and birth dates to pre-validate in PARS before the upload",
            "Excel",
        ),
        (
            "deadlines.csv",
            "Days left per record, whether it was sent, and values to fix",
            "CSV",
        ),
        (
            "credits.csv",
            "Credits: one row per attendee and credit type",
            "CSV",
        ),
        (
            "held.csv",
            "Held claims and records not read, with reasons",
            "CSV",
        ),
    ];
    let rows: Vec<(String, Vec<String>)> = files
        .iter()
        .map(|(name, what, kind)| {
            let whole = if name.starts_with("pars.") || name.starts_with("cpe-monitor") {
                format!(" · <a href=\"/reports/{name}?all=1\" download>every row</a>")
            } else {
                String::new()
            };
            (
                String::new(),
                vec![
                    td_html(format!(
                        "<a href=\"/reports/{name}\" download>{name}</a>{whole}"
                    )),
                    td(what),
                    td(kind),
                ],
            )
        })
        .collect();
    let said = marked
        .map(|m| {
            format!(
                "<p class=ok role=status>Marked as uploaded: {}.</p>",
                esc(m)
            )
        })
        .unwrap_or_default();
    let mut upload = String::new();
    for (system, adds, deletes) in pending {
        let last = submissions
            .iter()
            .find(|s| s.system == *system)
            .map(|s| format!("Last marked as uploaded {} by {}.", s.at, s.account))
            .unwrap_or_else(|| {
                "Nothing marked as uploaded yet: the next file holds every row.".into()
            });
        let file = match system {
            System::Pars => "pars.xlsx (or pars.tsv)",
            System::CpeMonitor => "cpe-monitor.csv",
        };
        upload.push_str(&format!(
            "<h3>{title}</h3><p>{last} The next {file} holds <b>{adds}</b> {add} and <b>{deletes}</b> {delete} row(s).</p>\
<form class=inline method=post action=\"/reports/{path}/submitted\">{token}\
<p><button class=primary type=submit>I uploaded the {title} file: mark it as sent</button></p></form>",
            title = system.title(),
            add = system.word(RowAction::Add),
            delete = system.word(RowAction::Delete),
            path = system.as_str(),
            token = super::csrf_field(csrf),
        ));
    }
    let history: Vec<(String, Vec<String>)> = submissions
        .iter()
        .map(|s| {
            (
                String::new(),
                vec![
                    td(&s.at),
                    td(s.system.title()),
                    td(&s.account),
                    td(&format!(
                        "{} {}, {} {}{}",
                        s.adds,
                        s.system.word(RowAction::Add),
                        s.deletes,
                        s.system.word(RowAction::Delete),
                        if s.whole { " (every row)" } else { "" }
                    )),
                ],
            )
        })
        .collect();
    format!(
        "{said}<section>{}</section>\
<section><h2>After an upload: mark the file as sent</h2>\
<p>PARS and CPE Monitor keep what they were sent. Once a file is uploaded, mark it here: from then on the next file holds only what changed since \
(a new learner as an Add; a learner whose numbers changed as a Delete of the row sent before, then an Add; a learner voided to nothing as a Delete alone). \
Download and upload the file, then mark it, before the next sync changes it. <i>every row</i> gives every current row as an Add.</p>{upload}\
<p class=note>Scripts fetch the same files and mark them with <code>Authorization: Bearer</code> and the hub's admin token: \
<code>POST /reports/pars/submitted</code>, <code>POST /reports/cpe-monitor/submitted</code>.</p></section>\
<section>{}</section>",
        table("Reports", &["File", "What it holds", "Format"], &rows),
        table(
            "Files marked as uploaded, newest first",
            &["When", "To", "Account", "Rows"],
            &history
        ),
    )
}

/// The Door scans page: what the hub holds, and the upload form with the
/// outcome of the last upload, if any.
pub fn scans(counts: (i64, i64, i64), csrf: &str, outcome: Option<Result<&str, &str>>) -> String {
    let said = match outcome {
        Some(Ok(m)) => format!("<p class=ok role=status>{}</p>", esc(m)),
        Some(Err(m)) => format!(
            "<p class=error role=alert>Nothing was imported: {}</p>",
            esc(m)
        ),
        None => String::new(),
    };
    format!(
        "{said}<section><p>The hub holds <b>{}</b> door scans of <b>{}</b> attendees at <b>{}</b> sessions. \
Kiosks receive them at their next sync; a claim for a session whose door was scanned, by an attendee who was not, \
is flagged on the attendee's page and in credits.csv.</p></section>\
<section><h2>Import a scans file</h2><form method=post action=\"/admin/scans\" enctype=\"multipart/form-data\">{}\
<p><label for=file>Scans file (CSV: badge_id, session_id, scanned_at as YYYY-MM-DDTHH:MM, optional direction in/out)</label><br>\
<input type=file id=file name=file accept=\".csv,text/csv\" required></p>\
<p><button class=primary type=submit>Import</button></p></form>\
<p class=note>All or nothing, with the same checks as <code>cekiosk hub import scans FILE</code>, which takes files of any size.</p></section>",
        counts.0,
        counts.1,
        counts.2,
        super::csrf_field(csrf)
    )
}

pub fn audit(lines: &[AuditLine]) -> String {
    let rows: Vec<(String, Vec<String>)> = lines
        .iter()
        .map(|l| {
            (
                String::new(),
                vec![td(&l.at), td(&l.account), td(&l.action), td(&l.detail)],
            )
        })
        .collect();
    format!(
        "<section>{}</section>",
        table(
            &format!("The newest {} actions", lines.len()),
            &["When", "Account", "Action", "Detail"],
            &rows
        )
    )
}

#[cfg(test)]
mod tests {
    use super::release;
    use crate::hub::held::{HeldClaimValues, HeldReason};

    /// Each reason the hub holds a claim or a record for has its own
    /// advice (the ACPE rules' share one: the award keeps those).
    #[test]
    fn every_held_reason_says_what_releases_it() {
        let values = HeldClaimValues {
            session_id: "S008",
            badge_id: "A0012345",
            credits_q: 4,
            designated_q: Some(2),
            claimed_at: "2026-11-23T16:00:00Z",
        };
        let mut advice = std::collections::BTreeSet::new();
        for code in [
            "session_not_in_catalog",
            "attendee_not_on_roster",
            "over_designation",
            "not_ended",
        ] {
            let reason = HeldReason::from_view(code, values);
            advice.insert(release(&reason));
        }
        advice.insert(release(&HeldReason::SequenceConflict {
            device_id: "d1".into(),
        }));
        advice.insert(release(&HeldReason::NotRead {
            reason: "kind 'x' is not a record kind".into(),
        }));
        advice.insert(release(&HeldReason::AcpeOverMaximum));
        assert_eq!(advice.len(), 7, "each reason its own advice");
    }
}
