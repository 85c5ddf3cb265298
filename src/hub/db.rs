//! The hub's PostgreSQL store: a pool, migrations, the idempotent ingest of
//! kiosk records, the change feed, and the queries behind certificates and
//! reports. Every statement binds its parameters; an upload page is COPYed
//! into `records` in one transaction, so a page costs a few round trips.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use anyhow::{Context, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use tokio_postgres::NoTls;

use super::award::{Claimed, HeldLine};
use super::schema::MIGRATIONS;
use crate::domain::{CodeSet, Profession};
use crate::store::{AttendeeRow, SessionRow};
use crate::sync::protocol::{Cursor, Record, Rejected, UploadResult};

pub fn pool(url: &str, size: usize) -> Result<Pool> {
    let config = tokio_postgres::Config::from_str(url).context("the database URL is not valid")?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .build()
        .context("creating the connection pool")
}

/// Applies the migrations not yet applied, under an advisory lock so two
/// hubs starting together do not race.
pub async fn migrate(pool: &Pool) -> Result<()> {
    let mut client = pool.get().await.context("connecting to PostgreSQL")?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(7216312)", &[])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL)")
        .await?;
    let version: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM hub_schema",
            &[],
        )
        .await?
        .get(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(sql)
            .await
            .with_context(|| format!("migration {}", i + 1))?;
        tx.execute(
            "INSERT INTO hub_schema(version) VALUES ($1)",
            &[&((i + 1) as i32)],
        )
        .await?;
    }
    tx.commit().await?;
    check_feed_order(pool).await
}

/// The change feed is ordered by PostgreSQL transaction ids, which belong
/// to one server: a database copied to another server with pg_dump keeps
/// the old ids while new writes get the new server's (lower) ones, and
/// kiosks would stop seeing new changes. Such a database is refused at
/// start, with what to do, instead of serving a feed that silently stalls.
async fn check_feed_order(pool: &Pool) -> Result<()> {
    let client = pool.get().await.context("connecting to PostgreSQL")?;
    let ahead: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM records WHERE txid >= pg_snapshot_xmax(pg_current_snapshot()))
                 OR EXISTS (SELECT 1 FROM changes WHERE txid >= pg_snapshot_xmax(pg_current_snapshot()))",
            &[],
        )
        .await?
        .get(0);
    if ahead {
        anyhow::bail!(
            "this hub database was written on another PostgreSQL server: its change feed's \
             transaction ids run ahead of this server's, so kiosks would stop receiving \
             changes. Move a hub by copying the whole cluster (pg_basebackup or a \
             replica), not with pg_dump; see docs/sync.md"
        );
    }
    Ok(())
}

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
                "SELECT seq, held FROM claims WHERE device_id = $1 AND held IS NOT NULL ORDER BY seq",
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

/// A payload's top-level fields, each still as its JSON text: the checks
/// read a few of them without building the whole payload.
struct Fields<'a>(HashMap<Key<'a>, &'a RawValue>);

#[derive(serde::Deserialize, PartialEq, Eq, Hash)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'a> Fields<'a> {
    fn of(raw: &'a RawValue) -> Result<Fields<'a>, String> {
        serde_json::from_str(raw.get())
            .map(Fields)
            .map_err(|_| "payload is not a JSON object".to_string())
    }

    fn raw(&self, k: &str) -> Option<&'a str> {
        self.0.get(&Key(Cow::Borrowed(k))).map(|v| v.get())
    }

    /// A string field; None when absent or not a string.
    fn text(&self, k: &str) -> Option<Cow<'a, str>> {
        let v = self.raw(k)?;
        match serde_json::from_str::<&'a str>(v) {
            Ok(t) => Some(Cow::Borrowed(t)),
            Err(_) => serde_json::from_str::<String>(v).ok().map(Cow::Owned),
        }
    }

    fn need(&self, k: &str) -> Result<Cow<'a, str>, String> {
        match self.text(k) {
            Some(v) if !v.is_empty() && v.chars().count() <= 200 => Ok(v),
            Some(_) => Err(format!("{k} is empty or too long")),
            None => Err(format!("{k} is missing")),
        }
    }

    fn int(&self, k: &str) -> Option<i64> {
        serde_json::from_str(self.raw(k)?).ok()
    }
}

/// How a kiosk writes a time (RFC 3339, in UTC or with an offset). The
/// views read a claim's time with PostgreSQL's own parser, so the hub takes
/// no other form: a bracketed zone name or year 0 would stop every report.
fn is_kiosk_time(t: &str) -> bool {
    static FORM: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let form = FORM.get_or_init(|| {
        regex::Regex::new(
            r"^(19[7-9][0-9]|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$",
        )
        .expect("a valid pattern")
    });
    form.is_match(t) && t.parse::<jiff::Timestamp>().is_ok()
}

/// The most quarter hours one claim can carry: more than any session.
const MAX_CLAIM_Q: i64 = 10_000;

/// What a record that passed its checks brings beside itself.
struct Checked {
    /// The attendee it is about, indexed so one attendee's records are
    /// found at once.
    badge_id: Option<String>,
    /// A walk-in, who joins the hub's attendees.
    walkin: Option<AttendeeRow>,
}

/// Checks a record before it is stored: the views over `records` read only
/// records that passed, so every field they read is here.
fn check(r: &Record) -> Result<Checked, String> {
    let p = Fields::of(&r.payload)?;
    let badge = |p: &Fields| p.need("badge_id").map(|b| Some(b.into_owned()));
    let badge_id = match r.kind.as_str() {
        "claim" => {
            // Only the record's form is checked here. Whether the claim
            // fits the catalog and roster (the session is known, not more
            // than its designation, ended by the claim's time) is read
            // with them as they are, so a claim the hub cannot place yet
            // is held, never lost: see the claims view.
            p.need("session_id")?;
            let credits_q = p.int("credits_q").ok_or("credits_q is missing")?;
            if !(1..=MAX_CLAIM_Q).contains(&credits_q) {
                return Err(format!("credits_q {credits_q} is not a claim"));
            }
            p.need("claim_id")?;
            let claimed_at = p.need("claimed_at")?;
            if !is_kiosk_time(&claimed_at) {
                return Err(format!("claimed_at '{claimed_at}' is not a time"));
            }
            badge(&p)?
        }
        "void" => {
            p.need("claim_id")?;
            p.need("voided_at")?;
            p.need("reason")?;
            badge(&p)?
        }
        "certificate" => {
            let id = p.need("certificate_id")?;
            if !crate::domain::ids::is_url_safe_id(&id, 16..=200) {
                return Err("certificate_id is not a URL-safe random id".into());
            }
            if id != r.record_id.as_str() {
                return Err("certificate_id differs from the record's id".into());
            }
            p.need("issued_at")?;
            badge(&p)?
        }
        "profile" => {
            CodeSet::parse_list(&p.text("codes").unwrap_or_default())?;
            p.need("at")?;
            badge(&p)?
        }
        "evaluation" => {
            if !p.raw("answers").is_some_and(|a| a.starts_with('{')) {
                return Err("answers is missing".into());
            }
            p.need("at")?;
            badge(&p)?
        }
        "attendee" => {
            let text = |k: &str| p.text(k).unwrap_or_default().into_owned();
            let walkin = AttendeeRow {
                badge_id: p.need("badge_id")?.into_owned(),
                first_name: text("first_name"),
                last_name: text("last_name"),
                degree: text("degree"),
                profession: p.need("profession")?.parse::<Profession>()?,
                email: text("email"),
            };
            return Ok(Checked {
                badge_id: Some(walkin.badge_id.clone()),
                walkin: Some(walkin),
            });
        }
        "audit" => {
            p.need("at")?;
            p.need("action")?;
            None
        }
        other => return Err(format!("unknown record kind '{other}'")),
    };
    Ok(Checked {
        badge_id,
        walkin: None,
    })
}

/// PostgreSQL text cannot hold U+0000: a record holding one is stored
/// with the character replaced, and rejected with the reason. Returns the
/// payload scrubbed, for such a record only.
fn scrub_nul(r: &Record) -> Option<Record> {
    fn in_value(v: &Value) -> bool {
        match v {
            Value::String(t) => t.contains('\0'),
            Value::Array(items) => items.iter().any(in_value),
            Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || in_value(v)),
            _ => false,
        }
    }
    fn scrub(v: &Value) -> Value {
        match v {
            Value::String(t) => Value::String(t.replace('\0', "\u{fffd}")),
            Value::Array(items) => Value::Array(items.iter().map(scrub).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.replace('\0', "\u{fffd}"), scrub(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    // In JSON text a NUL can only be written as an escape.
    let payload = if r.payload.get().contains("\\u0000") {
        serde_json::from_str::<Value>(r.payload.get())
            .ok()
            .filter(in_value)
    } else {
        None
    };
    let in_text = [&r.kind, &r.record_id, &r.created_at]
        .iter()
        .any(|t| t.contains('\0'));
    if payload.is_none() && !in_text {
        return None;
    }
    let text = |t: &str| t.replace('\0', "\u{fffd}");
    Some(Record {
        seq: r.seq,
        kind: text(&r.kind),
        record_id: text(&r.record_id),
        payload: match payload {
            Some(v) => serde_json::value::to_raw_value(&scrub(&v)).ok()?,
            None => r.payload.clone(),
        },
        created_at: text(&r.created_at),
    })
}

/// One record as it is stored.
struct Row<'a> {
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
    let rows: Vec<Row> = records
        .iter()
        .filter(|r| seen.insert(r.seq))
        .map(|r| {
            if let Some(scrubbed) = scrub_nul(r) {
                // Pages almost never hold a NUL: only these are copied.
                return Row {
                    record: Cow::Owned(scrubbed),
                    badge_id: None,
                    rejected: Some("text holds NUL characters".into()),
                };
            }
            match check(r) {
                Ok(c) => {
                    walkins.extend(c.walkin.map(|a| (r.seq, a)));
                    Row {
                        record: Cow::Borrowed(r),
                        badge_id: c.badge_id,
                        rejected: None,
                    }
                }
                Err(reason) => Row {
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
    let (new, old): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.record.seq > high);
    // A different record at a sequence the hub holds: the kiosk was
    // restored from a backup or cloned. The hub never takes it for the one
    // it has; it keeps it for the office and takes nothing else from the
    // page, so the kiosk can send it all again under a new device id.
    let conflicts = conflicting(&tx, device_id, &old).await?;
    if !conflicts.is_empty() {
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
        let col = |f: for<'r> fn(&'r Row<'r>) -> Option<&'r str>| {
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
    let high: i64 = if max_seq > high {
        tx.query_one(
            "UPDATE devices SET high_seq = $2 WHERE device_id = $1 RETURNING high_seq",
            &[&device_id, &max_seq],
        )
        .await?
        .get(0)
    } else {
        high
    };
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
    old: &[&Row<'_>],
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
    let differ: Vec<&&Row> = old
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
    rows: &[&Row<'_>],
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

async fn upsert_attendees(
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

/// How a roster or catalog file meets the rows the hub holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// `hub import`: the file's rows replace the hub's rows of the same id.
    Update,
    /// The config folder at start: only rows the hub lacks are added, so
    /// a restart never undoes what the CE office imported since.
    OnlyNew,
}

/// What a roster or catalog load changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loaded {
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
    load: Load,
) -> Result<Loaded> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let refs: Vec<&AttendeeRow> = attendees.iter().collect();
    let changed = upsert_attendees(&tx, &refs, "roster", load).await?;
    let changed_set: HashSet<&str> = changed.iter().map(String::as_str).collect();
    let feed: Vec<String> = attendees
        .iter()
        .filter(|a| changed_set.contains(a.badge_id.as_str()))
        .map(|a| {
            serde_json::json!({"badge_id": a.badge_id, "first_name": a.first_name, "last_name": a.last_name,
                "degree": a.degree, "profession": a.profession.as_str(), "email": a.email})
            .to_string()
        })
        .collect();
    tx.execute(
        "INSERT INTO changes(origin, kind, payload) SELECT 'hub', 'roster.attendee', p::json FROM unnest($1::text[]) AS t(p)",
        &[&feed],
    )
    .await?;
    let on_conflict = match load {
        Load::Update => {
            "DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
               ends_at = excluded.ends_at, credits_q = excluded.credits_q, credit_types = excluded.credit_types,
               track = excluded.track, room = excluded.room, acpe_uan = excluded.acpe_uan,
               starts_utc = excluded.starts_utc, ends_utc = excluded.ends_utc, updated_at = now()
             WHERE (sessions.title, sessions.starts_at, sessions.ends_at, sessions.credits_q, sessions.credit_types,
                    sessions.track, sessions.room, sessions.acpe_uan, sessions.ends_utc)
               IS DISTINCT FROM (excluded.title, excluded.starts_at, excluded.ends_at, excluded.credits_q,
                    excluded.credit_types, excluded.track, excluded.room, excluded.acpe_uan, excluded.ends_utc)"
        }
        Load::OnlyNew => {
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
            (Load::OnlyNew, Some(r)) => r.get::<_, bool>(0),
            (Load::Update, Some(_)) => true,
        };
        if news {
            changed_sessions.push(&s.session_id);
            let payload = serde_json::json!({"session_id": s.session_id, "title": s.title, "starts_at": s.starts_at,
                "ends_at": s.ends_at, "credits_q": s.credits, "credit_types": types, "track": s.track,
                "room": s.room, "acpe_uan": s.acpe_uan});
            tx.execute(
                "INSERT INTO changes(origin, kind, payload) VALUES ('hub', 'roster.session', $1::text::json)",
                &[&payload.to_string()],
            )
            .await?;
        }
    }
    tx.commit().await?;
    if load == Load::Update && !(changed.is_empty() && changed_sessions.is_empty()) {
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
    Ok(Loaded {
        attendees_changed: feed.len(),
        sessions_changed: changed_sessions.len(),
    })
}

/// The feed: other kiosks' accepted records and the hub's roster changes,
/// in (transaction, seq) order, only from transactions older than every
/// transaction still running (`$3`, the snapshot's xmin): those are over,
/// so nothing can later appear behind the cursor handed out. Two ordered
/// index scans, merged by the hub (a UNION would sort the whole rest of the
/// feed for every page).
///
/// A profile goes without its IDs: a kiosk learns only that an e-Profile
/// ID, ABIM ID or birth date is on file and the last two digits of the
/// IDs, so a kiosk carried off the floor holds none of other kiosks'
/// attendees' IDs (docs/security.md).
const FEED_RECORDS: &str = "SELECT txid::text::bigint AS t, seq, device_id, kind,
            CASE WHEN kind = 'profile' THEN json_build_object(
                'badge_id', payload->>'badge_id', 'codes', payload->>'codes',
                'pharm_role', payload->>'pharm_role', 'moc_consent', payload->'moc_consent',
                'at', payload->>'at',
                'epid_ending', coalesce(right(payload->>'epid', 2), payload->>'epid_ending'),
                'abim_ending', coalesce(right(payload->>'abim_id', 2), payload->>'abim_ending'),
                'birth_on_file', payload->>'birth_mmdd' IS NOT NULL
                                 OR coalesce(payload->>'birth_on_file', '') = 'true')::text
            ELSE payload::text END
     FROM records
     WHERE (txid, seq) > ($1::text::xid8, $2) AND txid < $3::text::xid8
       AND device_id <> $4 AND rejected IS NULL AND kind <> 'audit'
     ORDER BY txid, seq LIMIT $5";
const FEED_HUB: &str =
    "SELECT txid::text::bigint AS t, hub_seq, origin, kind, payload::text FROM changes
     WHERE (txid, hub_seq) > ($1::text::xid8, $2) AND txid < $3::text::xid8
     ORDER BY txid, hub_seq LIMIT $4";

/// The newest change of a finished transaction, of any origin: where a
/// kiosk that has read the whole feed stands.
const FEED_END: &str = "SELECT txid::text::bigint AS t, seq FROM (
      (SELECT txid, seq FROM records WHERE txid < $1::text::xid8 ORDER BY txid DESC, seq DESC LIMIT 1)
      UNION ALL
      (SELECT txid, hub_seq FROM changes WHERE txid < $1::text::xid8 ORDER BY txid DESC, hub_seq DESC LIMIT 1)
    ) e ORDER BY txid DESC, seq DESC LIMIT 1";

/// The newest transaction whose changes have committed but that the feed
/// cannot hand out yet, because an older transaction is still running.
const FEED_HELD: &str = "SELECT max(txid)::text FROM (
      (SELECT txid FROM records WHERE txid >= $1::text::xid8 ORDER BY txid DESC LIMIT 1)
      UNION ALL
      (SELECT txid FROM changes WHERE txid >= $1::text::xid8 ORDER BY txid DESC LIMIT 1)
    ) h";

/// The page `changes` returns, as its JSON body: each payload is passed
/// through as the kiosk sent it, never parsed and printed again.
pub async fn changes_json(
    pool: &Pool,
    since: Cursor,
    device_id: &str,
    limit: usize,
) -> Result<String> {
    use std::fmt::Write as _;
    let mut waited = false;
    loop {
        let mut client = pool.get().await?;
        // One snapshot for the horizon, the page and the cursor.
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        // The feed is always read by walking its index from the cursor. A
        // table that grew fast since the planner last sampled it would
        // otherwise be scanned whole and sorted for every page.
        tx.batch_execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off",
        )
        .await?;
        let xmin: String = tx
            .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])
            .await?
            .get(0);
        let (txid, n) = (since.txid.to_string(), limit as i64 + 1);
        let mut rows = tx
            .query(FEED_RECORDS, &[&txid, &since.seq, &xmin, &device_id, &n])
            .await?;
        rows.extend(tx.query(FEED_HUB, &[&txid, &since.seq, &xmin, &n]).await?);
        let at = |r: &tokio_postgres::Row| Cursor {
            txid: r.get(0),
            seq: r.get(1),
        };
        rows.sort_by_key(at);
        rows.truncate(limit + 1);
        let more = rows.len() > limit;
        if !more && !waited {
            // Changes that committed behind a transaction still running
            // (uploads take milliseconds) are waited for, once and briefly:
            // a kiosk that has just heard another kiosk's upload succeed
            // then finds it here.
            let held: Option<String> = tx.query_one(FEED_HELD, &[&xmin]).await?.get(0);
            if let Some(held) = held {
                tx.commit().await?;
                // Waiting gives the connection back: uploads need it more.
                drop(client);
                wait_past(pool, &held).await?;
                waited = true;
                continue;
            }
        }
        let mut out = String::with_capacity(rows.len().min(limit) * 400 + 64);
        out.push_str("{\"changes\":[");
        let mut last = since;
        for (i, r) in rows.iter().take(limit).enumerate() {
            if i > 0 {
                out.push(',');
            }
            write!(
                out,
                "{{\"origin\":{},\"kind\":{},\"payload\":{}}}",
                serde_json::to_string(r.get::<_, &str>(2))?,
                serde_json::to_string(r.get::<_, &str>(3))?,
                r.get::<_, &str>(4),
            )?;
            last = at(r);
        }
        let next = if more {
            last
        } else {
            // The whole feed is read: the cursor moves past this device's
            // own records too, so the next sync does not scan them again.
            match tx.query_opt(FEED_END, &[&xmin]).await? {
                Some(r) => last.max(Cursor {
                    txid: r.get(0),
                    seq: r.get(1),
                }),
                None => last,
            }
        };
        tx.commit().await?;
        write!(out, "],\"next\":\"{next}\",\"more\":{more}}}")?;
        return Ok(out);
    }
}

/// Waits (at most two seconds) until every transaction older than `txid`
/// has ended.
async fn wait_past(pool: &Pool, txid: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while std::time::Instant::now() < deadline {
        let past: bool = pool
            .get()
            .await?
            .query_one(
                "SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::text::xid8",
                &[&txid],
            )
            .await?
            .get(0);
        if past {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    Ok(())
}

fn session_from(r: &tokio_postgres::Row, at: usize) -> SessionRow {
    let credits: i32 = r.get(at + 4);
    let types: String = r.get(at + 5);
    SessionRow {
        session_id: r.get(at),
        title: r.get(at + 1),
        starts_at: r.get(at + 2),
        ends_at: r.get(at + 3),
        credits: credits.max(0) as u32,
        credit_types: CodeSet::parse_list(&types).unwrap_or_default(),
        track: r.get(at + 6),
        room: r.get(at + 7),
        acpe_uan: r.get(at + 8),
    }
}

fn attendee_from(r: &tokio_postgres::Row, at: usize) -> Option<AttendeeRow> {
    let badge: Option<String> = r.get(at);
    let profession: String = r.get::<_, Option<String>>(at + 4)?;
    Some(AttendeeRow {
        badge_id: badge?,
        first_name: r.get(at + 1),
        last_name: r.get(at + 2),
        degree: r.get(at + 3),
        profession: profession.parse().unwrap_or(Profession::Other),
        email: r.get(at + 5),
    })
}

const SESSION_COLS: &str = "s.session_id, s.title, s.starts_at, s.ends_at, s.credits_q, s.credit_types, s.track, s.room, s.acpe_uan";

/// Claims that count for an attendee: not void, not a duplicate; earliest
/// first, the order in which the rules let simultaneous ACPE sessions count.
async fn counted_claims(client: &deadpool_postgres::Client, badge: &str) -> Result<Vec<Claimed>> {
    let rows = client
        .query(
            &format!(
                "SELECT c.credits_q, c.claimed_at, {SESSION_COLS} FROM claims c JOIN sessions s ON s.session_id = c.session_id
                 WHERE c.badge_id = $1 AND c.voided_at IS NULL AND c.duplicate_of IS NULL AND c.held IS NULL
                 ORDER BY c.claimed_at, c.device_id, c.seq"
            ),
            &[&badge],
        )
        .await?;
    Ok(rows.iter().map(|r| claimed_from(r, 0)).collect())
}

/// An attendee's held claims, with the reasons.
async fn held_of(client: &deadpool_postgres::Client, badge: &str) -> Result<Vec<HeldLine>> {
    let rows = client
        .query(
            "SELECT c.session_id, coalesce(s.title, c.session_id), c.held
             FROM claims c LEFT JOIN sessions s ON s.session_id = c.session_id
             WHERE c.badge_id = $1 AND c.held IS NOT NULL
             ORDER BY c.claimed_at, c.device_id, c.seq",
            &[&badge],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| HeldLine {
            session_id: r.get(0),
            title: crate::domain::sanitize(r.get(1)),
            reason: r.get(2),
        })
        .collect())
}

/// A counted claim from a row of credits_q, claimed_at, then SESSION_COLS.
fn claimed_from(r: &tokio_postgres::Row, at: usize) -> Claimed {
    Claimed {
        credits: r.get::<_, i32>(at).max(0) as u32,
        claimed_at: r.get(at + 1),
        session: session_from(r, at + 2),
    }
}

pub async fn cert_data(
    pool: &Pool,
    certificate_id: &str,
) -> Result<Option<super::certificate::CertData>> {
    let client = pool.get().await?;
    let Some(row) = client
        .query_opt(
            "SELECT c.certificate_id, c.short_code, c.badge_id, c.issued_at,
                    a.badge_id, a.first_name, a.last_name, a.degree, a.profession, a.email,
                    p.codes, p.pharm_role, coalesce(p.moc_consent, false)
             FROM certificates c
             LEFT JOIN attendees a ON a.badge_id = c.badge_id
             LEFT JOIN profiles p ON p.badge_id = c.badge_id
             WHERE c.certificate_id = $1
             ORDER BY c.received_at LIMIT 1",
            &[&certificate_id],
        )
        .await?
    else {
        return Ok(None);
    };
    let badge: String = row.get(2);
    let codes: Option<String> = row.get(10);
    Ok(Some(super::certificate::CertData {
        certificate_id: row.get(0),
        short_code: row.get(1),
        issued_at: row.get(3),
        attendee: attendee_from(&row, 4),
        claims: counted_claims(&client, &badge).await?,
        codes: codes.and_then(|c| CodeSet::parse_list(&c).ok()),
        pharm_role: row.get(11),
        moc_consent: row.get(12),
        held: held_of(&client, &badge).await?,
        badge_id: badge,
    }))
}

/// Everyone with a claim, for the reports.
pub async fn learners(pool: &Pool) -> Result<HashMap<String, super::reports::Learner>> {
    let client = pool.get().await?;
    let mut out: HashMap<String, super::reports::Learner> = HashMap::new();
    let rows = client
        .query(
            &format!(
                "SELECT c.badge_id, c.credits_q, c.claimed_at, {SESSION_COLS} FROM claims c JOIN sessions s ON s.session_id = c.session_id
                 WHERE c.voided_at IS NULL AND c.duplicate_of IS NULL AND c.held IS NULL
                 ORDER BY c.badge_id, c.claimed_at, c.device_id, c.seq"
            ),
            &[],
        )
        .await?;
    for r in &rows {
        let badge: String = r.get(0);
        out.entry(badge)
            .or_default()
            .claims
            .push(claimed_from(r, 1));
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
                 FROM claims GROUP BY badge_id
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
        .query("SELECT claim_id FROM claims WHERE held IS NOT NULL", &[])
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
             FROM claims c LEFT JOIN attendees a ON a.badge_id = c.badge_id
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
