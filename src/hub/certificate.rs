//! The certificate: what it says, worked out from the attendee's claims
//! with the same rules the kiosk uses, and drawn as an HTML page and a PDF.

use super::award::{Choices, award};
use super::held::HeldLine;
use super::words;
use crate::config::Config;
use crate::domain::lang::Lang;
use crate::domain::{CodeSet, CreditCode, Quarters, amount, sanitize};
use crate::pdf::{Block, DocInfo, Fonts};
use crate::records::AttendeeRow;
use crate::records::CountedClaim;

/// What the hub holds for one certificate id.
#[derive(Debug, Clone)]
pub struct CertData {
    pub certificate_id: String,
    pub short_code: String,
    pub badge_id: String,
    pub issued_at: String,
    pub attendee: Option<AttendeeRow>,
    /// The attendee's claims that count (not void, not duplicates),
    /// earliest first.
    pub claims: Vec<CountedClaim>,
    /// Their claim ids, in the same order: a credential that counted one
    /// reads as revoked once it is void.
    pub counted_claims: Vec<String>,
    pub codes: Option<CodeSet>,
    pub pharm_role: Option<String>,
    pub moc_consent: bool,
    /// The attendee's claims the hub holds (a session it does not know
    /// yet, a claim that no longer fits the catalog), with the reasons.
    pub held: Vec<HeldLine>,
    /// The language the attendee used at the kiosk, as recorded.
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditLine {
    pub code: CreditCode,
    pub name: String,
    pub unit: String,
    pub awarded: Quarters,
    pub statement: String,
}

#[derive(Debug, Clone)]
pub struct CertView {
    pub participation: bool,
    pub name: String,
    pub degree: String,
    pub title: String,
    pub provider: String,
    /// The provider's web address (empty when the config gives none).
    pub provider_url: String,
    pub dates: String,
    pub location: String,
    pub lines: Vec<CreditLine>,
    pub uans: Vec<String>,
    /// Claims the rules keep out of the totals, and why.
    pub held: Vec<HeldLine>,
    pub technician: bool,
    pub moc_points: Option<Quarters>,
    pub joint: String,
    pub issued: String,
    /// When the certificate was issued, if the record's time reads as one.
    pub issued_at: Option<jiff::Timestamp>,
    pub certificate_id: String,
    pub short_code: String,
    pub url: String,
    pub paper: crate::pdf::PageSize,
}

/// The event's dates as a person writes them: "November 23–27, 2026".
pub fn event_dates(config: &Config) -> String {
    let (a, b) = (config.event.start_date, config.event.end_date);
    if a == b {
        a.strftime("%B %-d, %Y").to_string()
    } else if a.year() == b.year() && a.month() == b.month() {
        format!("{}–{}, {}", a.strftime("%B %-d"), b.day(), b.year())
    } else if a.year() == b.year() {
        format!(
            "{} – {}, {}",
            a.strftime("%B %-d"),
            b.strftime("%B %-d"),
            b.year()
        )
    } else {
        format!(
            "{} – {}",
            a.strftime("%B %-d, %Y"),
            b.strftime("%B %-d, %Y")
        )
    }
}

pub fn build(config: &Config, d: &CertData) -> CertView {
    let award = award(
        config,
        Choices {
            profession: d.attendee.as_ref().map(|a| a.profession),
            chosen: d.codes,
            moc_consent: d.moc_consent,
            pharm_role: d.pharm_role.as_deref(),
        },
        &d.claims,
    );
    // Every credit type with its configured statement, MOC's too.
    let lines: Vec<CreditLine> = award
        .totals
        .iter()
        .filter_map(|(code, q)| {
            let t = config.credit(*code)?;
            Some(CreditLine {
                code: *code,
                name: t.name.clone(),
                unit: t.unit.clone(),
                awarded: *q,
                statement: config.credit_statement(t),
            })
        })
        .collect();
    let technician = award.technician;
    let uans: Vec<String> = award.uans.iter().map(|u| u.uan.clone()).collect();
    let moc_points = award
        .codes
        .contains(CreditCode::MOC)
        .then(|| award.get(CreditCode::MOC));
    let (name, degree) = match &d.attendee {
        Some(a) => (
            sanitize(format!("{} {}", a.first_name, a.last_name).trim()),
            sanitize(&a.degree),
        ),
        None => (format!("Badge {}", sanitize(&d.badge_id)), String::new()),
    };
    let issued_at = d.issued_at.parse::<jiff::Timestamp>().ok();
    let issued = issued_at
        .map(|t| {
            t.to_zoned_datetime(config.tz.clone())
                .strftime("%B %-d, %Y")
                .to_string()
        })
        .unwrap_or_else(|| d.issued_at.clone());
    CertView {
        participation: award.codes.iter().all(|c| c == CreditCode::COP),
        held: d.held.iter().cloned().chain(award.held).collect(),
        name,
        degree,
        title: sanitize(&config.event.title),
        provider: sanitize(&config.event.provider),
        provider_url: sanitize(&config.event.provider_url),
        dates: event_dates(config),
        location: sanitize(&config.event.location),
        lines,
        uans,
        technician,
        moc_points,
        joint: config.statement(&config.statements.joint_accreditation),
        issued,
        issued_at,
        certificate_id: d.certificate_id.clone(),
        short_code: d.short_code.clone(),
        url: config.certificate_url(&d.certificate_id),
        paper: match config.certificate.paper {
            crate::config::Paper::Letter => crate::pdf::PageSize::Letter,
            crate::config::Paper::A4 => crate::pdf::PageSize::A4,
        },
    }
}

/// The provider, with its web address beside it when the config gives one
/// (ANCC asks the certificate to name the provider's address).
fn provider_text(v: &CertView) -> String {
    if v.provider_url.is_empty() {
        v.provider.clone()
    } else {
        format!("{} ({})", v.provider, v.provider_url)
    }
}

fn provider_html(v: &CertView) -> String {
    if v.provider_url.is_empty() {
        esc(&v.provider)
    } else {
        format!(
            "{} (<a href=\"{url}\">{url}</a>)",
            esc(&v.provider),
            url = esc(&v.provider_url)
        )
    }
}

/// Above the claims the rules keep out of the totals.
const HELD_HEADING: &str = "Being checked";
const HELD_NOTE: &str = "These claims are kept and checked by the CE office; they are not part of the credit above unless the check finds they count.";

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f4f1;color:#111}\
main{max-width:44rem;margin:0 auto;background:#fff;padding:1.5rem 1.25rem 2rem;line-height:1.5}\
h1{font-size:1.6rem;margin:.2rem 0 1rem;text-align:center}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}\
.name{font-size:1.5rem;font-weight:700;text-align:center;margin:.5rem 0 0}.degree{text-align:center;margin:0 0 1rem}\
table{width:100%;border-collapse:collapse}td{padding:.45rem .25rem;border-bottom:1px solid #ddd;vertical-align:top}\
td.amount{text-align:right;font-weight:700;white-space:nowrap}.statement{font-size:.9rem;color:#333}\
aside{border:2px solid #1d3b6a;border-radius:.4rem;padding:.8rem 1rem;margin:1.5rem 0;font-size:.92rem}\
.meta{font-size:.85rem;color:#444;word-break:break-all}a{color:#1d3b6a}\
.downloads{font-size:.95rem}.langs{font-size:.9rem;text-align:right;margin-bottom:.5rem}.langs a,.langs strong{margin-left:.4rem;display:inline-block}.verified{font-size:1.1rem}.note{font-size:.85rem;color:#444}.sr{position:absolute;left:-9999px}\
@page{margin:15mm}\
@media print{body{background:#fff}main{max-width:none;padding:0}.screen-only{display:none}\
a{color:#111;text-decoration:none}tr,aside{break-inside:avoid}h2{break-after:avoid}}";

/// A credit line's name and amount in `lang`, with the name and unit the
/// event's config gives that language.
pub fn credit_in(config: &Config, l: &CreditLine, lang: Lang) -> (String, String) {
    let name = config.credit_name(lang, l.code);
    let unit = config
        .credit_unit(lang, l.code)
        .unwrap_or_else(|| l.unit.clone());
    (name, amount(l.awarded, &unit))
}

/// The event's dates and the date issued, as `lang` writes them; English
/// keeps the page's written-out dates.
pub fn dates_in(config: &Config, v: &CertView, lang: Lang) -> (String, String) {
    if lang == Lang::En {
        return (v.dates.clone(), v.issued.clone());
    }
    let issued = v
        .issued_at
        .map(|t| words::date(lang, t.to_zoned_datetime(config.tz.clone()).date()))
        .unwrap_or_else(|| v.issued.clone());
    let (a, b) = (config.event.start_date, config.event.end_date);
    let dates = if a == b {
        words::date(lang, a)
    } else {
        words::word(
            lang,
            "cert-dates",
            &[
                ("from", &words::date(lang, a)),
                ("to", &words::date(lang, b)),
            ],
        )
    };
    (dates, issued)
}

/// The certificate page in `lang`: the page's own words translated, the
/// credit names and units as the event's config gives them in that
/// language, the designation and accreditation statements in the
/// provider's official English; links to the other languages.
pub fn html(config: &Config, v: &CertView, lang: Lang) -> String {
    let w = |id: &str, args: &[(&str, &str)]| words::word(lang, id, args);
    // The statements are English: said so to a screen reader on a page
    // that is not.
    let english = if lang == Lang::En { "" } else { " lang=\"en\"" };
    let mut credits = String::new();
    for l in &v.lines {
        let (name, amount) = credit_in(config, l, lang);
        credits.push_str(&format!(
            "<tr><td>{}<div class=\"statement\"{english}>{}</div></td><td class=\"amount\">{}</td></tr>",
            esc(&name),
            esc(&l.statement),
            esc(&amount),
        ));
    }
    let mut notes = String::new();
    if !v.uans.is_empty() {
        let who = w(
            if v.technician {
                "cert-technicians"
            } else {
                "cert-pharmacists"
            },
            &[],
        );
        notes.push_str(&format!(
            "<h2>{}</h2><p>{}</p>",
            w("cert-pharmacy-heading", &[]),
            w(
                "cert-pharmacy",
                &[("who", &who), ("uans", &esc(&v.uans.join(", ")))]
            )
        ));
    }
    if let Some(points) = v.moc_points {
        let unit = config
            .credit_unit(lang, CreditCode::MOC)
            .filter(|_| lang != Lang::En)
            .unwrap_or_else(|| "ABIM MOC points".into());
        notes.push_str(&format!(
            "<h2>{}</h2><p>{}</p>",
            w("cert-moc-heading", &[]),
            w("cert-moc", &[("points", &esc(&amount(points, &unit)))])
        ));
    }
    if !v.held.is_empty() {
        notes.push_str(&format!("<h2>{}</h2><ul>", w("cert-held-heading", &[])));
        for h in &v.held {
            notes.push_str(&format!(
                "<li><strong>{}</strong>: {}</li>",
                esc(&h.title),
                esc(&h.reason.words(lang))
            ));
        }
        notes.push_str(&format!("</ul><p>{}</p>", w("cert-held-note", &[])));
    }
    let heading = w(
        if v.participation {
            "cert-participation"
        } else {
            "cert-credit"
        },
        &[],
    );
    let (dates, issued) = dates_in(config, v, lang);
    let mut switch = String::new();
    for other in Lang::ALL {
        let name = other.own_name();
        if other == lang {
            switch.push_str(&format!(" <strong aria-current=\"true\">{name}</strong>"));
        } else {
            switch.push_str(&format!(
                " <a href=\"?lang={code}\" lang=\"{code}\" hreflang=\"{code}\">{name}</a>",
                code = other.code()
            ));
        }
    }
    let official = if lang == Lang::En {
        String::new()
    } else {
        format!("<p class=\"note\">{}</p>", w("cert-official-english", &[]))
    };
    let participated = w(
        "cert-participated",
        &[
            ("title", &format!("<strong>{}</strong>", esc(&v.title))),
            ("dates", &esc(&dates)),
            ("location", &esc(&v.location)),
            ("provider", &provider_html(v)),
        ],
    );
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{heading} — {title}</title><style>{STYLE}</style></head><body><main>\
<nav class=\"screen-only langs\" aria-label=\"{language}\">{language}:{switch}</nav>\
<h1>{heading}</h1><p style=\"text-align:center\">{certifies}</p>\
<p class=\"name\">{name}</p><p class=\"degree\">{degree}</p>\
<p>{participated}</p>\
<h2>{credit_heading}</h2><table>{credits}</table>{notes}\
<aside aria-label=\"Joint Accreditation\"{english}>{joint}</aside>{official}\
<p class=\"meta\">{issued}<br>{code_line}<br>{verify} <a href=\"{url}\">{url_text}</a>\
</p><p class=\"screen-only downloads\"><a href=\"{id}.pdf\">{download_pdf}</a> · \
<a href=\"{id}.jwt\" download>{download_credential}</a> {credential_note}</p></main></body></html>",
        code = lang.code(),
        language = w("cert-language", &[]),
        certifies = w("cert-certifies", &[]),
        credit_heading = w("cert-credit-heading", &[]),
        issued = w("cert-issued", &[("date", &esc(&issued))]),
        code_line = w(
            "cert-code",
            &[
                ("short", &esc(&v.short_code)),
                ("id", &esc(&v.certificate_id))
            ]
        ),
        verify = w("cert-verify", &[]),
        download_pdf = w("cert-download-pdf", &[]),
        download_credential = w("cert-download-credential", &[]),
        credential_note = w("cert-credential-note", &[("provider", &esc(&v.provider))]),
        title = esc(&v.title),
        name = esc(&v.name),
        degree = esc(&v.degree),
        joint = esc(&v.joint),
        id = esc(&v.certificate_id),
        url = esc(&v.url),
        url_text = esc(&v.url),
    )
}

/// The certificate as a PDF/A file in `fonts`. An error is a bug in the
/// PDF writer (the validator refused the file), answered 500 and logged.
pub fn pdf(v: &CertView, fonts: &Fonts) -> anyhow::Result<Vec<u8>> {
    let heading = if v.participation {
        "Certificate of Participation"
    } else {
        "Certificate of Credit"
    };
    let mut blocks = vec![
        Block::Title(heading.to_string()),
        Block::Space(8.0),
        Block::Paragraph("This certifies that".into()),
        Block::Heading(if v.degree.is_empty() {
            v.name.clone()
        } else {
            format!("{}, {}", v.name, v.degree)
        }),
        Block::Paragraph(format!(
            "participated in the live activity {}, {}, {}, provided by {}.",
            v.title,
            v.dates,
            v.location,
            provider_text(v)
        )),
        Block::Space(8.0),
        Block::Heading("Credit".into()),
    ];
    for l in &v.lines {
        blocks.push(Block::CreditRow(l.name.clone(), amount(l.awarded, &l.unit)));
        blocks.push(Block::Small(l.statement.clone()));
        blocks.push(Block::Space(4.0));
    }
    if !v.uans.is_empty() {
        blocks.push(Block::Heading("Pharmacy credit".into()));
        blocks.push(Block::Paragraph(format!(
            "Credit for {} is reported to NABP CPE Monitor under these Universal Activity Numbers: {}. The official statement of credit comes from NABP CPE Monitor.",
            if v.technician { "pharmacy technicians" } else { "pharmacists" },
            v.uans.join(", ")
        )));
    }
    if let Some(points) = v.moc_points {
        blocks.push(Block::Heading("ABIM Maintenance of Certification".into()));
        blocks.push(Block::Paragraph(format!(
            "{}. Completion is reported to ABIM through ACCME PARS.",
            amount(points, "ABIM MOC points")
        )));
    }
    if !v.held.is_empty() {
        blocks.push(Block::Heading(HELD_HEADING.into()));
        for h in &v.held {
            blocks.push(Block::Paragraph(format!("{}: {}", h.title, h.reason)));
        }
        blocks.push(Block::Small(HELD_NOTE.into()));
    }
    blocks.push(Block::Space(6.0));
    blocks.push(Block::SetApart(v.joint.clone()));
    blocks.push(Block::Space(6.0));
    blocks.push(Block::Field("Issued".into(), v.issued.clone()));
    blocks.push(Block::Field(
        "Certificate".into(),
        format!("{} (id {})", v.short_code, v.certificate_id),
    ));
    blocks.push(Block::Small(format!("Verify at {}", v.url)));
    let info = DocInfo {
        title: format!("{heading} — {}", v.title),
        author: v.provider.clone(),
        language: "en".into(),
        // PDF/A asks for a date; a record whose time does not read as one
        // (it always does) is dated when drawn.
        created: v.issued_at.unwrap_or_else(jiff::Timestamp::now),
        paper: v.paper,
    };
    Ok(crate::pdf::render(fonts, &info, &blocks)?)
}

/// The page for a certificate whose attendee the hub's roster does not
/// have yet (registered on site, say): no certificate without a name.
pub fn checking_html(config: &Config) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Certificate being checked</title>\
<style>{STYLE}</style></head><body><main><h1>Your certificate is being checked</h1>\
<p>Your claim reached {provider}, and is kept. Your registration is being confirmed by the CE office; \
the certificate appears at this address, with your name and credit, as soon as it is. \
Keep this link, or the QR code, and open it again later.</p>\
<p class=\"meta\">{title}</p></main></body></html>",
        provider = esc(&config.event.provider),
        title = esc(&config.event.title),
    )
}

/// The page for an id the hub has not received yet but whose summary it
/// verified with the issuing kiosk's key: what was issued, where and
/// when, and that the full certificate follows the kiosk's upload.
pub fn verified_html(config: &Config, s: &crate::domain::certificate_id::Summary) -> String {
    let when = s
        .issued
        .to_zoned_datetime(config.tz.clone())
        .strftime("%A %-d %B, %H:%M")
        .to_string();
    let mut credits = String::new();
    for (code, q) in &s.credits {
        let name = config
            .credit(*code)
            .map_or(code.as_str(), |c| c.name.as_str());
        credits.push_str(&format!(
            "<tr><td>{}</td><td class=\"amount\">{}</td></tr>",
            esc(name),
            esc(&crate::domain::format_quarters(*q)),
        ));
    }
    if credits.is_empty() {
        credits.push_str("<tr><td>No credit claimed on this visit</td><td></td></tr>");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Certificate issued: verified</title>\
<style>{STYLE}</style></head><body><main><h1>Your certificate was issued</h1>\
<p class=\"verified\"><strong>Verified:</strong> issued at kiosk {kiosk} on {when} (local time):</p>\
<table><caption class=\"sr\">Credits issued</caption>{credits}</table>\
<p>Your full certificate, with your name and the accreditation statements, appears here after the kiosk's upload to \
{provider}, usually by the end of the day. Keep this link, or the QR code, and open it again later.</p>\
<p class=\"note\">This summary travels in the link itself, signed by the kiosk; {provider} checked the signature.</p>\
<p class=\"meta\">{title}</p></main></body></html>",
        kiosk = esc(&s.kiosk),
        when = esc(&when),
        provider = esc(&config.event.provider),
        title = esc(&config.event.title),
    )
}

/// The page for a summary id whose signature does not hold: altered,
/// forged, or from a kiosk whose token the hub does not hold. Nothing in
/// it is shown as issued.
pub fn unverified_html(config: &Config) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Certificate not verified</title>\
<style>{STYLE}</style></head><body><main><h1>This certificate link cannot be verified</h1>\
<p>{provider} has no certificate at this address, and the link's signature does not match any kiosk of this event. \
If you typed the link, check it against the QR code; otherwise ask at the CE desk with your certificate code.</p>\
<p class=\"meta\">{title}</p></main></body></html>",
        provider = esc(&config.event.provider),
        title = esc(&config.event.title),
    )
}

/// The page for an id the hub has not received (yet).
pub fn pending_html(config: &Config) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Certificate on its way</title>\
<style>{STYLE}</style></head><body><main><h1>Your certificate is on its way</h1>\
<p>Your claim was recorded at the kiosk. The certificate appears at this address once the kiosk has uploaded its records \
to {provider}, usually by the end of the day. Keep this link, or the QR code, and open it again later.</p>\
<p class=\"meta\">{title}</p></main></body></html>",
        provider = esc(&config.event.provider),
        title = esc(&config.event.title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::held::HeldReason;

    /// A held claim's reason reads in the page's language; English is
    /// the sentence the hub has always given.
    #[test]
    fn a_held_reason_reads_in_the_pages_language() {
        let config = Config::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config"
        )))
        .unwrap();
        let data = CertData {
            certificate_id: "Zm9vYmFyYmF6cXV4cXV1eA".into(),
            short_code: "FZ1-ABCD".into(),
            badge_id: "A0012345".into(),
            issued_at: "2026-11-23T18:06:00Z".into(),
            attendee: None,
            claims: vec![],
            codes: None,
            pharm_role: None,
            moc_consent: false,
            held: vec![HeldLine {
                session_id: "S015".into(),
                title: "Late Session".into(),
                reason: HeldReason::NotEnded {
                    session_id: "S015".into(),
                    claimed_at: "2026-11-23T16:00:00Z".into(),
                },
            }],
            language: None,
            counted_claims: vec![],
        };
        let view = build(&config, &data);
        let english = html(&config, &view, Lang::En);
        assert!(
            english.contains(
                "<strong>Late Session</strong>: session S015 had not ended when it was claimed (2026-11-23T16:00:00Z)"
            ),
            "{english}"
        );
        let german = html(&config, &view, Lang::De);
        assert!(
            german.contains(
                "<strong>Late Session</strong>: Sitzung S015 war noch nicht zu Ende, als sie beantragt wurde (2026-11-23T16:00:00Z)"
            ),
            "{german}"
        );
    }
}
