//! Power loss at any instant: the real kiosk binary in tmux, killed with
//! SIGKILL at a random moment just after the attendee presses Enter on
//! Attest (the window in which the visit is committed and the QR code is
//! drawn), then started again, many times over one database.
//!
//! After every kill the database files, exactly as the dead process left
//! them, are copied aside and checked:
//!
//! * `PRAGMA integrity_check` is ok (and `foreign_key_check` is empty);
//! * the visit was committed whole or not at all: either the attendee's
//!   claims grew by exactly the number selected and the visit, certificate,
//!   profile and outbox rows for them are all there, or nothing in the
//!   database changed;
//! * across the whole database every certificate has its visit, every
//!   visit has claims and a certificate, and every claim and certificate
//!   has its outbox row;
//! * a certificate URL on screen (captured right before the kill, and again
//!   after it: tmux keeps a dead pane's last screen) is in `certificates`:
//!   an attendee who saw a QR code has that certificate;
//! * the kiosk starts again, on Scan, and sees what the check saw.
//!
//! SIGKILL loses what the process had not handed to the kernel; it does not
//! lose what the kernel had not written to the disk. That half (the fsync
//! of `synchronous=FULL`) is measured by `benches/fsync.rs`.
//!
//! `CEKIOSK_CRASH_TRIALS` raises the number of kills (default 50);
//! `CEKIOSK_CRASH_SEED` repeats a run's random delays and selections. Run
//! with `--nocapture` to see the summary line:
//!
//! ```text
//! crash: N kill trials, C committed, R rolled back, 0 losses
//! ```

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use common::crash_checks::{Snapshot, committed_visit_problems, database_problems};
use common::tmux::{Kiosk, SCAN, SHORT, Style, heading, question_counter, url_base};
use common::{Rng, config_dir};

const DEFAULT_TRIALS: usize = 50;
/// Kills land 0..=400 ms after the Attest Enter is handed to tmux (it is
/// in the kiosk's terminal a fraction of a millisecond later): a third uniform over all of it, a third over the first 20 ms
/// (the commit and the Certificate frame) and a third over the first 1 ms,
/// the commit itself (its fsync is a fraction of a millisecond on a VM
/// disk; uniform over 400 ms almost every kill would find the visit long
/// committed).
const DELAY_WINDOWS_US: [u64; 3] = [1_000, 20_000, 400_000];
/// Kills sooner than this after Enter skip the capture before the kill
/// (a tmux process, a few ms, would delay the kill past the commit); the
/// capture after the kill shows the last frame all the same.
const CAPTURE_BEFORE_FROM_US: u64 = 10_000;
/// A person's keys: further apart than the kiosk's 50 ms burst gap, so no
/// key is held as part of a possible scan (and the Attest Enter acts the
/// moment it arrives).
const HUMAN_GAP: Duration = Duration::from_millis(70);
const WIDTH: u16 = 120;
const HEIGHT: u16 = 33;

/// Physicians of the demo roster, in file order: their default credit
/// (AMA) covers most sessions and asks nothing more at Credit.
fn physicians() -> Vec<String> {
    let mut r = csv::Reader::from_path(config_dir().join("attendees.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (badge, profession) = (col("badge_id"), col("profession"));
    r.records()
        .map(|rec| rec.unwrap())
        .filter(|rec| &rec[profession] == "physician")
        .map(|rec| rec[badge].to_string())
        .collect()
}

fn trials() -> usize {
    std::env::var("CEKIOSK_CRASH_TRIALS")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .map_or(DEFAULT_TRIALS, |n| n.max(DEFAULT_TRIALS))
}

// ---------------------------------------------------------------------------
// The kiosk in a tmux pane (tests/common/tmux.rs), and what only this test
// does to it: kill it with SIGKILL, start it again, and read the files it
// left.

static STYLE: Style = Style {
    name: "crash",
    needed_by: "the crash test",
    then: "",
    human_gap: HUMAN_GAP,
    poll: Duration::from_millis(10),
    full_reports: true,
};

/// Starts the kiosk and waits for Scan.
fn start() -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::launch(&STYLE, "power", WIDTH, HEIGHT, &[], dir);
    kiosk.wait_until("the Scan screen", Duration::from_secs(15), |s| {
        heading(s) == SCAN
    });
    kiosk
}

/// A shell waiting to send SIGKILL to `pid` the moment it is told to,
/// so the kill goes out within a fraction of a millisecond (starting a
/// `kill` process then would take a millisecond or more).
fn arm_killer(pid: u32) -> Child {
    Command::new("sh")
        .args(["-c", "read go && kill -9 \"$1\"", "sh"])
        .arg(pid.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting sh")
}

/// The power cut: SIGKILL to the kiosk, the kiosk started again, and the
/// files it left.
trait PowerCut {
    fn pane_pid(&self) -> u32;
    fn kill9(&self, killer: Child, pid: u32) -> Instant;
    fn restart(&self);
    fn live(&self) -> Connection;
    fn crashed_copy(&self, trial: usize) -> Connection;
}

impl PowerCut for Kiosk {
    fn pane_pid(&self) -> u32 {
        let pid = self.display("#{pane_pid}");
        pid.parse()
            .unwrap_or_else(|_| self.fail(&format!("pane_pid {pid:?} is not a pid")))
    }

    /// SIGKILL to the kiosk (no destructor, no SQLite close, no flush),
    /// then waits until it is gone, its files closed. Returns when the
    /// killer was told to kill.
    fn kill9(&self, mut killer: Child, pid: u32) -> Instant {
        let fired = Instant::now();
        killer
            .stdin
            .take()
            .expect("the killer's stdin")
            .write_all(b"go\n")
            .expect("telling the killer to kill");
        let out = killer.wait_with_output().expect("waiting for the killer");
        if !out.status.success() {
            self.fail(&format!(
                "kill -9 {pid} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        // pane_dead turns 1 when the terminal closes. tmux 3.3 does not
        // always reap the process (it can stay a zombie, without an exit
        // status): a zombie has closed its files, which is what matters.
        let start = Instant::now();
        loop {
            let dead = self.display("#{pane_dead}");
            let state = proc_state(pid);
            if dead == "1" && matches!(state, None | Some('Z')) {
                break;
            }
            if start.elapsed() > SHORT {
                self.fail(&format!(
                    "the kiosk (pid {pid}) is still there after kill -9 \
                     (pane_dead {dead:?}, process state {state:?})"
                ));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let (signal, status) = (
            self.display("#{pane_dead_signal}"),
            self.display("#{pane_dead_status}"),
        );
        if !status.is_empty() || !(signal.is_empty() || signal == "9") {
            self.fail(&format!(
                "the kiosk ended by itself (status {status:?}, signal {signal:?}), \
                 not by our SIGKILL"
            ));
        }
        fired
    }

    /// Runs the pane's command (the kiosk, same arguments) again.
    fn restart(&self) {
        self.tmux(&["respawn-pane", "-t", "kiosk"]);
    }

    /// The live database, read-only, while the kiosk runs (WAL: readers
    /// do not block the writer).
    fn live(&self) -> Connection {
        let c = Connection::open_with_flags(self.db(), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap_or_else(|e| self.fail(&format!("opening the live database: {e}")));
        c.busy_timeout(SHORT).unwrap();
        c
    }

    /// A copy of the database files exactly as the dead kiosk left them
    /// (the main file and the WAL; not the shared-memory index, which
    /// SQLite rebuilds from the WAL as after a power cut), opened
    /// read-write so SQLite runs its recovery on the copy. The kiosk's own
    /// files are left for the restarted kiosk to recover by itself.
    fn crashed_copy(&self, trial: usize) -> Connection {
        let dir = self.dir().join("after-kill");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join(format!("k{trial}.db"));
        std::fs::copy(self.db(), &copy).unwrap();
        let wal = PathBuf::from(format!("{}-wal", self.db().display()));
        if wal.exists() {
            std::fs::copy(&wal, format!("{}-wal", copy.display())).unwrap();
        }
        Connection::open(&copy)
            .unwrap_or_else(|e| self.fail(&format!("opening the crashed database: {e}")))
    }
}

/// A process's state letter from /proc (Linux), None once it is gone.
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the state follows the last ')'.
    stat[stat.rfind(')')? + 1..].trim_start().chars().next()
}

/// The cursor's row on Sessions.
fn cursor_line(screen: &str) -> Option<&str> {
    screen.lines().find(|l| l.contains('▶'))
}

fn ticked(screen: &str) -> usize {
    screen.lines().filter(|l| l.contains("[✓]")).count()
}

/// "Claimed on this visit: N sessions" on Attest.
fn claimed_on_attest(screen: &str) -> Option<i64> {
    let line = screen
        .lines()
        .find(|l| l.contains("Claimed on this visit:"))?;
    let rest = &line[line.find(':')? + 1..];
    rest.split_whitespace().next()?.parse().ok()
}

/// Certificate ids shown after the certificate URL base, whole or cut
/// short by a draw the capture caught half-way.
fn shown_ids(screen: &str, base: &str) -> Vec<String> {
    let re = regex::Regex::new(&format!("{}([A-Za-z0-9_-]*)", regex::escape(base))).unwrap();
    re.captures_iter(screen)
        .map(|c| c[1].to_string())
        .filter(|id| !id.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------
// The attendee flow.

/// Sessions: selects `want` sessions starting from the cursor (the first
/// selectable one), passing over any the kiosk refuses. Returns how many
/// were selected.
fn select_sessions(k: &Kiosk, want: usize) -> usize {
    let mut have = 0;
    for _ in 0..40 {
        let before = k.capture();
        let base = ticked(&before);
        k.press("Space");
        let s = k.wait_until("the session to be selected (or refused)", SHORT, |s| {
            ticked(s) == base + 1 || s.contains('✗')
        });
        if ticked(&s) == base + 1 {
            have += 1;
        }
        if have == want {
            break;
        }
        let at = cursor_line(&s).unwrap_or("").to_string();
        k.press("Down");
        k.wait_until("the cursor to move down", SHORT, |s| {
            cursor_line(s).is_some_and(|l| l != at)
        });
    }
    have
}

/// From Scan to Attest; returns the Attest screen.
fn to_attest(k: &Kiosk, badge: &str, want: usize, evaluation: bool) -> String {
    k.type_like_scanner(badge);
    k.wait_until("Welcome", SHORT, |s| heading(s).starts_with("Welcome, "));
    k.press("Enter");
    k.wait_until("the Credit screen", SHORT, |s| {
        heading(s).contains("Credit")
    });
    k.press("Enter");
    k.wait_until("the Sessions screen", SHORT, |s| {
        heading(s).contains("Sessions") && cursor_line(s).is_some()
    });
    let got = select_sessions(k, want);
    if got != want {
        k.fail(&format!("selected {got} sessions, not {want}"));
    }
    k.press("Enter");
    let screen = k.wait_until("Attest or the evaluation", SHORT, |s| {
        heading(s).contains("Attest") || question_counter(s).is_some()
    });
    if !evaluation && !heading(&screen).contains("Attest") {
        k.fail_with(
            "the evaluation was asked of an attendee who completed it",
            &screen,
        );
    }
    k.answer_evaluation(screen);
    // Let the Attest frame finish drawing before reading it.
    k.wait_until("the claim count on Attest", SHORT, |s| {
        claimed_on_attest(s).is_some()
    })
}

// ---------------------------------------------------------------------------
// The test.

#[derive(Default)]
struct Tally {
    committed: usize,
    rolled_back: usize,
    /// Trials whose screen showed the certificate URL before the kill.
    qr_seen: usize,
    /// Kills that found the visit committed but its URL not yet drawn.
    committed_unseen: usize,
    /// The latest kill that still rolled back and the earliest that found
    /// the visit committed, after the Enter went out.
    latest_rollback: Option<Duration>,
    earliest_commit: Option<Duration>,
}

#[test]
fn power_loss_at_any_instant_around_attest() {
    let started = Instant::now();
    let seed = common::seed("CEKIOSK_CRASH_SEED");
    let trials = trials();
    println!("crash: seed {seed} (CEKIOSK_CRASH_SEED={seed} repeats it), {trials} trials");
    let mut rng = Rng::new(seed);
    let base = url_base();
    let badges = physicians();
    assert!(badges.len() > 10, "too few physicians in the demo roster");

    let k = start();

    // One visit done in full (the evaluation answered), not killed; its
    // answers are then given to every other physician, so each trial is
    // Scan → Welcome → Credit → Sessions → Attest with a fresh badge, the
    // evaluation skipped as for anyone who completed it.
    let seed_badge = &badges[0];
    k.set_doing(format!("seed visit of {seed_badge}"));
    to_attest(&k, seed_badge, 1, true);
    k.press("Enter");
    k.wait_until("the Certificate screen", SHORT, |s| {
        heading(s).contains("Certificate") && !shown_ids(s, &base).is_empty()
    });
    k.press("Enter");
    k.wait_until("Scan after Done", SHORT, |s| heading(s) == SCAN);
    {
        let c = Connection::open(k.db()).unwrap();
        c.busy_timeout(SHORT).unwrap();
        let copied = c
            .execute(
                "INSERT OR IGNORE INTO answers(badge_id, question_id, answer, answered_at, visit_id)
                 SELECT a.badge_id, s.question_id, s.answer, s.answered_at, s.visit_id
                 FROM attendees a, answers s
                 WHERE s.badge_id = ?1 AND a.profession = 'physician' AND a.badge_id <> ?1",
                [seed_badge],
            )
            .unwrap();
        assert!(
            copied > 0,
            "no evaluation answers to copy from {seed_badge}"
        );
    }

    let mut tally = Tally::default();
    let mut expected_live: Option<(String, Snapshot)> = None;
    let pool = &badges[1..];
    for trial in 0..trials {
        let badge = &pool[trial % pool.len()];
        let want = 1 + rng.below(3) as usize;
        let delay_us = rng.below(DELAY_WINDOWS_US[trial % DELAY_WINDOWS_US.len()] + 1);
        k.set_doing(format!(
            "seed {seed}, trial {}/{trials}: {badge}, {want} sessions, kill {:.3} ms after the Attest Enter",
            trial + 1,
            delay_us as f64 / 1000.0
        ));

        // The restarted kiosk must see what the check of the crashed copy
        // saw: its own recovery of the same files keeps the same visits.
        if let Some((prev_badge, snap)) = expected_live.take() {
            let live = Snapshot::of(&k.live(), &prev_badge);
            if live != snap {
                k.fail(&format!(
                    "after restarting, the kiosk's database differs from the crashed \
                     files' recovery:\n  recovered copy: {snap:?}\n  live:           {live:?}"
                ));
            }
        }
        let before = Snapshot::of(&k.live(), badge);

        let attest = to_attest(&k, badge, want, false);
        let selected = claimed_on_attest(&attest).unwrap();
        if selected != want as i64 {
            k.fail_with(
                &format!("Attest lists {selected} sessions, not the {want} selected"),
                &attest,
            );
        }
        let pid = k.pane_pid();
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if !comm.trim().starts_with("cekiosk") {
            k.fail(&format!(
                "the pane's process {pid} is {comm:?}, not the kiosk"
            ));
        }

        // Attest: Enter, and the power goes.
        let killer = arm_killer(pid);
        let armed = Instant::now();
        // A person's pause, and time for the killer's shell to start.
        let pause = HUMAN_GAP
            .saturating_sub(k.last_key().elapsed())
            .max(Duration::from_millis(10).saturating_sub(armed.elapsed()));
        std::thread::sleep(pause);
        // Through the control client: a write to a pipe, so the clock
        // starts before the key is in the kiosk's terminal (a tmux process
        // returns only after the kiosk has already committed).
        k.control("send-keys -t kiosk Enter");
        let sent = Instant::now();
        let wait = Duration::from_micros(delay_us).saturating_sub(sent.elapsed());
        std::thread::sleep(wait);
        let seen = if delay_us >= CAPTURE_BEFORE_FROM_US {
            k.capture()
        } else {
            String::new()
        };
        let killed_after = k.kill9(killer, pid) - sent;
        // A dead pane keeps its last screen: everything the kiosk drew.
        let last = k.capture();

        let c = k.crashed_copy(trial);
        let problems = database_problems(&c);
        if !problems.is_empty() {
            k.fail_with(
                &format!(
                    "after the kill ({killed_after:?} after Enter) the database is broken:\n  {}",
                    problems.join("\n  ")
                ),
                &last,
            );
        }
        let after = Snapshot::of(&c, badge);
        let committed = if after == before {
            false
        } else {
            let problems = committed_visit_problems(&c, badge, &before, &after, selected);
            if !problems.is_empty() {
                k.fail_with(
                    &format!(
                        "after the kill ({killed_after:?} after Enter) the visit is half \
                         written:\n  {}\n  before: {before:?}\n  after:  {after:?}",
                        problems.join("\n  ")
                    ),
                    &last,
                );
            }
            true
        };

        // Whoever saw a certificate URL has that certificate: this visit's,
        // in the database after the kill. (A capture can catch a frame half
        // drawn, the id cut short: then a prefix of it.) The Certificate
        // heading, drawn above the QR code, must not show without it either.
        let new_certs: Vec<&String> = after
            .badge_certificates
            .difference(&before.badge_certificates)
            .collect();
        let mut saw = false;
        for (when, screen) in [("right before the kill", &seen), ("at the kill", &last)] {
            for id in shown_ids(screen, &base) {
                saw = true;
                if !committed || !new_certs.iter().any(|c| c.starts_with(&id)) {
                    k.fail_with(
                        &format!(
                            "LOSS: the screen {when} showed {base}{id}, but after the kill \
                             ({killed_after:?} after Enter) no new certificate of {badge} is \
                             that one (new: {new_certs:?}; visit committed: {committed})"
                        ),
                        screen,
                    );
                }
            }
            if heading(screen).starts_with("Certificate") && !committed {
                k.fail_with(
                    &format!(
                        "LOSS: the Certificate screen was up {when}, but after the kill \
                         ({killed_after:?} after Enter) the visit is not in the database"
                    ),
                    screen,
                );
            }
        }
        drop(c);

        if committed {
            tally.committed += 1;
            tally.earliest_commit = tally
                .earliest_commit
                .min(Some(killed_after))
                .or(Some(killed_after));
            if !saw {
                tally.committed_unseen += 1;
            }
        } else {
            tally.rolled_back += 1;
            tally.latest_rollback = tally.latest_rollback.max(Some(killed_after));
        }
        if saw {
            tally.qr_seen += 1;
        }

        // Power back: the kiosk starts again, on Scan, with nothing of the
        // attendee on screen.
        k.restart();
        let screen = k.wait_until("Scan after the restart", Duration::from_secs(15), |s| {
            heading(s) == SCAN
        });
        if !shown_ids(&screen, &base).is_empty() || screen.contains('█') {
            k.fail_with("the restarted kiosk shows a certificate", &screen);
        }
        expected_live = Some((badge.clone(), after));
    }
    if let Some((prev_badge, snap)) = expected_live.take() {
        let live = Snapshot::of(&k.live(), &prev_badge);
        assert_eq!(
            live, snap,
            "after the last restart, the kiosk's database differs from the crashed files' recovery"
        );
    }

    let ms =
        |d: Option<Duration>| d.map_or("-".into(), |d| format!("{:.2} ms", d.as_secs_f64() * 1e3));
    println!(
        "crash: the certificate URL was on screen at {} kills; {} found the visit committed \
         before its URL was drawn; kills after Enter: latest rolled back {}, earliest \
         committed {}; {:.1} s",
        tally.qr_seen,
        tally.committed_unseen,
        ms(tally.latest_rollback),
        ms(tally.earliest_commit),
        started.elapsed().as_secs_f64()
    );
    println!(
        "crash: {trials} kill trials, {} committed, {} rolled back, 0 losses",
        tally.committed, tally.rolled_back
    );
}
