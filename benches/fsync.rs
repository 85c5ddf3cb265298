//! The fsync cost per claim, as measured.
//!
//! The store runs SQLite in WAL mode with `synchronous=FULL`
//! (`Store::configure`). Why FULL: in WAL mode a commit appends the
//! transaction's pages to the `-wal` file. With `synchronous=FULL` SQLite
//! fsyncs the WAL at every commit, before `COMMIT` returns, so once the
//! kiosk has drawn the QR code the claim is on the disk and survives a power
//! cut. With `synchronous=NORMAL` (the usual WAL setting) the WAL is synced
//! only at checkpoints: the database stays consistent after a power cut,
//! but the last transactions before it (the claim whose QR the attendee just
//! photographed) can be rolled back. `OFF` never syncs. So FULL costs one
//! fsync per commit, paid while the attendee waits for the Certificate
//! screen; this bench says how much that is.
//!
//! It measures, on a database in a temporary directory on the real disk
//! (Cargo's target tmp dir, not /tmp, which may be a tmpfs):
//!
//! 1. `Store::commit_visit` as the kiosk calls it: N = 300 visits of 3
//!    claims each (distinct badge/session pairs, each a first visit with
//!    the evaluation's answers), on the demo roster and catalog; p50/p99;
//! 2. the raw cost of an fsync on that filesystem: write 4 KiB, then
//!    `File::sync_all`, 300 times;
//! 3. the same-shaped transaction (as many rows into a table of our own as
//!    one visit writes, in one `BEGIN IMMEDIATE … COMMIT`, WAL) with
//!    `synchronous=FULL`, `NORMAL` and `OFF`.
//!
//! All three are interleaved, a round of each at a time, so drift in the
//! disk's speed (a VM's disk is shared) hits them alike. FULL − OFF is
//! what the fsync adds to each commit. (The store's own connection cannot
//! be switched to OFF from outside, so the comparison is made on the same
//! shape.)
//!
//! One line to grep:
//!
//! ```text
//! fsync: commit_visit p50 X ms p99 Y ms (synchronous=FULL, WAL); raw fsync p50 Z ms; same-shaped transaction FULL vs OFF: A vs B ms → fsync cost per claim ≈ A−B ms
//! ```
//!
//! "Per claim" is per committed visit: one fsync covers the visit's three
//! claims and everything else it writes.
//!
//! `cargo bench --bench fsync` runs it. Run without `--bench` (as `cargo
//! test --benches` does) it only checks, on 10 visits, that every part works.

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use cekiosk::config::Config;
use cekiosk::domain::CodeSet;
use cekiosk::domain::ids::OsRandom;
use cekiosk::store::{CreditChoices, NewVisit, Store};
use rusqlite::{Connection, params};

const VISITS: usize = 300;
const CLAIMS_PER_VISIT: usize = 3;
const FSYNCS: usize = 300;

fn config_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (visits, fsyncs) = if full { (VISITS, FSYNCS) } else { (10, 10) };

    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("creating a temporary directory under the target directory");
    println!(
        "fsync: databases in {} ({})",
        dir.path().display(),
        filesystem_of(dir.path())
    );

    // 1. The store as configured.
    let config = Config::load(&config_dir()).expect("loading the demo config");
    let mut store = Store::open(&dir.path().join("k.db")).expect("opening the store");
    let attendees = cekiosk::import::read_attendees(&config_dir().join("attendees.csv"))
        .expect("reading the demo roster");
    let sessions = cekiosk::import::read_sessions(&config_dir().join("sessions.csv"), &config)
        .expect("reading the demo catalog");
    store
        .upsert_attendees(&attendees, &mut |_| {})
        .expect("importing the roster");
    store
        .upsert_sessions(&sessions)
        .expect("importing the catalog");
    let sessions: Vec<_> = sessions.into_iter().filter(|s| s.credits > 0).collect();
    assert!(
        attendees.len() * (sessions.len() / CLAIMS_PER_VISIT) >= visits,
        "the demo roster and catalog are too small for {visits} distinct visits"
    );
    // A first visit also commits the evaluation: every question answered.
    let answers: Vec<(String, String)> = config
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.clone(), format!("answer {i}")))
        .collect();
    let device_id = store.device_id(&mut OsRandom).unwrap();
    let visit = |i: usize| {
        // Visit i: attendee i mod A, sessions of block i div A; every
        // badge/session pair distinct.
        let a = &attendees[i % attendees.len()];
        let block = (i / attendees.len()) * CLAIMS_PER_VISIT;
        NewVisit {
            badge_id: a.badge_id.clone(),
            kiosk_id: "K01".into(),
            device_id: device_id.clone(),
            profile: CreditChoices {
                codes: CodeSet::parse_list("AMA").unwrap(),
                ..CreditChoices::default()
            },
            claims: (0..CLAIMS_PER_VISIT)
                .map(|j| {
                    let s = &sessions[(block + j) % sessions.len()];
                    (s.session_id.clone(), s.credits)
                })
                .collect(),
            answers: answers.clone(),
            summary: None,
            language: None,
            mail_declined: false,
        }
    };
    // Rows one visit writes: visit, profile, claims, answers, certificate,
    // and outbox rows for the profile, each claim, the evaluation and the
    // certificate.
    let rows_per_visit =
        1 + 1 + CLAIMS_PER_VISIT + answers.len() + 1 + (1 + CLAIMS_PER_VISIT + 1 + 1);
    // 2. and 3.: a file for raw fsyncs and the same-shaped databases.
    let mut raw = std::fs::File::create(dir.path().join("raw")).unwrap();
    let block = [0x5Au8; 4096];
    let modes = ["FULL", "NORMAL", "OFF"];
    let conns: Vec<Connection> = modes
        .iter()
        .map(|m| shaped_db(&dir.path().join(format!("shape-{m}.db")), m))
        .collect();

    // Interleaved, one of each per round, so a busy moment of the disk (a
    // VM's disk is shared) falls on all of them alike.
    let mut commit_times = Vec::with_capacity(visits);
    let mut fsync_times = Vec::with_capacity(fsyncs);
    let mut shaped: Vec<Vec<Duration>> = vec![Vec::with_capacity(visits); modes.len()];
    for i in 0..visits.max(fsyncs) {
        if i < visits {
            let v = visit(i);
            let start = Instant::now();
            store
                .commit_visit(&v, &mut OsRandom)
                .unwrap_or_else(|e| panic!("visit {i} ({}): {e}", v.badge_id));
            commit_times.push(start.elapsed());
            for (c, times) in conns.iter().zip(shaped.iter_mut()) {
                let start = Instant::now();
                shaped_transaction(c, i, rows_per_visit);
                times.push(start.elapsed());
            }
        }
        if i < fsyncs {
            raw.write_all(&block).unwrap();
            let start = Instant::now();
            raw.sync_all().unwrap();
            fsync_times.push(start.elapsed());
        }
    }
    let counts = store.counts().unwrap();
    assert_eq!(counts.claims, (visits * CLAIMS_PER_VISIT) as i64);
    assert_eq!(counts.certificates, visits as i64);
    for (c, m) in conns.iter().zip(modes) {
        let n: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, (visits * rows_per_visit) as i64, "rows in the {m} table");
    }

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (c50, c99) = (pct(&commit_times, 50.0), pct(&commit_times, 99.0));
    let f50 = pct(&fsync_times, 50.0);
    let [full50, normal50, off50] = [0, 1, 2].map(|i| pct(&shaped[i], 50.0));
    println!(
        "fsync: {visits} commit_visit of {CLAIMS_PER_VISIT} claims ({rows_per_visit} rows each): \
         mean {:.3} ms, max {:.3} ms; raw fsync p99 {:.3} ms",
        ms(mean(&commit_times)),
        ms(*commit_times.iter().max().unwrap()),
        ms(pct(&fsync_times, 99.0)),
    );
    for (m, times) in modes.iter().zip(&shaped) {
        println!(
            "fsync: same-shaped transaction, synchronous={m}: p50 {:.3} ms, p99 {:.3} ms, mean {:.3} ms",
            ms(pct(times, 50.0)),
            ms(pct(times, 99.0)),
            ms(mean(times)),
        );
    }
    println!(
        "fsync: commit_visit p50 {:.3} ms p99 {:.3} ms (synchronous=FULL, WAL); raw fsync p50 {:.3} ms; \
         same-shaped transaction FULL vs OFF: {:.3} vs {:.3} ms → fsync cost per claim ≈ {:.3} ms \
         (NORMAL {:.3} ms)",
        ms(c50),
        ms(c99),
        ms(f50),
        ms(full50),
        ms(off50),
        ms(full50) - ms(off50),
        ms(normal50),
    );
}

/// A database of our own in WAL mode with the given `synchronous`, and one
/// table shaped like the store's rows (a text key, a badge, a payload) with
/// an index, as `claims` has.
fn shaped_db(path: &Path, synchronous: &str) -> Connection {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", synchronous).unwrap();
    let got: i64 = c
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    let want = match synchronous {
        "OFF" => 0,
        "NORMAL" => 1,
        "FULL" => 2,
        other => panic!("synchronous={other}?"),
    };
    assert_eq!(got, want, "synchronous={synchronous} did not take");
    c.execute_batch(
        "CREATE TABLE t (
             id      TEXT PRIMARY KEY,
             badge   TEXT NOT NULL,
             payload TEXT NOT NULL
         );
         CREATE INDEX t_by_badge ON t(badge);",
    )
    .unwrap();
    c
}

/// One visit's worth of rows in one transaction.
fn shaped_transaction(c: &Connection, visit: usize, rows: usize) {
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    {
        let mut stmt = c
            .prepare_cached("INSERT INTO t(id, badge, payload) VALUES (?1, ?2, ?3)")
            .unwrap();
        for r in 0..rows {
            stmt.execute(params![
                format!("{visit:06}-{r:03}-xxxxxxxxxxxx"),
                format!("A{:07}", visit),
                format!(
                    "{{\"visit\":{visit},\"row\":{r},\"at\":\"2026-11-25T12:00:00Z\",\"kiosk_id\":\"K01\"}}"
                ),
            ])
            .unwrap();
        }
    }
    c.execute_batch("COMMIT").unwrap();
}

fn pct(times: &[Duration], p: f64) -> Duration {
    let mut v = times.to_vec();
    v.sort();
    let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[i.min(v.len() - 1)]
}

fn mean(times: &[Duration]) -> Duration {
    times.iter().sum::<Duration>() / times.len() as u32
}

/// The filesystem type and device holding `path`, from /proc/mounts (the
/// longest mount point that contains it); "unknown" elsewhere.
fn filesystem_of(path: &Path) -> String {
    let Ok(path) = path.canonicalize() else {
        return "unknown".into();
    };
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (dev, at, fs) = (f.next()?, f.next()?, f.next()?);
            path.starts_with(at)
                .then(|| (at.len(), format!("{fs} on {dev}")))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "unknown".into(), |(_, s)| s)
}
