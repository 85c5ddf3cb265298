//! The reads behind the sync API's device state, the certificate page, the
//! reports and `cekiosk hub held`: what the hub holds, as the views count it.

use std::collections::{HashMap, HashSet};

use deadpool_postgres::Pool;

use super::{Result, SESSION_COLS, WITHOUT_SCAN, attendee_from, claimed_from};
use crate::domain::CodeSet;
use crate::hub::award::HeldLine;
use crate::hub::certificate::CertData;
use crate::hub::reports::Learner;
use crate::sync::protocol::Rejected;

/// What the hub holds for a device: its high-water mark, the records it
/// rejected and the claims it holds, with the reasons.
pub struct DeviceRecords {
    pub high_seq: i64,
    pub rejected: Vec<Rejected>,
    pub held: Vec<Rejected>,
}

pub async fn device_state(pool: &Pool, device_id: &str) -> Result<DeviceRecords> {
    let client = pool.get().await?;
    let high = client
        .query_opt(
            "SELECT high_seq FROM devices WHERE device_id = $1",
            &[&device_id],
        )
        .await?
        .map(|r| r.get(0))
        .unwrap_or(0);
    let reasons = |rows: Vec<tokio_postgres::Row>| -> Vec<Rejected> {
        rows.iter()
            .map(|r| Rejected {
                seq: r.get(0),
                reason: r.get(1),
            })
            .collect()
    };
    let rejected = reasons(
        client
            .query(
                "SELECT seq, rejected FROM records
                 WHERE device_id = $1 AND rejected IS NOT NULL ORDER BY seq",
                &[&device_id],
            )
            .await?,
    );
    let held = reasons(
        client
            .query(
                "SELECT seq, held FROM claim_state WHERE device_id = $1 AND held IS NOT NULL ORDER BY seq",
                &[&device_id],
            )
            .await?,
    );
    Ok(DeviceRecords {
        high_seq: high,
        rejected,
        held,
    })
}

/// The attendee a certificate is for, as a value the statements below
/// compare with: an init plan, so each view is read for that attendee
/// alone through its badge index.
const CERT_BADGE: &str =
    "(SELECT badge_id FROM certificates WHERE certificate_id = $1 ORDER BY received_at LIMIT 1)";

/// What a certificate's page shows, in four statements sent at once on
/// one connection (pipelined: one round trip, not four) and prepared once
/// per connection. Each names the certificate, not the attendee, so none
/// waits on another's answer.
pub async fn cert_data(pool: &Pool, certificate_id: &str) -> Result<Option<CertData>> {
    let client = pool.get().await?;
    let profile = format!(
        "SELECT codes, pharm_role, coalesce(moc_consent, false) FROM profiles WHERE badge_id = {CERT_BADGE}"
    );
    // Claims that count: not void, not held, not a duplicate; earliest
    // first, the order in which the rules let simultaneous ACPE sessions
    // count.
    let counted = format!(
        "SELECT c.credits_q, c.claimed_at, {SESSION_COLS} FROM claims c JOIN sessions s ON s.session_id = c.session_id
         WHERE c.badge_id = {CERT_BADGE} AND c.voided_at IS NULL AND c.duplicate_of IS NULL AND c.held IS NULL
         ORDER BY c.claimed_at, c.device_id, c.seq"
    );
    // Held claims, with the reasons.
    let held = format!(
        "SELECT c.session_id, coalesce(s.title, c.session_id), c.held
         FROM claims c LEFT JOIN sessions s ON s.session_id = c.session_id
         WHERE c.badge_id = {CERT_BADGE} AND c.held IS NOT NULL
         ORDER BY c.claimed_at, c.device_id, c.seq"
    );
    let (cert, profile, counted, held) = tokio::try_join!(
        client.prepare_cached(
            "SELECT c.certificate_id, c.short_code, c.badge_id, c.issued_at,
                    a.badge_id, a.first_name, a.last_name, a.degree, a.profession, a.email, c.language
             FROM certificates c
             LEFT JOIN attendees a ON a.badge_id = c.badge_id
             WHERE c.certificate_id = $1
             ORDER BY c.received_at LIMIT 1"
        ),
        client.prepare_cached(&profile),
        client.prepare_cached(&counted),
        client.prepare_cached(&held),
    )?;
    let id: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&certificate_id];
    let (cert, profile, counted, held) = tokio::try_join!(
        client.query_opt(&cert, &id),
        client.query_opt(&profile, &id),
        client.query(&counted, &id),
        client.query(&held, &id),
    )?;
    let Some(row) = cert else {
        return Ok(None);
    };
    let codes: Option<String> = profile.as_ref().and_then(|p| p.get(0));
    Ok(Some(CertData {
        certificate_id: row.get(0),
        short_code: row.get(1),
        issued_at: row.get(3),
        attendee: attendee_from(&row, 4),
        claims: counted.iter().map(|r| claimed_from(r, 0)).collect(),
        codes: codes.and_then(|c| CodeSet::parse_list(&c).ok()),
        pharm_role: profile.as_ref().and_then(|p| p.get(1)),
        moc_consent: profile.as_ref().is_some_and(|p| p.get(2)),
        held: held
            .iter()
            .map(|r| HeldLine {
                session_id: r.get(0),
                title: crate::domain::sanitize(r.get(1)),
                reason: r.get(2),
            })
            .collect(),
        language: row.get(10),
        badge_id: row.get(2),
    }))
}

/// Everyone with a claim, for the reports.
pub async fn learners(pool: &Pool) -> Result<HashMap<String, Learner>> {
    let client = pool.get().await?;
    let mut out: HashMap<String, Learner> = HashMap::new();
    let rows = client
        .query(
            &format!(
                "SELECT c.badge_id, c.credits_q, c.claimed_at, {SESSION_COLS}, {WITHOUT_SCAN}
                 FROM claims c JOIN sessions s ON s.session_id = c.session_id
                 WHERE c.voided_at IS NULL AND c.duplicate_of IS NULL AND c.held IS NULL
                 ORDER BY c.badge_id, c.claimed_at, c.device_id, c.seq"
            ),
            &[],
        )
        .await?;
    for r in &rows {
        let badge: String = r.get(0);
        let l = out.entry(badge).or_default();
        let claimed = claimed_from(r, 1);
        if r.get::<_, bool>(12) {
            l.without_scan.insert(claimed.session.session_id.clone());
        }
        l.claims.push(claimed);
    }
    let people = client
        .query(
            // Each view is read once, grouped by attendee: a subquery per
            // attendee would read an attendee's records once per column.
            "WITH cert AS (
                 SELECT DISTINCT ON (badge_id) badge_id, certificate_id || ' ' || issued_at AS latest
                 FROM certificates ORDER BY badge_id, issued_at DESC
             ), changed AS (
                 SELECT badge_id, max(greatest(claimed_at, coalesce(voided_at, ''))) AS at
                 FROM claim_state GROUP BY badge_id
             ), evaluated AS (
                 SELECT badge_id, max(answered_at) AS at FROM answers GROUP BY badge_id
             )
             SELECT a.badge_id, a.first_name, a.last_name, a.degree, a.profession, a.email,
                    p.codes, p.epid, p.birth_mmdd, p.pharm_role, coalesce(p.moc_consent, false), p.abim_id,
                    cert.latest, greatest(changed.at, evaluated.at, p.updated_at), evaluated.at
             FROM attendees a
             LEFT JOIN profiles p ON p.badge_id = a.badge_id
             LEFT JOIN cert ON cert.badge_id = a.badge_id
             LEFT JOIN changed ON changed.badge_id = a.badge_id
             LEFT JOIN evaluated ON evaluated.badge_id = a.badge_id
             WHERE a.badge_id = ANY($1)",
            &[&out.keys().cloned().collect::<Vec<String>>()],
        )
        .await?;
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
    pub reason: String,
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
pub async fn held_ids(pool: &Pool) -> Result<HashSet<String>> {
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
pub async fn held_claims(pool: &Pool) -> Result<Vec<HeldClaim>> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT c.badge_id, coalesce(a.first_name || ' ' || a.last_name, ''), 'claim ' || c.session_id,
                    coalesce(c.kiosk_id, ''), c.claimed_at, c.held
             FROM claim_state c LEFT JOIN attendees a ON a.badge_id = c.badge_id
             WHERE c.held IS NOT NULL
             UNION ALL
             SELECT coalesce(r.payload->>'badge_id', ''), '', r.kind || ' record ' || r.seq,
                    coalesce(d.kiosk_id, ''), r.created_at, r.rejected
             FROM records r LEFT JOIN devices d ON d.device_id = r.device_id
             WHERE r.rejected IS NOT NULL
             UNION ALL
             SELECT coalesce(x.payload->>'badge_id', ''), '', x.kind || ' record ' || x.seq,
                    coalesce(d.kiosk_id, ''), x.created_at,
                    'a different record at a sequence the hub already holds for device ' || x.device_id
                    || ' (a kiosk restored from a backup, or cloned); the kiosk sends it again under a new device id'
             FROM conflicts x LEFT JOIN devices d ON d.device_id = x.device_id
             ORDER BY 5, 1",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| HeldClaim {
            badge_id: r.get(0),
            name: r.get(1),
            what: r.get(2),
            kiosk_id: r.get(3),
            at: r.get(4),
            reason: r.get(5),
        })
        .collect())
}

/// How many records the hub holds, for the import summary and tests.
pub async fn count_records(pool: &Pool) -> Result<i64> {
    let client = pool.get().await?;
    Ok(client
        .query_one("SELECT count(*) FROM records", &[])
        .await?
        .get(0))
}
