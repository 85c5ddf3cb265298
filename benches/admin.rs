//! The CE office's pages under load: each page's p50 and p99 with 20
//! signed-in users asking at once, on a hub holding the sync bench's
//! 64,000 records.
//!
//! `cargo bench --bench admin` starts a throwaway PostgreSQL cluster and
//! the real hub binary (tests/common), builds the sync bench's 20 kiosk
//! databases of 2,000 claims each (benches/common/fleet.rs), syncs them all
//! to the hub, adds an account and signs it in 20 times (20 sessions).
//! Then, page by page, 20 threads each ask for the page `ROUNDS` times in
//! a row with their own session cookie, over HTTP on loopback; every
//! answer must be 200 and the page itself. The overview and deadlines read
//! every claim, so the hub works their figures out at most every 20 s and
//! shares them: the time of one such working-out (the first request after
//! the figures were cleared by a void) is printed beside them.
//!
//! Each figure is one line starting `admin:`:
//!
//! ```text
//! admin: /admin/kiosks under 20 signed-in users: p50 … ms, p99 … ms over … requests (target p99 <= 100 ms): meets target
//! ```
//!
//! Run without `--bench` (as `cargo test --benches` does) it only checks,
//! on three small kiosks, that every page answers.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "common/figures.rs"]
mod figures;
#[path = "common/fleet.rs"]
mod fleet;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use figures::{loadavg, ms, pct, verdict};
use fleet::build_kiosks;

const USERS: usize = 20;
const ROUNDS: usize = 25;
const TARGET_P99_MS: f64 = 100.0;
const PASSWORD: &str = "a long bench password";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// Signs in once; the session cookie's value.
fn sign_in(hub: &str) -> String {
    let r = agent()
        .post(&format!("{hub}/admin/sign-in"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(format!(
            "user=bench&password={}",
            PASSWORD.replace(' ', "+")
        ))
        .expect("signing in");
    assert_eq!(r.status().as_u16(), 303, "sign-in refused");
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie");
    cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_string())
        .expect("cookie=value")
}

/// One signed-in request: how long it took; the page must be the page.
fn ask(agent: &ureq::Agent, url: &str, cookie: &str, want: &str) -> Duration {
    let start = Instant::now();
    let mut r = agent
        .get(url)
        .header("Cookie", &format!("cekiosk_session={cookie}"))
        .call()
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let body = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap_or_default();
    let took = start.elapsed();
    assert_eq!(r.status().as_u16(), 200, "{url}: {body}");
    assert!(body.contains(want), "{url} lacks {want}");
    took
}

/// A query value, percent-encoded.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (kiosks, visits, rounds) = if full { (20, 400, ROUNDS) } else { (3, 20, 2) };
    let config_dir = common::config_dir();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cluster = common::cluster();
    let start = Instant::now();
    let built = build_kiosks(&config_dir, dir.path(), kiosks, visits);
    let records: usize = built.iter().map(|k| k.records).sum();
    println!(
        "admin: built {kiosks} kiosk databases ({records} records) in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let hub = common::Hub::start(&cluster.database(&common::db_name("admin")));
    let start = Instant::now();
    let syncs: Vec<_> = built
        .iter()
        .map(|k| {
            fleet::sync_command(&config_dir, &k.db, &k.kiosk_id, &hub.url)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("starting cekiosk sync")
        })
        .collect();
    for s in syncs {
        let out = s.wait_with_output().expect("waiting for cekiosk sync");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let db = hub.database.rsplit('/').next().unwrap_or_default();
    let held: usize = cluster
        .query(db, "SELECT count(*) FROM records")
        .parse()
        .expect("a count");
    assert_eq!(held, records, "every record at the hub");
    println!(
        "admin: the hub holds {held} records after {:.1} s of syncing",
        start.elapsed().as_secs_f64()
    );

    let mut add = Command::new(common::bin())
        .arg("--config")
        .arg(&config_dir)
        .args(["hub", "add-user", "bench", "--database", &hub.database])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("cekiosk hub add-user");
    writeln!(add.stdin.take().expect("stdin"), "{PASSWORD}").expect("the password");
    assert!(add.wait().expect("add-user").success());
    let cookies: Vec<String> = (0..USERS).map(|_| sign_in(&hub.url)).collect();

    // An attendee with claims, found by name (a list) and by badge (their page).
    let badge = cluster.query(
        db,
        "SELECT badge_id FROM claims GROUP BY badge_id ORDER BY count(*) DESC, badge_id LIMIT 1",
    );
    let last_name = cluster.query(
        db,
        &format!("SELECT last_name FROM attendees WHERE badge_id = '{badge}'"),
    );
    println!(
        "admin: the attendee page is {badge}'s, the attendee with the most claims at the hub ({})",
        cluster.query(
            db,
            &format!("SELECT count(*) FROM claims WHERE badge_id = '{badge}'")
        )
    );
    let pages: Vec<(String, &str)> = vec![
        ("/admin".into(), "Attendees with credit"),
        ("/admin/kiosks".into(), "Last contact"),
        (
            format!("/admin/attendees?q={}", encode(&last_name)),
            "Attendees",
        ),
        (format!("/admin/attendees?q={badge}"), "Claims per session"),
        ("/admin/held".into(), "held"),
        ("/admin/deadlines".into(), "CPE Monitor"),
        ("/admin/reports".into(), "credits.csv"),
        ("/admin/audit".into(), "sign-in"),
    ];
    // One working-out of the shared figures, timed alone.
    let cold = ask(
        &agent(),
        &format!("{}/admin", hub.url),
        &cookies[0],
        "Overview",
    );
    println!(
        "admin: the overview's and deadlines' figures over {held} records, worked out once (then shared for 20 s): {:.0} ms",
        ms(cold)
    );
    let mut worst = 0.0_f64;
    for (path, want) in &pages {
        let url = format!("{}{path}", hub.url);
        ask(&agent(), &url, &cookies[0], want);
        let times: Vec<Duration> = std::thread::scope(|s| {
            let handles: Vec<_> = cookies
                .iter()
                .map(|c| {
                    let url = url.clone();
                    s.spawn(move || {
                        let agent = agent();
                        (0..rounds)
                            .map(|_| ask(&agent, &url, c, want))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a user thread"))
                .collect()
        });
        let (p50, p99) = (ms(pct(&times, 50.0)), ms(pct(&times, 99.0)));
        worst = worst.max(p99);
        if full {
            println!(
                "admin: {path} under {USERS} signed-in users: p50 {p50:.1} ms, p99 {p99:.1} ms over {} requests (target p99 <= {TARGET_P99_MS} ms): {}",
                times.len(),
                verdict(p99 <= TARGET_P99_MS)
            );
        }
    }
    if full {
        println!(
            "admin: worst p99 {worst:.1} ms (target <= {TARGET_P99_MS} ms): {}; load average {}",
            verdict(worst <= TARGET_P99_MS),
            loadavg()
        );
    } else {
        println!(
            "admin smoke test: every page answered {USERS} signed-in users on {held} records (run `cargo bench --bench admin` to time them)"
        );
    }
}
