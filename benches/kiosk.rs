//! The kiosk's performance figures, each on one `kiosk:` line with its
//! target:
//!
//! 1. keypress → finished frame on Sessions (3,000 sessions, 40,000
//!    attendees), in process: `App::update` plus a full draw into a
//!    120×33 `TestBackend`;
//! 2. resident memory of the release binary in tmux, at rest on Scan and on
//!    Sessions after a scan;
//! 3. CPU used by an idle kiosk on Scan (`CEKIOSK_BENCH_IDLE_SECS`,
//!    default 60);
//! 4. start → first frame in tmux (median of 5);
//! 5. key presses from scan to QR on a first visit claiming three sessions
//!    (demo config, a physician, defaults), per screen.
//!
//! `cargo bench --bench kiosk` runs it all. Run without `--bench` (as
//! `cargo test --benches` does) it only checks, quickly and on small data,
//! that every part works.

#[path = "common/figures.rs"]
mod figures;
#[path = "common/keys.rs"]
mod keys;
#[path = "common/kiosk_data.rs"]
mod kiosk_data;
#[path = "common/procfs.rs"]
mod procfs;
#[path = "common/tmux.rs"]
mod tmux;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cekiosk::config::Config;
use cekiosk::domain::ids::OsRandom;
use cekiosk::kiosk::app::{App, BadgeMatch, Msg, Screen};
use cekiosk::kiosk::screens::sessions::{ListEntry, SessionsState, blocked, totals_lines};
use cekiosk::kiosk::{self, view};
use cekiosk::store::Store;
use figures::{list, loadavg, max_of, ms, pct, verdict};
use keys::{KeyKind, drive, key, key_cycle, key_name, kind_of, next_key};
use kiosk_data::{cekiosk_import, generate};
use procfs::{clock_ticks, comm, cpu_ticks, mem_line};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use tmux::Tmux;

const ATTENDEES: usize = 40_000;
const SESSIONS: usize = 3_000;
const SAMPLES: usize = 2_400;
const START_RUNS: usize = 5;
const NOW: &str = "2026-11-25T12:00";
const WIDTH: u16 = 120;
const HEIGHT: u16 = 33;

struct Scale {
    attendees: usize,
    sessions: usize,
    samples: usize,
    idle: Duration,
    start_runs: usize,
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let idle_default = if full { 60 } else { 1 };
    let idle_secs = std::env::var("CEKIOSK_BENCH_IDLE_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(idle_default);
    let scale = if full {
        Scale {
            attendees: ATTENDEES,
            sessions: SESSIONS,
            samples: SAMPLES,
            idle: Duration::from_secs(idle_secs),
            start_runs: START_RUNS,
        }
    } else {
        Scale {
            attendees: 2_000,
            sessions: 300,
            samples: 200,
            idle: Duration::from_secs(idle_secs),
            start_runs: 1,
        }
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config_dir = repo.join("config");
    let dir = tempfile::tempdir().expect("creating a temporary directory");

    // The data: a generated roster and catalog, loaded the way staff load
    // them, with `cekiosk import`.
    let t = Instant::now();
    let data = generate(&config_dir, dir.path(), scale.attendees, scale.sessions);
    let db = dir.path().join("big.db");
    cekiosk_import(&config_dir, &db, "attendees", &data.attendees_csv);
    cekiosk_import(&config_dir, &db, "sessions", &data.sessions_csv);
    println!(
        "data: {} attendees, {} sessions, imported into {} in {:.1} s",
        scale.attendees,
        scale.sessions,
        db.display(),
        t.elapsed().as_secs_f64()
    );

    println!("load average before: {}", loadavg());
    keypress_to_frame(&scale, &config_dir, &db, &data.physician);
    match Tmux::new(dir.path()) {
        Some(tmux) => {
            in_tmux(&scale, &tmux, &config_dir, &db, &data.physician, dir.path());
        }
        None => println!("kiosk: tmux not found: memory, idle CPU and start time not measured"),
    }
    presses_to_qr(&config_dir, dir.path());
    println!("load average after: {}", loadavg());
    if !full {
        println!("kiosk smoke test: every part ran (run `cargo bench --bench kiosk` for figures)");
    }
}

// ---------------------------------------------------------------------------
// 1. Keypress → finished frame, in process (the keys: common/keys.rs).

struct Sample {
    kind: KeyKind,
    update: Duration,
    view: Duration,
    total: Duration,
}

fn keypress_to_frame(scale: &Scale, config_dir: &Path, db: &Path, badge: &str) {
    let config = Config::load(config_dir).expect("loading the demo config");
    let now = cekiosk::config::parse_local(NOW).expect("parsing NOW");
    let store = Store::open(db).expect("opening the database");
    let t = Instant::now();
    let ctx = kiosk::context(config, &store, Some(now)).expect("building the kiosk context");
    let context_time = t.elapsed();
    let ctx = Arc::new(ctx);
    let mut app = App::new(ctx.clone(), "bench-device".into(), Instant::now());
    let found = kiosk::resolve(&store, &ctx.config, badge).expect("resolving the badge");
    assert!(
        matches!(found, BadgeMatch::Attendee(_)),
        "{badge} not found"
    );
    app.update(Msg::Resolved {
        found,
        at: Instant::now(),
    });
    for _ in 0..2 {
        let effects = app.update(Msg::Key(key(KeyCode::Enter), Instant::now()));
        assert!(effects.is_empty());
    }
    assert!(
        matches!(app.screen, Screen::Sessions(_)),
        "expected the Sessions screen, on {}",
        app.screen.name()
    );
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    let cycle = key_cycle();
    // One untimed cycle warms caches and allocations.
    for k in &cycle {
        app.update(Msg::Key(*k, Instant::now()));
        terminal
            .draw(|f| {
                let _hits = view::draw(&app, f, Instant::now());
            })
            .expect("drawing");
    }
    let mut samples = Vec::with_capacity(scale.samples);
    let mut rows_shown = Vec::new();
    while samples.len() < scale.samples {
        for k in &cycle {
            let t0 = Instant::now();
            let effects = app.update(Msg::Key(*k, t0));
            let t1 = Instant::now();
            let mut view_time = Duration::ZERO;
            terminal
                .draw(|f| {
                    let v0 = Instant::now();
                    let _hits = view::draw(&app, f, v0);
                    view_time = v0.elapsed();
                })
                .expect("drawing");
            let t2 = Instant::now();
            assert!(effects.is_empty());
            samples.push(Sample {
                kind: kind_of(k),
                update: t1 - t0,
                view: view_time,
                total: t2 - t0,
            });
            if let Screen::Sessions(s) = &app.screen {
                rows_shown.push(s.rows.len());
            }
        }
    }
    assert!(matches!(app.screen, Screen::Sessions(_)));
    let screen = terminal.backend().buffer().clone();
    let text: String = screen.content.iter().map(|c| c.symbol()).collect();
    assert!(text.contains("Sessions"), "the frame shows Sessions");

    let totals: Vec<Duration> = samples.iter().map(|s| s.total).collect();
    let (p50, p99, max) = (pct(&totals, 50.0), pct(&totals, 99.0), max_of(&totals));
    println!(
        "kiosk: sessions keypress→frame p50 {:.2} ms p99 {:.2} ms max {:.2} ms over {} keys (target p99 <= 4 ms): {}",
        ms(p50),
        ms(p99),
        ms(max),
        samples.len(),
        verdict(ms(p99) <= 4.0)
    );
    // Where the time goes: update vs drawing (view::draw) vs the rest of
    // Terminal::draw (diffing the buffers, writing to the backend).
    let part = |f: fn(&Sample) -> Duration, kind: Option<KeyKind>| -> (f64, f64) {
        let v: Vec<Duration> = samples
            .iter()
            .filter(|s| kind.is_none_or(|k| s.kind == k))
            .map(f)
            .collect();
        (ms(pct(&v, 50.0)), ms(pct(&v, 99.0)))
    };
    for (label, kind) in [
        ("all keys", None),
        ("filter keys (letters, Backspace)", Some(KeyKind::Filter)),
        ("Down", Some(KeyKind::Down)),
        ("Space", Some(KeyKind::Space)),
    ] {
        let u = part(|s| s.update, kind);
        let v = part(|s| s.view, kind);
        let r = part(|s| s.total - s.update - s.view, kind);
        let t = part(|s| s.total, kind);
        println!(
            "  {label:<34} p50/p99 ms: update {:.3}/{:.3}  view::draw {:.3}/{:.3}  diff+flush {:.3}/{:.3}  total {:.3}/{:.3}",
            u.0, u.1, v.0, v.1, r.0, r.1, t.0, t.1
        );
    }
    // Other work on the machine lands in the tail. Each key of the cycle
    // was pressed once a pass: its median over the passes is what it costs
    // when nothing interferes.
    let passes = samples.len() / cycle.len();
    let per_key: Vec<Duration> = (0..cycle.len())
        .map(|j| {
            let v: Vec<Duration> = (0..passes)
                .map(|p| samples[p * cycle.len() + j].total)
                .collect();
            median(&v)
        })
        .collect();
    println!(
        "  noise check: each of the {} keys of the cycle, median over {passes} passes: slowest {:.3} ms, fastest {:.3} ms",
        cycle.len(),
        ms(max_of(&per_key)),
        ms(per_key.iter().copied().min().unwrap_or_default())
    );
    rows_shown.sort_unstable();
    println!(
        "  list rows after each key: min {} median {} max {}; kiosk::context (load + catalog) {:.1} ms",
        rows_shown.first().copied().unwrap_or(0),
        rows_shown.get(rows_shown.len() / 2).copied().unwrap_or(0),
        rows_shown.last().copied().unwrap_or(0),
        ms(context_time)
    );
    splits(&app);
}

/// Pieces of `update` and `view` timed on their own, through the public API.
fn splits(app: &App) {
    let ctx = &app.ctx;
    let Some(visit) = app.visit.as_ref() else {
        return;
    };
    let Screen::Sessions(state) = &app.screen else {
        return;
    };
    let reps = 200;
    let time = |f: &mut dyn FnMut()| -> f64 {
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        ms(t.elapsed()) / f64::from(reps)
    };
    let mut n = 0usize;
    let scan_lung = time(&mut || {
        n += ctx
            .catalog
            .sessions
            .iter()
            .filter(|s| s.matches("lung"))
            .count();
    });
    let scan_l = time(&mut || {
        n += ctx
            .catalog
            .sessions
            .iter()
            .filter(|s| s.matches("l"))
            .count();
    });
    let blocked_all = time(&mut || {
        n += (0..ctx.catalog.sessions.len())
            .filter(|i| blocked(visit, ctx, *i, state.now_min).is_none())
            .count();
    });
    let rebuild = time(&mut || {
        n += SessionsState::new(visit, ctx, state.now_min).rows.len();
    });
    let totals = time(&mut || {
        n += totals_lines(app.words(), visit, ctx).len();
    });
    let commands = time(&mut || {
        n += app.commands().len();
    });
    let day_rows = state
        .rows
        .iter()
        .filter(|r| matches!(r, ListEntry::Day(_)))
        .count();
    println!(
        "  splits (ms each): match the catalog for 'lung' {scan_lung:.3}, 'l' {scan_l:.3}; blocked() on every session {blocked_all:.3}; \
         rebuild with empty filter (SessionsState::new) {rebuild:.3}; totals_lines {totals:.3}; commands {commands:.4} \
         [{} selected, {day_rows} day rows, check {n}]",
        visit.selected.len()
    );
}

// ---------------------------------------------------------------------------
// 2–4. The release binary in tmux (common/tmux.rs), measured through
// /proc (common/procfs.rs).

fn kiosk_argv(config_dir: &Path, db: &Path) -> Vec<String> {
    vec![
        env!("CARGO_BIN_EXE_cekiosk").to_string(),
        "--config".into(),
        config_dir.display().to_string(),
        "--db".into(),
        db.display().to_string(),
        "run".into(),
        "--now".into(),
        NOW.into(),
    ]
}

fn in_tmux(scale: &Scale, tmux: &Tmux, config_dir: &Path, db: &Path, badge: &str, dir: &Path) {
    let first = Duration::from_secs(10);

    // For comparison: the kiosk on the demo data (a fresh database gets the
    // 340-attendee, 233-session demo files on first run).
    let demo_db = dir.join("demo-rss.db");
    let pid = tmux.spawn("demo", &kiosk_argv(config_dir, &demo_db));
    tmux.wait_for("demo", "Scan your badge", first);
    std::thread::sleep(Duration::from_millis(300));
    let (demo_rss, demo_hwm, demo_detail) = mem_line(pid);
    tmux.kill("demo");

    // 2 and 3: one kiosk on the big database.
    let pid = tmux.spawn("k", &kiosk_argv(config_dir, db));
    tmux.wait_for("k", "Scan your badge", first);
    assert_eq!(comm(pid), "cekiosk", "the pane runs the kiosk itself");
    std::thread::sleep(Duration::from_millis(300));
    let (rss_scan, hwm_scan, detail_scan) = mem_line(pid);

    let hz = clock_ticks();
    let before = cpu_ticks(pid);
    let t = Instant::now();
    std::thread::sleep(scale.idle);
    let after = cpu_ticks(pid);
    let wall = t.elapsed().as_secs_f64();
    let cpu_s = (after - before) as f64 / hz as f64;
    let pct_core = 100.0 * cpu_s / wall;
    let still_scan = tmux.capture("k").contains("Scan your badge");

    // Scan (a fast burst ending in Enter), then Welcome → Credit → Sessions.
    tmux.send("k", &[badge, "Enter"]);
    tmux.wait_for("k", "Welcome, ", first);
    tmux.send("k", &["Enter"]);
    tmux.wait_for("k", "Credit —", first);
    tmux.send("k", &["Enter"]);
    tmux.wait_for("k", "Sessions —", first);
    std::thread::sleep(Duration::from_millis(300));
    let (rss_sessions, hwm_sessions, detail_sessions) = mem_line(pid);
    // Typing a filter, slower than a scanner.
    for c in ["l", "u", "n", "g"] {
        tmux.send("k", &[c]);
        std::thread::sleep(Duration::from_millis(80));
    }
    tmux.wait_for("k", "Filter: lung", first);
    std::thread::sleep(Duration::from_millis(300));
    let (rss_filter, hwm_filter, _) = mem_line(pid);
    tmux.kill("k");

    let worst = [rss_scan, rss_sessions, rss_filter, hwm_filter]
        .into_iter()
        .fold(0.0, f64::max);
    println!(
        "kiosk: resident memory, {} roster: Scan VmRSS {rss_scan:.1} MB VmHWM {hwm_scan:.1} MB; Sessions VmRSS {rss_sessions:.1} MB VmHWM {hwm_sessions:.1} MB; after filtering VmRSS {rss_filter:.1} MB VmHWM {hwm_filter:.1} MB (target RSS <= 25 MB): {}",
        scale.attendees,
        verdict(worst <= 25.0)
    );
    println!("  on Scan: {detail_scan}");
    println!("  on Sessions: {detail_sessions}");
    println!(
        "  the same binary on the demo data (340 attendees, 233 sessions): VmRSS {demo_rss:.1} MB VmHWM {demo_hwm:.1} MB; {demo_detail}"
    );
    let size = std::fs::metadata(env!("CARGO_BIN_EXE_cekiosk"))
        .map(|m| m.len())
        .unwrap_or(0);
    let db_size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    println!(
        "  binary {:.1} MB on disk; database {:.1} MB",
        size as f64 / 1e6,
        db_size as f64 / 1e6
    );
    println!(
        "kiosk: idle CPU on Scan over {wall:.0} s: {} ticks at {hz} Hz = {cpu_s:.2} s, {pct_core:.3}% of one core{} (target < 0.5%): {}",
        after - before,
        if still_scan { "" } else { " (left Scan!)" },
        verdict(pct_core < 0.5 && still_scan)
    );

    // 4: start → first frame.
    let mut firsts = Vec::new();
    let mut exists = Vec::new();
    for run in 0..=scale.start_runs {
        let name = format!("s{run}");
        let t = Instant::now();
        let pid = tmux.spawn(&name, &kiosk_argv(config_dir, db));
        let spawned = t.elapsed();
        tmux.wait_for(&name, "Scan your badge", first);
        let frame = t.elapsed();
        tmux.kill(&name);
        let _ = pid;
        // Run 0 warms the page cache and is not counted.
        if run > 0 {
            firsts.push(frame);
            exists.push(spawned);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The polling floor: one `tmux capture-pane` of a screen that is there.
    let name = "floor";
    tmux.spawn(name, &kiosk_argv(config_dir, db));
    tmux.wait_for(name, "Scan your badge", first);
    let t = Instant::now();
    for _ in 0..20 {
        tmux.capture(name);
    }
    let capture_cost = t.elapsed() / 20;
    tmux.kill(name);
    let med = median(&firsts);
    println!(
        "kiosk: start→first frame median {:.1} ms over {} runs ({} ms) (target <= 150 ms): {}",
        ms(med),
        firsts.len(),
        list(&firsts),
        verdict(ms(med) <= 150.0)
    );
    println!(
        "  spawn→process exists (tmux new-session returned with the pid) median {:.1} ms ({} ms); one capture-pane poll costs {:.1} ms",
        ms(median(&exists)),
        list(&exists),
        ms(capture_cost)
    );
    startup_splits(config_dir, db);
}

/// What the kiosk does before its first frame, timed in process, and what
/// SQLite and the catalog hold afterwards.
fn startup_splits(config_dir: &Path, db: &Path) {
    let sqlite_bytes = || {
        // SAFETY: a read of SQLite's own counter, safe from any thread.
        unsafe { rusqlite::ffi::sqlite3_memory_used() }
    };
    let before = sqlite_bytes();
    let t0 = Instant::now();
    let config = Config::load(config_dir).expect("loading the config");
    let t1 = Instant::now();
    let store = Store::open(db).expect("opening the database");
    let t2 = Instant::now();
    let counts = store.counts().expect("counting");
    let t3 = Instant::now();
    let after_counts = sqlite_bytes();
    let now = cekiosk::config::parse_local(NOW).expect("parsing NOW");
    let ctx = kiosk::context(config, &store, Some(now)).expect("context");
    let t4 = Instant::now();
    let after_context = sqlite_bytes();
    let sessions = &ctx.catalog.sessions;
    // The strings each session holds (its search key is title, track and
    // room again), the struct itself, and the id index.
    let catalog_bytes: usize = sessions
        .iter()
        .map(|s| {
            let text = s.id.len() + s.title.len() + s.track.len() + s.room.len();
            2 * text + s.acpe_uan.len() + std::mem::size_of_val(s) + s.id.len() + 40
        })
        .sum();
    let mb = |b: f64| b / (1024.0 * 1024.0);
    println!(
        "  startup in process: Config::load {:.1} ms, Store::open {:.1} ms, counts() of {} attendees {:.1} ms, kiosk::context ({} sessions) {:.1} ms",
        ms(t1 - t0),
        ms(t2 - t1),
        counts.attendees,
        ms(t3 - t2),
        sessions.len(),
        ms(t4 - t3)
    );
    println!(
        "  memory in process: SQLite holds {:.1} MB after counts(), {:.1} MB after loading the catalog (page cache, default cache_size -2000 = 2 MB); the catalog ≈ {:.1} MB",
        mb((after_counts - before) as f64),
        mb((after_context - before) as f64),
        mb(catalog_bytes as f64)
    );
}

// ---------------------------------------------------------------------------
// 5. Key presses from scan to QR.

fn presses_to_qr(config_dir: &Path, dir: &Path) {
    // The demo's physician ("Try badge A0012345").
    let badge = "A0012345";
    let now = cekiosk::config::parse_local(NOW).expect("parsing NOW");
    for (n, (label, apart)) in [
        ("three sessions one after another (no overlap)", true),
        ("the three nearest claimable sessions", false),
    ]
    .into_iter()
    .enumerate()
    {
        // A fresh database each time, so each is a first visit.
        let config = Config::load(config_dir).expect("loading the demo config");
        let mut store =
            Store::open(&dir.join(format!("demo-presses-{n}.db"))).expect("opening a fresh store");
        cekiosk::cli::first_run_import(&config, &mut store).expect("importing the demo files");
        let ctx = Arc::new(kiosk::context(config, &store, Some(now)).expect("context"));
        let device = store.device_id(&mut OsRandom).expect("device id");
        let mut app = App::new(ctx.clone(), device, Instant::now());
        let mut presses: Vec<(&'static str, usize)> = Vec::new();
        let count = |presses: &mut Vec<(&'static str, usize)>, screen: &'static str| match presses
            .last_mut()
        {
            Some((s, n)) if *s == screen => *n += 1,
            _ => presses.push((screen, 1)),
        };
        // The scan: one press.
        let found = kiosk::resolve(&store, &ctx.config, badge).expect("resolving");
        let BadgeMatch::Attendee(a) = &found else {
            panic!("{badge} is not in the demo roster");
        };
        assert_eq!(a.attendee.profession.as_str(), "physician");
        assert!(a.claims.is_empty() && a.answers.is_empty(), "a first visit");
        count(&mut presses, "scan");
        drive(
            &mut app,
            &mut store,
            Msg::Resolved {
                found,
                at: Instant::now(),
            },
        );
        let mut keys: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
        let mut guard = 0;
        while !matches!(app.screen, Screen::Certificate(_)) {
            guard += 1;
            assert!(guard < 500, "stuck on {}", app.screen.name());
            let screen = app.screen.name();
            let k = next_key(&app, apart);
            count(&mut presses, screen);
            *keys.entry((screen, key_name(&k))).or_insert(0) += 1;
            drive(&mut app, &mut store, Msg::Key(k, Instant::now()));
        }
        let claimed = app.visit.as_ref().map(|v| v.selected.len()).unwrap_or(0);
        assert_eq!(claimed, 3, "three sessions claimed");
        let total: usize = presses.iter().map(|(_, n)| n).sum();
        let mut breakdown = String::new();
        for (s, n) in &presses {
            let _ = write!(
                breakdown,
                "{}{s} {n}",
                if breakdown.is_empty() { "" } else { ", " }
            );
            let by_key: Vec<String> = keys
                .iter()
                .filter(|((screen, _), _)| screen == s)
                .map(|((_, k), n)| format!("{n}×{k}"))
                .collect();
            if by_key.len() > 1 {
                let _ = write!(breakdown, " = {}", by_key.join(" + "));
            }
        }
        println!(
            "kiosk: presses scan→QR, first visit, physician, defaults, {label}: {total} ({breakdown}) (no target set)"
        );
    }
}

/// The lower of the two middle ones for an even count (this bench's own;
/// `figures::median` takes the upper).
fn median(v: &[Duration]) -> Duration {
    pct(v, 50.0)
}
