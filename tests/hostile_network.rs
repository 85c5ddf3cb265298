//! A hostile network between a kiosk and the hub. A fault-injecting TCP
//! proxy on loopback sits between `cekiosk sync` and the real hub binary and,
//! on a seeded random schedule, resets connections before forwarding, cuts
//! the hub's answer off mid-body, stalls a request past the client's timeout,
//! answers `500` itself, and kills and restarts the hub (same database, same
//! port) under a request. About 60% of requests pass unharmed; each kind of
//! fault is forced once if chance has not brought it early in the run, and
//! one outage (every request fails until the sync run gives up) makes at
//! least one run fail. The sync is run again and again until one run
//! finishes; between runs the cursors must not go down and the hub must hold
//! exactly the kiosk's records up to its `high_seq`; at the end it must hold
//! each of the kiosk's records, claims and certificates exactly once.
//!
//! The seed is printed; `CEKIOSK_FAULT_SEED=<seed>` replays a schedule (the
//! faults are drawn in the order requests reach the proxy).

mod common;

use std::collections::BTreeSet;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use cekiosk::domain::CodeSet;
use cekiosk::domain::ids::OsRandom;
use cekiosk::store::{NewVisit, Profile, Store};
use cekiosk::sync::protocol::Cursor;
use common::{Cluster, Hub, KioskDb, Rng, cluster, db_name};

/// The kiosk's per-request timeout in these runs, and how long a stalled
/// request is held: longer than that.
const CLIENT_TIMEOUT: &str = "1";
const STALL: Duration = Duration::from_millis(1500);
/// Visits per attendee and claims per visit: 340 × 3 × (3 claims + profile,
/// evaluation, certificate) = 6,120 outbox records, plus the two audit
/// records of the roster imports.
/// Enough for seven pages of uploads: the schedule forces each kind of
/// fault by the sixth POST at the latest.
const VISITS: usize = 7;
const CLAIMS: usize = 3;
const MAX_ATTEMPTS: usize = 60;
const MAX_TIME: Duration = Duration::from_secs(180);

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Clean,
    /// Dropped unread, before anything is forwarded: the kernel answers RST.
    Reset,
    /// Forwarded; the hub's answer is relayed only up to a point inside its
    /// body (the number picks the point), then the connection is closed.
    CutBody(u64),
    /// Held longer than the client waits, then forwarded anyway (before or
    /// after the hold), so the hub may apply a page the kiosk gave up on
    /// while the kiosk's retry of it is already in flight.
    Stall {
        forward_first: bool,
    },
    /// `HTTP/1.1 500` from the proxy itself; nothing is forwarded.
    Error500,
    /// Forwarded, then the hub is killed after a moment (mid-transaction or
    /// just after the commit), stays down a while (requests meanwhile find
    /// the port closed) and is started again on the same port.
    Restart {
        kill_after_ms: u64,
        down_ms: u64,
    },
}

#[derive(Debug, Default, Clone)]
struct Stats {
    requests: usize,
    clean: usize,
    resets: usize,
    cuts: usize,
    timeouts: usize,
    errors: usize,
    restarts: usize,
}

impl Stats {
    fn faults(&self) -> usize {
        self.resets + self.cuts + self.timeouts + self.errors + self.restarts
    }
}

/// An outage: from request number `Pending(n)` on, every request fails
/// (resets, cut bodies, 500s) until the sync run it hit has given up.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Blackout {
    Pending(usize),
    Active,
    Over,
}

struct Schedule {
    rng: Rng,
    stats: Stats,
    posts: usize,
    /// Each kind of fault happens at least once: if chance has not brought
    /// it by this upload (counting POSTs) or request, it is forced there.
    restart_at_post: usize,
    stall_at_post: usize,
    cut_at_post: usize,
    reset_at: usize,
    error_at: usize,
    blackout: Blackout,
}

impl Schedule {
    fn new(seed: u64) -> Schedule {
        let mut rng = Rng::new(seed);
        let mut pick = |lo: u64, hi: u64| (lo + rng.below(hi - lo + 1)) as usize;
        let restart_at_post = pick(1, 6);
        let stall_at_post = pick(1, 10);
        let cut_at_post = pick(1, 10);
        let reset_at = pick(1, 12);
        let error_at = pick(1, 12);
        let blackout = Blackout::Pending(pick(4, 14));
        Schedule {
            rng,
            stats: Stats::default(),
            posts: 0,
            restart_at_post,
            stall_at_post,
            cut_at_post,
            reset_at,
            error_at,
            blackout,
        }
    }

    /// A page takes the hub some tens of ms to apply once it has the
    /// body: `mid_page` kills inside that window (mid-transaction, as a
    /// rule); otherwise the kill may also come well after the commit.
    fn restart(&mut self, mid_page: bool) -> Fault {
        let kill_after_ms = if mid_page || self.rng.below(3) != 0 {
            2 + self.rng.below(24)
        } else {
            self.rng.below(150)
        };
        Fault::Restart {
            kill_after_ms,
            down_ms: self.rng.below(900),
        }
    }

    fn decide(&mut self, request_line: &str) -> (usize, Fault) {
        self.stats.requests += 1;
        let n = self.stats.requests;
        let post = request_line.starts_with("POST ");
        if post {
            self.posts += 1;
        }
        if self.blackout == Blackout::Pending(n) {
            self.blackout = Blackout::Active;
            eprintln!("  #{n}: outage: every request fails until this sync run gives up");
        }
        let s = &self.stats;
        let fault = if self.blackout == Blackout::Active {
            match self.rng.below(3) {
                0 => Fault::Reset,
                1 => Fault::CutBody(self.rng.next()),
                _ => Fault::Error500,
            }
        } else if post && s.restarts == 0 && self.posts >= self.restart_at_post {
            self.restart(true)
        } else if post && s.timeouts == 0 && self.posts >= self.stall_at_post {
            Fault::Stall {
                forward_first: self.rng.below(2) == 0,
            }
        } else if post && s.cuts == 0 && self.posts >= self.cut_at_post {
            Fault::CutBody(self.rng.next())
        } else if s.resets == 0 && n >= self.reset_at {
            Fault::Reset
        } else if s.errors == 0 && n >= self.error_at {
            Fault::Error500
        } else {
            match self.rng.below(100) {
                0..60 => Fault::Clean,
                60..72 => Fault::Reset,
                72..84 => Fault::CutBody(self.rng.next()),
                84..93 => Fault::Error500,
                93..98 => Fault::Stall {
                    forward_first: self.rng.below(2) == 0,
                },
                _ => self.restart(false),
            }
        };
        let s = &mut self.stats;
        match fault {
            Fault::Clean => s.clean += 1,
            Fault::Reset => s.resets += 1,
            Fault::CutBody(_) => s.cuts += 1,
            Fault::Stall { .. } => s.timeouts += 1,
            Fault::Error500 => s.errors += 1,
            Fault::Restart { .. } => s.restarts += 1,
        }
        (n, fault)
    }
}

struct Shared {
    schedule: Mutex<Schedule>,
    hub: Mutex<Option<Hub>>,
    database: String,
    hub_port: u16,
    /// Requests that found the hub down (while it restarts), or lost it
    /// under them: the client saw a dropped connection.
    hub_down: AtomicUsize,
    in_flight: AtomicUsize,
    /// A proxy thread panicked: the run proves nothing.
    broken: AtomicBool,
    stop: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts a connection thread in and out, and notices if it panicked.
struct InFlight(Arc<Shared>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.broken.store(true, Ordering::SeqCst);
        }
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Proxy {
    port: u16,
    shared: Arc<Shared>,
}

impl Proxy {
    fn start(seed: u64, hub: Hub, database: &str, hub_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            schedule: Mutex::new(Schedule::new(seed)),
            hub: Mutex::new(Some(hub)),
            database: database.to_string(),
            hub_port,
            hub_down: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            broken: AtomicBool::new(false),
            stop: AtomicBool::new(false),
        });
        let sh = Arc::clone(&shared);
        thread::spawn(move || {
            for conn in listener.incoming() {
                if sh.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                sh.in_flight.fetch_add(1, Ordering::SeqCst);
                let guard = InFlight(Arc::clone(&sh));
                thread::spawn(move || {
                    serve(&guard.0, conn);
                    drop(guard);
                });
            }
        });
        Proxy { port, shared }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn stats(&self) -> Stats {
        lock(&self.shared.schedule).stats.clone()
    }

    /// A sync run ended: an outage that hit it is over.
    fn end_attempt(&self) -> bool {
        let mut s = lock(&self.shared.schedule);
        if s.blackout == Blackout::Active {
            s.blackout = Blackout::Over;
            return true;
        }
        false
    }

    fn assert_sound(&self) {
        assert!(
            !self.shared.broken.load(Ordering::SeqCst),
            "a proxy thread panicked (see above)"
        );
    }

    /// Waits for stalled requests still being forwarded to land.
    fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.shared.in_flight.load(Ordering::SeqCst) > 0 {
            assert!(
                Instant::now() < deadline,
                "proxy connections still open after 20 s"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// One HTTP/1.1 message as it went over the wire.
struct Message {
    head: Vec<u8>,
    body: Vec<u8>,
}

impl Message {
    fn bytes(&self) -> Vec<u8> {
        [self.head.as_slice(), self.body.as_slice()].concat()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Request,
    Response,
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn eof(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, what.to_string())
}

/// Reads one message: the head, then a body by Content-Length, chunked
/// encoding, or (a response with neither) to the end. `None` at a clean end.
fn read_message(r: &mut impl BufRead, side: Side) -> io::Result<Option<Message>> {
    let mut head = Vec::new();
    loop {
        let start = head.len();
        if r.read_until(b'\n', &mut head)? == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(eof("closed inside the head"))
            };
        }
        let line = &head[start..];
        if line == b"\r\n" || line == b"\n" {
            if start == 0 {
                head.clear();
                continue;
            }
            break;
        }
        if head.len() > 64 * 1024 {
            return Err(bad("head too long"));
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let mut length = None;
    let mut chunked = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            if k == "content-length" {
                length = Some(v.parse::<usize>().map_err(|_| bad("content-length"))?);
            } else if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                chunked = true;
            }
        }
    }
    let bodiless = side == Side::Response && {
        let status: u16 = first
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        status < 200 || status == 204 || status == 304
    };
    let mut body = Vec::new();
    if bodiless {
    } else if chunked {
        read_chunked(r, &mut body)?;
    } else if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    } else if side == Side::Response {
        r.read_to_end(&mut body)?;
    }
    Ok(Some(Message { head, body }))
}

/// A chunked body, kept byte for byte as it came.
fn read_chunked(r: &mut impl BufRead, body: &mut Vec<u8>) -> io::Result<()> {
    loop {
        let start = body.len();
        if r.read_until(b'\n', body)? == 0 {
            return Err(eof("closed inside a chunk size"));
        }
        let line = String::from_utf8_lossy(&body[start..]).into_owned();
        let size_text = line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("chunk size"))?;
        if size == 0 {
            loop {
                let s = body.len();
                if r.read_until(b'\n', body)? == 0 {
                    return Err(eof("closed inside the trailer"));
                }
                if body[s..] == *b"\r\n" || body[s..] == *b"\n" {
                    return Ok(());
                }
            }
        }
        let s = body.len();
        body.resize(s + size + 2, 0);
        r.read_exact(&mut body[s..])?;
    }
}

fn first_line(bytes: &[u8]) -> String {
    let end = bytes
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// A fresh connection to the hub for one request.
fn upstream(sh: &Shared) -> Option<TcpStream> {
    match TcpStream::connect(("127.0.0.1", sh.hub_port)) {
        Ok(s) => {
            let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
            let _ = s.set_nodelay(true);
            Some(s)
        }
        Err(_) => {
            sh.hub_down.fetch_add(1, Ordering::SeqCst);
            None
        }
    }
}

/// Forwards one request and reads the hub's whole answer.
fn exchange(sh: &Shared, request: &Message) -> Option<Message> {
    let mut up = upstream(sh)?;
    let answer = up
        .write_all(&request.bytes())
        .and_then(|()| read_message(&mut BufReader::new(&up), Side::Response));
    match answer {
        Ok(Some(m)) => Some(m),
        _ => {
            sh.hub_down.fetch_add(1, Ordering::SeqCst);
            None
        }
    }
}

fn restart_hub(sh: &Shared, n: usize, down: Duration) {
    let mut hub = lock(&sh.hub);
    if let Some(mut h) = hub.take() {
        h.kill();
    }
    thread::sleep(down);
    let started = Instant::now();
    let listen = format!("127.0.0.1:{}", sh.hub_port);
    *hub = Some(Hub::start_at(&sh.database, &listen, &[]));
    eprintln!(
        "  #{n}: hub killed, down {} ms, back on {listen} in {} ms more",
        down.as_millis(),
        started.elapsed().as_millis()
    );
}

/// One client connection: requests one at a time (keep-alive), each over a
/// fresh connection to the hub, each given its fault.
fn serve(sh: &Shared, client: TcpStream) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = client.set_nodelay(true);
    let Ok(read_half) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = client;
    loop {
        // Wait for the next request without taking it off the socket, so a
        // reset can drop it unread.
        let line = if reader.buffer().is_empty() {
            let mut peek = [0u8; 160];
            match reader.get_ref().peek(&mut peek) {
                Ok(0) | Err(_) => return,
                Ok(n) => first_line(&peek[..n]),
            }
        } else {
            first_line(reader.buffer())
        };
        let (n, fault) = lock(&sh.schedule).decide(&line);
        if !matches!(fault, Fault::Clean) {
            eprintln!("  #{n} {line}: {fault:?}");
        }
        if let Fault::Reset = fault {
            // Closing with the request unread in the socket resets it.
            return;
        }
        let request = match read_message(&mut reader, Side::Request) {
            Ok(Some(r)) => r,
            _ => return,
        };
        match fault {
            Fault::Clean => {
                let Some(answer) = exchange(sh, &request) else {
                    return;
                };
                if writer.write_all(&answer.bytes()).is_err() {
                    return;
                }
            }
            Fault::Reset => unreachable!(),
            Fault::Error500 => {
                let body = "fault injected by the test proxy\n";
                let answer = format!(
                    "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                if writer.write_all(answer.as_bytes()).is_err() {
                    return;
                }
            }
            Fault::CutBody(at) => {
                if let Some(answer) = exchange(sh, &request) {
                    let cut = if answer.body.is_empty() {
                        answer.head[..answer.head.len() / 2].to_vec()
                    } else {
                        let keep = (at % answer.body.len() as u64) as usize;
                        [answer.head.as_slice(), &answer.body[..keep]].concat()
                    };
                    let _ = writer.write_all(&cut);
                    let _ = writer.flush();
                }
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
            Fault::Stall { forward_first } => {
                if !forward_first {
                    thread::sleep(STALL);
                }
                let answer = exchange(sh, &request);
                if forward_first {
                    thread::sleep(STALL);
                }
                // The client has given up by now; this goes nowhere.
                if let Some(a) = answer {
                    let _ = writer.write_all(&a.bytes());
                }
                return;
            }
            Fault::Restart {
                kill_after_ms,
                down_ms,
            } => {
                let up = upstream(sh);
                if let Some(mut up) = up.as_ref() {
                    let _ = up.write_all(&request.bytes());
                    thread::sleep(Duration::from_millis(kill_after_ms));
                }
                let _ = writer.shutdown(Shutdown::Both);
                restart_hub(sh, n, Duration::from_millis(down_ms));
                drop(up);
                return;
            }
        }
    }
}

/// 340 attendees × VISITS visits × CLAIMS claims on distinct sessions,
/// committed through the library. Returns the device id and the number of
/// claims.
fn fill(k: &KioskDb) -> (String, usize) {
    let conn = k.sqlite();
    let badges = k.badges();
    let sessions: Vec<(String, u32)> = conn
        .prepare("SELECT session_id, credits_q FROM sessions ORDER BY session_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    assert!(badges.len() >= 300 && sessions.len() > VISITS * CLAIMS);
    let mut store = Store::open(&k.db()).unwrap();
    let device = store.device_id(&mut OsRandom).unwrap();
    let answers: Vec<(String, String)> = [
        ("objective_1", "Agree"),
        ("relevant", "Agree"),
        ("change", "Yes"),
        ("fair", "Yes"),
    ]
    .iter()
    .map(|(q, a)| (q.to_string(), a.to_string()))
    .collect();
    for (i, badge) in badges.iter().enumerate() {
        for v in 0..VISITS {
            let claims = (0..CLAIMS)
                .map(|j| {
                    let (id, designated) = &sessions[(i * 7 + v * CLAIMS + j) % sessions.len()];
                    (id.clone(), 1 + (i + j) as u32 % designated)
                })
                .collect();
            store
                .commit_visit(
                    &NewVisit {
                        badge_id: badge.clone(),
                        kiosk_id: "K01".into(),
                        device_id: device.clone(),
                        profile: Profile {
                            codes: CodeSet::parse_list("AMA").unwrap(),
                            ..Profile::default()
                        },
                        claims,
                        answers: answers.clone(),
                    },
                    &mut OsRandom,
                )
                .unwrap();
        }
    }
    (device, badges.len() * VISITS * CLAIMS)
}

fn kiosk_i64(k: &KioskDb, sql: &str) -> i64 {
    k.sqlite().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn kiosk_set(k: &KioskDb, sql: &str) -> BTreeSet<String> {
    let c = k.sqlite();
    let mut s = c.prepare(sql).unwrap();
    s.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn hub_i64(pg: &Cluster, db: &str, sql: &str) -> i64 {
    let text = pg.query(db, sql);
    text.parse()
        .unwrap_or_else(|_| panic!("{sql}: not a number: {text}"))
}

fn hub_set(pg: &Cluster, db: &str, sql: &str) -> BTreeSet<String> {
    pg.query(db, sql)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Where both sides stand between sync runs.
#[derive(Debug, Clone, Copy, Default)]
struct Snapshot {
    hub_high: i64,
    hub_records: i64,
    hub_distinct: i64,
    kiosk_uploaded: i64,
    kiosk_max_uploaded: i64,
    kiosk_cursor: Cursor,
    kiosk_outbox: i64,
    kiosk_at_or_below_high: i64,
}

fn snapshot(pg: &Cluster, db: &str, k: &KioskDb) -> Snapshot {
    // The kiosk first: the hub only gains records meanwhile.
    let kiosk_uploaded = kiosk_i64(
        k,
        "SELECT count(*) FROM outbox WHERE uploaded_at IS NOT NULL",
    );
    let kiosk_max_uploaded = kiosk_i64(
        k,
        "SELECT coalesce(max(seq), 0) FROM outbox WHERE uploaded_at IS NOT NULL",
    );
    let kiosk_cursor: Cursor = k
        .sqlite()
        .query_row(
            "SELECT coalesce((SELECT value FROM meta WHERE key = 'hub_cursor'), '0.0')",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
        .parse()
        .expect("a TXID.SEQ cursor");
    let kiosk_outbox = kiosk_i64(k, "SELECT count(*) FROM outbox");
    // One statement, one snapshot of the hub.
    let row = pg.query(
        db,
        "SELECT coalesce((SELECT max(high_seq) FROM devices), 0), (SELECT count(*) FROM records), \
         (SELECT count(DISTINCT (device_id, seq)) FROM records)",
    );
    let v: Vec<i64> = row.split('|').map(|x| x.parse().unwrap()).collect();
    let kiosk_at_or_below_high = kiosk_i64(
        k,
        &format!("SELECT count(*) FROM outbox WHERE seq <= {}", v[0]),
    );
    Snapshot {
        hub_high: v[0],
        hub_records: v[1],
        hub_distinct: v[2],
        kiosk_uploaded,
        kiosk_max_uploaded,
        kiosk_cursor,
        kiosk_outbox,
        kiosk_at_or_below_high,
    }
}

/// The invariants that hold between any two runs, however they ended.
fn check(prev: &Snapshot, now: &Snapshot, outbox: i64, seed: u64) {
    let ctx = format!("seed {seed}: {prev:?} then {now:?}");
    assert!(
        now.hub_high >= prev.hub_high,
        "hub high_seq went down: {ctx}"
    );
    assert!(
        now.kiosk_cursor >= prev.kiosk_cursor,
        "kiosk hub_cursor went down: {ctx}"
    );
    assert!(
        now.kiosk_uploaded >= prev.kiosk_uploaded,
        "kiosk un-marked uploads: {ctx}"
    );
    assert_eq!(
        now.hub_records, now.hub_distinct,
        "duplicated records: {ctx}"
    );
    assert_eq!(
        now.hub_records, now.kiosk_at_or_below_high,
        "the hub's records are not exactly the kiosk's up to high_seq: {ctx}"
    );
    assert!(
        now.kiosk_max_uploaded <= now.hub_high,
        "the kiosk marked records uploaded that the hub does not hold: {ctx}"
    );
    assert_eq!(
        now.kiosk_outbox, outbox,
        "the outbox changed during sync: {ctx}"
    );
}

/// Samples the hub's high_seq while runs go on: it must never go down.
fn watch_high_seq(
    pg: &'static Cluster,
    db: String,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<(usize, Option<String>)> {
    thread::spawn(move || {
        let (mut last, mut samples) = (0i64, 0usize);
        while !stop.load(Ordering::SeqCst) {
            let text = pg.query(&db, "SELECT coalesce(max(high_seq), 0) FROM devices");
            let high: i64 = text.parse().unwrap_or(-1);
            samples += 1;
            if high < last {
                return (samples, Some(format!("high_seq {last} then {high}")));
            }
            last = high;
            thread::sleep(Duration::from_millis(150));
        }
        (samples, None)
    })
}

/// How many times PostgreSQL saw a hub connection vanish inside a
/// transaction (a restart that killed the hub mid-page). Best effort: reads
/// the log of this process's cluster from where tests/common puts it.
fn killed_mid_transaction() -> Option<usize> {
    let prefix = format!("cekiosk-pg-{}-", std::process::id());
    let dir = std::fs::read_dir(std::env::temp_dir())
        .ok()?
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))?;
    let log = std::fs::read_to_string(dir.path().join("log")).ok()?;
    Some(log.matches("with an open transaction").count())
}

/// One `cekiosk sync` through the proxy, with a watchdog.
fn run_sync(k: &KioskDb, hub: &str, attempt: usize) -> (bool, String) {
    let out_path = k.dir.path().join(format!("sync-{attempt}.out"));
    let out = std::fs::File::create(&out_path).unwrap();
    let mut child = k
        .cmd(&[("CEKIOSK_SYNC_TIMEOUT_SECONDS", CLIENT_TIMEOUT)])
        .args(["sync", "--hub", hub])
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let text = std::fs::read_to_string(&out_path).unwrap_or_default();
    match status {
        Some(s) => (s.success(), text),
        None => (
            false,
            format!("watchdog: sync still running after 120 s\n{text}"),
        ),
    }
}

#[test]
fn a_hostile_network_loses_and_duplicates_nothing() {
    let began = Instant::now();
    let seed = common::seed("CEKIOSK_FAULT_SEED");
    eprintln!("hostile network: seed {seed} (replay with CEKIOSK_FAULT_SEED={seed})");
    let pg = cluster();
    let name = db_name("hostile");
    let database = pg.database(&name);
    let k = KioskDb::new();
    let (device, claims) = fill(&k);
    let outbox = kiosk_i64(&k, "SELECT count(*) FROM outbox");
    let max_seq = kiosk_i64(&k, "SELECT max(seq) FROM outbox");
    let page = cekiosk::sync::protocol::PAGE as i64;
    assert!(outbox > 6 * page, "{outbox} records, pages of {page}");
    eprintln!(
        "hostile network: {outbox} outbox records built in {} ms",
        began.elapsed().as_millis()
    );

    let hub_port = common::free_port();
    let hub = Hub::start_at(&database, &format!("127.0.0.1:{hub_port}"), &[]);
    let proxy = Proxy::start(seed, hub, &database, hub_port);
    let stop_watch = Arc::new(AtomicBool::new(false));
    let watcher = watch_high_seq(pg, name.clone(), Arc::clone(&stop_watch));

    let syncing = Instant::now();
    let mut prev = Snapshot::default();
    let (mut attempts, mut failures, mut outages) = (0usize, 0usize, 0usize);
    loop {
        attempts += 1;
        assert!(
            attempts <= MAX_ATTEMPTS && syncing.elapsed() < MAX_TIME,
            "seed {seed}: no sync finished in {} attempts / {} s; {:?}",
            attempts - 1,
            syncing.elapsed().as_secs(),
            proxy.stats()
        );
        let started = Instant::now();
        let (ok, text) = run_sync(&k, &proxy.url(), attempts);
        if proxy.end_attempt() {
            outages += 1;
        }
        proxy.assert_sound();
        let now = snapshot(pg, &name, &k);
        check(&prev, &now, outbox, seed);
        prev = now;
        let line = text.lines().last().unwrap_or("").to_string();
        eprintln!(
            "attempt {attempts}: {} in {} ms, hub high_seq {}: {line}",
            if ok { "ok" } else { "failed" },
            started.elapsed().as_millis(),
            now.hub_high
        );
        if ok {
            break;
        }
        failures += 1;
        assert!(
            text.contains("did not finish"),
            "seed {seed}: a sync failed for a reason other than the network: {text}"
        );
    }
    let sync_time = syncing.elapsed();

    // Requests the proxy stalled may still be on their way to the hub: let
    // them land, so they count against exactly-once too.
    proxy.settle();
    proxy.assert_sound();
    stop_watch.store(true, Ordering::SeqCst);
    let (samples, went_down) = watcher.join().unwrap();
    assert_eq!(
        went_down, None,
        "seed {seed}: the hub's high_seq went down while syncing"
    );
    let stats = proxy.stats();
    let hub_down = proxy.shared.hub_down.load(Ordering::SeqCst);

    // Exactly once, record by record.
    let kiosk_records = kiosk_set(
        &k,
        "SELECT seq || '|' || kind || '|' || record_id FROM outbox",
    );
    let hub_records = hub_set(
        pg,
        &name,
        &format!(
            "SELECT seq || '|' || kind || '|' || record_id FROM records WHERE device_id = '{device}'"
        ),
    );
    let hub_count = hub_i64(pg, &name, "SELECT count(*) FROM records");
    let hub_distinct = hub_i64(
        pg,
        &name,
        "SELECT count(DISTINCT (device_id, seq)) FROM records",
    );
    let lost = kiosk_records.difference(&hub_records).count();
    let extra = hub_records.difference(&kiosk_records).count();
    let duplicated = (hub_count - hub_distinct) as usize + extra;
    eprintln!(
        "hostile network: {outbox} records, {} faults injected (resets {}, cut bodies {}, timeouts {}, 500s {}, restarts {}), \
         {attempts} sync attempts, {lost} lost, {duplicated} duplicated",
        stats.faults(),
        stats.resets,
        stats.cuts,
        stats.timeouts,
        stats.errors,
        stats.restarts
    );
    let mid_transaction = killed_mid_transaction()
        .map(|n| n.to_string())
        .unwrap_or_else(|| "?".into());
    eprintln!(
        "hostile network: {} requests ({} clean), {failures} failed runs ({outages} by an outage), \
         {hub_down} requests found the hub down, {mid_transaction} of {} restarts killed the hub \
         mid-transaction, {samples} high_seq samples; seed {seed}; sync {:.1} s, whole test {:.1} s",
        stats.requests,
        stats.clean,
        stats.restarts,
        sync_time.as_secs_f64(),
        began.elapsed().as_secs_f64()
    );
    assert_eq!(lost, 0, "seed {seed}: records lost");
    assert_eq!(duplicated, 0, "seed {seed}: records duplicated");
    assert_eq!(hub_count, outbox, "seed {seed}");
    assert_eq!(hub_distinct, outbox, "seed {seed}");
    assert_eq!(
        hub_i64(
            pg,
            &name,
            "SELECT count(*) FROM records WHERE rejected IS NOT NULL"
        ),
        0,
        "seed {seed}: rejected records"
    );

    // Every claim once, and none taken for a duplicate of itself.
    let kiosk_claims = kiosk_set(&k, "SELECT claim_id FROM claims");
    let hub_claims = hub_set(pg, &name, "SELECT claim_id FROM claims");
    assert_eq!(kiosk_claims.len(), claims);
    assert_eq!(
        hub_i64(pg, &name, "SELECT count(*) FROM claims"),
        kiosk_claims.len() as i64,
        "seed {seed}"
    );
    assert!(
        kiosk_claims == hub_claims,
        "seed {seed}: claims differ: {} only at the kiosk, {} only at the hub",
        kiosk_claims.difference(&hub_claims).count(),
        hub_claims.difference(&kiosk_claims).count()
    );
    assert_eq!(
        hub_i64(
            pg,
            &name,
            "SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        0,
        "seed {seed}: a claim was flagged a duplicate"
    );
    let kiosk_certs = kiosk_set(&k, "SELECT certificate_id FROM certificates");
    assert_eq!(
        hub_set(pg, &name, "SELECT certificate_id FROM certificates"),
        kiosk_certs,
        "seed {seed}"
    );
    // The change feed other kiosks download holds each record once too.
    let feed_kinds = kiosk_i64(&k, "SELECT count(*) FROM outbox WHERE kind <> 'audit'");
    let feed = common::read_feed(&format!("http://127.0.0.1:{hub_port}"));
    assert_eq!(
        feed.iter().filter(|(origin, _)| *origin == device).count() as i64,
        feed_kinds,
        "seed {seed}: the change feed"
    );
    // The hub's mark and the kiosk's view of it.
    assert_eq!(
        pg.query(&name, "SELECT device_id || ' ' || high_seq FROM devices"),
        format!("{device} {max_seq}"),
        "seed {seed}"
    );
    assert_eq!(
        kiosk_i64(
            &k,
            "SELECT count(*) FROM outbox WHERE uploaded_at IS NULL OR rejected IS NOT NULL"
        ),
        0,
        "seed {seed}: not uploaded at the kiosk"
    );
    assert!(stats.restarts >= 1, "seed {seed}: the hub never restarted");
    assert!(
        stats.resets + stats.cuts + stats.errors > 0,
        "seed {seed}: no faults"
    );
}
