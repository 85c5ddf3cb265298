//! Real parts for the tests: a throwaway PostgreSQL cluster and the real
//! hub binary on a random loopback port. Nothing here is mocked.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub mod attendee_flow;
pub mod crash_checks;
pub mod fault_proxy;
pub mod fuzz;
pub mod fuzz_csv;
pub mod fuzz_hub;
pub mod qr;
pub mod smtp;
pub mod tmux;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cekiosk"))
}

/// The hub's reads as they were before migration 11 kept typed tables:
/// the views the pages and reports read, over the records' JSON (each
/// payload parsed on every read), with no triggers, and the records'
/// indexes they read by (migration 20 dropped them). They return what the
/// views over the typed tables return (a held claim's reason as its code
/// and the session's designation beside it, as migration 18 has it), so a
/// test can hold the typed tables to them and a bench can time both.
pub fn json_views() -> String {
    format!(
        "DROP TRIGGER records_typed_insert ON records;
         DROP TRIGGER records_typed_update ON records;
         DROP TRIGGER records_typed_delete ON records;
         CREATE INDEX IF NOT EXISTS records_by_badge ON records USING hash (badge_id);
         CREATE INDEX IF NOT EXISTS records_certificates ON records(record_id)
           WHERE kind = 'certificate';
         CREATE INDEX IF NOT EXISTS records_voids ON records(badge_id)
           WHERE kind = 'void' AND rejected IS NULL;
         {JSON_VIEWS}"
    )
}

const JSON_VIEWS: &str = r#"
CREATE OR REPLACE VIEW claim_state AS
WITH c AS (
    SELECT claim.claim_id, r.device_id, r.seq, r.txid, r.badge_id, claim.kiosk_id,
           coalesce(claim.visit_id, '') AS visit_id, claim.session_id, claim.credits_q,
           claim.claimed_at, r.received_at,
           CASE
             WHEN s.session_id IS NULL THEN 'session_not_in_catalog'
             WHEN a.badge_id IS NULL THEN 'attendee_not_on_roster'
             WHEN claim.credits_q > s.credits_q THEN 'over_designation'
             WHEN s.ends_utc > least(claim.claimed_at::timestamptz, r.received_at) THEN 'not_ended'
           END AS held,
           s.credits_q AS designated_q
    FROM records r
    CROSS JOIN LATERAL json_to_record(r.payload)
         AS claim(badge_id text, claim_id text, claimed_at text, credits_q integer, kiosk_id text,
                  session_id text, visit_id text)
    LEFT JOIN sessions s ON s.session_id = claim.session_id
    LEFT JOIN attendees a ON a.badge_id = r.badge_id
    WHERE r.kind = 'claim' AND r.rejected IS NULL
)
SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
       c.credits_q, c.claimed_at, c.received_at, v.voided_at, v.void_reason,
       CASE WHEN v.voided_at IS NULL THEN c.held END AS held,
       c.designated_q
FROM c
LEFT JOIN (
    SELECT DISTINCT ON (r.badge_id, void.claim_id)
           r.badge_id, void.claim_id, void.voided_at, void.reason AS void_reason
    FROM records r,
         json_to_record(r.payload)
         AS void(badge_id text, claim_id text, kiosk_id text, reason text, session_id text,
                 voided_at text)
    WHERE r.kind = 'void' AND r.rejected IS NULL
    ORDER BY r.badge_id, void.claim_id, void.voided_at, r.device_id, r.seq
) v ON v.badge_id = c.badge_id AND v.claim_id = c.claim_id;

CREATE OR REPLACE VIEW certificates AS
SELECT r.record_id AS certificate_id, coalesce(certificate.short_code, '') AS short_code, r.badge_id,
       certificate.issued_at, certificate.kiosk_id, r.device_id, r.received_at, certificate.language
FROM records r,
     json_to_record(r.payload)
     AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                    language text, short_code text, visit_id text)
WHERE r.kind = 'certificate' AND r.rejected IS NULL;

CREATE OR REPLACE VIEW profiles AS
WITH p AS (
    SELECT r.badge_id, r.device_id, r.seq, profile.codes, profile.epid, profile.birth_mmdd,
           profile.pharm_role, coalesce(profile.moc_consent::text = 'true', false) AS moc_consent,
           profile.abim_id, profile.at
    FROM records r,
         json_to_record(r.payload)
         AS profile(abim_ending text, abim_id text, at text, badge_id text, birth_mmdd text,
                    birth_on_file json, codes text, epid text, epid_ending text, moc_consent json,
                    pharm_role text)
    WHERE r.kind = 'profile' AND r.rejected IS NULL
)
SELECT badge_id,
       (array_agg(coalesce(codes, '') ORDER BY at DESC, device_id, seq DESC))[1] AS codes,
       (array_agg(epid ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE epid IS NOT NULL))[1] AS epid,
       (array_agg(birth_mmdd ORDER BY at DESC, device_id, seq DESC)
          FILTER (WHERE birth_mmdd IS NOT NULL))[1] AS birth_mmdd,
       (array_agg(pharm_role ORDER BY at DESC, device_id, seq DESC))[1] AS pharm_role,
       (array_agg(moc_consent ORDER BY at DESC, device_id, seq DESC))[1] AS moc_consent,
       (array_agg(abim_id ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE abim_id IS NOT NULL))[1] AS abim_id,
       max(at) AS updated_at
FROM p GROUP BY badge_id;

CREATE OR REPLACE VIEW answers AS
SELECT DISTINCT ON (r.badge_id, a.key) r.badge_id, a.key AS question_id, a.value AS answer,
       evaluation.at AS answered_at
FROM records r,
     json_to_record(r.payload) AS evaluation(answers json, at text, badge_id text, visit_id text),
     json_each_text(CASE WHEN json_typeof(evaluation.answers) = 'object' THEN evaluation.answers END) a
WHERE r.kind = 'evaluation' AND r.rejected IS NULL
ORDER BY r.badge_id, a.key, evaluation.at DESC, r.device_id, r.seq DESC;
"#;

pub fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

fn pg_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.flatten()
                .map(|e| e.path().join("bin"))
                .filter(|p| p.join("postgres").exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql; .ci/run does this)")
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

/// Runs a PostgreSQL program, as the postgres user when we are root
/// (initdb refuses root).
fn pg_command(program: &str) -> Command {
    let path = pg_bin().join(program);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A cluster in a temporary folder, on its own port, stopped when the test
/// process ends (its keeper exits when our end of a pipe closes).
pub struct Cluster {
    pub port: u16,
    _dir: PathBuf,
    _keeper: ChildStdin,
}

impl Cluster {
    fn start() -> Cluster {
        let dir =
            std::env::temp_dir().join(format!("cekiosk-pg-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(ok.success());
        }
        let data = dir.join("data");
        let out = pg_command("initdb")
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .output()
            .expect("running initdb");
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let postgres = pg_bin().join("postgres");
        let script = format!(
            "{runas}{pg} -D {data} -p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 >{log} 2>&1 & \
             cat >/dev/null; kill -INT $(head -n 1 {data}/postmaster.pid); wait; rm -rf {dir}",
            runas = if is_root() {
                "runuser -u postgres -- "
            } else {
                ""
            },
            pg = postgres.display(),
            data = data.display(),
            sock = dir.display(),
            log = dir.join("log").display(),
            dir = dir.display(),
        );
        let mut keeper = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            // Not our output: a test runner waits for every holder of it.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting postgres");
        let stdin = keeper.stdin.take().unwrap();
        std::mem::forget(keeper);
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "postgres did not start: {}",
                std::fs::read_to_string(dir.join("log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // Accepting TCP is not yet accepting queries.
        while !psql(port, "postgres", "SELECT 1").status.success() {
            assert!(Instant::now() < deadline, "postgres is not answering");
            std::thread::sleep(Duration::from_millis(50));
        }
        Cluster {
            port,
            _dir: dir,
            _keeper: stdin,
        }
    }

    /// Stops the cluster (fast: sessions are cut off) and starts it again
    /// with the same settings, as an operator's restart does; returns once
    /// it answers queries.
    pub fn restart(&self) {
        let out = pg_command("pg_ctl")
            .arg("-D")
            .arg(self._dir.join("data"))
            .args(["-m", "fast", "-w", "-t", "60", "-l"])
            .arg(self._dir.join("log-restarted"))
            .arg("restart")
            .output()
            .expect("running pg_ctl");
        assert!(
            out.status.success(),
            "pg_ctl restart: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        while !psql(self.port, "postgres", "SELECT 1").status.success() {
            assert!(
                Instant::now() < deadline,
                "postgres is not answering after a restart"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A fresh database on the shared cluster; returns its URL.
    pub fn database(&self, name: &str) -> String {
        let out = psql(self.port, "postgres", &format!("CREATE DATABASE {name}"));
        assert!(
            out.status.success(),
            "create database: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    pub fn query(&self, db: &str, sql: &str) -> String {
        let out = psql(self.port, db, sql);
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

fn psql(port: u16, db: &str, sql: &str) -> std::process::Output {
    let psql = pg_bin().join("psql");
    let psql = if psql.exists() {
        psql
    } else {
        PathBuf::from("psql")
    };
    Command::new(psql)
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "postgres",
            "-d",
            db,
            "-At",
            "-c",
            sql,
        ])
        .output()
        .expect("running psql")
}

/// One cluster per test binary.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(Cluster::start)
}

/// A unique database name for a test.
pub fn db_name(test: &str) -> String {
    format!("t_{}_{}", test, free_port())
}

/// The real hub binary, on a port of its own; killed when dropped.
pub struct Hub {
    pub url: String,
    pub database: String,
    /// The hub's log file.
    pub log: PathBuf,
    child: Child,
}

pub const TOKEN: &str = "kiosk-token-for-tests";
pub const ADMIN: &str = "admin-token-for-tests";

impl Hub {
    pub fn start(database: &str) -> Hub {
        Self::start_at(database, "127.0.0.1:0", &[])
    }

    pub fn start_at(database: &str, listen: &str, env: &[(&str, &str)]) -> Hub {
        Self::start_with(&config_dir(), database, listen, env)
    }

    /// A hub on an event config of its own.
    pub fn start_with(config: &Path, database: &str, listen: &str, env: &[(&str, &str)]) -> Hub {
        let log = std::env::temp_dir().join(format!(
            "cekiosk-hub-{}-{}.log",
            std::process::id(),
            free_port()
        ));
        let mut cmd = Command::new(bin());
        cmd.arg("--config")
            .arg(config)
            .args(["hub", "--listen", listen, "--database", database, "--log"])
            .arg(&log)
            .env("CEKIOSK_SYNC_TOKEN", TOKEN)
            .env("CEKIOSK_HUB_ADMIN_TOKEN", ADMIN)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("starting the hub");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let Some(url) = line.trim().strip_prefix("cekiosk hub listening on ") else {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
            panic!("hub did not start: {line} {err}");
        };
        Hub {
            url: url.to_string(),
            database: database.to_string(),
            log,
            child,
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The hub process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The hub's whole change feed as a kiosk that has uploaded nothing reads
/// it, page by page through the API: (origin, kind) of each change.
#[allow(dead_code)]
pub fn read_feed(hub_url: &str) -> Vec<(String, String)> {
    let mut since = cekiosk::sync::protocol::Cursor::default();
    let mut out = Vec::new();
    loop {
        let page: cekiosk::sync::protocol::Changes = ureq::get(&format!(
            "{hub_url}/api/v1/changes?since={since}&device=feed-reader"
        ))
        .header("Authorization", &format!("Bearer {TOKEN}"))
        .call()
        .expect("reading the change feed")
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_json()
        .expect("a page of changes");
        assert!(page.next >= since, "the feed's cursor went back");
        out.extend(page.changes.into_iter().map(|c| (c.origin, c.kind)));
        since = page.next;
        if !page.more {
            return out;
        }
    }
}

/// `cekiosk hub ARGS --database URL` on the demo config.
pub fn hub_cli(args: &[&dyn AsRef<std::ffi::OsStr>], url: &str) -> std::process::Output {
    let mut c = Command::new(bin());
    c.arg("--config").arg(config_dir()).arg("hub");
    for a in args {
        c.arg(a);
    }
    c.args(["--database", url]).output().unwrap()
}

/// `cekiosk sync` on the kiosk database `db`, as its background upload.
pub fn sync_db(db: &Path, hub_url: &str) -> std::process::Output {
    Command::new(bin())
        .arg("--config")
        .arg(config_dir())
        .arg("--db")
        .arg(db)
        .args(["sync", "--hub", hub_url])
        .env("CEKIOSK_SYNC_TOKEN", TOKEN)
        .output()
        .unwrap()
}

/// A kiosk database in a temporary folder, with the demo roster loaded.
pub struct KioskDb {
    pub dir: tempfile::TempDir,
    /// The event config it runs with.
    pub config: PathBuf,
}

impl KioskDb {
    pub fn new() -> KioskDb {
        Self::with_config(&config_dir())
    }

    /// A kiosk on an event config of its own, with that config's roster
    /// and catalog loaded.
    pub fn with_config(config: &Path) -> KioskDb {
        let k = KioskDb {
            dir: tempfile::tempdir().unwrap(),
            config: config.to_path_buf(),
        };
        for what in ["attendees", "sessions"] {
            let out = k
                .cmd(&[])
                .args(["import", what])
                .arg(config.join(format!("{what}.csv")))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        k
    }
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("k.db")
    }
    pub fn cmd(&self, env: &[(&str, &str)]) -> Command {
        let mut c = Command::new(bin());
        c.arg("--config")
            .arg(&self.config)
            .arg("--db")
            .arg(self.db());
        c.env("CEKIOSK_SYNC_TOKEN", TOKEN);
        for (k, v) in env {
            c.env(k, v);
        }
        c
    }
    pub fn sync(&self, hub: &str, env: &[(&str, &str)]) -> std::process::Output {
        self.cmd(env).args(["sync", "--hub", hub]).output().unwrap()
    }
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }
    /// The id this kiosk uploads as.
    pub fn device_id(&self) -> String {
        self.sqlite()
            .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
                r.get(0)
            })
            .unwrap()
    }
    /// Every record the kiosk wrote: seq → record id.
    pub fn outbox(&self) -> std::collections::BTreeMap<i64, String> {
        self.pairs("SELECT seq, record_id FROM outbox ORDER BY seq")
            .into_iter()
            .collect()
    }
    /// The rows of a two-column query on the kiosk's database.
    pub fn pairs<A: rusqlite::types::FromSql, B: rusqlite::types::FromSql>(
        &self,
        sql: &str,
    ) -> Vec<(A, B)> {
        let c = self.sqlite();
        let mut s = c.prepare(sql).unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
    /// The sessions worth credit, as this kiosk's catalog holds them:
    /// (session id, designated quarter hours).
    pub fn credit_sessions(&self) -> Vec<(String, u32)> {
        self.pairs(
            "SELECT session_id, credits_q FROM sessions WHERE credits_q > 0 ORDER BY session_id",
        )
    }
    /// Asserts that the hub database `db` holds this kiosk's records once
    /// each, as the kiosk wrote them; returns how many.
    pub fn assert_at_hub_once(&self, db: &str) -> usize {
        let mine = self.outbox();
        let at_hub: std::collections::BTreeMap<i64, String> = cluster()
            .query(
                db,
                &format!(
                    "SELECT seq || ' ' || record_id FROM records WHERE device_id = '{}' AND rejected IS NULL ORDER BY seq",
                    self.device_id()
                ),
            )
            .lines()
            .map(|l| {
                let (seq, id) = l.split_once(' ').unwrap();
                (seq.parse().unwrap(), id.to_string())
            })
            .collect();
        assert_eq!(at_hub, mine, "the hub holds this kiosk's records once each");
        mine.len()
    }
    /// Every attendee's badge id, in order.
    pub fn badges(&self) -> Vec<String> {
        let c = self.sqlite();
        let mut s = c
            .prepare("SELECT badge_id FROM attendees ORDER BY badge_id")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

/// Writes `text` to a file in `dir`.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    p
}

/// xorshift64*: a small seeded generator, so a failing randomized run can
/// be repeated from the seed it printed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Never zero, and a few rounds so close seeds diverge.
        let mut r = Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1);
        for _ in 0..8 {
            r.next();
        }
        r
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in 0..n (the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The seed in the environment variable `var` (decimal, or hex after 0x),
/// else a fresh one from the clock and the process id.
pub fn seed(var: &str) -> u64 {
    match std::env::var(var) {
        Ok(s) => {
            let s = s.trim();
            match s.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            }
            .unwrap_or_else(|_| panic!("{var}={s} is not a number"))
        }
        Err(_) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64;
            nanos ^ (u64::from(std::process::id()) << 40)
        }
    }
}

/// A committed visit with the attendee's choices in `profile`: the claims
/// (session id, quarter hours), a complete evaluation, a certificate.
/// Returns the certificate id.
pub fn visit_as(
    k: &KioskDb,
    badge: &str,
    profile: cekiosk::store::CreditChoices,
    claims: &[(&str, u32)],
) -> String {
    visit_in(k, badge, profile, claims, None, false)
}

/// `visit_as` in the language `language`, with the certificate by e-mail
/// declined at Attest or not.
pub fn visit_in(
    k: &KioskDb,
    badge: &str,
    profile: cekiosk::store::CreditChoices,
    claims: &[(&str, u32)],
    language: Option<cekiosk::domain::lang::Lang>,
    mail_declined: bool,
) -> String {
    use cekiosk::domain::ids::OsRandom;
    let mut store = cekiosk::store::Store::open(&k.db()).unwrap();
    let device = store.device_id(&mut OsRandom).unwrap();
    // The kiosk id the hub enrolled it as, else the demo config's.
    let kiosk_id = store
        .credentials()
        .unwrap()
        .map_or_else(|| "K01".to_string(), |c| c.kiosk_id);
    let mut answers: Vec<(String, String)> = ["objective_1", "relevant", "change", "fair"]
        .iter()
        .map(|q| {
            let a = if *q == "change" || *q == "fair" {
                "Yes"
            } else {
                "Agree"
            };
            (q.to_string(), a.to_string())
        })
        .collect();
    if profile.moc_consent {
        answers.push(("moc_reflection".into(), "Screen earlier".into()));
    }
    let cert = store
        .commit_visit(
            &cekiosk::store::NewVisit {
                badge_id: badge.into(),
                kiosk_id,
                device_id: device,
                profile,
                claims: claims.iter().map(|(s, q)| (s.to_string(), *q)).collect(),
                answers,
                summary: None,
                language,
                mail_declined,
            },
            &mut OsRandom,
        )
        .unwrap();
    cert.certificate_id
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// GET: the status and the body as text.
pub fn get(url: &str) -> (u16, String) {
    let mut r = agent().get(url).call().unwrap();
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// GET: the body as bytes (a PDF), which must come.
pub fn get_bytes(url: &str) -> Vec<u8> {
    agent()
        .get(url)
        .call()
        .unwrap()
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap()
}

/// GET with a bearer token.
pub fn get_auth(url: &str, token: &str) -> (u16, String) {
    let mut r = agent()
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// A command's output, which must have succeeded, as text.
pub fn ok(out: &std::process::Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    text
}
