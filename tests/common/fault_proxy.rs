//! A fault-injecting HTTP proxy on loopback, for tests/hostile_network.rs:
//! it sits between `cekiosk sync` and the real hub binary and, on a seeded
//! random schedule, resets connections before forwarding, cuts the hub's
//! answer off mid-body, stalls a request past the client's timeout,
//! answers `500` itself, and kills and restarts the hub (same database,
//! same port) under a request. Each kind of fault is forced once if chance
//! has not brought it early in the run, and one outage makes every request
//! fail until the sync run it hit gives up. The faults are drawn in the
//! order requests reach the proxy, so a seed replays a schedule.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use super::{Hub, Rng};

/// How long a stalled request is held: longer than the kiosk's
/// per-request timeout in tests/hostile_network.rs (1 s).
pub const STALL: Duration = Duration::from_millis(1500);

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
pub struct Stats {
    pub requests: usize,
    pub clean: usize,
    pub resets: usize,
    pub cuts: usize,
    pub timeouts: usize,
    pub errors: usize,
    pub restarts: usize,
}

impl Stats {
    pub fn faults(&self) -> usize {
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

pub struct Shared {
    schedule: Mutex<Schedule>,
    hub: Mutex<Option<Hub>>,
    database: String,
    hub_port: u16,
    /// Requests that found the hub down (while it restarts), or lost it
    /// under them: the client saw a dropped connection.
    pub hub_down: AtomicUsize,
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

pub struct Proxy {
    port: u16,
    pub shared: Arc<Shared>,
}

impl Proxy {
    pub fn start(seed: u64, hub: Hub, database: &str, hub_port: u16) -> Proxy {
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

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn stats(&self) -> Stats {
        lock(&self.shared.schedule).stats.clone()
    }

    /// A sync run ended: an outage that hit it is over.
    pub fn end_attempt(&self) -> bool {
        let mut s = lock(&self.shared.schedule);
        if s.blackout == Blackout::Active {
            s.blackout = Blackout::Over;
            return true;
        }
        false
    }

    pub fn assert_sound(&self) {
        assert!(
            !self.shared.broken.load(Ordering::SeqCst),
            "a proxy thread panicked (see above)"
        );
    }

    /// Waits for stalled requests still being forwarded to land.
    pub fn settle(&self) {
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
