//! Uploading to the hub: a certificate served after one upload and nothing
//! changed by a repeat, refused tokens and events, an upload cut off by a hub
//! restart, two kiosks uploading the same claims at once, a rejection
//! the kiosk learns of only at its next sync, and held claims worked out
//! after the uploads in flight.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{Hub, KioskDb, TOKEN, cluster, db_name, get, get_auth, ok};
use crate::{common, hub_import, not_uploaded, outbox_len, visit};

#[test]
fn upload_serves_the_certificate_and_a_repeat_changes_nothing() {
    let pg = cluster();
    let name = db_name("upload");
    let hub = Hub::start(&pg.database(&name));
    let k = KioskDb::new();
    let cert = visit(
        &k,
        "A0012345",
        "AMA",
        &[("S008", 4), ("S009", 6), ("S010", 2)],
    );
    let records = outbox_len(&k);
    let text = ok(&k.sync(&hub.url, &[]));
    assert!(
        text.contains(&format!("uploaded {records} records")),
        "{text}"
    );
    assert_eq!(not_uploaded(&k), 0);
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        records.to_string()
    );
    // The kiosk's own timestamps are kept beside the hub's receive time.
    let kiosk_time: String = k
        .sqlite()
        .query_row("SELECT claimed_at FROM claims LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        pg.query(
            &name,
            &format!("SELECT count(*) FROM claims WHERE claimed_at = '{kiosk_time}'")
        ),
        "3"
    );

    // The certificate page and the PDF.
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200);
    for text in [
        "Amelia Okafor",
        "MD",
        "Oncology Annual Meeting 2026",
        "November 23–27, 2026",
        "McCormick Place",
        "AMA PRA Category 1 Credits™",
        "jointly accredited",
        &cert,
    ] {
        assert!(page.contains(text), "{text} missing from the page");
    }
    // S008 09:00–10:00 and S009 09:00–10:30 overlap; S010 09:00–09:45 too:
    // 12 quarters claimed, 1.5 hours of wall clock.
    assert!(page.contains("1.5 credits"), "{page}");
    let pdf = ureq::get(&format!("{}/c/{cert}.pdf", hub.url))
        .call()
        .unwrap()
        .body_mut()
        .read_to_vec()
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "c.pdf", "");
    std::fs::write(&file, &pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext is needed (poppler-utils; .ci/run installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    for t in [
        "Amelia Okafor",
        "AMA PRA Category 1 Credits™",
        "1.5 credits",
        "jointly accredited",
        &cert,
    ] {
        assert!(text.contains(t), "{t} missing from the PDF: {text}");
    }
    // The page and the PDF say the same things in the same order.
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    // On the page, what is shown: from <main> on (the <title> repeats the
    // activity).
    let shown = page.split_once("<main>").map_or(page.as_str(), |(_, m)| m);
    let (page, text) = (flat(shown), flat(&text));
    let order = [
        "Amelia Okafor",
        "Oncology Annual Meeting 2026",
        "AMA PRA Category 1 Credits™",
        "jointly accredited",
        &cert,
    ];
    for pair in order.windows(2) {
        for (what, doc) in [("page", &page), ("PDF", &text)] {
            let at = |t: &str| {
                doc.find(t)
                    .unwrap_or_else(|| panic!("{t} not in the {what}"))
            };
            assert!(
                at(pair[0]) < at(pair[1]),
                "{pair:?} out of order in the {what}"
            );
        }
    }

    // A second sync sends nothing and changes no row.
    let text = ok(&k.sync(&hub.url, &[]));
    assert!(text.contains("uploaded 0 records"), "{text}");
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        records.to_string()
    );
    assert_eq!(pg.query(&name, "SELECT count(*) FROM claims"), "3");

    // An id the hub does not know gets the friendly page.
    let (status, page) = get(&format!("{}/c/AAAAAAAAAAAAAAAAAAAAAA", hub.url));
    assert_eq!(status, 404);
    assert!(page.contains("on its way"));
    let (status, _) = get(&format!("{}/healthz", hub.url));
    assert_eq!(status, 200);
}

#[test]
fn wrong_token_and_wrong_event_are_refused_with_a_reason() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("refuse")));
    let k = KioskDb::new();
    visit(&k, "A0012345", "AMA", &[("S008", 4)]);
    let out = k.sync(&hub.url, &[("CEKIOSK_SYNC_TOKEN", "not-the-token")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("401") && err.contains("CEKIOSK_SYNC_TOKEN"),
        "{err}"
    );
    assert!(not_uploaded(&k) > 0, "nothing counts as uploaded");

    // A kiosk configured for another event.
    let other = tempfile::tempdir().unwrap();
    for f in ["event.toml", "attendees.csv", "sessions.csv"] {
        std::fs::copy(common::config_dir().join(f), other.path().join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(other.path().join("event.toml"))
        .unwrap()
        .replace("id = \"ONC2026\"", "id = \"ONC2027\"");
    std::fs::write(other.path().join("event.toml"), toml).unwrap();
    let out = Command::new(common::bin())
        .arg("--config")
        .arg(other.path())
        .arg("--db")
        .arg(k.db())
        .args(["sync", "--hub", &hub.url])
        .env("CEKIOSK_SYNC_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("serves event 'ONC2026'") && err.contains("'ONC2027'"),
        "{err}"
    );
    // No hub at all: a clear reason, quickly.
    let out = k.sync(&format!("http://127.0.0.1:{}", common::free_port()), &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach the hub"));
}

#[test]
fn an_upload_cut_off_by_a_hub_restart_ends_exact() {
    let pg = cluster();
    let name = db_name("restart");
    let url = pg.database(&name);
    let k = KioskDb::new();
    // Enough records for several pages.
    let badges = k.badges();
    let rounds: [&[(&str, u32)]; 3] = [
        &[("S008", 4), ("S015", 4), ("S002", 5)],
        &[("S001", 4), ("S009", 4), ("S011", 4)],
        &[("S004", 4), ("S005", 4), ("S007", 3)],
    ];
    for claims in rounds {
        for b in &badges {
            visit(&k, b, "AMA", claims);
        }
    }
    let total = outbox_len(&k);
    let page = cekiosk::sync::protocol::PAGE as i64;
    assert!(total > 2 * page, "{total} records, pages of {page}");
    let port = common::free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut hub = Hub::start_at(&url, &listen, &[]);
    // Start the sync, then kill the hub under it.
    let child = k
        .cmd(&[])
        .args(["sync", "--hub", &hub.url])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the hub as soon as the first page has landed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while pg.query(&name, "SELECT count(*) FROM records") == "0"
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    hub.kill();
    let out = child.wait_with_output().unwrap();
    let partial: i64 = pg
        .query(&name, "SELECT count(*) FROM records")
        .parse()
        .unwrap();
    eprintln!(
        "hub killed with {partial} of {total} records in; sync ok: {}",
        out.status.success()
    );
    if out.status.success() {
        // The sync beat the kill; then everything must be there.
        assert_eq!(partial, total);
    } else {
        assert!(String::from_utf8_lossy(&out.stderr).contains("did not finish"));
    }
    // The hub comes back (same database, same port); sync again.
    let hub = Hub::start_at(&url, &listen, &[]);
    ok(&k.sync(&hub.url, &[]));
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        total.to_string()
    );
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM claims"),
        (badges.len() * 9).to_string()
    );
    assert_eq!(
        pg.query(&name, "SELECT high_seq FROM devices"),
        total.to_string()
    );
    assert_eq!(not_uploaded(&k), 0);
}

/// Two kiosks uploading the same attendees' same sessions at the same
/// moment: every pair ends with exactly one claim that counts.
#[test]
fn simultaneous_uploads_of_the_same_claims_count_each_once() {
    let pg = cluster();
    let name = db_name("simul");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let badges = a.badges();
    for k in [&a, &b] {
        for badge in &badges {
            visit(k, badge, "AMA", &[("S008", 4)]);
        }
    }
    let start = |k: &KioskDb| k.cmd(&[]).args(["sync", "--hub", &hub.url]).output();
    let (ra, rb) = std::thread::scope(|s| {
        let ta = s.spawn(|| start(&a).unwrap());
        let tb = s.spawn(|| start(&b).unwrap());
        (ta.join().unwrap(), tb.join().unwrap())
    });
    ok(&ra);
    ok(&rb);
    let n = badges.len();
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM claims"),
        (2 * n).to_string()
    );
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM (SELECT badge_id FROM claims WHERE duplicate_of IS NULL GROUP BY badge_id, session_id HAVING count(*) <> 1) x"),
        "0",
        "a pair counted twice (or not at all)"
    );
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        n.to_string()
    );
}

/// A record the hub rejected while the kiosk was not listening (its
/// records came by hand) is marked rejected at the kiosk, with the reason,
/// at the kiosk's next sync: not taken as uploaded.
#[test]
fn a_rejection_the_kiosk_never_heard_reaches_it_at_the_next_sync() {
    let pg = cluster();
    let name = db_name("unheard");
    let url = pg.database(&name);
    let k = KioskDb::new();
    let dir = tempfile::tempdir().unwrap();
    visit(&k, "A0012345", "AMA", &[("S015", 4), ("S008", 4)]);
    // A record the hub cannot read (written by a kiosk with a fault): a
    // claim of no credit at all.
    k.sqlite()
        .execute(
            "UPDATE outbox SET payload = json_set(payload, '$.credits_q', 0)
             WHERE kind = 'claim' AND payload->>'session_id' = 'S015'",
            [],
        )
        .unwrap();
    let file = dir.path().join("bundle.json");
    ok(&k.cmd(&[]).arg("export").arg(&file).output().unwrap());
    ok(&hub_import(&file, &url));
    let hub = Hub::start(&url);
    let out = ok(&k.sync(&hub.url, &[]));
    assert!(out.contains("uploaded 0 records"), "{out}");
    let rejected: Vec<(String, String)> = {
        let c = k.sqlite();
        let mut s = c
            .prepare("SELECT kind, rejected FROM outbox WHERE rejected IS NOT NULL")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        rejected,
        vec![(
            "claim".to_string(),
            "credits_q 0 is not a claim".to_string()
        )]
    );
    assert_eq!(not_uploaded(&k), 0);
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM records WHERE rejected IS NOT NULL"
        ),
        "1"
    );
}

/// Uploads first: while another kiosk's page is being taken, a kiosk's
/// question about its held claims waits for it when the kiosk allows it
/// (`?wait=N`, as a sync asks after its upload), so the records in flight
/// are at the hub before the held claims are worked out; asked without
/// it (a script, an older kiosk), the answer comes at once.
#[test]
fn held_claims_wait_for_the_uploads_being_taken_when_the_kiosk_allows_it() {
    let pg = cluster();
    let name = db_name("uploadsfirst");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let badges = a.badges();
    visit(&a, &badges[0], "AMA", &[("S008", 4)]);
    visit(&b, &badges[1], "AMA", &[("S008", 4)]);
    ok(&a.sync(&hub.url, &[]));
    ok(&b.sync(&hub.url, &[]));
    visit(&a, &badges[2], "AMA", &[("S015", 4)]);
    let device_a = a.device_id();
    let records_of_a = format!("SELECT count(*) FROM records WHERE device_id = '{device_a}'");
    let before: usize = pg.query(&name, &records_of_a).parse().unwrap();
    let state = format!("{}/api/v1/devices/{}", hub.url, b.device_id());
    std::thread::scope(|s| {
        // Another session keeps the records table from being written for
        // 4 s: kiosk A's next page waits at the hub, in flight.
        let lock = s.spawn(|| {
            pg.query(
                &name,
                "BEGIN; LOCK TABLE records IN SHARE MODE; SELECT pg_sleep(4); COMMIT;",
            )
        });
        // Until `records` has a lock on it such as `which`: the lock taken,
        // then kiosk A's page waiting behind it.
        let until_records_lock = |which: &str, what: &str| {
            let deadline = Instant::now() + Duration::from_secs(10);
            let sql = format!(
                "SELECT count(*) FROM pg_locks WHERE relation = 'records'::regclass AND {which}"
            );
            while pg.query(&name, &sql) == "0" {
                assert!(Instant::now() < deadline, "{what}");
                std::thread::sleep(Duration::from_millis(20));
            }
        };
        until_records_lock(
            "granted AND mode = 'ShareLock'",
            "the records table was never locked",
        );
        let upload = s.spawn(|| a.sync(&hub.url, &[]));
        until_records_lock("NOT granted", "kiosk A's page never reached the hub");
        let t = Instant::now();
        let (code, body) = get_auth(&state, TOKEN);
        let at_once = t.elapsed();
        assert_eq!(code, 200, "{body}");
        assert_eq!(pg.query(&name, &records_of_a), before.to_string());
        let t = Instant::now();
        let (code, body) = get_auth(&format!("{state}?wait=5"), TOKEN);
        let waited = t.elapsed();
        assert_eq!(code, 200, "{body}");
        let after: usize = pg.query(&name, &records_of_a).parse().unwrap();
        assert!(
            after > before,
            "the held claims were answered while kiosk A's page was still in flight"
        );
        assert!(
            at_once < Duration::from_secs(2) && waited > at_once,
            "without wait {at_once:?}, with it {waited:?}"
        );
        lock.join().unwrap();
        ok(&upload.join().unwrap());
    });
    a.assert_at_hub_once(&name);
}
