//! The kiosk's side of sync: reading the outbox in sequence order,
//! recording what the hub confirmed, and applying what other kiosks and
//! the hub's roster sent down (never into the outbox: those are not ours).

use super::{Store, StoreResult, now_text};
use crate::records::{AttendeeRow, Body, Change, Cursor, Record, Rejected, Unconfirmed};
use rusqlite::params;

const CURSOR: &str = "hub_cursor";

/// The records the hub has not confirmed, with those it rejected marked:
/// each half through its partial index (`uploaded_at IS NULL` alone reads
/// every row of the outbox).
pub(super) const UNCONFIRMED: &str = "SELECT seq, record_id, 0 FROM outbox
         WHERE uploaded_at IS NULL AND rejected IS NULL
     UNION ALL
     SELECT seq, record_id, 1 FROM outbox
         WHERE rejected IS NOT NULL AND uploaded_at IS NULL
     ORDER BY seq";

/// The records the hub rejected, counted from their own index.
pub(super) const REJECTED_COUNT: &str = "SELECT count(*) FROM outbox WHERE rejected IS NOT NULL";

impl Store {
    /// Outbox rows after `after` (exclusive), oldest first.
    pub fn outbox_after(&self, after: i64, limit: usize) -> StoreResult<Vec<Record>> {
        self.query_all(
            "SELECT seq, kind, record_id, payload, created_at FROM outbox
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            params![after, limit as i64],
            outbox_record,
        )
    }

    /// The records the hub has not confirmed (nor rejected), oldest first.
    /// Sync sends these, not what lies above the hub's high-water mark: a
    /// kiosk restored from a backup writes again at sequences the hub
    /// holds, and only the hub can tell whether it holds the same record.
    pub fn outbox_unconfirmed(&self, limit: usize) -> StoreResult<Vec<Record>> {
        self.query_all(
            "SELECT seq, kind, record_id, payload, created_at FROM outbox
                 WHERE uploaded_at IS NULL AND rejected IS NULL ORDER BY seq LIMIT ?1",
            params![limit as i64],
            outbox_record,
        )
    }

    /// Every record the hub has not confirmed, in seq order, as the sync's
    /// plan reads them (`sync::plan`): seq, record id, marked rejected.
    /// Each half is read through its own partial index: asked as one
    /// condition (`uploaded_at IS NULL`), SQLite read the whole outbox, the
    /// week's every record, at each sync.
    pub fn unconfirmed(&self) -> StoreResult<Vec<Unconfirmed>> {
        self.query_all(UNCONFIRMED, [], |r| {
            Ok(Unconfirmed {
                seq: r.get(0)?,
                record_id: r.get(1)?,
                rejected: r.get(2)?,
            })
        })
    }

    /// The hub took these records (new to it, or the same record it had),
    /// the rejected ones with their reasons. A rejection marks a row only
    /// when it names the row's own record: never by seq alone.
    pub fn confirm_sent(&mut self, seqs: &[i64], rejected: &[Rejected]) -> StoreResult<()> {
        let now = now_text();
        let (tx, wrap) = self.begin()?;
        for r in rejected.iter().filter(|r| !r.record_id.is_empty()) {
            tx.execute(
                "UPDATE outbox SET rejected = ?3 WHERE seq = ?1 AND record_id = ?2 AND uploaded_at IS NULL",
                params![r.seq, r.record_id, r.reason],
            )
            .map_err(&wrap)?;
        }
        // One statement for the page (its seqs as a JSON array): a page's
        // 700 single-row updates cost the kiosk more than its upload did.
        if !seqs.is_empty() {
            let list: Vec<String> = seqs.iter().map(i64::to_string).collect();
            let list = format!("[{}]", list.join(","));
            tx.execute(
                "UPDATE outbox SET uploaded_at = ?2
                 WHERE seq IN (SELECT value FROM json_each(?1))
                   AND uploaded_at IS NULL AND rejected IS NULL",
                params![list, now],
            )
            .map_err(&wrap)?;
        }
        tx.commit().map_err(&wrap)
    }

    /// Records the hub holds but rejected, learnt from its device state.
    pub fn note_rejected(&mut self, rejected: &[Rejected]) -> StoreResult<()> {
        self.confirm_sent(&[], rejected)
    }

    /// The highest sequence number this database ever gave a record (kept
    /// by SQLite's AUTOINCREMENT even when rows are purged).
    pub fn highest_seq_written(&self) -> StoreResult<i64> {
        self.conn
            .query_row(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Gives this database a new device id, because the hub showed that
    /// another database uses the old one (a restore from a backup, or a
    /// disk image cloned): what is not yet confirmed goes under the new id;
    /// with `carry_rejected`, the records marked rejected too (their
    /// rejection may have been the other database's record at that seq).
    /// `notice` says what happened, for `status` and the staff screen.
    pub fn rekey(
        &mut self,
        new_device_id: &str,
        notice: &str,
        carry_rejected: bool,
    ) -> StoreResult<()> {
        let (tx, wrap) = self.begin()?;
        if carry_rejected {
            tx.execute(
                "UPDATE outbox SET rejected = NULL WHERE uploaded_at IS NULL AND rejected IS NOT NULL",
                [],
            )
            .map_err(&wrap)?;
        }
        let old: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
                r.get(0)
            })
            .ok();
        let set = |key: &str, value: &str| {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
        };
        // Records from the first not confirmed on belong to the new id;
        // those before it are at the hub under the old one.
        let since: i64 = tx
            .query_row(
                "SELECT coalesce(
                   (SELECT min(seq) FROM outbox WHERE uploaded_at IS NULL AND rejected IS NULL),
                   (SELECT seq FROM sqlite_sequence WHERE name = 'outbox') + 1, 1)",
                [],
                |r| r.get(0),
            )
            .map_err(&wrap)?;
        set("device_id", new_device_id).map_err(&wrap)?;
        set("device_since_seq", &since.to_string()).map_err(&wrap)?;
        set("device_notice", notice).map_err(&wrap)?;
        if let Some(old) = old {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('previous_device_ids', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = value || ' ' || excluded.value",
                [old],
            )
            .map_err(&wrap)?;
        }
        tx.commit().map_err(&wrap)
    }

    /// What staff need to see of the hub's view of this kiosk.
    pub fn hub_feedback(&self) -> StoreResult<HubFeedback> {
        let count = |key: &str| -> StoreResult<i64> {
            Ok(self.meta(key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
        };
        Ok(HubFeedback {
            held: count("hub_held")?,
            rejected: self.rejected_count()?,
            last_good_upload_at: self.meta("last_good_upload_at")?,
            notice: self.meta("device_notice")?,
        })
    }

    /// The first sequence number that belongs to the current device id
    /// (1 unless the database was given a new id).
    pub fn device_since_seq(&self) -> StoreResult<i64> {
        Ok(self
            .meta("device_since_seq")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(1))
    }

    /// What the hub last said it holds of this kiosk's records but does
    /// not count (held) or could not read (rejected).
    pub fn note_hub_standing(&self, held: usize, rejected: usize) -> StoreResult<()> {
        self.set_meta("hub_held", &held.to_string())?;
        self.set_meta("hub_rejected", &rejected.to_string())
    }

    /// Records the hub rejected, with the reason, for staff to see.
    pub fn rejected_count(&self) -> StoreResult<i64> {
        self.conn
            .query_row(REJECTED_COUNT, [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Where this kiosk is in the hub's change feed. A cursor in an older
    /// form starts the feed over: applying a change twice changes nothing.
    pub fn hub_cursor(&self) -> StoreResult<Cursor> {
        Ok(self
            .meta(CURSOR)?
            .and_then(|v| v.parse().ok())
            .unwrap_or_default())
    }

    /// A write transaction for pages of changes from the hub, each applied
    /// with its cursor as a unit ([`ChangeBatch::apply`]: a change that
    /// cannot apply here, such as a claim for a session this kiosk does not
    /// have, is skipped and the hub keeps it) and all made durable at once
    /// ([`ChangeBatch::commit`]). The claims', answers' and
    /// certificates' keys are random, so a page touches leaves all over
    /// their indexes, and every commit writes each page it touched to the
    /// WAL again: several pages in one commit write them once. The kiosk's
    /// own writes wait (`busy_timeout`) while a batch is open, so the sync
    /// keeps a batch to a fraction of a second (`sync::client`).
    pub fn change_batch(&mut self) -> StoreResult<ChangeBatch<'_>> {
        let path = self.path.clone();
        let (tx, _) = self.begin()?;
        Ok(ChangeBatch {
            tx,
            path,
            now: now_text(),
        })
    }

    /// The last sync's time and result; a good one also moves the time of
    /// the last good upload.
    pub fn record_sync(&self, result: &str, good: bool) -> StoreResult<()> {
        let now = now_text();
        self.set_meta("last_upload_at", &now)?;
        if good {
            self.set_meta("last_good_upload_at", &now)?;
        }
        self.set_meta("last_upload_result", result)
    }
}

/// Pages of changes being applied in one transaction: see
/// [`Store::change_batch`]. Dropped without [`ChangeBatch::commit`], it
/// applies nothing and the cursor stays where it was.
pub struct ChangeBatch<'s> {
    tx: rusqlite::Transaction<'s>,
    path: std::path::PathBuf,
    now: String,
}

impl ChangeBatch<'_> {
    /// Applies one page and moves the cursor past it, as a unit: a page
    /// that fails leaves nothing of itself behind, and the pages applied
    /// before it can still be committed.
    pub fn apply(&mut self, changes: &[Change], next: Cursor) -> StoreResult<usize> {
        let wrap = super::sql_err(&self.path);
        let page = self.tx.savepoint().map_err(&wrap)?;
        let mut applied = 0;
        let mut apply = Apply::new(&page).map_err(&wrap)?;
        for c in changes {
            if apply.one(c, &self.now).map_err(&wrap)? {
                applied += 1;
            } else {
                tracing::debug!(kind = %c.kind, origin = %c.origin, "change not applicable here");
            }
        }
        drop(apply);
        page.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![CURSOR, next.to_string()],
        )
        .map_err(&wrap)?;
        page.commit().map_err(&wrap)?;
        Ok(applied)
    }

    /// Makes every page applied so far durable, with the cursor of the last.
    pub fn commit(self) -> StoreResult<()> {
        let wrap = super::sql_err(&self.path);
        self.tx.commit().map_err(wrap)
    }
}

/// The hub's view of this kiosk, as the last sync heard it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubFeedback {
    /// Claims the hub holds and does not count yet.
    pub held: i64,
    /// Records the hub could not read (kept here, with the reason).
    pub rejected: i64,
    pub last_good_upload_at: Option<String>,
    /// What happened when the hub found this database beside another with
    /// the same device id (restored from a backup, cloned).
    pub notice: Option<String>,
}

/// An outbox row as the hub takes it (`seq, kind, record_id, payload,
/// created_at`, in that order).
fn outbox_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    Ok(Record {
        seq: r.get(0)?,
        kind: r.get(1)?,
        record_id: r.get(2)?,
        payload: raw_json(r.get(3)?),
        created_at: r.get(4)?,
    })
}

/// A payload as it was stored; text that is not JSON (never written by
/// this kiosk) goes as a JSON string, so the hub keeps it and says why not.
fn raw_json(text: String) -> Box<serde_json::value::RawValue> {
    use serde_json::value::{RawValue, to_raw_value};
    match serde_json::from_str::<&RawValue>(&text) {
        Ok(raw) => raw.to_owned(),
        Err(_) => to_raw_value(&text).unwrap_or_default(),
    }
}

/// Whether a statement applied a change. A foreign key that fails (an
/// attendee or session this kiosk does not have) only undoes that
/// statement: the change does not apply here, and the hub keeps it.
fn applied(r: rusqlite::Result<usize>) -> rusqlite::Result<bool> {
    Ok(known(r)?.is_some_and(|n| n > 0))
}

/// The rows a statement changed; None when a foreign key failed.
fn known(r: rusqlite::Result<usize>) -> rusqlite::Result<Option<usize>> {
    match r {
        Ok(n) => Ok(Some(n)),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The statements that apply changes, prepared once per page.
struct Apply<'t> {
    attendee: rusqlite::Statement<'t>,
    walkin: rusqlite::Statement<'t>,
    session: rusqlite::Statement<'t>,
    claim: rusqlite::Statement<'t>,
    void: rusqlite::Statement<'t>,
    certificate: rusqlite::Statement<'t>,
    profile: rusqlite::Statement<'t>,
    answer: rusqlite::Statement<'t>,
    scan: rusqlite::Statement<'t>,
}

impl<'t> Apply<'t> {
    fn new(tx: &'t rusqlite::Connection) -> rusqlite::Result<Apply<'t>> {
        Ok(Apply {
            attendee: tx.prepare(
                "INSERT INTO attendees(badge_id, first_name, last_name, degree, profession, email, source, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(badge_id) DO UPDATE SET first_name = excluded.first_name,
                   last_name = excluded.last_name, degree = excluded.degree,
                   profession = excluded.profession, email = excluded.email, updated_at = excluded.updated_at",
            )?,
            // Another kiosk's walk-in never writes over an attendee this
            // kiosk has: the hub's roster stands, and the hub keeps the
            // difference for the CE office.
            walkin: tx.prepare(
                "INSERT INTO attendees(badge_id, first_name, last_name, degree, profession, email, source, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(badge_id) DO NOTHING",
            )?,
            session: tx.prepare(
                "INSERT INTO sessions(session_id, title, starts_at, ends_at, credits_q, credit_types, track, room, acpe_uan, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(session_id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
                   ends_at = excluded.ends_at, credits_q = excluded.credits_q, credit_types = excluded.credit_types,
                   track = excluded.track, room = excluded.room, acpe_uan = excluded.acpe_uan,
                   updated_at = excluded.updated_at",
            )?,
            claim: tx.prepare(
                "INSERT OR IGNORE INTO claims(claim_id, visit_id, badge_id, session_id, credits_q, claimed_at, device_id, kiosk_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            void: tx.prepare(
                "UPDATE claims SET voided_at = ?2, void_reason = ?3 WHERE claim_id = ?1 AND voided_at IS NULL",
            )?,
            certificate: tx.prepare(
                "INSERT OR IGNORE INTO certificates(certificate_id, short_code, badge_id, visit_id, issued_at, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            // The newest choice wins, whichever kiosk made it.
            profile: tx.prepare(
                "INSERT INTO profiles(badge_id, codes, epid, birth_mmdd, pharm_role, moc_consent, abim_id, updated_at,
                                      epid_ending, abim_ending, birth_on_file)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(badge_id) DO UPDATE SET codes = excluded.codes, epid = excluded.epid,
                   birth_mmdd = excluded.birth_mmdd, pharm_role = excluded.pharm_role,
                   moc_consent = excluded.moc_consent, abim_id = excluded.abim_id, updated_at = excluded.updated_at,
                   epid_ending = excluded.epid_ending, abim_ending = excluded.abim_ending,
                   birth_on_file = excluded.birth_on_file
                 WHERE coalesce(julianday(profiles.updated_at), 0) < julianday(excluded.updated_at)",
            )?,
            answer: tx.prepare(
                "INSERT INTO answers(badge_id, question_id, answer, answered_at, visit_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(badge_id, question_id) DO UPDATE SET answer = excluded.answer,
                   answered_at = excluded.answered_at, visit_id = excluded.visit_id
                 WHERE coalesce(julianday(answers.answered_at), 0) < julianday(excluded.answered_at)",
            )?,
            scan: tx.prepare(
                "INSERT OR IGNORE INTO scans(badge_id, session_id, scanned_at, direction)
                 VALUES (?1, ?2, ?3, ?4)",
            )?,
        })
    }

    /// An attendee from the hub's roster or another kiosk's walk-in.
    fn attendee(&mut self, a: &AttendeeRow, source: &str, now: &str) -> rusqlite::Result<bool> {
        self.attendee.execute(attendee_params(a, source, now))?;
        Ok(true)
    }

    /// Applies one change; false when it does not apply on this kiosk (a
    /// payload this kiosk cannot read, or about a session or attendee it
    /// does not have).
    fn one(&mut self, c: &Change, now: &str) -> rusqlite::Result<bool> {
        let Ok(body) = Body::decode(&c.kind, c.payload.get()) else {
            return Ok(false);
        };
        match body {
            Body::RosterAttendee(a) => self.attendee(&a, "roster", now),
            Body::WalkIn(w) => {
                Ok(self
                    .walkin
                    .execute(attendee_params(&w.attendee, "walkin", now))?
                    > 0)
            }
            Body::RosterSession(s) => {
                self.session.execute(params![
                    s.session_id,
                    s.title,
                    s.starts_at,
                    s.ends_at,
                    s.credits_q,
                    s.credit_types,
                    s.track,
                    s.room,
                    s.acpe_uan,
                    now
                ])?;
                Ok(true)
            }
            Body::Claim(claim) => {
                let n = self.claim.execute(params![
                    claim.claim_id,
                    claim.visit_id,
                    claim.badge_id,
                    claim.session_id,
                    claim.credits_q.max(1),
                    claim.claimed_at,
                    c.origin,
                    claim.kiosk_id
                ]);
                applied(n)
            }
            Body::Void(v) => {
                let n = self
                    .void
                    .execute(params![v.claim_id, v.voided_at, v.reason])?;
                Ok(n > 0)
            }
            Body::Certificate(cert) => {
                let short_code = if cert.short_code.is_empty() {
                    &cert.certificate_id
                } else {
                    &cert.short_code
                };
                let n = self.certificate.execute(params![
                    cert.certificate_id,
                    short_code,
                    cert.badge_id,
                    cert.visit_id,
                    cert.issued_at,
                    c.origin
                ]);
                applied(n)
            }
            Body::Profile(p) => {
                let n = self.profile.execute(params![
                    p.badge_id,
                    p.codes,
                    p.epid,
                    p.birth_mmdd,
                    p.pharm_role,
                    p.moc_consent,
                    p.abim_id,
                    p.at,
                    p.epid_ending,
                    p.abim_ending,
                    p.birth_on_file
                ]);
                applied(n)
            }
            Body::Evaluation(e) => {
                // The feed's form: which questions were answered, not the
                // answers, which count as answered here all the same.
                let elsewhere = e
                    .answered
                    .iter()
                    .map(|q| (q, crate::domain::evaluation::ANSWERED_ELSEWHERE));
                let given = e.answers.iter().map(|(q, a)| (q, a.as_str()));
                for (q, a) in given.chain(elsewhere) {
                    let n = self
                        .answer
                        .execute(params![e.badge_id, q, a, e.at, e.visit_id]);
                    if known(n)?.is_none() {
                        // An attendee this kiosk does not have.
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Body::DoorScan(d) => {
                self.scan
                    .execute(params![d.badge_id, d.session_id, d.scanned_at, d.direction])?;
                Ok(true)
            }
            // Kiosks keep their own audit; the hub does not send others'.
            Body::Audit(_) => Ok(false),
        }
    }
}

/// An attendee's columns in the kiosk's `attendees` table, in the order
/// the statements that write one name them.
fn attendee_params<'a>(
    a: &'a AttendeeRow,
    source: &'a str,
    now: &'a str,
) -> impl rusqlite::Params + 'a {
    (
        &a.badge_id,
        &a.first_name,
        &a.last_name,
        &a.degree,
        a.profession.as_str(),
        &a.email,
        source,
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendee(badge: &str) -> Change {
        let payload =
            format!(r#"{{"badge_id":"{badge}","profession":"physician","last_name":"Okafor"}}"#);
        Change {
            origin: "hub".into(),
            kind: "roster.attendee".into(),
            payload: serde_json::value::RawValue::from_string(payload).unwrap(),
        }
    }

    fn badges(store: &Store) -> Vec<String> {
        store
            .query_all(
                "SELECT badge_id FROM attendees ORDER BY badge_id",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    const AT: fn(i64) -> Cursor = |seq| Cursor { txid: 900, seq };

    #[test]
    fn a_batch_keeps_its_pages_only_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        let mut batch = store.change_batch().unwrap();
        assert_eq!(batch.apply(&[attendee("B1")], AT(1)).unwrap(), 1);
        assert_eq!(batch.apply(&[attendee("B2")], AT(2)).unwrap(), 1);
        drop(batch);
        assert!(
            badges(&store).is_empty(),
            "a batch never committed applies nothing"
        );
        assert_eq!(store.hub_cursor().unwrap(), Cursor::default());

        let mut batch = store.change_batch().unwrap();
        batch.apply(&[attendee("B1")], AT(1)).unwrap();
        batch
            .apply(&[attendee("B2"), attendee("B3")], AT(3))
            .unwrap();
        batch.commit().unwrap();
        assert_eq!(badges(&store), ["B1", "B2", "B3"]);
        assert_eq!(store.hub_cursor().unwrap(), AT(3));
    }

    #[test]
    fn a_page_that_fails_leaves_nothing_of_itself_and_the_pages_before_it_keep() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        // A write that fails midway through a page (as a full disk would).
        store
            .conn
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON attendees WHEN NEW.badge_id = 'BAD'
                 BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            )
            .unwrap();
        let mut batch = store.change_batch().unwrap();
        batch.apply(&[attendee("B1")], AT(1)).unwrap();
        let failed = batch.apply(&[attendee("B2"), attendee("BAD")], AT(2));
        assert!(failed.unwrap_err().to_string().contains("refused"));
        batch.commit().unwrap();
        assert_eq!(badges(&store), ["B1"], "B2 went with its page");
        assert_eq!(store.hub_cursor().unwrap(), AT(1));
    }
}
