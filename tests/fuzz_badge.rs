//! Hostile input, in bulk, for the badge parser: property ("fuzz") tests
//! that feed `candidates` what a confused scanner or a hostile badge might
//! send (vCards, MECARDs, URLs, caret-separated fields, control
//! characters, scans around and far over the length limit), under the
//! badge patterns a deployment might configure. No panic, and every
//! candidate is a clean, short, distinct id.
//!
//! The runner and the case counts (`CEKIOSK_FUZZ_CASES`,
//! `PROPTEST_RNG_SEED`) are described in tests/common/fuzz.rs. The test
//! prints one `fuzz: …` summary line (see it with --nocapture).
//!
//! The `fixed_*` test at the end is the exact reproducer of a bug these
//! tests found (an empty badge candidate), kept as a regression.

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use cekiosk::domain::badge::{MAX_SCAN_CHARS, candidates};
use common::fuzz::{noise, run_cases, scaled};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use regex::Regex;

fn scan_value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "A[0-9]{7}",
        2 => "[A-Z]{1,3}-?[0-9]{3,9}",
        3 => noise(24),
        1 => "[ -~]{0,40}",
        1 => (100usize..300).prop_map(|n| "A".repeat(n)),
    ]
    .boxed()
}

fn vcard() -> BoxedStrategy<String> {
    const BEGIN: &[&str] = &[
        "BEGIN:VCARD",
        "begin:vcard",
        "BEGIN:VCARD ",
        "x BEGIN:VCARD",
        "",
    ];
    const KEYS: &[&str] = &[
        "UID",
        "uid",
        "UID;TYPE=badge",
        "FN",
        "N",
        "NOTE",
        "EMAIL",
        "ORG",
        "X-BADGE",
        "END",
        "VERSION",
        "BEGIN",
        "",
        ";",
        "UID:UID",
    ];
    const NL: &[&str] = &["\n", "\r\n", "\r", "\u{85}", "\u{2028}", "\n\n"];
    (
        prop::sample::select(BEGIN),
        prop::collection::vec(
            (prop::sample::select(KEYS), scan_value(), any::<bool>()),
            0..12,
        ),
        prop::sample::select(NL),
        any::<bool>(),
    )
        .prop_map(|(begin, fields, nl, end)| {
            let mut s = String::from(begin);
            for (k, v, colon) in fields {
                s.push_str(nl);
                s.push_str(k);
                if colon {
                    s.push(':');
                }
                s.push_str(&v);
            }
            if end {
                s.push_str(nl);
                s.push_str("END:VCARD");
            }
            s
        })
        .boxed()
}

fn mecard() -> BoxedStrategy<String> {
    const PREFIX: &[&str] = &["MECARD:", "mecard:", "MECARD:MECARD:", "MECARD", " MECARD:"];
    const KEYS: &[&str] = &["N", "NOTE", "EMAIL", "TEL", "", "X", "N:N"];
    const SEP: &[&str] = &[";", ";;", "", ":"];
    (
        prop::sample::select(PREFIX),
        prop::collection::vec(
            (
                prop::sample::select(KEYS),
                scan_value(),
                prop::sample::select(SEP),
            ),
            0..10,
        ),
    )
        .prop_map(|(prefix, fields)| {
            let mut s = String::from(prefix);
            for (k, v, sep) in fields {
                s.push_str(k);
                s.push(':');
                s.push_str(&v);
                s.push_str(sep);
            }
            s
        })
        .boxed()
}

fn url() -> BoxedStrategy<String> {
    const SCHEME: &[&str] = &[
        "http://", "https://", "HTTPS://", "hTtP://", "https:/", "ftp://",
    ];
    (
        prop::sample::select(SCHEME),
        "[a-z0-9.:@-]{0,24}",
        prop::collection::vec(scan_value(), 0..6),
        any::<bool>(),
        prop::collection::vec((scan_value(), scan_value(), any::<bool>()), 0..5),
        prop::option::of(scan_value()),
    )
        .prop_map(|(scheme, host, path, slash, query, fragment)| {
            let mut s = format!("{scheme}{host}");
            for p in path {
                s.push('/');
                s.push_str(&p);
            }
            if slash {
                s.push('/');
            }
            for (i, (k, v, eq)) in query.into_iter().enumerate() {
                s.push(if i == 0 { '?' } else { '&' });
                s.push_str(&k);
                if eq {
                    s.push('=');
                }
                s.push_str(&v);
            }
            if let Some(f) = fragment {
                s.push('#');
                s.push_str(&f);
            }
            s
        })
        .boxed()
}

fn carets() -> BoxedStrategy<String> {
    prop::collection::vec(scan_value(), 0..10)
        .prop_map(|v| v.join("^"))
        .boxed()
}

/// Long scans, many of them right around the limit.
fn huge() -> BoxedStrategy<String> {
    const FILL: &[char] = &['A', '0', 'é', '花', '😀', '\u{7}', ' ', '^', '\n'];
    (
        noise(8),
        prop::sample::select(FILL),
        prop_oneof![
            MAX_SCAN_CHARS - 20..MAX_SCAN_CHARS + 20,
            0usize..20_000,
            Just(20_000usize)
        ],
        noise(8),
    )
        .prop_map(|(a, fill, n, b)| {
            let mut s = a;
            s.extend(std::iter::repeat_n(fill, n));
            s.push_str(&b);
            s
        })
        .boxed()
}

fn scan() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "(?s).{0,300}",
        3 => noise(300),
        2 => vcard(),
        2 => mecard(),
        2 => url(),
        2 => carets(),
        1 => huge(),
        1 => (noise(20), vcard(), noise(20)).prop_map(|(a, b, c)| format!("{a}{b}{c}")),
    ]
    .boxed()
}

/// Patterns a deployment might configure: none, the demo's, one with a
/// capture group, a case-insensitive prefix.
const BADGE_PATTERNS: &[&str] = &[
    "",
    "A[0-9]{7}",
    r"ID=(\d{6})",
    r"(?i)badge[:=]\s*([A-Z0-9-]+)",
    r"[0-9]{4,}",
];

fn check_candidates(scan: &str, pattern: Option<&Regex>) -> Result<(), TestCaseError> {
    let out = candidates(scan, pattern);
    let mut seen = HashSet::new();
    for c in &out {
        prop_assert!(!c.is_empty(), "an empty candidate: {out:?}");
        prop_assert!(c.chars().count() <= 128, "a candidate over 128 chars");
        prop_assert!(
            !c.chars().any(char::is_control),
            "a candidate with a control character: {c:?}"
        );
        prop_assert!(seen.insert(c), "candidate {c:?} is listed twice");
    }
    let n = scan.chars().count();
    if n > MAX_SCAN_CHARS {
        prop_assert!(out.is_empty(), "an over-long scan ({n} chars) gave {out:?}");
    } else {
        // The whole scan, trimmed, is always among the candidates when it is
        // a candidate at all (typed ids outside the pattern must resolve).
        let t = scan.trim_matches(|c: char| c.is_whitespace() || c.is_control());
        if !t.is_empty() && t.chars().count() <= 128 && !t.chars().any(char::is_control) {
            prop_assert!(
                out.iter().any(|c| c == t),
                "the trimmed scan {t:?} is not a candidate: {out:?}"
            );
        }
    }
    Ok(())
}

#[test]
fn badge_parser_survives_hostile_scans() {
    let started = Instant::now();
    let patterns: Vec<Option<Regex>> = BADGE_PATTERNS
        .iter()
        .map(|p| (!p.is_empty()).then(|| Regex::new(p).unwrap()))
        .collect();
    let n = scaled(5_000);
    let count = AtomicUsize::new(0);
    run_cases("badge parser", n, (scan(), 0..patterns.len()), |(s, p)| {
        count.fetch_add(1, Ordering::Relaxed);
        check_candidates(&s, patterns[p].as_ref())
    });
    println!(
        "fuzz: badge parser {} cases ({} patterns): 0 panics, 0 broken candidates ({:.1}s)",
        count.load(Ordering::Relaxed),
        patterns.len(),
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------
// Bugs these tests found, fixed: exact reproducers, kept as regressions.

#[test]
fn fixed_empty_matching_badge_pattern_gives_no_empty_candidate() {
    let re = Regex::new("A?[0-9]*").unwrap();
    let c = candidates("hello", Some(&re));
    assert!(!c.iter().any(String::is_empty), "{c:?}");
}
