//! The credit rules at a real hub: the activity maximum across kiosks, a
//! kiosk with a wrong clock, ACPE's whole and single sessions, and the
//! three reports read row by row against the certificate page of the same
//! attendees. The expected numbers are worked out here from the demo
//! catalog by plain arithmetic on the sessions chosen, not by the hub's
//! own code.
//!
//! One binary (linked once), with a file per subject: `maximum` (the
//! activity maximum across kiosks and kiosk clocks that are wrong) and
//! `reports` (each report row against the certificate page, and what a
//! void changes). The catalog reading and page parsing below are shared.

#[path = "../common/mod.rs"]
mod common;
mod maximum;
mod reports;

use std::collections::BTreeMap;

use cekiosk::config::Config;
use cekiosk::domain::CodeSet;
use cekiosk::store::CreditChoices;
use common::{ADMIN, Hub, config_dir, get_auth};

/// A demo session as the test reads it from sessions.csv.
#[derive(Debug, Clone)]
struct Sess {
    id: String,
    title: String,
    start: String,
    end: String,
    quarters: u32,
    types: String,
    uans: Vec<String>,
}

fn catalog() -> Vec<Sess> {
    let mut r = csv::Reader::from_path(config_dir().join("sessions.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, title, start, end, credits, types, uan) = (
        col("session_id"),
        col("title"),
        col("starts_at"),
        col("ends_at"),
        col("credits"),
        col("credit_types"),
        col("acpe_uan"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let c: f64 = rec[credits].parse().unwrap();
            Sess {
                id: rec[id].to_string(),
                title: rec[title].to_string(),
                start: rec[start].to_string(),
                end: rec[end].to_string(),
                quarters: (c * 4.0).round() as u32,
                types: rec[types].to_string(),
                uans: rec[uan]
                    .split(';')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(String::from)
                    .collect(),
            }
        })
        .collect()
}

/// Event-local times as `YYYY-MM-DDTHH:MM` compare as text.
fn overlap(a: &Sess, b: &Sess) -> bool {
    a.start < b.end && b.start < a.end
}

/// Sessions of a type, none overlapping another, in time order.
fn disjoint(all: &[Sess], ty: &str) -> Vec<Sess> {
    let mut of: Vec<Sess> = all
        .iter()
        .filter(|s| s.types.split(';').any(|t| t == ty))
        .cloned()
        .collect();
    of.sort_by(|a, b| a.end.cmp(&b.end));
    let mut out: Vec<Sess> = Vec::new();
    for s in of {
        if out.iter().all(|o| !overlap(o, &s)) {
            out.push(s);
        }
    }
    out
}

/// The demo config copied to a folder of its own, with `event.toml`
/// edited (each pair: text to find, its replacement) and, if given,
/// another sessions.csv.
fn config_with(edits: &[(&str, &str)], sessions: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut event = std::fs::read_to_string(config_dir().join("event.toml")).unwrap();
    for (from, to) in edits {
        assert!(event.contains(from), "event.toml has no {from}");
        event = event.replace(from, to);
    }
    std::fs::write(dir.path().join("event.toml"), event).unwrap();
    std::fs::copy(
        config_dir().join("attendees.csv"),
        dir.path().join("attendees.csv"),
    )
    .unwrap();
    match sessions {
        Some(text) => std::fs::write(dir.path().join("sessions.csv"), text).unwrap(),
        None => std::fs::copy(
            config_dir().join("sessions.csv"),
            dir.path().join("sessions.csv"),
        )
        .map(|_| ())
        .unwrap(),
    }
    dir
}

fn demo_config() -> Config {
    Config::load(&config_dir()).unwrap()
}

/// The certificate page's credit table: name → (amount, statement).
fn credit_rows(page: &str) -> BTreeMap<String, (String, String)> {
    let re = regex::Regex::new(
        r#"<tr><td>(.*?)<div class="statement">(.*?)</div></td><td class="amount">(.*?)</td></tr>"#,
    )
    .unwrap();
    re.captures_iter(page)
        .map(|c| (c[1].to_string(), (c[3].to_string(), c[2].to_string())))
        .collect()
}

/// The number in an amount such as "1.25 credits".
fn number(amount: &str) -> String {
    amount.split_whitespace().next().unwrap_or("").to_string()
}

fn html_text(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn csv_rows(text: &str, delimiter: u8) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn report(hub: &Hub, name: &str) -> String {
    let (status, body) = get_auth(&format!("{}/reports/{name}", hub.url), ADMIN);
    assert_eq!(status, 200, "{name}: {body}");
    body
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A report's bytes (a workbook), with the admin token.
fn report_bytes(hub: &Hub, name: &str) -> Vec<u8> {
    let mut r = agent()
        .get(&format!("{}/reports/{name}", hub.url))
        .header("Authorization", &format!("Bearer {ADMIN}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{name}");
    r.body_mut().read_to_vec().unwrap()
}

/// POST with the admin token: the status and the body.
fn post_admin(url: &str) -> (u16, String) {
    let mut r = agent()
        .post(url)
        .header("Authorization", &format!("Bearer {ADMIN}"))
        .send_empty()
        .unwrap();
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// A workbook's first sheet read by openpyxl (a reader this project did
/// not write): its header row and each row by column name. Numbers come
/// back as Python prints them (12.5, 20), dates as mm/dd/YYYY.
fn xlsx_rows(bytes: &[u8]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import datetime, json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
def text(v):
    if v is None: return ""
    if isinstance(v, datetime.datetime): return v.strftime("%m/%d/%Y")
    if isinstance(v, float) and v == int(v): return str(int(v))
    return str(v)
print(json.dumps([[text(v) for v in row] for row in ws.iter_rows(values_only=True)]))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 with openpyxl (scripts/test installs it)");
    assert!(
        out.status.success(),
        "openpyxl could not read the workbook: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    let header = table.first().cloned().unwrap_or_default();
    let rows = table
        .iter()
        .skip(1)
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect();
    (header, rows)
}

/// The `n`th attendee of a profession on the demo roster.
fn roster_of(profession: &str, n: usize) -> String {
    let mut r = csv::Reader::from_path(config_dir().join("attendees.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (b, p) = (col("badge_id"), col("profession"));
    r.records()
        .map(|x| x.unwrap())
        .filter(|x| &x[p] == profession)
        .nth(n)
        .map(|x| x[b].to_string())
        .unwrap()
}

/// Claims as `visit_as` takes them.
fn refs(v: &[(String, u32)]) -> Vec<(&str, u32)> {
    v.iter().map(|(s, q)| (s.as_str(), *q)).collect()
}

fn profile(codes: &str) -> CreditChoices {
    CreditChoices {
        codes: CodeSet::parse_list(codes).unwrap(),
        ..CreditChoices::default()
    }
}
