//! What the CE office's pages read and the one thing they write: the
//! fleet as kiosks last reported, the activity's counts by hour and by
//! kiosk, finding an attendee and all the hub holds for them, what a kiosk
//! says of itself at each sync, and a void the office makes at the hub
//! (a record like a kiosk's, so it reaches every report and every kiosk).

use deadpool_postgres::Pool;

use super::{DbResult, HELD_COLS, SESSION_COLS, attendee_from, claimed_from, held_from};
use crate::domain::CodeSet;
use crate::hub::held::HeldReason;
use crate::records::CountedClaim;
use crate::records::{AttendeeRow, Body, Record, Void};
use crate::sync::protocol::DeviceReport;

/// The device id the hub's own records go under (voids made on its pages).
pub const OFFICE_DEVICE: &str = "hub-office";
/// The kiosk id those records carry.
pub const OFFICE_KIOSK: &str = "CE office";

/// Takes a kiosk's report of itself; the clock offset is its clock less
/// the hub's, on arrival.
pub async fn note_report(pool: &Pool, device_id: &str, r: &DeviceReport) -> DbResult<()> {
    let offset_ms = r
        .clock
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond() - jiff::Timestamp::now().as_millisecond());
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO devices(device_id, kiosk_id, version, reported_at, clock_offset_ms,
                                 not_uploaded, kiosk_result, interval_seconds)
             VALUES ($1, $2, $3, now(), $4, $5, $6, $7)
             ON CONFLICT (device_id) DO UPDATE SET
               version = excluded.version, reported_at = now(),
               clock_offset_ms = excluded.clock_offset_ms, not_uploaded = excluded.not_uploaded,
               kiosk_result = excluded.kiosk_result, interval_seconds = excluded.interval_seconds",
            &[
                &device_id,
                &r.kiosk_id,
                &r.version,
                &offset_ms,
                &r.not_uploaded,
                &r.last_result,
                &(r.interval_seconds.min(i32::MAX as u64) as i32),
            ],
        )
        .await?;
    Ok(())
}

/// One kiosk database as the hub knows it.
#[derive(Debug, Clone)]
pub struct Device {
    pub device_id: String,
    pub kiosk_id: String,
    pub high_seq: i64,
    pub first_seen: String,
    /// The last time the hub heard from it (an upload or a report).
    pub last_contact: String,
    pub silent_seconds: i64,
    pub version: Option<String>,
    pub clock_offset_ms: Option<i64>,
    pub not_uploaded: Option<i64>,
    /// How its last sync went, as the kiosk said.
    pub kiosk_result: Option<String>,
    pub interval_seconds: Option<i32>,
    pub last_upload_at: Option<String>,
    /// What the hub made of its last page.
    pub last_upload_result: Option<String>,
}

/// Every kiosk database that has reached the hub, by kiosk id.
pub async fn devices(pool: &Pool, tz: &str) -> DbResult<Vec<Device>> {
    let client = pool.get().await?;
    let t = |col: &str| format!("to_char({col} AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI')");
    let rows = client
        .query(
            &format!(
                "SELECT device_id, kiosk_id, high_seq, {}, {},
                        extract(epoch FROM now() - greatest(last_seen, reported_at))::bigint,
                        version, clock_offset_ms, not_uploaded, kiosk_result, interval_seconds,
                        {}, last_upload_result
                 FROM devices WHERE device_id <> $2 ORDER BY kiosk_id, last_seen DESC",
                t("first_seen"),
                t("greatest(last_seen, reported_at)"),
                t("last_upload_at")
            ),
            &[&tz, &OFFICE_DEVICE],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Device {
            device_id: r.get(0),
            kiosk_id: r.get(1),
            high_seq: r.get(2),
            first_seen: r.get(3),
            last_contact: r.get(4),
            silent_seconds: r.get(5),
            version: r.get(6),
            clock_offset_ms: r.get(7),
            not_uploaded: r.get(8),
            kiosk_result: r.get(9),
            interval_seconds: r.get(10),
            last_upload_at: r.get(11),
            last_upload_result: r.get(12),
        })
        .collect())
}

/// Counted claims by the hour they were made (event-local day and hour)
/// and by kiosk, for the overview's charts.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    /// (day `YYYY-MM-DD`, hour 0–23, claims).
    pub by_hour: Vec<(String, u32, i64)>,
    /// (kiosk id, claims), most first.
    pub by_kiosk: Vec<(String, i64)>,
    pub certificates: i64,
}

pub async fn activity(pool: &Pool, tz: &str) -> DbResult<Activity> {
    let client = pool.get().await?;
    let counted =
        "SELECT claimed_at, kiosk_id FROM claim_state WHERE voided_at IS NULL AND held IS NULL";
    let by_hour = client
        .query(
            &format!(
                "SELECT to_char(t, 'YYYY-MM-DD'), extract(hour FROM t)::integer, count(*)
                 FROM (SELECT claimed_at::timestamptz AT TIME ZONE $1 AS t FROM ({counted}) c) h
                 GROUP BY 1, 2 ORDER BY 1, 2"
            ),
            &[&tz],
        )
        .await?;
    let by_kiosk = client
        .query(
            &format!(
                "SELECT coalesce(kiosk_id, ''), count(*) FROM ({counted}) c GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            &[],
        )
        .await?;
    let certificates: i64 = client
        .query_one("SELECT count(*) FROM certificates", &[])
        .await?
        .get(0);
    Ok(Activity {
        by_hour: by_hour
            .iter()
            .map(|r| (r.get(0), r.get::<_, i32>(1).clamp(0, 23) as u32, r.get(2)))
            .collect(),
        by_kiosk: by_kiosk.iter().map(|r| (r.get(0), r.get(1))).collect(),
        certificates,
    })
}

/// At most this many attendees are listed for one search.
pub const FOUND_MAX: usize = 50;

/// Attendees whose badge or e-mail is `q`, or whose name and e-mail hold
/// every word of it; by name, at most `FOUND_MAX` + 1 (so a caller can
/// say there were more).
pub async fn find_attendees(pool: &Pool, q: &str) -> DbResult<Vec<AttendeeRow>> {
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| {
            w.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        })
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let client = pool.get().await?;
    // A badge is the common case (a scan, a link): looked up by its key.
    let exact = client
        .query(
            "SELECT badge_id, first_name, last_name, degree, profession, email FROM attendees
             WHERE badge_id = $1",
            &[&q.trim()],
        )
        .await?;
    if !exact.is_empty() {
        return Ok(exact.iter().filter_map(|r| attendee_from(r, 0)).collect());
    }
    let rows = client
        .query(
            "SELECT badge_id, first_name, last_name, degree, profession, email FROM attendees a
             WHERE a.badge_id = $1 OR lower(a.email) = lower($1)
                OR (SELECT bool_and(a.first_name || ' ' || a.last_name || ' ' || a.email ILIKE '%' || w || '%')
                    FROM unnest($2::text[]) w)
             ORDER BY a.badge_id <> $1, a.last_name, a.first_name, a.badge_id LIMIT $3",
            &[&q.trim(), &words, &((FOUND_MAX + 1) as i64)],
        )
        .await?;
    Ok(rows.iter().filter_map(|r| attendee_from(r, 0)).collect())
}

/// One of an attendee's claims as the hub holds it.
#[derive(Debug, Clone)]
pub struct AttendeeClaim {
    pub claim_id: String,
    pub session_id: String,
    pub title: String,
    pub starts_at: String,
    pub credits_q: i32,
    pub kiosk_id: String,
    pub claimed_at: String,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    pub duplicate_of: Option<String>,
    pub held: Option<HeldReason>,
}

/// A certificate an attendee left a kiosk with.
#[derive(Debug, Clone)]
pub struct CertLine {
    pub certificate_id: String,
    pub short_code: String,
    pub issued_at: String,
    pub kiosk_id: String,
}

/// All the hub holds for one attendee, for their page.
#[derive(Debug, Clone, Default)]
pub struct AttendeeRecords {
    /// Every claim, by session time.
    pub claims: Vec<AttendeeClaim>,
    /// The claims that count, earliest first (as the award takes them).
    pub counted: Vec<CountedClaim>,
    pub certificates: Vec<CertLine>,
    /// Records of theirs the hub could not read: (what, why).
    pub unread: Vec<(String, String)>,
    /// Walk-ins that differ from the attendee the hub holds, which stands:
    /// (kiosk, when noted in the event's zone, the walk-in as sent).
    pub conflicts: Vec<(String, String, String)>,
    pub codes: Option<CodeSet>,
    pub pharm_role: Option<String>,
    pub moc_consent: bool,
}

/// An attendee's claims (one read of the claims view serves both the list
/// and the award), certificates, choices, and records the hub could not
/// read.
pub async fn attendee_records(pool: &Pool, badge: &str, tz: &str) -> DbResult<AttendeeRecords> {
    let client = pool.get().await?;
    let rows = client
        .query(
            &format!(
                "SELECT c.claim_id, c.session_id, coalesce(s.title, ''), coalesce(s.starts_at, ''), c.credits_q,
                        coalesce(c.kiosk_id, ''), c.claimed_at, c.voided_at, c.void_reason, c.duplicate_of, c.held,
                        c.device_id, c.seq, s.session_id IS NOT NULL, c.credits_q, c.claimed_at, {SESSION_COLS},
                        {HELD_COLS}
                 FROM claims c LEFT JOIN sessions s ON s.session_id = c.session_id
                 WHERE c.badge_id = $1 ORDER BY s.starts_at, c.session_id, c.claimed_at, c.device_id, c.seq"
            ),
            &[&badge],
        )
        .await?;
    let mut out = AttendeeRecords::default();
    let mut counted: Vec<(String, String, i64, CountedClaim)> = Vec::new();
    for r in &rows {
        let line = AttendeeClaim {
            claim_id: r.get(0),
            session_id: r.get(1),
            title: r.get(2),
            starts_at: r.get(3),
            credits_q: r.get(4),
            kiosk_id: r.get(5),
            claimed_at: r.get(6),
            voided_at: r.get(7),
            void_reason: r.get(8),
            duplicate_of: r.get(9),
            held: held_from(r, 25),
        };
        let counts = line.voided_at.is_none() && line.duplicate_of.is_none() && line.held.is_none();
        if counts && r.get::<_, bool>(13) {
            counted.push((
                line.claimed_at.clone(),
                r.get(11),
                r.get(12),
                claimed_from(r, 14),
            ));
        }
        out.claims.push(line);
    }
    counted.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    out.counted = counted.into_iter().map(|c| c.3).collect();
    out.certificates = client
        .query(
            "SELECT certificate_id, short_code, coalesce(issued_at, ''), coalesce(kiosk_id, '')
             FROM certificates WHERE badge_id = $1 ORDER BY issued_at",
            &[&badge],
        )
        .await?
        .iter()
        .map(|r| CertLine {
            certificate_id: r.get(0),
            short_code: r.get(1),
            issued_at: r.get(2),
            kiosk_id: r.get(3),
        })
        .collect();
    out.unread = client
        .query(
            "SELECT kind || ' record ' || seq || ' from ' || device_id, rejected FROM records
             WHERE badge_id = $1 AND rejected IS NOT NULL ORDER BY created_at",
            &[&badge],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    out.conflicts = client
        .query(
            "SELECT kiosk_id, to_char(noted_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),
                    concat_ws(' · ', nullif(trim(concat_ws(' ', sent->>'first_name', sent->>'last_name')), ''),
                              nullif(sent->>'degree', ''), sent->>'profession', nullif(sent->>'email', ''))
             FROM attendee_conflicts WHERE badge_id = $1 ORDER BY noted_at",
            &[&badge, &tz],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    if let Some(p) = client
        .query_opt(
            "SELECT codes, pharm_role, coalesce(moc_consent, false) FROM profiles WHERE badge_id = $1",
            &[&badge],
        )
        .await?
    {
        let codes: Option<String> = p.get(0);
        out.codes = codes.and_then(|c| CodeSet::parse_list(&c).ok());
        out.pharm_role = p.get(1);
        out.moc_consent = p.get(2);
    }
    Ok(out)
}

/// Why a void made on the office's pages was not written.
#[derive(Debug, thiserror::Error)]
pub enum VoidError {
    #[error("a void needs a reason")]
    NoReason,
    #[error("attendee {badge} has no claim {claim}")]
    NoClaim { badge: String, claim: String },
    #[error("that claim is already void")]
    AlreadyVoid,
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<tokio_postgres::Error> for VoidError {
    fn from(e: tokio_postgres::Error) -> VoidError {
        VoidError::Store(e.into())
    }
}

impl From<deadpool_postgres::PoolError> for VoidError {
    fn from(e: deadpool_postgres::PoolError) -> VoidError {
        VoidError::Store(e.into())
    }
}

impl From<serde_json::Error> for VoidError {
    fn from(e: serde_json::Error) -> VoidError {
        VoidError::Store(e.into())
    }
}

/// Voids an attendee's claim at the hub: a void record under the office's
/// device, checked as a kiosk's is, and the audit line with the account's
/// name, in one transaction. Kiosks receive it at their next sync.
pub async fn void_claim(
    pool: &Pool,
    account: &str,
    badge: &str,
    claim_id: &str,
    reason: &str,
) -> DbResult<String, VoidError> {
    let reason = crate::domain::sanitize(reason.trim());
    if reason.is_empty() {
        return Err(VoidError::NoReason);
    }
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let found = tx
        .query_opt(
            "SELECT session_id, voided_at FROM claim_state WHERE badge_id = $1 AND claim_id = $2",
            &[&badge, &claim_id],
        )
        .await?;
    let Some(found) = found else {
        return Err(VoidError::NoClaim {
            badge: badge.to_string(),
            claim: claim_id.to_string(),
        });
    };
    if found.get::<_, Option<String>>(1).is_some() {
        return Err(VoidError::AlreadyVoid);
    }
    let session_id: String = found.get(0);
    let now = jiff::Timestamp::now().to_string();
    let body = Body::Void(Void {
        badge_id: badge.to_string(),
        claim_id: claim_id.to_string(),
        kiosk_id: OFFICE_KIOSK.to_string(),
        reason: reason.clone(),
        session_id: session_id.clone(),
        voided_at: now.clone(),
    });
    // The office's device row is the lock: two voids take turns for a seq.
    let high: i64 = tx
        .query_one(
            "INSERT INTO devices(device_id, kiosk_id) VALUES ($1, $2)
             ON CONFLICT (device_id) DO UPDATE SET last_seen = now() RETURNING high_seq",
            &[&OFFICE_DEVICE, &OFFICE_KIOSK],
        )
        .await?
        .get(0);
    let record = Record {
        seq: high + 1,
        kind: body.kind().to_string(),
        record_id: claim_id.to_string(),
        payload: serde_json::value::RawValue::from_string(body.to_json())?,
        created_at: now,
    };
    // The hub's own void, of values it holds: its form is checked as a
    // kiosk's would be.
    body.check(&record.record_id)
        .map_err(|e| anyhow::anyhow!("the void's own check: {e}"))?;
    tx.execute(
        "INSERT INTO records(device_id, seq, kind, record_id, payload, created_at, badge_id)
         VALUES ($1, $2, $3, $4, $5::text::json, $6, $7)",
        &[
            &OFFICE_DEVICE,
            &record.seq,
            &record.kind,
            &record.record_id,
            &record.payload.get(),
            &record.created_at,
            &body.badge_id(),
        ],
    )
    .await?;
    tx.execute(
        "UPDATE devices SET high_seq = $2 WHERE device_id = $1",
        &[&OFFICE_DEVICE, &record.seq],
    )
    .await?;
    let detail = format!("claim {claim_id} ({badge}, session {session_id}): {reason}");
    tx.execute(
        "INSERT INTO admin_audit(account, action, detail) VALUES ($1, 'void', $2)",
        &[&account, &detail],
    )
    .await?;
    tx.commit().await?;
    Ok(session_id)
}

/// How many door scans the hub holds, of how many attendees, at how many
/// sessions.
pub async fn scan_counts(pool: &Pool) -> DbResult<(i64, i64, i64)> {
    let client = pool.get().await?;
    let r = client
        .query_one(
            "SELECT count(*), count(DISTINCT badge_id), count(DISTINCT session_id) FROM scans",
            &[],
        )
        .await?;
    Ok((r.get(0), r.get(1), r.get(2)))
}
