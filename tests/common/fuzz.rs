//! What the property ("fuzz") tests share: the runner that sizes and runs
//! them, and the hostile text they draw fields, values and scans from.
//!
//! The tests are tests/fuzz_badge.rs, tests/fuzz_import.rs,
//! tests/fuzz_config.rs and tests/fuzz_hub.rs; their generators of CSV
//! tables and of hub requests are in `fuzz_csv` and `fuzz_hub` here.
//! Every case count is a default times `CEKIOSK_FUZZ_CASES` (default 1),
//! for a long run:
//!
//! ```sh
//! CEKIOSK_FUZZ_CASES=50 cargo test --release --test 'fuzz_*' -- --nocapture
//! ```
//!
//! Runs are random; `PROPTEST_RNG_SEED=N` repeats one, and a failure prints
//! the shrunk input. Nothing is persisted (no proptest-regressions files).

use std::fmt;

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

/// The `CEKIOSK_FUZZ_CASES` multiplier (default 1).
pub fn multiplier() -> u32 {
    std::env::var("CEKIOSK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

pub fn scaled(default: u32) -> u32 {
    default.saturating_mul(multiplier())
}

pub fn runner(cases: u32) -> TestRunner {
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
pub fn run_cases<S: Strategy>(
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
pub struct Bytes(pub Vec<u8>);

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
pub const SPECIAL_TEXT: &[&[u8]] = &[
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

pub fn hostile_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        3 => "(?s).{0,24}".prop_map(String::into_bytes),
        2 => prop::collection::vec(any::<u8>(), 0..24),
        4 => prop::sample::select(SPECIAL_TEXT).prop_map(<[u8]>::to_vec),
    ]
    .boxed()
}

pub const SCAN_CHARS: &[char] = &[
    '\0', '\u{1}', '\u{7}', '\u{8}', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1b}', '\u{7f}',
    '\u{85}', '\u{9f}', '\u{a0}', '\u{2028}', '\u{2029}', '\u{200b}', '\u{202e}', '\u{feff}',
    '\u{fffd}', '^', ':', ';', '/', '?', '#', '&', '=', ' ', 'A', 'a', '0', '7', 'é', '花', '😀',
];

pub fn scan_char() -> BoxedStrategy<char> {
    prop_oneof![3 => prop::sample::select(SCAN_CHARS), 1 => any::<char>()].boxed()
}

pub fn noise(max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(scan_char(), 0..max)
        .prop_map(String::from_iter)
        .boxed()
}
