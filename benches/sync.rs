//! Twenty kiosks uploading to one hub at once, beside PostgreSQL's own COPY
//! of the same rows, and a repeat sync that has nothing to send.
//!
//! `cargo bench --bench sync` starts a throwaway PostgreSQL cluster and the
//! real hub binary (tests/common), builds 20 kiosk databases of 2,000 claims
//! each in process (400 visits of 5 claims, through `Store::commit_visit`,
//! so each visit also writes its profile, evaluation and certificate
//! records), then:
//!
//! 1. runs `cekiosk sync --hub URL` for all 20 at once, as 20 processes, on
//!    a fresh hub database; three times, on fresh copies of the kiosk
//!    databases, and reports the median run. A psql session polls the hub
//!    meanwhile: the upload is timed from the start until the hub holds
//!    every record. Each sync then goes on to
//!    download what the other kiosks uploaded (every kiosk mirrors the
//!    claims of all the others); that is timed to the last one's exit and
//!    reported beside it. The CPU the cluster, the hub and the 20 processes
//!    used is read from /proc, a figure that a busy machine disturbs less;
//! 2. COPYs the same outbox rows (read out of the 20 files, as CSV) through
//!    `psql` into a fresh table shaped like the hub's `records` (its columns
//!    and types, its primary key and no other index): the floor. Only the
//!    COPY statement is timed (psql's `\timing`);
//! 3. runs `cekiosk sync` again on one kiosk that has nothing left to send
//!    or fetch, 5 times.
//!
//! The kiosks, the hub and PostgreSQL share the machine here, so the
//! kiosks' own work (reading their outbox, marking it uploaded, applying
//! the download) competes with the hub for the same cores; on a real fleet
//! each kiosk is its own machine.
//!
//! Each figure is one line starting `sync:`, with its target:
//!
//! ```text
//! sync: 20 kiosks x 2000 claims (64000 records) uploading at once: all at the hub after … s = … records/s (median of 3 runs: … ms; polled every … ms); COPY floor … s; ratio …x (target <= 3x): meets target
//! sync:   each sync then downloads what the other kiosks uploaded (median … changes each, … in all): the last sync ended after … s = …x the COPY floor
//! sync:   CPU used by the 20 syncs: postgres … s, hub … s, the sync processes … s, in all … s on 2 cores; by the COPY: … s; CPU ratio …x
//! sync: repeat sync with nothing to send: median … ms (target <= 200 ms): meets target
//! ```
//!
//! Run without `--bench` (as `cargo test --benches` does) it only checks,
//! once and on three small kiosks, that every part works.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "common/figures.rs"]
mod figures;
#[path = "common/fleet.rs"]
mod fleet;
#[path = "common/procfs.rs"]
mod procfs;
#[path = "common/psql.rs"]
mod psql;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use figures::{max_of, median, min_of, ms, secs, verdict};
use fleet::{CLAIMS_PER_VISIT, Kiosk, build_kiosks, write_csv};
use procfs::{Cpu, process_with_args};
use psql::{POLL, RECORDS_FLOOR, Watch, psql_copy, run_ok};

const KIOSKS: usize = 20;
const VISITS: usize = 400;
const COPY_RUNS: usize = 3;
const SYNC_RUNS: usize = 3;
const REPEAT_RUNS: usize = 5;
const TARGET_RATIO: f64 = 3.0;
const TARGET_REPEAT_MS: f64 = 200.0;

struct Scale {
    kiosks: usize,
    visits: usize,
    sync_runs: usize,
    copy_runs: usize,
    repeat_runs: usize,
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let scale = if full {
        Scale {
            kiosks: KIOSKS,
            visits: VISITS,
            sync_runs: SYNC_RUNS,
            copy_runs: COPY_RUNS,
            repeat_runs: REPEAT_RUNS,
        }
    } else {
        Scale {
            kiosks: 3,
            visits: 20,
            sync_runs: 1,
            copy_runs: 1,
            repeat_runs: 1,
        }
    };
    let config_dir = common::config_dir();
    let dir = tempfile::tempdir().expect("creating a temporary directory");

    // 1. The cluster.
    let cluster = common::cluster();
    // Where the cluster keeps its postmaster.pid, for the CPU figures.
    let data_dir = cluster.query("postgres", "SHOW data_directory");

    // 2. The kiosk databases.
    let start = Instant::now();
    let kiosks = build_kiosks(&config_dir, dir.path(), scale.kiosks, scale.visits);
    let records: usize = kiosks.iter().map(|k| k.records).sum();
    let claims: usize = kiosks.iter().map(|k| k.claims).sum();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for k in &kiosks {
        for (kind, n) in &k.kinds {
            *kinds.entry(kind.as_str()).or_default() += n;
        }
    }
    let per_kiosk = scale.visits * CLAIMS_PER_VISIT;
    assert_eq!(claims, scale.kiosks * per_kiosk, "claims built");
    println!(
        "sync: built {} kiosk databases in {:.1} s ({} visits x {CLAIMS_PER_VISIT} claims = {per_kiosk} claims and {} outbox records per kiosk; {records} records in all: {})",
        scale.kiosks,
        start.elapsed().as_secs_f64(),
        scale.visits,
        records / scale.kiosks,
        kinds
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // The same rows as CSV for the floor, read before any sync adds the
    // other kiosks' claims to these files.
    let records_csv = dir.path().join("records.csv");
    assert_eq!(write_csv(&kiosks, &records_csv), records);

    // 3. All kiosks at once, `runs` times, each time on fresh copies of
    // the kiosk databases and a fresh hub database; the median run is
    // reported.
    let mut runs: Vec<Run> = (0..scale.sync_runs)
        .map(|i| {
            let run_dir = dir.path().join(format!("run-{i}"));
            all_at_once(cluster, &data_dir, &config_dir, &kiosks, &run_dir, claims)
        })
        .collect();
    runs.sort_by_key(|r| r.all_in);
    let uploads: Vec<Duration> = runs.iter().map(|r| r.all_in).collect();
    let run = runs.swap_remove(runs.len() / 2);
    let count = |sql: &str| -> usize {
        cluster
            .query(&run.hub_db, sql)
            .parse()
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    println!(
        "sync: hub holds {records} records and {claims} claims, none rejected or duplicate; every kiosk's outbox confirmed; {} rows in the roster feed",
        run.changes
    );

    // 4. The floor: COPY of the same rows.
    let floor_url = cluster.database(&common::db_name("syncfloor"));
    let floor_db = db_of(&floor_url);
    let mut copies = Vec::new();
    let mut copy_walls = Vec::new();
    let mut copy_cpus = Vec::new();
    for _ in 0..scale.copy_runs {
        cluster.query(&floor_db, RECORDS_FLOOR);
        let before = Cpu::now(&data_dir, None);
        let (t, wall) = psql_copy(
            cluster.port,
            &floor_db,
            "COPY records_floor(device_id, seq, kind, record_id, payload, created_at, badge_id) FROM STDIN WITH (FORMAT csv)",
            &records_csv,
        );
        std::thread::sleep(Duration::from_millis(200));
        copy_cpus.push(Cpu::now(&data_dir, None).since(&before));
        copies.push(t);
        copy_walls.push(wall);
        assert_eq!(
            cluster.query(&floor_db, "SELECT count(*) FROM records_floor"),
            records.to_string()
        );
    }

    // 5. A repeat sync with nothing to send. The first concurrent run only
    // fetched what the others had uploaded by then; one untimed sync
    // catches this kiosk up, so the timed ones have nothing to fetch either.
    let first = &run.kiosks[0];
    let start = Instant::now();
    let out = run_ok(sync_command(&config_dir, first, &run.hub.url));
    let catch_up = start.elapsed();
    let caught_up = number_after(&out, "downloaded ").unwrap_or(0);
    let mut repeats = Vec::new();
    for _ in 0..scale.repeat_runs {
        let start = Instant::now();
        let out = run_ok(sync_command(&config_dir, first, &run.hub.url));
        repeats.push(start.elapsed());
        assert_eq!(number_after(&out, "uploaded "), Some(0), "{out}");
        assert_eq!(number_after(&out, "downloaded "), Some(0), "{out}");
    }
    // What every run of the binary pays before it does anything.
    let mut starts = Vec::new();
    for _ in 0..scale.repeat_runs {
        let mut c = Command::new(common::bin());
        c.arg("--version");
        let start = Instant::now();
        run_ok(c);
        starts.push(start.elapsed());
    }
    assert_eq!(
        count("SELECT count(*) FROM records"),
        records,
        "after repeats"
    );

    if !full {
        println!(
            "sync smoke test: {} kiosks uploaded {records} records, COPY and repeat sync ran (run `cargo bench --bench sync` to time them)",
            scale.kiosks
        );
        return;
    }

    let copy = median(&copies);
    let ratio = run.all_in.as_secs_f64() / copy.as_secs_f64();
    println!(
        "sync: {} kiosks x {per_kiosk} claims ({records} records) uploading at once: all at the hub after {:.2} s = {:.0} records/s (median of {} runs: {} ms; polled every {} ms); COPY floor {:.3} s; ratio {ratio:.1}x (target <= {TARGET_RATIO}x): {}",
        scale.kiosks,
        run.all_in.as_secs_f64(),
        records as f64 / run.all_in.as_secs_f64(),
        uploads.len(),
        list(&uploads),
        POLL.as_millis(),
        copy.as_secs_f64(),
        verdict(ratio <= TARGET_RATIO)
    );
    println!(
        "sync:   each sync then downloads what the other kiosks uploaded (median {} changes each, {} in all): the last sync ended after {:.2} s = {:.1}x the COPY floor",
        median_of(&run.downloads),
        run.downloads.iter().sum::<usize>(),
        run.sync_time.as_secs_f64(),
        run.sync_time.as_secs_f64() / copy.as_secs_f64()
    );
    if let Some(copy_cpu) = copy_cpus
        .iter()
        .min_by(|a, b| a.total().total_cmp(&b.total()))
    {
        println!(
            "sync:   CPU used by the 20 syncs: postgres {:.2} s, hub {:.2} s, the sync processes {:.2} s, in all {:.2} s on {} cores; by the COPY: postgres {:.2} s, psql {:.2} s, in all {:.2} s; CPU ratio {:.1}x",
            run.sync_cpu.postgres,
            run.sync_cpu.hub,
            run.sync_cpu.children,
            run.sync_cpu.total(),
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            copy_cpu.postgres,
            copy_cpu.children,
            copy_cpu.total(),
            run.sync_cpu.total() / copy_cpu.total()
        );
    }
    println!(
        "sync:   per kiosk, start to exit: min {:.2} s, median {:.2} s, max {:.2} s; pages at the hub spanned {:.2} s (first page to last page); changes downloaded per kiosk: min {}, max {}; sync retries logged: {}",
        secs(min_of(&run.walls)),
        secs(median(&run.walls)),
        secs(max_of(&run.walls)),
        run.upload_span,
        run.downloads.iter().min().unwrap_or(&0),
        run.downloads.iter().max().unwrap_or(&0),
        run.retries,
    );
    println!(
        "sync:   COPY of the same {records} records into a bare table shaped like the hub's records: median {:.1} ms (runs {} ms; psql wall {} ms)",
        ms(copy),
        list(&copies),
        list(&copy_walls)
    );
    let repeat = ms(median(&repeats));
    println!(
        "sync: repeat sync with nothing to send: median {repeat:.1} ms (runs {} ms) (target <= {TARGET_REPEAT_MS} ms): {}",
        list(&repeats),
        verdict(repeat <= TARGET_REPEAT_MS)
    );
    println!(
        "sync:   that includes starting the process: `cekiosk --version` median {:.1} ms; the catch-up sync before it fetched {caught_up} changes in {:.0} ms",
        ms(median(&starts)),
        ms(catch_up)
    );
}

/// What one run of all the kiosks syncing at once measured.
struct Run {
    /// From the start until the hub held every record.
    all_in: Duration,
    /// From the start until the last sync exited.
    sync_time: Duration,
    sync_cpu: Cpu,
    walls: Vec<Duration>,
    downloads: Vec<usize>,
    upload_span: f64,
    retries: usize,
    changes: usize,
    hub: common::Hub,
    hub_db: String,
    /// The copies that synced.
    kiosks: Vec<Kiosk>,
}

/// Copies the kiosk databases into `run_dir`, starts the real hub on a
/// fresh database, and runs every kiosk's `cekiosk sync` at once. Each sync
/// uploads, then downloads what the others have uploaded so far; a psql
/// session polls the hub's devices table to see when the last record is
/// in, which ends the upload.
fn all_at_once(
    cluster: &common::Cluster,
    data_dir: &str,
    config_dir: &Path,
    pristine: &[Kiosk],
    run_dir: &Path,
    claims: usize,
) -> Run {
    std::fs::create_dir_all(run_dir).expect("creating a run folder");
    let kiosks: Vec<Kiosk> = pristine
        .iter()
        .map(|k| {
            let db = run_dir.join(k.db.file_name().expect("a file name"));
            std::fs::copy(&k.db, &db).expect("copying a kiosk database");
            Kiosk {
                db,
                kinds: k.kinds.clone(),
                kiosk_id: k.kiosk_id.clone(),
                device_id: k.device_id.clone(),
                ..*k
            }
        })
        .collect();
    let records: usize = kiosks.iter().map(|k| k.records).sum();
    let hub_url = cluster.database(&common::db_name("sync"));
    let hub_db = db_of(&hub_url);
    let hub = common::Hub::start(&hub_url);
    let expected_high: i64 = kiosks.iter().map(|k| k.high_seq).sum();
    let mut watch = Watch::new(cluster.port, &hub_db);
    let hub_pid = process_with_args(&["hub", &hub_url]);
    let cpu_before = Cpu::now(data_dir, hub_pid);
    let ended = AtomicBool::new(false);
    let start = Instant::now();
    let children: Vec<_> = kiosks
        .iter()
        .map(|k| {
            sync_command(config_dir, k, &hub.url)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("starting cekiosk sync")
        })
        .collect();
    let (finished, all_in): (Vec<(Output, Duration)>, Option<Duration>) = std::thread::scope(|s| {
        let watcher = s.spawn(|| watch.until(expected_high, start, &ended));
        let waiting: Vec<_> = children
            .into_iter()
            .map(|c| {
                s.spawn(move || {
                    let out = c.wait_with_output().expect("waiting for cekiosk sync");
                    (out, start.elapsed())
                })
            })
            .collect();
        let finished = waiting
            .into_iter()
            .map(|h| h.join().expect("a waiting thread"))
            .collect();
        ended.store(true, Ordering::Relaxed);
        (finished, watcher.join().expect("the watching thread"))
    });
    let sync_time = start.elapsed();
    let mut walls = Vec::new();
    let mut uploaded = 0;
    let mut downloads = Vec::new();
    for (k, (out, wall)) in kiosks.iter().zip(&finished) {
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}: cekiosk sync failed: {stdout}{}",
            k.kiosk_id,
            String::from_utf8_lossy(&out.stderr)
        );
        let up = number_after(&stdout, "uploaded ").expect("an uploaded count");
        assert_eq!(up, k.records, "{}: uploaded: {stdout}", k.kiosk_id);
        assert!(stdout.contains(" 0 rejected"), "{}: {stdout}", k.kiosk_id);
        uploaded += up;
        downloads.push(number_after(&stdout, "downloaded ").expect("a downloaded count"));
        walls.push(*wall);
    }
    assert_eq!(uploaded, records);
    // Backends that ended are counted once the postmaster has reaped them.
    std::thread::sleep(Duration::from_millis(200));
    let sync_cpu = Cpu::now(data_dir, hub_pid).since(&cpu_before);
    drop(watch);
    let all_in = all_in.expect("the hub never showed every record as in");
    let retries: usize = kiosks.iter().map(|k| retries_logged(&k.db)).sum();

    let count = |sql: &str| -> usize {
        cluster
            .query(&hub_db, sql)
            .parse()
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(
        count("SELECT count(*) FROM records"),
        records,
        "hub records"
    );
    assert_eq!(count("SELECT count(*) FROM claims"), claims, "hub claims");
    assert_eq!(
        count("SELECT count(*) FROM records WHERE rejected IS NOT NULL"),
        0,
        "rejected at the hub"
    );
    assert_eq!(
        count("SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"),
        0,
        "claims flagged as duplicates"
    );
    assert_eq!(
        count("SELECT count(*) FROM devices"),
        kiosks.len(),
        "devices"
    );
    for k in &kiosks {
        let c = rusqlite::Connection::open(&k.db).expect("opening a kiosk");
        let left: i64 = c
            .query_row(
                "SELECT count(*) FROM outbox WHERE uploaded_at IS NULL",
                [],
                |r| r.get(0),
            )
            .expect("counting");
        assert_eq!(left, 0, "{}: records not confirmed", k.kiosk_id);
    }
    // received_at is now() at the start of each page's transaction: the
    // span from the first page to the last is the upload phase, roughly.
    let upload_span: f64 = cluster
        .query(
            &hub_db,
            "SELECT extract(epoch FROM max(received_at) - min(received_at)) FROM records",
        )
        .parse()
        .unwrap_or(f64::NAN);
    let changes = count("SELECT count(*) FROM changes");
    Run {
        all_in,
        sync_time,
        sync_cpu,
        walls,
        downloads,
        upload_span,
        retries,
        changes,
        hub,
        hub_db,
        kiosks,
    }
}

/// A kiosk's sync, without the kiosk's log (the bench reads its output).
fn sync_command(config_dir: &Path, k: &Kiosk, hub: &str) -> Command {
    let mut c = fleet::sync_command(config_dir, &k.db, &k.kiosk_id, hub);
    c.env_remove("CEKIOSK_LOG");
    c
}

/// The number printed right after `label`, as in "uploaded 3200 records".
fn number_after(text: &str, label: &str) -> Option<usize> {
    let rest = &text[text.find(label)? + label.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// How many times the kiosk's sync logged that it would retry.
fn retries_logged(db: &Path) -> usize {
    std::fs::read_to_string(db.with_extension("log"))
        .map(|t| t.matches("will retry").count())
        .unwrap_or(0)
}

/// The database name at the end of a URL.
fn db_of(url: &str) -> String {
    url.rsplit('/').next().unwrap_or_default().to_string()
}

fn median_of(v: &[usize]) -> usize {
    let mut s = v.to_vec();
    s.sort();
    s.get(s.len() / 2).copied().unwrap_or(0)
}

fn list(v: &[Duration]) -> String {
    v.iter()
        .map(|d| format!("{:.0}", ms(*d)))
        .collect::<Vec<_>>()
        .join(" ")
}
