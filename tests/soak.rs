//! The soak: kiosks record visits and sync with two hub processes on one
//! database while, every few seconds (the long run: minutes), one of the
//! hub processes is killed and started again, and PostgreSQL itself is
//! restarted once half-way. Syncs that meet a dead hub or a restarting
//! database fail and are simply tried again later, as a kiosk's uploader
//! does. At the end every kiosk record is at the hub exactly once, as the
//! kiosk wrote it, and every certificate is served by every hub process.
//!
//! The short run is part of the normal suite (well under a minute). The
//! long one keeps ten kiosks recording a visit every two seconds each for
//! `SOAK_MINUTES` (default 30), with a hub killed every
//! `SOAK_KILL_SECONDS` (default 180):
//!
//! ```sh
//! cargo test --release --test soak -- --ignored --nocapture
//! SOAK_MINUTES=120 cargo test --release --test soak -- --ignored --nocapture
//! ```

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cekiosk::domain::CodeSet;
use cekiosk::store::CreditChoices;
use common::{Hub, KioskDb, cluster, db_name, get, visit_as};

struct Soak {
    kiosks: usize,
    length: Duration,
    kill_every: Duration,
    /// Pause between one kiosk's sync rounds.
    pace: Duration,
}

#[test]
fn soak_short() {
    soak(Soak {
        kiosks: 3,
        length: Duration::from_secs(20),
        kill_every: Duration::from_secs(4),
        pace: Duration::from_millis(150),
    });
}

#[test]
#[ignore = "long: run it with --ignored (see the module's documentation)"]
fn soak_long() {
    let var = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    soak(Soak {
        kiosks: 10,
        length: Duration::from_secs(60 * var("SOAK_MINUTES", 30)),
        kill_every: Duration::from_secs(var("SOAK_KILL_SECONDS", 180)),
        pace: Duration::from_secs(2),
    });
}

fn soak(s: Soak) {
    let pg = cluster();
    let name = db_name("soak");
    let url = pg.database(&name);
    let hubs: Mutex<Vec<Hub>> = Mutex::new(vec![Hub::start(&url), Hub::start(&url)]);
    let urls = || -> Vec<String> { hubs.lock().unwrap().iter().map(|h| h.url.clone()).collect() };
    let kiosks: Vec<KioskDb> = (0..s.kiosks).map(|_| KioskDb::new()).collect();
    let badges = kiosks[0].badges();
    let sessions: Vec<String> = kiosks[0]
        .credit_sessions()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let stop = AtomicBool::new(false);
    let start = Instant::now();
    let (certs, failed_syncs, kills) = std::thread::scope(|sc| {
        let workers: Vec<_> = kiosks
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let (stop, urls, badges, sessions) = (&stop, &urls, &badges, &sessions);
                sc.spawn(move || {
                    let mut certs = Vec::new();
                    let mut failed = 0;
                    let mut round = 0;
                    while !stop.load(Ordering::Relaxed) {
                        // Each attendee claims each session at most once:
                        // kiosk i takes attendees i, i + kiosks, …
                        let badge = &badges[(i + round * s.kiosks) % badges.len()];
                        let session = &sessions[round % sessions.len()];
                        let profile = CreditChoices {
                            codes: CodeSet::parse_list("AMA").unwrap(),
                            ..CreditChoices::default()
                        };
                        certs.push(visit_as(k, badge, profile, &[(session, 1)]));
                        let hubs = urls();
                        if !k
                            .sync(&hubs[(i + round) % hubs.len()], &[])
                            .status
                            .success()
                        {
                            failed += 1;
                        }
                        round += 1;
                        std::thread::sleep(s.pace);
                    }
                    (certs, failed)
                })
            })
            .collect();
        // The faults: a hub killed and started again every `kill_every`,
        // PostgreSQL restarted once, half-way.
        let mut kills = 0;
        let mut restarted_pg = false;
        while start.elapsed() < s.length {
            std::thread::sleep(s.kill_every.min(s.length.saturating_sub(start.elapsed())));
            if !restarted_pg && start.elapsed() >= s.length / 2 {
                pg.restart();
                restarted_pg = true;
            }
            let mut h = hubs.lock().unwrap();
            let victim = kills % h.len();
            h[victim].kill();
            h[victim] = Hub::start(&url);
            kills += 1;
        }
        assert!(
            restarted_pg,
            "the soak ended before PostgreSQL was restarted"
        );
        stop.store(true, Ordering::Relaxed);
        let mut certs = Vec::new();
        let mut failed = 0;
        for w in workers {
            let (c, f) = w.join().unwrap();
            certs.extend(c);
            failed += f;
        }
        (certs, failed, kills)
    });

    // Every kiosk finishes its upload once the faults are over.
    let urls = urls();
    for k in &kiosks {
        common::ok(&k.sync(&urls[0], &[]));
    }
    let total: usize = kiosks.iter().map(|k| k.assert_at_hub_once(&name)).sum();
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        total.to_string(),
        "the hub holds nothing but the kiosks' records"
    );
    for cert in &certs {
        for u in &urls {
            let (status, page) = get(&format!("{u}/c/{cert}"));
            assert_eq!(status, 200, "{u} does not serve {cert}");
            assert!(page.contains(cert.as_str()), "{u}: the page for {cert}");
        }
    }
    println!(
        "soak: {} s, {} kiosks, {} visits, {total} records at the hub once each; {kills} hub kills, PostgreSQL restarted once, {failed_syncs} syncs failed and were tried again",
        start.elapsed().as_secs(),
        s.kiosks,
        certs.len()
    );
}
