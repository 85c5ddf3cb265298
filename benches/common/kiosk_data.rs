//! The kiosk bench's data: a large roster and catalog generated in the
//! shape of the demo files (drawn, deterministically, from their names,
//! titles, tracks and rooms), loaded with `cekiosk import` as staff load
//! them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cekiosk::config::Config;

pub struct Data {
    pub attendees_csv: PathBuf,
    pub sessions_csv: PathBuf,
    /// A physician's badge from the generated roster.
    pub physician: String,
}

/// A deterministic generator (SplitMix64), so every run loads the same data.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn percent(&mut self) -> u64 {
        self.next() % 100
    }
}

/// A roster and a catalog in the shape of the demo files, drawn from their
/// names, titles, tracks and rooms.
pub fn generate(config_dir: &Path, dir: &Path, attendees: usize, sessions: usize) -> Data {
    let config = Config::load(config_dir).expect("loading the demo config");
    let people = cekiosk::import::read_attendees(&config_dir.join("attendees.csv"))
        .expect("reading the demo roster");
    let talks = cekiosk::import::read_sessions(&config_dir.join("sessions.csv"), &config)
        .expect("reading the demo catalog");
    let mut rng = Rng(0x00C0_FFEE);

    let attendees_csv = dir.join("attendees.csv");
    let mut w = csv::Writer::from_path(&attendees_csv).expect("creating attendees.csv");
    w.write_record(cekiosk::import::ATTENDEE_COLUMNS)
        .expect("writing");
    let mut physician = None;
    for i in 0..attendees {
        // 7919 is prime, so i -> badge is one-to-one for i below 9,000,000.
        let badge = format!("A{:07}", 1_000_000 + (i as u64 * 7919) % 9_000_000);
        let who = &people[rng.below(people.len())];
        let last = &people[rng.below(people.len())].last_name;
        let email = if rng.percent() < 8 {
            String::new()
        } else {
            format!(
                "{}.{}{i}@example.org",
                ascii_part(&who.first_name),
                ascii_part(last)
            )
        };
        let profession = who.profession.as_str();
        if profession == "physician" && physician.is_none() && i > attendees / 2 {
            physician = Some(badge.clone());
        }
        w.write_record([
            badge.as_str(),
            &who.first_name,
            last,
            &who.degree,
            profession,
            &email,
        ])
        .expect("writing");
    }
    w.flush().expect("writing attendees.csv");

    let sessions_csv = dir.join("sessions.csv");
    let mut w = csv::Writer::from_path(&sessions_csv).expect("creating sessions.csv");
    w.write_record(cekiosk::import::SESSION_FILE_COLUMNS)
        .expect("writing");
    const KINDS: [&str; 6] = [
        "",
        "Update: ",
        "Case Discussion: ",
        "Debate: ",
        "Year in Review: ",
        "Poster Discussion: ",
    ];
    const MINUTES: [i64; 6] = [30, 45, 60, 60, 75, 90];
    let mut days = vec![config.event.start_date];
    while let Some(next) = days.last().and_then(|d| d.tomorrow().ok())
        && next <= config.event.end_date
    {
        days.push(next);
    }
    for i in 0..sessions {
        let talk = &talks[rng.below(talks.len())];
        let title = format!("{}{}", KINDS[rng.below(KINDS.len())], talk.title);
        let day = days[i % days.len()];
        let start = 7 * 60 + 15 * rng.below(44) as i64; // 07:00 to 17:45
        let minutes = MINUTES[rng.below(MINUTES.len())];
        let end = start + minutes;
        let most = minutes / 15; // quarters: one credit an hour at most
        let quarters = if rng.percent() < 85 {
            most
        } else {
            1 + rng.below(most as usize) as i64
        };
        let mut types = Vec::new();
        for (code, p) in [("AMA", 90), ("ANCC", 50), ("ACPE", 35), ("MOC", 20)] {
            if rng.percent() < p {
                types.push(code);
            }
        }
        // A session eligible for MOC is eligible for AMA (the import
        // refuses MOC alone); no draw is taken, so the rest of the
        // catalog is as before.
        if types.is_empty() || (types.contains(&"MOC") && !types.contains(&"AMA")) {
            types.insert(0, "AMA");
        }
        let uan = if types.contains(&"ACPE") {
            format!("JA0000534-0000-26-{:04}-L01-P", i + 1)
        } else {
            String::new()
        };
        let room = if rng.percent() < 70 {
            talk.room.clone()
        } else {
            format!(
                "S{}{}",
                100 + rng.below(60),
                ["a", "b", "c", "d"][rng.below(4)]
            )
        };
        let at = |m: i64| format!("{day}T{:02}:{:02}", m / 60, m % 60);
        w.write_record([
            format!("B{:05}", i + 1).as_str(),
            &title,
            &at(start),
            &at(end),
            &format_quarters(quarters),
            &types.join(";"),
            &talk.track,
            &room,
            &uan,
        ])
        .expect("writing");
    }
    w.flush().expect("writing sessions.csv");
    Data {
        attendees_csv,
        sessions_csv,
        physician: physician.expect("a physician in the roster"),
    }
}

pub fn format_quarters(q: i64) -> String {
    match q % 4 {
        0 => format!("{}", q / 4),
        r => format!("{}.{}", q / 4, ["", "25", "5", "75"][r as usize]),
    }
}

/// The ASCII letters of a name, lower case, for an email's local part.
pub fn ascii_part(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if t.is_empty() { "x".into() } else { t }
}

/// `cekiosk import WHAT FILE`, as staff run it; what it printed.
pub fn cekiosk_import(config_dir: &Path, db: &Path, what: &str, file: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cekiosk"))
        .arg("--config")
        .arg(config_dir)
        .arg("--db")
        .arg(db)
        .args(["import", what])
        .arg(file)
        .env_remove("CEKIOSK_LOG")
        .env_remove("EXP")
        .stdin(Stdio::null())
        .output()
        .expect("starting cekiosk");
    assert!(
        out.status.success(),
        "cekiosk import {what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
