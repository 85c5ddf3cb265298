//! The CE office's pages under `/admin`, drawn on the server as plain
//! HTML: one layout (a skip link, the navigation, the account and its
//! sign-out form), one stylesheet that reads on a laptop and a phone, with
//! dark text on light ground and a visible focus ring, and no script.
//! Each page is a pure function from what the handlers read to its HTML:
//! `fleet` (overview and kiosks), `attendees`, `lists` (held records,
//! deadlines, door scans, reports, audit), `mail` (the certificate by
//! e-mail) and `chart` (the SVG bar charts).

pub mod attendees;
pub mod chart;
pub mod fleet;
pub mod lists;
pub mod mail;

pub use crate::hub::certificate::esc;

/// The pages, in the navigation's order: (path, label).
pub const NAV: [(&str, &str); 8] = [
    ("/admin", "Overview"),
    ("/admin/kiosks", "Kiosks"),
    ("/admin/attendees", "Attendees"),
    ("/admin/held", "Held records"),
    ("/admin/deadlines", "Deadlines"),
    ("/admin/scans", "Door scans"),
    ("/admin/reports", "Reports"),
    ("/admin/audit", "Audit"),
];

/// Who is reading, for the layout's sign-out form.
pub struct Reader<'a> {
    pub user: &'a str,
    pub csrf: &'a str,
}

const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f4f1;color:#111;line-height:1.45}\
a{color:#0b3d91}a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #b35c00;outline-offset:2px}\
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:9}\
header{background:#13294b;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}\
header .event{font-weight:700}header form{margin-left:auto;display:flex;gap:.5rem;align-items:center}\
header button{background:#fff;color:#13294b;border:0;padding:.3rem .7rem;border-radius:.3rem;font:inherit;cursor:pointer}\
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}\
nav a{color:#fff;display:block;padding:.35rem .6rem;border-radius:.3rem;text-decoration:none}\
nav a[aria-current=page]{background:#fff;color:#13294b;font-weight:700}\
main{max-width:75rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}\
section{background:#fff;border:1px solid #d0d0cc;border-radius:.4rem;padding:.75rem 1rem;margin:0 0 1rem}\
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95rem}\
caption{text-align:left;font-weight:700;padding:.25rem 0}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d0cc;vertical-align:top}\
th{background:#eceae4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;margin-bottom:1rem}\
.card{background:#fff;border:1px solid #d0d0cc;border-radius:.4rem;padding:.75rem 1rem}.card b{display:block;font-size:1.8rem}\
.warn{background:#fff4d6}.bad{background:#fde2e1}.tag{display:inline-block;border:1px solid #111;border-radius:.25rem;padding:0 .3rem;font-size:.85rem;font-weight:700}\
form.inline{display:flex;flex-wrap:wrap;gap:.4rem;align-items:end}label{font-weight:600}\
input[type=text],input[type=search],input[type=password]{font:inherit;padding:.4rem .5rem;border:2px solid #555;border-radius:.3rem;min-width:12rem}\
button.primary{font:inherit;background:#0b3d91;color:#fff;border:0;border-radius:.3rem;padding:.45rem .9rem;cursor:pointer}\
button.danger{font:inherit;background:#a4161a;color:#fff;border:0;border-radius:.3rem;padding:.35rem .7rem;cursor:pointer}\
.note{color:#333;font-size:.9rem}.error{border:2px solid #a4161a;background:#fde2e1;padding:.5rem .75rem;border-radius:.3rem}\
.ok{border:2px solid #1b6e20;background:#e3f4e4;padding:.5rem .75rem;border-radius:.3rem}\
svg text{font-family:inherit;fill:#111}.chart{max-width:100%;height:auto}\
@media (max-width:40rem){main{padding:.5rem}section{padding:.5rem}header form{margin-left:0}\
table,tbody,tr,td,caption{display:block;width:100%}thead{position:absolute;left:-9999px}\
tr{border-bottom:2px solid #8a8a85;padding:.35rem 0}td{border:0;padding:.15rem .3rem}td.n{text-align:left}\
td[data-label]::before{content:attr(data-label) \": \";font-weight:700}}";

/// A whole page: the layout around `body`, with `path` marked in the
/// navigation.
pub fn layout(event: &str, title: &str, path: &str, reader: &Reader, body: &str) -> String {
    let nav: String = NAV
        .iter()
        .map(|(href, label)| {
            let current = if *href == path {
                " aria-current=page"
            } else {
                ""
            };
            format!("<li><a href=\"{href}\"{current}>{label}</a></li>")
        })
        .collect();
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width,initial-scale=1\">\
<title>{title} · {event}</title><style>{STYLE}</style></head><body>\
<a class=skip href=\"#main\">Skip to the page</a>\
<header><span class=event>{event}</span><nav aria-label=\"CE office pages\"><ul>{nav}</ul></nav>\
<form method=post action=\"/admin/sign-out\"><span>Signed in as <b>{user}</b></span>{csrf}\
<button type=submit>Sign out</button></form></header>\
<main id=main><h1>{title}</h1>{body}</main></body></html>",
        title = esc(title),
        event = esc(event),
        user = esc(reader.user),
        csrf = csrf_field(reader.csrf),
    )
}

/// The hidden field every form of a session carries.
pub fn csrf_field(csrf: &str) -> String {
    format!("<input type=hidden name=csrf value=\"{}\">", esc(csrf))
}

/// The sign-in page, with what went wrong last, if anything.
pub fn sign_in(event: &str, message: Option<&str>) -> String {
    let message = message
        .map(|m| format!("<p class=error role=alert>{}</p>", esc(m)))
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width,initial-scale=1\">\
<title>Sign in · {event}</title><style>{STYLE}</style></head><body>\
<header><span class=event>{event}</span></header>\
<main id=main><h1>Sign in to the CE office's pages</h1><section>{message}\
<form method=post action=\"/admin/sign-in\">\
<p><label for=user>User name</label><br><input type=text id=user name=user autocomplete=username required autofocus></p>\
<p><label for=password>Password</label><br><input type=password id=password name=password autocomplete=current-password required></p>\
<p><button class=primary type=submit>Sign in</button></p></form>\
<p class=note>Accounts are made at the hub with <code>cekiosk hub add-user NAME</code>.</p>\
</section></main></body></html>",
        event = esc(event),
    )
}

/// A table with a caption, column heads (a head ending in `#` is a
/// number, right-aligned) and rows of cells already escaped; `class`
/// marks a row (`warn`, `bad`) or is empty.
pub fn table(caption: &str, heads: &[&str], rows: &[(String, Vec<String>)]) -> String {
    let labels = heads;
    let heads: String = heads
        .iter()
        .map(|h| match h.strip_suffix('#') {
            Some(h) => format!("<th scope=col class=n>{}</th>", esc(h)),
            None => format!("<th scope=col>{}</th>", esc(h)),
        })
        .collect();
    // On a phone the rows stack, each cell labelled with its column.
    let labels: Vec<String> = labels
        .iter()
        .map(|h| h.trim_end_matches('#').to_string())
        .collect();
    let body: String = rows
        .iter()
        .map(|(class, cells)| {
            let class = if class.is_empty() {
                String::new()
            } else {
                format!(" class={class}")
            };
            let cells: String = cells
                .iter()
                .zip(labels.iter().chain(std::iter::repeat(&String::new())))
                .map(|(c, label)| match c.strip_prefix("<td") {
                    Some(rest) if !label.is_empty() => {
                        format!("<td data-label=\"{}\"{rest}", esc(label))
                    }
                    _ => c.clone(),
                })
                .collect();
            format!("<tr{class}>{cells}</tr>")
        })
        .collect();
    format!(
        "<div class=scroll><table><caption>{}</caption><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>",
        esc(caption)
    )
}

/// A cell of text.
pub fn td(text: &str) -> String {
    format!("<td>{}</td>", esc(text))
}

/// A cell holding a number.
pub fn td_n(n: impl std::fmt::Display) -> String {
    format!("<td class=n>{n}</td>")
}

/// A cell of HTML already made safe.
pub fn td_html(html: String) -> String {
    format!("<td>{html}</td>")
}

/// A link to an attendee's page: their badge, then `text` beside it.
pub fn attendee_link(badge: &str, text: &str) -> String {
    format!(
        "<a href=\"/admin/attendees?q={}\">{}</a> {}",
        url_value(badge),
        esc(badge),
        esc(text)
    )
}

/// A kiosk's RFC 3339 time in the event's zone, `YYYY-MM-DD HH:MM`; text
/// that is not a time is shown as it is.
pub fn local(t: &str, tz: &jiff::tz::TimeZone) -> String {
    t.parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}

/// A query string value, percent-encoded.
pub fn url_value(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_never_becomes_markup() {
        let r = Reader {
            user: "<b>x</b>",
            csrf: "\"><script>",
        };
        let page = layout("E & co", "T<", "/admin", &r, "");
        assert!(!page.contains("<b>x</b>"));
        assert!(!page.contains("\"><script>"));
        assert!(page.contains("E &amp; co"));
        let t = table(
            "c",
            &["a", "n#"],
            &[(String::new(), vec![td("<i>"), td_n(3)])],
        );
        assert!(t.contains("&lt;i&gt;") && t.contains("class=n>3<"));
        assert_eq!(url_value("a b&c"), "a%20b%26c");
    }
}
