//! Door scans at the hub: loading an imported file (new scans go on the
//! feed kiosks download) and what the CE office reads of one attendee's
//! scans beside their claims.

use deadpool_postgres::Pool;

use super::{DbResult, WITHOUT_SCAN};
use crate::records::{DoorScan, RosterIds};

/// The badges and sessions a scans file may name: the hub's roster
/// (walk-ins included) and catalog.
pub async fn roster_ids(pool: &Pool) -> DbResult<RosterIds> {
    let client = pool.get().await?;
    let ids = |rows: Vec<tokio_postgres::Row>| rows.iter().map(|r| r.get(0)).collect();
    Ok(RosterIds {
        badges: ids(client.query("SELECT badge_id FROM attendees", &[]).await?),
        sessions: ids(client.query("SELECT session_id FROM sessions", &[]).await?),
    })
}

/// Adds the scans the hub does not hold yet, and puts each on the feed, in
/// one transaction; returns how many were new. Scans the hub holds already
/// change nothing, so importing a file again sends kiosks nothing.
pub async fn load_scans(pool: &Pool, scans: &[DoorScan]) -> DbResult<usize> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let column = |f: fn(&DoorScan) -> &String| -> Vec<&str> {
        scans.iter().map(|s| f(s).as_str()).collect()
    };
    // One statement: the scans new to the hub go on the feed as they are
    // inserted, their payloads written in SQL as `Body::to_json` writes a
    // `DoorScan` (its fields in order; ids hold no character JSON escapes
    // differently), so no row travels back and forth.
    let new = tx
        .execute(
            "WITH new AS (
                 INSERT INTO scans(badge_id, session_id, scanned_at, direction)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                 ON CONFLICT DO NOTHING
                 RETURNING badge_id, session_id, scanned_at, direction
             )
             INSERT INTO changes(origin, kind, payload)
             SELECT 'hub', 'scan',
                    format('{\"badge_id\":%s,\"direction\":%s,\"scanned_at\":%s,\"session_id\":%s}',
                           to_json(badge_id), to_json(direction), to_json(scanned_at),
                           to_json(session_id))::json
             FROM new",
            &[
                &column(|s| &s.badge_id),
                &column(|s| &s.session_id),
                &column(|s| &s.scanned_at),
                &column(|s| &s.direction),
            ],
        )
        .await?;
    tx.commit().await?;
    Ok(new as usize)
}

/// One door scan of an attendee, with the session's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanLine {
    pub session_id: String,
    /// The session's title, control characters removed.
    pub title: String,
    /// Event-local `YYYY-MM-DDTHH:MM`.
    pub scanned_at: String,
    /// `in`, `out`, or empty when the scanner does not record it.
    pub direction: String,
}

/// One of an attendee's claims (void, held and duplicate ones too), and
/// whether a door scan backs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimScan {
    pub claim_id: String,
    pub session_id: String,
    /// The session's door was scanned (for anyone).
    pub scans_taken: bool,
    /// Flagged for the CE office, never refused: scans were taken at the
    /// session's door and none is the attendee's (in either direction).
    pub without_scan: bool,
}

/// An attendee's door scans and what they say of each claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendeeScans {
    /// Their scans, in time order.
    pub scans: Vec<ScanLine>,
    /// Their claims, in the order the kiosks recorded them.
    pub claims: Vec<ClaimScan>,
}

/// What the attendee's page shows of door scans.
pub async fn attendee_scans(pool: &Pool, badge_id: &str) -> DbResult<AttendeeScans> {
    let client = pool.get().await?;
    let scans = client
        .query(
            "SELECT x.session_id, coalesce(s.title, x.session_id), x.scanned_at, x.direction
             FROM scans x LEFT JOIN sessions s ON s.session_id = x.session_id
             WHERE x.badge_id = $1 ORDER BY x.scanned_at, x.session_id, x.direction",
            &[&badge_id],
        )
        .await?
        .iter()
        .map(|r| ScanLine {
            session_id: r.get(0),
            title: crate::domain::sanitize(r.get(1)),
            scanned_at: r.get(2),
            direction: r.get(3),
        })
        .collect();
    let claims = client
        .query(
            &format!(
                "SELECT c.claim_id, c.session_id,
                        EXISTS (SELECT 1 FROM scans x WHERE x.session_id = c.session_id),
                        {WITHOUT_SCAN}
                 FROM claim_state c WHERE c.badge_id = $1
                 ORDER BY c.claimed_at, c.device_id, c.seq"
            ),
            &[&badge_id],
        )
        .await?
        .iter()
        .map(|r| ClaimScan {
            claim_id: r.get(0),
            session_id: r.get(1),
            scans_taken: r.get(2),
            without_scan: r.get(3),
        })
        .collect();
    Ok(AttendeeScans { scans, claims })
}
