//! What Linux's /proc says about a process, for the benches' figures: its
//! memory (kB lines of /proc/PID/status), the CPU time it and its children
//! used (/proc/PID/stat), its name, and which process runs with given
//! arguments. Where /proc cannot tell (not Linux) the memory and `Cpu`
//! figures read as zero, and `cpu_ticks` panics.
//!
//! The kiosk and sync benches include this file (`#[path]`) and use what
//! they need.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// kB figures from /proc/PID/status.
pub fn status_kb(pid: u32) -> HashMap<String, u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let kb = v.trim().strip_suffix(" kB")?.trim().parse().ok()?;
            Some((k.to_string(), kb))
        })
        .collect()
}

pub fn mem_line(pid: u32) -> (f64, f64, String) {
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
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("reading stat");
    // The command name, in parentheses, may hold spaces: count from after it.
    let rest = &stat[stat.rfind(')').expect("stat has a comm") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Field 3 (state) is rest[0], so field N is rest[N - 3].
    let utime: u64 = fields[14 - 3].parse().expect("utime");
    let stime: u64 = fields[15 - 3].parse().expect("stime");
    utime + stime
}

pub fn clock_ticks() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
}

pub fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// CPU seconds (user + system) used so far, read from /proc: by the
/// cluster (the postmaster, every process under it, and the backends that
/// have ended), by the hub, and by this bench's children that have ended.
/// Zero where /proc cannot tell (not Linux).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cpu {
    pub postgres: f64,
    pub hub: f64,
    pub children: f64,
}

impl Cpu {
    pub fn now(data_dir: &str, hub: Option<u32>) -> Cpu {
        let postmaster: Option<u32> =
            std::fs::read_to_string(Path::new(data_dir).join("postmaster.pid"))
                .ok()
                .and_then(|t| t.lines().next()?.trim().parse().ok());
        let mut postgres = 0.0;
        if let Some(pm) = postmaster {
            postgres += stat(pm).map_or(0.0, |s| s.own + s.children);
            for pid in pids() {
                if let Some(s) = stat(pid).filter(|s| s.ppid == pm) {
                    postgres += s.own;
                }
            }
        }
        Cpu {
            postgres,
            hub: hub.and_then(stat).map_or(0.0, |s| s.own),
            children: stat(std::process::id()).map_or(0.0, |s| s.children),
        }
    }

    pub fn since(&self, before: &Cpu) -> Cpu {
        Cpu {
            postgres: self.postgres - before.postgres,
            hub: self.hub - before.hub,
            children: self.children - before.children,
        }
    }

    pub fn total(&self) -> f64 {
        self.postgres + self.hub + self.children
    }
}

pub struct Stat {
    pub ppid: u32,
    /// utime + stime, seconds
    pub own: f64,
    /// cutime + cstime: children waited for, seconds
    pub children: f64,
}

pub fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: split after the last ')'.
    let fields: Vec<&str> = text[text.rfind(')')? + 2..].split_whitespace().collect();
    let tick = |i: usize| -> Option<f64> { Some(fields.get(i)?.parse::<f64>().ok()? / ticks()) };
    Some(Stat {
        ppid: fields.get(1)?.parse().ok()?,
        own: tick(11)? + tick(12)?,
        children: tick(13)? + tick(14)?,
    })
}

pub fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Clock ticks per second, for /proc's times.
pub fn ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// A running process whose arguments include all of `args`.
pub fn process_with_args(args: &[&str]) -> Option<u32> {
    pids().into_iter().find(|pid| {
        std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
            let have: Vec<&[u8]> = c.split(|b| *b == 0).collect();
            args.iter().all(|a| have.contains(&a.as_bytes()))
        })
    })
}
