//! Day 5's burst taken apart: the hub's own account of each page it took
//! (the `upload timing` lines of its log), a driver that sends pages built
//! beforehand straight at the hub (so the hub's time is measured apart
//! from the kiosks reading their outboxes on the same cores), and the
//! summaries the congress bench prints.

#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

/// What the hub logged of one page, in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct PageTimes {
    pub records: usize,
    pub parse: f64,
    pub check: f64,
    pub wait: f64,
    pub lock: f64,
    pub old: f64,
    pub copy: f64,
    pub rest: f64,
    pub commit: f64,
    pub handler: f64,
}

/// Every `upload timing` line of a hub's log.
pub fn read_hub_log(log: &Path) -> Vec<PageTimes> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter(|l| l.contains("upload timing"))
        .map(|l| {
            let mut p = PageTimes::default();
            for (k, v) in l.split_whitespace().filter_map(|kv| kv.split_once('=')) {
                let n: f64 = v.parse().unwrap_or(0.0);
                match k {
                    "records" => p.records = n as usize,
                    "parse_ms" => p.parse = n,
                    "check_ms" => p.check = n,
                    "wait_ms" => p.wait = n,
                    "lock_ms" => p.lock = n,
                    "old_ms" => p.old = n,
                    "copy_ms" => p.copy = n,
                    "rest_ms" => p.rest = n,
                    "commit_ms" => p.commit = n,
                    "handler_ms" => p.handler = n,
                    _ => {}
                }
            }
            p
        })
        .collect()
}

fn median_f(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The hub's time in the other requests of a sync, as its log tells it:
/// `what` is the line's message (`device state timing`, `report timing`):
/// how many, their summed handler time and the median.
pub fn other_requests(log: &Path, what: &str) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let ms: Vec<f64> = text
        .lines()
        .filter(|l| l.contains(what))
        .filter_map(|l| {
            l.split_whitespace()
                .find_map(|kv| kv.strip_prefix("handler_ms="))
                .and_then(|v| v.parse().ok())
        })
        .collect();
    let sum: f64 = ms.iter().sum();
    format!(
        "{} {} requests, {sum:.0} ms (median {:.1} ms)",
        ms.len(),
        what.trim_end_matches(" timing"),
        median_f(ms.clone())
    )
}

/// The hub's account of a burst, one line: per phase, the sum over every
/// page (the pages overlap, several at once on the pool's connections, so
/// the sums exceed the wall clock) and the median page.
pub fn breakdown(pages: &[PageTimes]) -> String {
    type Phase = (&'static str, fn(&PageTimes) -> f64);
    let phases: [Phase; 9] = [
        ("parse the body", |p| p.parse),
        ("check the records", |p| p.check),
        ("wait for a connection", |p| p.wait),
        ("lock the device", |p| p.lock),
        ("records held already", |p| p.old),
        ("COPY with the typed tables' rows", |p| p.copy),
        ("walk-ins and the device row", |p| p.rest),
        ("commit", |p| p.commit),
        ("the whole handler", |p| p.handler),
    ];
    let records: usize = pages.iter().map(|p| p.records).sum();
    let parts: Vec<String> = phases
        .iter()
        .map(|(name, f)| {
            let sum: f64 = pages.iter().map(f).sum();
            let med = median_f(pages.iter().map(f).collect());
            format!("{name} {:.0} ms (median page {med:.1} ms)", sum)
        })
        .collect();
    format!(
        "{} pages, {records} records: {}",
        pages.len(),
        parts.join("; ")
    )
}

/// One page ready to send: the device it is for and its JSON body.
pub struct Page {
    pub device: String,
    pub body: Vec<u8>,
    pub records: usize,
}

/// Sends every page at once, one thread each, straight at the hub's
/// upload path; returns when every answer is in, with how many were not a
/// success.
pub fn send_pages(
    hub: &str,
    token: &str,
    kiosk_header: &[String],
    pages: &[Page],
) -> (Duration, usize) {
    let start = Instant::now();
    let failed = std::thread::scope(|s| {
        let sent: Vec<_> = pages
            .iter()
            .zip(kiosk_header)
            .map(|(p, kiosk)| {
                s.spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .timeout_global(Some(Duration::from_secs(300)))
                        .build()
                        .into();
                    let r = agent
                        .post(&format!("{hub}/api/v1/devices/{}/records", p.device))
                        .header("Authorization", &format!("Bearer {token}"))
                        .header("X-Cekiosk-Kiosk", kiosk)
                        .header("Content-Type", "application/json")
                        .send(&p.body[..]);
                    match r {
                        Ok(r) if r.status().is_success() => 0,
                        Ok(r) => {
                            eprintln!("replay: {} answered {}", p.device, r.status());
                            1
                        }
                        Err(e) => {
                            eprintln!("replay: {}: {e}", p.device);
                            1
                        }
                    }
                })
            })
            .collect();
        sent.into_iter()
            .map(|h| h.join().expect("a page sent"))
            .sum::<usize>()
    });
    (start.elapsed(), failed)
}

/// The median of `v` and its spread: (max - min) / median.
pub fn median_spread(v: &[Duration]) -> (Duration, f64) {
    let mut s = v.to_vec();
    s.sort();
    let med = s[s.len() / 2];
    let spread = (s[s.len() - 1] - s[0]).as_secs_f64() / med.as_secs_f64().max(1e-9);
    (med, spread)
}

/// CPU seconds used so far (user and system) by a process, from /proc.
fn cpu_of(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command's closing parenthesis: utime is the 12th,
    // stime the 13th; both in clock ticks (100 a second on Linux).
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// CPU seconds so far of: this process (the kiosks' threads, in the
/// bench), the hub, and every PostgreSQL process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cpu {
    pub kiosks: f64,
    pub hub: f64,
    pub postgres: f64,
}

impl Cpu {
    pub fn now(hub_pid: u32) -> Cpu {
        let postgres = std::fs::read_dir("/proc")
            .map(|d| {
                d.flatten()
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
                    .filter(|p| {
                        std::fs::read_to_string(format!("/proc/{p}/comm"))
                            .is_ok_and(|c| c.trim() == "postgres")
                    })
                    .map(|p| cpu_of(&p))
                    .sum()
            })
            .unwrap_or(0.0);
        Cpu {
            kiosks: cpu_of("self"),
            hub: cpu_of(&hub_pid.to_string()),
            postgres,
        }
    }

    /// What was used between `self` and `later`, in words.
    pub fn since(&self, later: &Cpu) -> String {
        format!(
            "CPU: kiosks {:.2} s, hub {:.2} s, PostgreSQL {:.2} s",
            later.kiosks - self.kiosks,
            later.hub - self.hub,
            later.postgres - self.postgres
        )
    }
}
