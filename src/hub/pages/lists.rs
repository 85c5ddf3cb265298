//! The office's lists: held records with their reasons and what would
//! release each, the PARS and CPE Monitor deadlines soonest first, the
//! report downloads, and the audit of what accounts did.

use super::{attendee_link, esc, local, table, td, td_html};
use crate::hub::db::{AuditLine, HeldClaim};
use crate::hub::office::{Deadline, Figures};
use crate::hub::reports::{CPE_DEADLINE_DAYS, PARS_DEADLINE_DAYS};

/// Rows shown on one page of a long list; the reports hold them all.
pub const SHOWN: usize = 500;

/// What would make a held claim count, or a record be read, from the
/// reason the hub gave (the `claim_state` view's words, and
/// `db::held_claims`'s for records).
pub fn release(reason: &str) -> &'static str {
    if reason.contains("is not in the hub's catalog") {
        "Import the session at the hub (cekiosk hub import sessions FILE): the claim then counts by itself."
    } else if reason.contains("is not on the hub's roster") {
        "Import the attendee at the hub (cekiosk hub import attendees FILE), or sync the kiosk that registered them as a walk-in: the claim then counts by itself."
    } else if reason.contains(", now designated ") {
        "The session's designation is now below the claim: restore it in the catalog if it was lowered by mistake; otherwise void the claim, and the attendee may claim again at a kiosk."
    } else if reason.contains("had not ended when it was claimed") {
        "If the session's times in the catalog are wrong, import the corrected catalog and the claim counts; otherwise void it."
    } else if reason.contains("a different record at a sequence") {
        "Nothing to do at the hub: run cekiosk sync on that kiosk; it sends its records again under a new device id."
    } else {
        "The record could not be read and is kept as it came; the attendee can claim again at a kiosk."
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
                    td(&h.reason),
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

fn deadline_table(caption: &str, what: &str, rows: &[Deadline]) -> String {
    let lines: Vec<(String, Vec<String>)> = rows
        .iter()
        .take(SHOWN)
        .map(|d| {
            let class = if d.days_left < 0 {
                "bad"
            } else if d.days_left <= 7 {
                "warn"
            } else {
                ""
            };
            let left = if d.days_left < 0 {
                format!("<b>{} days late</b>", -d.days_left)
            } else {
                format!("{}", d.days_left)
            };
            (
                class.to_string(),
                vec![
                    td_html(left),
                    td(&d.due.to_string()),
                    td(&d.from.to_string()),
                    td_html(attendee_link(&d.badge_id, &d.name)),
                    td(&d.what),
                ],
            )
        })
        .collect();
    let more = if rows.len() > SHOWN {
        format!(
            "<p class=note>The soonest {SHOWN} of {} are shown; the report holds them all.</p>",
            rows.len()
        )
    } else {
        String::new()
    };
    format!(
        "{more}{}",
        table(
            caption,
            &["Days left#", "Due", "From", "Attendee", what],
            &lines
        )
    )
}

pub fn deadlines(f: &Figures) -> String {
    format!(
        "<p class=note>Figures as of {}. Days left are counted from the event's date today.</p>\
<section><h2>ACCME PARS (ABIM MOC): {} records</h2><p>Boards expect a record within {PARS_DEADLINE_DAYS} days of the learner's completion (the later of the evaluation and the last counted claim), and by 31 December for that year. <a href=\"/reports/pars.tsv\">pars.tsv</a></p>{}</section>\
<section><h2>NABP CPE Monitor: {} records</h2><p>CPE Monitor refuses an upload more than {CPE_DEADLINE_DAYS} days after the session's date. <a href=\"/reports/cpe-monitor.csv\">cpe-monitor.csv</a></p>{}</section>",
        esc(&f.at),
        f.pars.len(),
        deadline_table("PARS records, soonest due first", "MOC points", &f.pars),
        f.cpe.len(),
        deadline_table("CPE Monitor records, soonest due first", "UAN", &f.cpe),
    )
}

pub fn reports() -> String {
    let rows: Vec<(String, Vec<String>)> = [
        (
            "/reports/credits.csv",
            "Credits: one row per attendee and credit type",
            "CSV",
        ),
        (
            "/reports/pars.tsv",
            "ACCME PARS learner file (CME + MOC), with days left",
            "TSV",
        ),
        ("/reports/pars.csv", "The same PARS file", "CSV"),
        (
            "/reports/cpe-monitor.csv",
            "NABP CPE Monitor upload, one row per UAN, with days left",
            "CSV",
        ),
        (
            "/reports/held.csv",
            "Held claims and records not read, with reasons",
            "CSV",
        ),
    ]
    .iter()
    .map(|(href, what, kind)| {
        (
            String::new(),
            vec![
                td_html(format!("<a href=\"{href}\" download>{}</a>", &href[9..])),
                td(what),
                td(kind),
            ],
        )
    })
    .collect();
    format!(
        "<section>{}</section><section><h2>What changed since a date</h2>\
<form class=inline method=get action=\"/reports/pars.tsv\"><p><label for=since>PARS rows changed since (YYYY-MM-DD)</label><br>\
<input type=text id=since name=since inputmode=numeric pattern=\"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\" required></p>\
<p><button class=primary type=submit>Download pars.tsv</button></p></form>\
<p class=note>Scripts fetch the same files with <code>Authorization: Bearer</code> and the hub's admin token.</p></section>",
        table("Reports", &["File", "What it holds", "Format"], &rows)
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
    use crate::hub::schema::MIGRATIONS;

    /// Each way the claims view words a held claim has its own advice.
    #[test]
    fn every_held_reason_says_what_releases_it() {
        let newest = MIGRATIONS
            .iter()
            .rev()
            .find(|m| m.contains("CREATE VIEW claim_state"))
            .expect("the claim_state view");
        let reasons = [
            "is not in the hub's catalog",
            "is not on the hub''s roster",
            ", now designated ",
            "had not ended when it was claimed",
        ];
        let mut advice = std::collections::BTreeSet::new();
        for r in reasons {
            let hub_words = r.replace("hub's", "hub''s");
            assert!(
                newest.contains(&hub_words) || newest.contains(r),
                "the view no longer says {r}"
            );
            advice.insert(release(&r.replace("''", "'")));
        }
        advice.insert(release(
            "a different record at a sequence the hub already holds",
        ));
        advice.insert(release("kind 'x' is not a record kind"));
        assert_eq!(advice.len(), 6, "each reason its own advice");
    }
}
