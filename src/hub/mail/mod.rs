//! The certificate by e-mail (docs/mail.md). Two tasks in each hub
//! process, driven by the database alone:
//!
//! - the planner reads the records that arrived since it last read (the
//!   feed's order, from a cursor kept in PostgreSQL; one process at a
//!   time), works out each attendee's certificate as it stands, and
//!   queues a message when it says something no message sent has said;
//! - the sender takes the message due first (FOR UPDATE SKIP LOCKED, so
//!   no two processes take one), works the certificate out again as it
//!   stands then, and sends it, or withdraws it when there is nothing new
//!   to say; a server away or saying "later" means a try again with
//!   backoff, a permanent refusal of the address marks it.
//!
//! Upload ingest knows nothing of this: the planner polls the records'
//! feed order, and `cekiosk hub mail --resend` wakes every sender with a
//! NOTIFY.

mod message;
mod smtp;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::Hub;
use super::certificate::{self, CertView};
use super::db::{self, mail as queue};
use crate::domain::lang::Lang;

pub use message::{Envelope, Letter};

/// Records the planner reads at a time.
const BATCH: i64 = 2000;

/// How long a message taken stays the sender's: past it, another process
/// takes it (this one died sending). Longer than any exchange with the
/// server may take.
const LEASE_SECONDS: f64 = 600.0;

/// How long the sender waits before it looks again.
enum Wait {
    /// Until the next message is due, or something is queued.
    Due(Duration),
    /// The server is away: this long, whatever is queued.
    Away(Duration),
}

/// What a hub process needs to send certificates.
pub struct Mailer {
    transport: smtp::Transport,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    /// The part of `from` after the @, for Message-IDs.
    domain: String,
    timing: queue::Timing,
    retry_seconds: f64,
    /// How often the planner reads the records anew.
    poll: Duration,
}

impl Mailer {
    /// The mailer `[mail]` asks for: None without `smtp_url` (the hub
    /// sends nothing, and says so once); an error for settings the hub
    /// cannot send with.
    pub fn from_config(config: &crate::config::Config) -> anyhow::Result<Option<Mailer>> {
        let m = &config.mail;
        if m.smtp_url.trim().is_empty() {
            tracing::warn!(
                "no [mail] smtp_url (CEKIOSK_MAIL_SMTP_URL): this hub e-mails no certificates"
            );
            return Ok(None);
        }
        let transport = smtp::transport(m.smtp_url.trim())?;
        let from: Mailbox = match m.from.trim() {
            "" => {
                let from = default_from(config);
                tracing::warn!(%from, "no [mail] from: sending as the hub's own address");
                from
            }
            f => f
                .parse()
                .with_context(|| format!("[mail] from '{f}' is not a mailbox"))?,
        };
        let reply_to = match m.reply_to.trim() {
            "" => None,
            r => Some(
                r.parse::<Mailbox>()
                    .with_context(|| format!("[mail] reply_to '{r}' is not a mailbox"))?,
            ),
        };
        let domain = from.email.domain().to_string();
        let quiet = m.quiet_seconds;
        Ok(Some(Mailer {
            transport,
            from,
            reply_to,
            domain,
            timing: queue::Timing {
                quiet,
                min_interval: m.min_interval_minutes * 60.0,
            },
            retry_seconds: m.retry_seconds,
            poll: Duration::from_secs_f64(quiet.clamp(0.2, 1.0)),
        }))
    }

    /// Starts the planner and the sender for as long as the hub runs.
    pub fn start(self, hub: Arc<Hub>, database: String) {
        tracing::info!(from = %self.from, "e-mailing certificates");
        let me = Arc::new(self);
        let wake = Arc::new(Notify::new());
        let heard = wake.clone();
        db::follow(database, queue::WAKE, move || heard.notify_one());
        let (planner, h) = (me.clone(), hub.clone());
        let woken = wake.clone();
        tokio::spawn(async move {
            loop {
                match planner.plan(&h).await {
                    // A full batch: read on at once.
                    Ok(true) => continue,
                    Ok(false) => woken.notify_one(),
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "planning e-mails"),
                }
                tokio::time::sleep(planner.poll).await;
            }
        });
        tokio::spawn(async move {
            loop {
                match me.send_due(&hub).await {
                    Ok(Wait::Due(wait)) => {
                        let _ = tokio::time::timeout(wait, wake.notified()).await;
                    }
                    // The server is away: nothing is tried meanwhile,
                    // whatever is queued.
                    Ok(Wait::Away(wait)) => tokio::time::sleep(wait).await,
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "sending e-mails");
                        tokio::time::sleep(me.poll).await;
                    }
                }
            }
        });
    }

    /// One batch of the records since the planner last read: whether it
    /// was full (there is more to read now).
    async fn plan(&self, hub: &Hub) -> anyhow::Result<bool> {
        let Some(reading) = queue::read_changes(&hub.pool, BATCH).await? else {
            return Ok(false);
        };
        for chunk in reading.badges.chunks(200) {
            for latest in queue::latest(&hub.pool, chunk).await? {
                self.plan_one(hub, &latest).await?;
            }
        }
        let more = reading.more;
        reading.done().await?;
        Ok(more)
    }

    /// Queues a message for one attendee if their certificate says
    /// something no message sent to them has said.
    async fn plan_one(&self, hub: &Hub, latest: &queue::LatestCertificate) -> anyhow::Result<()> {
        if latest.declined || latest.refused {
            return Ok(());
        }
        let Some((view, lang)) = stands(hub, latest).await? else {
            return Ok(());
        };
        let print = fingerprint(&view, &latest.address, lang);
        if queue::enqueue(&hub.pool, &latest.badge_id, &print, self.timing).await? {
            tracing::debug!("e-mail queued");
        }
        Ok(())
    }

    /// Sends every message due now; how long to wait then.
    async fn send_due(&self, hub: &Hub) -> anyhow::Result<Wait> {
        while let Some(taken) = queue::take_next(&hub.pool, LEASE_SECONDS).await? {
            match self.send_one(hub, &taken).await {
                Ok(None) => {}
                Ok(Some(away)) => return Ok(Wait::Away(away)),
                Err(e) => {
                    // The database failed between taking and finishing: the
                    // lease runs out and the message is taken again.
                    tracing::error!(error = %format!("{e:#}"), id = taken.id, "sending an e-mail");
                    return Ok(Wait::Away(self.poll));
                }
            }
        }
        Ok(Wait::Due(match queue::next_due(&hub.pool).await? {
            Some(s) => Duration::from_secs_f64(s.clamp(0.05, 3600.0)),
            None => Duration::from_secs(3600),
        }))
    }

    /// Sends one message taken. Some wait when the server is away: the
    /// sender then tries nothing for that long (a queue of thousands is
    /// not run through against a server that is down).
    async fn send_one(&self, hub: &Hub, taken: &queue::Taken) -> anyhow::Result<Option<Duration>> {
        let resend = taken.reason == "resend";
        let latest = queue::latest(&hub.pool, std::slice::from_ref(&taken.badge_id))
            .await?
            .pop();
        let Some(latest) = latest.filter(|l| resend || !(l.declined || l.refused)) else {
            queue::withdraw(&hub.pool, taken.id).await?;
            return Ok(None);
        };
        let Some((view, lang)) = stands(hub, &latest).await? else {
            queue::withdraw(&hub.pool, taken.id).await?;
            return Ok(None);
        };
        let print = fingerprint(&view, &latest.address, lang);
        let last = queue::last_sent(&hub.pool, &taken.badge_id, taken.id).await?;
        if !resend && last.as_deref() == Some(print.as_str()) {
            queue::withdraw(&hub.pool, taken.id).await?;
            return Ok(None);
        }
        let thread = queue::first_sent(&hub.pool, &taken.badge_id).await?;
        let message_id = match &taken.message_id {
            Some(id) => id.clone(),
            None => new_message_id(&self.domain)?,
        };
        let pdf = certificate::pdf(&view, &hub.fonts)?;
        let letter = Letter {
            config: &hub.config,
            view: &view,
            lang,
            // An update when it says something new: a message sent again
            // as it was is not one.
            changed: last.as_deref().is_some_and(|l| l != print),
        };
        let env = Envelope {
            from: &self.from,
            reply_to: self.reply_to.as_ref(),
            to: &latest.address,
            message_id: &message_id,
            thread: thread.as_deref(),
        };
        queue::about_to_send(
            &hub.pool,
            taken.id,
            &queue::Content {
                message_id: &message_id,
                address: &latest.address,
                certificate_id: &view.certificate_id,
                language: lang.code(),
                fingerprint: &print,
            },
        )
        .await?;
        let outcome = match letter.message(&env, pdf) {
            Ok(m) => smtp::send(&self.transport, m, taken.attempts, self.retry_seconds).await,
            // An address the roster holds but no server could take.
            Err(e) => queue::SendOutcome::Refused(format!("not sent: {e}")),
        };
        // The log names the message, never the address (the answer keeps
        // it, in the database, for the CE office).
        match &outcome {
            queue::SendOutcome::Sent(_) => tracing::info!(id = taken.id, "e-mail sent"),
            queue::SendOutcome::Refused(a) => tracing::warn!(
                id = taken.id,
                answer = %without_addresses(a),
                "e-mail refused: address marked"
            ),
            queue::SendOutcome::Later {
                answer, seconds, ..
            } => tracing::warn!(
                id = taken.id,
                answer = %without_addresses(answer),
                retry_in_s = seconds,
                "e-mail not sent yet"
            ),
        }
        queue::finish(&hub.pool, taken.id, &outcome).await?;
        Ok(match outcome {
            queue::SendOutcome::Later {
                seconds,
                server_away: true,
                ..
            } => Some(Duration::from_secs_f64(seconds)),
            _ => None,
        })
    }
}

/// The attendee's certificate as it stands, and the language of the visit
/// that issued the latest: None while there is none to send (the roster
/// lacks the attendee, the address is none).
async fn stands(
    hub: &Hub,
    latest: &queue::LatestCertificate,
) -> anyhow::Result<Option<(CertView, Lang)>> {
    if crate::domain::email::mask(&latest.address).is_none() {
        return Ok(None);
    }
    let Some(data) = db::cert_data(&hub.pool, &latest.certificate_id).await? else {
        return Ok(None);
    };
    if data.attendee.is_none() {
        return Ok(None);
    }
    let lang = data
        .language
        .as_deref()
        .and_then(|l| l.parse::<Lang>().ok())
        .unwrap_or_default();
    Ok(Some((certificate::build(&hub.config, &data), lang)))
}

/// What a message about `v` says that is the attendee's own, as a hash:
/// the link, the name, each credit type's total, the UANs, MOC, what is
/// held, the address and the language. The event's own words (title,
/// statements) are left out, so mending a typo in the config does not
/// write to every attendee again.
pub fn fingerprint(v: &CertView, address: &str, lang: Lang) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update(s.as_bytes());
        h.update([0]);
    };
    put(&v.certificate_id);
    put(&v.short_code);
    put(&v.issued);
    put(&v.name);
    put(&v.degree);
    put(&address.trim().to_lowercase());
    put(lang.code());
    for l in &v.lines {
        put(l.code.as_str());
        put(&l.awarded.to_string());
    }
    for u in &v.uans {
        put(u);
    }
    put(&format!("{:?}/{}", v.moc_points, v.technician));
    // The reason's English words, whatever the message's language, as
    // before reasons had words in each: a message sent before then still
    // matches.
    for held in &v.held {
        put(&held.session_id);
        put(&held.reason.to_string());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The sender when `[mail] from` is not set: the provider's name at the
/// certificate links' host (`localhost` when that is an address).
fn default_from(config: &crate::config::Config) -> Mailbox {
    let host = config
        .certificate
        .url_base
        .split_once("://")
        .map_or("", |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    let domain = if host.contains('.') && host.parse::<std::net::IpAddr>().is_err() {
        host
    } else {
        "localhost"
    };
    let name = crate::domain::sanitize(&config.event.provider);
    format!("cekiosk@{domain}")
        .parse()
        .map(|a| Mailbox::new(Some(name), a))
        .unwrap_or_else(|_| Mailbox::new(None, "cekiosk@localhost".parse().expect("an address")))
}

/// A server's answer for the log: any word with an @ in it left out.
fn without_addresses(answer: &str) -> String {
    answer
        .split(' ')
        .map(|w| if w.contains('@') { "…" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Message-ID of our own, random: `<cekiosk.…@domain>`.
fn new_message_id(domain: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("<cekiosk.{token}@{domain}>"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::certificate::CertData;
    use crate::records::CountedClaim;
    use crate::records::{AttendeeRow, SessionRow};

    fn config() -> crate::config::Config {
        crate::config::Config::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config"
        )))
        .unwrap()
    }

    /// A physician's certificate: one session of 1.5 AMA credits claimed
    /// whole, or `q` quarter hours of it.
    fn view(config: &crate::config::Config, first: &str, q: u32) -> CertView {
        let data = CertData {
            certificate_id: "Zm9vYmFyYmF6cXV4cXV1eA".into(),
            short_code: "FZ1-ABCD".into(),
            badge_id: "A0012345".into(),
            issued_at: "2026-11-23T18:06:00Z".into(),
            attendee: Some(AttendeeRow {
                badge_id: "A0012345".into(),
                first_name: first.into(),
                last_name: "Okafor".into(),
                degree: "MD".into(),
                profession: crate::domain::Profession::Physician,
                email: "amelia.okafor@example.org".into(),
            }),
            claims: vec![CountedClaim {
                session: SessionRow {
                    session_id: "S012".into(),
                    title: "Adjuvant Immunotherapy in Melanoma".into(),
                    starts_at: "2026-11-23T09:15".into(),
                    ends_at: "2026-11-23T10:55".into(),
                    credits: 6,
                    credit_types: crate::domain::CodeSet::parse_list("AMA;ANCC;MOC").unwrap(),
                    track: String::new(),
                    room: String::new(),
                    acpe_uan: String::new(),
                },
                credits: q,
                claimed_at: "2026-11-23T18:00:00Z".into(),
            }],
            codes: None,
            pharm_role: None,
            moc_consent: false,
            held: vec![],
            language: None,
            counted_claims: vec!["c1".into()],
        };
        certificate::build(config, &data)
    }

    #[test]
    fn what_a_message_said_changes_with_the_attendees_certificate_not_the_events_words() {
        let mut c = config();
        let v = view(&c, "Amelia", 6);
        let print = fingerprint(&v, "amelia.okafor@example.org", Lang::En);
        assert_eq!(
            print,
            fingerprint(
                &view(&c, "Amelia", 6),
                " Amelia.Okafor@Example.org ",
                Lang::En
            )
        );
        for other in [
            fingerprint(
                &view(&c, "Amelia", 5),
                "amelia.okafor@example.org",
                Lang::En,
            ),
            fingerprint(&view(&c, "Amy", 6), "amelia.okafor@example.org", Lang::En),
            fingerprint(&v, "amelia@elsewhere.example.org", Lang::En),
            fingerprint(&v, "amelia.okafor@example.org", Lang::Ja),
        ] {
            assert_ne!(print, other);
        }
        c.event.title = "Oncology Annual Meeting 2026 (corrected)".into();
        assert_eq!(
            print,
            fingerprint(
                &view(&c, "Amelia", 6),
                "amelia.okafor@example.org",
                Lang::En
            )
        );
    }

    /// In every language: the subject and both parts in that language,
    /// the link, the credit; a name that looks like markup stays text in
    /// the HTML part; the message has the headers it needs and no list
    /// header, and carries the PDF.
    #[tokio::test]
    async fn the_message_in_every_language() {
        let c = config();
        let v = view(&c, "<b>Amelia</b>", 6);
        let from: Mailbox = "CE Office <ce@example.org>".parse().unwrap();
        let mut subjects = std::collections::BTreeSet::new();
        for lang in Lang::ALL {
            let letter = Letter {
                config: &c,
                view: &v,
                lang,
                changed: false,
            };
            subjects.insert(letter.subject());
            let (text, html) = (letter.text(), letter.html());
            assert!(text.contains(&v.url), "{}: {text}", lang.code());
            assert!(
                html.contains(&format!("href=\"{}\"", v.url)),
                "{}",
                lang.code()
            );
            assert!(text.contains("AMA PRA Category 1 Credits™"), "{text}");
            assert!(text.contains("1.5"), "{text}");
            assert!(text.contains("<b>Amelia</b> Okafor"), "{text}");
            assert!(!html.contains("<b>Amelia"), "{html}");
            assert!(html.contains(&format!("<html lang=\"{}\"", lang.code())));
            let env = Envelope {
                from: &from,
                reply_to: None,
                to: "amelia.okafor@example.org",
                message_id: "<cekiosk.test@example.org>",
                thread: Some("<cekiosk.first@example.org>"),
            };
            let m = letter.message(&env, b"%PDF-1.7 test".to_vec()).unwrap();
            let raw = String::from_utf8_lossy(&m.formatted()).to_string();
            for header in [
                "Message-ID: <cekiosk.test@example.org>",
                "In-Reply-To: <cekiosk.first@example.org>",
                "References: <cekiosk.first@example.org>",
                "Auto-Submitted: auto-generated",
                "Date: ",
                "Content-Type: application/pdf",
                "filename=\"certificate-FZ1-ABCD.pdf\"",
            ] {
                assert!(raw.contains(header), "{header} missing:\n{raw}");
            }
            assert!(!raw.to_lowercase().contains("list-unsubscribe"));
        }
        assert_eq!(
            subjects.len(),
            Lang::ALL.len(),
            "each language its own subject"
        );
        let changed = Letter {
            config: &c,
            view: &v,
            lang: Lang::En,
            changed: true,
        };
        assert!(changed.subject().starts_with("Your updated certificate"));
        assert!(
            changed
                .text()
                .contains("has changed since our last message")
        );
    }

    /// Without `[mail] from` the hub sends as itself, at the certificate
    /// links' host.
    #[test]
    fn a_sender_without_from() {
        let mut c = config();
        c.certificate.url_base = "https://ce.example.org/c/".into();
        let from = default_from(&c);
        assert_eq!(from.email.to_string(), "cekiosk@ce.example.org");
        assert_eq!(
            from.name.as_deref(),
            Some("Lakeshore Oncology Education Alliance")
        );
        c.certificate.url_base = "http://127.0.0.1:8787/c/".into();
        assert_eq!(default_from(&c).email.to_string(), "cekiosk@localhost");
    }

    #[test]
    fn the_log_never_names_an_address() {
        assert_eq!(
            without_addresses("550 5.1.1 <amelia@example.org>: Recipient address rejected"),
            "550 5.1.1 … Recipient address rejected"
        );
    }
}
