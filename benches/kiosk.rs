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

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cekiosk::config::Config;
use cekiosk::domain::evaluation::Kind;
use cekiosk::domain::ids::OsRandom;
use cekiosk::kiosk::app::{App, Found, Msg, Screen};
use cekiosk::kiosk::screens::sessions::{Row, SessionsState, blocked, totals_lines};
use cekiosk::kiosk::{self, view};
use cekiosk::store::Store;
use figures::{list, max_of, ms, verdict};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
// 1. Keypress → finished frame, in process.

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyKind {
    Filter,
    Down,
    Space,
}

fn kind_of(k: &KeyEvent) -> KeyKind {
    match k.code {
        KeyCode::Down => KeyKind::Down,
        KeyCode::Char(' ') => KeyKind::Space,
        _ => KeyKind::Filter,
    }
}

/// One cycle of an attendee at work: type a word, move, select, clear the
/// filter, move, select; then the same with another word.
fn key_cycle() -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    for word in ["lung", "breast"] {
        keys.extend(word.chars().map(|c| key(KeyCode::Char(c))));
        keys.extend([KeyCode::Down, KeyCode::Down].map(key));
        keys.push(key(KeyCode::Char(' ')));
        keys.push(key(KeyCode::Down));
        keys.push(key(KeyCode::Char(' ')));
        keys.extend(word.chars().map(|_| key(KeyCode::Backspace)));
        keys.extend([KeyCode::Down; 5].map(key));
        keys.push(key(KeyCode::Char(' ')));
    }
    keys
}

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
    assert!(matches!(found, Found::Attendee(_)), "{badge} not found");
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
        n += totals_lines(visit, ctx).len();
    });
    let commands = time(&mut || {
        n += app.commands().len();
    });
    let day_rows = state
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Day(_)))
        .count();
    println!(
        "  splits (ms each): match the catalog for 'lung' {scan_lung:.3}, 'l' {scan_l:.3}; blocked() on every session {blocked_all:.3}; \
         rebuild with empty filter (SessionsState::new) {rebuild:.3}; totals_lines {totals:.3}; commands {commands:.4} \
         [{} selected, {day_rows} day rows, check {n}]",
        visit.selected.len()
    );
}

// ---------------------------------------------------------------------------
// 2–4. The release binary in tmux.

struct Tmux {
    socket: String,
    conf: PathBuf,
}

impl Tmux {
    fn new(dir: &Path) -> Option<Tmux> {
        let found = Command::new("tmux")
            .arg("-V")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            return None;
        }
        let conf = dir.join("tmux.conf");
        // No status line (the pane is the whole 120×33 window); keep a pane
        // whose program died so its last words can be read.
        std::fs::write(&conf, "set -g status off\nset -g remain-on-exit on\n")
            .expect("writing tmux.conf");
        Some(Tmux {
            socket: format!("cekiosk-bench-{}", std::process::id()),
            conf,
        })
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("-f")
            .arg(&self.conf)
            .args(args)
            .env_remove("TMUX")
            .env_remove("CEKIOSK_LOG")
            .stdin(Stdio::null())
            .output()
            .expect("starting tmux")
    }

    /// Starts the kiosk in a new session; returns the pane's pid, which is
    /// the kiosk itself (tmux execs a command given as several words).
    fn spawn(&self, name: &str, argv: &[String]) -> u32 {
        let mut args = vec![
            "new-session",
            "-d",
            "-P",
            "-F",
            "#{pane_pid}",
            "-s",
            name,
            "-x",
            "120",
            "-y",
            "33",
        ];
        args.extend(argv.iter().map(String::as_str));
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("the pane's pid")
    }

    fn capture(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", name]).stdout).into_owned()
    }

    /// Polls the screen every 2 ms until `text` shows; the time it took.
    fn wait_for(&self, name: &str, text: &str, timeout: Duration) -> Duration {
        let t = Instant::now();
        loop {
            if self.capture(name).contains(text) {
                return t.elapsed();
            }
            if t.elapsed() > timeout {
                panic!(
                    "'{text}' did not show within {timeout:?}; the screen:\n{}",
                    self.capture(name)
                );
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn send(&self, name: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", name];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "tmux send-keys failed");
    }

    fn kill(&self, name: &str) {
        self.run(&["kill-session", "-t", name]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Only our own server, on our own socket; then the socket file,
        // which tmux leaves behind ($TMUX_TMPDIR/tmux-UID/NAME).
        self.run(&["kill-server"]);
        let uid = std::fs::read_to_string("/proc/self/status")
            .unwrap_or_default()
            .lines()
            .find_map(|l| {
                l.strip_prefix("Uid:")?
                    .split_whitespace()
                    .next()
                    .map(String::from)
            });
        if let Some(uid) = uid {
            let tmp = std::env::var("TMUX_TMPDIR").unwrap_or_else(|_| "/tmp".into());
            let _ = std::fs::remove_file(
                Path::new(&tmp)
                    .join(format!("tmux-{uid}"))
                    .join(&self.socket),
            );
        }
    }
}

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

/// kB figures from /proc/PID/status.
fn status_kb(pid: u32) -> HashMap<String, u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let kb = v.trim().strip_suffix(" kB")?.trim().parse().ok()?;
            Some((k.to_string(), kb))
        })
        .collect()
}

fn mem_line(pid: u32) -> (f64, f64, String) {
    let s = status_kb(pid);
    let get = |k: &str| s.get(k).copied().unwrap_or(0);
    let mb = |kb: u64| kb as f64 / 1024.0;
    let detail = format!(
        "RssAnon {:.1} MB, RssFile {:.1} MB, VmData {:.1} MB, threads {}",
        mb(get("RssAnon")),
        mb(get("RssFile")),
        mb(get("VmData")),
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("Threads:").map(|t| t.trim().to_string()))
            .unwrap_or_default()
    );
    (mb(get("VmRSS")), mb(get("VmHWM")), detail)
}

/// utime + stime of the whole process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("reading stat");
    // The command name, in parentheses, may hold spaces: count from after it.
    let rest = &stat[stat.rfind(')').expect("stat has a comm") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Field 3 (state) is rest[0], so field N is rest[N - 3].
    let utime: u64 = fields[14 - 3].parse().expect("utime");
    let stime: u64 = fields[15 - 3].parse().expect("stime");
    utime + stime
}

fn clock_ticks() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_string()
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
        let Found::Attendee(a) = &found else {
            panic!("{badge} is not in the demo roster");
        };
        assert_eq!(a.attendee.profession.as_str(), "physician");
        assert!(a.claims.is_empty() && a.answers.is_empty(), "a first visit");
        count(&mut presses, "scan");
        drive(&mut app, &mut store, Msg::Scanned(found, Instant::now()));
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

/// Feeds a message and carries out its effects, as the kiosk's loop does.
fn drive(app: &mut App, store: &mut Store, msg: Msg) {
    let mut queue = std::collections::VecDeque::from([msg]);
    while let Some(m) = queue.pop_front() {
        for effect in app.update(m) {
            let mut io = kiosk::Io {
                store: &mut *store,
                upload_now: None,
            };
            queue.extend(kiosk::perform(
                effect,
                &mut io,
                &app.ctx.config,
                Instant::now(),
            ));
        }
    }
}

fn key_name(k: &KeyEvent) -> &'static str {
    match k.code {
        KeyCode::Enter => "Enter",
        KeyCode::Down => "↓",
        KeyCode::Char(' ') => "Space",
        KeyCode::Char(_) => "digit",
        _ => "other",
    }
}

/// The key an attendee taking the defaults presses next.
fn next_key(app: &App, apart: bool) -> KeyEvent {
    let ctx = &app.ctx;
    let visit = app.visit.as_ref().expect("a visit");
    match &app.screen {
        Screen::Sessions(s) => {
            if visit.selected.len() >= 3 {
                return key(KeyCode::Enter);
            }
            let wanted = |i: usize| {
                blocked(visit, ctx, i, s.now_min).is_none()
                    && !visit.selected.contains_key(&i)
                    && (!apart
                        || visit.selected.keys().all(|j| {
                            !ctx.catalog.sessions[*j]
                                .span
                                .overlaps(ctx.catalog.sessions[i].span)
                        }))
            };
            match s.current() {
                Some(i) if wanted(i) => key(KeyCode::Char(' ')),
                _ => key(KeyCode::Down),
            }
        }
        Screen::Evaluation(e) => match ctx.config.questions[e.asked[e.pos]].kind {
            // The first option ("Strongly agree", "Yes").
            Kind::Choice(_) => key(KeyCode::Char('1')),
            // An optional text answer left empty.
            Kind::Text => key(KeyCode::Enter),
        },
        // Welcome, Credit with its defaults, Attest.
        _ => key(KeyCode::Enter),
    }
}

// ---------------------------------------------------------------------------
// Data.

struct Data {
    attendees_csv: PathBuf,
    sessions_csv: PathBuf,
    /// A physician's badge from the generated roster.
    physician: String,
}

/// A deterministic generator (SplitMix64), so every run loads the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn percent(&mut self) -> u64 {
        self.next() % 100
    }
}

/// A roster and a catalog in the shape of the demo files, drawn from their
/// names, titles, tracks and rooms.
fn generate(config_dir: &Path, dir: &Path, attendees: usize, sessions: usize) -> Data {
    let config = Config::load(config_dir).expect("loading the demo config");
    let people = cekiosk::import::read_attendees(&config_dir.join("attendees.csv"))
        .expect("reading the demo roster");
    let talks = cekiosk::import::read_sessions(&config_dir.join("sessions.csv"), &config)
        .expect("reading the demo catalog");
    let mut rng = Rng(0x00C0_FFEE);

    let attendees_csv = dir.join("attendees.csv");
    let mut w = csv::Writer::from_path(&attendees_csv).expect("creating attendees.csv");
    w.write_record(cekiosk::import::ATTENDEE_COLUMNS)
        .expect("writing");
    let mut physician = None;
    for i in 0..attendees {
        // 7919 is prime, so i -> badge is one-to-one for i below 9,000,000.
        let badge = format!("A{:07}", 1_000_000 + (i as u64 * 7919) % 9_000_000);
        let who = &people[rng.below(people.len())];
        let last = &people[rng.below(people.len())].last_name;
        let email = if rng.percent() < 8 {
            String::new()
        } else {
            format!(
                "{}.{}{i}@example.org",
                ascii_part(&who.first_name),
                ascii_part(last)
            )
        };
        let profession = who.profession.as_str();
        if profession == "physician" && physician.is_none() && i > attendees / 2 {
            physician = Some(badge.clone());
        }
        w.write_record([
            badge.as_str(),
            &who.first_name,
            last,
            &who.degree,
            profession,
            &email,
        ])
        .expect("writing");
    }
    w.flush().expect("writing attendees.csv");

    let sessions_csv = dir.join("sessions.csv");
    let mut w = csv::Writer::from_path(&sessions_csv).expect("creating sessions.csv");
    w.write_record([
        "session_id",
        "title",
        "starts_at",
        "ends_at",
        "credits",
        "credit_types",
        "track",
        "room",
        "acpe_uan",
    ])
    .expect("writing");
    const KINDS: [&str; 6] = [
        "",
        "Update: ",
        "Case Discussion: ",
        "Debate: ",
        "Year in Review: ",
        "Poster Discussion: ",
    ];
    const MINUTES: [i64; 6] = [30, 45, 60, 60, 75, 90];
    let mut days = vec![config.event.start_date];
    while let Some(next) = days.last().and_then(|d| d.tomorrow().ok())
        && next <= config.event.end_date
    {
        days.push(next);
    }
    for i in 0..sessions {
        let talk = &talks[rng.below(talks.len())];
        let title = format!("{}{}", KINDS[rng.below(KINDS.len())], talk.title);
        let day = days[i % days.len()];
        let start = 7 * 60 + 15 * rng.below(44) as i64; // 07:00 to 17:45
        let minutes = MINUTES[rng.below(MINUTES.len())];
        let end = start + minutes;
        let most = minutes / 15; // quarters: one credit an hour at most
        let quarters = if rng.percent() < 85 {
            most
        } else {
            1 + rng.below(most as usize) as i64
        };
        let mut types = Vec::new();
        for (code, p) in [("AMA", 90), ("ANCC", 50), ("ACPE", 35), ("MOC", 20)] {
            if rng.percent() < p {
                types.push(code);
            }
        }
        if types.is_empty() {
            types.push("AMA");
        }
        let uan = if types.contains(&"ACPE") {
            format!("JA0000534-0000-26-{:04}-L01-P", i + 1)
        } else {
            String::new()
        };
        let room = if rng.percent() < 70 {
            talk.room.clone()
        } else {
            format!(
                "S{}{}",
                100 + rng.below(60),
                ["a", "b", "c", "d"][rng.below(4)]
            )
        };
        let at = |m: i64| format!("{day}T{:02}:{:02}", m / 60, m % 60);
        w.write_record([
            format!("B{:05}", i + 1).as_str(),
            &title,
            &at(start),
            &at(end),
            &format_quarters(quarters),
            &types.join(";"),
            &talk.track,
            &room,
            &uan,
        ])
        .expect("writing");
    }
    w.flush().expect("writing sessions.csv");
    Data {
        attendees_csv,
        sessions_csv,
        physician: physician.expect("a physician in the roster"),
    }
}

fn format_quarters(q: i64) -> String {
    match q % 4 {
        0 => format!("{}", q / 4),
        r => format!("{}.{}", q / 4, ["", "25", "5", "75"][r as usize]),
    }
}

/// The ASCII letters of a name, lower case, for an email's local part.
fn ascii_part(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if t.is_empty() { "x".into() } else { t }
}

/// `cekiosk import WHAT FILE`, as staff run it.
fn cekiosk_import(config_dir: &Path, db: &Path, what: &str, file: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_cekiosk"))
        .arg("--config")
        .arg(config_dir)
        .arg("--db")
        .arg(db)
        .args(["import", what])
        .arg(file)
        .env_remove("CEKIOSK_LOG")
        .env_remove("EXP")
        .stdin(Stdio::null())
        .output()
        .expect("starting cekiosk");
    assert!(
        out.status.success(),
        "cekiosk import {what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------
// Figures.

fn pct(v: &[Duration], p: f64) -> Duration {
    let mut s = v.to_vec();
    s.sort_unstable();
    if s.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

fn median(v: &[Duration]) -> Duration {
    pct(v, 50.0)
}

/// Other work on the machine shows up in the tails: say how busy it was.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
        + &format!(
            " ({} CPUs)",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        )
}
