//! Taking a kiosk's upload page, exactly once, as `hub::upload` checked
//! it: COPYed in one transaction, a void of another kiosk's claim and a
//! different record at a sequence the hub holds refused (only the database
//! can tell), conflicts kept for the office, walk-ins added to the
//! attendees the hub does not hold yet.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use anyhow::Context;
use deadpool_postgres::Pool;

use super::DbResult;
use super::typed::{self, TakenRecord, TypedRows};
use crate::records::AttendeeRow;
use crate::sync::protocol::{Record, Rejected, UploadResult};

/// One record as it is stored: the attendee it names, and the reason it
/// is refused if it is.
pub struct StoredRecord<'a> {
    pub record: Cow<'a, Record>,
    pub badge_id: Option<String>,
    pub rejected: Option<String>,
}

/// A page as `hub::upload` checked it: one row per sequence number, and
/// what its records bring beside them.
#[derive(Default)]
pub struct CheckedPage<'a> {
    pub rows: Vec<StoredRecord<'a>>,
    /// Walk-ins, by seq: they join the hub's attendees.
    pub walkins: Vec<(i64, AttendeeRow)>,
    /// Voids, by seq: the claim each takes back (badge, claim id).
    pub voids: Vec<(i64, (String, String))>,
    /// How many records the page held as sent.
    pub sent: usize,
}

/// Who sent a page, and when the hub received it: what a record is
/// checked against beside its own form.
pub struct Sender<'a> {
    /// The kiosk the credentials name (with the shared secret, the one
    /// the page names).
    pub kiosk_id: &'a str,
    /// Whether the kiosk presented its own credentials: only then does the
    /// hub know that the kiosk is who it says.
    pub enrolled: bool,
    pub received: jiff::Timestamp,
}

/// What became of a page.
#[derive(Debug)]
pub enum Ingested {
    Taken(UploadResult, Timings),
    /// The device id belongs to another kiosk: nothing was taken.
    NotYours {
        owner: String,
    },
}

/// Where a page's time went at the hub, for the log (docs/sync.md, "Where
/// the upload's time goes"), once its records are checked: waiting for a
/// connection from the pool, locking the device's row, the records the
/// hub may hold already, the COPY (with the typed tables' rows, which the
/// hub writes, or the trigger at its end), walk-ins and the device's row,
/// and the commit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub wait: std::time::Duration,
    pub lock: std::time::Duration,
    pub old: std::time::Duration,
    pub copy: std::time::Duration,
    pub rest: std::time::Duration,
    pub commit: std::time::Duration,
}

/// Takes one page of a device's records, exactly once: a record the hub
/// already holds changes nothing; a record that cannot apply is kept with
/// its reason. All in one transaction.
///
/// The device's row is locked first, so two uploads for one device take
/// turns (uploads for different devices never wait on each other); a
/// device new to the hub becomes the uploading kiosk's for good, and a
/// page for another kiosk's device takes nothing. Records above the
/// device's high-water mark cannot be at the hub yet and are COPYed in;
/// any at or below it (a page sent out of order) go through an insert that
/// skips what is already there.
pub async fn ingest(
    pool: &Pool,
    device_id: &str,
    sender: &Sender<'_>,
    page: CheckedPage<'_>,
) -> DbResult<Ingested> {
    let mut times = Timings::default();
    let mut clock = std::time::Instant::now();
    let mut lap = |slot: &mut std::time::Duration| {
        let now = std::time::Instant::now();
        *slot = now - clock;
        clock = now;
    };
    let CheckedPage {
        mut rows,
        walkins,
        voids,
        sent,
    } = page;
    let mut client = pool.get().await.context("connecting to PostgreSQL")?;
    lap(&mut times.wait);
    let tx = client.transaction().await?;
    let device = tx
        .query_one(
            "INSERT INTO devices(device_id, kiosk_id) VALUES ($1, $2)
             ON CONFLICT (device_id) DO UPDATE SET last_seen = now()
             RETURNING high_seq, kiosk_id",
            &[&device_id, &sender.kiosk_id],
        )
        .await?;
    let (high, owner): (i64, String) = (device.get(0), device.get(1));
    lap(&mut times.lock);
    if owner != sender.kiosk_id {
        drop(tx);
        tracing::warn!(
            device_id,
            owner,
            kiosk = sender.kiosk_id,
            "upload for another kiosk's device refused"
        );
        return Ok(Ingested::NotYours { owner });
    }
    if sender.enrolled && !voids.is_empty() {
        refuse_others_voids(&tx, sender.kiosk_id, &voids, &mut rows).await?;
    }
    let (new, old): (Vec<&StoredRecord>, Vec<&StoredRecord>) =
        rows.iter().partition(|r| r.record.seq > high);
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
        return Ok(Ingested::Taken(
            UploadResult {
                high_seq: high,
                inserted: 0,
                repeated: 0,
                rejected: Vec::new(),
                conflicts,
            },
            times,
        ));
    }
    let mut fresh: HashSet<i64> = new.iter().map(|r| r.record.seq).collect();
    let mut rejected: Vec<Rejected> = Vec::new();
    if !old.is_empty() {
        let col = |f: for<'r> fn(&'r StoredRecord<'r>) -> Option<&'r str>| {
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
                "SELECT seq, record_id, rejected FROM records
                 WHERE device_id = $1 AND seq = ANY($2) AND rejected IS NOT NULL",
                &[&device_id, &seqs],
            )
            .await?;
        rejected.extend(
            held.iter()
                .map(|r| Rejected {
                    seq: r.get(0),
                    record_id: r.get(1),
                    reason: r.get(2),
                })
                .filter(|r| !fresh.contains(&r.seq)),
        );
    }
    lap(&mut times.old);
    if !new.is_empty() {
        // The hub writes the typed tables' rows from the records it
        // checked, so the trigger does not read them out of the JSON
        // again (migration 23); a page it cannot is left to the trigger.
        let taken = new
            .iter()
            .filter(|r| r.rejected.is_none())
            .map(|r| TakenRecord {
                seq: r.record.seq,
                kind: &r.record.kind,
                record_id: &r.record.record_id,
                payload: r.record.payload.get(),
                badge_id: r.badge_id.as_deref(),
            });
        let typed = TypedRows::of(device_id, sender.kiosk_id, taken);
        if typed.is_some() {
            tx.execute(typed::WRITTEN, &[]).await?;
        }
        copy_records(&tx, device_id, &new).await?;
        if let Some(typed) = typed {
            typed.copy(&tx).await?;
            tx.execute(typed::WRITTEN_NO_MORE, &[]).await?;
        }
    }
    lap(&mut times.copy);
    rejected.extend(
        rows.iter()
            .filter(|r| fresh.contains(&r.record.seq))
            .filter_map(|r| {
                Some(Rejected {
                    seq: r.record.seq,
                    record_id: r.record.record_id.clone(),
                    reason: r.rejected.clone()?,
                })
            }),
    );
    rejected.sort_by_key(|r| r.seq);
    // Walk-ins join the hub's attendees, for certificates and reports.
    let taken: HashSet<i64> = rows
        .iter()
        .filter(|r| r.rejected.is_none() && fresh.contains(&r.record.seq))
        .map(|r| r.record.seq)
        .collect();
    let walkins: Vec<(i64, &AttendeeRow)> = walkins
        .iter()
        .filter(|(seq, _)| taken.contains(seq))
        .map(|(seq, a)| (*seq, a))
        .collect();
    add_walkins(&tx, device_id, sender.kiosk_id, &walkins).await?;
    let max_seq = rows.iter().map(|r| r.record.seq).max().unwrap_or(0);
    // What the hub made of this page, for the CE office's fleet page.
    let result = format!(
        "{} new, {} already held, {} rejected",
        fresh.len(),
        sent - fresh.len(),
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
    lap(&mut times.rest);
    tx.commit().await?;
    lap(&mut times.commit);
    Ok(Ingested::Taken(
        UploadResult {
            high_seq: high,
            inserted: fresh.len(),
            repeated: sent - fresh.len(),
            rejected,
            conflicts: Vec::new(),
        },
        times,
    ))
}

/// An enrolled kiosk voids only its own claims (a claim made at another
/// kiosk is voided there, or by the CE office): a void of any other claim,
/// or of one the hub does not hold from this kiosk, is kept with the
/// reason and not applied. The claim may be in the same page.
async fn refuse_others_voids(
    tx: &tokio_postgres::Transaction<'_>,
    kiosk_id: &str,
    voids: &[(i64, (String, String))],
    rows: &mut [StoredRecord<'_>],
) -> DbResult<()> {
    let in_page: HashSet<(&str, &str)> = rows
        .iter()
        .filter(|r| r.rejected.is_none() && r.record.kind == "claim")
        .filter_map(|r| Some((r.badge_id.as_deref()?, r.record.record_id.as_str())))
        .collect();
    let claim_ids: Vec<&str> = voids.iter().map(|(_, (_, c))| c.as_str()).collect();
    let held: HashMap<(String, String), String> = tx
        .query(
            "SELECT c.badge_id, c.claim_id, d.kiosk_id FROM claim_rows c
             JOIN devices d ON d.device_id = c.device_id WHERE c.claim_id = ANY($1)",
            &[&claim_ids],
        )
        .await?
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect();
    let mut refused: HashMap<i64, String> = HashMap::new();
    for (seq, (badge, claim)) in voids {
        let why = match held.get(&(badge.clone(), claim.clone())) {
            Some(owner) if owner == kiosk_id => continue,
            Some(owner) => format!(
                "voids claim {claim}, made at kiosk {owner}: a kiosk voids only its own claims; the CE office can void any"
            ),
            None if in_page.contains(&(badge.as_str(), claim.as_str())) => continue,
            None => format!("voids claim {claim}, which the hub does not hold from this kiosk"),
        };
        refused.insert(*seq, why);
    }
    for r in rows.iter_mut() {
        if let Some(why) = refused.remove(&r.record.seq) {
            r.rejected = Some(why);
        }
    }
    Ok(())
}

/// Walk-ins join the hub's attendees. An attendee the hub holds already
/// (the office's roster, or an earlier walk-in) is never written over: a
/// walk-in that differs from them is kept in `attendee_conflicts` for the
/// office's page, and the hub's record stands.
async fn add_walkins(
    tx: &tokio_postgres::Transaction<'_>,
    device_id: &str,
    kiosk_id: &str,
    walkins: &[(i64, &AttendeeRow)],
) -> DbResult<()> {
    if walkins.is_empty() {
        return Ok(());
    }
    let col =
        |f: fn(&AttendeeRow) -> &str| walkins.iter().map(|(_, a)| f(a)).collect::<Vec<&str>>();
    let seqs: Vec<i64> = walkins.iter().map(|(s, _)| *s).collect();
    // The first walk-in of a badge in the page is the one added.
    tx.execute(
        "INSERT INTO attendees(badge_id, first_name, last_name, degree, profession, email, source)
         SELECT DISTINCT ON (b) b, f, l, d, p, e, 'walkin'
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS t(s, b, f, l, d, p, e)
         ORDER BY b, s
         ON CONFLICT (badge_id) DO NOTHING",
        &[
            &seqs,
            &col(|a| &a.badge_id),
            &col(|a| &a.first_name),
            &col(|a| &a.last_name),
            &col(|a| &a.degree),
            &col(|a| a.profession.as_str()),
            &col(|a| &a.email),
        ],
    )
    .await?;
    // Every walk-in that differs from the attendee as the hub now holds
    // them is kept beside them.
    tx.execute(
        "INSERT INTO attendee_conflicts(device_id, seq, badge_id, kiosk_id, sent)
         SELECT $1, t.s, t.b, $2,
                json_build_object('first_name', t.f, 'last_name', t.l, 'degree', t.d,
                                  'profession', t.p, 'email', t.e)
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS t(s, b, f, l, d, p, e)
         JOIN attendees a ON a.badge_id = t.b
         WHERE (a.first_name, a.last_name, a.degree, a.profession, a.email)
               IS DISTINCT FROM (t.f, t.l, t.d, t.p, t.e)
         ON CONFLICT DO NOTHING",
        &[
            &device_id,
            &kiosk_id,
            &seqs,
            &col(|a| &a.badge_id),
            &col(|a| &a.first_name),
            &col(|a| &a.last_name),
            &col(|a| &a.degree),
            &col(|a| a.profession.as_str()),
            &col(|a| &a.email),
        ],
    )
    .await?;
    Ok(())
}

/// The sequences among `old` (at or below the device's high-water mark)
/// where the hub holds a record with another id; each such record sent is
/// kept in `conflicts`.
async fn conflicting(
    tx: &tokio_postgres::Transaction<'_>,
    device_id: &str,
    old: &[&StoredRecord<'_>],
) -> DbResult<Vec<i64>> {
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
    let differ: Vec<&&StoredRecord> = old
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
    rows: &[&StoredRecord<'_>],
) -> DbResult<()> {
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
