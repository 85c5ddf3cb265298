//! The overview (who has credit, certificates, credit by type, claims per
//! hour of each day and per kiosk) and the kiosks page (the kiosks the
//! office enrolled, with a button to revoke each and a form to add one;
//! each kiosk database: its last upload and what the hub made of it, what
//! it last said it had not uploaded, its clock against the hub's, its
//! version; a kiosk silent past its sync interval is marked in words and
//! colour).

use super::{chart, esc, table, td, td_html, td_n};
use crate::domain::{format_quarters, qr};
use crate::hub::db::{Device, Enrolment};
use crate::hub::office::Figures;

pub fn overview(f: &Figures) -> String {
    let claims: i64 = f.activity.by_kiosk.iter().map(|k| k.1).sum();
    let mut out = format!(
        "<p class=note>Figures as of {} (worked out again, in the background, when {} s old).</p><div class=cards>\
<div class=card>Attendees with credit<b>{}</b></div>\
<div class=card>Certificates issued<b>{}</b></div>\
<div class=card>Claims counted<b>{claims}</b></div></div>",
        esc(&f.at),
        crate::hub::office::FRESH_FOR.as_secs(),
        f.with_credit,
        f.activity.certificates
    );
    let rows: Vec<(String, Vec<String>)> = f
        .by_type
        .iter()
        .map(|t| {
            (
                String::new(),
                vec![
                    td(t.code.as_str()),
                    td(&t.name),
                    td_n(t.attendees),
                    td_n(format_quarters(t.credits)),
                ],
            )
        })
        .collect();
    out.push_str(&format!(
        "<section>{}</section>",
        table(
            "Credit by type (as the certificates count it)",
            &["Code", "Credit type", "Attendees#", "Credits awarded#"],
            &rows
        )
    ));
    // One chart per day, over the hours that day had claims in.
    let mut days: Vec<&str> = f
        .activity
        .by_hour
        .iter()
        .map(|(d, _, _)| d.as_str())
        .collect();
    days.dedup();
    out.push_str("<section><h2>Claims per hour</h2>");
    if days.is_empty() {
        out.push_str("<p>No claims have reached the hub yet.</p>");
    }
    for day in days {
        let hours: Vec<(u32, i64)> = f
            .activity
            .by_hour
            .iter()
            .filter(|(d, _, _)| d == day)
            .map(|(_, h, n)| (*h, *n))
            .collect();
        let (first, last) = (
            hours.first().map_or(0, |h| h.0),
            hours.last().map_or(0, |h| h.0),
        );
        let bars: Vec<(String, i64)> = (first..=last)
            .map(|h| {
                let n = hours.iter().find(|x| x.0 == h).map_or(0, |x| x.1);
                (format!("{h:02}"), n)
            })
            .collect();
        out.push_str(&format!(
            "<h3>{}</h3>{}",
            esc(day),
            chart::columns(&format!("Claims per hour on {day}"), &bars)
        ));
    }
    out.push_str("</section><section><h2>Claims per kiosk</h2>");
    let kiosks: Vec<(String, i64)> = f.activity.by_kiosk.clone();
    if kiosks.is_empty() {
        out.push_str("<p>No claims have reached the hub yet.</p>");
    } else {
        out.push_str(&chart::rows("Claims per kiosk", &kiosks));
        let rows: Vec<(String, Vec<String>)> = kiosks
            .iter()
            .map(|(k, n)| (String::new(), vec![td(k), td_n(n)]))
            .collect();
        out.push_str(&format!(
            "<details><summary>The figures as a table</summary>{}</details>",
            table("Claims per kiosk", &["Kiosk", "Claims#"], &rows)
        ));
    }
    out.push_str("</section>");
    out
}

/// How long, in words: `3 h 05 min`, `12 min`, `40 s`.
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// A clock offset as people say it: `2 min 5 s fast`, `in step`.
fn offset(ms: i64) -> String {
    let s = ms.abs() / 1000;
    if s < 2 {
        return "in step".into();
    }
    let size = if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    };
    format!("{size} {}", if ms > 0 { "fast" } else { "slow" })
}

pub fn kiosks(devices: &[Device], default_interval: u64) -> String {
    if devices.is_empty() {
        return "<section><p>No kiosk has reached the hub yet. Enrol one above, then on the kiosk: \
<code>cekiosk sync</code> (or wait for its background upload).</p></section>"
            .into();
    }
    let silent = |d: &Device| {
        let interval = d
            .interval_seconds
            .filter(|i| *i > 0)
            .map_or(default_interval as i64, i64::from);
        // A sync may run a little late: past its interval and a minute
        // more, a kiosk is silent.
        d.silent_seconds > interval + 60
    };
    let quiet = devices.iter().filter(|d| silent(d)).count();
    let rows: Vec<(String, Vec<String>)> = devices
        .iter()
        .map(|d| {
            let late = silent(d);
            let contact = if late {
                format!(
                    "{} <span class=tag>⚠ silent {}</span>",
                    esc(&d.last_contact),
                    duration(d.silent_seconds)
                )
            } else {
                format!(
                    "{} <span class=note>({} ago)</span>",
                    esc(&d.last_contact),
                    duration(d.silent_seconds)
                )
            };
            let upload = match (&d.last_upload_at, &d.last_upload_result) {
                (Some(at), Some(r)) => format!("{}: {}", esc(at), esc(r)),
                _ => "none yet".into(),
            };
            let pending = match d.not_uploaded {
                Some(0) => "nothing".to_string(),
                Some(n) => format!("<b>{n} records</b>"),
                None => "not reported".to_string(),
            };
            let class = if late { "warn" } else { "" };
            (
                class.to_string(),
                vec![
                    td(&d.kiosk_id),
                    td_html(format!("<code>{}</code>", esc(&d.device_id))),
                    td_html(contact),
                    td_html(upload),
                    td(d.kiosk_result.as_deref().unwrap_or("not reported")),
                    td_html(pending),
                    td(&d.clock_offset_ms.map_or("not reported".into(), offset)),
                    td(d.version.as_deref().unwrap_or("not reported")),
                    td_n(d.high_seq),
                ],
            )
        })
        .collect();
    let summary = summary(quiet, devices.len());
    format!(
        "<section>{summary}{}<p class=note>A kiosk database that was restored or cloned takes a new device id, so one kiosk can have several rows. The clock is the kiosk's against the hub's at its last report.</p></section>",
        table(
            "Kiosks",
            &[
                "Kiosk",
                "Device",
                "Last contact",
                "Last upload at the hub",
                "Its last sync, as the kiosk said",
                "Not uploaded (last report)",
                "Clock",
                "Version",
                "Records#"
            ],
            &rows
        )
    )
}

/// What the enrolment part of the Kiosks page shows.
pub struct Fleet<'a> {
    pub enrolments: &'a [Enrolment],
    /// The hub accepts the fleet's shared secret: every kiosk can act as
    /// every other.
    pub shared_secret: bool,
    pub csrf: &'a str,
    /// A code just made, shown once: kiosk id, code, until when.
    pub new_code: Option<(&'a str, &'a str, &'a str)>,
    /// What a revoke or add did, or why it did not.
    pub outcome: Option<Result<String, String>>,
}

/// The kiosks the office enrolled: each one's state, a button to revoke
/// it, a form to add one (its one-time code shown as text and as a QR
/// code, which the kiosk's badge scanner reads in staff mode).
pub fn enrolment(f: &Fleet) -> String {
    let mut out = String::from("<section><h2>Enrolment</h2>");
    if f.shared_secret {
        out.push_str(
            "<p class=error role=alert>⚠ This hub also accepts the fleet's shared secret \
(<code>CEKIOSK_SYNC_TOKEN</code>): with it every kiosk can act as every other, and one \
stolen kiosk is the whole fleet. Enrol each kiosk below, then start the hub without the \
secret.</p>",
        );
    }
    match &f.outcome {
        Some(Ok(m)) => out.push_str(&format!("<p class=ok role=status>{}</p>", esc(m))),
        Some(Err(m)) => out.push_str(&format!("<p class=error role=alert>{}</p>", esc(m))),
        None => {}
    }
    if let Some((kiosk, code, until)) = f.new_code {
        out.push_str(&format!(
            "<div class=card><p>Enrolment code for kiosk <b>{}</b>, works once, until {} (event time). \
At the kiosk, scan it in staff mode (Enrol this kiosk), or run <code>cekiosk enrol --hub URL {}</code>.</p>\
<p><b><code class=code>{}</code></b></p>{}</div>",
            esc(kiosk),
            esc(until),
            esc(code),
            esc(code),
            qr_svg(code, &format!("Enrolment code for kiosk {kiosk}"))
        ));
    }
    let rows: Vec<(String, Vec<String>)> = f
        .enrolments
        .iter()
        .map(|e| {
            let (class, state) = match (&e.revoked_at, &e.enrolled_at) {
                (Some(at), _) => (
                    "warn",
                    format!(
                        "revoked {} by {}",
                        at,
                        e.revoked_by.as_deref().unwrap_or("?")
                    ),
                ),
                (None, Some(at)) => ("", format!("enrolled {at}")),
                (None, None) => ("", "not enrolled yet".to_string()),
            };
            let action = if e.revoked_at.is_none() && e.enrolled_at.is_some() {
                format!(
                    "<form class=inline method=post action=\"/admin/kiosks/revoke\">{}\
<input type=hidden name=kiosk value=\"{}\"><button type=submit>Revoke {}</button></form>",
                    super::csrf_field(f.csrf),
                    esc(&e.kiosk_id),
                    esc(&e.kiosk_id)
                )
            } else {
                String::new()
            };
            (
                class.to_string(),
                vec![
                    td(&e.kiosk_id),
                    td(&format!("{} by {}", e.added_at, e.added_by)),
                    td(&state),
                    td_n(e.codes_open),
                    td_html(action),
                ],
            )
        })
        .collect();
    if rows.is_empty() {
        out.push_str("<p>No kiosk is enrolled yet: add one below.</p>");
    } else {
        out.push_str(&table(
            "Enrolled kiosks",
            &["Kiosk", "Added", "State", "Codes still open", ""],
            &rows,
        ));
    }
    out.push_str(&format!(
        "<form method=post action=\"/admin/kiosks/add\">{}<p><label for=kiosk>Add a kiosk (or a new code \
for one): kiosk id</label><br><input id=kiosk name=kiosk required maxlength=64 placeholder=K07> \
<button type=submit>Make an enrolment code</button></p></form></section>",
        super::csrf_field(f.csrf)
    ));
    out
}

/// A QR code as an SVG image, dark modules on white with the quiet zone,
/// for a scanner to read off the screen.
fn qr_svg(text: &str, label: &str) -> String {
    let Some(code) = qr::encode(text.as_bytes(), qrcode::EcLevel::M) else {
        return String::new();
    };
    let width = code.width();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"{}\" width=\"{}\" height=\"{}\" \
viewBox=\"0 0 {size} {size}\" shape-rendering=crispEdges><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
<path d=\"{path}\" fill=\"#000\"/></svg>",
        esc(label),
        size * 6,
        size * 6
    )
}

/// The sentence above the kiosks' table, in agreement with how many there
/// are: one database "has been", several "have been".
fn summary(quiet: usize, total: usize) -> String {
    let databases = if total == 1 {
        "kiosk database"
    } else {
        "kiosk databases"
    };
    if quiet == 0 {
        let (all, has, their) = if total == 1 {
            ("The one", "has", "its")
        } else {
            ("All", "have", "their")
        };
        let count = if total == 1 {
            String::new()
        } else {
            format!(" {total}")
        };
        format!(
            "<p class=ok>{all}{count} {databases} {has} been heard from within {their} sync interval.</p>"
        )
    } else {
        let has = if quiet == 1 { "has" } else { "have" };
        format!(
            "<p class=error role=status>{quiet} of {total} {databases} {has} been silent for longer than their sync interval (marked ⚠).</p>"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_durations_read_as_words() {
        assert_eq!(offset(125_000), "2 min 5 s fast");
        assert_eq!(offset(-30_000), "30 s slow");
        assert_eq!(offset(900), "in step");
        assert_eq!(duration(3 * 3600 + 5 * 60), "3 h 05 min");
        assert_eq!(duration(59), "59 s");
    }

    #[test]
    fn the_summary_agrees_with_how_many_kiosks_there_are() {
        let text = |quiet, total| {
            let html = summary(quiet, total);
            let start = html.find('>').unwrap() + 1;
            html[start..html.rfind("</p>").unwrap()].to_string()
        };
        assert_eq!(
            text(0, 1),
            "The one kiosk database has been heard from within its sync interval."
        );
        assert_eq!(
            text(0, 3),
            "All 3 kiosk databases have been heard from within their sync interval."
        );
        assert_eq!(
            text(1, 1),
            "1 of 1 kiosk database has been silent for longer than their sync interval (marked ⚠)."
        );
        assert_eq!(
            text(2, 5),
            "2 of 5 kiosk databases have been silent for longer than their sync interval (marked ⚠)."
        );
        assert!(!text(0, 1).contains("All 1"));
    }
}
