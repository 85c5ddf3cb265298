//! The sync bench's kiosks: one database per kiosk, built in process
//! through `Store::commit_visit` on a few threads (every visit's claims on
//! sessions no other visit of the attendee claims, so the hub flags no
//! duplicates), counted before anything is timed; and their outbox rows
//! as CSV, for the COPY floor.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use cekiosk::config::Config;
use cekiosk::domain::ids::OsRandom;
use cekiosk::records::{AttendeeRow, SessionRow};
use cekiosk::store::{CreditChoices, NewVisit, Store};

pub const CLAIMS_PER_VISIT: usize = 5;
/// Threads building kiosk databases: each commit fsyncs, so more than cores.
pub const BUILDERS: usize = 4;

/// One kiosk database, built and counted before anything is timed.
pub struct Kiosk {
    pub kiosk_id: String,
    pub device_id: String,
    pub db: PathBuf,
    pub records: usize,
    /// The newest outbox sequence number: the hub's high_seq once all is in.
    pub high_seq: i64,
    pub claims: usize,
    pub kinds: BTreeMap<String, usize>,
}

/// `cekiosk sync` of one kiosk database against the hub, signed in with
/// the fleet's token as `kiosk_id`, reading nothing from stdin; the
/// caller says where its output goes.
pub fn sync_command(config_dir: &Path, db: &Path, kiosk_id: &str, hub: &str) -> Command {
    let mut c = Command::new(crate::common::bin());
    c.arg("--config")
        .arg(config_dir)
        .arg("--db")
        .arg(db)
        .args(["sync", "--hub", hub])
        .env("CEKIOSK_SYNC_TOKEN", crate::common::TOKEN)
        .env("CEKIOSK_KIOSK_ID", kiosk_id)
        .stdin(Stdio::null());
    c
}

/// A complete evaluation, as a visit's answers.
pub fn answers() -> Vec<(String, String)> {
    [
        ("objective", "Agree"),
        ("relevant", "Strongly agree"),
        ("change", "Yes"),
        ("change_what", "Check renal function before dosing"),
        ("fair", "Yes"),
    ]
    .map(|(q, a)| (q.to_string(), a.to_string()))
    .to_vec()
}

/// Builds `kiosks` kiosk databases of `visits_each` visits on a few
/// threads.
pub fn build_kiosks(
    config_dir: &Path,
    dir: &Path,
    kiosks: usize,
    visits_each: usize,
) -> Vec<Kiosk> {
    let config = Config::load(config_dir).expect("loading the demo config");
    let attendees = cekiosk::import::read_attendees(&config_dir.join("attendees.csv"))
        .expect("reading the demo roster");
    let sessions: Vec<SessionRow> =
        cekiosk::import::read_sessions(&config_dir.join("sessions.csv"), &config)
            .expect("reading the demo catalog")
            .into_iter()
            .filter(|s| s.credits > 0)
            .collect();
    // Visit g goes to attendee g % A, whose t-th visit (t = g / A) claims
    // sessions 5t..5t+4: every (badge, session) pair is distinct across all
    // kiosks, so the hub flags no duplicates.
    let visits = kiosks * visits_each;
    assert!(
        visits.div_ceil(attendees.len()) * CLAIMS_PER_VISIT <= sessions.len(),
        "the demo roster and catalog are too small for distinct claims"
    );
    let next = AtomicUsize::new(0);
    let mut built: Vec<Kiosk> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..BUILDERS.min(kiosks))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= kiosks {
                            break mine;
                        }
                        mine.push(build_kiosk(
                            &config,
                            &attendees,
                            &sessions,
                            dir,
                            k,
                            visits_each,
                        ));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a builder thread"))
            .collect()
    });
    built.sort_by(|a, b| a.kiosk_id.cmp(&b.kiosk_id));
    built
}

pub fn build_kiosk(
    config: &Config,
    attendees: &[AttendeeRow],
    sessions: &[SessionRow],
    dir: &Path,
    k: usize,
    visits: usize,
) -> Kiosk {
    let kiosk_id = format!("K{:02}", k + 1);
    let db = dir.join(format!("kiosk-{:02}.db", k + 1));
    let mut store = Store::open(&db).expect("opening a kiosk database");
    cekiosk::cli::first_run_import(config, &mut store).expect("importing the demo files");
    let device_id = store.device_id(&mut OsRandom).expect("a device id");
    for v in 0..visits {
        let g = k * visits + v;
        let a = &attendees[g % attendees.len()];
        let t = g / attendees.len();
        let claims = (0..CLAIMS_PER_VISIT)
            .map(|c| {
                let s = &sessions[t * CLAIMS_PER_VISIT + c];
                (s.session_id.clone(), s.credits)
            })
            .collect();
        let visit = NewVisit {
            badge_id: a.badge_id.clone(),
            kiosk_id: kiosk_id.clone(),
            device_id: device_id.clone(),
            profile: CreditChoices {
                codes: config.codes_for(a.profession),
                ..CreditChoices::default()
            },
            claims,
            answers: answers(),
            summary: None,
            language: None,
            mail_declined: false,
        };
        store
            .commit_visit(&visit, &mut OsRandom)
            .unwrap_or_else(|e| panic!("{kiosk_id}: visit {v}: {e}"));
    }
    drop(store);
    let c = rusqlite::Connection::open(&db).expect("opening a kiosk database");
    let mut kinds = BTreeMap::new();
    let mut stmt = c
        .prepare("SELECT kind, count(*) FROM outbox GROUP BY kind")
        .expect("preparing");
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("counting the outbox");
    for row in rows {
        let (kind, n) = row.expect("a count");
        kinds.insert(kind, n as usize);
    }
    let claims: i64 = c
        .query_row("SELECT count(*) FROM claims", [], |r| r.get(0))
        .expect("counting claims");
    let high_seq: i64 = c
        .query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))
        .expect("reading the newest sequence number");
    Kiosk {
        kiosk_id,
        device_id,
        db,
        records: kinds.values().sum(),
        high_seq,
        claims: claims as usize,
        kinds,
    }
}

/// Writes every kiosk's outbox rows as CSV for COPY, as the hub stores
/// them: with the device and the attendee the record is about.
pub fn write_csv(kiosks: &[Kiosk], records: &Path) -> usize {
    let mut rw = csv::Writer::from_path(records).expect("creating records.csv");
    let n = kiosks
        .iter()
        .map(|k| write_outbox_csv(&mut rw, &k.db, &k.device_id, 0))
        .sum();
    rw.flush().expect("writing records.csv");
    n
}

/// Writes one kiosk database's outbox rows above `after_seq` to `rw`, as
/// the hub stores them; returns how many.
pub fn write_outbox_csv<W: std::io::Write>(
    rw: &mut csv::Writer<W>,
    db: &Path,
    device_id: &str,
    after_seq: i64,
) -> usize {
    let c = rusqlite::Connection::open(db).expect("opening a kiosk database");
    let mut stmt = c
        .prepare(
            "SELECT seq, kind, record_id, payload, created_at, payload ->> 'badge_id'
             FROM outbox WHERE seq > ?1 ORDER BY seq",
        )
        .expect("preparing");
    let mut rows = stmt.query([after_seq]).expect("reading the outbox");
    let mut n = 0;
    while let Some(r) = rows.next().expect("a row") {
        let seq: i64 = r.get(0).expect("seq");
        let cols: [String; 4] = [1, 2, 3, 4].map(|i| r.get(i).expect("a column"));
        let badge: Option<String> = r.get(5).expect("badge_id");
        rw.write_record([
            device_id,
            &seq.to_string(),
            &cols[0],
            &cols[1],
            &cols[2],
            &cols[3],
            badge.as_deref().unwrap_or(""),
        ])
        .expect("writing records.csv");
        n += 1;
    }
    n
}
