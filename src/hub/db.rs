//! The hub's PostgreSQL store: a pool, migrations, the idempotent ingest of
//! kiosk records, the change feed, and the queries behind certificates and
//! reports. Every statement binds its parameters; pages are applied with
//! set-based statements over arrays so a page costs a few round trips.

use std::collections::HashMap;
use std::str::FromStr;

use anyhow::{Context, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use serde_json::Value;
use tokio_postgres::NoTls;

use super::schema::MIGRATIONS;
use crate::domain::{CodeSet, Profession};
use crate::store::{AttendeeRow, SessionRow};
use crate::sync::protocol::{Record, Rejected, UploadResult};

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
    Ok(())
}

pub async fn high_seq(pool: &Pool, device_id: &str) -> Result<i64> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT high_seq FROM devices WHERE device_id = $1",
            &[&device_id],
        )
        .await?;
    Ok(row.map(|r| r.get(0)).unwrap_or(0))
}

fn text<'a>(p: &'a Value, k: &str) -> Option<&'a str> {
    p.get(k).and_then(Value::as_str)
}

fn need<'a>(p: &'a Value, k: &str) -> Result<&'a str, String> {
    match text(p, k) {
        Some(v) if !v.is_empty() && v.chars().count() <= 200 => Ok(v),
        Some(_) => Err(format!("{k} is empty or too long")),
        None => Err(format!("{k} is missing")),
    }
}

/// A record checked and ready to apply.
enum Parsed {
    Claim {
        claim_id: String,
        visit_id: String,
        badge_id: String,
        session_id: String,
        credits_q: i32,
        claimed_at: String,
    },
    Void {
        claim_id: String,
        voided_at: String,
        reason: String,
    },
    Certificate {
        certificate_id: String,
        short_code: String,
        badge_id: String,
        issued_at: String,
    },
    Profile {
        badge_id: String,
        codes: String,
        epid: Option<String>,
        birth_mmdd: Option<String>,
        pharm_role: Option<String>,
        moc_consent: bool,
        abim_id: Option<String>,
        at: String,
    },
    Evaluation {
        badge_id: String,
        answers: Vec<(String, String)>,
        at: String,
    },
    Attendee(AttendeeRow),
    Audit {
        at: String,
        action: String,
        detail: String,
    },
}

fn parse(r: &Record, sessions: &HashMap<String, i32>) -> Result<Parsed, String> {
    let p = &r.payload;
    let opt = |k: &str| text(p, k).map(str::to_string);
    Ok(match r.kind.as_str() {
        "claim" => {
            let session_id = need(p, "session_id")?.to_string();
            let credits_q = p
                .get("credits_q")
                .and_then(Value::as_i64)
                .ok_or("credits_q is missing")?;
            let Some(designated) = sessions.get(&session_id) else {
                return Err(format!("session {session_id} is not in the hub's catalog"));
            };
            if credits_q < 1 || credits_q > i64::from(*designated) {
                return Err(format!("credits_q {credits_q} is outside 1..={designated}"));
            }
            Parsed::Claim {
                claim_id: need(p, "claim_id")?.to_string(),
                visit_id: text(p, "visit_id").unwrap_or("").to_string(),
                badge_id: need(p, "badge_id")?.to_string(),
                session_id,
                credits_q: credits_q as i32,
                claimed_at: need(p, "claimed_at")?.to_string(),
            }
        }
        "void" => Parsed::Void {
            claim_id: need(p, "claim_id")?.to_string(),
            voided_at: need(p, "voided_at")?.to_string(),
            reason: need(p, "reason")?.to_string(),
        },
        "certificate" => {
            let id = need(p, "certificate_id")?;
            if id.len() < 16
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err("certificate_id is not a URL-safe random id".into());
            }
            Parsed::Certificate {
                certificate_id: id.to_string(),
                short_code: text(p, "short_code").unwrap_or("").to_string(),
                badge_id: need(p, "badge_id")?.to_string(),
                issued_at: need(p, "issued_at")?.to_string(),
            }
        }
        "profile" => {
            let codes = text(p, "codes").unwrap_or("");
            CodeSet::parse_list(codes)?;
            Parsed::Profile {
                badge_id: need(p, "badge_id")?.to_string(),
                codes: codes.to_string(),
                epid: opt("epid"),
                birth_mmdd: opt("birth_mmdd"),
                pharm_role: opt("pharm_role"),
                moc_consent: p
                    .get("moc_consent")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                abim_id: opt("abim_id"),
                at: need(p, "at")?.to_string(),
            }
        }
        "evaluation" => {
            let answers = p
                .get("answers")
                .and_then(Value::as_object)
                .ok_or("answers is missing")?
                .iter()
                .filter_map(|(q, a)| Some((q.clone(), a.as_str()?.to_string())))
                .collect();
            Parsed::Evaluation {
                badge_id: need(p, "badge_id")?.to_string(),
                answers,
                at: need(p, "at")?.to_string(),
            }
        }
        "attendee" => Parsed::Attendee(AttendeeRow {
            badge_id: need(p, "badge_id")?.to_string(),
            first_name: text(p, "first_name").unwrap_or("").to_string(),
            last_name: text(p, "last_name").unwrap_or("").to_string(),
            degree: text(p, "degree").unwrap_or("").to_string(),
            profession: need(p, "profession")?.parse::<Profession>()?,
            email: text(p, "email").unwrap_or("").to_string(),
        }),
        "audit" => Parsed::Audit {
            at: need(p, "at")?.to_string(),
            action: need(p, "action")?.to_string(),
            detail: text(p, "detail").unwrap_or("").to_string(),
        },
        other => return Err(format!("unknown record kind '{other}'")),
    })
}

/// PostgreSQL text cannot hold U+0000: a record holding one is stored
/// with the character replaced, and rejected with the reason.
fn has_nul(r: &Record) -> bool {
    fn in_value(v: &Value) -> bool {
        match v {
            Value::String(t) => t.contains('\0'),
            Value::Array(items) => items.iter().any(in_value),
            Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || in_value(v)),
            _ => false,
        }
    }
    [&r.kind, &r.record_id, &r.created_at]
        .iter()
        .any(|t| t.contains('\0'))
        || in_value(&r.payload)
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

/// Takes one page of a device's records, exactly once: a record the hub
/// already holds changes nothing; a record that cannot apply is kept with
/// its reason. All in one transaction.
pub async fn ingest(
    pool: &Pool,
    device_id: &str,
    kiosk_id: &str,
    records: &[Record],
) -> Result<UploadResult> {
    // Pages almost never hold a NUL: copy and scrub only the ones that do.
    let mut with_nul = std::collections::HashSet::new();
    let scrubbed: Vec<Record>;
    let records = if records.iter().any(has_nul) {
        scrubbed = records
            .iter()
            .map(|r| {
                if has_nul(r) {
                    with_nul.insert(r.seq);
                }
                let text = |t: &str| t.replace('\0', "\u{fffd}");
                Record {
                    seq: r.seq,
                    kind: text(&r.kind),
                    record_id: text(&r.record_id),
                    payload: scrub(&r.payload),
                    created_at: text(&r.created_at),
                }
            })
            .collect();
        &scrubbed[..]
    } else {
        records
    };
    let mut client = pool.get().await.context("connecting to PostgreSQL")?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO devices(device_id, kiosk_id) VALUES ($1, $2)
         ON CONFLICT (device_id) DO UPDATE SET kiosk_id = excluded.kiosk_id, last_seen = now()",
        &[&device_id, &kiosk_id],
    )
    .await?;
    let seqs: Vec<i64> = records.iter().map(|r| r.seq).collect();
    let kinds: Vec<&str> = records.iter().map(|r| r.kind.as_str()).collect();
    let ids: Vec<&str> = records.iter().map(|r| r.record_id.as_str()).collect();
    let payloads: Vec<String> = records.iter().map(|r| r.payload.to_string()).collect();
    let created: Vec<&str> = records.iter().map(|r| r.created_at.as_str()).collect();
    let rows = tx
        .query(
            "INSERT INTO records(device_id, seq, kind, record_id, payload, created_at)
             SELECT $1, s, k, i, p::jsonb, c FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(s, k, i, p, c)
             ON CONFLICT (device_id, seq) DO NOTHING
             RETURNING seq",
            &[&device_id, &seqs, &kinds, &ids, &payloads, &created],
        )
        .await?;
    let fresh: std::collections::HashSet<i64> = rows.iter().map(|r| r.get(0)).collect();
    let sessions: HashMap<String, i32> = tx
        .query("SELECT session_id, credits_q FROM sessions", &[])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut rejected = Vec::new();
    let mut parsed = Vec::new();
    for r in records.iter().filter(|r| fresh.contains(&r.seq)) {
        if with_nul.contains(&r.seq) {
            rejected.push(Rejected {
                seq: r.seq,
                reason: "text holds NUL characters".into(),
            });
            continue;
        }
        match parse(r, &sessions) {
            Ok(p) => parsed.push((r, p)),
            Err(reason) => rejected.push(Rejected { seq: r.seq, reason }),
        }
    }
    let new_claims = apply(&tx, device_id, kiosk_id, &parsed).await?;
    if !rejected.is_empty() {
        let seqs: Vec<i64> = rejected.iter().map(|r| r.seq).collect();
        let reasons: Vec<&str> = rejected.iter().map(|r| r.reason.as_str()).collect();
        tx.execute(
            "UPDATE records SET rejected = t.reason FROM unnest($2::bigint[], $3::text[]) AS t(seq, reason)
             WHERE records.device_id = $1 AND records.seq = t.seq",
            &[&device_id, &seqs, &reasons],
        )
        .await?;
    }
    let max_seq = seqs.iter().copied().max().unwrap_or(0);
    let high: i64 = tx
        .query_one(
            "UPDATE devices SET high_seq = GREATEST(high_seq, $2) WHERE device_id = $1 RETURNING high_seq",
            &[&device_id, &max_seq],
        )
        .await?
        .get(0);
    // Everything accepted goes to the feed, in the device's order.
    let feed: Vec<i64> = parsed
        .iter()
        .filter(|(r, _)| r.kind != "audit")
        .map(|(r, _)| r.seq)
        .collect();
    if !feed.is_empty() {
        // Writers to the feed take turns, so hub_seq order is commit order
        // and a reader's cursor never skips a row committed late. Only the
        // feed's insert and the commit happen while holding the lock; the
        // payloads are copied from the rows stored above, not parsed again.
        tx.batch_execute("LOCK TABLE changes IN EXCLUSIVE MODE")
            .await?;
        tx.execute(
            "INSERT INTO changes(origin, kind, payload)
             SELECT device_id, kind, payload FROM records WHERE device_id = $1 AND seq = ANY($2) ORDER BY seq",
            &[&device_id, &feed],
        )
        .await?;
        if !new_claims.is_empty() {
            // The same attendee and session already claimed (at another
            // kiosk): flag this one; it is kept but counted once. Done under
            // the feed's lock, so two kiosks' pages with the same claim take
            // turns and the second always sees the first, whichever was
            // inserted first. Driven from this page's claims, one index
            // probe each: as a join, a planner without statistics on a
            // growing table scans every claim per claim.
            tx.execute(
                "UPDATE claims c SET duplicate_of = f.first
                 FROM (SELECT p.claim_id,
                              (SELECT d.claim_id FROM claims d
                                WHERE d.badge_id = p.badge_id AND d.session_id = p.session_id
                                  AND d.claim_id <> p.claim_id AND d.voided_at IS NULL AND d.duplicate_of IS NULL
                                  AND (d.claim_id <> ALL($1) OR d.hub_order < p.hub_order)
                                ORDER BY d.hub_order LIMIT 1) AS first
                       FROM claims p WHERE p.claim_id = ANY($1) AND p.duplicate_of IS NULL) f
                 WHERE c.claim_id = f.claim_id AND f.first IS NOT NULL",
                &[&new_claims],
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(UploadResult {
        high_seq: high,
        inserted: fresh.len(),
        repeated: records.len() - fresh.len(),
        rejected,
    })
}

/// Applies checked records to the tables certificates and reports read.
async fn apply(
    tx: &tokio_postgres::Transaction<'_>,
    device_id: &str,
    kiosk_id: &str,
    parsed: &[(&Record, Parsed)],
) -> Result<Vec<String>> {
    // Walk-ins first: their claims may be in the same page.
    let attendees: Vec<&AttendeeRow> = parsed
        .iter()
        .filter_map(|(_, p)| match p {
            Parsed::Attendee(a) => Some(a),
            _ => None,
        })
        .collect();
    upsert_attendees(tx, &attendees, "walkin").await?;

    let mut c = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for (_, p) in parsed {
        if let Parsed::Claim {
            claim_id,
            visit_id,
            badge_id,
            session_id,
            credits_q,
            claimed_at,
        } = p
        {
            c.0.push(claim_id.as_str());
            c.1.push(visit_id.as_str());
            c.2.push(badge_id.as_str());
            c.3.push(session_id.as_str());
            c.4.push(*credits_q);
            c.5.push(claimed_at.as_str());
        }
    }
    if !c.0.is_empty() {
        tx.execute(
            "INSERT INTO claims(claim_id, device_id, kiosk_id, visit_id, badge_id, session_id, credits_q, claimed_at)
             SELECT i, $1, $2, v, b, s, q, a FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
               WITH ORDINALITY AS t(i, v, b, s, q, a, n) ORDER BY n
             ON CONFLICT (claim_id) DO NOTHING",
            &[&device_id, &kiosk_id, &c.0, &c.1, &c.2, &c.3, &c.4, &c.5],
        )
        .await?;
    }
    let mut v = (Vec::new(), Vec::new(), Vec::new());
    let mut certs = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut profiles: Vec<&Parsed> = Vec::new();
    let mut answers = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut audit = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (r, p) in parsed {
        match p {
            Parsed::Void {
                claim_id,
                voided_at,
                reason,
            } => {
                v.0.push(claim_id.as_str());
                v.1.push(voided_at.as_str());
                v.2.push(reason.as_str());
            }
            Parsed::Certificate {
                certificate_id,
                short_code,
                badge_id,
                issued_at,
            } => {
                certs.0.push(certificate_id.as_str());
                certs.1.push(short_code.as_str());
                certs.2.push(badge_id.as_str());
                certs.3.push(issued_at.as_str());
            }
            Parsed::Profile { .. } => profiles.push(p),
            Parsed::Evaluation {
                badge_id,
                answers: list,
                at,
            } => {
                for (q, a) in list {
                    answers.0.push(badge_id.as_str());
                    answers.1.push(q.as_str());
                    answers.2.push(a.as_str());
                    answers.3.push(at.as_str());
                }
            }
            Parsed::Audit { at, action, detail } => {
                audit.0.push(r.seq);
                audit.1.push(at.as_str());
                audit.2.push(action.as_str());
                audit.3.push(detail.as_str());
            }
            _ => {}
        }
    }
    if !v.0.is_empty() {
        tx.execute(
            "UPDATE claims SET voided_at = t.at, void_reason = t.reason
             FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, at, reason)
             WHERE claims.claim_id = t.id AND claims.voided_at IS NULL",
            &[&v.0, &v.1, &v.2],
        )
        .await?;
    }
    if !certs.0.is_empty() {
        tx.execute(
            "INSERT INTO certificates(certificate_id, short_code, badge_id, issued_at, kiosk_id, device_id)
             SELECT i, s, b, a, $1, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(i, s, b, a)
             ON CONFLICT (certificate_id) DO NOTHING",
            &[&kiosk_id, &device_id, &certs.0, &certs.1, &certs.2, &certs.3],
        )
        .await?;
    }
    if !profiles.is_empty() {
        let mut badge = Vec::new();
        let mut codes = Vec::new();
        let mut epid: Vec<Option<&str>> = Vec::new();
        let mut birth: Vec<Option<&str>> = Vec::new();
        let mut role: Vec<Option<&str>> = Vec::new();
        let mut moc = Vec::new();
        let mut abim: Vec<Option<&str>> = Vec::new();
        let mut at = Vec::new();
        for p in profiles {
            if let Parsed::Profile {
                badge_id,
                codes: c,
                epid: e,
                birth_mmdd,
                pharm_role,
                moc_consent,
                abim_id,
                at: t,
            } = p
            {
                badge.push(badge_id.as_str());
                codes.push(c.as_str());
                epid.push(e.as_deref());
                birth.push(birth_mmdd.as_deref());
                role.push(pharm_role.as_deref());
                moc.push(*moc_consent);
                abim.push(abim_id.as_deref());
                at.push(t.as_str());
            }
        }
        // The newest choice wins, whichever kiosk made it. One statement in
        // badge order: every page locks the rows it updates in the same
        // order, so two kiosks' pages queue instead of deadlocking.
        tx.execute(
            "INSERT INTO profiles(badge_id, codes, epid, birth_mmdd, pharm_role, moc_consent, abim_id, updated_at)
             SELECT DISTINCT ON (b) b, c, e, bm, r, m, a, t
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[], $8::text[])
               AS u(b, c, e, bm, r, m, a, t)
             ORDER BY b, t DESC
             ON CONFLICT (badge_id) DO UPDATE SET codes = excluded.codes, epid = excluded.epid,
               birth_mmdd = excluded.birth_mmdd, pharm_role = excluded.pharm_role,
               moc_consent = excluded.moc_consent, abim_id = excluded.abim_id, updated_at = excluded.updated_at
             WHERE profiles.updated_at < excluded.updated_at",
            &[&badge, &codes, &epid, &birth, &role, &moc, &abim, &at],
        )
        .await?;
    }
    if !answers.0.is_empty() {
        tx.execute(
            "INSERT INTO answers(badge_id, question_id, answer, answered_at)
             SELECT DISTINCT ON (b, q) b, q, a, t FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(b, q, a, t)
             ORDER BY b, q, t DESC
             ON CONFLICT (badge_id, question_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at
             WHERE answers.answered_at < excluded.answered_at",
            &[&answers.0, &answers.1, &answers.2, &answers.3],
        )
        .await?;
    }
    if !audit.0.is_empty() {
        tx.execute(
            "INSERT INTO audit(device_id, seq, at, kiosk_id, action, detail)
             SELECT $1, s, a, $2, c, d FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS t(s, a, c, d)
             ON CONFLICT DO NOTHING",
            &[&device_id, &kiosk_id, &audit.0, &audit.1, &audit.2, &audit.3],
        )
        .await?;
    }
    Ok(c.0.iter().map(|id| id.to_string()).collect())
}

async fn upsert_attendees(
    tx: &tokio_postgres::Transaction<'_>,
    rows: &[&AttendeeRow],
    source: &str,
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
             WHERE (attendees.first_name, attendees.last_name, attendees.degree, attendees.profession, attendees.email)
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
            ],
        )
        .await?;
    Ok(changed.iter().map(|r| r.get(0)).collect())
}

/// Loads the roster and catalog the hub serves (from its config folder),
/// adding what changed to the feed kiosks download.
pub async fn load_roster(
    pool: &Pool,
    attendees: &[AttendeeRow],
    sessions: &[SessionRow],
) -> Result<(usize, usize)> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.batch_execute("LOCK TABLE changes IN EXCLUSIVE MODE")
        .await?;
    let refs: Vec<&AttendeeRow> = attendees.iter().collect();
    let changed = upsert_attendees(&tx, &refs, "roster").await?;
    let changed_set: std::collections::HashSet<&str> = changed.iter().map(String::as_str).collect();
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
        "INSERT INTO changes(origin, kind, payload) SELECT 'hub', 'roster.attendee', p::jsonb FROM unnest($1::text[]) AS t(p)",
        &[&feed],
    )
    .await?;
    let mut session_changes = 0;
    for s in sessions {
        let types = s.credit_types.to_list();
        let credits = s.credits as i32;
        let n = tx
            .execute(
                "INSERT INTO sessions(session_id, title, starts_at, ends_at, credits_q, credit_types, track, room, acpe_uan)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (session_id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
                   ends_at = excluded.ends_at, credits_q = excluded.credits_q, credit_types = excluded.credit_types,
                   track = excluded.track, room = excluded.room, acpe_uan = excluded.acpe_uan
                 WHERE (sessions.title, sessions.starts_at, sessions.ends_at, sessions.credits_q, sessions.credit_types,
                        sessions.track, sessions.room, sessions.acpe_uan)
                   IS DISTINCT FROM (excluded.title, excluded.starts_at, excluded.ends_at, excluded.credits_q,
                        excluded.credit_types, excluded.track, excluded.room, excluded.acpe_uan)",
                &[&s.session_id, &s.title, &s.starts_at, &s.ends_at, &credits, &types, &s.track, &s.room, &s.acpe_uan],
            )
            .await?;
        if n > 0 {
            session_changes += 1;
            let payload = serde_json::json!({"session_id": s.session_id, "title": s.title, "starts_at": s.starts_at,
                "ends_at": s.ends_at, "credits_q": s.credits, "credit_types": types, "track": s.track,
                "room": s.room, "acpe_uan": s.acpe_uan});
            tx.execute(
                "INSERT INTO changes(origin, kind, payload) VALUES ('hub', 'roster.session', $1::text::jsonb)",
                &[&payload.to_string()],
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok((feed.len(), session_changes))
}

/// The page `changes` returns, as its JSON body: each payload is passed
/// through as PostgreSQL prints it, never parsed into a `Value` and printed
/// again.
pub async fn changes_json(
    pool: &Pool,
    since: i64,
    device_id: &str,
    limit: usize,
) -> Result<String> {
    use std::fmt::Write as _;
    let mut client = pool.get().await?;
    // One snapshot for the page and the cursor, so a change that commits
    // between the two statements is neither skipped nor counted twice.
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let rows = tx
        .query(
            "SELECT hub_seq, origin, kind, payload::text FROM changes
             WHERE hub_seq > $1 AND origin <> $2 ORDER BY hub_seq LIMIT $3",
            &[&since, &device_id, &(limit as i64 + 1)],
        )
        .await?;
    let more = rows.len() > limit;
    let mut out = String::with_capacity(rows.len().min(limit) * 400 + 64);
    out.push_str("{\"changes\":[");
    let mut last = since;
    for (i, r) in rows.iter().take(limit).enumerate() {
        let hub_seq: i64 = r.get(0);
        let payload: &str = r.get(3);
        if i > 0 {
            out.push(',');
        }
        write!(
            out,
            "{{\"hub_seq\":{hub_seq},\"origin\":{},\"kind\":{},\"payload\":{payload}}}",
            serde_json::to_string(r.get::<_, &str>(1))?,
            serde_json::to_string(r.get::<_, &str>(2))?,
        )?;
        last = hub_seq;
    }
    let next = if more {
        last
    } else {
        tx.query_one("SELECT coalesce(max(hub_seq), 0) FROM changes", &[])
            .await?
            .get::<_, i64>(0)
            .max(since)
    };
    tx.commit().await?;
    write!(out, "],\"next\":{next},\"more\":{more}}}")?;
    Ok(out)
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

/// Claims that count for an attendee: not void, not a duplicate.
async fn counted_claims(
    client: &deadpool_postgres::Client,
    badge: &str,
) -> Result<Vec<(SessionRow, u32)>> {
    let rows = client
        .query(
            &format!(
                "SELECT c.credits_q, {SESSION_COLS} FROM claims c JOIN sessions s ON s.session_id = c.session_id
                 WHERE c.badge_id = $1 AND c.voided_at IS NULL AND c.duplicate_of IS NULL"
            ),
            &[&badge],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| (session_from(r, 1), r.get::<_, i32>(0).max(0) as u32))
        .collect())
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
             WHERE c.certificate_id = $1",
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
                "SELECT c.badge_id, c.credits_q, {SESSION_COLS} FROM claims c JOIN sessions s ON s.session_id = c.session_id
                 WHERE c.voided_at IS NULL AND c.duplicate_of IS NULL ORDER BY c.badge_id, s.starts_at"
            ),
            &[],
        )
        .await?;
    for r in &rows {
        let badge: String = r.get(0);
        out.entry(badge)
            .or_default()
            .claims
            .push((session_from(r, 2), r.get::<_, i32>(1).max(0) as u32));
    }
    let people = client
        .query(
            "SELECT a.badge_id, a.first_name, a.last_name, a.degree, a.profession, a.email,
                    p.codes, p.epid, p.birth_mmdd, p.pharm_role, coalesce(p.moc_consent, false), p.abim_id,
                    (SELECT certificate_id || ' ' || issued_at FROM certificates x WHERE x.badge_id = a.badge_id ORDER BY issued_at DESC LIMIT 1),
                    (SELECT max(greatest(c.claimed_at, coalesce(c.voided_at, ''))) FROM claims c WHERE c.badge_id = a.badge_id),
                    (SELECT max(answered_at) FROM answers n WHERE n.badge_id = a.badge_id)
             FROM attendees a LEFT JOIN profiles p ON p.badge_id = a.badge_id
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

/// How many records the hub holds, for the import summary and tests.
pub async fn count_records(pool: &Pool) -> Result<i64> {
    let client = pool.get().await?;
    Ok(client
        .query_one("SELECT count(*) FROM records", &[])
        .await?
        .get(0))
}
