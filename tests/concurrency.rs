//! Everything at once on one kiosk database: claims being committed while
//! `cekiosk sync` and `cekiosk status` run against the same file, for a
//! while. No "database is locked" may reach anyone, and nothing is lost.
//! CEKIOSK_SOAK_SECS sets how long (default 20 s; a documented long run is
//! a few minutes).

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cekiosk::domain::CodeSet;
use cekiosk::domain::ids::OsRandom;
use cekiosk::store::{CreditChoices, NewVisit, Store};
use common::{Hub, KioskDb, cluster, db_name};

#[test]
fn claims_sync_and_status_together_never_lock_anyone_out() {
    let secs: u64 = std::env::var("CEKIOSK_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let pg = cluster();
    let name = db_name("soak");
    let hub = Hub::start(&pg.database(&name));
    let k = KioskDb::new();
    let db = k.db();
    // The pairs to claim: every attendee, each of a few ended sessions.
    let badges = k.badges();
    let sessions = ["S008", "S015", "S002", "S009"];
    let stop = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(AtomicUsize::new(0));
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();

    // The kiosk: visits committed one after another, as at the screen.
    let writer = {
        let (db, stop, committed, failures) = (
            db.clone(),
            stop.clone(),
            committed.clone(),
            failures.clone(),
        );
        std::thread::spawn(move || {
            let mut store = Store::open(&db).unwrap();
            let device = store.device_id(&mut OsRandom).unwrap();
            'outer: for s in sessions {
                for b in &badges {
                    if stop.load(Ordering::Relaxed) {
                        break 'outer;
                    }
                    let q = if s == "S002" {
                        5
                    } else if s == "S009" {
                        6
                    } else {
                        4
                    };
                    let r = store.commit_visit(
                        &NewVisit {
                            badge_id: b.clone(),
                            kiosk_id: "K01".into(),
                            device_id: device.clone(),
                            profile: CreditChoices {
                                codes: CodeSet::parse_list("AMA").unwrap(),
                                ..CreditChoices::default()
                            },
                            claims: vec![(s.to_string(), q)],
                            answers: vec![("fair".into(), "Yes".into())],
                            summary: None,
                            language: None,
                            mail_declined: false,
                        },
                        &mut OsRandom,
                    );
                    match r {
                        Ok(_) => {
                            committed.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => failures.lock().unwrap().push(format!("commit: {e}")),
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        })
    };
    // Staff and cron: sync and status, over and over, as separate processes.
    let runner = |args: Vec<String>| {
        let (stop, failures, k_db) = (stop.clone(), failures.clone(), db.clone());
        let hub_url = hub.url.clone();
        std::thread::spawn(move || {
            let mut runs = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut cmd = std::process::Command::new(common::bin());
                cmd.arg("--config")
                    .arg(common::config_dir())
                    .arg("--db")
                    .arg(&k_db);
                cmd.env("CEKIOSK_SYNC_TOKEN", common::TOKEN);
                for a in &args {
                    cmd.arg(a.replace("HUB", &hub_url));
                }
                let out = cmd.output().unwrap();
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                if !out.status.success() || text.contains("locked") {
                    failures.lock().unwrap().push(format!("{args:?}: {text}"));
                }
                runs += 1;
            }
            runs
        })
    };
    let syncs = runner(vec!["sync".into(), "--hub".into(), "HUB".into()]);
    let statuses = runner(vec!["status".into(), "--json".into()]);
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline && !writer.is_finished() {
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let (sync_runs, status_runs) = (syncs.join().unwrap(), statuses.join().unwrap());
    let failures = failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "{} failures, first: {}",
        failures.len(),
        failures[0]
    );
    // One last sync: everything the kiosk recorded is at the hub, once.
    let out = k.sync(&hub.url, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = committed.load(Ordering::Relaxed);
    let outbox: i64 = k
        .sqlite()
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .unwrap();
    let claims: i64 = k
        .sqlite()
        .query_row(
            "SELECT count(*) FROM claims WHERE device_id != ''",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        claims as usize, n,
        "every committed claim is in the kiosk database"
    );
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        outbox.to_string()
    );
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM claims"),
        n.to_string()
    );
    println!(
        "concurrency: {secs} s, {n} visits committed, {sync_runs} syncs and {status_runs} status runs beside them, 0 locked, 0 lost"
    );
    assert!(
        n > 50 && sync_runs > 3 && status_runs > 10,
        "too little happened to prove anything"
    );
}
