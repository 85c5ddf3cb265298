//! The roster (attendees) and the catalog (sessions): bulk upserts for the
//! imports and look-ups for the kiosk, with the door scans the hub sent.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreResult, now_text};
use crate::domain::{CodeSet, Profession};
use crate::records::{AttendeeRow, SessionRow};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertSummary {
    pub inserted: usize,
    pub updated: usize,
}

impl Store {
    /// Inserts or updates attendees by badge id, all in one transaction.
    /// `progress` is called with the number of rows written so far.
    pub fn upsert_attendees(
        &mut self,
        rows: &[AttendeeRow],
        progress: &mut dyn FnMut(usize),
    ) -> StoreResult<UpsertSummary> {
        let now = now_text();
        let (tx, wrap) = self.begin()?;
        let before: i64 = tx
            .query_row("SELECT count(*) FROM attendees", [], |r| r.get(0))
            .map_err(&wrap)?;
        {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO attendees(badge_id, first_name, last_name, degree, profession, email, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT(badge_id) DO UPDATE SET
                       first_name = excluded.first_name, last_name = excluded.last_name,
                       degree = excluded.degree, profession = excluded.profession,
                       email = excluded.email, updated_at = excluded.updated_at",
                )
                .map_err(&wrap)?;
            // Bound once: a binding lasts until it is replaced, and the
            // time is the same for every row.
            stmt.raw_bind_parameter(7, &now).map_err(&wrap)?;
            for (i, r) in rows.iter().enumerate() {
                stmt.raw_bind_parameter(1, &r.badge_id).map_err(&wrap)?;
                stmt.raw_bind_parameter(2, &r.first_name).map_err(&wrap)?;
                stmt.raw_bind_parameter(3, &r.last_name).map_err(&wrap)?;
                stmt.raw_bind_parameter(4, &r.degree).map_err(&wrap)?;
                stmt.raw_bind_parameter(5, r.profession.as_str())
                    .map_err(&wrap)?;
                stmt.raw_bind_parameter(6, &r.email).map_err(&wrap)?;
                stmt.raw_execute().map_err(&wrap)?;
                if i % 4096 == 4095 {
                    progress(i + 1);
                }
            }
        }
        let after: i64 = tx
            .query_row("SELECT count(*) FROM attendees", [], |r| r.get(0))
            .map_err(&wrap)?;
        tx.commit().map_err(&wrap)?;
        progress(rows.len());
        let inserted = (after - before) as usize;
        Ok(UpsertSummary {
            inserted,
            updated: rows.len() - inserted,
        })
    }

    /// Inserts or updates sessions by session id, all in one transaction.
    pub fn upsert_sessions(&mut self, rows: &[SessionRow]) -> StoreResult<UpsertSummary> {
        let now = now_text();
        let (tx, wrap) = self.begin()?;
        let mut summary = UpsertSummary::default();
        {
            let mut exists = tx
                .prepare("SELECT 1 FROM sessions WHERE session_id = ?1")
                .map_err(&wrap)?;
            let mut stmt = tx
                .prepare(
                    "INSERT INTO sessions(session_id, title, starts_at, ends_at, credits_q, credit_types, track, room, acpe_uan, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT(session_id) DO UPDATE SET
                       title = excluded.title, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                       credits_q = excluded.credits_q, credit_types = excluded.credit_types,
                       track = excluded.track, room = excluded.room, acpe_uan = excluded.acpe_uan,
                       updated_at = excluded.updated_at",
                )
                .map_err(&wrap)?;
            for r in rows {
                if exists.exists([&r.session_id]).map_err(&wrap)? {
                    summary.updated += 1;
                } else {
                    summary.inserted += 1;
                }
                stmt.execute(params![
                    r.session_id,
                    r.title,
                    r.starts_at,
                    r.ends_at,
                    r.credits,
                    r.credit_types.to_list(),
                    r.track,
                    r.room,
                    r.acpe_uan,
                    now
                ])
                .map_err(&wrap)?;
            }
        }
        tx.commit().map_err(&wrap)?;
        Ok(summary)
    }

    pub fn attendee(&self, badge_id: &str) -> StoreResult<Option<AttendeeRow>> {
        self.conn
            .query_row(
                "SELECT badge_id, first_name, last_name, degree, profession, email
                 FROM attendees WHERE badge_id = ?1",
                [badge_id],
                attendee_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The sessions an attendee was scanned into at the door (a scan `in`,
    /// or one that does not say which way), each with the latest such
    /// scan's time (event-local `YYYY-MM-DDTHH:MM`).
    pub fn scanned_into(&self, badge_id: &str) -> StoreResult<BTreeMap<String, String>> {
        self.query_all(
            "SELECT session_id, max(scanned_at) FROM scans
             WHERE badge_id = ?1 AND direction <> 'out' GROUP BY session_id",
            [badge_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    pub fn sessions(&self) -> StoreResult<Vec<SessionRow>> {
        self.query_all(
            "SELECT session_id, title, starts_at, ends_at, credits_q, credit_types, track, room, acpe_uan
                 FROM sessions ORDER BY starts_at, session_id",
            [],
            |r| {
                Ok(SessionRow {
                    session_id: r.get(0)?,
                    title: r.get(1)?,
                    starts_at: r.get(2)?,
                    ends_at: r.get(3)?,
                    credits: r.get(4)?,
                    credit_types: CodeSet::parse_list(&r.get::<_, String>(5)?).unwrap_or_default(),
                    track: r.get(6)?,
                    room: r.get(7)?,
                    acpe_uan: r.get(8)?,
                })
            },
        )
    }
}

pub(super) fn attendee_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttendeeRow> {
    let profession: String = r.get(4)?;
    Ok(AttendeeRow {
        badge_id: r.get(0)?,
        first_name: r.get(1)?,
        last_name: r.get(2)?,
        degree: r.get(3)?,
        profession: profession.parse().unwrap_or(Profession::Other),
        email: r.get(5)?,
    })
}
