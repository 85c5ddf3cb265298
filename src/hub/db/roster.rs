//! Loading the roster and the catalog into the hub, which is the system of
//! record for both, and putting what changed on the feed kiosks download.

use std::collections::{HashMap, HashSet};

use deadpool_postgres::Pool;

use super::DbResult;
use crate::records::{AttendeeRow, Body, RosterSession, SessionRow};

/// How a roster or catalog file meets the rows the hub holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterMode {
    /// `hub import`: the file's rows replace the hub's rows of the same id.
    Update,
    /// The config folder at start: only rows the hub lacks are added, so
    /// a restart never undoes what the CE office imported since.
    OnlyNew,
}

/// What a roster or catalog load changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RosterChanges {
    pub attendees_changed: usize,
    pub sessions_changed: usize,
}

/// Loads attendees and sessions into the hub, in one transaction, adding
/// what changed to the feed kiosks download. The hub is the system of
/// record for both; held claims that now fit count at once, as the claims
/// view reads them with the roster and catalog as they are.
pub async fn load_roster(
    pool: &Pool,
    config: &crate::config::Config,
    attendees: &[AttendeeRow],
    sessions: &[SessionRow],
    load: RosterMode,
) -> DbResult<RosterChanges> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let refs: Vec<&AttendeeRow> = attendees.iter().collect();
    let changed = upsert_attendees(&tx, &refs, "roster", load).await?;
    let changed_set: HashSet<&str> = changed.iter().map(String::as_str).collect();
    let feed: Vec<String> = attendees
        .iter()
        .filter(|a| changed_set.contains(a.badge_id.as_str()))
        .map(|a| Body::RosterAttendee(a.clone()).to_json())
        .collect();
    tx.execute(
        "INSERT INTO changes(origin, kind, payload) SELECT 'hub', 'roster.attendee', p::json FROM unnest($1::text[]) AS t(p)",
        &[&feed],
    )
    .await?;
    let on_conflict = match load {
        RosterMode::Update => {
            "DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
               ends_at = excluded.ends_at, credits_q = excluded.credits_q, credit_types = excluded.credit_types,
               track = excluded.track, room = excluded.room, acpe_uan = excluded.acpe_uan,
               starts_utc = excluded.starts_utc, ends_utc = excluded.ends_utc, updated_at = now()
             WHERE (sessions.title, sessions.starts_at, sessions.ends_at, sessions.credits_q, sessions.credit_types,
                    sessions.track, sessions.room, sessions.acpe_uan, sessions.ends_utc)
               IS DISTINCT FROM (excluded.title, excluded.starts_at, excluded.ends_at, excluded.credits_q,
                    excluded.credit_types, excluded.track, excluded.room, excluded.acpe_uan, excluded.ends_utc)"
        }
        RosterMode::OnlyNew => {
            // Rows from before the hub kept instants get theirs.
            "DO UPDATE SET starts_utc = excluded.starts_utc, ends_utc = excluded.ends_utc
             WHERE sessions.ends_utc IS NULL AND sessions.starts_at = excluded.starts_at
               AND sessions.ends_at = excluded.ends_at"
        }
    };
    let insert = format!(
        "INSERT INTO sessions(session_id, title, starts_at, ends_at, credits_q, credit_types, track, room, acpe_uan,
                              starts_utc, ends_utc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10::bigint * 60), to_timestamp($11::bigint * 60))
         ON CONFLICT (session_id) {on_conflict}
         RETURNING (xmax = 0) AS inserted"
    );
    let insert = tx.prepare(&insert).await?;
    let mut changed_sessions: Vec<&str> = Vec::new();
    for s in sessions {
        let types = s.credit_types.to_list();
        let credits = s.credits as i32;
        let minutes = |t: &str| {
            crate::config::parse_local(t)
                .ok()
                .and_then(|t| config.local_to_minutes(t).ok())
        };
        let (starts, ends) = (minutes(&s.starts_at), minutes(&s.ends_at));
        let row = tx
            .query_opt(
                &insert,
                &[
                    &s.session_id,
                    &s.title,
                    &s.starts_at,
                    &s.ends_at,
                    &credits,
                    &types,
                    &s.track,
                    &s.room,
                    &s.acpe_uan,
                    &starts,
                    &ends,
                ],
            )
            .await?;
        // OnlyNew: an existing row filled in is not news to kiosks.
        let news = match (load, &row) {
            (_, None) => false,
            (RosterMode::OnlyNew, Some(r)) => r.get::<_, bool>(0),
            (RosterMode::Update, Some(_)) => true,
        };
        if news {
            changed_sessions.push(&s.session_id);
            let payload = Body::from(RosterSession::from(s)).to_json();
            tx.execute(
                "INSERT INTO changes(origin, kind, payload) VALUES ('hub', 'roster.session', $1::text::json)",
                &[&payload],
            )
            .await?;
        }
    }
    tx.commit().await?;
    if load == RosterMode::Update && !(changed.is_empty() && changed_sessions.is_empty()) {
        // Records about what changed go round the feed again, after the
        // roster rows (a later transaction sorts after them in the feed): a
        // kiosk that skipped a claim for a session or attendee it did not
        // have takes it now. Applying a change twice changes nothing.
        client
            .execute(
                "UPDATE records SET txid = pg_current_xact_id()
                 WHERE rejected IS NULL AND kind <> 'audit'
                   AND (badge_id = ANY($1) OR (kind = 'claim' AND payload->>'session_id' = ANY($2)))",
                &[&changed, &changed_sessions],
            )
            .await?;
    }
    Ok(RosterChanges {
        attendees_changed: feed.len(),
        sessions_changed: changed_sessions.len(),
    })
}

/// Writes roster rows, as `load` says: only those the hub lacks, or those
/// too that differ from what it holds (an office import, which also makes
/// an attendee first registered as a walk-in the office's). Returns the
/// badges of rows new or changed, for the feed.
async fn upsert_attendees(
    tx: &tokio_postgres::Transaction<'_>,
    rows: &[&AttendeeRow],
    source: &str,
    load: RosterMode,
) -> DbResult<Vec<String>> {
    // One row per badge (the last wins): an upsert may not touch a row twice.
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, a) in rows.iter().enumerate() {
        last.insert(a.badge_id.as_str(), i);
    }
    let rows: Vec<&AttendeeRow> = rows
        .iter()
        .enumerate()
        .filter(|(i, a)| last.get(a.badge_id.as_str()) == Some(i))
        .map(|(_, a)| *a)
        .collect();
    let rows = &rows[..];
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let col = |f: fn(&AttendeeRow) -> &str| rows.iter().map(|a| f(a)).collect::<Vec<&str>>();
    let professions: Vec<&str> = rows.iter().map(|a| a.profession.as_str()).collect();
    // Only rows that are new or changed come back, for the change feed.
    let changed = tx
        .query(
            "INSERT INTO attendees(badge_id, first_name, last_name, degree, profession, email, source)
             SELECT * , $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
             ON CONFLICT (badge_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
               degree = excluded.degree, profession = excluded.profession, email = excluded.email,
               source = excluded.source, updated_at = now()
             WHERE $8 AND (attendees.first_name, attendees.last_name, attendees.degree, attendees.profession, attendees.email,
                           attendees.source)
                IS DISTINCT FROM (excluded.first_name, excluded.last_name, excluded.degree, excluded.profession, excluded.email,
                                  excluded.source)
             RETURNING badge_id",
            &[
                &col(|a| &a.badge_id),
                &col(|a| &a.first_name),
                &col(|a| &a.last_name),
                &col(|a| &a.degree),
                &professions,
                &col(|a| &a.email),
                &source,
                &(load == RosterMode::Update),
            ],
        )
        .await?;
    Ok(changed.iter().map(|r| r.get(0)).collect())
}
