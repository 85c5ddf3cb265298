//! Taking a kiosk's upload page, exactly once: records checked, COPYed in
//! one transaction, conflicts with what the hub holds kept for the office,
//! walk-ins added to the attendees.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use anyhow::Context;
use deadpool_postgres::Pool;

use super::Result;
use super::roster::Load;
use super::validate::{check, scrub_nul};
use crate::records::AttendeeRow;
use crate::sync::protocol::{Record, Rejected, UploadResult};

/// One record as it is stored.
struct Stored<'a> {
    record: Cow<'a, Record>,
    badge_id: Option<String>,
    rejected: Option<String>,
}

/// Takes one page of a device's records, exactly once: a record the hub
/// already holds changes nothing; a record that cannot apply is kept with
/// its reason. All in one transaction.
///
/// The device's row is locked first, so two uploads for one device take
/// turns (uploads for different devices never wait on each other). Records
/// above the device's high-water mark cannot be at the hub yet and are
/// COPYed in; any at or below it (a page sent out of order) go through an
/// insert that skips what is already there.
pub async fn ingest(
    pool: &Pool,
    device_id: &str,
    kiosk_id: &str,
    records: &[Record],
) -> Result<UploadResult> {
    // One row per seq, the first sent; checked before anything is written.
    let mut seen = HashSet::new();
    let mut walkins = Vec::new();
    let rows: Vec<Stored> = records
        .iter()
        .filter(|r| seen.insert(r.seq))
        .map(|r| {
            if let Some(scrubbed) = scrub_nul(r) {
                // Pages almost never hold a NUL: only these are copied.
                return Stored {
                    record: Cow::Owned(scrubbed),
                    badge_id: None,
                    rejected: Some("text holds NUL characters".into()),
                };
            }
            match check(r) {
                Ok(c) => {
                    walkins.extend(c.walkin.map(|a| (r.seq, a)));
                    Stored {
                        record: Cow::Borrowed(r),
                        badge_id: c.badge_id,
                        rejected: None,
                    }
                }
                Err(reason) => Stored {
                    record: Cow::Borrowed(r),
                    badge_id: None,
                    rejected: Some(reason),
                },
            }
        })
        .collect();
    let mut client = pool.get().await.context("connecting to PostgreSQL")?;
    let tx = client.transaction().await?;
    let high: i64 = tx
        .query_one(
            "INSERT INTO devices(device_id, kiosk_id) VALUES ($1, $2)
             ON CONFLICT (device_id) DO UPDATE SET kiosk_id = excluded.kiosk_id, last_seen = now()
             RETURNING high_seq",
            &[&device_id, &kiosk_id],
        )
        .await?
        .get(0);
    let (new, old): (Vec<&Stored>, Vec<&Stored>) = rows.iter().partition(|r| r.record.seq > high);
    // A different record at a sequence the hub holds: the kiosk was
    // restored from a backup or cloned. The hub never takes it for the one
    // it has; it keeps it for the office and takes nothing else from the
    // page, so the kiosk can send it all again under a new device id.
    let conflicts = conflicting(&tx, device_id, &old).await?;
    if !conflicts.is_empty() {
        tx.execute(
            "UPDATE devices SET last_upload_at = now(), last_upload_result = $2 WHERE device_id = $1",
            &[
                &device_id,
                &format!(
                    "refused: a different record at {} sequence numbers the hub holds (restored or cloned)",
                    conflicts.len()
                ),
            ],
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(
            device_id,
            n = conflicts.len(),
            "records conflict with what the hub holds"
        );
        return Ok(UploadResult {
            high_seq: high,
            inserted: 0,
            repeated: 0,
            rejected: Vec::new(),
            conflicts,
        });
    }
    let mut fresh: HashSet<i64> = new.iter().map(|r| r.record.seq).collect();
    let mut rejected: Vec<Rejected> = Vec::new();
    if !old.is_empty() {
        let col = |f: for<'r> fn(&'r Stored<'r>) -> Option<&'r str>| {
            old.iter().map(|r| f(r)).collect::<Vec<_>>()
        };
        let seqs: Vec<i64> = old.iter().map(|r| r.record.seq).collect();
        let payloads: Vec<&str> = old.iter().map(|r| r.record.payload.get()).collect();
        let inserted = tx
            .query(
                "INSERT INTO records(device_id, seq, kind, record_id, payload, created_at, badge_id, rejected)
                 SELECT $1, s, k, i, p::json, c, b, x
                 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                   AS t(s, k, i, p, c, b, x)
                 ON CONFLICT (device_id, seq) DO NOTHING
                 RETURNING seq",
                &[
                    &device_id,
                    &seqs,
                    &col(|r| Some(&r.record.kind)),
                    &col(|r| Some(&r.record.record_id)),
                    &payloads,
                    &col(|r| Some(&r.record.created_at)),
                    &col(|r| r.badge_id.as_deref()),
                    &col(|r| r.rejected.as_deref()),
                ],
            )
            .await?;
        fresh.extend(inserted.iter().map(|r| r.get::<_, i64>(0)));
        // A record the hub already had answers with the reason it was
        // rejected then, so a kiosk that never heard it learns it now.
        let held = tx
            .query(
                "SELECT seq, rejected FROM records
                 WHERE device_id = $1 AND seq = ANY($2) AND rejected IS NOT NULL",
                &[&device_id, &seqs],
            )
            .await?;
        rejected.extend(
            held.iter()
                .map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1)))
                .filter(|(seq, _)| !fresh.contains(seq))
                .map(|(seq, reason)| Rejected { seq, reason }),
        );
    }
    if !new.is_empty() {
        copy_records(&tx, device_id, &new).await?;
    }
    rejected.extend(
        rows.iter()
            .filter(|r| fresh.contains(&r.record.seq))
            .filter_map(|r| {
                Some(Rejected {
                    seq: r.record.seq,
                    reason: r.rejected.clone()?,
                })
            }),
    );
    rejected.sort_by_key(|r| r.seq);
    // Walk-ins join the hub's attendees, for certificates and reports.
    let walkins: Vec<&AttendeeRow> = walkins
        .iter()
        .filter(|(seq, _)| fresh.contains(seq))
        .map(|(_, a)| a)
        .collect();
    upsert_attendees(&tx, &walkins, "walkin", Load::Update).await?;
    let max_seq = rows.iter().map(|r| r.record.seq).max().unwrap_or(0);
    // What the hub made of this page, for the CE office's fleet page.
    let result = format!(
        "{} new, {} already held, {} rejected",
        fresh.len(),
        records.len() - fresh.len(),
        rejected.len()
    );
    let high: i64 = tx
        .query_one(
            "UPDATE devices SET high_seq = greatest(high_seq, $2), last_upload_at = now(),
               last_upload_result = $3
             WHERE device_id = $1 RETURNING high_seq",
            &[&device_id, &max_seq, &result],
        )
        .await?
        .get(0);
    tx.commit().await?;
    Ok(UploadResult {
        high_seq: high,
        inserted: fresh.len(),
        repeated: records.len() - fresh.len(),
        rejected,
        conflicts: Vec::new(),
    })
}

/// The sequences among `old` (at or below the device's high-water mark)
/// where the hub holds a record with another id; each such record sent is
/// kept in `conflicts`.
async fn conflicting(
    tx: &tokio_postgres::Transaction<'_>,
    device_id: &str,
    old: &[&Stored<'_>],
) -> Result<Vec<i64>> {
    if old.is_empty() {
        return Ok(Vec::new());
    }
    let seqs: Vec<i64> = old.iter().map(|r| r.record.seq).collect();
    let held: HashMap<i64, String> = tx
        .query(
            "SELECT seq, record_id FROM records WHERE device_id = $1 AND seq = ANY($2)",
            &[&device_id, &seqs],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let differ: Vec<&&Stored> = old
        .iter()
        .filter(|r| {
            held.get(&r.record.seq)
                .is_some_and(|id| *id != r.record.record_id)
        })
        .collect();
    for r in &differ {
        tx.execute(
            "INSERT INTO conflicts(device_id, seq, kind, record_id, payload, created_at)
             VALUES ($1, $2, $3, $4, $5::text::json, $6) ON CONFLICT DO NOTHING",
            &[
                &device_id,
                &r.record.seq,
                &r.record.kind,
                &r.record.record_id,
                &r.record.payload.get(),
                &r.record.created_at,
            ],
        )
        .await?;
    }
    Ok(differ.iter().map(|r| r.record.seq).collect())
}

/// COPYs records the hub cannot hold yet (their seq is above the device's
/// high-water mark, under the device's lock) straight into `records`.
async fn copy_records(
    tx: &tokio_postgres::Transaction<'_>,
    device_id: &str,
    rows: &[&Stored<'_>],
) -> Result<()> {
    use tokio_postgres::binary_copy::BinaryCopyInWriter;
    use tokio_postgres::types::{ToSql, Type};
    let sink = tx
        .copy_in(
            "COPY records(device_id, seq, kind, record_id, payload, created_at, badge_id, rejected)
             FROM STDIN (FORMAT binary)",
        )
        .await?;
    let writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::TEXT,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::JSON,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ],
    );
    let mut writer = std::pin::pin!(writer);
    for r in rows {
        let rec = &r.record;
        let values: [&(dyn ToSql + Sync); 8] = [
            &device_id,
            &rec.seq,
            &rec.kind,
            &rec.record_id,
            &tokio_postgres::types::Json(&rec.payload),
            &rec.created_at,
            &r.badge_id,
            &r.rejected,
        ];
        writer.as_mut().write(&values).await?;
    }
    writer.finish().await?;
    Ok(())
}

pub(super) async fn upsert_attendees(
    tx: &tokio_postgres::Transaction<'_>,
    rows: &[&AttendeeRow],
    source: &str,
    load: Load,
) -> Result<Vec<String>> {
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
               degree = excluded.degree, profession = excluded.profession, email = excluded.email, updated_at = now()
             WHERE $8 AND (attendees.first_name, attendees.last_name, attendees.degree, attendees.profession, attendees.email)
                IS DISTINCT FROM (excluded.first_name, excluded.last_name, excluded.degree, excluded.profession, excluded.email)
             RETURNING badge_id",
            &[
                &col(|a| &a.badge_id),
                &col(|a| &a.first_name),
                &col(|a| &a.last_name),
                &col(|a| &a.degree),
                &professions,
                &col(|a| &a.email),
                &source,
                &(load == Load::Update),
            ],
        )
        .await?;
    Ok(changed.iter().map(|r| r.get(0)).collect())
}
