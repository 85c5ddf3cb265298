//! The reads behind the sync API's device state, the certificate page, the
//! reports and `cekiosk hub held`: what the hub holds, as the views count it.

use std::collections::{HashMap, HashSet};

use deadpool_postgres::Pool;

use super::{
    DbResult, HELD_COLS, SESSION_COLS, WITHOUT_SCAN, attendee_from, claimed_from, held_from,
    session_from,
};
use crate::domain::CodeSet;
use crate::hub::certificate::CertData;
use crate::hub::held::HeldLine;
use crate::hub::held::HeldReason;
use crate::records::SessionRow;
use crate::records::{AttendeeRow, CountedClaim};
use crate::sync::protocol::Rejected;

/// What the hub holds for a device: its high-water mark, the records it
/// rejected and the claims it holds, with the reasons.
pub struct DeviceRecords {
    pub high_seq: i64,
    pub rejected: Vec<Rejected>,
    pub held: Vec<Rejected>,
}

/// A device's held claims, with HELD_COLS after their seq and id: what
/// `claim_state` says of them (its rule, `held_code`, and its voids), read
/// for one device so that each of its attendees is looked up on the roster
/// once, not once per claim (a kiosk's 1,700 claims of a congress's five
/// days name some 340 attendees). PostgreSQL would look them up per claim
/// through the view: it takes a device's claims to name as many attendees
/// as there are claims. `tests/sync_hub/hub_database.rs` holds the two
/// together.
pub fn device_held_sql() -> String {
    format!(
        "WITH mine AS MATERIALIZED (
         SELECT seq, claim_id, badge_id, session_id, credits_q, claimed_at, claimed_utc, received_at
         FROM claim_rows WHERE device_id = $1
     ), off_roster AS MATERIALIZED (
         SELECT b.badge_id FROM (SELECT DISTINCT badge_id FROM mine WHERE badge_id IS NOT NULL) b
         WHERE NOT EXISTS (SELECT FROM attendees a WHERE a.badge_id = b.badge_id)
     )
     SELECT c.seq, c.claim_id, {HELD_COLS}
     FROM (
         SELECT m.seq, m.claim_id, m.session_id, m.badge_id, m.credits_q, m.claimed_at,
                s.credits_q AS designated_q,
                held_code(s.session_id IS NOT NULL, m.badge_id IS NOT NULL AND o.badge_id IS NULL,
                          m.credits_q, s.credits_q, s.ends_utc, m.claimed_utc, m.received_at) AS held
         FROM mine m
         LEFT JOIN sessions s ON s.session_id = m.session_id
         LEFT JOIN off_roster o ON o.badge_id = m.badge_id
         WHERE NOT EXISTS (SELECT FROM void_rows v
                           WHERE v.badge_id = m.badge_id AND v.claim_id = m.claim_id
                             AND v.voided_at IS NOT NULL)
     ) c
     WHERE c.held IS NOT NULL ORDER BY c.seq"
    )
}

/// What the hub holds for a device: its high-water mark, the records it
/// rejected and, when `with_held`, the claims it holds and does not count.
/// The held claims are worked out claim by claim from the roster and the
/// catalog as they are now, so a sync asks for them only once, after its
/// upload. The three reads go out together on one connection (pipelined).
pub async fn device_state(
    pool: &Pool,
    device_id: &str,
    with_held: bool,
) -> DbResult<DeviceRecords> {
    let client = pool.get().await?;
    let reasons = |rows: Vec<tokio_postgres::Row>| -> Vec<Rejected> {
        rows.iter()
            .map(|r| Rejected {
                seq: r.get(0),
                record_id: r.get(1),
                reason: r.get(2),
            })
            .collect()
    };
    let id: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&device_id];
    // Every kiosk asks this at every sync: each connection plans these
    // once (the held claims' view took 2-3 ms to plan, about a third of
    // its time).
    let high = async {
        let s = client
            .prepare_cached("SELECT high_seq FROM devices WHERE device_id = $1")
            .await?;
        client.query_opt(&s, &id).await
    };
    let rejected = async {
        let s = client
            .prepare_cached(
                "SELECT seq, record_id, rejected FROM records
                 WHERE device_id = $1 AND rejected IS NOT NULL ORDER BY seq",
            )
            .await?;
        client.query(&s, &id).await
    };
    let held = async {
        if with_held {
            let s = client.prepare_cached(&device_held_sql()).await?;
            client.query(&s, &id).await
        } else {
            Ok(Vec::new())
        }
    };
    let (high, rejected, held) = tokio::try_join!(high, rejected, held)?;
    // A held claim's reason goes to the kiosk in English, as it always has.
    let held = held
        .iter()
        .filter_map(|r| {
            Some(Rejected {
                seq: r.get(0),
                record_id: r.get(1),
                reason: held_from(r, 2)?.to_string(),
            })
        })
        .collect();
    Ok(DeviceRecords {
        high_seq: high.map(|r| r.get(0)).unwrap_or(0),
        rejected: reasons(rejected),
        held,
    })
}

/// An attendee's latest certificate, by the kiosks' clocks.
pub async fn latest_certificate(
    pool: &Pool,
    badge_id: &str,
) -> DbResult<Option<crate::sync::protocol::CertificateAnswer>> {
    let client = pool.get().await?;
    Ok(client
        .query_opt(
            "SELECT certificate_id, short_code, coalesce(issued_at, '') FROM certificates
             WHERE badge_id = $1 ORDER BY issued_at DESC NULLS LAST, received_at DESC LIMIT 1",
            &[&badge_id],
        )
        .await?
        .map(|r| crate::sync::protocol::CertificateAnswer {
            certificate_id: r.get(0),
            short_code: r.get(1),
            issued_at: r.get(2),
        }))
}

/// The attendee a certificate is for, as a value the statements below
/// compare with: an init plan, so each view is read for that attendee
/// alone through its badge index.
const CERT_BADGE: &str =
    "(SELECT badge_id FROM certificates WHERE certificate_id = $1 ORDER BY received_at LIMIT 1)";

/// What a certificate's page shows, in two statements sent at once on one
/// connection (pipelined: one round trip) and prepared once per
/// connection: the certificate with its attendee and choices, and the
/// attendee's claims that count or are held. Each names the certificate,
/// not the attendee, so neither waits on the other's answer. The claims
/// view is read once for both lists: under 100 clients at once the page
/// costs what PostgreSQL spends on it, and each pass over the view (its
/// duplicate window, its catalog and roster checks) was a third of that.
pub async fn cert_data(pool: &Pool, certificate_id: &str) -> DbResult<Option<CertData>> {
    let client = pool.get().await?;
    // The profile is joined on the attendee found by an init plan, so the
    // view's grouping is done for that attendee alone.
    let cert = format!(
        "SELECT c.certificate_id, c.short_code, c.badge_id, c.issued_at,
                a.badge_id, a.first_name, a.last_name, a.degree, a.profession, a.email, c.language,
                p.codes, p.pharm_role, coalesce(p.moc_consent, false)
         FROM certificates c
         LEFT JOIN attendees a ON a.badge_id = c.badge_id
         LEFT JOIN profiles p ON p.badge_id = {CERT_BADGE}
         WHERE c.certificate_id = $1
         ORDER BY c.received_at LIMIT 1"
    );
    // Claims that count (not void, not held, not a duplicate) and claims
    // held, with the reasons; earliest first, the order in which the rules
    // let simultaneous ACPE sessions count. A held claim's session may be
    // missing from the catalog: its id stands in for the title.
    let claims = format!(
        "SELECT c.credits_q, c.claimed_at, {SESSION_COLS}, c.session_id, c.claim_id, {HELD_COLS}
         FROM claims c LEFT JOIN sessions s ON s.session_id = c.session_id
         WHERE c.badge_id = {CERT_BADGE}
           AND (c.held IS NOT NULL OR (c.voided_at IS NULL AND c.duplicate_of IS NULL))
         ORDER BY c.claimed_at, c.device_id, c.seq"
    );
    let (cert, claims) =
        tokio::try_join!(client.prepare_cached(&cert), client.prepare_cached(&claims))?;
    let id: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&certificate_id];
    let (cert, claims) =
        tokio::try_join!(client.query_opt(&cert, &id), client.query(&claims, &id))?;
    let Some(row) = cert else {
        return Ok(None);
    };
    let codes: Option<String> = row.get(11);
    let (held, counted): (Vec<_>, Vec<_>) = claims
        .iter()
        .partition(|r| r.get::<_, Option<&str>>(13).is_some());
    Ok(Some(CertData {
        certificate_id: row.get(0),
        short_code: row.get(1),
        issued_at: row.get(3),
        attendee: attendee_from(&row, 4),
        claims: counted.iter().map(|r| claimed_from(r, 0)).collect(),
        counted_claims: counted.iter().map(|r| r.get(12)).collect(),
        codes: codes.and_then(|c| CodeSet::parse_list(&c).ok()),
        pharm_role: row.get(12),
        moc_consent: row.get(13),
        held: held
            .iter()
            .filter_map(|r| {
                Some(HeldLine {
                    session_id: r.get(11),
                    title: crate::domain::sanitize(
                        r.get::<_, Option<&str>>(3).unwrap_or(r.get::<_, &str>(11)),
                    ),
                    reason: held_from(r, 13)?,
                })
            })
            .collect(),
        language: row.get(10),
        badge_id: row.get(2),
    }))
}

/// Everything the reports need about one attendee.
#[derive(Debug, Clone, Default)]
pub struct Learner {
    pub attendee: Option<AttendeeRow>,
    /// Counted claims, earliest first.
    pub claims: Vec<CountedClaim>,
    pub codes: Option<CodeSet>,
    pub epid: Option<String>,
    pub birth_mmdd: Option<String>,
    pub pharm_role: Option<String>,
    pub moc_consent: bool,
    pub abim_id: Option<String>,
    pub certificate: Option<(String, String)>,
    /// The latest change to the attendee's claims, voids, answers or
    /// choices, RFC 3339.
    pub last_changed: String,
    /// When the evaluation was completed (the latest answer), RFC 3339.
    pub evaluated_at: Option<String>,
    /// The sessions of counted claims without a door scan where scans were
    /// taken.
    pub without_scan: HashSet<String>,
}

/// Everyone with a claim, for the reports. The counted claims and what is
/// known of each attendee are read at once, on two connections: each is
/// about half the work and PostgreSQL runs them side by side.
pub async fn learners(pool: &Pool) -> DbResult<HashMap<String, Learner>> {
    let (claims, people) = tokio::try_join!(counted_claims(pool), people(pool))?;
    let mut out: HashMap<String, Learner> = HashMap::new();
    let (sessions, rows) = claims;
    for r in &rows {
        let badge: String = r.get(0);
        let session_id: &str = r.get(3);
        // A claim that is not held has its session in the catalog.
        let Some(session) = sessions.get(session_id) else {
            continue;
        };
        let l = out.entry(badge).or_default();
        if r.get::<_, bool>(4) {
            l.without_scan.insert(session.session_id.clone());
        }
        l.claims.push(CountedClaim {
            credits: r.get::<_, i32>(1).max(0) as u32,
            claimed_at: r.get(2),
            session: session.clone(),
        });
    }
    for r in &people {
        let badge: String = r.get(0);
        let Some(l) = out.get_mut(&badge) else {
            continue;
        };
        l.attendee = attendee_from(r, 0);
        let codes: Option<String> = r.get(6);
        l.codes = codes.and_then(|c| CodeSet::parse_list(&c).ok());
        l.epid = r.get(7);
        l.birth_mmdd = r.get(8);
        l.pharm_role = r.get(9);
        l.moc_consent = r.get(10);
        l.abim_id = r.get(11);
        let cert: Option<String> = r.get(12);
        l.certificate = cert.and_then(|c| {
            c.split_once(' ')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        });
        l.last_changed = r.get::<_, Option<String>>(13).unwrap_or_default();
        l.evaluated_at = r.get(14);
    }
    Ok(out)
}

/// The catalog by session id, and every counted claim in attendee order,
/// earliest first. The sessions are joined here rather than in SQL: 300
/// rows read once, not their titles sent again with each of 130,000 claims.
async fn counted_claims(
    pool: &Pool,
) -> DbResult<(HashMap<String, SessionRow>, Vec<tokio_postgres::Row>)> {
    let client = pool.get().await?;
    let sessions = client
        .query(&format!("SELECT {SESSION_COLS} FROM sessions s"), &[])
        .await?
        .iter()
        .map(|r| (r.get(0), session_from(r, 0)))
        .collect();
    let rows = client
        .query(
            &format!(
                "SELECT c.badge_id, c.credits_q, c.claimed_at, c.session_id, {WITHOUT_SCAN}
                 FROM claims c
                 WHERE c.voided_at IS NULL AND c.duplicate_of IS NULL AND c.held IS NULL
                 ORDER BY c.badge_id, c.claimed_at, c.device_id, c.seq"
            ),
            &[],
        )
        .await?;
    Ok((sessions, rows))
}

/// Each attendee on the roster with their choices, their latest
/// certificate, when their records last changed and when they completed
/// the evaluation. Each view is read once, grouped by attendee: a subquery
/// per attendee would read an attendee's records once per column.
async fn people(pool: &Pool) -> DbResult<Vec<tokio_postgres::Row>> {
    let client = pool.get().await?;
    // `evaluated` reads the evaluations' own table: the newest evaluation
    // is when the newest answers that stand were given (an evaluation
    // without its time is rejected at upload), without sorting every
    // answer first.
    let rows = client
        .query(
            "WITH cert AS (
                 SELECT DISTINCT ON (badge_id) badge_id, certificate_id || ' ' || issued_at AS latest
                 FROM certificates ORDER BY badge_id, issued_at DESC
             ), changed AS (
                 SELECT badge_id, max(greatest(claimed_at, coalesce(voided_at, ''))) AS at
                 FROM claim_state GROUP BY badge_id
             ), evaluated AS (
                 SELECT badge_id, max(answered_at) AS at FROM evaluation_rows GROUP BY badge_id
             )
             SELECT a.badge_id, a.first_name, a.last_name, a.degree, a.profession, a.email,
                    p.codes, p.epid, p.birth_mmdd, p.pharm_role, coalesce(p.moc_consent, false), p.abim_id,
                    cert.latest, greatest(changed.at, evaluated.at, p.updated_at), evaluated.at
             FROM attendees a
             JOIN changed ON changed.badge_id = a.badge_id
             LEFT JOIN profiles p ON p.badge_id = a.badge_id
             LEFT JOIN cert ON cert.badge_id = a.badge_id
             LEFT JOIN evaluated ON evaluated.badge_id = a.badge_id",
            &[],
        )
        .await?;
    Ok(rows)
}

/// A claim the hub keeps but does not count, or a record it could not
/// read at all, for the CE office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldClaim {
    pub badge_id: String,
    /// The attendee's name, when the roster has them.
    pub name: String,
    /// What is held: `claim S008`, or the kind of a record not read.
    pub what: String,
    pub kiosk_id: String,
    /// When the kiosk recorded it.
    pub at: String,
    pub reason: HeldReason,
}

impl std::fmt::Display for HeldClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let who = if self.name.is_empty() {
            self.badge_id.clone()
        } else {
            format!("{} ({})", self.badge_id, self.name)
        };
        write!(
            f,
            "{who}: {} at kiosk {}, {}: {}",
            self.what, self.kiosk_id, self.at, self.reason
        )
    }
}

/// The ids of the claims held now.
pub async fn held_ids(pool: &Pool) -> DbResult<HashSet<String>> {
    let client = pool.get().await?;
    Ok(client
        .query(
            "SELECT claim_id FROM claim_state WHERE held IS NOT NULL",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Every held claim and every record the hub could not read, oldest
/// first, with the reason.
pub async fn held_claims(pool: &Pool) -> DbResult<Vec<HeldClaim>> {
    let client = pool.get().await?;
    // Each row says where it comes from: a held claim (its reason's code
    // and values), a record rejected (the check's words) or one at a
    // sequence the hub holds with another (the device).
    let rows = client
        .query(
            &format!(
                "SELECT c.badge_id, coalesce(a.first_name || ' ' || a.last_name, ''), 'claim ' || c.session_id,
                        coalesce(c.kiosk_id, ''), c.claimed_at, 'claim', NULL, {HELD_COLS}
                 FROM claim_state c LEFT JOIN attendees a ON a.badge_id = c.badge_id
                 WHERE c.held IS NOT NULL
                 UNION ALL
                 SELECT coalesce(r.payload->>'badge_id', ''), '', r.kind || ' record ' || r.seq,
                        coalesce(d.kiosk_id, ''), r.created_at, 'rejected', r.rejected,
                        NULL, NULL, NULL, NULL, NULL, NULL
                 FROM records r LEFT JOIN devices d ON d.device_id = r.device_id
                 WHERE r.rejected IS NOT NULL
                 UNION ALL
                 SELECT coalesce(x.payload->>'badge_id', ''), '', x.kind || ' record ' || x.seq,
                        coalesce(d.kiosk_id, ''), x.created_at, 'conflict', x.device_id,
                        NULL, NULL, NULL, NULL, NULL, NULL
                 FROM conflicts x LEFT JOIN devices d ON d.device_id = x.device_id
                 ORDER BY 5, 1"
            ),
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let detail = || r.get::<_, Option<String>>(6).unwrap_or_default();
            let reason = match r.get::<_, &str>(5) {
                "claim" => held_from(r, 7)?,
                "rejected" => HeldReason::NotRead { reason: detail() },
                _ => HeldReason::SequenceConflict {
                    device_id: detail(),
                },
            };
            Some(HeldClaim {
                badge_id: r.get(0),
                name: r.get(1),
                what: r.get(2),
                kiosk_id: r.get(3),
                at: r.get(4),
                reason,
            })
        })
        .collect())
}

/// How many records the hub holds, for the import summary and tests.
pub async fn count_records(pool: &Pool) -> DbResult<i64> {
    let client = pool.get().await?;
    Ok(client
        .query_one("SELECT count(*) FROM records", &[])
        .await?
        .get(0))
}
