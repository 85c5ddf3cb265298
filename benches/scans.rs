//! Door scans at congress size: how long the CE office waits for
//! `cekiosk hub import scans`, what the next sync costs a kiosk, and how
//! long an attendee waits for Sessions to open with their scans ticked.
//!
//! `cargo bench --bench scans` starts a throwaway PostgreSQL cluster
//! (tests/common), generates a roster of 38,000 attendees and a catalog
//! of 300 sessions in the demo's shape (benches/common/kiosk_data.rs),
//! loads them at the hub with `cekiosk hub import`, and six door scans
//! per attendee (228,000 rows), then:
//!
//! 1. times `cekiosk hub import scans FILE` on a fresh hub database, 3
//!    times, beside the floor: psql's `\copy` of the same file into a
//!    table with the scans table's columns, key and index and nothing else
//!    (psql's start-up included, as the command's is). The import writes
//!    each new scan twice, in `scans` and on the feed kiosks read;
//! 2. times the same file imported again (nothing new: nothing is sent);
//! 3. times a new kiosk's first `cekiosk sync` against the hub (roster,
//!    catalog and every scan come down);
//! 4. times, in process on that kiosk's database, what opening Sessions
//!    costs for 200 scanned attendees: the badge look-up with their scans,
//!    the visit, and the ticking.
//!
//! Each figure is one line starting `scans:`, with its target:
//!
//! ```text
//! scans: import of 228000 door scans: median … s (runs …); \copy floor … s; ratio …x (target <= 3x): meets target
//! scans: the same file again (nothing new): median … s (target <= the first import's): meets target
//! scans: a new kiosk's first sync (… changes, … of them scans): … s
//! scans: opening Sessions with door scans ticked, 200 attendees: p50 … ms, p99 … ms (target p99 <= 50 ms): meets target
//! ```
//!
//! Run without `--bench` (as `cargo test --benches` does) it only checks,
//! once and on a small roster, that every part works.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "common/figures.rs"]
mod figures;
#[path = "common/kiosk_data.rs"]
mod kiosk_data;
#[path = "common/psql.rs"]
mod psql;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use cekiosk::config::Config;
use cekiosk::kiosk::setup::BadgeMatch;
use cekiosk::kiosk::visit::Visit;
use cekiosk::store::Store;
use figures::{list, median, ms, pct, secs, verdict};

const ATTENDEES: usize = 38_000;
const SESSIONS: usize = 300;
const SCANS_EACH: usize = 6;
const RUNS: usize = 3;
const OPENS: usize = 200;
const TARGET_RATIO: f64 = 3.0;
const TARGET_OPEN_MS: f64 = 50.0;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (attendees, runs, opens) = if full {
        (ATTENDEES, RUNS, OPENS)
    } else {
        (300, 1, 5)
    };
    let config_dir = common::config_dir();
    let config = Config::load(&config_dir).expect("the demo config");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = kiosk_data::generate(&config_dir, dir.path(), attendees, SESSIONS);
    let people = cekiosk::import::read_attendees(&data.attendees_csv).expect("the roster");
    let sessions =
        cekiosk::import::read_sessions(&data.sessions_csv, &config).expect("the catalog");
    let scans_csv = dir.path().join("scans.csv");
    let rows = write_scans(&scans_csv, &people, &sessions);
    println!(
        "scans: {} attendees, {} sessions, {rows} door scans ({:.1} MB)",
        people.len(),
        sessions.len(),
        std::fs::metadata(&scans_csv).map_or(0, |m| m.len()) as f64 / 1e6
    );

    let cluster = common::cluster();
    // A hub database with the roster and catalog, ready for the scans.
    let fresh = |n: usize| {
        let url = cluster.database(&format!("scans_bench_{n}"));
        for (what, file) in [
            ("attendees", &data.attendees_csv),
            ("sessions", &data.sessions_csv),
        ] {
            common::ok(&common::hub_cli(&[&"import", &what, file], &url));
        }
        url
    };
    let import = |url: &str| {
        let start = Instant::now();
        let said = common::ok(&common::hub_cli(&[&"import", &"scans", &scans_csv], url));
        (start.elapsed(), said)
    };

    // 1. The import on fresh databases, beside psql's \copy.
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    let mut url = String::new();
    for n in 0..runs {
        url = fresh(n);
        let (took, said) = import(&url);
        assert!(
            said.contains(&format!("{rows} door scans read, {rows} new")),
            "{said}"
        );
        ours.push(took);
        floor.push(copy_floor(cluster.port, &url, &scans_csv));
        let db = url.rsplit('/').next().expect("a database name");
        assert_eq!(
            cluster.query(db, "SELECT count(*) FROM scans_floor"),
            rows.to_string()
        );
    }
    // 2. Again: nothing new.
    let (again, said) = import(&url);
    assert!(said.contains(" 0 new at the hub"), "{said}");

    // 3. A new kiosk's first sync.
    let hub = common::Hub::start(&url);
    let kiosk_db = dir.path().join("kiosk.db");
    drop(Store::open(&kiosk_db).expect("a new kiosk database"));
    let start = Instant::now();
    let said = common::ok(&common::sync_db(&kiosk_db, &hub.url));
    let first_sync = start.elapsed();
    let store = Store::open(&kiosk_db).expect("the kiosk's database");
    let at_kiosk: i64 = rusqlite::Connection::open(&kiosk_db)
        .and_then(|c| c.query_row("SELECT count(*) FROM scans", [], |r| r.get(0)))
        .expect("counting the kiosk's scans");
    assert_eq!(at_kiosk as usize, rows, "{said}");

    // 4. Opening Sessions for scanned attendees, at the end of the event.
    let now = config.event.end_date.at(20, 0, 0, 0);
    let ctx = cekiosk::kiosk::context(config.clone(), &store, Some(now)).expect("the kiosk");
    let now_min = ctx.clock.minutes_at(Instant::now());
    let mut open = Vec::new();
    let mut ticked = 0;
    for who in people
        .iter()
        .step_by((people.len() / opens).max(1))
        .take(opens)
    {
        let start = Instant::now();
        let BadgeMatch::Attendee(found) =
            cekiosk::kiosk::resolve(&store, &config, &who.badge_id).expect("a look-up")
        else {
            panic!("{} is not at the kiosk", who.badge_id);
        };
        let mut v = Visit::new(&ctx, *found);
        v.tick_scanned(&ctx, now_min);
        open.push(start.elapsed());
        ticked += v.selected.len();
    }
    assert!(ticked > 0, "no scanned session was ticked");

    if !full {
        println!("scans smoke test: every part ran (run `cargo bench --bench scans` to time it)");
        return;
    }
    println!("scans: load average {}", figures::loadavg());
    let ratio = secs(median(&ours)) / secs(median(&floor));
    println!(
        "scans: import of {rows} door scans: median {:.2} s (runs {} ms); \\copy floor {:.2} s; ratio {ratio:.2}x (target <= {TARGET_RATIO}x): {}",
        secs(median(&ours)),
        list(&ours),
        secs(median(&floor)),
        verdict(ratio <= TARGET_RATIO)
    );
    println!(
        "scans: the same file again (nothing new): median {:.2} s (target <= the first import's): {}",
        secs(again),
        verdict(again <= median(&ours))
    );
    println!(
        "scans: a new kiosk's first sync ({}): {:.2} s",
        said.lines()
            .find(|l| l.contains("downloaded"))
            .unwrap_or("")
            .trim(),
        secs(first_sync)
    );
    let p99 = pct(&open, 99.0);
    println!(
        "scans: opening Sessions with door scans ticked, {} attendees ({ticked} sessions ticked): p50 {:.2} ms, p99 {:.2} ms (target p99 <= {TARGET_OPEN_MS} ms): {}",
        open.len(),
        ms(pct(&open, 50.0)),
        ms(p99),
        verdict(ms(p99) <= TARGET_OPEN_MS)
    );
}

/// Six scans an attendee, into sessions drawn by a fixed stride so every
/// run writes the same file: scanned in a few minutes before the start,
/// one in ten without a direction and one in ten on the way out.
fn write_scans(
    file: &Path,
    people: &[cekiosk::records::AttendeeRow],
    sessions: &[cekiosk::records::SessionRow],
) -> usize {
    let mut w = csv::Writer::from_path(file).expect("creating scans.csv");
    w.write_record(["badge_id", "session_id", "scanned_at", "direction"])
        .expect("writing");
    let mut rows = 0;
    for (i, a) in people.iter().enumerate() {
        for k in 0..SCANS_EACH {
            let s = &sessions[(i * 7 + k * 53) % sessions.len()];
            let (at, direction) = match (i + k) % 10 {
                0 => (s.ends_at.clone(), "out"),
                1 => (before(&s.starts_at, 2), ""),
                n => (before(&s.starts_at, n), "in"),
            };
            w.write_record([&a.badge_id, &s.session_id, &at, direction])
                .expect("writing");
            rows += 1;
        }
    }
    w.flush().expect("writing scans.csv");
    rows
}

/// An event-local time `minutes` earlier (sessions start after 07:00).
fn before(at: &str, minutes: usize) -> String {
    let t: jiff::civil::DateTime = at.parse().expect("a session time");
    (t - jiff::Span::new().minutes(minutes as i64))
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// psql's `\copy` of the file into a table with the scans table's columns,
/// key and index, nothing else (no feed); the whole psql run, start-up
/// included.
fn copy_floor(port: u16, url: &str, file: &Path) -> Duration {
    let db = url.rsplit('/').next().expect("a database name");
    let sql = "DROP TABLE IF EXISTS scans_floor; \
         CREATE TABLE scans_floor (badge_id text NOT NULL, session_id text NOT NULL, \
           scanned_at text NOT NULL, direction text NOT NULL, \
           PRIMARY KEY (badge_id, session_id, scanned_at, direction)); \
         CREATE INDEX ON scans_floor(session_id);";
    let psql = |extra: &[&str]| {
        let out = Command::new(psql::psql())
            .args(["-X", "-q", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .args(["-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1"])
            .args(extra)
            .output()
            .expect("starting psql");
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    psql(&["-c", sql]);
    let copy = format!(
        "\\copy scans_floor FROM '{}' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (direction))",
        file.display()
    );
    let start = Instant::now();
    psql(&["-c", &copy]);
    start.elapsed()
}
