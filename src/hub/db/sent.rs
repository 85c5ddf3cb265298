//! What the hub sent to PARS and CPE Monitor: the files the CE office
//! marked as uploaded, row by row, and what each system holds from the
//! hub as a result (each row key's latest row, where that is an Add).

use std::collections::{BTreeMap, HashMap};

use deadpool_postgres::Pool;

use super::DbResult;

/// A receiving system, and its words for a row's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum System {
    Pars,
    CpeMonitor,
}

impl System {
    pub const ALL: [System; 2] = [System::Pars, System::CpeMonitor];

    /// The name in paths, the database and the audit.
    pub fn as_str(self) -> &'static str {
        match self {
            System::Pars => "pars",
            System::CpeMonitor => "cpe-monitor",
        }
    }

    pub fn parse(s: &str) -> Option<System> {
        System::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// As the CE office names it.
    pub fn title(self) -> &'static str {
        match self {
            System::Pars => "ACCME PARS",
            System::CpeMonitor => "NABP CPE Monitor",
        }
    }

    /// The action column's word for `action` in this system's file.
    pub fn word(self, action: RowAction) -> &'static str {
        match (self, action) {
            (System::Pars, RowAction::Add) => "Add",
            (System::Pars, RowAction::Delete) => "Delete",
            (System::CpeMonitor, RowAction::Add) => "I",
            (System::CpeMonitor, RowAction::Delete) => "D",
        }
    }
}

/// What a row of an upload file does at the receiving system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    Add,
    Delete,
}

impl RowAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RowAction::Add => "add",
            RowAction::Delete => "delete",
        }
    }
}

/// What the receiving system holds from the hub, by row key: the fields of
/// the last row added and not deleted since.
pub type SentRows = BTreeMap<String, Sent>;

/// A row as it was sent, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub fields: Vec<String>,
    /// When the office marked the file holding it as uploaded (RFC 3339).
    pub at: String,
}

/// One row of an upload file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub action: RowAction,
    pub key: String,
    pub badge_id: String,
    pub fields: Vec<String>,
}

/// What `system` holds from the hub now.
pub async fn standing(pool: &Pool, system: System) -> DbResult<SentRows> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT DISTINCT ON (r.row_key) r.row_key, r.action, r.fields,
                    to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
             FROM sent_rows r JOIN submissions s ON s.id = r.submission
             WHERE r.system = $1
             ORDER BY r.row_key, r.submission DESC, r.ord DESC",
            &[&system.as_str()],
        )
        .await?;
    Ok(rows
        .iter()
        .filter(|r| r.get::<_, &str>(1) == RowAction::Add.as_str())
        .map(|r| {
            (
                r.get(0),
                Sent {
                    fields: fields(r.get(2)),
                    at: r.get(3),
                },
            )
        })
        .collect())
}

/// What both systems hold from the hub.
pub async fn standing_all(pool: &Pool) -> DbResult<HashMap<System, SentRows>> {
    let (p, c) = tokio::try_join!(
        standing(pool, System::Pars),
        standing(pool, System::CpeMonitor)
    )?;
    Ok(HashMap::from([(System::Pars, p), (System::CpeMonitor, c)]))
}

fn fields(v: serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A file marked as uploaded.
#[derive(Debug, Clone)]
pub struct Marked {
    pub submission: i64,
    pub rows: Vec<FileRow>,
}

impl Marked {
    /// "3 rows (2 Add, 1 Delete)", as the audit and the page say it.
    pub fn summary(&self, system: System) -> String {
        let adds = self
            .rows
            .iter()
            .filter(|c| c.action == RowAction::Add)
            .count();
        format!(
            "{}: submission {}, {} rows ({adds} {}, {} {})",
            system.title(),
            self.submission,
            self.rows.len(),
            system.word(RowAction::Add),
            self.rows.len() - adds,
            system.word(RowAction::Delete),
        )
    }
}

/// Records that the file the hub gives now for `system` (every current
/// row when `whole`, else the changes since what was sent) was uploaded:
/// worked out and kept in one transaction, one mark at a time, so two
/// marks at once never both claim the same changes.
pub async fn mark(
    pool: &Pool,
    system: System,
    account: &str,
    whole: bool,
    plan: impl FnOnce(&SentRows) -> Vec<FileRow>,
) -> DbResult<Marked> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.batch_execute("LOCK TABLE submissions IN SHARE ROW EXCLUSIVE MODE")
        .await?;
    let rows = tx
        .query(
            "SELECT DISTINCT ON (r.row_key) r.row_key, r.action, r.fields
             FROM sent_rows r WHERE r.system = $1
             ORDER BY r.row_key, r.submission DESC, r.ord DESC",
            &[&system.as_str()],
        )
        .await?;
    let sent: SentRows = rows
        .iter()
        .filter(|r| r.get::<_, &str>(1) == RowAction::Add.as_str())
        .map(|r| {
            (
                r.get(0),
                Sent {
                    fields: fields(r.get(2)),
                    at: String::new(),
                },
            )
        })
        .collect();
    let changes = plan(&sent);
    let id: i64 = tx
        .query_one(
            "INSERT INTO submissions(system, account, whole) VALUES ($1, $2, $3) RETURNING id",
            &[&system.as_str(), &account, &whole],
        )
        .await?
        .get(0);
    let insert = tx
        .prepare(
            "INSERT INTO sent_rows(submission, ord, system, row_key, badge_id, action, fields)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    for (ord, c) in changes.iter().enumerate() {
        let ord = i32::try_from(ord)?;
        let fields = serde_json::Value::from(c.fields.clone());
        tx.execute(
            &insert,
            &[
                &id,
                &ord,
                &system.as_str(),
                &c.key,
                &c.badge_id,
                &c.action.as_str(),
                &fields,
            ],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Marked {
        submission: id,
        rows: changes,
    })
}

/// One submission, for the Reports page.
#[derive(Debug, Clone)]
pub struct Submission {
    pub system: System,
    pub account: String,
    pub whole: bool,
    /// Event-local time, `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub adds: i64,
    pub deletes: i64,
}

/// The newest `limit` submissions, newest first.
pub async fn submissions(pool: &Pool, tz: &str, limit: i64) -> DbResult<Vec<Submission>> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT s.system, s.account, s.whole, to_char(s.at AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI'),
                    count(*) FILTER (WHERE r.action = 'add'), count(*) FILTER (WHERE r.action = 'delete')
             FROM submissions s LEFT JOIN sent_rows r ON r.submission = s.id
             GROUP BY s.id ORDER BY s.id DESC LIMIT $2",
            &[&tz, &limit],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Submission {
                system: System::parse(r.get(0))?,
                account: r.get(1),
                whole: r.get(2),
                at: r.get(3),
                adds: r.get(4),
                deletes: r.get(5),
            })
        })
        .collect())
}

/// One row sent for an attendee, for their page.
#[derive(Debug, Clone)]
pub struct SentLine {
    pub system: System,
    pub action: RowAction,
    pub fields: Vec<String>,
    /// Event-local time the office marked the file, `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub account: String,
}

/// Every row sent for an attendee, oldest first.
pub async fn sent_for(pool: &Pool, badge_id: &str, tz: &str) -> DbResult<Vec<SentLine>> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT r.system, r.action, r.fields, to_char(s.at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), s.account
             FROM sent_rows r JOIN submissions s ON s.id = r.submission
             WHERE r.badge_id = $1 ORDER BY r.submission, r.ord",
            &[&badge_id, &tz],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(SentLine {
                system: System::parse(r.get(0))?,
                action: if r.get::<_, &str>(1) == "add" {
                    RowAction::Add
                } else {
                    RowAction::Delete
                },
                fields: fields(r.get(2)),
                at: r.get(3),
                account: r.get(4),
            })
        })
        .collect())
}
