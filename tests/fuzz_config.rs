//! Hostile input, in bulk, for the config loader: property ("fuzz") tests
//! that load the demo event file after a careless edit (lines deleted,
//! duplicated, swapped or cut short, values replaced by odd TOML, garbage
//! typed in) under random `CEKIOSK_*` overrides, valid, malformed and
//! misspelt. No panic; a refusal names the file or the variable; an
//! accepted config is sound and the overrides it took are in force.
//!
//! The runner and the case counts (`CEKIOSK_FUZZ_CASES`,
//! `PROPTEST_RNG_SEED`) are described in tests/common/fuzz.rs. The test
//! prints one `fuzz: …` summary line (see it with --nocapture).

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use cekiosk::config::{Config, ConfigError, EVENT_FILE};
use common::fuzz::{Bytes, hostile_bytes, noise, run_cases, scaled};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

#[derive(Debug, Clone)]
enum CfgMut {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    SetValue(Index, String),
    InsertGarbage(Index, Bytes),
    Truncate(Index),
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_value() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        3 => noise(30).prop_map(|s| toml_string(&s)),
        2 => any::<i64>().prop_map(|n| n.to_string()),
        1 => prop::sample::select(&[
            "0", "-1", "4", "5", "18446744073709551616", "38.7", "38.75", "1e400", "nan", "-inf",
            "0.0", "true", "\"\"", "\" \"", "1979-05-27T07:32:00Z", "2026-11-31", "'A[0-9'",
            "\"A[0-9]{7}\"", "\"Mars/Olympus\"", "\"ftp://x\"", "\"2026-11-23\"", "\"2026-13-01\"",
            "\"doctor\"", "\"CME\"", "'''multi\nline'''", "[]", "{}",
        ][..])
        .prop_map(str::to_string),
        1 => any::<f64>().prop_map(|f| if f.is_finite() { format!("{f:e}") } else { "nan".into() }),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..3).prop_map(|v| {
                let parts: Vec<String> = v.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", parts.join(", "))
            }),
        ]
    })
    .boxed()
}

fn cfg_mut() -> BoxedStrategy<CfgMut> {
    prop_oneof![
        3 => any::<Index>().prop_map(CfgMut::DeleteLine),
        2 => any::<Index>().prop_map(CfgMut::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| CfgMut::SwapLines(a, b)),
        5 => (any::<Index>(), toml_value()).prop_map(|(i, v)| CfgMut::SetValue(i, v)),
        2 => (any::<Index>(), hostile_bytes()).prop_map(|(i, b)| CfgMut::InsertGarbage(i, Bytes(b))),
        1 => any::<Index>().prop_map(CfgMut::Truncate),
    ]
    .boxed()
}

const ENV_KEYS: &[&str] = &[
    "CEKIOSK_KIOSK_ID",
    "CEKIOSK_KIOSK_IDLE_SECONDS",
    "CEKIOSK_KIOSK_WARNING_SECONDS",
    "CEKIOSK_KIOSK_STAFF_PIN_HASH",
    "CEKIOSK_KIOSK_STAFF_BADGES",
    "CEKIOSK_KIOSK_BADGE_PATTERN",
    "CEKIOSK_CERTIFICATE_URL_BASE",
    "CEKIOSK_SYNC_HUB_URL",
    "CEKIOSK_SYNC_TOKEN",
    "CEKIOSK_SYNC_INTERVAL_SECONDS",
    "CEKIOSK_SYNC_TIMEOUT_SECONDS",
    "CEKIOSK_HUB_TOKENS",
    "CEKIOSK_HUB_ADMIN_TOKEN",
    // Misspelt or unknown.
    "CEKIOSK_KIOSK_IDD",
    "CEKIOSK_KIOSK_",
    "CEKIOSK_KIOSK_id",
    "CEKIOSK_SYNC_URL",
    "CEKIOSK_HUB_TOKEN",
    "CEKIOSK_CERTIFICATE_URL",
    "HOME",
];

fn env_value() -> BoxedStrategy<String> {
    prop_oneof![
        2 => noise(20),
        1 => "[ -~]{0,20}",
        2 => any::<i64>().prop_map(|n| n.to_string()),
        2 => prop::sample::select(&[
            "", " ", "garbage", "soon", "4", "5", " 42 ", "-1", "0", "1.5", "1e3",
            "18446744073709551615", "18446744073709551616", "99999999999999999999", "K07",
            "K\u{7}", "https://x.example.org/c/", "ftp://x", "A[0-9", "(", "a,b,,c", ",", "\0",
        ][..])
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn apply_cfg_mut(text: &str, muts: &[CfgMut]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text.lines().map(|l| l.as_bytes().to_vec()).collect();
    let mut truncate_at: Option<Index> = None;
    for m in muts {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match m {
            CfgMut::DeleteLine(i) => {
                lines.remove(i.index(n));
            }
            CfgMut::DuplicateLine(i) => {
                let i = i.index(n);
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            CfgMut::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
            CfgMut::SetValue(i, v) => {
                // The n-th `key = value` line (there are always some).
                let assignments: Vec<usize> = (0..n)
                    .filter(|&j| lines[j].windows(3).any(|w| w == b" = "))
                    .collect();
                let j = if assignments.is_empty() {
                    i.index(n)
                } else {
                    assignments[i.index(assignments.len())]
                };
                let line = &lines[j];
                let key_end = line
                    .windows(3)
                    .position(|w| w == b" = ")
                    .map(|p| p + 3)
                    .unwrap_or(0);
                let mut new = line[..key_end].to_vec();
                new.extend_from_slice(v.as_bytes());
                lines[j] = new;
            }
            CfgMut::InsertGarbage(i, b) => {
                let i = i.index(n);
                let at = b.0.len() % (lines[i].len() + 1);
                lines[i].splice(at..at, b.0.iter().copied());
            }
            CfgMut::Truncate(i) => truncate_at = Some(*i),
        }
    }
    let mut out = lines.join(&b'\n');
    out.push(b'\n');
    if let Some(i) = truncate_at {
        out.truncate(i.index(out.len() + 1));
    }
    out
}

fn check_config(dir: &Path, env: &[(String, String)]) -> Result<Result<(), String>, TestCaseError> {
    let lookup = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let keys = env.iter().map(|(k, _)| k.clone());
    match Config::load_with_env(dir, lookup, keys) {
        Err(e) => {
            let shown = e.to_string();
            match &e {
                ConfigError::Env { var, message } => {
                    prop_assert!(
                        env.iter().any(|(k, _)| k == var),
                        "blamed {var}, which was not set: {shown}"
                    );
                    prop_assert!(shown.contains(var.as_str()), "{shown}");
                    prop_assert!(!message.trim().is_empty(), "{shown}");
                }
                _ => {
                    prop_assert!(
                        shown.contains(EVENT_FILE),
                        "the error does not name {EVENT_FILE}: {shown}"
                    );
                    let after = shown.split_once(EVENT_FILE).map(|(_, r)| r).unwrap_or("");
                    prop_assert!(after.trim_start_matches(':').trim().len() > 2, "{shown}");
                }
            }
            Ok(Err(shown))
        }
        Ok(c) => {
            prop_assert!(c.kiosk.idle_seconds >= 5);
            prop_assert!(c.kiosk.warning_seconds >= 20);
            prop_assert!(!c.kiosk.id.trim().is_empty());
            prop_assert!(!c.kiosk.id.chars().any(char::is_control));
            prop_assert!(c.event.start_date <= c.event.end_date);
            prop_assert!(c.event.max_credits > 0);
            prop_assert!(!c.credits.is_empty());
            prop_assert!(
                c.certificate.url_base.starts_with("http://")
                    || c.certificate.url_base.starts_with("https://")
            );
            // An override that was accepted is the value in force.
            for (k, v) in env {
                if lookup(k).as_deref() != Some(v.as_str()) {
                    continue;
                }
                match k.as_str() {
                    "CEKIOSK_KIOSK_ID" => prop_assert_eq!(&c.kiosk.id, v),
                    "CEKIOSK_KIOSK_IDLE_SECONDS" => {
                        prop_assert_eq!(Some(c.kiosk.idle_seconds), v.trim().parse().ok())
                    }
                    "CEKIOSK_SYNC_TIMEOUT_SECONDS" => {
                        prop_assert_eq!(Some(c.sync.timeout_seconds), v.trim().parse().ok())
                    }
                    "CEKIOSK_CERTIFICATE_URL_BASE" => prop_assert_eq!(&c.certificate.url_base, v),
                    _ => {}
                }
            }
            Ok(Ok(()))
        }
    }
}

#[test]
fn config_loader_names_the_file_or_the_variable() {
    let started = Instant::now();
    let text = std::fs::read_to_string(common::config_dir().join(EVENT_FILE)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let n = scaled(1_000);
    let (count, refused) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let strategy = (
        prop::collection::vec(cfg_mut(), 0..5),
        prop::collection::vec((prop::sample::select(ENV_KEYS), env_value()), 0..4),
    );
    run_cases("config loader", n, strategy, |(muts, env)| {
        count.fetch_add(1, Ordering::Relaxed);
        std::fs::write(dir.path().join(EVENT_FILE), apply_cfg_mut(&text, &muts)).unwrap();
        let env: Vec<(String, String)> = env.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        if check_config(dir.path(), &env)?.is_err() {
            refused.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    // And with no mutation at all, the demo loads.
    std::fs::write(dir.path().join(EVENT_FILE), &text).unwrap();
    assert!(check_config(dir.path(), &[]).unwrap().is_ok());
    println!(
        "fuzz: config {} cases ({} refused, each naming {EVENT_FILE} or the variable): 0 panics ({:.1}s)",
        count.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}
