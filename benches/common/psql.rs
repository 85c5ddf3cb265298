//! psql for the sync bench: where the cluster's psql is, and a session
//! kept open on the hub's database that is asked, over and over, how far
//! the uploads are.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub fn psql() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.flatten()
                .map(|e| e.path().join("bin/psql"))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from("psql"))
}

/// How often the watch asks the hub how far the uploads are.
pub const POLL: Duration = Duration::from_millis(5);

/// A psql session on the hub's database, asking how many records it holds
/// by summing the devices' high-water marks (20 rows, cheap to ask often).
pub struct Watch {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl Watch {
    pub fn new(port: u16, db: &str) -> Watch {
        let mut child = Command::new(psql())
            .args(["-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .args(["-U", "postgres", "-d", db])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting psql");
        let input = child.stdin.take().expect("psql's input");
        let output = std::io::BufReader::new(child.stdout.take().expect("psql's output"));
        let mut w = Watch {
            child,
            input,
            output,
        };
        w.high(); // connected and answering before the clock starts
        w
    }

    pub fn high(&mut self) -> i64 {
        use std::io::BufRead as _;
        writeln!(
            self.input,
            "SELECT coalesce(sum(high_seq), 0) FROM devices;"
        )
        .expect("asking psql");
        self.input.flush().expect("asking psql");
        let mut line = String::new();
        self.output.read_line(&mut line).expect("reading psql");
        line.trim()
            .parse()
            .unwrap_or_else(|_| panic!("psql answered '{line}'"))
    }

    /// Polls until the hub holds `expected`, and returns the time since
    /// `start`; None if every sync has ended (`ended`) and it still does not.
    pub fn until(&mut self, expected: i64, start: Instant, ended: &AtomicBool) -> Option<Duration> {
        loop {
            let last_look = ended.load(Ordering::Relaxed);
            if self.high() >= expected {
                return Some(start.elapsed());
            }
            if last_look {
                return None;
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = writeln!(self.input, "\\q");
        let _ = self.child.wait();
    }
}
