//! Hostile input, in bulk: property ("fuzz") tests that feed the badge
//! parser, the CSV importers, the config loader and the hub's HTTP API what
//! a confused scanner, a mangled spreadsheet, a careless edit or a hostile
//! client might send. The properties are the same throughout: no panic, a
//! clear error that says where the problem is, and nothing written when the
//! input is refused.
//!
//! The default sizes keep `cargo test --release --test fuzz` to well under
//! a minute and a half. For a long run, multiply every case count:
//!
//! ```sh
//! CEKIOSK_FUZZ_CASES=50 cargo test --release --test fuzz -- --nocapture
//! ```
//!
//! Runs are random; `PROPTEST_RNG_SEED=N` repeats one, and a failure prints
//! the shrunk input. Nothing is persisted (no proptest-regressions files).
//! Each part prints one `fuzz: …` summary line (see them with --nocapture).
//!
//! The `fixed_*` tests at the end are exact reproducers of bugs these tests
//! found (CRLF line numbers, raw control characters in messages, NUL in a
//! record, two walk-ins for one badge in a page, a repeated sequence number
//! in a page, an empty badge candidate), kept as regressions.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cekiosk::config::{Config, ConfigError, EVENT_FILE, parse_local};
use cekiosk::domain::CreditCode;
use cekiosk::domain::badge::{MAX_SCAN_CHARS, candidates};
use cekiosk::import::{ImportError, read_attendees, read_sessions};
use cekiosk::sync::protocol::{MAX_BODY, UploadResult};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{TestCaseError, TestRunner};
use regex::Regex;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Shared helpers.

/// The `CEKIOSK_FUZZ_CASES` multiplier (default 1).
fn multiplier() -> u32 {
    std::env::var("CEKIOSK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

fn scaled(default: u32) -> u32 {
    default.saturating_mul(multiplier())
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(ProptestConfig {
        cases,
        // Never write proptest-regressions files into the tree.
        failure_persistence: None,
        max_shrink_iters: 1024,
        ..ProptestConfig::default()
    })
}

/// Runs `test` on `cases` values of `strategy`; a failure (or a panic, which
/// proptest catches) fails the test with the shrunk input.
fn run_cases<S: Strategy>(
    what: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: fmt::Debug,
{
    if let Err(e) = runner(cases).run(&strategy, test) {
        panic!("fuzz: {what}: {e}");
    }
}

/// Bytes that print as a byte string, not a list of numbers.
#[derive(Clone, PartialEq, Eq)]
struct Bytes(Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.0;
        if b.len() <= 4096 {
            write!(f, "b\"{}\"", b.escape_ascii())
        } else {
            write!(
                f,
                "b\"{}\" … b\"{}\" ({} bytes)",
                b[..2048].escape_ascii(),
                b[b.len() - 512..].escape_ascii(),
                b.len()
            )
        }
    }
}

/// Field text a spreadsheet, a scanner or an attacker might produce.
const SPECIAL_TEXT: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b"\"x\"y",
    b"\0",
    b"a\0b",
    b"\r",
    b"\n",
    b"\r\n",
    b",",
    b";",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xE2\x82",
    b"\xC3",
    b"\xC0\xAF",
    b"\xED\xA0\x80",
    b" ",
    b"\t",
    b"\x1b[31mred",
    b"\xC2\x85",
    b"\xE2\x80\xA8",
    b"A0012345",
    b"A0012345 ",
    b"A 0012345",
    b"physician",
    b"Physician",
    b"nurse",
    b"doctor",
    b"a@example.org",
    b"@example.org",
    b"a@b",
    b"2026-11-23T08:00",
    b"2026-11-23T25:00",
    b"2026-02-30T08:00",
    b"2026-11-23T08:00:00",
    b"2026-11-23 08:00",
    b"9999-12-31T23:59",
    b"-009999-01-01T00:00",
    b"2026-11-22T23:45",
    b"-1",
    b"0",
    b"0.25",
    b"0.3",
    b"1.250",
    b".75",
    b"999999.75",
    b"9999999",
    b"1e3",
    b"NaN",
    b"AMA;ACPE",
    b"AAPA",
    b"COP",
    b";;",
    b"MOC;MOC",
    b"JA0000534-0000-26-001-L01-X",
];

fn hostile_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        3 => "(?s).{0,24}".prop_map(String::into_bytes),
        2 => prop::collection::vec(any::<u8>(), 0..24),
        4 => prop::sample::select(SPECIAL_TEXT).prop_map(<[u8]>::to_vec),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------
// 1. The badge parser.

const SCAN_CHARS: &[char] = &[
    '\0', '\u{1}', '\u{7}', '\u{8}', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1b}', '\u{7f}',
    '\u{85}', '\u{9f}', '\u{a0}', '\u{2028}', '\u{2029}', '\u{200b}', '\u{202e}', '\u{feff}',
    '\u{fffd}', '^', ':', ';', '/', '?', '#', '&', '=', ' ', 'A', 'a', '0', '7', 'é', '花', '😀',
];

fn scan_char() -> BoxedStrategy<char> {
    prop_oneof![3 => prop::sample::select(SCAN_CHARS), 1 => any::<char>()].boxed()
}

fn noise(max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(scan_char(), 0..max)
        .prop_map(String::from_iter)
        .boxed()
}

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
// 2. The CSV importers.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Attendees,
    Sessions,
}

impl Table {
    fn file_name(self) -> &'static str {
        match self {
            Table::Attendees => "attendees.csv",
            Table::Sessions => "sessions.csv",
        }
    }
    fn header(self) -> &'static str {
        match self {
            Table::Attendees => "badge_id,first_name,last_name,degree,profession,email\n",
            Table::Sessions => {
                "session_id,title,starts_at,ends_at,credits,credit_types,track,room,acpe_uan\n"
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Field {
    text: Bytes,
    quote: bool,
}

impl Field {
    fn new(s: &str) -> Field {
        Field {
            text: Bytes(s.as_bytes().to_vec()),
            quote: s.contains([',', '"', '\n', '\r']),
        }
    }
}

#[derive(Debug, Clone)]
enum CsvMut {
    Set {
        row: Index,
        col: Index,
        text: Bytes,
        quote: bool,
    },
    Drop {
        row: Index,
        col: Index,
    },
    Extra {
        row: Index,
        text: Bytes,
    },
    DupRow {
        row: Index,
    },
    DropRow {
        row: Index,
    },
    BlankRow {
        row: Index,
        text: &'static str,
    },
    Ending {
        row: Index,
        ending: &'static str,
    },
    Huge {
        row: Index,
        col: Index,
        len: usize,
        fill: u8,
        quote: bool,
    },
    HeaderCase {
        col: Index,
    },
}

#[derive(Debug, Clone)]
enum ByteMut {
    Insert { at: Index, bytes: Bytes },
    Replace { at: Index, byte: u8 },
    Truncate { at: Index },
    Bom,
}

const ENDINGS: &[&str] = &["\n", "\r\n", "\r", "\n\r", "", "\r\r\n"];

fn csv_mut() -> BoxedStrategy<CsvMut> {
    prop_oneof![
        6 => (any::<Index>(), any::<Index>(), hostile_bytes(), any::<bool>())
            .prop_map(|(row, col, text, quote)| CsvMut::Set { row, col, text: Bytes(text), quote }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(row, col)| CsvMut::Drop { row, col }),
        2 => (any::<Index>(), hostile_bytes()).prop_map(|(row, t)| CsvMut::Extra { row, text: Bytes(t) }),
        1 => any::<Index>().prop_map(|row| CsvMut::DupRow { row }),
        1 => any::<Index>().prop_map(|row| CsvMut::DropRow { row }),
        1 => (any::<Index>(), prop::sample::select(&["", " ", "\t", ",,,,", " , ", "\"\""][..]))
            .prop_map(|(row, text)| CsvMut::BlankRow { row, text }),
        2 => (any::<Index>(), prop::sample::select(ENDINGS))
            .prop_map(|(row, ending)| CsvMut::Ending { row, ending }),
        1 => (any::<Index>(), any::<Index>(), prop_oneof![70usize..200, 1_000usize..300_000],
              prop::sample::select(&[b'x', b' ', b'"', b',', 0xC3, 0xFF, b'\n', 0][..]), any::<bool>())
            .prop_map(|(row, col, len, fill, quote)| CsvMut::Huge { row, col, len, fill, quote }),
        1 => any::<Index>().prop_map(|col| CsvMut::HeaderCase { col }),
    ]
    .boxed()
}

fn byte_mut() -> BoxedStrategy<ByteMut> {
    prop_oneof![
        3 => (any::<Index>(), hostile_bytes()).prop_map(|(at, b)| ByteMut::Insert { at, bytes: Bytes(b) }),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| ByteMut::Replace { at, byte }),
        1 => any::<Index>().prop_map(|at| ByteMut::Truncate { at }),
        1 => Just(ByteMut::Bom),
    ]
    .boxed()
}

const FIRST: &[&str] = &[
    "Amelia",
    "Siobhán",
    "花子",
    "José",
    "Zoë",
    "Łukasz",
    "Anne-Marie",
    "\"Bud\"",
    "",
];
const LAST: &[&str] = &[
    "Okafor",
    "田中",
    "Smith, Jr.",
    "van der Berg",
    "Nguyễn",
    "O'Brien",
];
const DEGREES: &[&str] = &["MD", "RN", "PharmD", "", "MD, PhD", "PA-C"];
const PROFESSIONS: &[&str] = &[
    "physician",
    "physician_assistant",
    "nurse",
    "pharmacist",
    "other",
];
const TITLES: &[&str] = &[
    "Biliary Tract Cancers: FGFR2, IDH1, and Immunotherapy",
    "Dose Adjustments in Renal and Hepatic Impairment",
    "The \"Right\" Dose",
    "Línea 1 / 線 2",
];

/// A valid attendees table: header first, then the rows.
fn attendee_table() -> BoxedStrategy<Vec<Vec<Field>>> {
    let columns: Vec<&'static str> = vec![
        "badge_id",
        "first_name",
        "last_name",
        "degree",
        "profession",
        "email",
        "organization",
        "country",
    ];
    (
        Just(columns).prop_shuffle(),
        0u32..1_000_000,
        prop::collection::vec(
            (
                0..FIRST.len(),
                0..LAST.len(),
                0..DEGREES.len(),
                0..PROFESSIONS.len(),
                any::<bool>(),
            ),
            0..14,
        ),
    )
        .prop_map(|(columns, base, rows)| {
            let mut table = vec![columns.iter().map(|c| Field::new(c)).collect::<Vec<_>>()];
            for (i, (f, l, d, p, email)) in rows.into_iter().enumerate() {
                let badge = format!("A{:07}", base + i as u32 * 7);
                let email = if email {
                    format!("{}@example.org", badge.to_lowercase())
                } else {
                    String::new()
                };
                let row = columns
                    .iter()
                    .map(|c| {
                        Field::new(match *c {
                            "badge_id" => &badge,
                            "first_name" => FIRST[f],
                            "last_name" => LAST[l],
                            "degree" => DEGREES[d],
                            "profession" => PROFESSIONS[p],
                            "email" => &email,
                            "organization" => "Siteman Cancer Center, Washington University",
                            _ => "United States",
                        })
                    })
                    .collect();
                table.push(row);
            }
            table
        })
        .boxed()
}

/// A valid session catalog for the demo event (2026-11-23 to 27, Chicago).
fn session_table() -> BoxedStrategy<Vec<Vec<Field>>> {
    let columns: Vec<&'static str> = vec![
        "session_id",
        "title",
        "starts_at",
        "ends_at",
        "credits",
        "credit_types",
        "track",
        "room",
        "acpe_uan",
    ];
    (
        Just(columns).prop_shuffle(),
        prop::collection::vec(
            (
                0u32..5,
                28u32..68,
                1u32..=16,
                any::<Index>(),
                1u8..16,
                0..TITLES.len(),
                any::<bool>(),
            ),
            0..14,
        ),
    )
        .prop_map(|(columns, rows)| {
            let mut table = vec![columns.iter().map(|c| Field::new(c)).collect::<Vec<_>>()];
            for (i, (day, start_q, dur_q, credit_idx, mask, title, uan)) in
                rows.into_iter().enumerate()
            {
                let at = |q: u32| format!("2026-11-{}T{:02}:{:02}", 23 + day, q / 4, (q % 4) * 15);
                let credits = credit_idx.index(dur_q as usize + 1) as u32;
                let codes: Vec<&str> = ["AMA", "ANCC", "ACPE", "MOC"]
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| mask & (1 << b) != 0)
                    .map(|(_, c)| *c)
                    .collect();
                let uan = if uan {
                    format!("JA0000534-0000-26-{i:03}-L01-P;JA0000534-0000-26-{i:03}-L01-T")
                } else {
                    String::new()
                };
                let row = columns
                    .iter()
                    .map(|c| {
                        Field::new(&match *c {
                            "session_id" => format!("S{i:03}"),
                            "title" => TITLES[title].to_string(),
                            "starts_at" => at(start_q),
                            "ends_at" => at(start_q + dur_q),
                            "credits" => cekiosk::domain::format_quarters(credits),
                            "credit_types" => codes.join(";"),
                            "track" => "Lung".to_string(),
                            "room" => "S100".to_string(),
                            _ => uan.clone(),
                        })
                    })
                    .collect();
                table.push(row);
            }
            table
        })
        .boxed()
}

fn render(table: &[Vec<Field>], endings: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for (row, ending) in table.iter().zip(endings) {
        for (i, f) in row.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if f.quote {
                out.push(b'"');
                for &b in &f.text.0 {
                    if b == b'"' {
                        out.push(b'"');
                    }
                    out.push(b);
                }
                out.push(b'"');
            } else {
                out.extend_from_slice(&f.text.0);
            }
        }
        out.extend_from_slice(ending.as_bytes());
    }
    out
}

fn mutate_table(
    mut table: Vec<Vec<Field>>,
    ending: &'static str,
    muts: &[CsvMut],
    bytes: &[ByteMut],
) -> Vec<u8> {
    let mut endings: Vec<&str> = vec![ending; table.len()];
    for m in muts {
        let rows = table.len();
        if rows == 0 {
            break;
        }
        match m {
            CsvMut::Set {
                row,
                col,
                text,
                quote,
            } => {
                let r = &mut table[row.index(rows)];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    r[c] = Field {
                        text: text.clone(),
                        quote: *quote,
                    };
                }
            }
            CsvMut::Drop { row, col } => {
                let r = &mut table[row.index(rows)];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    r.remove(c);
                }
            }
            CsvMut::Extra { row, text } => table[row.index(rows)].push(Field {
                text: text.clone(),
                quote: false,
            }),
            CsvMut::DupRow { row } => {
                let i = row.index(rows);
                let copy = table[i].clone();
                table.insert(i + 1, copy);
                endings.insert(i + 1, endings[i]);
            }
            CsvMut::DropRow { row } => {
                let i = row.index(rows);
                table.remove(i);
                endings.remove(i);
            }
            CsvMut::BlankRow { row, text } => {
                let i = row.index(rows + 1);
                table.insert(i, vec![Field::new(text)]);
                endings.insert(i, ending);
            }
            CsvMut::Ending { row, ending } => endings[row.index(rows)] = ending,
            CsvMut::Huge {
                row,
                col,
                len,
                fill,
                quote,
            } => {
                let r = &mut table[row.index(rows)];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    r[c] = Field {
                        text: Bytes(vec![*fill; *len]),
                        quote: *quote,
                    };
                }
            }
            CsvMut::HeaderCase { col } => {
                let r = &mut table[0];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    let upper = String::from_utf8_lossy(&r[c].text.0).to_uppercase();
                    r[c] = Field::new(&format!(" {upper} "));
                }
            }
        }
    }
    let mut out = render(&table, &endings);
    for m in bytes {
        match m {
            ByteMut::Insert { at, bytes } => {
                let i = at.index(out.len() + 1);
                out.splice(i..i, bytes.0.iter().copied());
            }
            ByteMut::Replace { at, byte } => {
                if !out.is_empty() {
                    let i = at.index(out.len());
                    out[i] = *byte;
                }
            }
            ByteMut::Truncate { at } => {
                let i = at.index(out.len() + 1);
                out.truncate(i);
            }
            ByteMut::Bom => {
                out.splice(0..0, *b"\xEF\xBB\xBF");
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
struct CsvCase {
    table: Table,
    bytes: Bytes,
    /// For an unmutated valid file: how many rows it holds.
    pristine: Option<usize>,
}

fn structured(table: Table) -> BoxedStrategy<CsvCase> {
    let base = match table {
        Table::Attendees => attendee_table(),
        Table::Sessions => session_table(),
    };
    (
        base,
        prop::sample::select(&["\n", "\r\n"][..]),
        prop_oneof![
            1 => Just(Vec::new()),
            6 => prop::collection::vec(csv_mut(), 1..6),
        ],
        prop_oneof![
            3 => Just(Vec::new()),
            1 => prop::collection::vec(byte_mut(), 1..3),
        ],
    )
        .prop_map(move |(t, ending, muts, bytes)| {
            let pristine = (muts.is_empty() && bytes.is_empty()).then(|| t.len() - 1);
            CsvCase {
                table,
                bytes: Bytes(mutate_table(t, ending, &muts, &bytes)),
                pristine,
            }
        })
        .boxed()
}

fn raw_csv() -> BoxedStrategy<CsvCase> {
    const JUNK: &[u8] = b",,\"\"\n\r\r\n a0;\0\xff\xef\xbb\xbf\xc3@.-:T";
    let table = prop_oneof![Just(Table::Attendees), Just(Table::Sessions)];
    prop_oneof![
        2 => (table.clone(), prop::collection::vec(any::<u8>(), 0..1500))
            .prop_map(|(table, b)| (table, b)),
        2 => (table.clone(), prop::collection::vec(any::<u8>(), 0..1500))
            .prop_map(|(table, b)| {
                let mut v = table.header().as_bytes().to_vec();
                v.extend(b);
                (table, v)
            }),
        2 => (table, prop::collection::vec(prop::sample::select(JUNK), 0..1500))
            .prop_map(|(table, b)| {
                let mut v = table.header().as_bytes().to_vec();
                v.extend(b);
                (table, v)
            }),
    ]
    .prop_map(|(table, bytes)| CsvCase {
        table,
        bytes: Bytes(bytes),
        pristine: None,
    })
    .boxed()
}

fn csv_case() -> BoxedStrategy<CsvCase> {
    prop_oneof![
        1 => raw_csv(),
        2 => structured(Table::Attendees),
        2 => structured(Table::Sessions),
    ]
    .boxed()
}

fn demo_config() -> Config {
    Config::load_with_env(&common::config_dir(), |_| None, std::iter::empty()).unwrap()
}

/// Checks a refusal: every problem is `FILE:LINE: message`, with a line in
/// the file. Returns whether the error's text has lines that do not start
/// with the file (a value with a line break quoted into a message).
fn check_refusal(e: &ImportError, file: &str, bytes: &[u8]) -> Result<bool, TestCaseError> {
    let ImportError::Invalid { problems, more } = e else {
        return Err(TestCaseError::fail(format!(
            "a readable file was refused as unreadable: {e}"
        )));
    };
    prop_assert!(!problems.is_empty(), "refused without a problem");
    prop_assert!(problems.len() <= 20, "more than 20 problems listed");
    prop_assert!(*more == 0 || problems.len() == 20);
    // Lines end in LF, CRLF or a lone CR, as the CSV reader splits them.
    let lines = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count() as u64
        + 1;
    let prefix = format!("{file}:");
    for p in problems {
        let Some(rest) = p.strip_prefix(&prefix) else {
            return Err(TestCaseError::fail(format!(
                "problem does not start with {prefix}: {p:?}"
            )));
        };
        let Some((line, message)) = rest.split_once(": ") else {
            return Err(TestCaseError::fail(format!(
                "no ': ' after the line: {p:?}"
            )));
        };
        let line: u64 = line
            .parse()
            .map_err(|_| TestCaseError::fail(format!("not a line number: {p:?}")))?;
        prop_assert!(
            (1..=lines).contains(&line),
            "line {line} is not in the file's {lines} lines: {p:?}"
        );
        prop_assert!(!message.trim().is_empty(), "an empty message: {p:?}");
    }
    let shown = e.to_string();
    let stray = shown
        .lines()
        .any(|l| !l.starts_with(&prefix) && !l.starts_with("… and "));
    Ok(stray)
}

fn check_attendees(rows: &[cekiosk::store::AttendeeRow]) -> Result<(), TestCaseError> {
    let mut seen = HashSet::new();
    for r in rows {
        let b = &r.badge_id;
        prop_assert!(!b.is_empty() && b.chars().count() <= 64, "badge id {b:?}");
        prop_assert!(
            !b.chars().any(|c| c.is_control() || c.is_whitespace()),
            "badge id {b:?}"
        );
        prop_assert!(seen.insert(b.clone()), "badge id {b:?} imported twice");
        prop_assert!(!(r.first_name.is_empty() && r.last_name.is_empty()));
        prop_assert!(
            r.email.is_empty() || r.email.contains('@'),
            "email {:?}",
            r.email
        );
    }
    Ok(())
}

fn check_sessions(
    rows: &[cekiosk::store::SessionRow],
    config: &Config,
) -> Result<(), TestCaseError> {
    let mut seen = HashSet::new();
    for r in rows {
        let id = &r.session_id;
        prop_assert!(
            !id.is_empty() && id.chars().count() <= 64,
            "session id {id:?}"
        );
        prop_assert!(!id.chars().any(|c| c.is_control() || c.is_whitespace()));
        prop_assert!(seen.insert(id.clone()), "session id {id:?} imported twice");
        prop_assert!(!r.title.is_empty());
        let starts = parse_local(&r.starts_at).map_err(TestCaseError::fail)?;
        let ends = parse_local(&r.ends_at).map_err(TestCaseError::fail)?;
        prop_assert!(ends > starts, "{id}: ends {ends} not after starts {starts}");
        for t in [starts, ends] {
            prop_assert!(
                t.date() >= config.event.start_date && t.date() <= config.event.end_date,
                "{id}: {t} outside the event"
            );
        }
        let minutes =
            config.local_to_minutes(ends).unwrap() - config.local_to_minutes(starts).unwrap();
        // Credits are whole quarter hours by type; they fit the session.
        prop_assert!(
            i64::from(r.credits) * 15 <= minutes,
            "{id}: {} quarters in {minutes} minutes",
            r.credits
        );
        prop_assert!(!r.credit_types.is_empty(), "{id}: no credit type");
        prop_assert!(
            r.credit_types
                .iter()
                .all(|c| CreditCode::SESSION_CODES.contains(&c)),
            "{id}: credit types {:?}",
            r.credit_types
        );
    }
    Ok(())
}

/// A snapshot of what an import may change in the kiosk database.
fn kiosk_db_state(db: &Path) -> (i64, u64, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let count: i64 = conn
        .query_row("SELECT count(*) FROM attendees", [], |r| r.get(0))
        .unwrap();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut stmt = conn
        .prepare(
            "SELECT badge_id, first_name, last_name, degree, profession, email, source, updated_at
             FROM attendees ORDER BY badge_id",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        for i in 0..8 {
            r.get::<_, String>(i).unwrap().hash(&mut hasher);
        }
    }
    let audit: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    let outbox: i64 = conn
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .unwrap();
    (count, hasher.finish(), audit, outbox)
}

fn cli_import(db: &Path, file: &Path) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cekiosk"));
    cmd.arg("--config")
        .arg(common::config_dir())
        .arg("--db")
        .arg(db)
        .args(["import", "attendees"])
        .arg(file);
    // The machine's own overrides are not part of this test.
    for (k, _) in std::env::vars() {
        if k.starts_with("CEKIOSK_") {
            cmd.env_remove(k);
        }
    }
    cmd.output().unwrap()
}

/// The attendee files kept for the CLI check: bytes, and the badge ids the
/// library imported (None: it refused the file).
type Sample = Vec<(Vec<u8>, Option<Vec<String>>)>;

#[test]
fn csv_importers_refuse_hostile_files_whole() {
    let started = Instant::now();
    let config = demo_config();
    let dir = tempfile::tempdir().unwrap();
    let n = scaled(2_000);
    let cli_n = scaled(100) as usize;
    let (count, refused, stray) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        Mutex::new(Vec::<String>::new()),
    );
    let sample: Mutex<Sample> = Mutex::new(Vec::new());
    run_cases("CSV importers", n, csv_case(), |case| {
        count.fetch_add(1, Ordering::Relaxed);
        let path = dir.path().join(case.table.file_name());
        std::fs::write(&path, &case.bytes.0).unwrap();
        let file = path.display().to_string();
        let result = match case.table {
            Table::Attendees => read_attendees(&path).map(|rows| {
                check_attendees(&rows).map(|()| {
                    (
                        rows.len(),
                        Some(rows.into_iter().map(|r| r.badge_id).collect::<Vec<_>>()),
                    )
                })
            }),
            Table::Sessions => read_sessions(&path, &config)
                .map(|rows| check_sessions(&rows, &config).map(|()| (rows.len(), None))),
        };
        let imported = match result {
            Ok(checked) => {
                let (len, ids) = checked?;
                if let Some(expected) = case.pristine {
                    prop_assert_eq!(len, expected, "a valid file lost rows");
                }
                ids
            }
            Err(e) => {
                refused.fetch_add(1, Ordering::Relaxed);
                prop_assert!(
                    case.pristine.is_none(),
                    "a valid, unmutated file was refused: {}",
                    e
                );
                if check_refusal(&e, &file, &case.bytes.0)? {
                    // A value with a line break or an escape sequence must be
                    // quoted escaped, one problem a line.
                    prop_assert!(false, "an error message spans lines: {}", e);
                    stray.lock().unwrap().push(e.to_string());
                }
                None
            }
        };
        if case.table == Table::Attendees {
            // Keep mostly refusals, some accepted files, for the CLI check.
            let mut s = sample.lock().unwrap();
            let accepted = s.iter().filter(|(_, ok)| ok.is_some()).count();
            let wanted = match imported {
                Some(_) => accepted < cli_n / 5,
                None => s.len() - accepted < cli_n - cli_n / 5,
            };
            if wanted && s.len() < cli_n {
                s.push((case.bytes.0.clone(), imported));
            }
        }
        Ok(())
    });
    let in_process = started.elapsed();

    // The same files through the real command: a refused import leaves the
    // database exactly as it was; an accepted one holds every row.
    let db = dir.path().join("k.db");
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "badge_id,first_name,last_name,degree,profession,email\n\
         A0012345,Amelia,Okafor,MD,physician,amelia@example.org\n\
         A0099999,花子,田中,RN,nurse,\n\
         STAFF-0001,Sam,Staff,,other,\n",
    )
    .unwrap();
    let out = cli_import(&db, &roster);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sample = sample.into_inner().unwrap();
    let mut cli_refused = 0;
    for (i, (bytes, imported)) in sample.iter().enumerate() {
        let file = dir.path().join(format!("mutated-{i}.csv"));
        std::fs::write(&file, bytes).unwrap();
        let before = kiosk_db_state(&db);
        let out = cli_import(&db, &file);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let after = kiosk_db_state(&db);
        match imported {
            None => {
                cli_refused += 1;
                assert!(
                    !out.status.success(),
                    "the command accepted what the library refused: {:?}",
                    Bytes(bytes.clone())
                );
                assert_eq!(
                    before,
                    after,
                    "a refused import changed the database: {:?}\n{stderr}",
                    Bytes(bytes.clone())
                );
                let first = stderr.lines().next().unwrap_or("");
                assert!(
                    first.starts_with(&format!("cekiosk: {}:", file.display())),
                    "the error does not start with FILE:LINE: {stderr}"
                );
            }
            Some(ids) => {
                assert!(
                    out.status.success(),
                    "the command refused what the library accepted: {stderr}"
                );
                let conn = rusqlite::Connection::open(&db).unwrap();
                for id in ids {
                    let n: i64 = conn
                        .query_row(
                            "SELECT count(*) FROM attendees WHERE badge_id = ?1",
                            [id],
                            |r| r.get(0),
                        )
                        .unwrap();
                    assert_eq!(n, 1, "{id} was not imported");
                }
            }
        }
    }
    let stray = stray.into_inner().unwrap();
    println!(
        "fuzz: CSV {} cases ({} refused, each FILE:LINE: …), +{} via CLI ({} refused, database unchanged): 0 panics, {} messages spanning lines ({:.1}s + {:.1}s CLI)",
        count.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
        sample.len(),
        cli_refused,
        stray.len(),
        in_process.as_secs_f64(),
        (started.elapsed() - in_process).as_secs_f64()
    );
    if let Some(e) = stray.first() {
        let e: String = e.chars().take(300).collect();
        println!("fuzz: e.g. {}", e.escape_debug());
    }
}

/// Line numbers point at the bad row, even after quoted fields that span
/// lines, with LF or CRLF line ends.
#[test]
fn csv_errors_name_the_bad_rows_line() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.csv");
    let file = path.display().to_string();
    let endings: &'static [&'static str] = &["\n", "\r\n"];
    let strategy = (
        attendee_table().prop_filter("a data row", |t| t.len() > 1),
        any::<Index>(),
        prop::collection::vec(any::<bool>(), 16),
        prop::sample::select(endings),
    );
    let n = scaled(300);
    run_cases(
        "CSV line numbers",
        n,
        strategy,
        |(mut table, bad, multi, ending)| {
            let col = |name: &str| {
                table[0]
                    .iter()
                    .position(|f| f.text.0 == name.as_bytes())
                    .unwrap()
            };
            let (first, profession) = (col("first_name"), col("profession"));
            for (row, m) in table.iter_mut().skip(1).zip(&multi) {
                if *m {
                    row[first] = Field::new("Ann\nMarie\n");
                }
            }
            let bad = 1 + bad.index(table.len() - 1);
            table[bad][profession] = Field::new("doctor");
            let endings = vec![ending; table.len()];
            let bytes = render(&table, &endings);
            let before = render(&table[..bad], &endings[..bad]);
            let line = 1 + before.iter().filter(|b| **b == b'\n').count();
            std::fs::write(&path, &bytes).unwrap();
            let e = read_attendees(&path)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            let want = format!("{file}:{line}: profession 'doctor'");
            prop_assert!(e.contains(&want), "want {want:?}, got {e:?}");
            Ok(())
        },
    );
    println!(
        "fuzz: CSV line numbers {n} cases: every bad row named by its own line ({:.1}s)",
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------
// 3. The config loader.

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

// ---------------------------------------------------------------------------
// 4. The hub's HTTP API.

const EVENT_ID: &str = "ONC2026";

#[derive(Debug, Clone)]
enum Auth {
    Good,
    Padded,
    Missing,
    Wrong(String),
    Scheme(&'static str),
    Overlong(usize),
    Raw(Bytes),
}

impl Auth {
    fn good(&self) -> bool {
        matches!(self, Auth::Good | Auth::Padded)
    }
    fn header(&self) -> Option<Vec<u8>> {
        let token = common::TOKEN;
        Some(match self {
            Auth::Good => format!("Bearer {token}").into_bytes(),
            Auth::Padded => format!("Bearer    {token}  ").into_bytes(),
            Auth::Missing => return None,
            Auth::Wrong(s) => format!("Bearer {s}").into_bytes(),
            Auth::Scheme(p) => format!("{p}{token}").into_bytes(),
            Auth::Overlong(n) => format!("Bearer {token}{}", "x".repeat(*n)).into_bytes(),
            Auth::Raw(b) => b.0.clone(),
        })
    }
}

fn auth() -> BoxedStrategy<Auth> {
    prop_oneof![
        16 => Just(Auth::Good),
        1 => Just(Auth::Padded),
        1 => Just(Auth::Missing),
        1 => "[ -~]{0,40}".prop_map(Auth::Wrong),
        1 => prop::sample::select(&["bearer ", "Basic ", "Bearer", "Token ", "Bearer\t", "Bearer  x"][..])
            .prop_map(Auth::Scheme),
        1 => prop_oneof![1usize..64, 1_000usize..20_000, Just(200_000usize)].prop_map(Auth::Overlong),
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(|b| Auth::Raw(Bytes(b))),
    ]
    .boxed()
}

/// A path segment as sent (percent-encoded where it must be).
fn path_segment() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "[A-Za-z0-9_-]{1,24}",
        2 => prop::sample::select(&[
            "..%2F..%2Fetc%2Fpasswd", "..%2f", "%2e%2e%2f%2e%2e%2f", "..", ".", "%00", "a%00b",
            "%2F", "K01%20", "%", "%zz", "%C0%AF", "%E2%80%AE", "A%2FB", "%41%42", "K%0A01",
            "%FF%FE", "-", "_",
        ][..])
        .prop_map(str::to_string),
        1 => (65usize..6_000).prop_map(|n| "D".repeat(n)),
        1 => Just("D".repeat(64)),
        2 => prop::collection::vec(
            prop_oneof![
                "[A-Za-z0-9._~-]{1,4}",
                any::<u8>().prop_map(|b| format!("%{b:02X}")),
            ],
            1..10,
        )
        .prop_map(|v| v.concat()),
    ]
    .boxed()
}

/// Percent-decodes a path segment or query value; None if malformed.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

fn decoded_device(seg: &str) -> Option<String> {
    let d = percent_decode(seg)?;
    let valid = !d.is_empty()
        && d.len() <= 64
        && d.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_');
    valid.then(|| String::from_utf8(d).unwrap())
}

fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[ -~]{0,24}",
        2 => noise(24),
        1 => (200usize..12_000).prop_map(|n| "s".repeat(n)),
        1 => prop::sample::select(&["", " ", "\u{202e}", "'; DROP TABLE records; --", "A0012345", "S001"][..])
            .prop_map(str::to_string),
    ]
    .boxed()
}

fn hostile_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(&[u64::MAX, i64::MAX as u64 + 1, 0][..]).prop_map(Value::from),
        prop::sample::select(&[-1.0f64, 0.5, 1e308, -1e308, 1e-300][..]).prop_map(Value::from),
        hostile_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

const KINDS: &[&str] = &[
    "claim",
    "void",
    "certificate",
    "profile",
    "evaluation",
    "attendee",
    "audit",
    "CLAIM",
    "",
    "roster.attendee",
];

fn valid_payload(kind: &str, n: u64) -> Value {
    match kind {
        "claim" => json!({"claim_id": format!("fz-claim-{n}"), "visit_id": format!("fz-visit-{n}"),
            "badge_id": "A0012345", "session_id": "S001", "credits_q": 4,
            "claimed_at": "2026-11-23T18:00:00Z"}),
        "void" => json!({"claim_id": format!("fz-claim-{n}"), "badge_id": "A0012345",
            "voided_at": "2026-11-23T18:05:00Z", "reason": "fuzz"}),
        "certificate" => json!({"certificate_id": format!("fzcert{n:016}"), "short_code": "FZ1",
            "badge_id": "A0012345", "issued_at": "2026-11-23T18:06:00Z"}),
        "profile" => json!({"badge_id": "A0012345", "codes": "AMA;MOC", "epid": null,
            "birth_mmdd": "0101", "pharm_role": null, "moc_consent": true, "abim_id": "123456",
            "at": "2026-11-23T18:00:00Z"}),
        "evaluation" => {
            json!({"badge_id": "A0012345", "answers": {"relevant": "Agree", "change": "Yes"},
            "at": "2026-11-23T18:00:00Z"})
        }
        "attendee" => {
            json!({"badge_id": format!("W-FZ-{n}"), "first_name": "Walk", "last_name": "In",
            "degree": "RN", "profession": "nurse", "email": "w@example.org"})
        }
        _ => json!({"at": "2026-11-23T18:00:00Z", "action": "fuzz", "detail": "x"}),
    }
}

const PAYLOAD_KEYS: &[&str] = &[
    "claim_id",
    "visit_id",
    "badge_id",
    "session_id",
    "credits_q",
    "claimed_at",
    "voided_at",
    "reason",
    "certificate_id",
    "short_code",
    "issued_at",
    "codes",
    "moc_consent",
    "answers",
    "at",
    "profession",
    "first_name",
    "action",
    "detail",
];

#[derive(Debug, Clone)]
enum Seq {
    Int(i64),
    Big,
    Float,
    Text,
    Missing,
}

#[derive(Debug, Clone)]
struct Rec {
    seq: Seq,
    kind: String,
    /// Which payload to start from (the kind's, unless the kind is junk).
    n: u64,
    edits: Vec<(&'static str, Option<Value>)>,
    record_id: Value,
    created_at: Value,
    /// Replace the whole payload.
    payload: Option<Value>,
}

impl Rec {
    fn shape_ok(&self) -> bool {
        matches!(self.seq, Seq::Int(_)) && self.record_id.is_string() && self.created_at.is_string()
    }
    fn seq(&self) -> Option<i64> {
        match self.seq {
            Seq::Int(s) => Some(s),
            _ => None,
        }
    }
    fn payload(&self) -> Value {
        if let Some(p) = &self.payload {
            return p.clone();
        }
        let mut p = valid_payload(&self.kind, self.n);
        if let Value::Object(m) = &mut p {
            for (k, v) in &self.edits {
                match v {
                    Some(v) => m.insert(k.to_string(), v.clone()),
                    None => m.remove(*k),
                };
            }
        }
        p
    }
    fn json(&self) -> Value {
        let mut m = serde_json::Map::new();
        match &self.seq {
            Seq::Int(s) => m.insert("seq".into(), json!(s)),
            Seq::Big => m.insert("seq".into(), json!(u64::MAX)),
            Seq::Float => m.insert("seq".into(), json!(1.5)),
            Seq::Text => m.insert("seq".into(), json!("1")),
            Seq::Missing => None,
        };
        m.insert("kind".into(), json!(self.kind));
        let payload = self.payload();
        // A kiosk writes a certificate's id as its record id; a record id
        // drawn from the hostile strategies stays as drawn.
        let plain = self.record_id.as_str().is_some_and(|r| {
            r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        let record_id = match payload.get("certificate_id") {
            Some(id) if self.kind == "certificate" && plain && id.is_string() => id.clone(),
            _ => self.record_id.clone(),
        };
        m.insert("record_id".into(), record_id);
        m.insert("payload".into(), payload);
        m.insert("created_at".into(), self.created_at.clone());
        Value::Object(m)
    }
}

fn rec() -> BoxedStrategy<Rec> {
    (
        prop_oneof![
            40 => (1i64..40).prop_map(Seq::Int),
            2 => (1i64..=i64::MAX).prop_map(Seq::Int),
            1 => prop_oneof![Just(0i64), Just(-1i64), Just(i64::MIN)].prop_map(Seq::Int),
            1 => prop_oneof![Just(Seq::Big), Just(Seq::Float), Just(Seq::Text), Just(Seq::Missing)],
        ],
        prop_oneof![
            6 => prop::sample::select(KINDS).prop_map(str::to_string),
            1 => hostile_string(),
        ],
        any::<u64>(),
        prop_oneof![
            2 => Just(Vec::new()),
            3 => prop::collection::vec(
                (prop::sample::select(PAYLOAD_KEYS), prop::option::of(hostile_json())),
                1..4,
            ),
        ],
        prop_oneof![
            30 => "[a-z0-9-]{1,20}".prop_map(Value::from),
            3 => hostile_string().prop_map(Value::from),
            1 => hostile_json(),
        ],
        prop_oneof![
            30 => Just(Value::from("2026-11-23T18:00:00Z")),
            3 => hostile_string().prop_map(Value::from),
            1 => hostile_json(),
        ],
        prop_oneof![30 => Just(None), 1 => hostile_json().prop_map(Some)],
    )
        .prop_map(
            |(seq, kind, n, edits, record_id, created_at, payload)| Rec {
                seq,
                kind,
                n: n % 1_000_000,
                edits,
                record_id,
                created_at,
                payload,
            },
        )
        .boxed()
}

#[derive(Debug, Clone)]
struct Page {
    event_id: String,
    kiosk_id: String,
    records: Vec<Rec>,
}

impl Page {
    fn json(&self) -> Value {
        json!({"event_id": self.event_id, "kiosk_id": self.kiosk_id,
            "records": self.records.iter().map(Rec::json).collect::<Vec<_>>()})
    }
    /// Whether the hub should take this page (given a token and a device).
    fn acceptable(&self) -> bool {
        let kiosk = cekiosk::domain::sanitize(&self.kiosk_id);
        self.event_id == EVENT_ID
            && !kiosk.is_empty()
            && kiosk.chars().count() <= 64
            && self.records.len() <= cekiosk::sync::protocol::PAGE * 4
            && self.records.iter().all(|r| r.shape_ok())
            && self.records.iter().all(|r| r.seq().unwrap_or(0) >= 1)
            // A sequence number may appear once in a page.
            && {
                let mut seqs: Vec<i64> = self.records.iter().filter_map(|r| r.seq()).collect();
                let n = seqs.len();
                seqs.sort_unstable();
                seqs.dedup();
                seqs.len() == n
            }
    }
}

fn page() -> BoxedStrategy<Page> {
    (
        prop_oneof![16 => Just(EVENT_ID.to_string()), 1 => hostile_string()],
        prop_oneof![16 => "K[0-9]{2}", 1 => hostile_string(), 1 => noise(10)],
        prop::collection::vec(rec(), 0..6),
    )
        .prop_map(|(event_id, kiosk_id, records)| Page {
            event_id,
            kiosk_id,
            records,
        })
        .boxed()
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Bytes),
    Truncated(Page, Index),
    WrongShape(Value),
    Page(Page),
    Deep(usize, u8),
    /// A well-formed page over the size limit.
    Huge(usize),
}

impl Body {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Body::Bytes(b) => b.0.clone(),
            Body::Truncated(p, at) => {
                let mut v = serde_json::to_vec(&p.json()).unwrap();
                v.truncate(at.index(v.len()));
                v
            }
            Body::WrongShape(v) => serde_json::to_vec(v).unwrap(),
            Body::Page(p) => serde_json::to_vec(&p.json()).unwrap(),
            Body::Deep(depth, open) => {
                let mut v = vec![*open; *depth];
                v.extend(std::iter::repeat_n(
                    if *open == b'[' { b']' } else { b'}' },
                    *depth,
                ));
                v
            }
            Body::Huge(detail) => {
                let records: Vec<Value> = (1..=2000)
                    .map(|i| {
                        json!({"seq": i, "kind": "audit", "record_id": format!("r{i}"),
                            "created_at": "2026-11-23T18:00:00Z",
                            "payload": {"at": "x", "action": "big", "detail": "d".repeat(*detail)}})
                    })
                    .collect();
                serde_json::to_vec(
                    &json!({"event_id": EVENT_ID, "kiosk_id": "K01", "records": records}),
                )
                .unwrap()
            }
        }
    }
}

fn body() -> BoxedStrategy<Body> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..600).prop_map(|b| Body::Bytes(Bytes(b))),
        2 => (page(), any::<Index>()).prop_map(|(p, i)| Body::Truncated(p, i)),
        2 => hostile_json().prop_map(Body::WrongShape),
        20 => page().prop_map(Body::Page),
        1 => (prop_oneof![Just(129usize), 1_000usize..100_000], prop::sample::select(&[b'[', b'{'][..]))
            .prop_map(|(d, o)| Body::Deep(d, o)),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
enum Req {
    Upload {
        device: String,
        auth: Auth,
        body: Body,
    },
    Changes {
        query: String,
        auth: Auth,
    },
    Certificate {
        id: String,
        pdf: bool,
    },
    Device {
        device: String,
        auth: Auth,
    },
    Report {
        name: String,
        auth: Auth,
    },
}

fn query_value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<i64>().prop_map(|n| n.to_string()),
        2 => prop::sample::select(&[
            "", "junk", "-1", "0", "1.5", "9223372036854775808", "%00", "1%00", "0x10", "+5",
            "%FF", "%", "K01", "%E2%80%AE",
        ][..])
        .prop_map(str::to_string),
        2 => path_segment(),
    ]
    .boxed()
}

fn req() -> BoxedStrategy<Req> {
    prop_oneof![
        12 => (
            prop_oneof![4 => "[A-Za-z0-9_-]{1,24}", 1 => path_segment()],
            prop_oneof![6 => Just(Auth::Good), 1 => auth()],
            body(),
        )
            .prop_map(|(device, auth, body)| Req::Upload { device, auth, body }),
        3 => (
            prop::collection::vec(
                (prop::sample::select(&["since", "device", "since", "x", "device[]"][..]), query_value()),
                0..4,
            ),
            auth(),
        )
            .prop_map(|(pairs, auth)| Req::Changes {
                query: pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"),
                auth,
            }),
        3 => (path_segment(), any::<bool>()).prop_map(|(id, pdf)| Req::Certificate { id, pdf }),
        1 => (path_segment(), auth()).prop_map(|(device, auth)| Req::Device { device, auth }),
        1 => (
            prop_oneof![
                Just("credits.csv".to_string()),
                Just("pars.tsv".to_string()),
                path_segment(),
            ],
            prop_oneof![Just(Auth::Missing), Just(Auth::Good), auth()],
        )
            .prop_map(|(name, auth)| Req::Report { name, auth }),
    ]
    .boxed()
}

/// What the test expects of an answer.
enum Expect {
    /// 200, and the page's records are then held by the hub.
    Upload(String, Page),
    Status(u16),
    /// Any 4xx, or 200.
    Any,
    /// Any 4xx.
    Refused,
}

fn expectation(req: &Req) -> Expect {
    match req {
        Req::Upload { device, auth, body } => {
            let size = body.bytes().len();
            if size > MAX_BODY {
                return Expect::Status(413);
            }
            match (body, decoded_device(device), auth.good()) {
                (Body::Page(p), Some(d), true) if p.acceptable() => Expect::Upload(d, p.clone()),
                _ => Expect::Refused,
            }
        }
        Req::Changes { auth, .. } | Req::Device { auth, .. } if !auth.good() => Expect::Refused,
        Req::Report { auth, .. } if !auth.good() => Expect::Refused,
        _ => Expect::Any,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .max_idle_connections(0)
        // Room for the over-long Authorization headers.
        .output_buffer_size(1 << 20)
        .build()
        .into()
}

fn with_auth<B>(r: ureq::RequestBuilder<B>, auth: &Auth) -> ureq::RequestBuilder<B> {
    match auth.header() {
        Some(v) => r.header_raw("Authorization", &v),
        None => r,
    }
}

/// Sends a request; Err for what the client itself refused to send.
fn send(agent: &ureq::Agent, base: &str, req: &Req) -> Result<(u16, String), String> {
    let result = match req {
        Req::Upload { device, auth, body } => {
            let url = format!("{base}/api/v1/devices/{device}/records");
            with_auth(agent.post(&url), auth)
                .content_type("application/json")
                .send(&body.bytes()[..])
        }
        Req::Changes { query, auth } => {
            with_auth(agent.get(&format!("{base}/api/v1/changes?{query}")), auth).call()
        }
        Req::Certificate { id, pdf } => agent
            .get(&format!("{base}/c/{id}{}", if *pdf { ".pdf" } else { "" }))
            .call(),
        Req::Device { device, auth } => {
            with_auth(agent.get(&format!("{base}/api/v1/devices/{device}")), auth).call()
        }
        Req::Report { name, auth } => {
            with_auth(agent.get(&format!("{base}/reports/{name}")), auth).call()
        }
    };
    match result {
        Ok(mut r) => {
            let status = r.status().as_u16();
            let text = r
                .body_mut()
                .with_config()
                .limit(64 << 20)
                .read_to_string()
                .map_err(|e| format!("reading the answer: {e}"))?;
            Ok((status, text))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Client-side refusals (a header or URI the HTTP library will not send)
/// are not answers from the hub.
fn client_refused(e: &str) -> bool {
    // "http: failed to parse header value", "protocol: authorization header
    // is not a string", "protocol: output too small to write output".
    e.starts_with("http: ")
        || e.contains("header is not a string")
        || e.contains("output too small")
}

#[derive(Default)]
struct HubTally {
    sent: usize,
    not_sent: usize,
    ok: usize,
    refused: usize,
    fivexx: usize,
    accepted: HashSet<(String, i64)>,
    rejected: HashSet<(String, i64)>,
    devices: HashSet<String>,
    certificates: BTreeSet<String>,
    by_status: HashMap<u16, usize>,
}

fn hub_case(
    agent: &ureq::Agent,
    base: &str,
    req: &Req,
    tally: &Mutex<HubTally>,
) -> Result<(), TestCaseError> {
    let expect = expectation(req);
    let answer = send(agent, base, req);
    let mut t = tally.lock().unwrap();
    let (status, text) = match answer {
        Ok(a) => a,
        Err(e) if client_refused(&e) => {
            t.not_sent += 1;
            return Ok(());
        }
        // A server may answer a megabyte of header with 431 and close before
        // the client has finished writing it; the client then sees the pipe
        // break instead of the answer. That is a refusal, not a hang.
        Err(e)
            if matches!(
                req,
                Req::Upload {
                    auth: Auth::Overlong(_),
                    ..
                } | Req::Changes {
                    auth: Auth::Overlong(_),
                    ..
                }
            ) && (e.contains("Broken pipe") || e.contains("reset")) =>
        {
            t.refused += 1;
            return Ok(());
        }
        // No answer at all (a reset, a timeout: a hang) is a failure.
        Err(e) => {
            return Err(TestCaseError::fail(format!("no answer: {e}")));
        }
    };
    t.sent += 1;
    *t.by_status.entry(status).or_default() += 1;
    if status >= 500 {
        t.fivexx += 1;
        return Err(TestCaseError::fail(format!("{status}: {}", text.trim())));
    }
    prop_assert!(
        status == 200 || (400..500).contains(&status),
        "status {status}: {}",
        text.trim()
    );
    if status == 200 {
        t.ok += 1;
    } else {
        t.refused += 1;
    }
    match expect {
        Expect::Upload(device, page) => {
            prop_assert_eq!(
                status,
                200,
                "a well-formed page was refused: {}",
                text.trim()
            );
            let result: UploadResult = serde_json::from_str(&text)
                .map_err(|e| TestCaseError::fail(format!("not an upload result: {e}: {text}")))?;
            let seqs: HashSet<i64> = page.records.iter().filter_map(Rec::seq).collect();
            prop_assert_eq!(result.inserted + result.repeated, page.records.len());
            for r in &result.rejected {
                prop_assert!(seqs.contains(&r.seq), "rejected seq {} not sent", r.seq);
                prop_assert!(!r.reason.trim().is_empty());
                t.rejected.insert((device.clone(), r.seq));
            }
            let rejected: HashSet<i64> = result.rejected.iter().map(|r| r.seq).collect();
            for r in &page.records {
                let seq = r.seq().unwrap();
                t.accepted.insert((device.clone(), seq));
                if r.kind == "certificate"
                    && !rejected.contains(&seq)
                    && let Some(id) = r.payload().get("certificate_id").and_then(Value::as_str)
                {
                    t.certificates.insert(id.to_string());
                }
            }
            t.devices.insert(device);
        }
        Expect::Status(s) => prop_assert_eq!(status, s, "{}", text.trim()),
        Expect::Refused => prop_assert!(
            (400..500).contains(&status),
            "expected a refusal, got {status}: {}",
            text.trim()
        ),
        Expect::Any => {}
    }
    Ok(())
}

/// Requests every run makes, whatever the random ones are.
fn fixed_requests() -> Vec<Req> {
    let good_page = |records: Vec<Rec>| Page {
        event_id: EVENT_ID.into(),
        kiosk_id: "K01".into(),
        records,
    };
    let audit = |seq: i64| Rec {
        seq: Seq::Int(seq),
        kind: "audit".into(),
        n: 0,
        edits: vec![],
        record_id: json!("r"),
        created_at: json!("2026-11-23T18:00:00Z"),
        payload: None,
    };
    let up = |device: &str, auth: Auth, body: Body| Req::Upload {
        device: device.into(),
        auth,
        body,
    };
    let mut v = vec![
        // Over the 8 MiB limit: 2000 records of ~4.5 KiB.
        up("FZHUGE", Auth::Good, Body::Huge(4_500)),
        up("FZHUGE", Auth::Missing, Body::Huge(4_500)),
        up(
            "FZHUGE",
            Auth::Good,
            Body::Bytes(Bytes(vec![b'x'; MAX_BODY + 1])),
        ),
        up("FZDEEP", Auth::Good, Body::Deep(100_000, b'[')),
        up("FZDEEP", Auth::Good, Body::Deep(129, b'{')),
        up("FZEMPTY", Auth::Good, Body::Bytes(Bytes(vec![]))),
        up("FZWRONG", Auth::Good, Body::WrongShape(json!([]))),
        up(
            "FZWRONG",
            Auth::Good,
            Body::WrongShape(json!({"event_id": EVENT_ID, "kiosk_id": "K01", "records": {}})),
        ),
        up(
            "FZNEG",
            Auth::Good,
            Body::Page(good_page(vec![audit(1), audit(-5)])),
        ),
        up(
            "FZEVENT",
            Auth::Good,
            Body::Page(Page {
                event_id: "OTHER".into(),
                ..good_page(vec![audit(1)])
            }),
        ),
        up(
            "FZKIOSK",
            Auth::Good,
            Body::Page(Page {
                kiosk_id: "\u{7}\u{1b}".into(),
                ..good_page(vec![audit(1)])
            }),
        ),
        up(
            "..%2F..%2Fetc",
            Auth::Good,
            Body::Page(good_page(vec![audit(1)])),
        ),
        up(
            &"D".repeat(65),
            Auth::Good,
            Body::Page(good_page(vec![audit(1)])),
        ),
        up(
            &"D".repeat(10_000),
            Auth::Good,
            Body::Page(good_page(vec![audit(1)])),
        ),
        up(
            "FZAUTH",
            Auth::Missing,
            Body::Page(good_page(vec![audit(1)])),
        ),
        up(
            "FZAUTH",
            Auth::Wrong("nope".into()),
            Body::Page(good_page(vec![audit(1)])),
        ),
        up(
            "FZAUTH",
            Auth::Overlong(200_000),
            Body::Page(good_page(vec![audit(1)])),
        ),
        up(
            "FZAUTH",
            Auth::Scheme("bearer "),
            Body::Page(good_page(vec![audit(1)])),
        ),
    ];
    let nul_rec = |f: &dyn Fn(&mut Rec)| {
        let mut r = audit(1);
        f(&mut r);
        Body::Page(good_page(vec![r]))
    };
    v.push(up(
        "FZNUL1",
        Auth::Good,
        nul_rec(&|r| r.record_id = json!("a\u{0}b")),
    ));
    v.push(up(
        "FZNUL2",
        Auth::Good,
        nul_rec(&|r| r.kind = "audit\u{0}".into()),
    ));
    v.push(up(
        "FZNUL3",
        Auth::Good,
        nul_rec(&|r| r.created_at = json!("\u{0}")),
    ));
    v.push(up(
        "FZNUL4",
        Auth::Good,
        nul_rec(&|r| r.edits = vec![("detail", Some(json!("x\u{0}y")))]),
    ));
    v.push(up(
        "FZNUL5",
        Auth::Good,
        nul_rec(&|r| r.edits = vec![("action", Some(json!("x\u{0}y")))]),
    ));
    v.push(up(
        "FZNUL6",
        Auth::Good,
        Body::Page(Page {
            kiosk_id: "K\u{0}1".into(),
            ..good_page(vec![audit(1)])
        }),
    ));
    v.push(up(
        "FZAUTH",
        Auth::Overlong(1_000_000),
        Body::Page(good_page(vec![audit(1)])),
    ));
    v.push(Req::Changes {
        query: "since=0&device=%00".into(),
        auth: Auth::Good,
    });
    for q in [
        "since=junk&device=K01",
        "since=&device=K01",
        "since=1.5&device=K01",
        "since=99999999999999999999&device=K01",
        "device=K01",
        "since=0",
        "",
        "since=-5&device=K01",
    ] {
        v.push(Req::Changes {
            query: q.into(),
            auth: Auth::Good,
        });
    }
    v.push(Req::Changes {
        query: "since=0&device=K01".into(),
        auth: Auth::Missing,
    });
    for id in [
        "AAAAAAAAAAAAAAAA",
        "..%2F..%2F",
        "%00",
        &"A".repeat(5000),
        "x.pdf",
    ] {
        for pdf in [false, true] {
            v.push(Req::Certificate {
                id: id.to_string(),
                pdf,
            });
        }
    }
    v
}

fn hub_records(pg: &common::Cluster, db: &str) -> Vec<(String, i64, bool)> {
    let out = pg.query(
        db,
        "SELECT device_id || ' ' || seq || ' ' || (rejected IS NOT NULL)::text FROM records",
    );
    out.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut p = l.split(' ');
            (
                p.next().unwrap().to_string(),
                p.next().unwrap().parse().unwrap(),
                p.next().unwrap() == "true",
            )
        })
        .collect()
}

#[test]
fn hub_answers_hostile_requests_with_4xx() {
    let started = Instant::now();
    let pg = common::cluster();
    let name = common::db_name("fuzz");
    let hub = common::Hub::start(&pg.database(&name));
    let agent = agent();
    let tally = Mutex::new(HubTally::default());
    let fixed = fixed_requests();
    for req in &fixed {
        if let Err(e) = hub_case(&agent, &hub.url, req, &tally) {
            panic!("fuzz: hub: {req:?}: {e}");
        }
    }
    let n = scaled(500);
    run_cases("hub requests", n, req(), |req| {
        hub_case(&agent, &hub.url, &req, &tally)
    });
    let mut t = tally.into_inner().unwrap();

    // Certificates that hostile-but-accepted records created still render.
    for id in t.certificates.clone() {
        for pdf in [false, true] {
            let req = Req::Certificate {
                id: id.clone(),
                pdf,
            };
            let (status, text) = send(&agent, &hub.url, &req).expect("an answer");
            t.sent += 1;
            assert!(status == 200 || status == 404, "{req:?}: {status}: {text}");
        }
    }

    // The CE office's reports still build over whatever hostile records the
    // hub took (claims, profiles, certificates with odd values).
    for report in ["credits.csv", "cpe-monitor.csv", "pars.tsv", "pars.csv"] {
        let mut r = agent
            .get(&format!("{}/reports/{report}", hub.url))
            .header("Authorization", &format!("Bearer {}", common::ADMIN))
            .call()
            .expect("an answer");
        let text = r.body_mut().read_to_string().unwrap_or_default();
        assert_eq!(r.status().as_u16(), 200, "/reports/{report}: {text}");
        t.sent += 1;
    }

    // The hub is still healthy and still takes a well-formed page.
    let mut r = agent.get(&format!("{}/healthz", hub.url)).call().unwrap();
    assert_eq!(r.status().as_u16(), 200, "healthz after the fuzzing");
    let _ = r.body_mut().read_to_string();
    let device = "FZ-FINAL-1";
    let page = json!({"event_id": EVENT_ID, "kiosk_id": "K01", "records": [
        {"seq": 1, "kind": "audit", "record_id": "a1", "created_at": "2026-11-23T18:00:00Z",
         "payload": {"at": "2026-11-23T18:00:00Z", "action": "fuzz.final", "detail": "ok"}},
        {"seq": 2, "kind": "claim", "record_id": "fz-final-claim", "created_at": "2026-11-23T18:00:00Z",
         "payload": {"claim_id": "fz-final-claim", "visit_id": "v", "badge_id": "A0012345",
                     "session_id": "S001", "credits_q": 4, "claimed_at": "2026-11-23T18:00:00Z"}}
    ]});
    let mut r = agent
        .post(&format!("{}/api/v1/devices/{device}/records", hub.url))
        .header("Authorization", &format!("Bearer {}", common::TOKEN))
        .send_json(&page)
        .unwrap();
    let text = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status().as_u16(), 200, "a well-formed upload: {text}");
    let result: UploadResult = serde_json::from_str(&text).unwrap();
    assert_eq!((result.inserted, result.high_seq), (2, 2), "{text}");
    assert!(result.rejected.is_empty(), "{text}");
    t.accepted.insert((device.to_string(), 1));
    t.accepted.insert((device.to_string(), 2));
    t.devices.insert(device.to_string());

    // The system of record holds exactly the records of accepted pages, and
    // flags exactly the ones it said it rejected.
    let rows = hub_records(pg, &name);
    let held: HashSet<(String, i64)> = rows.iter().map(|(d, s, _)| (d.clone(), *s)).collect();
    for (d, s, flagged) in &rows {
        let key = (d.clone(), *s);
        assert!(
            t.accepted.contains(&key),
            "records holds {d}/{s}, from no accepted page"
        );
        assert_eq!(
            *flagged,
            t.rejected.contains(&key),
            "{d}/{s}: rejected flag {flagged} but the hub answered otherwise"
        );
    }
    for key in &t.accepted {
        assert!(held.contains(key), "{key:?} was accepted but is not held");
    }
    let devices = pg.query(&name, "SELECT device_id FROM devices");
    for d in devices.lines().filter(|l| !l.is_empty()) {
        assert!(
            t.devices.contains(d),
            "device {d} registered by a refused page"
        );
    }
    let mut statuses: Vec<_> = t.by_status.iter().collect();
    statuses.sort();
    println!(
        "fuzz: hub {} requests ({} fixed + {} random; {} 200, {} 4xx {:?}; {} not sendable by the client), {} records held ({} flagged rejected): {} 5xx, healthy after ({:.1}s)",
        t.sent,
        fixed.len(),
        n,
        t.ok,
        t.refused,
        statuses,
        t.not_sent,
        rows.len(),
        rows.iter().filter(|r| r.2).count(),
        t.fivexx,
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------
// Known bugs these tests found: exact reproducers. Each fails today (run
// them with `-- --ignored`); when one is fixed, drop its `ignore` and the
// matching tolerance above.

const HEAD: &str = "badge_id,first_name,last_name,degree,profession,email";

fn import_error(body: &[u8]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.csv");
    std::fs::write(&path, body).unwrap();
    let e = read_attendees(&path).expect_err("the file is refused");
    (path.display().to_string(), e.to_string())
}

#[test]
fn fixed_crlf_files_report_the_line_above() {
    // Line 1 the header, line 2 a good row, line 3 the bad one.
    let body = format!("{HEAD}\r\nA1,Ann,Lee,MD,physician,\r\nA2,Bo,Lee,MD,doctor,\r\n");
    let (file, e) = import_error(body.as_bytes());
    assert!(e.starts_with(&format!("{file}:3: ")), "{e}");
}

#[test]
fn fixed_cr_only_files_report_line_1() {
    let body = format!("{HEAD}\rA1,Ann,Lee,MD,physician,\rA2,Bo,Lee,MD,doctor,\r");
    let (file, e) = import_error(body.as_bytes());
    assert!(e.starts_with(&format!("{file}:3: ")), "{e}");
}

#[test]
fn fixed_header_after_blank_lines_is_line_1() {
    let body = "\n\nbadge_id,first_name,last_name,degree,email\nA1,Ann,Lee,MD,\n";
    let (file, e) = import_error(body.as_bytes());
    assert!(e.starts_with(&format!("{file}:3: missing")), "{e}");
}

#[test]
fn fixed_import_errors_quote_raw_control_characters() {
    // profession, starts_at/ends_at, credits, credit_types, acpe_uan and the
    // header list are quoted unescaped (email and badge_id use escape_debug).
    let body = format!("{HEAD}\nA1,Ann,Lee,MD,\"doc\ntor\x1b[2J\",\n");
    let (file, e) = import_error(body.as_bytes());
    for line in e.lines() {
        assert!(
            line.starts_with(&format!("{file}:")),
            "a stray line {line:?} in {e:?}"
        );
    }
    assert!(
        !e.contains('\x1b'),
        "a raw escape sequence reaches the terminal: {e:?}"
    );
}

#[test]
fn fixed_empty_matching_badge_pattern_gives_an_empty_candidate() {
    let re = Regex::new("A?[0-9]*").unwrap();
    let c = candidates("hello", Some(&re));
    assert!(!c.iter().any(String::is_empty), "{c:?}");
}

fn post_page(base: &str, device: &str, page: &Value) -> (u16, String) {
    let mut r = agent()
        .post(&format!("{base}/api/v1/devices/{device}/records"))
        .header("Authorization", &format!("Bearer {}", common::TOKEN))
        .send_json(page)
        .unwrap();
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

fn fresh_hub(test: &str) -> (common::Hub, String) {
    let pg = common::cluster();
    let name = common::db_name(test);
    (common::Hub::start(&pg.database(&name)), name)
}

#[test]
fn fixed_hub_nul_in_a_record_is_a_500() {
    let (hub, _) = fresh_hub("kb_nul");
    // PostgreSQL text refuses 0x00 and jsonb refuses \u0000, so the page is
    // refused whole, on every retry: the kiosk's upload queue is stuck.
    let page = json!({"event_id": EVENT_ID, "kiosk_id": "K01", "records": [
        {"seq": 1, "kind": "audit", "record_id": "r1", "created_at": "2026-11-23T18:00:00Z",
         "payload": {"at": "2026-11-23T18:00:00Z", "action": "a", "detail": "x\u{0}y"}}]});
    let (status, text) = post_page(&hub.url, "KBNUL", &page);
    assert!(status < 500, "{status}: {text}");
    let r = agent()
        .get(&format!("{}/api/v1/changes?since=0&device=%00", hub.url))
        .header("Authorization", &format!("Bearer {}", common::TOKEN))
        .call()
        .unwrap();
    assert!(r.status().as_u16() < 500, "changes: {}", r.status());
}

#[test]
fn fixed_hub_two_walk_ins_for_one_badge_is_a_500() {
    let (hub, _) = fresh_hub("kb_walkin");
    // ON CONFLICT DO UPDATE cannot affect row a second time.
    let walk_in = |seq: i64, first: &str| {
        json!({"seq": seq, "kind": "attendee", "record_id": format!("w{seq}"),
            "created_at": "2026-11-23T18:00:00Z",
            "payload": {"badge_id": "W-0001", "first_name": first, "last_name": "In",
                        "degree": "RN", "profession": "nurse", "email": ""}})
    };
    let page = json!({"event_id": EVENT_ID, "kiosk_id": "K01",
        "records": [walk_in(1, "Walk"), walk_in(2, "Walker")]});
    let (status, text) = post_page(&hub.url, "KBWALKIN", &page);
    assert!(status < 500, "{status}: {text}");
}

#[test]
fn fixed_hub_duplicate_seq_applies_an_unrecorded_record() {
    let (hub, name) = fresh_hub("kb_dupseq");
    let page = json!({"event_id": EVENT_ID, "kiosk_id": "K01", "records": [
        {"seq": 1, "kind": "audit", "record_id": "a1", "created_at": "2026-11-23T18:00:00Z",
         "payload": {"at": "2026-11-23T18:00:00Z", "action": "a", "detail": ""}},
        {"seq": 1, "kind": "claim", "record_id": "c1", "created_at": "2026-11-23T18:00:00Z",
         "payload": {"claim_id": "kb-dupseq", "visit_id": "v", "badge_id": "A0012345",
                     "session_id": "S001", "credits_q": 4, "claimed_at": "2026-11-23T18:00:00Z"}}]});
    let (status, text) = post_page(&hub.url, "KBDUPSEQ", &page);
    let pg = common::cluster();
    let held = pg.query(&name, "SELECT string_agg(kind, ',') FROM records");
    let claims = pg.query(&name, "SELECT count(*) FROM claims");
    // Today: 200 {"inserted":1,"repeated":1}, records holds only the audit
    // record, and claims holds kb-dupseq all the same.
    assert!(
        status == 400 || claims == "0",
        "{status} {text}: records {held}, claims {claims}"
    );
}
