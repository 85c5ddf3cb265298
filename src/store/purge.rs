//! `cekiosk purge`: removing from the kiosk what the hub has confirmed,
//! past a retention the operator gives. A record the hub has not confirmed
//! is never removed, nor anything it is about (a claim with its void still
//! to upload, say).

use rusqlite::params;

use super::{Store, StoreResult};

/// What a purge removed, and what it kept because the hub has not
/// confirmed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub outbox: usize,
    pub claims: usize,
    pub certificates: usize,
    pub visits: usize,
    pub answers: usize,
    pub profiles: usize,
    pub audit: usize,
    /// Records kept because the hub has not confirmed them.
    pub kept_unconfirmed: i64,
}

impl std::fmt::Display for Purged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "removed {} uploaded records, {} claims, {} certificates, {} visits, {} answers, \
             {} profiles and {} audit entries; kept {} records the hub has not confirmed",
            self.outbox,
            self.claims,
            self.certificates,
            self.visits,
            self.answers,
            self.profiles,
            self.audit,
            self.kept_unconfirmed
        )
    }
}

/// Rows still to upload, and the ids they are about: nothing of these goes.
const PENDING: &str = "CREATE TEMP TABLE pending AS
     SELECT kind, record_id, coalesce(json_extract(payload, '$.claim_id'), record_id) AS claim_id,
            coalesce(json_extract(payload, '$.badge_id'), '') AS badge_id
     FROM outbox WHERE uploaded_at IS NULL";

impl Store {
    /// Removes what the hub has confirmed and is older than `before` (RFC
    /// 3339): uploaded outbox rows, and the claims, certificates, visits,
    /// answers, profiles and audit entries no pending record is about.
    /// Other kiosks' records, which this kiosk only mirrors, go by the same
    /// age. The roster and catalog stay. One transaction.
    pub fn purge(&mut self, before: &str) -> StoreResult<Purged> {
        let (tx, wrap) = self.begin()?;
        tx.execute_batch(&format!("DROP TABLE IF EXISTS temp.pending; {PENDING};"))
            .map_err(&wrap)?;
        let run = |sql: &str| tx.execute(sql, params![before]).map_err(&wrap);
        let mut p = Purged {
            claims: run(
                "DELETE FROM claims WHERE claimed_at < ?1
                   AND claim_id NOT IN (SELECT claim_id FROM temp.pending)",
            )?,
            certificates: run(
                "DELETE FROM certificates WHERE issued_at < ?1
                   AND certificate_id NOT IN (SELECT record_id FROM temp.pending)",
            )?,
            answers: run(
                "DELETE FROM answers WHERE answered_at < ?1
                   AND badge_id NOT IN (SELECT badge_id FROM temp.pending WHERE kind = 'evaluation')",
            )?,
            profiles: run(
                "DELETE FROM profiles WHERE updated_at < ?1
                   AND badge_id NOT IN (SELECT badge_id FROM temp.pending WHERE kind = 'profile')",
            )?,
            visits: run(
                "DELETE FROM visits WHERE committed_at < ?1
                   AND visit_id NOT IN (SELECT visit_id FROM claims)",
            )?,
            audit: run(
                "DELETE FROM audit_log WHERE at < ?1
                   AND CAST(id AS TEXT) NOT IN (SELECT record_id FROM temp.pending WHERE kind = 'audit')",
            )?,
            outbox: run("DELETE FROM outbox WHERE uploaded_at IS NOT NULL AND created_at < ?1")?,
            kept_unconfirmed: 0,
        };
        p.kept_unconfirmed = tx
            .query_row(
                "SELECT count(*) FROM outbox WHERE uploaded_at IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(&wrap)?;
        tx.execute_batch("DROP TABLE temp.pending;")
            .map_err(&wrap)?;
        tx.commit().map_err(&wrap)?;
        Ok(p)
    }
}
