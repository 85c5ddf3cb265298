//! Sync against a real hub: the release binary serving on a random loopback
//! port, on a throwaway PostgreSQL cluster. Kiosk databases are real SQLite
//! files driven through the library and the `cekiosk sync` command.
//!
//! One binary (linked once), with a file per subject: `upload` (uploads,
//! tokens, interrupted and simultaneous uploads, rejections), `kiosks`
//! (several kiosks meeting at the hub: duplicates, voids, walk-ins),
//! `bundles` (export bundles carried by hand), `hub_database` (a hub
//! database from an earlier schema or another server), `privacy` (reports
//! need the admin token, personal ids stay out of logs) and `browser` (the
//! certificate page in a real browser), `summary` (the page before the
//! upload, from what the id carries), `credential` (the Open Badges
//! credential, checked by PyJWT), `scans` (door scans imported at the
//! hub, ticked at the kiosk, flagged in the credits report), `admin_pages`
//! (the CE office's pages in a real browser, driven through `webdriver`),
//! `sign_in` (the office's sign-in throttled by client address, so guessing
//! cannot keep the office out), `two_hubs` (several hub processes on one
//! database). The helpers below
//! are shared.

mod admin_pages;
mod browser;
mod bundles;
#[path = "../common/mod.rs"]
mod common;
mod credential;
mod enrolment;
mod feed;
mod hub_database;
mod kiosks;
mod page_language;
mod privacy;
mod scans;
mod sign_in;
mod summary;
mod two_hubs;
mod upload;
#[path = "../common/webdriver.rs"]
mod webdriver;

use std::process::Command;

use cekiosk::domain::CodeSet;
use cekiosk::store::CreditChoices;
use common::{KioskDb, visit_as};

/// A committed visit: the claims, a complete evaluation, a certificate.
fn visit(k: &KioskDb, badge: &str, codes: &str, claims: &[(&str, u32)]) -> String {
    let profile = CreditChoices {
        codes: CodeSet::parse_list(codes).unwrap(),
        ..CreditChoices::default()
    };
    visit_as(k, badge, profile, claims)
}

/// A visit committed as the Attest screen commits it: the claims, a
/// complete evaluation, the certificate id's signed summary if any and the
/// language it was claimed in. Returns the certificate id.
fn commit_as_attest(
    k: &KioskDb,
    badge: &str,
    codes: &str,
    claims: &[(&str, u32)],
    summary: Option<cekiosk::store::SummaryKey>,
    language: Option<cekiosk::domain::lang::Lang>,
) -> String {
    use cekiosk::domain::ids::OsRandom;
    let mut store = cekiosk::store::Store::open(&k.db()).unwrap();
    let device = store.device_id(&mut OsRandom).unwrap();
    let answers = [
        ("objective_1", "Agree"),
        ("relevant", "Agree"),
        ("change", "Yes"),
        ("fair", "Yes"),
    ];
    store
        .commit_visit(
            &cekiosk::store::NewVisit {
                badge_id: badge.into(),
                kiosk_id: "K01".into(),
                device_id: device,
                profile: CreditChoices {
                    codes: CodeSet::parse_list(codes).unwrap(),
                    ..CreditChoices::default()
                },
                claims: claims.iter().map(|(s, q)| (s.to_string(), *q)).collect(),
                answers: answers
                    .iter()
                    .map(|(q, a)| (q.to_string(), a.to_string()))
                    .collect(),
                summary,
                language,
                mail_declined: false,
            },
            &mut OsRandom,
        )
        .unwrap()
        .certificate_id
}

fn outbox_len(k: &KioskDb) -> i64 {
    k.sqlite()
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .unwrap()
}

fn not_uploaded(k: &KioskDb) -> i64 {
    k.sqlite()
        .query_row(
            "SELECT count(*) FROM outbox WHERE uploaded_at IS NULL AND rejected IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// `cekiosk hub import FILE` into the database at `url`.
fn hub_import(file: &std::path::Path, url: &str) -> std::process::Output {
    Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .args(["hub", "import"])
        .arg(file)
        .args(["--database", url])
        // Rehearsal mode: the hub's side knows the fleet's shared secret
        // the kiosk signed its bundle with.
        .env("CEKIOSK_SYNC_TOKEN", common::TOKEN)
        .output()
        .unwrap()
}
