//! The real kiosk binary in a tmux pane, driven the way a person at the
//! kiosk drives it: a badge scanner typing a burst of keys, a person
//! pressing keys slowly, the screen read back as text.
//!
//! Each `Kiosk` runs its own tmux server (`tmux -L`) and its own database
//! in a temp dir, and kills the server when dropped, even on panic. Used by
//! tests/e2e_kiosk.rs and tests/crash.rs; what they do differently (how
//! fast a person types, how often the screen is read, how much a failure
//! reports) each says in its `Style`.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{bin, config_dir};

/// The event clock: the demo event runs 2026-11-23..27, so at noon on the
/// 25th the morning sessions of that day (two and a half days of sessions
/// in all) are claimable.
pub const NOW: &str = "2026-11-25T12:00";
/// The Scan screen's heading.
pub const SCAN: &str = "Scan your badge";
/// A USB keyboard-wedge scanner: one key every few milliseconds.
pub const SCANNER_GAP: Duration = Duration::from_millis(8);
pub const SHORT: Duration = Duration::from_secs(5);

/// What a suite of kiosk tests does its own way.
pub struct Style {
    /// In the names of its tmux servers.
    pub name: &'static str,
    /// Who needs tmux, and what to do once it is installed: for the message
    /// when it is missing.
    pub needed_by: &'static str,
    pub then: &'static str,
    /// A person's keys are at least this far apart: further than the
    /// kiosk's 50 ms burst gap, so no key is taken for part of a scan.
    pub human_gap: Duration,
    /// How often `wait_until` reads the screen.
    pub poll: Duration,
    /// Failure reports also say what was being tried (`set_doing`), and a
    /// tmux command that fails is reported as a kiosk failure is, with the
    /// screen and the log (else it is a plain assertion).
    pub full_reports: bool,
}

/// `[certificate] url_base` from the demo config.
pub fn url_base() -> String {
    let text = std::fs::read_to_string(config_dir().join("event.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    table["certificate"]["url_base"]
        .as_str()
        .expect("[certificate] url_base")
        .to_string()
}

/// `text` as one double-quoted tmux argument that stands for exactly
/// those characters, control characters included.
pub fn tmux_quote(text: &str) -> String {
    let mut q = String::from("\"");
    for c in text.chars() {
        let n = u32::from(c);
        if c.is_ascii_alphanumeric() {
            q.push(c);
        } else if c.is_ascii() {
            q.push_str(&format!("\\{n:03o}"));
        } else if n <= 0xFFFF {
            q.push_str(&format!("\\u{n:04x}"));
        } else {
            q.push_str(&format!("\\U{n:08x}"));
        }
    }
    q.push('"');
    q
}

pub fn require_tmux(style: &Style) {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => {}
        other => panic!(
            "tmux is required by {} and was not found or does not run ({other:?}); \
             install it (Debian: apt-get install tmux; .ci/run does this){}",
            style.needed_by, style.then
        ),
    }
}

/// The heading: the screen's second line.
pub fn heading(screen: &str) -> &str {
    screen.lines().nth(1).unwrap_or("").trim()
}

/// "Question k of n" in the heading, if it is there.
pub fn question_counter(screen: &str) -> Option<(usize, usize)> {
    let h = heading(screen);
    let rest = &h[h.find("Question ")? + "Question ".len()..];
    let mut words = rest.split_whitespace();
    let k = words.next()?.parse().ok()?;
    (words.next()? == "of").then_some(())?;
    let n = words.next()?.parse().ok()?;
    Some((k, n))
}

static SERVERS: AtomicUsize = AtomicUsize::new(0);

pub struct Kiosk {
    style: &'static Style,
    socket: String,
    /// The server's socket file, removed at the end (kill-server leaves it).
    socket_path: RefCell<Option<PathBuf>>,
    dir: tempfile::TempDir,
    last_key: Cell<Instant>,
    /// A tmux control-mode client: one long-lived process that takes
    /// commands on its standard input, so a scanner's keys go out a few
    /// milliseconds apart without starting a tmux process for each.
    control: RefCell<Option<Child>>,
    /// What is being tried, for failure reports.
    doing: RefCell<String>,
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        if let Some(mut c) = self.control.get_mut().take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if let Some(p) = self.socket_path.get_mut().take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

impl Kiosk {
    /// Starts the kiosk at `width`×`height` with extra environment `env`,
    /// its database (and everything else) in `dir`; does not wait for it
    /// to draw. The pane's program is the binary itself, through `env`,
    /// which execs it, so the pane's pid is the kiosk's.
    pub fn launch(
        style: &'static Style,
        name: &str,
        width: u16,
        height: u16,
        env: &[(&str, &str)],
        dir: tempfile::TempDir,
    ) -> Kiosk {
        require_tmux(style);
        let socket = format!(
            "cekiosk-{}-{}-{name}-{}",
            style.name,
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::SeqCst)
        );
        // No user config; no status line (the pane is then the whole
        // width×height); a pane whose program died stays, with its last
        // screen, so its death can be seen and it can be respawned.
        let conf = dir.path().join("tmux.conf");
        std::fs::write(
            &conf,
            "set -g status off\nset -g remain-on-exit on\nset -g history-limit 0\n",
        )
        .unwrap();
        let kiosk = Kiosk {
            style,
            socket,
            dir,
            last_key: Cell::new(Instant::now()),
            control: RefCell::new(None),
            socket_path: RefCell::new(None),
            doing: RefCell::new("starting".into()),
        };
        let mut cmd = Command::new("tmux");
        cmd.arg("-L").arg(&kiosk.socket).arg("-f").arg(&conf);
        cmd.args(["new-session", "-d", "-s", "kiosk", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string());
        // The program: env clears any CEKIOSK_* of the caller and sets ours.
        cmd.arg("env");
        for (k, _) in std::env::vars() {
            if k.starts_with("CEKIOSK_") {
                cmd.arg("-u").arg(k);
            }
        }
        // No hub: nothing a test records is ever uploaded anywhere, and no
        // uploader thread writes to the outbox while a test counts it.
        cmd.arg("CEKIOSK_SYNC_HUB_URL=");
        // A token, as every deployed kiosk has: its certificate ids carry a
        // summary signed with the key derived from it.
        cmd.arg(format!("CEKIOSK_SYNC_TOKEN={}", super::TOKEN));
        for (k, v) in env {
            cmd.arg(format!("{k}={v}"));
        }
        cmd.arg(bin())
            .arg("--config")
            .arg(config_dir())
            .arg("--db")
            .arg(kiosk.db())
            .args(["run", "--now", NOW]);
        cmd.env_remove("TMUX");
        let out = cmd.output().expect("running tmux");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let control = Command::new("tmux")
            .arg("-L")
            .arg(&kiosk.socket)
            .args(["-C", "attach-session", "-t", "kiosk"])
            .env_remove("TMUX")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting a tmux control client");
        *kiosk.control.borrow_mut() = Some(control);
        *kiosk.socket_path.borrow_mut() = Some(kiosk.display("#{socket_path}").into());
        let size = kiosk.display("#{pane_width}x#{pane_height}");
        assert_eq!(size, format!("{width}x{height}"), "pane size");
        kiosk
    }

    /// The folder of the kiosk's database and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("k.db")
    }

    /// When the last key was sent.
    pub fn last_key(&self) -> Instant {
        self.last_key.get()
    }

    /// Says what is being tried, for failure reports (with `full_reports`).
    pub fn set_doing(&self, what: String) {
        *self.doing.borrow_mut() = what;
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("running tmux");
        if !out.status.success() {
            let what = format!(
                "tmux {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if self.style.full_reports {
                self.fail_with(&what, "(not captured)");
            }
            panic!("{what}");
        }
        out
    }

    /// A tmux command's output, without asserting: empty if it fails.
    fn quietly(&self, args: &[&str]) -> String {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .env_remove("TMUX")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    pub fn display(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "kiosk", format]);
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// The screen as text.
    pub fn capture(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", "kiosk"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Whether the kiosk process is still running.
    pub fn alive(&self) -> bool {
        self.display("#{pane_dead}") == "0"
    }

    /// Sends keys (tmux key names) through a tmux process of their own:
    /// when it returns the keys are in the kiosk's terminal.
    pub fn send_keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "kiosk"];
        args.extend_from_slice(keys);
        self.tmux(&args);
        self.last_key.set(Instant::now());
    }

    /// Sends text literally, all at once.
    pub fn send_literal(&self, text: &str) {
        self.control(&format!("send-keys -t kiosk -l -- {}", tmux_quote(text)));
    }

    /// A tmux command through the control client, at once.
    pub fn control(&self, command: &str) {
        let mut control = self.control.borrow_mut();
        let stdin = control
            .as_mut()
            .and_then(|c| c.stdin.as_mut())
            .expect("the tmux control client");
        stdin
            .write_all(format!("{command}\n").as_bytes())
            .expect("writing to the tmux control client");
        self.last_key.set(Instant::now());
    }

    /// Waits until a person's gap has passed since the last key.
    fn pause_like_a_person(&self) {
        let since = self.last_key.get().elapsed();
        if since < self.style.human_gap {
            std::thread::sleep(self.style.human_gap - since);
        }
    }

    /// One key the way a person presses it: well apart from the last key,
    /// so the kiosk never takes it for part of a scanner burst.
    pub fn press(&self, key: &str) {
        self.pause_like_a_person();
        self.send_keys(&[key]);
    }

    /// A USB keyboard-wedge scanner: each character a few ms apart, then
    /// Enter. Returns the largest gap between two keys, which must stay
    /// under the kiosk's 50 ms burst gap for this to be one scan.
    pub fn type_like_scanner(&self, text: &str) -> Duration {
        self.scan_chunks(text, 1)
    }

    /// A scanner that sends `chunk` characters at a time (for very long
    /// scans, which one key at a time would take too long to send).
    pub fn scan_chunks(&self, text: &str, chunk: usize) -> Duration {
        self.pause_like_a_person();
        let chars: Vec<char> = text.chars().collect();
        let mut worst = Duration::ZERO;
        let mut last: Option<Instant> = None;
        let mut note = |last: &mut Option<Instant>| {
            let now = Instant::now();
            if let Some(l) = *last {
                worst = worst.max(now - l);
            }
            *last = Some(now);
        };
        for part in chars.chunks(chunk) {
            let s: String = part.iter().collect();
            note(&mut last);
            self.send_literal(&s);
            std::thread::sleep(SCANNER_GAP);
        }
        note(&mut last);
        self.control("send-keys -t kiosk Enter");
        worst
    }

    /// The last lines of the kiosk's log, for failure reports.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("k.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// Fails the test, showing `screen`, whether the kiosk is alive, and
    /// the end of its log (and what was being tried, with `full_reports`).
    pub fn fail_with(&self, what: &str, screen: &str) -> ! {
        // Without asserting: this must report, not fail in its turn.
        let ask = |format: &str| {
            self.quietly(&["display-message", "-p", "-t", "kiosk", format])
                .trim_end()
                .to_string()
        };
        let alive = match ask("#{pane_dead}").as_str() {
            "0" => "running".to_string(),
            "1" => format!(
                "EXITED: status {:?}, signal {:?}",
                ask("#{pane_dead_status}"),
                ask("#{pane_dead_signal}")
            ),
            _ => "tmux server gone".to_string(),
        };
        let doing = if self.style.full_reports {
            format!("\n[{}]", self.doing.borrow())
        } else {
            String::new()
        };
        panic!(
            "{what}{doing}\n--- screen ({alive}) ---\n{screen}\n--- end of screen ---\n\
             --- kiosk log (last lines) ---\n{}\n---",
            self.log_tail()
        );
    }

    /// Fails the test, showing the screen now.
    pub fn fail(&self, what: &str) -> ! {
        let screen = if self.style.full_reports {
            // Without asserting: tmux may be what failed.
            self.quietly(&["capture-pane", "-p", "-t", "kiosk"])
        } else {
            self.capture()
        };
        self.fail_with(what, &screen)
    }

    /// Polls the screen until `ok` holds; returns that screen.
    pub fn wait_until(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > timeout {
                self.fail_with(
                    &format!("timed out after {timeout:?} waiting for {what}"),
                    &screen,
                );
            }
            std::thread::sleep(self.style.poll);
        }
    }

    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} on screen"), timeout, |s| {
            s.contains(text)
        })
    }

    pub fn wait_gone(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), timeout, |s| {
            !s.contains(text)
        })
    }

    /// Asserts `ok` of the screen now, showing it if not.
    pub fn check(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let screen = self.capture();
        if !ok(&screen) {
            self.fail_with(what, &screen);
        }
        screen
    }

    /// The one number `sql` counts in the kiosk's database, read-only.
    pub fn count(&self, sql: &str) -> i64 {
        let c = rusqlite::Connection::open_with_flags(
            self.db(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        c.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The evaluation from `screen` (its first question, or Attest when
    /// there is none), one question a screen: a digit for a choice, Enter
    /// for text (an empty optional answer skips; a required one gets an
    /// answer). Returns the Attest screen.
    pub fn answer_evaluation(&self, mut screen: String) -> String {
        for _ in 0..40 {
            if heading(&screen).contains("Attest") {
                break;
            }
            let Some(counter) = question_counter(&screen) else {
                self.fail_with("neither a question nor Attest", &screen);
            };
            if screen.contains("your answer") {
                if screen.lines().any(|l| l.trim() == "Required") {
                    self.send_literal("Share the results with my team");
                    std::thread::sleep(Duration::from_millis(200));
                }
                self.press("Enter");
            } else {
                self.press("2");
            }
            screen = self.wait_until("the next question or Attest", SHORT, |s| {
                heading(s).contains("Attest") || question_counter(s).is_some_and(|c| c != counter)
            });
        }
        if !heading(&screen).contains("Attest") {
            self.fail_with("the evaluation never ended", &screen);
        }
        screen
    }
}
