//! The small arithmetic and wording the benches print their figures with.
//! Each bench includes this file (`#[path]`) and uses what it needs.

#![allow(dead_code)]

use std::time::Duration;

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

pub fn min_of(v: &[Duration]) -> Duration {
    v.iter().copied().min().unwrap_or_default()
}

pub fn max_of(v: &[Duration]) -> Duration {
    v.iter().copied().max().unwrap_or_default()
}

/// The middle run (the upper of the two middle ones for an even count).
pub fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    s[s.len() / 2]
}

/// Every run, in milliseconds with one decimal.
pub fn list(v: &[Duration]) -> String {
    v.iter()
        .map(|d| format!("{:.1}", ms(*d)))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn verdict(ok: bool) -> &'static str {
    if ok { "meets target" } else { "OVER TARGET" }
}

/// The `p`th percentile by nearest rank (zero for no runs).
pub fn pct(v: &[Duration], p: f64) -> Duration {
    let mut s = v.to_vec();
    s.sort_unstable();
    if s.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

/// Other work on the machine shows up in the tails: say how busy it was.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
        + &format!(
            " ({} CPUs)",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        )
}
