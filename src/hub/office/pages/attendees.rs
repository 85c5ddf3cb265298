//! Finding an attendee by name, e-mail or badge, and everything the hub
//! holds for one: credit by type as the certificate counts it, each claim
//! with whether it counts (or is void, a duplicate, held and why), the
//! certificates with the link their QR opens, records the hub could not
//! read, door scans, and a form to void a claim with a reason.

use super::{attendee_link, csrf_field, esc, local, table, td, td_html, td_n};
use crate::domain::format_quarters;
use crate::hub::db::{AttendeeClaim, AttendeeRecords, AttendeeScans, FOUND_MAX};
use crate::records::AttendeeRow;

/// The search form, with what was searched for.
pub fn search_form(q: &str) -> String {
    format!(
        "<section><form class=inline method=get action=\"/admin/attendees\" role=search>\
<p><label for=q>Name, e-mail or badge</label><br><input type=search id=q name=q value=\"{}\" autofocus></p>\
<p><button class=primary type=submit>Find</button></p></form></section>",
        esc(q)
    )
}

/// Several attendees matched: a list to pick from.
pub fn found(q: &str, people: &[AttendeeRow]) -> String {
    if people.is_empty() {
        return format!(
            "<section><p role=status>No attendee matches “{}”.</p></section>",
            esc(q)
        );
    }
    let more = if people.len() > FOUND_MAX {
        format!("<p class=note>More than {FOUND_MAX} match: add to the search to narrow it.</p>")
    } else {
        String::new()
    };
    let rows: Vec<(String, Vec<String>)> = people
        .iter()
        .take(FOUND_MAX)
        .map(|a| {
            (
                String::new(),
                vec![
                    td_html(attendee_link(
                        &a.badge_id,
                        &format!("{} {}", a.first_name, a.last_name),
                    )),
                    td(&a.degree),
                    td(a.profession.as_str()),
                    td(&a.email),
                ],
            )
        })
        .collect();
    format!(
        "<section><p role=status>{} attendees match “{}”.</p>{more}{}</section>",
        people.len().min(FOUND_MAX),
        esc(q),
        table(
            "Attendees found",
            &["Badge, name", "Degree", "Profession", "E-mail"],
            &rows
        )
    )
}

/// What one attendee's page shows.
pub struct Attendee<'a> {
    pub person: &'a AttendeeRow,
    /// (credit type name, credits) as the certificate counts them.
    pub totals: Vec<(String, u32)>,
    pub records: &'a AttendeeRecords,
    pub scans: &'a AttendeeScans,
    pub url_base: &'a str,
    /// The event's zone, for the kiosks' times.
    pub tz: &'a jiff::tz::TimeZone,
    pub csrf: &'a str,
    /// What was just done on this page (a void), to say so.
    pub notice: Option<&'a str>,
}

/// A claim's standing, in words.
fn standing(c: &AttendeeClaim, tz: &jiff::tz::TimeZone) -> (&'static str, String) {
    if let Some(at) = &c.voided_at {
        return (
            "bad",
            format!(
                "<span class=tag>Void</span> {}: {}",
                esc(&local(at, tz)),
                esc(c.void_reason.as_deref().unwrap_or(""))
            ),
        );
    }
    if let Some(why) = &c.held {
        return (
            "warn",
            format!("<span class=tag>Held</span> {}", esc(&why.to_string())),
        );
    }
    if let Some(first) = &c.duplicate_of {
        return (
            "",
            format!(
                "<span class=tag>Duplicate</span> of claim <code>{}</code>, which counts",
                esc(first)
            ),
        );
    }
    ("", "<span class=tag>✓ Counts</span>".to_string())
}

pub fn attendee(a: &Attendee) -> String {
    let p = a.person;
    let mut out = String::new();
    if let Some(n) = a.notice {
        out.push_str(&format!("<p class=ok role=status>{}</p>", esc(n)));
    }
    out.push_str(&format!(
        "<section><h2>{} {}{}</h2><p>{} · {} · badge <b>{}</b></p>",
        esc(&p.first_name),
        esc(&p.last_name),
        if p.degree.is_empty() {
            String::new()
        } else {
            format!(", {}", esc(&p.degree))
        },
        esc(p.profession.as_str()),
        esc(&p.email),
        esc(&p.badge_id)
    ));
    if a.totals.is_empty() {
        out.push_str("<p>No credit counted yet.</p>");
    } else {
        let rows: Vec<(String, Vec<String>)> = a
            .totals
            .iter()
            .map(|(name, q)| (String::new(), vec![td(name), td_n(format_quarters(*q))]))
            .collect();
        out.push_str(&table(
            "Credit, as the certificate counts it",
            &["Credit type", "Credits#"],
            &rows,
        ));
    }
    out.push_str("</section>");

    let rows: Vec<(String, Vec<String>)> = a
        .records
        .claims
        .iter()
        .map(|c| {
            let (class, mut words) = standing(c, a.tz);
            if a
                .scans
                .claims
                .iter()
                .any(|x| x.claim_id == c.claim_id && x.without_scan)
            {
                words.push_str(
                    " <span class=tag>⚠ no door scan</span> <span class=note>the door was scanned; this attendee was not</span>",
                );
            }
            let action = if c.voided_at.is_none() {
                let id = format!("r-{}", esc(&c.claim_id));
                format!(
                    "<form class=inline method=post action=\"/admin/attendees/void\">{}\
<input type=hidden name=badge value=\"{}\"><input type=hidden name=claim value=\"{}\">\
<label for=\"{id}\">Reason for voiding {}</label><input type=text id=\"{id}\" name=reason required>\
<button class=danger type=submit>Void claim</button></form>",
                    csrf_field(a.csrf),
                    esc(&p.badge_id),
                    esc(&c.claim_id),
                    esc(&c.session_id),
                )
            } else {
                String::new()
            };
            (
                class.to_string(),
                vec![
                    td_html(format!(
                        "<b>{}</b> {}<br><span class=note>{}</span>",
                        esc(&c.session_id),
                        esc(&crate::domain::sanitize(&c.title)),
                        esc(&c.starts_at)
                    )),
                    td_n(format_quarters(c.credits_q.max(0) as u32)),
                    td_html(format!(
                        "{}<br><span class=note>{}</span>",
                        esc(&c.kiosk_id),
                        esc(&local(&c.claimed_at, a.tz))
                    )),
                    td_html(words),
                    td_html(action),
                ],
            )
        })
        .collect();
    out.push_str("<section><h2>Claims</h2>");
    if a.records.claims.is_empty() {
        out.push_str("<p>No claims.</p>");
    } else {
        out.push_str(&table(
            "Claims per session",
            &["Session", "Credits#", "Kiosk, when", "Standing", "Void"],
            &rows,
        ));
    }
    out.push_str("</section><section><h2>Certificates</h2>");
    if a.records.certificates.is_empty() {
        out.push_str("<p>No certificate issued.</p>");
    } else {
        let rows: Vec<(String, Vec<String>)> = a
            .records
            .certificates
            .iter()
            .map(|c| {
                let url = format!("{}{}", a.url_base, c.certificate_id);
                (
                    String::new(),
                    vec![
                        td(&c.short_code),
                        td(&local(&c.issued_at, a.tz)),
                        td(&c.kiosk_id),
                        td_html(format!("<a href=\"{u}\">{u}</a>", u = esc(&url))),
                    ],
                )
            })
            .collect();
        out.push_str(&table(
            "Certificates (each link is what the kiosk's QR opened; every one shows the current total)",
            &["Code", "Issued", "Kiosk", "Link"],
            &rows,
        ));
    }
    out.push_str("</section>");
    if !a.records.unread.is_empty() {
        let rows: Vec<(String, Vec<String>)> = a
            .records
            .unread
            .iter()
            .map(|(what, why)| ("bad".to_string(), vec![td(what), td(why)]))
            .collect();
        out.push_str(&format!(
            "<section><h2>Records the hub could not read</h2>{}</section>",
            table("Records not read", &["Record", "Why"], &rows)
        ));
    }
    if !a.records.conflicts.is_empty() {
        let rows: Vec<(String, Vec<String>)> = a
            .records
            .conflicts
            .iter()
            .map(|(kiosk, at, sent)| ("warn".to_string(), vec![td(kiosk), td(at), td(sent)]))
            .collect();
        out.push_str(&format!(
            "<section><h2>Walk-ins that differ from this record</h2><p>A kiosk registered this badge \
as a walk-in with other details. The record above stands; these are kept as the kiosks sent them.</p>{}</section>",
            table("Walk-ins kept beside the record", &["Kiosk", "Noted", "As sent"], &rows)
        ));
    }
    out.push_str("<section><h2>Door scans</h2>");
    if a.scans.scans.is_empty() {
        out.push_str("<p>No door scans of this attendee.</p>");
    } else {
        let rows: Vec<(String, Vec<String>)> = a
            .scans
            .scans
            .iter()
            .map(|x| {
                (
                    String::new(),
                    vec![
                        td(&x.scanned_at.replace('T', " ")),
                        td_html(format!("<b>{}</b> {}", esc(&x.session_id), esc(&x.title))),
                        td(&x.direction),
                    ],
                )
            })
            .collect();
        out.push_str(&table(
            "Door scans, in time order",
            &["Scanned", "Session", "Direction"],
            &rows,
        ));
    }
    out.push_str("</section>");
    out
}

/// What was sent of this attendee to PARS and CPE Monitor, and when: each
/// row of each file the CE office marked as uploaded, as it went.
pub fn sent(lines: &[crate::hub::db::SentLine]) -> String {
    use crate::hub::db::{RowAction, System};
    use crate::hub::reports::{CPE_COLUMNS, PARS_COLUMNS};
    if lines.is_empty() {
        return "<section><h2>Sent to PARS and CPE Monitor</h2><p>Nothing of this attendee is in a file marked as uploaded yet.</p></section>".into();
    }
    let rows: Vec<(String, Vec<String>)> = lines
        .iter()
        .map(|l| {
            // The row's fields named as in the file (the action is apart).
            let names: &[&str] = match l.system {
                System::Pars => &PARS_COLUMNS[1..],
                System::CpeMonitor => &CPE_COLUMNS[..CPE_COLUMNS.len() - 1],
            };
            let what: Vec<String> = names
                .iter()
                .zip(&l.fields)
                .filter(|(_, v)| !v.is_empty())
                .map(|(n, v)| format!("{n}: {v}"))
                .collect();
            (
                if l.action == RowAction::Delete {
                    "warn".to_string()
                } else {
                    String::new()
                },
                vec![
                    td(&l.at),
                    td(l.system.title()),
                    td(l.system.word(l.action)),
                    td(&what.join("; ")),
                    td(&l.account),
                ],
            )
        })
        .collect();
    format!(
        "<section><h2>Sent to PARS and CPE Monitor</h2>{}</section>",
        table(
            "Rows of the files marked as uploaded, oldest first",
            &["Marked", "To", "Action", "The row as sent", "Account"],
            &rows
        )
    )
}
