//! The kiosk's SQLite store: one file, WAL, every write in a transaction,
//! every query with bound parameters. Screens never see SQL; they go
//! through the methods here.

mod claims;
mod credentials;
mod migrations;
mod outbox;
mod purge;
mod roster;
mod staff;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

pub use claims::{
    CertificateRow, ClaimRow, CreditChoices, NewVisit, OnFile, SummaryKey, id_ending,
};
pub use credentials::KioskCredentials;
pub use outbox::{ChangeBatch, HubFeedback};
pub use purge::Purged;
pub use roster::UpsertSummary;
pub use staff::{AuditRow, Lockout};

use crate::domain::ids::{IdSource, new_id};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error(
        "database {path} was written by a newer cekiosk (schema {found}, this one knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: usize,
    },
    #[error(
        "database {path} is damaged ({detail}). It has not been changed. Keep it, and its -wal file \
         beside it, for the CE office; records already uploaded are safe at the hub. Start this kiosk \
         on a new database (--db NEW.db) and tell the CE office which kiosk it was."
    )]
    Damaged { path: String, detail: String },
    #[error("{0}")]
    Rule(String),
}

pub type StoreResult<T> = std::result::Result<T, StoreError>;

/// The page cache of a connection that syncs: a day's catch-up touches
/// most of the claims' and answers' index pages, which SQLite's default
/// 2 MiB would evict and read back from the file again and again.
pub const SYNC_CACHE_MIB: i64 = 64;

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Counts for `status` and the staff screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub attendees: i64,
    pub sessions: i64,
    pub claims: i64,
    pub certificates: i64,
    pub not_uploaded: i64,
}

impl Store {
    /// Opens (creating if need be) the database and brings its schema up
    /// to date. A new file is created readable by its owner only.
    pub fn open(path: &Path) -> StoreResult<Store> {
        create_private(path);
        let conn = Connection::open(path).map_err(sql_err(path))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure().map_err(|e| store.err(e))?;
        // Check before anything is written: a damaged file is never
        // migrated or written over.
        store.check_integrity()?;
        store.migrate()?;
        Ok(store)
    }

    /// `PRAGMA quick_check`: the file's structure is sound.
    pub fn check_integrity(&self) -> StoreResult<()> {
        let rows: rusqlite::Result<Vec<String>> = self
            .conn
            .prepare("PRAGMA quick_check")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect());
        match rows {
            Ok(rows) if rows.len() == 1 && rows[0] == "ok" => Ok(()),
            Ok(rows) => Err(StoreError::Damaged {
                path: self.path.display().to_string(),
                detail: rows.into_iter().take(3).collect::<Vec<_>>().join("; "),
            }),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Lets this connection keep up to `mib` MiB of the file in memory: for
    /// a sync (`cekiosk sync` and the kiosk's uploader, with
    /// [`SYNC_CACHE_MIB`]), which applies tens of thousands of other
    /// kiosks' records into indexes larger than SQLite's default 2 MiB
    /// cache. The kiosk's own connection keeps the default, and its small
    /// footprint; the uploader's lasts one sync. (Checkpointing the WAL
    /// less often during a sync took a week's feed in 5.6 s instead of
    /// 6.1, but left every kiosk's WAL file at 64 MB: not worth it.)
    pub fn set_cache_mib(&self, mib: i64) -> StoreResult<()> {
        self.conn
            .pragma_update(None, "cache_size", -1024 * mib)
            .map_err(|e| self.err(e))
    }

    /// Whether a write goes through now (the disk had filled up).
    pub fn probe_write(&self) -> StoreResult<()> {
        self.set_meta("last_probe", &now_text())
    }

    /// A consistent copy of the live database, safe while the kiosk runs,
    /// readable by its owner only.
    pub fn backup(&self, to: &Path) -> StoreResult<()> {
        if to.exists() {
            return Err(StoreError::Rule(format!(
                "{} already exists; choose a new file name",
                to.display()
            )));
        }
        // Readable by its owner only, as the database is: it holds
        // attendees' IDs and the kiosk's credentials. SQLite writes into
        // an empty file it finds there.
        create_private(to);
        let target = to.to_string_lossy().into_owned();
        self.conn
            .execute("VACUUM INTO ?1", [&target])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        sql_err(&self.path)(source)
    }

    fn configure(&self) -> rusqlite::Result<()> {
        // WAL lets `cekiosk sync` and `status` read while the kiosk writes;
        // synchronous=FULL fsyncs the WAL at every commit, so a claim whose
        // QR was shown survives a power cut; the busy timeout makes a
        // second process wait for a writer instead of failing.
        self.conn.busy_timeout(Duration::from_secs(10))?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(())
    }

    fn migrate(&mut self) -> StoreResult<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let known = migrations::MIGRATIONS.len();
        if version > known as i64 {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found: version,
                known,
            });
        }
        let path = self.path.display().to_string();
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        for (i, sql) in migrations::MIGRATIONS
            .iter()
            .enumerate()
            .skip(version as usize)
        {
            let tx = self.conn.transaction().map_err(wrap)?;
            tx.execute_batch(sql).map_err(wrap)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(wrap)?;
            tx.commit().map_err(wrap)?;
        }
        Ok(())
    }

    /// Begins a write transaction, taking the write lock at once so it never
    /// has to upgrade a read lock (which SQLite refuses rather than waits
    /// for), with the mapping of errors to this database's path.
    fn begin(
        &mut self,
    ) -> StoreResult<(
        rusqlite::Transaction<'_>,
        impl Fn(rusqlite::Error) -> StoreError + use<>,
    )> {
        let wrap = sql_err(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&wrap)?;
        Ok((tx, wrap))
    }

    /// Runs a query and collects every row through `f`.
    fn query_all<T, C: FromIterator<T>>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<C> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params, f).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<C>>()
            .map_err(|e| self.err(e))
    }

    pub fn schema_version(&self) -> StoreResult<i64> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    pub fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// This database's stable device id, created on first use and never
    /// changed: the hub tells kiosks apart by it, whatever their kiosk id.
    pub fn device_id(&self, rng: &mut dyn IdSource) -> StoreResult<String> {
        if let Some(id) = self.meta("device_id")? {
            return Ok(id);
        }
        let id = new_id(rng);
        self.conn
            .execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('device_id', ?1)",
                [&id],
            )
            .map_err(|e| self.err(e))?;
        // Another process may have won the race; its id stands.
        Ok(self.meta("device_id")?.unwrap_or(id))
    }

    /// Records the hub has not confirmed (nor rejected): what a sync
    /// tells the hub it has left, read from the outbox's own index (the
    /// full counts read every claim the feed ever brought: a hundred
    /// thousand rows at a congress, at each sync).
    pub fn not_uploaded(&self) -> StoreResult<i64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM outbox WHERE uploaded_at IS NULL AND rejected IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    pub fn counts(&self) -> StoreResult<Counts> {
        let one = |sql: &str| -> StoreResult<i64> {
            self.conn
                .query_row(sql, [], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        Ok(Counts {
            attendees: one("SELECT count(*) FROM attendees")?,
            sessions: one("SELECT count(*) FROM sessions")?,
            claims: one("SELECT count(*) FROM claims WHERE voided_at IS NULL")?,
            certificates: one("SELECT count(*) FROM certificates")?,
            not_uploaded: self.not_uploaded()?,
        })
    }

    /// Records a staff or system action in the audit log and the outbox.
    pub fn audit(&mut self, kiosk_id: &str, action: &str, detail: &str) -> StoreResult<()> {
        let now = now_text();
        let (tx, wrap) = self.begin()?;
        staff::write_audit(&tx, kiosk_id, action, detail, &now).map_err(&wrap)?;
        tx.commit().map_err(&wrap)
    }
}

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + use<> {
    let path = path.to_path_buf();
    move |source| {
        let damaged = matches!(
            source.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        );
        if damaged {
            StoreError::Damaged {
                path: path.display().to_string(),
                detail: source.to_string(),
            }
        } else {
            StoreError::Sqlite {
                path: path.display().to_string(),
                source,
            }
        }
    }
}

/// The current time as RFC 3339 UTC, the form every stored timestamp takes.
pub fn now_text() -> String {
    jiff::Timestamp::now().to_string()
}

#[cfg(unix)]
fn create_private(path: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    // Best effort: if this fails, SQLite's own open reports the real error.
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path);
}

#[cfg(not(unix))]
fn create_private(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::OsRandom;

    #[test]
    fn new_database_is_migrated_and_keeps_its_device_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let id = {
            let s = Store::open(&path).unwrap();
            assert_eq!(
                s.schema_version().unwrap(),
                migrations::MIGRATIONS.len() as i64
            );
            s.device_id(&mut OsRandom).unwrap()
        };
        let s = Store::open(&path).unwrap();
        assert_eq!(s.device_id(&mut OsRandom).unwrap(), id);
        assert_eq!(s.counts().unwrap(), Counts::default());
        let journal: String = s
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        let e = Store::open(&path).err().unwrap();
        assert!(e.to_string().contains("newer"), "{e}");
    }

    #[test]
    fn audit_goes_to_log_and_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("k.db")).unwrap();
        s.audit("K01", "staff.login", "ok").unwrap();
        assert_eq!(s.counts().unwrap().not_uploaded, 1);
        let n: i64 = s
            .conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE kiosk_id='K01'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }

    /// What a sync reads of the outbox: the records not confirmed, those
    /// the hub rejected among them marked, the rejected counted; each
    /// through an index, never the whole outbox (a week of records).
    #[test]
    fn the_sync_reads_what_is_left_to_send_through_the_outbox_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("k.db")).unwrap();
        for n in 1..=6 {
            s.audit("K01", "staff.login", &format!("login {n}"))
                .unwrap();
        }
        let ids: Vec<String> = s
            .query_all("SELECT record_id FROM outbox ORDER BY seq", [], |r| {
                r.get(0)
            })
            .unwrap();
        let rejected = crate::records::Rejected {
            seq: 5,
            record_id: ids[4].clone(),
            reason: "not a record the hub reads".into(),
        };
        // The hub took 1, 2 and 4 and rejected 5; 3 and 6 are still to send.
        s.confirm_sent(&[1, 2, 4], std::slice::from_ref(&rejected))
            .unwrap();
        let left: Vec<(i64, bool)> = s
            .unconfirmed()
            .unwrap()
            .into_iter()
            .map(|u| (u.seq, u.rejected))
            .collect();
        assert_eq!(left, vec![(3, false), (5, true), (6, false)]);
        assert_eq!(s.rejected_count().unwrap(), 1);
        assert_eq!(s.not_uploaded().unwrap(), 2);
        let sent: Vec<i64> = s
            .outbox_unconfirmed(10)
            .unwrap()
            .iter()
            .map(|r| r.seq)
            .collect();
        assert_eq!(sent, vec![3, 6]);
        // Confirming again changes nothing, and never a rejected record.
        s.confirm_sent(&[1, 5], &[]).unwrap();
        assert_eq!(s.rejected_count().unwrap(), 1);
        assert_eq!(s.unconfirmed().unwrap().len(), 3);
        for sql in [outbox::UNCONFIRMED, outbox::REJECTED_COUNT] {
            let plan: Vec<String> = s
                .query_all(&format!("EXPLAIN QUERY PLAN {sql}"), [], |r| r.get(3))
                .unwrap();
            assert!(
                plan.iter()
                    .filter(|p| p.starts_with("SCAN outbox"))
                    .all(|p| p.contains("USING INDEX")),
                "{sql}: {plan:?}"
            );
        }
    }
}
