//! The kiosk's side of sync: reading the outbox in sequence order,
//! recording what the hub confirmed, and applying what other kiosks and
//! the hub's roster sent down (never into the outbox: those are not ours).

use rusqlite::params;
use serde_json::Value;

use super::{Result, Store, now_text};
use crate::sync::protocol::{Change, Cursor, Record, Rejected};

const CURSOR: &str = "hub_cursor";

impl Store {
    /// Outbox rows after `after` (exclusive), oldest first.
    pub fn outbox_after(&self, after: i64, limit: usize) -> Result<Vec<Record>> {
        self.query_all(
            "SELECT seq, kind, record_id, payload, created_at FROM outbox
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            params![after, limit as i64],
            |r| {
                let payload: String = r.get(3)?;
                Ok(Record {
                    seq: r.get(0)?,
                    kind: r.get(1)?,
                    record_id: r.get(2)?,
                    payload: raw_json(payload),
                    created_at: r.get(4)?,
                })
            },
        )
    }

    /// The hub holds everything up to `high_seq`; some of it rejected.
    pub fn confirm_upload(&mut self, high_seq: i64, rejected: &[Rejected]) -> Result<()> {
        let now = now_text();
        let (tx, wrap) = self.begin()?;
        for r in rejected {
            tx.execute(
                "UPDATE outbox SET rejected = ?2 WHERE seq = ?1",
                params![r.seq, r.reason],
            )
            .map_err(&wrap)?;
        }
        tx.execute(
            "UPDATE outbox SET uploaded_at = ?2
             WHERE seq <= ?1 AND uploaded_at IS NULL AND rejected IS NULL",
            params![high_seq, now],
        )
        .map_err(&wrap)?;
        tx.commit().map_err(&wrap)
    }

    /// Records the hub rejected, with the reason, for staff to see.
    pub fn rejected_count(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM outbox WHERE rejected IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Where this kiosk is in the hub's change feed. A cursor in an older
    /// form starts the feed over: applying a change twice changes nothing.
    pub fn hub_cursor(&self) -> Result<Cursor> {
        Ok(self
            .meta(CURSOR)?
            .and_then(|v| v.parse().ok())
            .unwrap_or_default())
    }

    /// Applies a page of changes from the hub and moves the cursor, in one
    /// transaction. A change that cannot apply here (a claim for a session
    /// this kiosk does not have) is skipped: the hub keeps it.
    pub fn apply_changes(&mut self, changes: &[Change], next: Cursor) -> Result<usize> {
        let (tx, wrap) = self.begin()?;
        let mut applied = 0;
        for c in changes {
            let done = apply_one(&tx, c).map_err(&wrap)?;
            if done {
                applied += 1;
            } else {
                tracing::debug!(kind = %c.kind, origin = %c.origin, "change not applicable here");
            }
        }
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![CURSOR, next.to_string()],
        )
        .map_err(&wrap)?;
        tx.commit().map_err(&wrap)?;
        Ok(applied)
    }

    pub fn record_sync(&self, result: &str) -> Result<()> {
        self.set_meta("last_upload_at", &now_text())?;
        self.set_meta("last_upload_result", result)
    }

    /// Whether the hub has confirmed every record up to the newest.
    pub fn newest_seq(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
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

fn s<'a>(p: &'a Value, k: &str) -> Option<&'a str> {
    p.get(k).and_then(Value::as_str)
}

fn exists(tx: &rusqlite::Transaction<'_>, sql: &str, id: &str) -> rusqlite::Result<bool> {
    tx.prepare_cached(sql)?.exists([id])
}

/// Applies one change; false when it does not apply on this kiosk.
fn apply_one(tx: &rusqlite::Transaction<'_>, c: &Change) -> rusqlite::Result<bool> {
    let p = &c.payload;
    let now = now_text();
    match c.kind.as_str() {
        "roster.attendee" | "attendee" => {
            let (Some(badge), Some(profession)) = (s(p, "badge_id"), s(p, "profession")) else {
                return Ok(false);
            };
            let source = if c.kind == "attendee" {
                "walkin"
            } else {
                "roster"
            };
            tx.prepare_cached(
                "INSERT INTO attendees(badge_id, first_name, last_name, degree, profession, email, source, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(badge_id) DO UPDATE SET first_name = excluded.first_name,
                   last_name = excluded.last_name, degree = excluded.degree,
                   profession = excluded.profession, email = excluded.email, updated_at = excluded.updated_at",
            )?
            .execute(
                params![
                    badge,
                    s(p, "first_name").unwrap_or(""),
                    s(p, "last_name").unwrap_or(""),
                    s(p, "degree").unwrap_or(""),
                    profession,
                    s(p, "email").unwrap_or(""),
                    source,
                    now
                ],
            )?;
            Ok(true)
        }
        "roster.session" => {
            let Some(id) = s(p, "session_id") else {
                return Ok(false);
            };
            tx.prepare_cached(
                "INSERT INTO sessions(session_id, title, starts_at, ends_at, credits_q, credit_types, track, room, acpe_uan, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(session_id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
                   ends_at = excluded.ends_at, credits_q = excluded.credits_q, credit_types = excluded.credit_types,
                   track = excluded.track, room = excluded.room, acpe_uan = excluded.acpe_uan,
                   updated_at = excluded.updated_at",
            )?
            .execute(
                params![
                    id,
                    s(p, "title").unwrap_or(""),
                    s(p, "starts_at").unwrap_or(""),
                    s(p, "ends_at").unwrap_or(""),
                    p.get("credits_q").and_then(Value::as_i64).unwrap_or(0),
                    s(p, "credit_types").unwrap_or(""),
                    s(p, "track").unwrap_or(""),
                    s(p, "room").unwrap_or(""),
                    s(p, "acpe_uan").unwrap_or(""),
                    now
                ],
            )?;
            Ok(true)
        }
        "claim" => {
            let (Some(claim_id), Some(badge), Some(session)) =
                (s(p, "claim_id"), s(p, "badge_id"), s(p, "session_id"))
            else {
                return Ok(false);
            };
            if !exists(tx, "SELECT 1 FROM attendees WHERE badge_id = ?1", badge)?
                || !exists(tx, "SELECT 1 FROM sessions WHERE session_id = ?1", session)?
            {
                return Ok(false);
            }
            let n = tx.prepare_cached(
                "INSERT OR IGNORE INTO claims(claim_id, visit_id, badge_id, session_id, credits_q, claimed_at, device_id, kiosk_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(
                params![
                    claim_id,
                    s(p, "visit_id").unwrap_or(""),
                    badge,
                    session,
                    p.get("credits_q").and_then(Value::as_i64).unwrap_or(0).max(1),
                    s(p, "claimed_at").unwrap_or(""),
                    c.origin,
                    s(p, "kiosk_id").unwrap_or("")
                ],
            )?;
            Ok(n > 0)
        }
        "void" => {
            let Some(claim_id) = s(p, "claim_id") else {
                return Ok(false);
            };
            let n = tx.prepare_cached(
                "UPDATE claims SET voided_at = ?2, void_reason = ?3 WHERE claim_id = ?1 AND voided_at IS NULL",
            )?
            .execute(
                params![claim_id, s(p, "voided_at").unwrap_or(""), s(p, "reason").unwrap_or("")],
            )?;
            Ok(n > 0)
        }
        "certificate" => {
            let (Some(id), Some(badge)) = (s(p, "certificate_id"), s(p, "badge_id")) else {
                return Ok(false);
            };
            if !exists(tx, "SELECT 1 FROM attendees WHERE badge_id = ?1", badge)? {
                return Ok(false);
            }
            let n = tx.prepare_cached(
                "INSERT OR IGNORE INTO certificates(certificate_id, short_code, badge_id, visit_id, issued_at, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(
                params![
                    id,
                    s(p, "short_code").unwrap_or(id),
                    badge,
                    s(p, "visit_id").unwrap_or(""),
                    s(p, "issued_at").unwrap_or(""),
                    c.origin
                ],
            )?;
            Ok(n > 0)
        }
        "profile" => {
            let Some(badge) = s(p, "badge_id") else {
                return Ok(false);
            };
            if !exists(tx, "SELECT 1 FROM attendees WHERE badge_id = ?1", badge)? {
                return Ok(false);
            }
            let at = s(p, "at").unwrap_or("");
            // The newest choice wins, whichever kiosk made it.
            let n = tx.prepare_cached(
                "INSERT INTO profiles(badge_id, codes, epid, birth_mmdd, pharm_role, moc_consent, abim_id, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(badge_id) DO UPDATE SET codes = excluded.codes, epid = excluded.epid,
                   birth_mmdd = excluded.birth_mmdd, pharm_role = excluded.pharm_role,
                   moc_consent = excluded.moc_consent, abim_id = excluded.abim_id, updated_at = excluded.updated_at
                 WHERE profiles.updated_at < excluded.updated_at",
            )?
            .execute(
                params![
                    badge,
                    s(p, "codes").unwrap_or(""),
                    s(p, "epid"),
                    s(p, "birth_mmdd"),
                    s(p, "pharm_role"),
                    p.get("moc_consent").and_then(Value::as_bool).unwrap_or(false),
                    s(p, "abim_id"),
                    at
                ],
            )?;
            Ok(n > 0)
        }
        "evaluation" => {
            let (Some(badge), Some(answers)) = (
                s(p, "badge_id"),
                p.get("answers").and_then(Value::as_object),
            ) else {
                return Ok(false);
            };
            if !exists(tx, "SELECT 1 FROM attendees WHERE badge_id = ?1", badge)? {
                return Ok(false);
            }
            let at = s(p, "at").unwrap_or("");
            for (q, a) in answers {
                let Some(a) = a.as_str() else { continue };
                tx.prepare_cached(
                    "INSERT INTO answers(badge_id, question_id, answer, answered_at, visit_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(badge_id, question_id) DO UPDATE SET answer = excluded.answer,
                       answered_at = excluded.answered_at, visit_id = excluded.visit_id
                     WHERE answers.answered_at < excluded.answered_at",
                )?
                .execute(params![
                    badge,
                    q,
                    a,
                    at,
                    s(p, "visit_id").unwrap_or("")
                ])?;
            }
            Ok(true)
        }
        _ => Ok(false),
    }
}
