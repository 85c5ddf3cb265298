//! Hostile input, in bulk, for the CSV importers: property ("fuzz") tests
//! that feed `read_attendees` and `read_sessions` what a mangled
//! spreadsheet might hold (generated in tests/common/fuzz_csv.rs), then a
//! sample of the same files to the real `cekiosk import` command. No
//! panic; a refused file is refused whole, each problem a
//! `FILE:LINE: message` line naming the bad row's own line; an accepted
//! file holds every row; and a refused import leaves the database exactly
//! as it was.
//!
//! The runner and the case counts (`CEKIOSK_FUZZ_CASES`,
//! `PROPTEST_RNG_SEED`) are described in tests/common/fuzz.rs. Each test
//! prints one `fuzz: …` summary line (see them with --nocapture).
//!
//! The `fixed_*` tests at the end are exact reproducers of bugs these
//! tests found (line numbers in CRLF and CR-only files and after blank
//! lines, raw control characters in messages), kept as regressions.

mod common;

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use cekiosk::config::{Config, parse_local};
use cekiosk::domain::CreditCode;
use cekiosk::import::{ImportError, read_attendees, read_sessions};
use common::fuzz::{Bytes, run_cases, scaled};
use common::fuzz_csv::{Field, Table, attendee_table, csv_case, render};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

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

fn check_attendees(rows: &[cekiosk::records::AttendeeRow]) -> Result<(), TestCaseError> {
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
    rows: &[cekiosk::records::SessionRow],
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
// Bugs these tests found, fixed: exact reproducers, kept as regressions.

const HEAD: &str = "badge_id,first_name,last_name,degree,profession,email";

fn import_error(body: &[u8]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.csv");
    std::fs::write(&path, body).unwrap();
    let e = read_attendees(&path).expect_err("the file is refused");
    (path.display().to_string(), e.to_string())
}

#[test]
fn fixed_crlf_files_report_the_bad_rows_line() {
    // Line 1 the header, line 2 a good row, line 3 the bad one.
    let body = format!("{HEAD}\r\nA1,Ann,Lee,MD,physician,\r\nA2,Bo,Lee,MD,doctor,\r\n");
    let (file, e) = import_error(body.as_bytes());
    assert!(e.starts_with(&format!("{file}:3: ")), "{e}");
}

#[test]
fn fixed_cr_only_files_report_the_bad_rows_line() {
    let body = format!("{HEAD}\rA1,Ann,Lee,MD,physician,\rA2,Bo,Lee,MD,doctor,\r");
    let (file, e) = import_error(body.as_bytes());
    assert!(e.starts_with(&format!("{file}:3: ")), "{e}");
}

#[test]
fn fixed_header_after_blank_lines_is_reported_on_its_own_line() {
    let body = "\n\nbadge_id,first_name,last_name,degree,email\nA1,Ann,Lee,MD,\n";
    let (file, e) = import_error(body.as_bytes());
    assert!(e.starts_with(&format!("{file}:3: missing")), "{e}");
}

#[test]
fn fixed_import_errors_escape_control_characters() {
    // A line break and an escape sequence in a value quoted into a message:
    // every message is escaped now (once only email and badge_id were), so
    // each problem is one line and nothing reaches the terminal raw.
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
