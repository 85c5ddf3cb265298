//! Reading `attendees.csv` and `sessions.csv`: header by name, columns in
//! any order, UTF-8 with or without a byte-order mark, CRLF or LF. Every
//! row is checked before anything is written; a problem is reported as
//! `FILE:LINE: what is wrong` with the header as line 1.

use std::collections::HashMap;
use std::path::Path;

use crate::config::{Config, parse_local};
use crate::domain::{CodeSet, CreditCode, Profession, parse_quarters};
use crate::store::{AttendeeRow, SessionRow};

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
/// required column is.
struct Table {
    columns: HashMap<String, usize>,
    records: Vec<(u64, Vec<String>)>,
}

impl Table {
    fn get<'a>(&self, record: &'a [String], column: &str) -> &'a str {
        self.columns
            .get(column)
            .and_then(|i| record.get(*i))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

fn read_table(
    path: &Path,
    required: &[&str],
    problems: &mut Problems,
) -> Result<Option<Table>, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        file: path.display().to_string(),
        source,
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut records = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for result in reader.byte_records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.add(line, format!("not valid CSV: {e}"));
                return Ok(None);
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut fields = Vec::with_capacity(record.len());
        for field in record.iter() {
            match std::str::from_utf8(field) {
                Ok(s) => fields.push(s.to_string()),
                Err(_) => {
                    problems.add(line, "not UTF-8 text (save the file as UTF-8)");
                    fields.push(String::new());
                }
            }
        }
        if header.is_none() {
            header = Some(fields);
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue; // blank line
        }
        records.push((line, fields));
    }
    let Some(header) = header else {
        problems.add(1, "the file is empty; expected a header row");
        return Ok(None);
    };
    let mut columns = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        if columns.insert(name.clone(), i).is_some() && !name.is_empty() {
            problems.add(1, format!("column '{name}' appears twice in the header"));
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        problems.add(
            1,
            format!(
                "missing required column{} {} (the header has: {})",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                header.join(", ")
            ),
        );
        return Ok(None);
    }
    Ok(Some(Table { columns, records }))
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
    let mut seen: HashMap<String, u64> = HashMap::with_capacity(table.records.len());
    let mut rows = Vec::with_capacity(table.records.len());
    for (line, rec) in &table.records {
        let line = *line;
        let badge_id = table.get(rec, "badge_id");
        if let Err(m) = check_id(badge_id, "badge_id") {
            problems.add(line, m);
            continue;
        }
        if let Some(first) = seen.insert(badge_id.to_string(), line) {
            problems.add(
                line,
                format!("badge_id '{badge_id}' is already on line {first}"),
            );
        }
        let first_name = table.get(rec, "first_name");
        let last_name = table.get(rec, "last_name");
        if first_name.is_empty() && last_name.is_empty() {
            problems.add(line, "first_name and last_name are both empty");
        }
        let profession = match table.get(rec, "profession").parse::<Profession>() {
            Ok(p) => p,
            Err(m) => {
                problems.add(line, m);
                continue;
            }
        };
        let email = table.get(rec, "email");
        if !email.is_empty() && !valid_email(email) {
            problems.add(
                line,
                format!("email '{}' is not an address", email.escape_debug()),
            );
        }
        rows.push(AttendeeRow {
            badge_id: badge_id.to_string(),
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            degree: table.get(rec, "degree").to_string(),
            profession,
            email: email.to_string(),
        });
    }
    problems.finish(rows)
}

fn valid_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

pub const SESSION_COLUMNS: [&str; 6] = [
    "session_id",
    "title",
    "starts_at",
    "ends_at",
    "credits",
    "credit_types",
];

pub fn read_sessions(path: &Path, config: &Config) -> Result<Vec<SessionRow>, ImportError> {
    let mut problems = Problems::new(&path.display().to_string());
    let Some(table) = read_table(path, &SESSION_COLUMNS, &mut problems)? else {
        return problems.finish(Vec::new());
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::with_capacity(table.records.len());
    let (first_day, last_day) = (config.event.start_date, config.event.end_date);
    for (line, rec) in &table.records {
        let line = *line;
        let session_id = table.get(rec, "session_id");
        if let Err(m) = check_id(session_id, "session_id") {
            problems.add(line, m);
            continue;
        }
        if let Some(first) = seen.insert(session_id.to_string(), line) {
            problems.add(
                line,
                format!("session_id '{session_id}' is already on line {first}"),
            );
        }
        let title = table.get(rec, "title");
        if title.is_empty() {
            problems.add(line, "title is empty");
        }
        let time = |column: &str| {
            parse_local(table.get(rec, column)).map_err(|m| format!("{column}: {m}"))
        };
        let (starts, ends) = match (time("starts_at"), time("ends_at")) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(m), _) | (_, Err(m)) => {
                problems.add(line, m);
                continue;
            }
        };
        if ends <= starts {
            problems.add(
                line,
                format!("ends_at {ends} is not after starts_at {starts}"),
            );
            continue;
        }
        for (column, t) in [("starts_at", starts), ("ends_at", ends)] {
            if t.date() < first_day || t.date() > last_day {
                problems.add(
                    line,
                    format!("{column} {t} is outside the event's dates {first_day} to {last_day}"),
                );
            }
        }
        let credits = match parse_quarters(table.get(rec, "credits")) {
            Ok(q) => q,
            Err(m) => {
                problems.add(line, m);
                continue;
            }
        };
        let minutes = match (
            config.local_to_minutes(starts),
            config.local_to_minutes(ends),
        ) {
            (Ok(s), Ok(e)) => e - s,
            (Err(m), _) | (_, Err(m)) => {
                problems.add(line, m);
                continue;
            }
        };
        if i64::from(credits) * 15 > minutes {
            problems.add(
                line,
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
                problems.add(line, m);
                continue;
            }
        };
        if credit_types.is_empty() {
            problems.add(
                line,
                "credit_types is empty; list some of AMA, ANCC, ACPE, MOC",
            );
        }
        if let Some(bad) = credit_types
            .iter()
            .find(|c| !CreditCode::SESSION_CODES.contains(c))
        {
            problems.add(
                line,
                format!("credit type '{bad}' is not one a session lists (AMA, ANCC, ACPE, MOC); AAPA and COP follow AMA"),
            );
        }
        let acpe_uan = table.get(rec, "acpe_uan");
        for uan in acpe_uan.split(';').map(str::trim).filter(|u| !u.is_empty()) {
            if !(uan.ends_with("-P") || uan.ends_with("-T") || uan.ends_with("-B")) {
                problems.add(
                    line,
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
