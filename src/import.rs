//! Reading `attendees.csv`, `sessions.csv` and the hub's door scans:
//! header by name, columns in any order, UTF-8 with or without a
//! byte-order mark, CRLF or LF. Every row is checked before anything is
//! written; a problem is reported as `FILE:LINE: what is wrong` with the
//! header as line 1.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::config::{Config, parse_local};
use crate::domain::{CodeSet, CreditCode, Profession, parse_quarters};
use crate::records::{AttendeeRow, DoorScan, RosterIds, SessionRow};

/// At most this many problems are listed; one is enough to refuse a file.
const MAX_REPORTED: usize = 20;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{}{}", .problems.join("\n"), more_note(*.more))]
    Invalid { problems: Vec<String>, more: usize },
}

fn more_note(more: usize) -> String {
    if more == 0 {
        String::new()
    } else {
        format!("\n… and {more} more problems")
    }
}

struct Problems {
    file: String,
    list: Vec<String>,
    more: usize,
}

impl Problems {
    fn new(file: &str) -> Self {
        Problems {
            file: file.to_string(),
            list: Vec::new(),
            more: 0,
        }
    }
    fn add(&mut self, line: u64, message: impl std::fmt::Display) {
        if self.list.len() < MAX_REPORTED {
            // A value quoted in a message may hold a line break or an
            // escape sequence: show it escaped, so one problem is one line
            // and nothing reaches the terminal raw.
            let message: String = message
                .to_string()
                .chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_debug().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            self.list
                .push(format!("{}:{}: {}", self.file, line, message));
        } else {
            self.more += 1;
        }
    }
    fn finish<T>(self, value: T) -> Result<T, ImportError> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(ImportError::Invalid {
                problems: self.list,
                more: self.more,
            })
        }
    }
}

/// A parsed CSV: the records with their line numbers, and where each
/// column is. The text of every field is kept in one buffer, so a roster of
/// tens of thousands of rows costs a handful of allocations, not one per
/// field.
struct Table {
    /// The file without its byte-order mark, for line numbers.
    body: Vec<u8>,
    columns: HashMap<String, usize>,
    /// The fields of every record, one after another.
    text: String,
    /// Where each field ends in `text`, record after record; a field starts
    /// where the one before it ends, or at its record's `start`.
    ends: Vec<usize>,
    records: Vec<DataRow>,
}

/// One data row: where it starts in the file and where its fields are.
struct DataRow {
    byte: u64,
    /// Where its first field starts in `Table::text`.
    start: usize,
    /// Where its first field's end is in `Table::ends`.
    first: usize,
    len: usize,
}

/// The line (the header is line 1) of the record starting at `byte`.
/// Counted here rather than taken from the CSV reader, which counts only
/// LF: CRLF and lone-CR files must name the right line too. Only called
/// when there is a problem to report.
fn line_at(body: &[u8], byte: u64) -> u64 {
    let mut b = (byte as usize).min(body.len());
    // A record never starts with a line break: step over the rest of the
    // previous line's terminator.
    while b < body.len() && matches!(body[b], b'\n' | b'\r') {
        b += 1;
    }
    let mut line = 1;
    for (i, c) in body[..b].iter().enumerate() {
        match c {
            b'\n' => line += 1,
            b'\r' if body.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
    }
    line
}

impl Table {
    fn line(&self, rec: &DataRow) -> u64 {
        line_at(&self.body, rec.byte)
    }

    /// Where a column is, looked up once rather than for every row.
    fn index(&self, column: &str) -> Option<usize> {
        self.columns.get(column).copied()
    }

    /// A field of a record, trimmed; empty when the column is absent or the
    /// row is short.
    fn field(&self, record: &DataRow, index: Option<usize>) -> &str {
        match index {
            Some(i) if i < record.len => {
                let start = match i {
                    0 => record.start,
                    _ => self.ends[record.first + i - 1],
                };
                self.text[start..self.ends[record.first + i]].trim()
            }
            _ => "",
        }
    }

    fn get(&self, record: &DataRow, column: &str) -> &str {
        self.field(record, self.index(column))
    }
}

/// The whole record as text, when it is UTF-8 and no character is split
/// between two fields, so that each field is UTF-8 on its own: the usual
/// case, checked in one pass rather than field by field.
fn record_text(record: &csv::ByteRecord) -> Option<&str> {
    let row = std::str::from_utf8(record.as_slice()).ok()?;
    let mut at = 0;
    for field in record.iter() {
        if !row.is_char_boundary(at) {
            return None;
        }
        at += field.len();
    }
    Some(row)
}

fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(path).map_err(|source| ImportError::Read {
        file: path.display().to_string(),
        source,
    })
}

fn read_table(
    path: &Path,
    required: &[&str],
    problems: &mut Problems,
) -> Result<Option<Table>, ImportError> {
    Ok(parse_table(read_file(path)?, required, problems))
}

fn parse_table(mut body: Vec<u8>, required: &[&str], problems: &mut Problems) -> Option<Table> {
    if body.starts_with(b"\xEF\xBB\xBF") {
        body.drain(..3);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_slice());
    // Unquoted text is at most the file's size.
    let mut text = String::with_capacity(body.len());
    let mut ends = Vec::new();
    let mut records = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut header_line = 1;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| line_at(&body, p.byte())).unwrap_or(0);
                problems.add(line, format!("not valid CSV: {e}"));
                return None;
            }
        }
        let byte = record.position().map(|p| p.byte()).unwrap_or(0);
        let line = || line_at(&body, byte);
        if header.is_none() {
            header_line = line();
            let mut names = Vec::with_capacity(record.len());
            for field in record.iter() {
                match std::str::from_utf8(field) {
                    Ok(s) => names.push(s.to_string()),
                    Err(_) => {
                        problems.add(line(), "not UTF-8 text (save the file as UTF-8)");
                        names.push(String::new());
                    }
                }
            }
            header = Some(names);
            continue;
        }
        let (start, first) = (text.len(), ends.len());
        let blank = match record_text(&record) {
            Some(row) => {
                text.push_str(row);
                let mut end = start;
                for field in record.iter() {
                    end += field.len();
                    ends.push(end);
                }
                row.trim().is_empty()
            }
            None => {
                let mut blank = true;
                for field in record.iter() {
                    match std::str::from_utf8(field) {
                        Ok(s) => {
                            blank &= s.trim().is_empty();
                            text.push_str(s);
                        }
                        Err(_) => problems.add(line(), "not UTF-8 text (save the file as UTF-8)"),
                    }
                    ends.push(text.len());
                }
                blank
            }
        };
        if blank {
            text.truncate(start);
            ends.truncate(first);
            continue;
        }
        records.push(DataRow {
            byte,
            start,
            first,
            len: record.len(),
        });
    }
    let Some(header) = header else {
        problems.add(1, "the file is empty; expected a header row");
        return None;
    };
    let mut columns = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        if columns.insert(name.clone(), i).is_some() && !name.is_empty() {
            problems.add(
                header_line,
                format!("column '{name}' appears twice in the header"),
            );
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        problems.add(
            header_line,
            format!(
                "missing required column{} {} (the header has: {})",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                header.join(", ")
            ),
        );
        return None;
    }
    Some(Table {
        body,
        columns,
        text,
        ends,
        records,
    })
}

fn check_id(value: &str, column: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{column} is empty"));
    }
    if value.chars().count() > 64 {
        return Err(format!("{column} is longer than 64 characters"));
    }
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "{column} '{}' contains spaces or control characters",
            value.escape_debug()
        ));
    }
    Ok(())
}

/// Two column lists as one, `a`'s first: a file's columns built from the
/// lists they share, so each list is written once.
pub const fn joined<const A: usize, const B: usize, const N: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; N] {
    assert!(
        A + B == N,
        "the joined list's length is the two lists' together"
    );
    let mut out = [""; N];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    while i < N {
        out[i] = b[i - A];
        i += 1;
    }
    out
}

/// The columns every attendees file has (more are allowed and ignored).
pub const ATTENDEE_COLUMNS: [&str; 6] = [
    "badge_id",
    "first_name",
    "last_name",
    "degree",
    "profession",
    "email",
];

pub fn read_attendees(path: &Path) -> Result<Vec<AttendeeRow>, ImportError> {
    let mut problems = Problems::new(&path.display().to_string());
    let Some(table) = read_table(path, &ATTENDEE_COLUMNS, &mut problems)? else {
        return problems.finish(Vec::new());
    };
    let [
        badge_col,
        first_col,
        last_col,
        degree_col,
        profession_col,
        email_col,
    ] = ATTENDEE_COLUMNS.map(|c| table.index(c));
    let mut seen: HashMap<&str, u64> = HashMap::with_capacity(table.records.len());
    let mut rows = Vec::with_capacity(table.records.len());
    for rec in &table.records {
        // Counted only when a problem is reported.
        let line = || table.line(rec);
        let badge_id = table.field(rec, badge_col);
        if let Err(m) = check_id(badge_id, "badge_id") {
            problems.add(line(), m);
            continue;
        }
        if let Some(first) = seen.insert(badge_id, rec.byte) {
            problems.add(
                line(),
                format!(
                    "badge_id '{badge_id}' is already on line {}",
                    line_at(&table.body, first)
                ),
            );
        }
        let first_name = table.field(rec, first_col);
        let last_name = table.field(rec, last_col);
        if first_name.is_empty() && last_name.is_empty() {
            problems.add(line(), "first_name and last_name are both empty");
        }
        let profession = match table.field(rec, profession_col).parse::<Profession>() {
            Ok(p) => p,
            Err(m) => {
                problems.add(line(), m);
                continue;
            }
        };
        let email = table.field(rec, email_col);
        if !email.is_empty() && !valid_email(email) {
            problems.add(
                line(),
                format!("email '{}' is not an address", email.escape_debug()),
            );
        }
        rows.push(AttendeeRow {
            badge_id: badge_id.to_string(),
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            degree: table.field(rec, degree_col).to_string(),
            profession,
            email: email.to_string(),
        });
    }
    problems.finish(rows)
}

fn valid_email(s: &str) -> bool {
    // '@' and '.' are ASCII, so a byte search finds exactly what a
    // character search would.
    match s.bytes().position(|b| b == b'@') {
        Some(at) => {
            at > 0
                && s.as_bytes()[at + 1..].contains(&b'.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// The columns every sessions file has.
pub const SESSION_COLUMNS: [&str; 6] = [
    "session_id",
    "title",
    "starts_at",
    "ends_at",
    "credits",
    "credit_types",
];

/// The sessions file's columns that may be left out (empty when they are).
pub const SESSION_OPTIONAL_COLUMNS: [&str; 3] = ["track", "room", "acpe_uan"];

/// Every column a sessions file can have, as a full catalog is written.
pub const SESSION_FILE_COLUMNS: [&str; 9] = joined(SESSION_COLUMNS, SESSION_OPTIONAL_COLUMNS);

pub fn read_sessions(path: &Path, config: &Config) -> Result<Vec<SessionRow>, ImportError> {
    let mut problems = Problems::new(&path.display().to_string());
    let Some(table) = read_table(path, &SESSION_COLUMNS, &mut problems)? else {
        return problems.finish(Vec::new());
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::with_capacity(table.records.len());
    let (first_day, last_day) = (config.event.start_date, config.event.end_date);
    for rec in &table.records {
        // Counted only when a problem is reported.
        let line = || table.line(rec);
        let session_id = table.get(rec, "session_id");
        if let Err(m) = check_id(session_id, "session_id") {
            problems.add(line(), m);
            continue;
        }
        if let Some(first) = seen.insert(session_id.to_string(), rec.byte) {
            problems.add(
                line(),
                format!(
                    "session_id '{session_id}' is already on line {}",
                    line_at(&table.body, first)
                ),
            );
        }
        let title = table.get(rec, "title");
        if title.is_empty() {
            problems.add(line(), "title is empty");
        }
        let time = |column: &str| {
            parse_local(table.get(rec, column)).map_err(|m| format!("{column}: {m}"))
        };
        let (starts, ends) = match (time("starts_at"), time("ends_at")) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(m), _) | (_, Err(m)) => {
                problems.add(line(), m);
                continue;
            }
        };
        if ends <= starts {
            problems.add(
                line(),
                format!("ends_at {ends} is not after starts_at {starts}"),
            );
            continue;
        }
        for (column, t) in [("starts_at", starts), ("ends_at", ends)] {
            if t.date() < first_day || t.date() > last_day {
                problems.add(
                    line(),
                    format!("{column} {t} is outside the event's dates {first_day} to {last_day}"),
                );
            }
        }
        let credits = match parse_quarters(table.get(rec, "credits")) {
            Ok(q) => q,
            Err(m) => {
                problems.add(line(), m);
                continue;
            }
        };
        let minutes = match (
            config.local_to_minutes(starts),
            config.local_to_minutes(ends),
        ) {
            (Ok(s), Ok(e)) => e - s,
            (Err(m), _) | (_, Err(m)) => {
                problems.add(line(), m);
                continue;
            }
        };
        if i64::from(credits) * 15 > minutes {
            problems.add(
                line(),
                format!(
                    "credits {} are more than the session's length of {} minutes allows",
                    table.get(rec, "credits"),
                    minutes
                ),
            );
        }
        let credit_types = match CodeSet::parse_list(table.get(rec, "credit_types")) {
            Ok(set) => set,
            Err(m) => {
                problems.add(line(), m);
                continue;
            }
        };
        if credit_types.is_empty() {
            problems.add(
                line(),
                "credit_types is empty; list some of AMA, ANCC, ACPE, MOC",
            );
        }
        if let Some(bad) = credit_types
            .iter()
            .find(|c| !CreditCode::SESSION_CODES.contains(c))
        {
            problems.add(
                line(),
                format!("credit type '{bad}' is not one a session lists (AMA, ANCC, ACPE, MOC); AAPA and COP follow AMA"),
            );
        }
        // ABIM MOC is CME for MOC: PARS takes a learner's board points only
        // beside the AMA credit of the same activity.
        if credit_types.contains(CreditCode::MOC) && !credit_types.contains(CreditCode::AMA) {
            problems.add(
                line(),
                "credit_types lists MOC without AMA; a session eligible for MOC must be eligible for AMA (MOC points are reported to PARS beside AMA credit)",
            );
        }
        let acpe_uan = table.get(rec, "acpe_uan");
        for uan in acpe_uan.split(';').map(str::trim).filter(|u| !u.is_empty()) {
            if !(uan.ends_with("-P") || uan.ends_with("-T") || uan.ends_with("-B")) {
                problems.add(
                    line(),
                    format!(
                        "acpe_uan '{uan}' must end in -P (pharmacists), -T (technicians) or -B"
                    ),
                );
            }
        }
        rows.push(SessionRow {
            session_id: session_id.to_string(),
            title: title.to_string(),
            starts_at: starts.strftime("%Y-%m-%dT%H:%M").to_string(),
            ends_at: ends.strftime("%Y-%m-%dT%H:%M").to_string(),
            credits,
            credit_types,
            track: table.get(rec, "track").to_string(),
            room: table.get(rec, "room").to_string(),
            acpe_uan: acpe_uan.to_string(),
        });
    }
    problems.finish(rows)
}

pub const SCAN_COLUMNS: [&str; 3] = ["badge_id", "session_id", "scanned_at"];

/// Door scans from a file: `badge_id, session_id, scanned_at` (event-local
/// `YYYY-MM-DDTHH:MM`), `direction` (`in` or `out`) if the scanner records
/// it. Each badge and session must be one `known` holds.
pub fn read_scans(
    path: &Path,
    config: &Config,
    known: &RosterIds,
) -> Result<Vec<DoorScan>, ImportError> {
    parse_scans(&path.display().to_string(), read_file(path)?, config, known)
}

/// Door scans from a file's bytes (an upload), named `file` in messages.
/// A row repeated is the same scan: it is kept once.
pub fn parse_scans(
    file: &str,
    body: Vec<u8>,
    config: &Config,
    known: &RosterIds,
) -> Result<Vec<DoorScan>, ImportError> {
    let mut problems = Problems::new(file);
    let Some(table) = parse_table(body, &SCAN_COLUMNS, &mut problems) else {
        return problems.finish(Vec::new());
    };
    let [badge_col, session_col, at_col] = SCAN_COLUMNS.map(|c| table.index(c));
    let direction_col = table.index("direction");
    let (first_day, last_day) = (config.event.start_date, config.event.end_date);
    let mut seen = HashSet::with_capacity(table.records.len());
    let mut rows = Vec::with_capacity(table.records.len());
    for rec in &table.records {
        // Counted only when a problem is reported.
        let line = || table.line(rec);
        let badge_id = table.field(rec, badge_col);
        let session_id = table.field(rec, session_col);
        let mut ok = true;
        for (value, column) in [(badge_id, "badge_id"), (session_id, "session_id")] {
            if let Err(m) = check_id(value, column) {
                problems.add(line(), m);
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        for (column, id, ids, held_in, file) in [
            (
                "badge_id",
                badge_id,
                &known.badges,
                "on the hub's roster",
                "attendees",
            ),
            (
                "session_id",
                session_id,
                &known.sessions,
                "in the hub's catalog",
                "sessions",
            ),
        ] {
            if !ids.contains(id) {
                problems.add(
                    line(),
                    format!(
                        "{column} '{id}' is not {held_in} \
                         (import it first with `cekiosk hub import {file}`)"
                    ),
                );
            }
        }
        let at = match parse_local(table.field(rec, at_col)) {
            Ok(t) => t,
            Err(m) => {
                problems.add(line(), format!("scanned_at: {m}"));
                continue;
            }
        };
        if at.date() < first_day || at.date() > last_day {
            problems.add(
                line(),
                format!("scanned_at {at} is outside the event's dates {first_day} to {last_day}"),
            );
        } else if let Err(m) = config.local_to_minutes(at) {
            problems.add(line(), format!("scanned_at: {m}"));
        }
        let direction = table.field(rec, direction_col).to_ascii_lowercase();
        if !matches!(direction.as_str(), "" | "in" | "out") {
            problems.add(
                line(),
                format!(
                    "direction '{}' is not in or out (or leave it empty)",
                    table.field(rec, direction_col)
                ),
            );
        }
        let scan = DoorScan {
            badge_id: badge_id.to_string(),
            direction,
            scanned_at: at.strftime("%Y-%m-%dT%H:%M").to_string(),
            session_id: session_id.to_string(),
        };
        if seen.insert(scan.clone()) {
            rows.push(scan);
        }
    }
    problems.finish(rows)
}
