//! The typed tables' rows of a page, written by the hub from the records
//! it takes instead of by the trigger that reads them back out of the
//! JSON (docs/sync.md, "Migration 23").
//!
//! Each kind's row is read from the payload as the trigger's
//! `json_to_record` reads it (a missing or null field is NULL, a
//! certificate's `mail_declined` is true only for JSON `true`, an
//! evaluation has a row only when its `answers` is an object holding
//! something), and COPYed in PostgreSQL's text form so PostgreSQL casts
//! each time itself, as the trigger's `::timestamptz` does. A record this
//! cannot read exactly so (a field of another JSON type than the
//! trigger's column) leaves the whole page to the trigger.

use bytes::Bytes;
use futures_util::SinkExt;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::DbResult;

/// A record the hub takes (not rejected), as its typed row reads it.
pub struct TakenRecord<'a> {
    pub seq: i64,
    pub kind: &'a str,
    pub record_id: &'a str,
    pub payload: &'a str,
    /// The attendee the hub's check found it names.
    pub badge_id: Option<&'a str>,
}

/// What the insert trigger looks for to leave a statement's records to
/// the hub (migration 23): set just before the page's COPY, in its
/// transaction only.
pub const WRITTEN: &str = "SELECT set_config('cekiosk.typed_rows', 'written', true)";

/// Set again once the page's typed rows are written, so any later insert
/// into `records` in the same transaction gets its rows from the trigger.
pub const WRITTEN_NO_MORE: &str = "SELECT set_config('cekiosk.typed_rows', '', true)";

/// A page's rows for each typed table, in COPY's text form.
#[derive(Default)]
pub struct TypedRows {
    claims: String,
    voids: String,
    certificates: String,
    profiles: String,
    evaluations: String,
}

#[derive(Deserialize)]
struct ClaimTyped {
    claim_id: Option<String>,
    claimed_at: Option<String>,
    credits_q: Option<i32>,
    session_id: Option<String>,
    visit_id: Option<String>,
}

#[derive(Deserialize)]
struct VoidTyped {
    claim_id: Option<String>,
    reason: Option<String>,
    voided_at: Option<String>,
}

#[derive(Deserialize)]
struct CertificateTyped<'a> {
    issued_at: Option<String>,
    language: Option<String>,
    #[serde(borrow)]
    mail_declined: Option<&'a RawValue>,
    short_code: Option<String>,
}

#[derive(Deserialize)]
struct ProfileTyped<'a> {
    abim_id: Option<String>,
    at: Option<String>,
    birth_mmdd: Option<String>,
    codes: Option<String>,
    epid: Option<String>,
    #[serde(borrow)]
    moc_consent: Option<&'a RawValue>,
    pharm_role: Option<String>,
}

#[derive(Deserialize)]
struct EvaluationTyped {
    answers: Option<serde_json::Value>,
    at: Option<String>,
}

/// One row of COPY's text form: tab-separated, `\N` for NULL, ended by
/// a newline when dropped. Every typed table's row starts with its
/// record's device, seq and attendee.
struct CopyLine<'a>(&'a mut String);

impl<'a> CopyLine<'a> {
    fn start(rows: &'a mut String, device_id: &str, seq: i64, badge_id: Option<&str>) -> Self {
        push_text(rows, Some(device_id));
        let mut line = CopyLine(rows);
        line.other(Some(seq)).text(badge_id);
        line
    }

    fn text(&mut self, value: Option<&str>) -> &mut Self {
        self.0.push('\t');
        push_text(self.0, value);
        self
    }

    fn other(&mut self, value: Option<impl ToString>) -> &mut Self {
        self.text(value.map(|v| v.to_string()).as_deref())
    }
}

/// One field in COPY's text form.
fn push_text(rows: &mut String, value: Option<&str>) {
    match value {
        None => rows.push_str("\\N"),
        Some(v) => {
            for c in v.chars() {
                match c {
                    '\\' => rows.push_str("\\\\"),
                    '\n' => rows.push_str("\\n"),
                    '\r' => rows.push_str("\\r"),
                    '\t' => rows.push_str("\\t"),
                    c => rows.push(c),
                }
            }
        }
    }
}

impl Drop for CopyLine<'_> {
    fn drop(&mut self) {
        self.0.push('\n');
    }
}

fn read<'a, T: Deserialize<'a>>(r: &TakenRecord<'a>) -> Option<T> {
    serde_json::from_str(r.payload).ok()
}

/// JSON `true`, as the trigger's `coalesce(field::text = 'true', false)`.
fn is_true(v: Option<&RawValue>) -> bool {
    v.is_some_and(|v| v.get() == "true")
}

impl TypedRows {
    /// The typed rows of `records` (taken by `kiosk_id`'s device
    /// `device_id`), or None when one of them must be left to the trigger.
    pub fn of<'a>(
        device_id: &str,
        kiosk_id: &str,
        records: impl IntoIterator<Item = TakenRecord<'a>>,
    ) -> Option<Self> {
        let mut t = TypedRows::default();
        for r in records {
            let start = |rows| CopyLine::start(rows, device_id, r.seq, r.badge_id);
            match r.kind {
                "claim" => {
                    let c: ClaimTyped = read(&r)?;
                    start(&mut t.claims)
                        .text(c.claim_id.as_deref())
                        .text(Some(kiosk_id))
                        .text(Some(c.visit_id.as_deref().unwrap_or("")))
                        .text(c.session_id.as_deref())
                        .other(c.credits_q)
                        .text(c.claimed_at.as_deref())
                        .text(c.claimed_at.as_deref());
                }
                "void" => {
                    let v: VoidTyped = read(&r)?;
                    start(&mut t.voids)
                        .text(v.claim_id.as_deref())
                        .text(v.voided_at.as_deref())
                        .text(v.reason.as_deref());
                }
                "certificate" => {
                    let c: CertificateTyped = read(&r)?;
                    start(&mut t.certificates)
                        .text(Some(r.record_id))
                        .text(Some(c.short_code.as_deref().unwrap_or("")))
                        .text(c.issued_at.as_deref())
                        .text(Some(kiosk_id))
                        .text(c.language.as_deref())
                        .other(Some(is_true(c.mail_declined)));
                }
                "profile" => {
                    let p: ProfileTyped = read(&r)?;
                    start(&mut t.profiles)
                        .text(p.codes.as_deref())
                        .text(p.epid.as_deref())
                        .text(p.birth_mmdd.as_deref())
                        .text(p.pharm_role.as_deref())
                        .other(Some(is_true(p.moc_consent)))
                        .text(p.abim_id.as_deref())
                        .text(p.at.as_deref())
                        .text(p.at.as_deref());
                }
                "evaluation" => {
                    let e: EvaluationTyped = read(&r)?;
                    let answered =
                        matches!(&e.answers, Some(serde_json::Value::Object(m)) if !m.is_empty());
                    if answered {
                        start(&mut t.evaluations)
                            .text(e.at.as_deref())
                            .text(e.at.as_deref());
                    }
                }
                _ => {}
            }
        }
        Some(t)
    }

    /// COPYs the rows into their tables. The claims' and certificates'
    /// transaction id and time received are their columns' defaults, the
    /// same as their records'.
    pub async fn copy(self, tx: &tokio_postgres::Transaction<'_>) -> DbResult<()> {
        let tables = [
            (
                "COPY claim_rows(device_id, seq, badge_id, claim_id, kiosk_id, visit_id, session_id,
                                 credits_q, claimed_at, claimed_utc) FROM STDIN",
                self.claims,
            ),
            (
                "COPY void_rows(device_id, seq, badge_id, claim_id, voided_at, reason) FROM STDIN",
                self.voids,
            ),
            (
                "COPY certificate_rows(device_id, seq, badge_id, certificate_id, short_code, issued_at,
                                       kiosk_id, language, mail_declined) FROM STDIN",
                self.certificates,
            ),
            (
                "COPY profile_rows(device_id, seq, badge_id, codes, epid, birth_mmdd, pharm_role,
                                   moc_consent, abim_id, at, at_utc) FROM STDIN",
                self.profiles,
            ),
            (
                "COPY evaluation_rows(device_id, seq, badge_id, answered_at, answered_utc) FROM STDIN",
                self.evaluations,
            ),
        ];
        for (copy, rows) in tables.into_iter().filter(|(_, rows)| !rows.is_empty()) {
            let sink = tx.copy_in::<_, Bytes>(copy).await?;
            let mut sink = std::pin::pin!(sink);
            sink.send(Bytes::from(rows)).await?;
            sink.as_mut().finish().await?;
        }
        Ok(())
    }
}
