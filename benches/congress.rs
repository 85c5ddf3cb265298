//! The model meeting's whole week on one hub: 38,000 attendees, 300
//! sessions over five days, 100 kiosks, about 60,000 visits (attendees
//! coming back at other kiosks, walk-ins, voids), replayed against a
//! throwaway PostgreSQL cluster and the real hub binary (tests/common).
//!
//! `cargo bench --bench congress`:
//!
//! 1. generates the roster and catalog into a temporary config folder (the
//!    demo's `event.toml` beside them), starts the hub on it, and makes 100
//!    kiosk databases from one that imported the files and synced once;
//! 2. replays days 1 to 4 in `SLOTS` steps a day: at each step every kiosk
//!    commits that step's visits (through `Store::commit_visit`, as the
//!    kiosk does) and then syncs (the library's sync round, as the kiosk's
//!    uploader does, several at once); kiosk K001 is offline all of day 2
//!    and catches up at the start of day 3; a feed reader that uploads
//!    nothing reads what a kiosk receives each day;
//! 3. day 5: no kiosk syncs during the day; at its end all 100 upload at
//!    once (the upload half of a sync), timed until the hub holds every
//!    record (a psql session polls), beside PostgreSQL's COPY of the same
//!    rows into a bare table shaped like `records` (the floor); then all
//!    100 take in the others' records (the download half), timed apart;
//! 4. the certificate page under 100 concurrent clients with `wrk`, over
//!    the week's certificates, beside `/healthz` (constant bytes) under the
//!    same load (the floor);
//! 5. each report on the full week, beside PostgreSQL reading every record
//!    once (`COPY (SELECT * FROM records) TO STDOUT`, the floor);
//! 6. growth: the week's database copied and cut or grown (its records
//!    repeated under other device ids) to each record count of
//!    `CONGRESS_SCALES` (default `64000,512000,2000000`), where one probe
//!    kiosk's upload, the reports and the certificate page are timed again.
//!
//! Every figure is one line starting `congress:`, with its floor and
//! target. Run without `--bench` (as `cargo test --benches` does) it is a
//! smoke check of every step on a few kiosks, seconds long.

#[path = "common/burst.rs"]
mod burst;
#[path = "../tests/common/mod.rs"]
mod common;
#[path = "common/figures.rs"]
mod figures;
#[path = "common/fleet.rs"]
mod fleet;
#[path = "common/kiosk_data.rs"]
mod kiosk_data;
#[path = "common/psql.rs"]
mod psql;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cekiosk::config::Config;
use cekiosk::domain::Profession;
use cekiosk::domain::ids::OsRandom;
use cekiosk::records::AttendeeRow;
use cekiosk::store::{CreditChoices, NewVisit, Store};
use cekiosk::sync::client::{self as sync, HubClient, Report, Retry};
use cekiosk::sync::protocol::Cursor;
use figures::{list, loadavg, max_of, median, secs, verdict};
use psql::{RECORDS_FLOOR, Watch, psql_copy, psql_timed};

const DAYS: usize = 5;
/// Day 5's upload against COPY into the hub's own tables, and into a
/// bare table; how far apart the bursts may be.
const TARGET_UPLOAD_RATIO: f64 = 2.0;
const TARGET_BARE_RATIO: f64 = 4.0;
const TARGET_SPREAD: f64 = 0.25;
/// Bursts of day 5's uploads timed, each from the same start.
const BURSTS: usize = 3;
const TARGET_CATCH_UP_S: f64 = 2.0;
const TARGET_P99_MS: f64 = 50.0;
const TARGET_REPORT_S: f64 = 3.0;
const REPORTS: [&str; 7] = [
    "credits.csv",
    "cpe-monitor.csv",
    "pars.tsv",
    "pars.xlsx",
    "deadlines.csv",
    "pars.csv",
    "held.csv",
];
/// Kiosks syncing at the same moment in the replay (each sync is mostly
/// waiting on the hub).
const SYNCERS: usize = 8;

struct Scale {
    attendees: usize,
    sessions: usize,
    kiosks: usize,
    visits: usize,
    /// Sync steps a day (a day's visits are spread over them).
    slots: usize,
    /// How long wrk loads each route.
    wrk_secs: u32,
    /// Visits of the growth figures' probe kiosk.
    probe_visits: usize,
    growth: Vec<usize>,
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let scale = if full {
        Scale {
            attendees: 38_000,
            sessions: 300,
            kiosks: 100,
            visits: 60_000,
            slots: 16,
            wrk_secs: 10,
            probe_visits: 600,
            growth: std::env::var("CONGRESS_SCALES")
                .unwrap_or_else(|_| "64000,512000,2000000".into())
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| {
                    s.trim()
                        .parse()
                        .expect("CONGRESS_SCALES: record counts, comma-separated")
                })
                .collect(),
        }
    } else {
        Scale {
            attendees: 600,
            sessions: 40,
            kiosks: 4,
            visits: 200,
            slots: 2,
            wrk_secs: 1,
            probe_visits: 20,
            // One cut and one grown copy of the week.
            growth: vec![500, 3000],
        }
    };
    println!("congress: machine load at the start {}", loadavg());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut week = Week::set_up(&scale, dir.path());
    let mut run = week.replay(&scale);
    run.end_of_week_upload(&mut week);
    run.check_every_record_once(&week);
    // CONGRESS_ONLY_UPLOAD=1: the week and its day-5 upload, nothing after.
    if std::env::var_os("CONGRESS_ONLY_UPLOAD").is_some() {
        return;
    }
    run.certificate_page(&week, &scale);
    run.reports(&week);
    run.growth(&mut week, &scale);
    if !full {
        println!(
            "congress smoke test: {} kiosks, {} visits, every step ran (run `cargo bench --bench congress` to time them)",
            scale.kiosks, scale.visits
        );
    }
}

/// What is set up before the week: the event's files, the hub, the kiosks.
struct Week {
    config_dir: PathBuf,
    config: Config,
    dir: PathBuf,
    cluster: &'static common::Cluster,
    db: String,
    hub: common::Hub,
    template: PathBuf,
    kiosks: Vec<Kiosk>,
    /// Each kiosk's visits, by day and step.
    plan: Vec<Vec<Vec<Planned>>>,
}

struct Kiosk {
    kiosk_id: String,
    device_id: String,
    db: PathBuf,
    store: Mutex<Store>,
}

impl Kiosk {
    fn ids(&self) -> (&str, &str) {
        (&self.kiosk_id, &self.device_id)
    }

    /// The newest sequence number this kiosk wrote: the hub's high-water
    /// mark for it once all is uploaded.
    fn newest_seq(&self) -> i64 {
        let store = self.store.lock().expect("a kiosk");
        store.highest_seq_written().expect("the newest seq")
    }
}

/// One visit the replay commits.
#[derive(Clone)]
struct Planned {
    badge: String,
    profession: Profession,
    claims: Vec<(String, u32)>,
    /// A walk-in, registered at the kiosk first.
    walk_in: bool,
    /// Staff void the visit's first claim.
    void: bool,
}

impl Week {
    fn set_up(scale: &Scale, dir: &Path) -> Week {
        let start = Instant::now();
        let config_dir = dir.join("config");
        std::fs::create_dir_all(&config_dir).expect("a config folder");
        for entry in std::fs::read_dir(common::config_dir()).expect("the demo config") {
            let entry = entry.expect("a config file");
            std::fs::copy(entry.path(), config_dir.join(entry.file_name()))
                .expect("copying the demo config");
        }
        std::fs::create_dir_all(dir.join("generated")).expect("a folder for the generated files");
        let data = kiosk_data::generate(
            &common::config_dir(),
            &dir.join("generated"),
            scale.attendees,
            scale.sessions,
        );
        std::fs::copy(&data.attendees_csv, config_dir.join("attendees.csv")).expect("roster");
        std::fs::copy(&data.sessions_csv, config_dir.join("sessions.csv")).expect("catalog");
        let config = Config::load(&config_dir).expect("the generated config");
        let cluster = common::cluster();
        let db = common::db_name("congress");
        let url = cluster.database(&db);
        // The hub loads the config folder's roster and catalog at start.
        let hub = common::Hub::start_with(&config_dir, &url, "127.0.0.1:0", &[]);

        // One kiosk imports the files and takes the roster feed once; the
        // others are copies of it, each with a device id of its own.
        let template = dir.join("template.db");
        {
            let mut store = Store::open(&template).expect("the template kiosk");
            cekiosk::cli::first_run_import(&config, &mut store).expect("importing the roster");
            let device = store.device_id(&mut OsRandom).expect("a device id");
            sync_once(&mut store, &config, &hub.url, "K000", &device);
        }
        let kiosks = (0..scale.kiosks)
            .map(|k| new_kiosk(&template, dir, &format!("K{:03}", k + 1)))
            .collect();
        let plan = plan(&config, scale);
        let visits: usize = plan.iter().flatten().flatten().count();
        println!(
            "congress: set up {} attendees, {} sessions over {DAYS} days, {} kiosks, {visits} visits planned in {:.1} s",
            scale.attendees,
            scale.sessions,
            scale.kiosks,
            start.elapsed().as_secs_f64()
        );
        Week {
            config_dir,
            config,
            dir: dir.to_path_buf(),
            cluster,
            db,
            hub,
            template,
            kiosks,
            plan,
        }
    }

    fn query(&self, sql: &str) -> String {
        self.cluster.query(&self.db, sql)
    }

    /// Stops the hub; sets its database back to `from` (a snapshot), or
    /// keeps a snapshot of it as `snapshot`; starts the hub again.
    fn restart_hub(&mut self, from: Option<&str>, snapshot: Option<&str>) {
        self.hub.kill();
        if let Some(from) = from {
            self.cluster
                .query("postgres", &format!("DROP DATABASE {}", self.db));
            self.cluster.query(
                "postgres",
                &format!("CREATE DATABASE {} TEMPLATE {from}", self.db),
            );
        }
        if let Some(to) = snapshot {
            self.cluster.query(
                "postgres",
                &format!("CREATE DATABASE {to} TEMPLATE {}", self.db),
            );
        }
        let url = self.hub.database.clone();
        self.hub = common::Hub::start_with(&self.config_dir, &url, "127.0.0.1:0", &[]);
    }

    fn count(&self, sql: &str) -> usize {
        self.query(sql)
            .parse()
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Commits every kiosk's visits of `day`, step `slot`, a few kiosks at
    /// a time.
    fn commit(&self, day: usize, slot: usize) -> usize {
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..fleet::BUILDERS {
                s.spawn(|| {
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(kiosk) = self.kiosks.get(k) else {
                            break;
                        };
                        let mut store = kiosk.store.lock().expect("a kiosk");
                        for v in &self.plan[k][day * self.slots() + slot] {
                            commit_visit(&mut store, &self.config, kiosk, v);
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        done.into_inner()
    }

    /// One sync round of `kiosk` with the week's hub.
    fn sync_kiosk(&self, store: &mut Store, kiosk: &Kiosk) -> cekiosk::sync::client::Report {
        sync_once(
            store,
            &self.config,
            &self.hub.url,
            &kiosk.kiosk_id,
            &kiosk.device_id,
        )
    }

    fn slots(&self) -> usize {
        self.plan.first().map_or(1, |p| p.len() / DAYS)
    }

    /// Syncs the kiosks `which` selects, `SYNCERS` at a time; returns the
    /// records they uploaded.
    fn sync(&self, which: impl Fn(usize) -> bool + Sync) -> usize {
        let next = AtomicUsize::new(0);
        let uploaded = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..SYNCERS {
                s.spawn(|| {
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(kiosk) = self.kiosks.get(k) else {
                            break;
                        };
                        if !which(k) {
                            continue;
                        }
                        let mut store = kiosk.store.lock().expect("a kiosk");
                        let r = self.sync_kiosk(&mut store, kiosk);
                        uploaded.fetch_add(r.uploaded, Ordering::Relaxed);
                    }
                });
            }
        });
        uploaded.into_inner()
    }

    fn replay(&self, scale: &Scale) -> Run {
        let start = Instant::now();
        let mut run = Run::default();
        let mut reader = Cursor::default();
        // The feed reader starts where the kiosks' copies start.
        feed_bytes(&self.hub.url, &mut reader, "feed-reader");
        for day in 0..DAYS - 1 {
            if day == 2 {
                run.catch_up = Some(self.catch_up(&self.kiosks[0]));
            }
            let mut sync_time = Duration::ZERO;
            for slot in 0..scale.slots {
                run.visits += self.commit(day, slot);
                let t = Instant::now();
                run.replay_uploaded += self.sync(|k| !(day == 1 && k == 0));
                sync_time += t.elapsed();
            }
            let fed = feed_bytes(&self.hub.url, &mut reader, "feed-reader");
            println!(
                "congress:   day {}: a kiosk receives at most {} changes, {:.1} MB in all; floor: the records' payloads alone {:.1} MB ({:.2}x); the fleet's {} syncs that day took {:.1} s",
                day + 1,
                fed.changes,
                fed.bytes as f64 / 1e6,
                fed.payload as f64 / 1e6,
                fed.bytes as f64 / fed.payload.max(1) as f64,
                scale.slots * self.kiosks.len(),
                sync_time.as_secs_f64()
            );
        }
        println!(
            "congress: replayed days 1-{} in {:.1} s ({} visits committed, {} records uploaded by kiosks syncing {} times a day)",
            DAYS - 1,
            start.elapsed().as_secs_f64(),
            run.visits,
            run.replay_uploaded,
            scale.slots
        );
        if let Some(c) = &run.catch_up {
            println!(
                "congress: K001 back after a whole day offline: {} changes ({} new to it), {:.1} MB downloaded in {:.2} s (target <= {TARGET_CATCH_UP_S} s): {}; floor: PostgreSQL reading the same rows {:.3} s ({:.1}x)",
                c.changes,
                c.applied,
                c.bytes as f64 / 1e6,
                secs(c.took),
                verdict(secs(c.took) <= TARGET_CATCH_UP_S),
                secs(c.floor),
                secs(c.took) / secs(c.floor).max(1e-6)
            );
            println!(
                "congress: the same pages fetched and parsed alone, nothing applied (just before): {:.2} s",
                secs(c.fetch)
            );
        }
        run
    }

    /// K001's first sync after a day offline: what it downloads (read from
    /// the feed first, as it will), then the sync itself, timed.
    fn catch_up(&self, kiosk: &Kiosk) -> CatchUp {
        let mut store = kiosk.store.lock().expect("a kiosk");
        let from = store.hub_cursor().expect("the kiosk's cursor");
        let mut cursor = from;
        let t = Instant::now();
        let fed = feed_bytes(&self.hub.url, &mut cursor, &kiosk.device_id);
        let fetch = t.elapsed();
        let floor = psql_timed(
            self.cluster.port,
            &self.db,
            &format!(
                "COPY (SELECT payload FROM records WHERE (txid::text::bigint, seq) > ({}, {}) AND device_id <> '{}') TO STDOUT",
                from.txid, from.seq, kiosk.device_id
            ),
            &self.dir,
        );
        let start = Instant::now();
        let r = self.sync_kiosk(&mut store, kiosk);
        let took = start.elapsed();
        CatchUp {
            changes: fed.changes,
            applied: r.downloaded,
            bytes: fed.bytes,
            took,
            fetch,
            floor,
        }
    }
}

#[derive(Default)]
struct Run {
    visits: usize,
    replay_uploaded: usize,
    catch_up: Option<CatchUp>,
}

struct CatchUp {
    /// What the feed handed it, and what it took in as new.
    changes: usize,
    applied: usize,
    bytes: usize,
    took: Duration,
    /// The same pages fetched and parsed alone, nothing applied.
    fetch: Duration,
    floor: Duration,
}

impl Run {
    /// Day 5: every kiosk offline all day, then all upload at once.
    ///
    /// The hub's database is kept as it stands before the uploads, and
    /// each burst starts from it: first `BURSTS` replays (the day's pages,
    /// built beforehand from the kiosks' outboxes, sent straight at the
    /// hub by as many threads), then `BURSTS` of the kiosks' own uploads
    /// (the library's upload half, as the kiosk's uploader runs it, its
    /// outbox read and pages built on the same cores); the last one's
    /// state goes on to the downloads. Each burst prints the hub's account
    /// of its pages (its log), and the figure is the median with the
    /// spread, beside two floors in the same run: COPY of the same rows
    /// into a bare table, and into the hub's own `records` (its indexes
    /// and the triggers that keep the typed tables).
    fn end_of_week_upload(&mut self, week: &mut Week) {
        let slots = week.slots();
        let before: Vec<i64> = week.kiosks.iter().map(Kiosk::newest_seq).collect();
        for slot in 0..slots {
            self.visits += week.commit(DAYS - 1, slot);
        }
        let csv_path = week.dir.join("day5.csv");
        let mut rw = csv::Writer::from_path(&csv_path).expect("day5.csv");
        let rows: usize = week
            .kiosks
            .iter()
            .zip(&before)
            .map(|(k, after)| fleet::write_outbox_csv(&mut rw, &k.db, &k.device_id, *after))
            .sum();
        rw.flush().expect("writing day5.csv");
        let pages: Vec<DayPage> = week
            .kiosks
            .iter()
            .zip(&before)
            .flat_map(|(k, after)| day_pages(week, k, *after))
            .collect();
        let headers: Vec<String> = pages.iter().map(|p| p.kiosk.clone()).collect();
        let pages: Vec<burst::Page> = pages.into_iter().map(|p| p.page).collect();
        let snapshot = format!("{}_day5", week.db);
        week.restart_hub(None, Some(&snapshot));
        let held_before = Watch::new(week.cluster.port, &week.db).high();
        let expected = held_before + rows as i64;
        let watch_until = |week: &Week, start: Instant, ended: &AtomicBool| {
            let mut watch = Watch::new(week.cluster.port, &week.db);
            watch.until(expected, start, ended)
        };

        let mut replays = Vec::new();
        for n in 0..BURSTS {
            week.restart_hub(Some(&snapshot), None);
            let ended = AtomicBool::new(false);
            let cpu = burst::Cpu::now(week.hub.pid());
            let start = Instant::now();
            let (all_in, (answered, failed)) = std::thread::scope(|s| {
                let watcher = s.spawn(|| watch_until(week, start, &ended));
                let sent = burst::send_pages(&week.hub.url, common::TOKEN, &headers, &pages);
                ended.store(true, Ordering::Relaxed);
                (watcher.join().expect("the watch"), sent)
            });
            let cpu = cpu.since(&burst::Cpu::now(week.hub.pid()));
            let all_in = all_in.expect("the hub never held every replayed record");
            assert_eq!(failed, 0, "replayed pages refused");
            println!(
                "congress: day 5 replay {}: {} pages sent at once straight at the hub, all in after {:.2} s (last answer {:.2} s); {cpu}; the hub's account: {}",
                n + 1,
                pages.len(),
                secs(all_in),
                secs(answered),
                burst::breakdown(&burst::read_hub_log(&week.hub.log))
            );
            replays.push(all_in);
        }

        let mut lives = Vec::new();
        let mut last_reports = Vec::new();
        for n in 0..BURSTS {
            week.restart_hub(Some(&snapshot), None);
            for (k, after) in week.kiosks.iter().zip(&before) {
                let c = rusqlite::Connection::open(&k.db).expect("a kiosk database");
                c.execute(
                    "UPDATE outbox SET uploaded_at = NULL, rejected = NULL WHERE seq > ?1",
                    [after],
                )
                .expect("the day's records not yet uploaded again");
            }
            let ended = AtomicBool::new(false);
            let cpu = burst::Cpu::now(week.hub.pid());
            let start = Instant::now();
            let mut last_done = Duration::ZERO;
            let (all_in, reports) = std::thread::scope(|s| {
                let watcher = s.spawn(|| watch_until(week, start, &ended));
                let uploads: Vec<_> = week
                    .kiosks
                    .iter()
                    .map(|k| {
                        s.spawn(|| {
                            let mut store = k.store.lock().expect("a kiosk");
                            let r =
                                sync_half(&mut store, &week.config, &week.hub.url, k.ids(), None);
                            (r, start.elapsed())
                        })
                    })
                    .collect();
                let (reports, done): (Vec<Report>, Vec<Duration>) = uploads
                    .into_iter()
                    .map(|h| h.join().expect("an upload"))
                    .unzip();
                last_done = max_of(&done);
                ended.store(true, Ordering::Relaxed);
                (watcher.join().expect("the watch"), reports)
            });
            let cpu = cpu.since(&burst::Cpu::now(week.hub.pid()));
            let all_in = all_in.expect("the hub never held every record");
            let uploaded: usize = reports.iter().map(|r| r.uploaded).sum();
            assert_eq!(uploaded, rows, "day 5's records uploaded");
            let retries: usize = reports.iter().map(|r| r.retries).sum();
            let timed_out: usize = reports.iter().map(|r| r.timed_out).sum();
            let reading: Duration = reports.iter().map(|r| r.reading).sum();
            let sending: Vec<Duration> = reports.iter().map(|r| r.sending).collect();
            println!(
                "congress: day 5 kiosks' upload {}: {} kiosks at once, all in after {:.2} s, the last kiosk's upload done (held claims counted) after {:.2} s; {cpu}; kiosks: {retries} requests sent again, {timed_out} cut by their own timeout ({}), outboxes read and pages built in {:.2} s in all, each kiosk's wait for the hub's answer median {:.2} s, longest {:.2} s; the hub's account: {}; and {}, {}",
                n + 1,
                week.kiosks.len(),
                secs(all_in),
                secs(last_done),
                verdict(timed_out == 0),
                secs(reading),
                secs(median(&sending)),
                secs(max_of(&sending)),
                burst::breakdown(&burst::read_hub_log(&week.hub.log)),
                burst::other_requests(&week.hub.log, "device state timing"),
                burst::other_requests(&week.hub.log, "report timing")
            );
            lives.push(all_in);
            last_reports = reports;
        }

        // The floors, in the same run: the same rows COPYed into a bare
        // table, and into the hub's own records table as it stood before
        // day 5 (its indexes, and the triggers that keep the typed tables).
        let floor_db = common::db_name("congressfloor");
        week.cluster.database(&floor_db);
        let bare: Vec<Duration> = (0..BURSTS)
            .map(|_| {
                week.cluster.query(&floor_db, RECORDS_FLOOR);
                psql_copy(
                    week.cluster.port,
                    &floor_db,
                    "COPY records_floor(device_id, seq, kind, record_id, payload, created_at, badge_id) FROM STDIN WITH (FORMAT csv)",
                    &csv_path,
                )
                .0
            })
            .collect();
        let real: Vec<Duration> = (0..BURSTS)
            .map(|n| {
                let copy_db = format!("{}_copy{n}", week.db);
                week.cluster.query(
                    "postgres",
                    &format!("CREATE DATABASE {copy_db} TEMPLATE {snapshot}"),
                );
                let took = psql_copy(
                    week.cluster.port,
                    &copy_db,
                    "COPY records(device_id, seq, kind, record_id, payload, created_at, badge_id) FROM STDIN WITH (FORMAT csv)",
                    &csv_path,
                )
                .0;
                week.cluster.query("postgres", &format!("DROP DATABASE {copy_db}"));
                took
            })
            .collect();
        let (bare_floor, real_floor) = (median(&bare), median(&real));
        for (what, v) in [("replayed pages", &replays), ("kiosks' own upload", &lives)] {
            let (med, spread) = burst::median_spread(v);
            let (to_real, to_bare) = (secs(med) / secs(real_floor), secs(med) / secs(bare_floor));
            println!(
                "congress: day 5's {rows} records, {what}: median of {BURSTS} bursts {:.2} s ({}), spread {:.0}% (target <= {:.0}%: {}); floors: COPY into the hub's records with its indexes and triggers {:.3} s, {to_real:.1}x (target <= {TARGET_UPLOAD_RATIO}x: {}); COPY into a bare table {:.3} s, {to_bare:.1}x (target <= {TARGET_BARE_RATIO}x: {})",
                secs(med),
                list(v),
                spread * 100.0,
                TARGET_SPREAD * 100.0,
                verdict(spread <= TARGET_SPREAD),
                secs(real_floor),
                verdict(to_real <= TARGET_UPLOAD_RATIO),
                secs(bare_floor),
                verdict(to_bare <= TARGET_BARE_RATIO),
            );
        }
        let start = Instant::now();
        let downloaded: usize = std::thread::scope(|s| {
            let downloads: Vec<_> = week
                .kiosks
                .iter()
                .zip(last_reports)
                .map(|(k, r)| {
                    s.spawn(|| {
                        let mut store = k.store.lock().expect("a kiosk");
                        sync_half(&mut store, &week.config, &week.hub.url, k.ids(), Some(r))
                            .downloaded
                    })
                })
                .collect();
            downloads
                .into_iter()
                .map(|h| h.join().expect("a download"))
                .sum()
        });
        let downloads_took = start.elapsed();
        println!(
            "congress: then the {} kiosks took in the others' day-5 records, all at once: {downloaded} changes in {:.2} s",
            week.kiosks.len(),
            secs(downloads_took)
        );
    }

    /// Every kiosk record at the hub once, nothing rejected or left behind.
    fn check_every_record_once(&self, week: &Week) {
        let mut total = 0;
        for k in &week.kiosks {
            let store = k.store.lock().expect("a kiosk");
            let written = store.highest_seq_written().expect("the newest seq");
            assert_eq!(
                store.counts().expect("counts").not_uploaded,
                0,
                "{}",
                k.kiosk_id
            );
            let at_hub = week.count(&format!(
                "SELECT count(*) FROM records WHERE device_id = '{}' AND rejected IS NULL",
                k.device_id
            ));
            assert_eq!(at_hub as i64, written, "{}: records at the hub", k.kiosk_id);
            total += at_hub;
        }
        let held = week.count("SELECT count(*) FROM claims WHERE held IS NOT NULL");
        println!(
            "congress: the hub holds {total} kiosk records, each once, none rejected ({} claims, {} voided, {} held, {} certificates)",
            week.count("SELECT count(*) FROM claims"),
            week.count("SELECT count(*) FROM claims WHERE voided_at IS NOT NULL"),
            held,
            week.count("SELECT count(*) FROM records WHERE kind = 'certificate'"),
        );
    }

    fn certificate_page(&self, week: &Week, scale: &Scale) {
        let (page, floor) = certificate_load(week, &week.hub.url, &week.db, scale.wrk_secs);
        println!(
            "congress: certificate page, 100 clients for {} s over {} certificates: p50 {:.1} ms, p99 {:.1} ms, {:.0} pages/s (target p99 <= {TARGET_P99_MS} ms): {}; floor: /healthz p50 {:.1} ms, p99 {:.1} ms, {:.0} answers/s",
            scale.wrk_secs,
            page.paths,
            page.p50,
            page.p99,
            page.rate,
            verdict(page.p99 <= TARGET_P99_MS),
            floor.p50,
            floor.p99,
            floor.rate
        );
    }

    fn reports(&self, week: &Week) {
        let (times, floor) = report_times(week, &week.hub.url, &week.db, 3);
        for (name, t) in &times {
            println!(
                "congress: report {name} on the full week: median of 3 {:.2} s (target <= {TARGET_REPORT_S} s): {}; floor: PostgreSQL reading every record once {:.3} s",
                secs(*t),
                verdict(secs(*t) <= TARGET_REPORT_S),
                secs(floor)
            );
        }
    }

    /// The week's database cut or grown to each record count, the figures
    /// again.
    fn growth(&self, week: &mut Week, scale: &Scale) {
        // The probe: one kiosk with its own visits, copied fresh for each
        // scale, uploaded by `cekiosk sync`.
        let probe = new_kiosk(&week.template, &week.dir, "K900");
        {
            let mut store = probe.store.lock().expect("the probe");
            let visits: Vec<Planned> = week
                .plan
                .iter()
                .flatten()
                .flatten()
                .filter(|v| !v.walk_in)
                .take(scale.probe_visits)
                .cloned()
                .collect();
            for v in &visits {
                commit_visit(
                    &mut store,
                    &week.config,
                    &probe,
                    &Planned {
                        walk_in: false,
                        void: false,
                        ..v.clone()
                    },
                );
            }
        }
        let csv_path = week.dir.join("probe.csv");
        let mut rw = csv::Writer::from_path(&csv_path).expect("probe.csv");
        let probe_rows = fleet::write_outbox_csv(&mut rw, &probe.db, &probe.device_id, 0);
        rw.flush().expect("writing probe.csv");
        let probe_high = probe.newest_seq();
        let probe_device = probe.device_id.clone();
        drop(probe);
        let week_records = week.count("SELECT count(*) FROM records");
        // CREATE DATABASE … TEMPLATE needs the week's database idle.
        week.hub.kill();
        for &n in &scale.growth {
            let start = Instant::now();
            let db = format!("congress_{n}");
            week.cluster
                .query("postgres", &format!("DROP DATABASE IF EXISTS {db}"));
            week.cluster.query(
                "postgres",
                &format!("CREATE DATABASE {db} TEMPLATE {}", week.db),
            );
            resize(week.cluster, &db, week_records, n);
            let url = format!("postgres://postgres@127.0.0.1:{}/{db}", week.cluster.port);
            let hub = common::Hub::start_with(&week.config_dir, &url, "127.0.0.1:0", &[]);
            let made = start.elapsed();
            // Upload: the probe kiosk, fresh, until the hub holds it all.
            let probe_db = week.dir.join(format!("probe-{n}.db"));
            std::fs::copy(week.dir.join("K900.db"), &probe_db).expect("copying the probe");
            let floor_db = common::db_name("growthfloor");
            week.cluster.database(&floor_db);
            week.cluster.query(&floor_db, RECORDS_FLOOR);
            let copy = psql_copy(
                week.cluster.port,
                &floor_db,
                "COPY records_floor(device_id, seq, kind, record_id, payload, created_at, badge_id) FROM STDIN WITH (FORMAT csv)",
                &csv_path,
            )
            .0;
            let upload = upload_probe(week, &db, &hub.url, &probe_db, probe_high);
            let (times, read_floor) = report_times(week, &hub.url, &db, 1);
            let (page, healthz) = certificate_load(week, &hub.url, &db, scale.wrk_secs.div_ceil(2));
            let after = Step {
                upload,
                times,
                page,
            };
            // Before: the same database read as the hub did before its
            // typed tables (migration 11), through the views over the
            // records' JSON, and the probe uploaded again without the
            // triggers that keep those tables.
            drop(hub);
            week.cluster.query(
                &db,
                &format!(
                    "DELETE FROM records WHERE device_id = '{probe_device}';
                     DELETE FROM devices WHERE device_id = '{probe_device}';"
                ),
            );
            week.cluster.query(&db, &common::json_views());
            let hub = common::Hub::start_with(&week.config_dir, &url, "127.0.0.1:0", &[]);
            // A file of its own: the first sync was stopped mid-download
            // and may have left its write-ahead log beside the first copy.
            let probe_db = week.dir.join(format!("probe-{n}-before.db"));
            std::fs::copy(week.dir.join("K900.db"), &probe_db).expect("copying the probe");
            let before = Step {
                upload: upload_probe(week, &db, &hub.url, &probe_db, probe_high),
                times: report_times(week, &hub.url, &db, 1).0,
                page: certificate_load(week, &hub.url, &db, scale.wrk_secs.div_ceil(2)).0,
            };
            for (label, step) in [
                ("typed tables", &after),
                ("views over JSON (before)", &before),
            ] {
                println!(
                    "congress: growth at {n} records (made in {:.0} s), {label}: probe kiosk's {probe_rows} records uploaded in {:.2} s, floor COPY {:.3} s ({:.1}x); reports {} (target <= {TARGET_REPORT_S} s each; floor: reading every record {:.2} s); certificate page p50 {:.1} ms p99 {:.1} ms {:.0}/s (target p99 <= {TARGET_P99_MS} ms; floor /healthz p99 {:.1} ms)",
                    secs(made),
                    secs(step.upload),
                    secs(copy),
                    secs(step.upload) / secs(copy),
                    step.times
                        .iter()
                        .map(|(name, t)| format!("{name} {:.2} s", secs(*t)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    secs(read_floor),
                    step.page.p50,
                    step.page.p99,
                    step.page.rate,
                    healthz.p99
                );
            }
            drop(hub);
            week.cluster
                .query("postgres", &format!("DROP DATABASE {db}"));
        }
    }
}

/// A copy of the template kiosk under `kiosk_id`, with a device id of its
/// own.
fn new_kiosk(template: &Path, dir: &Path, kiosk_id: &str) -> Kiosk {
    let db = dir.join(format!("{kiosk_id}.db"));
    std::fs::copy(template, &db).expect("copying the template kiosk");
    let c = rusqlite::Connection::open(&db).expect("a kiosk database");
    c.execute("DELETE FROM meta WHERE key = 'device_id'", [])
        .expect("forgetting the template's device id");
    drop(c);
    let store = Store::open(&db).expect("a kiosk database");
    let device_id = store.device_id(&mut OsRandom).expect("a device id");
    Kiosk {
        kiosk_id: kiosk_id.to_string(),
        device_id,
        db,
        store: Mutex::new(store),
    }
}

/// A page of day 5 as a kiosk would send it, with the kiosk it names.
struct DayPage {
    kiosk: String,
    page: burst::Page,
}

/// A kiosk's records after `after`, in the pages it would upload.
fn day_pages(week: &Week, k: &Kiosk, after: i64) -> Vec<DayPage> {
    let store = k.store.lock().expect("a kiosk");
    let mut out = Vec::new();
    let mut from = after;
    loop {
        let records = store
            .outbox_after(from, cekiosk::sync::protocol::PAGE)
            .expect("reading the outbox");
        let Some(last) = records.last() else {
            return out;
        };
        from = last.seq;
        let n = records.len();
        let page = cekiosk::sync::protocol::Upload {
            event_id: week.config.event.id.clone(),
            kiosk_id: k.kiosk_id.clone(),
            records,
        };
        out.push(DayPage {
            kiosk: k.kiosk_id.clone(),
            page: burst::Page {
                device: k.device_id.clone(),
                body: serde_json::to_vec(&page).expect("a page"),
                records: n,
            },
        });
    }
}

/// Half a sync round: the upload (`then` None), or the download that
/// follows it, as the kiosk's uploader runs them one after the other, on
/// a connection with the uploader's cache.
fn sync_half(
    store: &mut Store,
    config: &Config,
    hub: &str,
    (kiosk_id, device_id): (&str, &str),
    then: Option<Report>,
) -> Report {
    let client = HubClient::new(hub, common::TOKEN, Retry::default()).kiosk(kiosk_id);
    store
        .set_cache_mib(cekiosk::store::SYNC_CACHE_MIB)
        .expect("the sync's cache");
    let r = match then {
        None => sync::upload(
            store,
            &client,
            &config.event.id,
            kiosk_id,
            device_id,
            &mut |_| {},
        ),
        Some(r) => sync::download(store, &client, kiosk_id, r, &mut |_| {}),
    }
    .unwrap_or_else(|e| panic!("{kiosk_id}: sync failed: {e}"));
    store.set_cache_mib(2).expect("the default cache");
    assert_eq!(r.rejected, 0, "{kiosk_id}: records rejected");
    assert!(r.rekeyed.is_none(), "{kiosk_id}: took a new device id");
    r
}

/// One sync round, as the kiosk's uploader runs it.
fn sync_once(
    store: &mut Store,
    config: &Config,
    hub: &str,
    kiosk_id: &str,
    device_id: &str,
) -> Report {
    let up = sync_half(store, config, hub, (kiosk_id, device_id), None);
    sync_half(store, config, hub, (kiosk_id, device_id), Some(up))
}

/// The week's visits, kiosk by kiosk and step by step: each attendee is
/// drawn at random (so some come back, most often at another kiosk), and
/// claims one to four of the day's sessions that ended before the step and
/// that they have not claimed; 2% are walk-ins, 1% have a claim voided.
fn plan(config: &Config, scale: &Scale) -> Vec<Vec<Vec<Planned>>> {
    let roster = cekiosk::import::read_attendees(&config.dir.join("attendees.csv"))
        .expect("the generated roster");
    let catalog = cekiosk::import::read_sessions(&config.dir.join("sessions.csv"), config)
        .expect("the generated catalog");
    let mut rng = common::Rng::new(0xC0_4635);
    let day_of = |s: &str| s.get(..10).unwrap_or_default().to_string();
    let mut days: Vec<String> = catalog.iter().map(|s| day_of(&s.starts_at)).collect();
    days.sort();
    days.dedup();
    let steps = DAYS * scale.slots;
    let mut plan = vec![vec![Vec::new(); steps]; scale.kiosks];
    let mut claimed: Vec<HashSet<usize>> = vec![HashSet::new(); roster.len()];
    let mut quarters = vec![0u32; roster.len()];
    let mut walk_ins = 0;
    let mut v = 0;
    while v < scale.visits {
        let step = v * steps / scale.visits;
        let (day, slot) = (step / scale.slots, step % scale.slots);
        // The step's time: from 10:00 to 19:00, the day's sessions that
        // ended by then are claimable.
        let minute = 600 + (slot + 1) * 540 / scale.slots;
        let by = format!(
            "{}T{:02}:{:02}",
            days[day.min(days.len() - 1)],
            minute / 60,
            minute % 60
        );
        let kiosk = rng.below(scale.kiosks as u64) as usize;
        let walk_in = rng.below(100) < 2;
        let a = rng.below(roster.len() as u64) as usize;
        let (badge, profession) = if walk_in {
            walk_ins += 1;
            (format!("W{walk_ins:06}"), roster[a].profession)
        } else {
            (roster[a].badge_id.clone(), roster[a].profession)
        };
        let want = 1 + rng.below(4) as usize;
        let mut claims = Vec::new();
        let mut mine = HashSet::new();
        for _ in 0..want * 3 {
            if claims.len() == want {
                break;
            }
            let i = rng.below(catalog.len() as u64) as usize;
            let s = &catalog[i];
            let fits = walk_in || quarters[a] + s.credits <= 120;
            if s.credits > 0
                && s.ends_at <= by
                && fits
                && (walk_in || !claimed[a].contains(&i))
                && mine.insert(i)
            {
                if !walk_in {
                    quarters[a] += s.credits;
                }
                claims.push((s.session_id.clone(), s.credits));
            }
        }
        if !walk_in {
            claimed[a].extend(mine);
        }
        if claims.is_empty() {
            continue;
        }
        v += 1;
        let void = claims.len() > 1 && rng.below(100) < 1;
        plan[kiosk][step].push(Planned {
            badge,
            profession,
            claims,
            walk_in,
            void,
        });
    }
    plan
}

fn commit_visit(store: &mut Store, config: &Config, kiosk: &Kiosk, v: &Planned) {
    if v.walk_in {
        store
            .add_walk_in(
                &AttendeeRow {
                    badge_id: v.badge.clone(),
                    first_name: "Walk".into(),
                    last_name: format!("In {}", v.badge),
                    degree: "MD".into(),
                    profession: v.profession,
                    email: String::new(),
                },
                &kiosk.kiosk_id,
            )
            .unwrap_or_else(|e| panic!("{}: walk-in {}: {e}", kiosk.kiosk_id, v.badge));
    }
    let visit = NewVisit {
        badge_id: v.badge.clone(),
        kiosk_id: kiosk.kiosk_id.clone(),
        device_id: kiosk.device_id.clone(),
        profile: CreditChoices {
            codes: config.codes_for(v.profession),
            ..CreditChoices::default()
        },
        claims: v.claims.clone(),
        answers: fleet::answers(),
        summary: None,
        language: None,
        mail_declined: false,
    };
    store
        .commit_visit(&visit, &mut OsRandom)
        .unwrap_or_else(|e| panic!("{}: visit of {}: {e}", kiosk.kiosk_id, v.badge));
    if v.void {
        let first = &v.claims[0].0;
        let claim = store
            .claims_of(&v.badge)
            .expect("the attendee's claims")
            .into_iter()
            .find(|c| &c.session_id == first && !c.voided)
            .expect("the claim just made");
        store
            .void_claim(&claim.claim_id, "claimed by mistake", &kiosk.kiosk_id)
            .expect("voiding a claim");
    }
}

/// What a kiosk downloads: changes, the bytes of the pages, and of the
/// records' payloads alone (the floor).
#[derive(Default, Clone, Copy)]
struct Fed {
    changes: usize,
    bytes: usize,
    payload: usize,
}

/// Reads the feed from `cursor` to its end as device `device` would,
/// page by page through the API; moves the cursor.
fn feed_bytes(hub: &str, cursor: &mut Cursor, device: &str) -> Fed {
    let mut fed = Fed::default();
    loop {
        let body = ureq::get(&format!(
            "{hub}/api/v1/changes?since={cursor}&device={device}"
        ))
        .header("Authorization", &format!("Bearer {}", common::TOKEN))
        .call()
        .expect("reading the change feed")
        .body_mut()
        .with_config()
        .limit(256 << 20)
        .read_to_vec()
        .expect("a page of changes");
        fed.bytes += body.len();
        let page: cekiosk::sync::protocol::Changes =
            serde_json::from_slice(&body).expect("a page of changes");
        fed.changes += page.changes.len();
        fed.payload += page
            .changes
            .iter()
            .map(|c| c.payload.get().len())
            .sum::<usize>();
        *cursor = page.next;
        if !page.more {
            return fed;
        }
    }
}

/// What wrk measured on one route.
struct Load {
    p50: f64,
    p99: f64,
    rate: f64,
    paths: usize,
}

/// The certificate page under 100 clients for `secs` seconds, over up to
/// 2,000 of the hub's certificates in turn, and `/healthz` the same way.
fn certificate_load(week: &Week, hub: &str, db: &str, secs: u32) -> (Load, Load) {
    let certs: Vec<String> = week
        .cluster
        .query(
            db,"SELECT record_id FROM records WHERE kind = 'certificate' ORDER BY record_id LIMIT 2000")
        .lines()
        .map(|id| format!("/c/{id}"))
        .collect();
    assert!(!certs.is_empty(), "no certificates at the hub");
    let (status, _) = common::get(&format!("{hub}{}", certs[0]));
    assert_eq!(status, 200, "a certificate page");
    (
        wrk(week, hub, &certs, secs),
        wrk(week, hub, &["/healthz".to_string()], secs),
    )
}

fn wrk(week: &Week, hub: &str, paths: &[String], secs: u32) -> Load {
    let script = week.dir.join("paths.lua");
    let list: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    std::fs::write(
        &script,
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
            list.join(", ")
        ),
    )
    .expect("writing the wrk script");
    let out = Command::new("wrk")
        .args(["-t2", "-c100", "--latency", "--timeout", "10s"])
        .arg(format!("-d{secs}s"))
        .arg("-s")
        .arg(&script)
        .arg(hub)
        .stdin(Stdio::null())
        .output()
        .expect("wrk (Debian's wrk; scripts/test installs it)");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "wrk: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("Non-2xx"), "wrk saw errors: {text}");
    let latency = |label: &str| -> f64 {
        let v = text
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .unwrap_or_else(|| panic!("wrk printed no {label}: {text}"))
            .trim();
        let (n, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len()));
        let n: f64 = n.parse().unwrap_or(f64::NAN);
        match unit {
            "us" => n / 1e3,
            "ms" => n,
            "s" => n * 1e3,
            "m" => n * 60e3,
            _ => f64::NAN,
        }
    };
    let rate = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN);
    Load {
        p50: latency("50%"),
        p99: latency("99%"),
        rate,
        paths: paths.len(),
    }
}

/// Each report from the hub at `hub` (the median of `runs`), and the floor:
/// PostgreSQL reading every record of `db` once.
fn report_times(
    week: &Week,
    hub: &str,
    db: &str,
    runs: usize,
) -> (Vec<(&'static str, Duration)>, Duration) {
    let times = REPORTS
        .iter()
        .map(|name| {
            let t: Vec<Duration> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let (status, body) =
                        common::get_auth(&format!("{hub}/reports/{name}"), common::ADMIN);
                    assert_eq!(status, 200, "{name}: {body}");
                    start.elapsed()
                })
                .collect();
            (*name, median(&t))
        })
        .collect();
    let floor = psql_timed(
        week.cluster.port,
        db,
        "COPY (SELECT * FROM records) TO STDOUT",
        &week.dir,
    );
    (times, floor)
}

/// Cuts the copy of the week in `db` to `n` records (the newest go), or
/// grows it by repeating its records under other device ids, each id in
/// their payloads suffixed so the copies are records of their own.
fn resize(cluster: &common::Cluster, db: &str, have: usize, n: usize) {
    if n <= have {
        cluster.query(
            db,
            &format!(
                "DELETE FROM records WHERE (device_id, seq) IN (SELECT device_id, seq FROM records ORDER BY txid DESC, seq DESC LIMIT {})",
                have - n
            ),
        );
    } else {
        let copies = (n - have).div_ceil(have);
        cluster.query(
            db,
            &format!(
                "INSERT INTO devices(device_id, kiosk_id, high_seq)
                 SELECT device_id || '-r' || r, kiosk_id, high_seq FROM devices, generate_series(1, {copies}) r;
                 INSERT INTO records(device_id, seq, kind, record_id, payload, created_at, received_at, rejected, badge_id)
                 SELECT device_id || '-r' || r, seq, kind, record_id || '-r' || r,
                        regexp_replace(payload::text, '\"(claim_id|visit_id|certificate_id)\": \"([^\"]*)\"',
                                       '\"\\1\": \"\\2-r' || r || '\"', 'g')::jsonb,
                        created_at, received_at, rejected, badge_id
                 FROM records, generate_series(1, {copies}) r
                 ORDER BY r, txid, seq LIMIT {}",
                n - have
            ),
        );
    }
    cluster.query(db, "VACUUM ANALYZE");
}

/// One growth step's figures.
struct Step {
    upload: Duration,
    times: Vec<(&'static str, Duration)>,
    page: Load,
}

/// `cekiosk sync` of the probe kiosk, timed until the hub holds its
/// records; the sync is then stopped (what it would download is the whole
/// grown feed, not the figure).
fn upload_probe(week: &Week, db: &str, hub: &str, probe_db: &Path, high: i64) -> Duration {
    let mut watch = Watch::new(week.cluster.port, db);
    let before = watch.high();
    let ended = AtomicBool::new(false);
    let start = Instant::now();
    let mut child = fleet::sync_command(&week.config_dir, probe_db, "K900", hub)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting cekiosk sync");
    let t = watch.until(before + high, start, &ended);
    let _ = child.kill();
    let _ = child.wait();
    t.expect("the probe's records never all reached the hub")
}
