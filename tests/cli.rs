//! The commands as a script or a staff member runs them: imports, status,
//! hash-pin, and the messages for bad files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cekiosk"))
}

fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

struct Kiosk {
    dir: tempfile::TempDir,
}

impl Kiosk {
    fn new() -> Self {
        Kiosk {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("k.db")
    }
    fn file(&self, name: &str, body: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p
    }
    /// The binary on this kiosk's database, for a command that also sets
    /// some environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut c = bin();
        c.arg("--config")
            .arg(config_dir())
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("CEKIOSK_KIOSK_ID");
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
    fn import(&self, what: &str, file: &Path) -> Output {
        self.run(&["import", what, file.to_str().unwrap()])
    }
    fn count(&self, table: &str) -> i64 {
        if !self.db().exists() {
            return 0;
        }
        let c = rusqlite::Connection::open(self.db()).unwrap();
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }
    fn status(&self) -> serde_json::Value {
        let out = self.run(&["status", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const ATTENDEES: &str = "badge_id,first_name,last_name,degree,profession,email\n\
A1,Zoë,Ñúñez,MD,physician,zoe@example.org\n\
A2,王,芳,RN,nurse,wang@example.org\n";

#[test]
fn attendees_import_any_column_order_bom_crlf_and_update_by_id() {
    let k = Kiosk::new();
    let body = "\u{feff}email,profession,extra,last_name,first_name,degree,badge_id\r\n\
                zoe@example.org,physician,x,Núñez,Zoë,MD,A1\r\n\
                \"o'brien@example.org\",nurse,,O'Brien,Siobhán,\"RN, BSN\",A2\r\n";
    let f = k.file("a.csv", body);
    let out = k.import("attendees", &f);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 attendees imported (2 new, 0 updated)")
    );
    assert_eq!(k.count("attendees"), 2);
    // Re-import with a changed degree: updated in place, not duplicated.
    let f2 = k.file("b.csv", "badge_id,first_name,last_name,degree,profession,email\nA2,Siobhán,O'Brien,NP,nurse,s@example.org\n");
    let out = k.import("attendees", &f2);
    assert!(String::from_utf8_lossy(&out.stdout).contains("(0 new, 1 updated)"));
    assert_eq!(k.count("attendees"), 2);
    let c = rusqlite::Connection::open(k.db()).unwrap();
    let (degree, first): (String, String) = c
        .query_row(
            "SELECT degree, first_name FROM attendees WHERE badge_id='A2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((degree.as_str(), first.as_str()), ("NP", "Siobhán"));
}

/// Each bad file is refused with FILE:LINE and what is wrong, and nothing
/// is written: not even the good rows before the bad one.
#[test]
fn bad_attendee_rows_are_refused_whole() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "A3,Ann,Lee,MD,doctor,a@example.org",
            ":4: profession 'doctor' is not one of physician",
            "unknown profession",
        ),
        (
            "A1,Ann,Lee,MD,physician,a@example.org",
            ":4: badge_id 'A1' is already on line 2",
            "duplicate",
        ),
        (
            ",Ann,Lee,MD,physician,a@example.org",
            ":4: badge_id is empty",
            "empty id",
        ),
        (
            "A3,Ann,Lee,MD,physician,not-an-email",
            ":4: email 'not-an-email'",
            "email",
        ),
    ];
    for (row, expected, what) in cases {
        let k = Kiosk::new();
        let f = k.file("a.csv", &format!("{ATTENDEES}{row}\n"));
        let out = k.import("attendees", &f);
        assert!(!out.status.success(), "{what}: accepted");
        let err = stderr(&out);
        assert!(err.contains(&format!("a.csv{expected}")), "{what}: {err}");
        assert_eq!(k.count("attendees"), 0, "{what}: rows were written");
    }
    let k = Kiosk::new();
    let f = k.file(
        "a.csv",
        "badge_id,first_name,last_name,degree,email\nA1,A,B,MD,a@example.org\n",
    );
    let err = stderr(&k.import("attendees", &f));
    assert!(
        err.contains("a.csv:1: missing required column profession"),
        "{err}"
    );
    let f = k.file(
        "bad.csv",
        "badge_id,first_name,last_name,degree,profession,email\n\"A1,unterminated\n",
    );
    let out = k.import("attendees", &f);
    assert!(!out.status.success());
    let err = stderr(&k.import("attendees", Path::new("/nonexistent/x.csv")));
    assert!(err.contains("/nonexistent/x.csv: cannot read"), "{err}");
}

const SESSIONS_HEAD: &str = "session_id,title,starts_at,ends_at,credits,credit_types,track,room,acpe_uan\n\
S1,\"Lung, Part 1\",2026-11-23T08:00,2026-11-23T09:15,1.25,AMA;ANCC,Lung,S100,\n";

#[test]
fn sessions_import_and_each_bad_row_is_named() {
    let k = Kiosk::new();
    let f = k.file("s.csv", SESSIONS_HEAD);
    let out = k.import("sessions", &f);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(k.count("sessions"), 1);

    let cases: &[(&str, &str)] = &[
        (
            "S2,T,2026-11-23 08:00,2026-11-23T09:00,1,AMA,,,",
            ":3: starts_at: '2026-11-23 08:00' is not a time",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T25:00,1,AMA,,,",
            ":3: ends_at:",
        ),
        (
            "S2,T,2026-11-23T09:00,2026-11-23T08:00,1,AMA,,,",
            ":3: ends_at 2026-11-23T08:00:00 is not after starts_at",
        ),
        (
            "S2,T,2026-12-01T08:00,2026-12-01T09:00,1,AMA,,,",
            ":3: starts_at 2026-12-01T08:00:00 is outside the event's dates",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T09:00,1.3,AMA,,,",
            ":3: credits '1.3' is not a multiple of 0.25",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T09:00,2,AMA,,,",
            ":3: credits 2 are more than the session's length",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T09:00,1,AMA;CME,,,",
            ":3: credit type 'CME' is not one of",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T09:00,1,AMA;COP,,,",
            ":3: credit type 'COP' is not one a session lists",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T09:00,1,,,,",
            ":3: credit_types is empty",
        ),
        (
            "S1,T,2026-11-23T08:00,2026-11-23T09:00,1,AMA,,,",
            ":3: session_id 'S1' is already on line 2",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T09:00,1,ACPE,,,JA1-0000-26-001-L01-X",
            ":3: acpe_uan 'JA1-0000-26-001-L01-X'",
        ),
        (
            "S2,T,2026-11-23T08:00,2026-11-23T09:00,1,ANCC;MOC,,,",
            ":3: credit_types lists MOC without AMA",
        ),
    ];
    for (row, expected) in cases {
        let k = Kiosk::new();
        let f = k.file("s.csv", &format!("{SESSIONS_HEAD}{row}\n"));
        let out = k.import("sessions", &f);
        assert!(!out.status.success(), "{row}: accepted");
        let err = stderr(&out);
        assert!(err.contains(&format!("s.csv{expected}")), "{row}: {err}");
        assert_eq!(k.count("sessions"), 0, "{row}: rows were written");
    }
}

#[test]
fn first_run_loads_the_demo_and_status_counts_it() {
    let k = Kiosk::new();
    // Before anything exists, status says so rather than creating a database.
    let out = k.run(&["status"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no database"));
    assert!(!k.db().exists());

    // Without a terminal the kiosk cannot draw, and says so; the first-run
    // import has happened all the same.
    let out = k.run(&["run", "--now", "2026-11-25T12:00"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("needs a terminal"),
        "{}",
        stderr(&out)
    );
    let s = k.status();
    let demo_attendees = std::fs::read_to_string(config_dir().join("attendees.csv")).unwrap();
    let demo_sessions = std::fs::read_to_string(config_dir().join("sessions.csv")).unwrap();
    let rows = |t: &str| csv::Reader::from_reader(t.as_bytes()).records().count() as i64;
    assert_eq!(s["attendees"], rows(&demo_attendees));
    assert_eq!(s["sessions"], rows(&demo_sessions));
    assert_eq!(s["claims"], 0);
    assert_eq!(s["kiosk_id"], "K01");
    assert_eq!(s["device_id"].as_str().unwrap().len(), 22);
    // The device id is stable across runs.
    assert_eq!(k.status()["device_id"], s["device_id"]);
    // The log went to a file beside the database.
    assert!(k.dir.path().join("k.log").exists());
}

#[test]
fn environment_overrides_reach_the_commands() {
    let k = Kiosk::new();
    let f = k.file("a.csv", ATTENDEES);
    assert!(k.import("attendees", &f).status.success());
    let out = k
        .command(&["status", "--json"])
        .env("CEKIOSK_KIOSK_ID", "K07")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kiosk_id"], "K07");
}

#[test]
fn a_wrong_config_is_named() {
    let k = Kiosk::new();
    let cfg = k.dir.path().join("cfg");
    std::fs::create_dir(&cfg).unwrap();
    let text = std::fs::read_to_string(config_dir().join("event.toml")).unwrap();
    std::fs::write(
        cfg.join("event.toml"),
        text.replace("America/Chicago", "Chicago"),
    )
    .unwrap();
    let out = bin()
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "--db",
            k.db().to_str().unwrap(),
            "status",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("event.toml: [event] timezone: 'Chicago' is not a known IANA time zone"),
        "{err}"
    );
}

#[test]
fn hash_pin_reads_standard_input() {
    let mut child = bin()
        .arg("hash-pin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"2468\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap();
    assert!(cekiosk::domain::pin::verify("2468", hash.trim()));
    assert!(!cekiosk::domain::pin::verify("1357", hash.trim()));
}

#[test]
fn check_reports_what_a_new_machine_lacks() {
    let k = Kiosk::new();
    let out = k.run(&["check"]);
    assert!(!out.status.success(), "an empty kiosk is not ready");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ok    config"), "{text}");
    assert!(text.contains("FAIL  roster"), "{text}");
    assert!(text.contains("FAIL  catalog"), "{text}");
    let a = k.file("a.csv", ATTENDEES);
    let s = k.file("s.csv", SESSIONS_HEAD);
    assert!(k.import("attendees", &a).status.success());
    assert!(k.import("sessions", &s).status.success());
    let out = k
        .command(&["check"])
        .env("CEKIOSK_SYNC_HUB_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("ok    roster     2 attendees"), "{text}");
    assert!(text.contains("ok    catalog    1 sessions"), "{text}");
    assert!(
        text.contains("warn  hub        http://127.0.0.1:9 not reachable"),
        "{text}"
    );
    // Speech and large text: each offered language's voice, and what F5
    // needs of the terminal.
    assert!(
        text.contains("warn  large text F5 asks the terminal for 39 pt"),
        "{text}"
    );
    let espeak = Command::new("espeak-ng").arg("--version").output();
    if espeak.is_ok_and(|o| o.status.success()) {
        let out = k
            .command(&["check"])
            .env("CEKIOSK_KIOSK_LANGUAGES", "en,es,ja")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("ok    speech     en: espeak-ng voice en-us"),
            "{text}"
        );
        assert!(
            text.contains("ok    speech     es: espeak-ng voice es"),
            "{text}"
        );
        assert!(
            text.contains("warn  speech     ja: espeak-ng's ja voice reads only part of it"),
            "{text}"
        );
    }
    // A malformed PIN hash is refused by check and by the kiosk itself.
    let out = k
        .command(&["check"])
        .env("CEKIOSK_KIOSK_STAFF_PIN_HASH", "2468")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL  staff PIN"));
    let out = k
        .command(&["run"])
        .env("CEKIOSK_KIOSK_STAFF_PIN_HASH", "2468")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("staff_pin_hash is not an Argon2 hash"),
        "{}",
        stderr(&out)
    );
}

/// A certificate QR code has to scan at 80×24 (a version-4 code with its
/// quiet zone): a `url_base` too long for that is refused before the first
/// attendee, by `check` and by the kiosk itself, naming both lengths.
#[test]
fn a_url_base_too_long_for_the_qr_is_refused_at_start() {
    let k = Kiosk::new();
    let long = format!("https://certificates.{}.example.org/c/", "x".repeat(30));
    assert!(long.len() > 56);
    let out = k
        .command(&["run"])
        .env("CEKIOSK_CERTIFICATE_URL_BASE", &long)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("[certificate] url_base"), "{err}");
    assert!(err.contains(&format!("is {} bytes", long.len())), "{err}");
    assert!(err.contains("80×24"), "{err}");
    assert!(
        !k.db().exists(),
        "nothing is created for a kiosk that cannot start"
    );
    let out = k
        .command(&["check"])
        .env("CEKIOSK_CERTIFICATE_URL_BASE", &long)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL  QR code"));
    // A real deployment's base within the demo's summary budget (37
    // bytes) is taken, and so is a longer one that leaves room for a plain
    // id (up to 56): the kiosk goes on to ask for a terminal.
    for fits in [
        "https://cme.oncology-meeting.org/c/",
        "https://certificates.oncology-meeting-2026.org/c/",
    ] {
        assert!(fits.len() <= 56);
        let out = k
            .command(&["run"])
            .env("CEKIOSK_CERTIFICATE_URL_BASE", fits)
            .output()
            .unwrap();
        assert!(
            stderr(&out).contains("needs a terminal"),
            "{}",
            stderr(&out)
        );
    }
    let out = k
        .command(&["check"])
        .env(
            "CEKIOSK_CERTIFICATE_URL_BASE",
            "https://certificates.oncology-meeting-2026.org/c/",
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warn  QR code") && text.contains("plain"),
        "{text}"
    );
}

#[test]
fn a_damaged_database_is_refused_and_left_untouched() {
    let k = Kiosk::new();
    let f = k.file("a.csv", ATTENDEES);
    assert!(k.import("attendees", &f).status.success());
    // Checkpoint the WAL into the main file, then damage it.
    {
        let c = rusqlite::Connection::open(k.db()).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let mut bytes = std::fs::read(k.db()).unwrap();
    assert!(bytes.len() >= 3 * 4096, "{}", bytes.len());
    // Every page after the schema: the tables' b-trees are garbage.
    let len = bytes.len();
    for b in &mut bytes[4096..len] {
        *b = 0x5a;
    }
    std::fs::write(k.db(), &bytes).unwrap();
    for args in [vec!["status"], vec!["run"], vec!["check"]] {
        let out = k.run(&args);
        assert!(
            !out.status.success(),
            "{args:?} accepted a damaged database"
        );
        let text = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
        assert!(
            text.contains("is damaged") && text.contains("It has not been changed"),
            "{args:?}: {text}"
        );
    }
    assert_eq!(
        std::fs::read(k.db()).unwrap(),
        bytes,
        "the damaged file was written to"
    );
}

#[test]
fn backup_makes_a_consistent_copy_and_never_overwrites() {
    let k = Kiosk::new();
    let f = k.file("a.csv", ATTENDEES);
    assert!(k.import("attendees", &f).status.success());
    let copy = k.dir.path().join("usb").join("kiosk-copy.db");
    std::fs::create_dir(copy.parent().unwrap()).unwrap();
    let out = k.run(&["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 attendees"));
    let c = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM attendees", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let out = k.run(&["backup", copy.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
}

/// Windows line ends (what Excel writes), old Mac ones, and blank lines
/// before the header: the line named is the bad row's own.
#[test]
fn line_numbers_are_right_whatever_the_line_ends() {
    let rows = [
        "badge_id,first_name,last_name,degree,profession,email",
        "A1,Ann,Lee,MD,physician,",
        "A2,Bo,Lee,MD,doctor,",
    ];
    for (name, sep) in [("crlf", "\r\n"), ("cr", "\r"), ("lf", "\n")] {
        let k = Kiosk::new();
        let f = k.file(&format!("{name}.csv"), &(rows.join(sep) + sep));
        let err = stderr(&k.import("attendees", &f));
        assert!(
            err.contains(&format!("{name}.csv:3: profession 'doctor'")),
            "{name}: {err}"
        );
    }
    let k = Kiosk::new();
    let f = k.file("blank.csv", "\r\n\r\nbadge_id,first_name\r\nA1,Ann\r\n");
    let err = stderr(&k.import("attendees", &f));
    assert!(
        err.contains("blank.csv:3: missing required columns"),
        "{err}"
    );
    // A value with a line break in it stays on the problem's one line.
    let f = k.file("nl.csv", "badge_id,first_name,last_name,degree,profession,email\nA1,Ann,Lee,MD,\"doc\ntor\u{1b}[2J\",\nA2,Bo,Lee,MD,nurse,\n");
    let err = stderr(&k.import("attendees", &f));
    assert!(
        err.contains("nl.csv:2: profession 'doc\\ntor\\u{1b}[2J'"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'));
}

/// `cekiosk check` says, for each language offered, what its attendees
/// would read in English for want of a translation.
#[test]
fn check_lists_the_event_text_each_language_lacks() {
    let k = Kiosk::new();
    let config = k.dir.path().join("event");
    std::fs::create_dir(&config).unwrap();
    for name in ["event.toml", "event.es.toml"] {
        std::fs::copy(config_dir().join(name), config.join(name)).unwrap();
    }
    std::fs::write(
        config.join("event.ja.toml"),
        "[statements]\nattestation = \"誓約します。\"\n",
    )
    .unwrap();
    let out = bin()
        .arg("--config")
        .arg(&config)
        .arg("--db")
        .arg(k.db())
        .arg("check")
        .env("CEKIOSK_KIOSK_LANGUAGES", "en,es,ja,ko")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ok    language   es: the event's text is all in event.es.toml"),
        "{text}"
    );
    let ja = text
        .lines()
        .find(|l| l.contains(" ja: "))
        .expect("a line for ja");
    assert!(
        ja.starts_with("warn") && ja.contains("event.ja.toml"),
        "{ja}"
    );
    for item in [
        "[event] learning_objectives",
        "[credits.AMA] name",
        "[evaluation.fair] options",
    ] {
        assert!(ja.contains(item), "{item}: {ja}");
    }
    assert!(!ja.contains("attestation"), "{ja}");
    let ko = text
        .lines()
        .find(|l| l.contains(" ko: "))
        .expect("a line for ko");
    assert!(
        ko.contains("event.ko.toml (all of the event's text)"),
        "{ko}"
    );
    assert!(
        !text.contains(" fr: "),
        "only the languages offered: {text}"
    );
}
