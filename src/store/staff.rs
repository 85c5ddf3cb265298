//! What staff do at a kiosk: the PIN lockout, finding an attendee, voiding
//! a claim, registering a walk-in, reading the audit log. Every change
//! writes its audit row and outbox row in the same transaction.

use crate::records;
use rusqlite::{OptionalExtension, params};

use super::claims::push_outbox;
use super::roster::attendee_from_row;
use super::{CertificateRow, Store, StoreError, StoreResult, now_text};
use crate::records::AttendeeRow;

/// Failed PIN attempts in a row, and until when staff mode is locked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lockout {
    pub failures: u32,
    /// RFC 3339; staff mode is locked while now is before this.
    pub locked_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub kiosk_id: String,
    pub action: String,
    pub detail: String,
}

impl Store {
    pub fn lockout(&self) -> StoreResult<Lockout> {
        Ok(Lockout {
            failures: self
                .meta("staff_pin_failures")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            locked_until: self.meta("staff_locked_until")?.filter(|v| !v.is_empty()),
        })
    }

    pub fn set_lockout(&self, l: &Lockout) -> StoreResult<()> {
        self.set_meta("staff_pin_failures", &l.failures.to_string())?;
        self.set_meta(
            "staff_locked_until",
            l.locked_until.as_deref().unwrap_or(""),
        )
    }

    /// Attendees whose name, email or badge id contains `query`
    /// (case-insensitive), best matches first.
    pub fn search_attendees(&self, query: &str, limit: usize) -> StoreResult<Vec<AttendeeRow>> {
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let like = format!("%{escaped}%");
        self.query_all(
            "SELECT badge_id, first_name, last_name, degree, profession, email FROM attendees
                 WHERE badge_id = ?1 COLLATE NOCASE
                    OR badge_id LIKE ?2 ESCAPE '\\'
                    OR email LIKE ?2 ESCAPE '\\'
                    OR (first_name || ' ' || last_name) LIKE ?2 ESCAPE '\\'
                    OR (last_name || ' ' || first_name) LIKE ?2 ESCAPE '\\'
                 ORDER BY badge_id = ?1 COLLATE NOCASE DESC, last_name, first_name
                 LIMIT ?3",
            params![q, like, limit as i64],
            attendee_from_row,
        )
    }

    /// The attendee's most recent certificate, for reissuing the QR.
    pub fn latest_certificate(&self, badge_id: &str) -> StoreResult<Option<CertificateRow>> {
        self.conn
            .query_row(
                "SELECT certificate_id, short_code, badge_id, issued_at FROM certificates
                 WHERE badge_id = ?1 ORDER BY issued_at DESC LIMIT 1",
                [badge_id],
                super::claims::certificate_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Voids a claim with a reason. The claim row stays, marked void, and
    /// the void is uploaded like any record.
    pub fn void_claim(&mut self, claim_id: &str, reason: &str, kiosk_id: &str) -> StoreResult<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Rule("a void needs a reason".into()));
        }
        let now = now_text();
        let (tx, wrap) = self.begin()?;
        let found: Option<(String, String, Option<String>)> = tx
            .query_row(
                "SELECT badge_id, session_id, voided_at FROM claims WHERE claim_id = ?1",
                [claim_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(&wrap)?;
        let Some((badge_id, session_id, voided)) = found else {
            return Err(StoreError::Rule(format!("no claim {claim_id}")));
        };
        if voided.is_some() {
            return Err(StoreError::Rule("that claim is already void".into()));
        }
        tx.execute(
            "UPDATE claims SET voided_at = ?2, void_reason = ?3 WHERE claim_id = ?1",
            params![claim_id, now, reason],
        )
        .map_err(&wrap)?;
        let detail = format!("claim {claim_id} ({badge_id}, session {session_id}): {reason}");
        write_audit(&tx, kiosk_id, "claim.void", &detail, &now).map_err(&wrap)?;
        push_outbox(
            &tx,
            records::Void {
                badge_id: badge_id.clone(),
                claim_id: claim_id.to_string(),
                kiosk_id: kiosk_id.to_string(),
                reason: reason.to_string(),
                session_id: session_id.clone(),
                voided_at: now.clone(),
            },
            claim_id,
            &now,
        )
        .map_err(&wrap)?;
        tx.commit().map_err(&wrap)
    }

    /// Registers a walk-in attendee who is not on the roster.
    pub fn add_walk_in(&mut self, a: &AttendeeRow, kiosk_id: &str) -> StoreResult<()> {
        let now = now_text();
        let (tx, wrap) = self.begin()?;
        let exists = tx
            .prepare("SELECT 1 FROM attendees WHERE badge_id = ?1")
            .and_then(|mut s| s.exists([&a.badge_id]))
            .map_err(&wrap)?;
        if exists {
            return Err(StoreError::Rule(format!(
                "badge {} is already registered",
                a.badge_id
            )));
        }
        tx.execute(
            "INSERT INTO attendees(badge_id, first_name, last_name, degree, profession, email, source, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'walkin', ?7)",
            params![a.badge_id, a.first_name, a.last_name, a.degree, a.profession.as_str(), a.email, now],
        )
        .map_err(&wrap)?;
        write_audit(&tx, kiosk_id, "attendee.walk_in", &a.badge_id, &now).map_err(&wrap)?;
        push_outbox(
            &tx,
            records::WalkIn {
                at: now.clone(),
                attendee: a.clone(),
                kiosk_id: kiosk_id.to_string(),
                source: "walkin".to_string(),
            },
            &a.badge_id,
            &now,
        )
        .map_err(&wrap)?;
        tx.commit().map_err(&wrap)
    }

    pub fn claim_badge(&self, claim_id: &str) -> StoreResult<String> {
        self.conn
            .query_row(
                "SELECT badge_id FROM claims WHERE claim_id = ?1",
                [claim_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    pub fn recent_audit(&self, limit: usize) -> StoreResult<Vec<AuditRow>> {
        self.query_all(
            "SELECT at, kiosk_id, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
            [limit as i64],
            |r| {
                Ok(AuditRow {
                    at: r.get(0)?,
                    kiosk_id: r.get(1)?,
                    action: r.get(2)?,
                    detail: r.get(3)?,
                })
            },
        )
    }

    /// Claims (not void) recorded at or after `since` (RFC 3339).
    pub fn claims_since(&self, since: &str) -> StoreResult<i64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM claims WHERE voided_at IS NULL AND claimed_at >= ?1",
                [since],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }
}

pub(super) fn write_audit(
    tx: &rusqlite::Transaction<'_>,
    kiosk_id: &str,
    action: &str,
    detail: &str,
    now: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit_log(at, kiosk_id, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![now, kiosk_id, action, detail],
    )?;
    let id = tx.last_insert_rowid();
    push_outbox(
        tx,
        records::Audit {
            action: action.to_string(),
            at: now.to_string(),
            detail: detail.to_string(),
            kiosk_id: kiosk_id.to_string(),
        },
        &id.to_string(),
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::OsRandom;
    use crate::domain::{CodeSet, Profession};
    use crate::records::SessionRow;
    use crate::store::{CreditChoices, NewVisit};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("k.db")).unwrap();
        let a = |id: &str, first: &str, last: &str, email: &str| AttendeeRow {
            badge_id: id.into(),
            first_name: first.into(),
            last_name: last.into(),
            degree: "MD".into(),
            profession: Profession::Physician,
            email: email.into(),
        };
        s.upsert_attendees(
            &[
                a("A1", "José", "Núñez", "jose@example.org"),
                a("A2", "Ann", "Lee", "ann.lee@example.org"),
                a("A3", "Lee", "Park", "lp_50%@example.org"),
            ],
            &mut |_| {},
        )
        .unwrap();
        s.upsert_sessions(&[SessionRow {
            session_id: "S1".into(),
            title: "T".into(),
            starts_at: "2026-11-23T08:00".into(),
            ends_at: "2026-11-23T09:00".into(),
            credits: 4,
            credit_types: CodeSet::parse_list("AMA").unwrap(),
            track: String::new(),
            room: String::new(),
            acpe_uan: String::new(),
        }])
        .unwrap();
        (dir, s)
    }

    #[test]
    fn search_by_name_email_or_badge() {
        let (_d, s) = store();
        let ids = |q: &str| -> Vec<String> {
            s.search_attendees(q, 10)
                .unwrap()
                .into_iter()
                .map(|a| a.badge_id)
                .collect()
        };
        assert_eq!(ids("lee"), vec!["A2", "A3"]);
        assert_eq!(ids("ann lee"), vec!["A2"]);
        assert_eq!(ids("Núñez"), vec!["A1"]);
        assert_eq!(ids("a1"), vec!["A1"]);
        assert_eq!(ids("50%"), vec!["A3"]);
        // % and _ are matched literally, not as wildcards.
        assert_eq!(ids("%"), vec!["A3"]);
        assert_eq!(ids("_"), vec!["A3"]);
        assert!(ids("  ").is_empty());
    }

    #[test]
    fn void_is_kept_audited_and_uploaded() {
        let (_d, mut s) = store();
        s.commit_visit(
            &NewVisit {
                badge_id: "A1".into(),
                kiosk_id: "K01".into(),
                device_id: "d".into(),
                profile: CreditChoices {
                    codes: CodeSet::parse_list("AMA").unwrap(),
                    ..CreditChoices::default()
                },
                claims: vec![("S1".into(), 4)],
                answers: vec![],
                summary: None,
                language: None,
                mail_declined: false,
            },
            &mut OsRandom,
        )
        .unwrap();
        let claim = s.claims_of("A1").unwrap().remove(0);
        let before = s.counts().unwrap();
        assert!(s.void_claim(&claim.claim_id, "  ", "K01").is_err());
        s.void_claim(&claim.claim_id, "wrong attendee", "K01")
            .unwrap();
        assert!(s.void_claim(&claim.claim_id, "again", "K01").is_err());
        let after = s.counts().unwrap();
        assert_eq!(after.claims, before.claims - 1);
        assert_eq!(after.not_uploaded, before.not_uploaded + 2); // void + audit
        let kept = s.claims_of("A1").unwrap();
        assert_eq!(kept.len(), 1);
        assert!(kept[0].voided);
        let audit = s.recent_audit(5).unwrap();
        assert_eq!(audit[0].action, "claim.void");
        assert!(audit[0].detail.contains("wrong attendee"));
        // The session can be claimed again once the old claim is void.
        s.commit_visit(
            &NewVisit {
                badge_id: "A1".into(),
                kiosk_id: "K01".into(),
                device_id: "d".into(),
                profile: CreditChoices::default(),
                claims: vec![("S1".into(), 2)],
                answers: vec![],
                summary: None,
                language: None,
                mail_declined: false,
            },
            &mut OsRandom,
        )
        .unwrap();
        assert!(s.latest_certificate("A1").unwrap().is_some());
    }

    #[test]
    fn walk_in_is_registered_once() {
        let (_d, mut s) = store();
        let w = AttendeeRow {
            badge_id: "W-0001".into(),
            first_name: "Walk".into(),
            last_name: "In".into(),
            degree: "RN".into(),
            profession: Profession::Nurse,
            email: "w@example.org".into(),
        };
        s.add_walk_in(&w, "K01").unwrap();
        assert_eq!(s.attendee("W-0001").unwrap().unwrap(), w);
        assert!(
            s.add_walk_in(&w, "K01")
                .unwrap_err()
                .to_string()
                .contains("already")
        );
        assert_eq!(s.recent_audit(1).unwrap()[0].action, "attendee.walk_in");
    }

    #[test]
    fn lockout_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        {
            let s = Store::open(&path).unwrap();
            s.set_lockout(&Lockout {
                failures: 5,
                locked_until: Some("2026-11-25T18:05:00Z".into()),
            })
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.lockout().unwrap().failures, 5);
        assert_eq!(
            s.lockout().unwrap().locked_until.as_deref(),
            Some("2026-11-25T18:05:00Z")
        );
    }
}
