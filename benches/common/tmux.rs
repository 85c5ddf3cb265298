//! A tmux server of the kiosk bench's own (its own socket and config, no
//! status line, dead panes kept), to run the release kiosk in a 120×33
//! pane, type into it and read its screen; killed, socket file and all,
//! when dropped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    conf: PathBuf,
}

impl Tmux {
    pub fn new(dir: &Path) -> Option<Tmux> {
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

    pub fn run(&self, args: &[&str]) -> Output {
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
    pub fn spawn(&self, name: &str, argv: &[String]) -> u32 {
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

    pub fn capture(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", name]).stdout).into_owned()
    }

    /// Polls the screen every 2 ms until `text` shows; the time it took.
    pub fn wait_for(&self, name: &str, text: &str, timeout: Duration) -> Duration {
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

    pub fn send(&self, name: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", name];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "tmux send-keys failed");
    }

    pub fn kill(&self, name: &str) {
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
