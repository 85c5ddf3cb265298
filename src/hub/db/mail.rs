//! The certificate by e-mail in PostgreSQL (docs/mail.md): the queue
//! every hub process on the database shares, what each message said and
//! what became of it, the addresses refused for good, and how far the
//! planner has read the records. Rows are taken with FOR UPDATE SKIP
//! LOCKED, so two processes never send the same one; everything lives in
//! the database, so a restart loses nothing.

use deadpool_postgres::Pool;

use super::DbResult;

/// The channel on which a hub process (or `cekiosk hub mail --resend`)
/// says a message is waiting, so every hub's sender looks now.
pub const WAKE: &str = "cekiosk_mail";

/// The kinds of record that can change an attendee's certificate.
const CHANGING: &str = "kind IN ('claim', 'void', 'certificate', 'profile', 'attendee')";

/// The planner's lock (`pg_try_advisory_xact_lock`): one hub process
/// reads the records at a time.
const PLANNER_LOCK: i64 = 0x6d61_696c; // "mail"

/// One attendee's latest certificate, as the planner and the sender read
/// it.
#[derive(Debug, Clone)]
pub struct LatestCertificate {
    pub badge_id: String,
    pub certificate_id: String,
    /// The visit that issued it declined the message.
    pub declined: bool,
    /// The address on the roster.
    pub address: String,
    /// A mail server refused that address for good.
    pub refused: bool,
}

/// The attendees the records that arrived since the planner last read
/// are about, read in the feed's order and never past a transaction still
/// running (so none is skipped). The reading holds the planner's lock (one
/// hub process reads at a time) until `done` moves the cursor on; dropped
/// before, it moves nothing and the records are read again.
pub struct Reading {
    client: Option<deadpool_postgres::Object>,
    pub badges: Vec<String>,
    /// The batch was full: there may be more to read now.
    pub more: bool,
    last: Option<(String, i64)>,
}

/// The next batch of at most `limit` records; None when another hub
/// process is reading.
pub async fn read_changes(pool: &Pool, limit: i64) -> DbResult<Option<Reading>> {
    let client = pool.get().await?;
    // A transaction begun by hand, so the reading can own its connection;
    // a reading dropped before `done` takes the connection out of the pool.
    client.batch_execute("BEGIN").await?;
    let mut reading = Reading {
        client: Some(client),
        badges: Vec::new(),
        more: false,
        last: None,
    };
    let c = reading.client()?;
    let mine: bool = c
        .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&PLANNER_LOCK])
        .await?
        .get(0);
    if !mine {
        c.batch_execute("ROLLBACK").await?;
        if let Some(c) = reading.client.take() {
            drop(c);
        }
        return Ok(None);
    }
    // Each statement has its own snapshot here: every transaction older
    // than this xmin has ended, so the next statement sees all of it.
    let xmin: String = c
        .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])
        .await?
        .get(0);
    let mut rows = c
        .query(
            &format!(
                "SELECT r.badge_id, r.txid::text, r.seq FROM records r, mail_cursor m
                 WHERE (r.txid, r.seq) > (m.txid, m.seq) AND r.txid < $1::text::xid8
                   AND r.{CHANGING} AND r.badge_id IS NOT NULL
                 ORDER BY r.txid, r.seq LIMIT $2"
            ),
            &[&xmin, &limit],
        )
        .await?;
    // One transaction can hold several devices' records at one seq (a
    // roster import puts them back on the feed's order together): a full
    // batch never ends inside such a group, or the cursor would pass the
    // rest of it.
    let key = |r: &tokio_postgres::Row| (r.get::<_, String>(1), r.get::<_, i64>(2));
    let more = rows.len() as i64 == limit;
    if more && let Some(last) = rows.last().map(key) {
        match rows.iter().rposition(|r| key(r) != last) {
            Some(i) => rows.truncate(i + 1),
            None => {
                rows = c
                    .query(
                        &format!(
                            "SELECT badge_id, txid::text, seq FROM records
                             WHERE txid = $1::text::xid8 AND seq = $2 AND {CHANGING}
                               AND badge_id IS NOT NULL"
                        ),
                        &[&last.0, &last.1],
                    )
                    .await?
            }
        }
    }
    reading.more = more;
    reading.last = rows.last().map(|r| (r.get(1), r.get(2)));
    reading.badges = rows.iter().map(|r| r.get(0)).collect();
    reading.badges.sort();
    reading.badges.dedup();
    Ok(Some(reading))
}

impl Reading {
    fn client(&self) -> DbResult<&deadpool_postgres::Object> {
        self.client
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("the planner's reading is over"))
    }

    /// The batch is planned: the cursor moves past it.
    pub async fn done(mut self) -> DbResult<()> {
        let c = self.client()?;
        if let Some((txid, seq)) = &self.last {
            c.execute(
                "UPDATE mail_cursor SET txid = $1::text::xid8, seq = $2",
                &[txid, seq],
            )
            .await?;
        }
        c.batch_execute("COMMIT").await?;
        // Committed: the connection goes back to the pool as it came.
        self.client.take();
        Ok(())
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        // Still in its transaction: never back to the pool.
        if let Some(c) = self.client.take() {
            drop(deadpool_postgres::Object::take(c));
        }
    }
}

/// The latest certificate of each of `badges` on the roster, with the
/// roster's address.
pub async fn latest(pool: &Pool, badges: &[String]) -> DbResult<Vec<LatestCertificate>> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT DISTINCT ON (c.badge_id) c.badge_id, c.certificate_id, c.mail_declined, a.email,
                    EXISTS (SELECT 1 FROM mail_refused m WHERE m.address = lower(trim(a.email)))
             FROM certificate_rows c JOIN attendees a ON a.badge_id = c.badge_id
             WHERE c.badge_id = ANY($1)
             ORDER BY c.badge_id, c.issued_at DESC, c.received_at DESC, c.certificate_id",
            &[&badges],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| LatestCertificate {
            badge_id: r.get(0),
            certificate_id: r.get(1),
            declined: r.get(2),
            address: r.get::<_, String>(3).trim().to_string(),
            refused: r.get(4),
        })
        .collect())
}

/// The timings a message waits by, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// After the records changed, before sending.
    pub quiet: f64,
    /// Between two messages to one attendee.
    pub min_interval: f64,
}

/// Queues a message for `badge` whose certificate now has `fingerprint`,
/// unless one waits already (it is written when sent, so it will say
/// what the certificate says then) or the last message sent said just
/// that. It waits `quiet` seconds, and until `min_interval` has passed
/// since the last message. Whether a row was added.
pub async fn enqueue(pool: &Pool, badge: &str, fingerprint: &str, t: Timing) -> DbResult<bool> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    // A sender taking the waiting row is waited for: then it is no longer
    // waiting, and what it sends is compared below.
    let waiting = tx
        .query_opt(
            "SELECT id FROM mail_messages WHERE badge_id = $1 AND state = 'queued' FOR UPDATE",
            &[&badge],
        )
        .await?;
    if waiting.is_some() {
        tx.commit().await?;
        return Ok(false);
    }
    let last = tx
        .query_opt(
            "SELECT fingerprint, coalesce(done_at, tried_at) FROM mail_messages
             WHERE badge_id = $1 AND state IN ('sending', 'sent') ORDER BY id DESC LIMIT 1",
            &[&badge],
        )
        .await?;
    if let Some(r) = &last
        && r.get::<_, Option<&str>>(0) == Some(fingerprint)
    {
        tx.commit().await?;
        return Ok(false);
    }
    let reason = if last.is_some() { "changed" } else { "first" };
    let added = tx
        .execute(
            "INSERT INTO mail_messages(badge_id, reason, not_before)
             SELECT $1, $2, greatest(now() + make_interval(secs => $3),
                                     max(coalesce(done_at, tried_at)) + make_interval(secs => $4))
             FROM mail_messages WHERE badge_id = $1 AND state IN ('sending', 'sent')
             ON CONFLICT (badge_id) WHERE state = 'queued' DO NOTHING",
            &[&badge, &reason, &t.quiet, &t.min_interval],
        )
        .await?;
    tx.commit().await?;
    Ok(added == 1)
}

/// A message a sender has taken.
#[derive(Debug, Clone)]
pub struct Taken {
    pub id: i64,
    pub badge_id: String,
    pub reason: String,
    /// None until the message is first sent: each try after sends the
    /// same, so a server that took it twice can tell.
    pub message_id: Option<String>,
    pub attempts: i32,
}

/// Takes the message due first, if any, for `lease` seconds: another
/// process takes it only once the lease has run out (this one died
/// sending it).
pub async fn take_next(pool: &Pool, lease: f64) -> DbResult<Option<Taken>> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "UPDATE mail_messages SET state = 'sending', attempts = attempts + 1, tried_at = now(),
                    lease_until = now() + make_interval(secs => $1)
             WHERE id = (SELECT id FROM mail_messages
                         WHERE (state = 'queued' AND not_before <= now())
                            OR (state = 'sending' AND lease_until < now())
                         ORDER BY not_before, id LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING id, badge_id, reason, message_id, attempts",
            &[&lease],
        )
        .await?;
    Ok(row.map(|r| Taken {
        id: r.get(0),
        badge_id: r.get(1),
        reason: r.get(2),
        message_id: r.get(3),
        attempts: r.get(4),
    }))
}

/// Seconds until the next message is due (zero or less: now), if any waits.
pub async fn next_due(pool: &Pool) -> DbResult<Option<f64>> {
    let client = pool.get().await?;
    let row = client
        .query_one(
            "SELECT extract(epoch FROM min(CASE WHEN state = 'queued' THEN not_before ELSE lease_until END)
                                     - now())::float8
             FROM mail_messages WHERE state IN ('queued', 'sending')",
            &[],
        )
        .await?;
    Ok(row.get(0))
}

/// What the last message sent to `badge` said, other than message `id`.
pub async fn last_sent(pool: &Pool, badge: &str, id: i64) -> DbResult<Option<String>> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT fingerprint FROM mail_messages
             WHERE badge_id = $1 AND state = 'sent' AND id <> $2 ORDER BY done_at DESC, id DESC LIMIT 1",
            &[&badge, &id],
        )
        .await?;
    Ok(row.and_then(|r| r.get(0)))
}

/// The Message-ID of the first message sent to `badge`, which later ones
/// name so a mail client shows them together.
pub async fn first_sent(pool: &Pool, badge: &str) -> DbResult<Option<String>> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT message_id FROM mail_messages WHERE badge_id = $1 AND state = 'sent'
             ORDER BY id LIMIT 1",
            &[&badge],
        )
        .await?;
    Ok(row.map(|r| r.get(0)))
}

/// A message taken that has nothing to say (the certificate still says
/// what was sent, the visit declined, the address was refused): it goes,
/// as if never queued.
pub async fn withdraw(pool: &Pool, id: i64) -> DbResult<()> {
    let client = pool.get().await?;
    client
        .execute("DELETE FROM mail_messages WHERE id = $1", &[&id])
        .await?;
    Ok(())
}

/// What a message taken will say, written before it goes to the server.
pub struct Content<'a> {
    pub message_id: &'a str,
    pub address: &'a str,
    pub certificate_id: &'a str,
    pub language: &'a str,
    pub fingerprint: &'a str,
}

pub async fn about_to_send(pool: &Pool, id: i64, c: &Content<'_>) -> DbResult<()> {
    let client = pool.get().await?;
    client
        .execute(
            "UPDATE mail_messages SET address = $2, certificate_id = $3, language = $4, fingerprint = $5,
                    message_id = $6
             WHERE id = $1",
            &[
                &id,
                &c.address,
                &c.certificate_id,
                &c.language,
                &c.fingerprint,
                &c.message_id,
            ],
        )
        .await?;
    Ok(())
}

/// What became of a message at the mail server.
#[derive(Debug, Clone)]
pub enum SendOutcome {
    /// Accepted, with the server's answer.
    Sent(String),
    /// Refused for good (a 5xx about the address): the address is marked.
    Refused(String),
    /// Not now (server away, a 4xx, a refusal about the hub itself): tried
    /// again after `seconds`. `server_away` when the server did not take
    /// up the message at all (no answer, or it refused the hub): then no
    /// other message is tried meanwhile either.
    Later {
        answer: String,
        seconds: f64,
        server_away: bool,
    },
}

pub async fn finish(pool: &Pool, id: i64, outcome: &SendOutcome) -> DbResult<()> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    match outcome {
        SendOutcome::Sent(answer) => {
            tx.execute(
                "UPDATE mail_messages SET state = 'sent', done_at = now(), lease_until = NULL, answer = $2
                 WHERE id = $1",
                &[&id, answer],
            )
            .await?;
        }
        SendOutcome::Refused(answer) => {
            tx.execute(
                "UPDATE mail_messages SET state = 'refused', done_at = now(), lease_until = NULL,
                        answer = $2 WHERE id = $1",
                &[&id, answer],
            )
            .await?;
            tx.execute(
                "INSERT INTO mail_refused(address, answer)
                 SELECT lower(trim(address)), $2 FROM mail_messages WHERE id = $1 AND address IS NOT NULL
                 ON CONFLICT (address) DO UPDATE SET at = now(), answer = excluded.answer",
                &[&id, answer],
            )
            .await?;
        }
        SendOutcome::Later {
            answer, seconds, ..
        } => {
            // Back in the queue, unless a newer message for the attendee
            // waits there: it will say what this one would have.
            let back = tx
                .execute(
                    "UPDATE mail_messages m SET state = 'queued', lease_until = NULL, answer = $2,
                            not_before = now() + make_interval(secs => $3)
                     WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM mail_messages o
                                                   WHERE o.badge_id = m.badge_id AND o.state = 'queued')",
                    &[&id, answer, seconds],
                )
                .await?;
            if back == 0 {
                tx.execute(
                    "UPDATE mail_messages SET state = 'replaced', done_at = now(), lease_until = NULL,
                            answer = $2 || '; a newer message replaces it' WHERE id = $1",
                    &[&id, answer],
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// `cekiosk hub mail --resend`: what was queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resend {
    /// Queued (or the waiting message made due now) for this address.
    Queued(String),
    NoAttendee,
    NoCertificate,
    NoAddress,
}

/// Queues the attendee's certificate to go now, whatever was sent before
/// and whatever the visit chose; wakes every hub's sender.
pub async fn resend(pool: &Pool, badge: &str) -> DbResult<Resend> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let Some(person) = tx
        .query_opt(
            "SELECT a.email, EXISTS (SELECT 1 FROM certificate_rows c WHERE c.badge_id = a.badge_id)
             FROM attendees a WHERE a.badge_id = $1",
            &[&badge],
        )
        .await?
    else {
        return Ok(Resend::NoAttendee);
    };
    let address: String = person.get::<_, String>(0).trim().to_string();
    if !person.get::<_, bool>(1) {
        return Ok(Resend::NoCertificate);
    }
    if crate::domain::email::mask(&address).is_none() {
        return Ok(Resend::NoAddress);
    }
    tx.execute(
        "INSERT INTO mail_messages(badge_id, reason) VALUES ($1, 'resend')
         ON CONFLICT (badge_id) WHERE state = 'queued'
         DO UPDATE SET reason = 'resend', not_before = now()",
        &[&badge],
    )
    .await?;
    tx.batch_execute(&format!("NOTIFY {WAKE}")).await?;
    tx.commit().await?;
    Ok(Resend::Queued(address))
}

/// One message, as the attendee's page lists it.
#[derive(Debug, Clone)]
pub struct MessageLine {
    pub state: String,
    pub reason: String,
    /// When queued, last tried, and sent or refused (event-local,
    /// `YYYY-MM-DD HH:MM`).
    pub queued: String,
    pub tried: Option<String>,
    pub done: Option<String>,
    /// When a message waiting will go, if later than now.
    pub due: Option<String>,
    pub attempts: i32,
    pub address: Option<String>,
    pub language: Option<String>,
    pub answer: Option<String>,
}

/// All the hub knows of the certificate by e-mail for one attendee.
#[derive(Debug, Clone, Default)]
pub struct MailHistory {
    /// Newest first.
    pub messages: Vec<MessageLine>,
    /// When visits that declined the message issued their certificates.
    pub declined: Vec<String>,
    /// The address, when a mail server refused it for good: (when, answer).
    pub refused: Option<(String, String)>,
}

pub async fn history(pool: &Pool, badge: &str, tz: &str) -> DbResult<MailHistory> {
    let client = pool.get().await?;
    let t = |col: &str| format!("to_char({col} AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI')");
    let messages = client
        .query(
            &format!(
                "SELECT state, reason, {}, {}, {}, CASE WHEN not_before > now() AND state = 'queued' THEN {} END,
                        attempts, address, language, answer
                 FROM mail_messages WHERE badge_id = $1 ORDER BY id DESC",
                t("queued_at"),
                t("tried_at"),
                t("done_at"),
                t("not_before")
            ),
            &[&badge, &tz],
        )
        .await?
        .iter()
        .map(|r| MessageLine {
            state: r.get(0),
            reason: r.get(1),
            queued: r.get(2),
            tried: r.get(3),
            done: r.get(4),
            due: r.get(5),
            attempts: r.get(6),
            address: r.get(7),
            language: r.get(8),
            answer: r.get(9),
        })
        .collect();
    let declined = client
        .query(
            "SELECT issued_at FROM certificate_rows WHERE badge_id = $1 AND mail_declined
             ORDER BY issued_at",
            &[&badge],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let refused = client
        .query_opt(
            &format!(
                "SELECT {}, m.answer FROM mail_refused m JOIN attendees a ON m.address = lower(trim(a.email))
                 WHERE a.badge_id = $1",
                t("m.at")
            ),
            &[&badge, &tz],
        )
        .await?
        .map(|r| (r.get(0), r.get(1)));
    Ok(MailHistory {
        messages,
        declined,
        refused,
    })
}

/// The overview's figures: messages waiting, sent, refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailCounts {
    pub queued: i64,
    pub sent: i64,
    pub refused: i64,
}

pub async fn counts(pool: &Pool) -> DbResult<MailCounts> {
    let client = pool.get().await?;
    let r = client
        .query_one(
            "SELECT count(*) FILTER (WHERE state IN ('queued', 'sending')),
                    count(*) FILTER (WHERE state = 'sent'),
                    count(*) FILTER (WHERE state = 'refused')
             FROM mail_messages",
            &[],
        )
        .await?;
    Ok(MailCounts {
        queued: r.get(0),
        sent: r.get(1),
        refused: r.get(2),
    })
}

/// A message a mail server refused for good, for the overview's list.
#[derive(Debug, Clone)]
pub struct RefusedLine {
    pub badge_id: String,
    pub name: String,
    pub address: String,
    pub at: String,
    pub answer: String,
}

/// The newest refusals, at most `limit`.
pub async fn refused(pool: &Pool, tz: &str, limit: i64) -> DbResult<Vec<RefusedLine>> {
    let client = pool.get().await?;
    Ok(client
        .query(
            "SELECT m.badge_id, coalesce(a.first_name || ' ' || a.last_name, ''), coalesce(m.address, ''),
                    to_char(m.done_at AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI'), coalesce(m.answer, '')
             FROM mail_messages m LEFT JOIN attendees a ON a.badge_id = m.badge_id
             WHERE m.state = 'refused' ORDER BY m.done_at DESC, m.id DESC LIMIT $2",
            &[&tz, &limit],
        )
        .await?
        .iter()
        .map(|r| RefusedLine {
            badge_id: r.get(0),
            name: r.get(1),
            address: r.get(2),
            at: r.get(3),
            answer: r.get(4),
        })
        .collect())
}
