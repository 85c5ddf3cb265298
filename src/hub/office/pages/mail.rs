//! The certificate by e-mail on the CE office's pages: on an attendee's
//! page, each message with what became of it (queued, sent, refused, with
//! the times and the mail server's answer), the visits that declined it,
//! a refused address, and a button to send it again; on the overview, how
//! many wait and how many were refused, and which.

use super::{attendee_link, csrf_field, esc, local, table, td, td_html};
use crate::hub::db::mail::{MailCounts, MailHistory, MessageLine, RefusedLine};

/// A message's state in words, with the row's colour class.
fn state(m: &MessageLine) -> (&'static str, String) {
    let when = |t: &Option<String>| t.as_deref().map(esc).unwrap_or_default();
    match m.state.as_str() {
        "sent" => (
            "",
            format!("<span class=tag>✓ Sent</span> {}", when(&m.done)),
        ),
        "refused" => (
            "bad",
            format!("<span class=tag>✗ Refused</span> {}", when(&m.done)),
        ),
        "replaced" => (
            "",
            format!(
                "<span class=tag>Not sent</span> {}: a newer message took its place",
                when(&m.done)
            ),
        ),
        "sending" => (
            "warn",
            format!("<span class=tag>Sending</span> since {}", when(&m.tried)),
        ),
        _ => {
            let due = match (&m.due, m.attempts) {
                (Some(at), 0) => format!(", goes at {}", esc(at)),
                (Some(at), n) => format!(", tried {n}×, next try at {}", esc(at)),
                (None, 0) => ", goes now".into(),
                (None, n) => format!(", tried {n}×, next try now"),
            };
            ("warn", format!("<span class=tag>Queued</span>{due}"))
        }
    }
}

/// The "E-mail" section of an attendee's page.
pub fn attendee_section(
    h: &MailHistory,
    badge: &str,
    address: &str,
    csrf: &str,
    tz: &jiff::tz::TimeZone,
) -> String {
    let mut out = String::from("<section><h2>E-mail</h2>");
    if address.trim().is_empty() {
        out.push_str("<p>No e-mail address on the roster: the certificate is not e-mailed.</p>");
    } else if let Some((at, answer)) = &h.refused {
        out.push_str(&format!(
            "<p class=error role=status><b>{}</b> was refused for good by a mail server on {}: {}. \
No message goes there until the roster's address is mended (import the attendees again).</p>",
            esc(address),
            esc(at),
            esc(answer)
        ));
    }
    for at in &h.declined {
        out.push_str(&format!(
            "<p class=note>Declined at the kiosk for the visit of {}: that visit sent no message.</p>",
            esc(&local(at, tz))
        ));
    }
    if h.messages.is_empty() {
        out.push_str("<p>No message yet.</p>");
    } else {
        let rows: Vec<(String, Vec<String>)> = h
            .messages
            .iter()
            .map(|m| {
                let (class, words) = state(m);
                (
                    class.to_string(),
                    vec![
                        td_html(words),
                        td(match m.reason.as_str() {
                            "first" => "first certificate",
                            "changed" => "certificate changed",
                            "resend" => "sent again by the CE office",
                            other => other,
                        }),
                        td(&m.queued),
                        td(m.address.as_deref().unwrap_or("")),
                        td(m.language.as_deref().unwrap_or("")),
                        td(m.answer.as_deref().unwrap_or("")),
                    ],
                )
            })
            .collect();
        out.push_str(&table(
            "Messages, newest first",
            &[
                "State",
                "Why",
                "Queued",
                "To",
                "Language",
                "Mail server's answer",
            ],
            &rows,
        ));
    }
    if !address.trim().is_empty() {
        let sent = h.messages.iter().any(|m| m.state == "sent");
        out.push_str(&format!(
            "<form class=inline style=\"margin-top:.75rem\" method=post action=\"/admin/attendees/resend\">{}\
<input type=hidden name=badge value=\"{}\"><button class=primary type=submit>{}</button></form>",
            csrf_field(csrf),
            esc(badge),
            if sent {
                "Send the certificate again"
            } else {
                "Send the certificate now"
            }
        ));
    }
    out.push_str("</section>");
    out
}

/// The overview's e-mail cards, and the newest refusals; a word instead
/// when this hub sends no e-mail.
pub fn overview(enabled: bool, c: &MailCounts, refused: &[RefusedLine]) -> String {
    if !enabled && *c == MailCounts::default() {
        return "<p class=note>Certificates are not e-mailed: this hub has no [mail] smtp_url.</p>"
            .into();
    }
    let mut out = format!(
        "<h2>Certificates by e-mail</h2><div class=cards><div class=card>E-mails queued<b>{}</b></div>\
<div class=card>E-mails sent<b>{}</b></div>\
<div class=\"card{}\">E-mails refused<b>{}</b></div></div>",
        c.queued,
        c.sent,
        if c.refused > 0 { " bad" } else { "" },
        c.refused
    );
    if !refused.is_empty() {
        let rows: Vec<(String, Vec<String>)> = refused
            .iter()
            .map(|r| {
                (
                    "bad".to_string(),
                    vec![
                        td_html(attendee_link(&r.badge_id, &r.name)),
                        td(&r.address),
                        td(&r.at),
                        td(&r.answer),
                    ],
                )
            })
            .collect();
        out.push_str(&format!(
            "<section>{}</section>",
            table(
                "E-mail addresses refused for good (mend them in the roster)",
                &["Badge, name", "Address", "When", "Mail server's answer"],
                &rows
            )
        ));
    }
    out
}
