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
        let from: Mailbox = m
            .from
            .trim()
            .parse()
            .with_context(|| format!("[mail] from '{}' is not a mailbox", m.from))?;
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
            poll: Duration::from_secs_f64(quiet.clamp(0.2, 5.0)),
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
                let wait = match me.send_due(&hub).await {
                    Ok(wait) => wait,
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "sending e-mails");
                        me.poll
                    }
                };
                let _ = tokio::time::timeout(wait, wake.notified()).await;
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
        let full = reading.records == BATCH as usize;
        reading.done().await?;
        Ok(full)
    }

    /// Queues a message for one attendee if their certificate says
    /// something no message sent to them has said.
    async fn plan_one(&self, hub: &Hub, latest: &queue::Latest) -> anyhow::Result<()> {
        if latest.declined || latest.refused {
            return Ok(());
        }
        let Some((view, lang)) = stands(hub, latest).await? else {
            return Ok(());
        };
        let print = fingerprint(&view, &latest.address, lang);
        if queue::enqueue(&hub.pool, &latest.badge_id, &print, self.timing).await? {
            tracing::debug!(badge = %latest.badge_id, "e-mail queued");
        }
        Ok(())
    }

    /// Sends every message due now; how long until the next is due.
    async fn send_due(&self, hub: &Hub) -> anyhow::Result<Duration> {
        while let Some(taken) = queue::take_next(&hub.pool, LEASE_SECONDS).await? {
            if let Err(e) = self.send_one(hub, &taken).await {
                // The database failed between taking and finishing: the
                // lease runs out and the message is taken again.
                tracing::error!(error = %format!("{e:#}"), id = taken.id, "sending an e-mail");
                return Ok(self.poll);
            }
        }
        Ok(match queue::next_due(&hub.pool).await? {
            Some(s) => Duration::from_secs_f64(s.clamp(0.05, 3600.0)),
            None => Duration::from_secs(3600),
        })
    }

    async fn send_one(&self, hub: &Hub, taken: &queue::Taken) -> anyhow::Result<()> {
        let resend = taken.reason == "resend";
        let latest = queue::latest(&hub.pool, std::slice::from_ref(&taken.badge_id))
            .await?
            .pop();
        let Some(latest) = latest.filter(|l| resend || !(l.declined || l.refused)) else {
            return queue::withdraw(&hub.pool, taken.id).await;
        };
        let Some((view, lang)) = stands(hub, &latest).await? else {
            return queue::withdraw(&hub.pool, taken.id).await;
        };
        let print = fingerprint(&view, &latest.address, lang);
        let last = queue::last_sent(&hub.pool, &taken.badge_id, taken.id).await?;
        if !resend && last.as_deref() == Some(print.as_str()) {
            return queue::withdraw(&hub.pool, taken.id).await;
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
            Err(e) => queue::Outcome::Refused(format!("not sent: {e}")),
        };
        match &outcome {
            queue::Outcome::Sent(_) => tracing::info!(id = taken.id, "e-mail sent"),
            queue::Outcome::Refused(a) => {
                tracing::warn!(id = taken.id, answer = %a, "e-mail refused: address marked")
            }
            queue::Outcome::Later(a, s) => {
                tracing::warn!(id = taken.id, answer = %a, retry_in_s = s, "e-mail not sent yet")
            }
        }
        queue::finish(&hub.pool, taken.id, &outcome).await?;
        Ok(())
    }
}

/// The attendee's certificate as it stands, and the language of the visit
/// that issued the latest: None while there is none to send (the roster
/// lacks the attendee, the address is none).
async fn stands(hub: &Hub, latest: &queue::Latest) -> anyhow::Result<Option<(CertView, Lang)>> {
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
    for held in &v.held {
        put(&held.session_id);
        put(&held.reason);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A Message-ID of our own, random: `<cekiosk.…@domain>`.
fn new_message_id(domain: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("<cekiosk.{token}@{domain}>"))
}
