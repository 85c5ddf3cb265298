//! How long `cekiosk import attendees` takes on a congress-sized roster,
//! next to the floor for loading the same file into SQLite: the sqlite3
//! shell's `.import` into a bare table (no key, no checks, one transaction).
//!
//! `cargo bench --bench import` times the release binary as a staff member
//! runs it, each run on a fresh database, alternating with sqlite3, and
//! prints one line to grep:
//!
//! ```text
//! import 40000 attendees: cekiosk median … ms (min … ms), sqlite3 .import median … ms (min … ms), ratio …x (target <= 1.5x): meets target
//! ```
//!
//! Run without `--bench` (as `cargo test --benches` does) it only checks,
//! once, on a small roster, that both imports work.

#[path = "common/figures.rs"]
mod figures;
#[path = "common/kiosk_data.rs"]
mod kiosk_data;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use figures::{list, median, min_of, ms};

const ATTENDEES: usize = 40_000;
const RUNS: usize = 7;
const TARGET_RATIO: f64 = 1.5;
const SQLITE3: &str = "/usr/bin/sqlite3";

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (attendees, runs) = if full { (ATTENDEES, RUNS) } else { (500, 1) };

    let dir = tempfile::tempdir().expect("creating a temporary directory");
    let csv = dir.path().join("attendees.csv");
    std::fs::write(&csv, roster(attendees)).expect("writing the roster");
    let size = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);
    println!(
        "roster: {attendees} attendees, {:.1} MB, {}",
        size as f64 / 1e6,
        csv.display()
    );

    let mut fresh = {
        let mut n = 0;
        let dir = dir.path().to_path_buf();
        move |what: &str| {
            n += 1;
            dir.join(format!("{what}-{n}.db"))
        }
    };

    let have_sqlite3 = Path::new(SQLITE3).exists();
    if !have_sqlite3 {
        println!("{SQLITE3} not found: timing cekiosk only, no comparison (install sqlite3)");
    }

    // One untimed run of each: checks the results and warms the page cache.
    let db = fresh("cekiosk");
    let out = cekiosk(&db, &csv);
    let expected = format!("{attendees} attendees imported ({attendees} new, 0 updated)");
    assert!(out.contains(&expected), "cekiosk printed: {out}");
    assert_eq!(count(&db, "attendees"), attendees as i64);
    if have_sqlite3 {
        let db = fresh("sqlite3");
        sqlite3_import(&db, &csv);
        assert_eq!(count(&db, "t"), attendees as i64);
    }

    let mut ours = Vec::with_capacity(runs);
    let mut theirs = Vec::with_capacity(runs);
    for _ in 0..runs {
        let db = fresh("cekiosk");
        let start = Instant::now();
        cekiosk(&db, &csv);
        ours.push(start.elapsed());
        if have_sqlite3 {
            let db = fresh("sqlite3");
            let start = Instant::now();
            sqlite3_import(&db, &csv);
            theirs.push(start.elapsed());
        }
    }

    if !full {
        println!(
            "import smoke test: both imports ran (run `cargo bench --bench import` to time them)"
        );
        return;
    }
    println!("cekiosk runs (ms): {}", list(&ours));
    let mut line = format!(
        "import {attendees} attendees: cekiosk median {:.1} ms (min {:.1} ms)",
        ms(median(&ours)),
        ms(min_of(&ours))
    );
    if have_sqlite3 {
        println!("sqlite3 runs (ms): {}", list(&theirs));
        let ratio = median(&ours).as_secs_f64() / median(&theirs).as_secs_f64();
        let verdict = if ratio <= TARGET_RATIO {
            "meets target"
        } else {
            "OVER TARGET"
        };
        let _ = write!(
            line,
            ", sqlite3 .import median {:.1} ms (min {:.1} ms), ratio {ratio:.2}x (target <= {TARGET_RATIO}x): {verdict}",
            ms(median(&theirs)),
            ms(min_of(&theirs))
        );
    }
    println!("{line}");
}

/// The command a staff member runs; returns what it printed.
fn cekiosk(db: &Path, csv: &Path) -> String {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    kiosk_data::cekiosk_import(&config, db, "attendees", csv)
}

/// `.import` into a table that does not exist yet: sqlite3 creates it from
/// the header, every column TEXT, no key.
fn sqlite3_import(db: &Path, csv: &Path) {
    let out = Command::new(SQLITE3)
        .arg(db)
        .arg(".mode csv")
        .arg(format!(".import {} t", quote_for_dot_command(csv)))
        .stdin(Stdio::null())
        .output()
        .expect("starting sqlite3");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "sqlite3 .import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn quote_for_dot_command(p: &Path) -> String {
    format!("\"{}\"", p.display().to_string().replace('"', "\\\""))
}

fn count(db: &Path, table: &str) -> i64 {
    let c = rusqlite::Connection::open(db).expect("opening the database");
    c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("counting rows")
}

/// A deterministic generator (SplitMix64), so every run loads the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
    fn percent(&mut self) -> u64 {
        self.next() % 100
    }
}

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Christopher",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Priya",
    "Ananya",
    "Rahul",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Fatima",
    "Omar",
    "Aisha",
    "Mohammed",
    "Olumide",
    "Chidi",
    "Ngozi",
    "Abigail",
    "Ethan",
    "Sophia",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Zoë",
    "José",
    "María",
    "François",
    "Chloé",
    "Søren",
    "Björn",
    "Małgorzata",
    "Łukasz",
    "Dvořák",
    "Ðorđe",
    "İlker",
    "Şebnem",
    "Nguyễn",
    "Thảo",
    "Андрей",
    "Ольга",
    "Γιώργος",
    "花子",
    "太郎",
    "伟",
    "민준",
    "서연",
    "محمد",
    "יעל",
    "Jean-Luc",
    "Mary Kate",
    "O'Neil",
    "D'Angelo",
];

const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Patel",
    "Shah",
    "Kumar",
    "Singh",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Kim",
    "Park",
    "Tanaka",
    "Suzuki",
    "Okafor",
    "Adeyemi",
    "Haddad",
    "Cohen",
    "O'Brien",
    "McDonald",
    "van der Berg",
    "de la Cruz",
    "Müller",
    "Schröder",
    "Žukauskas",
    "Øvergaard",
    "Ñúñez",
    "Gonçalves",
    "Lefèvre",
    "Kowalczyk",
    "Østergård",
    "Yılmaz",
    "Nguyễn",
    "Trần",
    "Иванова",
    "Παπαδόπουλος",
    "田中",
    "山本",
    "王",
    "李",
    "김",
    "Smith-Jones",
];

/// Degrees as people write them, some with commas (quoted in the file).
const DEGREES: &[&str] = &[
    "MD",
    "MD",
    "MD",
    "DO",
    "MD, PhD",
    "MD, MPH",
    "MBBS",
    "PA-C",
    "PA-C, MPAS",
    "RN",
    "RN, BSN",
    "RN, MSN, OCN",
    "NP",
    "APRN, FNP-BC",
    "PharmD",
    "PharmD, BCOP",
    "RPh",
    "PhD",
    "MS",
    "",
];

/// All five professions, weighted roughly like an oncology congress.
const PROFESSIONS: &[&str] = &[
    "physician",
    "physician",
    "physician",
    "physician",
    "physician_assistant",
    "nurse",
    "nurse",
    "pharmacist",
    "pharmacist",
    "other",
];

const ORGANIZATIONS: &[&str] = &[
    "Dana-Farber Cancer Institute",
    "Memorial Sloan Kettering Cancer Center",
    "MD Anderson Cancer Center",
    "Siteman Cancer Center, Washington University in St. Louis",
    "Mayo Clinic, Rochester",
    "Cancer Institute Hospital of JFCR, Tokyo",
    "Gustave Roussy, Villejuif",
    "Charité – Universitätsmedizin Berlin",
    "Tata Memorial Centre, Mumbai",
    "Princess Margaret Cancer Centre",
    "Hospital \"La Fe\", Valencia",
    "Peter MacCallum Cancer Centre",
    "Independent",
];

const COUNTRIES: &[&str] = &[
    "United States",
    "United States",
    "United States",
    "Canada",
    "Japan",
    "France",
    "Germany",
    "India",
    "Spain",
    "Australia",
    "Korea, Republic of",
    "Brazil",
];

const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "hospital.example",
    "mail.example.net",
];

/// The roster: the six required columns, then two the import ignores.
/// Badge ids are unique and not in sorted order, as a registration export
/// sorted by name would give them.
fn roster(n: usize) -> String {
    let mut rng = Rng(0x00C0_FFEE);
    let mut out = String::with_capacity(n * 120);
    out.push_str(&cekiosk::import::ATTENDEE_COLUMNS.join(","));
    out.push_str(",organization,country\n");
    for i in 0..n {
        // 7919 is prime, so i -> badge is one-to-one for i below 9,000,000.
        let badge = 1_000_000 + (i as u64 * 7919) % 9_000_000;
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        let degree = rng.pick(DEGREES);
        let profession = rng.pick(PROFESSIONS);
        let email = if rng.percent() < 8 {
            String::new()
        } else {
            format!(
                "{}.{}{}@{}",
                ascii_part(first),
                ascii_part(last),
                i,
                rng.pick(DOMAINS)
            )
        };
        let organization = rng.pick(ORGANIZATIONS);
        let country = rng.pick(COUNTRIES);
        let _ = writeln!(
            out,
            "A{badge:07},{},{},{},{profession},{},{},{}",
            field(first),
            field(last),
            field(degree),
            field(&email),
            field(organization),
            field(country)
        );
    }
    out
}

/// A CSV field, quoted when it holds a comma or a quote.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The ASCII letters of a name, lower case, for an email's local part.
fn ascii_part(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if t.is_empty() { "x".into() } else { t }
}
