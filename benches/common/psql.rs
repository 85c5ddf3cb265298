//! psql for the sync benches: where the cluster's psql is, a session
//! kept open on the hub's database that is asked, over and over, how far
//! the uploads are, and statements timed by psql itself (the floors).

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
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

/// Runs a command to success; returns what it printed.
pub fn run_ok(mut c: Command) -> String {
    let out = c.output().expect("starting a command");
    assert!(
        out.status.success(),
        "{c:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bare table shaped like the hub's `records` (the same columns and
/// types, its primary key and no other index).
pub const RECORDS_FLOOR: &str = "DROP TABLE IF EXISTS records_floor;
CREATE TABLE records_floor (
    device_id   text NOT NULL,
    seq         bigint NOT NULL,
    kind        text NOT NULL,
    record_id   text NOT NULL,
    payload     json NOT NULL,
    created_at  text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    rejected    text,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    badge_id    text,
    PRIMARY KEY (device_id, seq)
)";

/// Feeds `data` through `psql` to `copy` (a `COPY … FROM STDIN`), with
/// `\timing` on. Returns the time psql reports for the COPY statement
/// alone, and psql's whole run.
pub fn psql_copy(port: u16, db: &str, copy: &str, data: &Path) -> (Duration, Duration) {
    let script = data.with_extension("sql");
    {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(&script).expect("creating the COPY script"),
        );
        writeln!(f, "\\timing on\n{copy};").expect("writing the COPY script");
        let mut body = std::fs::File::open(data).expect("opening the data");
        std::io::copy(&mut body, &mut f).expect("writing the COPY script");
        writeln!(f, "\\.").expect("writing the COPY script");
        f.flush().expect("writing the COPY script");
    }
    run_timed(port, db, &script, &[])
}

/// `sql` (one statement) as psql's `\timing` times it, its output
/// discarded: the time PostgreSQL took, without starting psql.
pub fn psql_timed(port: u16, db: &str, sql: &str, scratch: &Path) -> Duration {
    let script = scratch.join("timed.sql");
    std::fs::write(&script, format!("\\timing on\n{sql};\n")).expect("writing a psql script");
    // Rows go nowhere; psql prints its timings to standard output still.
    run_timed(port, db, &script, &["-o", "/dev/null"]).0
}

/// Runs a psql script with `\timing on`: the last time psql reported, and
/// psql's whole run.
fn run_timed(port: u16, db: &str, script: &Path, extra: &[&str]) -> (Duration, Duration) {
    let mut c = Command::new(psql());
    c.args(["-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p"])
        .arg(port.to_string())
        .args(["-U", "postgres", "-d", db])
        .args(extra)
        .arg("-f")
        .arg(script);
    let start = Instant::now();
    let out = run_ok(c);
    let wall = start.elapsed();
    let reported = out
        .lines()
        .filter_map(|l| l.strip_prefix("Time: "))
        .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .next_back()
        .unwrap_or_else(|| panic!("psql printed no time: {out}"));
    (Duration::from_secs_f64(reported / 1e3), wall)
}
