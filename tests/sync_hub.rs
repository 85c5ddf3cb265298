//! Sync against a real hub: the release binary serving on a random loopback
//! port, on a throwaway PostgreSQL cluster. Kiosk databases are real SQLite
//! files driven through the library and the `cekiosk sync` command.

mod common;

use std::process::Command;

use cekiosk::domain::CodeSet;
use cekiosk::domain::ids::OsRandom;
use cekiosk::store::{NewVisit, Profile, Store};
use common::{ADMIN, Hub, KioskDb, TOKEN, cluster, db_name, get, get_auth, ok, visit_as};

/// A committed visit: the claims, a complete evaluation, a certificate.
fn visit(k: &KioskDb, badge: &str, codes: &str, claims: &[(&str, u32)]) -> String {
    let profile = Profile {
        codes: CodeSet::parse_list(codes).unwrap(),
        ..Profile::default()
    };
    visit_as(k, badge, profile, claims)
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
fn reports_need_the_admin_token() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("reports")));
    let k = KioskDb::new();
    visit(&k, "A0012345", "AMA;MOC", &[("S009", 6)]);
    // A pharmacist with an e-Profile ID.
    {
        let mut store = Store::open(&k.db()).unwrap();
        let device = store.device_id(&mut OsRandom).unwrap();
        store
            .commit_visit(
                &NewVisit {
                    badge_id: "A0020001".into(),
                    kiosk_id: "K01".into(),
                    device_id: device,
                    profile: Profile {
                        codes: CodeSet::parse_list("ACPE").unwrap(),
                        epid: Some("1234567".into()),
                        birth_mmdd: Some("0314".into()),
                        pharm_role: Some("pharmacist".into()),
                        ..Profile::default()
                    },
                    claims: vec![("S002".into(), 5)],
                    answers: vec![("fair".into(), "Yes".into())],
                },
                &mut OsRandom,
            )
            .unwrap();
    }
    ok(&k.sync(&hub.url, &[]));
    for name in ["credits.csv", "cpe-monitor.csv", "pars.tsv"] {
        let url = format!("{}/reports/{name}", hub.url);
        assert_eq!(get(&url).0, 401, "{name} without a token");
        assert_eq!(get_auth(&url, TOKEN).0, 401, "{name} with a kiosk token");
        let (status, body) = get_auth(&url, ADMIN);
        assert_eq!(status, 200, "{name}");
        match name {
            "credits.csv" => {
                assert!(
                    body.starts_with(
                        "badge_id,first_name,last_name,degree,profession,email,credit_type,credits"
                    ),
                    "{body}"
                );
                assert!(
                    body.contains(
                        "A0012345,Amelia,Okafor,MD,physician,amelia.okafor@example.org,AMA,1.5"
                    ),
                    "{body}"
                );
                assert!(
                    body.contains(
                        "A0020001,Rosa,Delgado,PharmD,pharmacist,rosa.delgado@example.org,ACPE,1.25"
                    ),
                    "{body}"
                );
            }
            "cpe-monitor.csv" => {
                assert!(
                    body.starts_with(
                        "provider_number,epid,date_of_birth,uan,date_of_participation"
                    ),
                    "{body}"
                );
                assert!(
                    body.contains("JA0000534,1234567,0314,JA0000534-0000-26-002-L01-P,2026-11-23"),
                    "{body}"
                );
                assert!(
                    !body.contains("-L01-T"),
                    "technician UANs are not for pharmacists: {body}"
                );
            }
            _ => {
                // MOC was chosen but consent not given: no PARS row.
                assert!(
                    body.starts_with("Record Action\tACCME Activity ID\tCompletion Date"),
                    "{body}"
                );
                assert_eq!(body.lines().count(), 1, "{body}");
            }
        }
    }
}

#[test]
fn two_kiosks_same_attendee_are_kept_flagged_and_counted_once() {
    let pg = cluster();
    let name = db_name("two");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let cert_a = visit(&a, "A0012345", "AMA", &[("S008", 4)]);
    visit(&b, "A0012345", "AMA", &[("S008", 4), ("S015", 4)]);
    ok(&a.sync(&hub.url, &[]));
    ok(&b.sync(&hub.url, &[]));
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM claims WHERE badge_id = 'A0012345'"
        ),
        "3"
    );
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        "1"
    );
    // Counted once: S008 (1) + S015 (1) = 2 credits on either certificate.
    let (_, page) = get(&format!("{}/c/{cert_a}", hub.url));
    assert!(page.contains("2 credits"), "{page}");
    // Kiosk A now knows what B recorded: a later visit there sees it.
    ok(&a.sync(&hub.url, &[]));
    let sessions: Vec<String> = {
        let c = a.sqlite();
        let mut s = c
            .prepare(
                "SELECT session_id FROM claims WHERE badge_id = 'A0012345' ORDER BY session_id",
            )
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(sessions, vec!["S008", "S008", "S015"]);
    // Nothing downloaded went into A's outbox.
    assert_eq!(not_uploaded(&a), 0);
}

/// `cekiosk hub import FILE` into the database at `url`.
fn hub_import(file: &std::path::Path, url: &str) -> std::process::Output {
    Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .args(["hub", "import"])
        .arg(file)
        .args(["--database", url])
        .output()
        .unwrap()
}

#[test]
fn export_bundle_imports_exactly_once() {
    let pg = cluster();
    let name = db_name("bundle");
    let url = pg.database(&name);
    let k = KioskDb::new();
    let cert = visit(&k, "A0020002", "ANCC", &[("S008", 4)]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k01.json");
    let text = ok(&k.cmd(&[]).arg("export").arg(&file).output().unwrap());
    let n = outbox_len(&k);
    assert!(text.contains(&format!("{n} records")), "{text}");
    let import = || hub_import(&file, &url);
    let text = ok(&import());
    assert!(
        text.contains(&format!("{n} records new to the hub, 0 already there")),
        "{text}"
    );
    let text = ok(&import());
    assert!(
        text.contains(&format!("0 records new to the hub, {n} already there")),
        "{text}"
    );
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        n.to_string()
    );
    // The certificate is served once a hub runs on that database.
    let hub = Hub::start(&url);
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200);
    assert!(
        page.contains("Keisha Williams") && page.contains("ANCC contact hours"),
        "{page}"
    );
    // A damaged bundle is refused with the reason and changes nothing.
    let bad = common::write(
        dir.path(),
        "bad.json",
        "{\"format\": \"cekiosk-export-1\", \"records\": [",
    );
    let out = Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .args(["hub", "import"])
        .arg(&bad)
        .args(["--database", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a cekiosk export bundle"));
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        n.to_string()
    );
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

/// The certificate page as a phone shows it: headless Chromium loads it,
/// its DOM holds what a certificate must, and it renders to a screenshot.
#[test]
fn certificate_page_in_a_real_browser() {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("chromium is needed for this test (Debian package chromium; .ci/run installs it)");
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("browser")));
    let k = KioskDb::new();
    let cert = visit(&k, "A0020001", "ACPE", &[("S002", 5)]);
    {
        // This pharmacist gave an e-Profile ID; the page names the UAN.
        let c = k.sqlite();
        c.execute(
            "UPDATE profiles SET epid = '1234567', birth_mmdd = '0314', pharm_role = 'pharmacist'",
            [],
        )
        .unwrap();
        c.execute("UPDATE outbox SET payload = json_set(payload, '$.pharm_role', 'pharmacist') WHERE kind = 'profile'", []).unwrap();
    }
    ok(&k.sync(&hub.url, &[]));
    let url = format!("{}/c/{cert}", hub.url);
    let profile = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--window-size=412,915",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap()
    };
    let dom = String::from_utf8_lossy(&run(&["--dump-dom"]).stdout).into_owned();
    for text in [
        "Rosa Delgado",
        "PharmD",
        "ACPE contact hours",
        "1.25 contact hours",
        "JA0000534-0000-26-002-L01-P",
        "NABP CPE Monitor",
        "<aside",
        "jointly accredited",
        &cert,
    ] {
        assert!(
            dom.contains(text),
            "{text} missing from the rendered page: {dom}"
        );
    }
    assert!(
        !dom.contains("-L01-T"),
        "a pharmacist's certificate shows no technician UAN"
    );
    let shot = profile.path().join("shot.png");
    let out = run(&[&format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot)
        .unwrap_or_else(|_| panic!("no screenshot: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(png.starts_with(b"\x89PNG"));
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 412, "rendered at phone width");
    assert!(
        png.len() > 10_000,
        "a blank page compresses to almost nothing"
    );
}

/// Birth dates, e-Profile IDs and ABIM IDs travel to the hub (CPE Monitor
/// and PARS need them) but never into a log; kiosk files are owner-only.
#[test]
fn no_personal_ids_in_logs_and_kiosk_files_are_private() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("privacy")));
    let k = KioskDb::new();
    {
        let mut store = Store::open(&k.db()).unwrap();
        let device = store.device_id(&mut OsRandom).unwrap();
        for (badge, session, q, profile) in [
            (
                "A0020001",
                "S002",
                5,
                Profile {
                    codes: CodeSet::parse_list("ACPE").unwrap(),
                    epid: Some("7654321".into()),
                    birth_mmdd: Some("1108".into()),
                    pharm_role: Some("pharmacist".into()),
                    ..Profile::default()
                },
            ),
            (
                "A0012345",
                "S009",
                6,
                Profile {
                    codes: CodeSet::parse_list("AMA;MOC").unwrap(),
                    moc_consent: true,
                    abim_id: Some("918273".into()),
                    birth_mmdd: Some("0229".into()),
                    ..Profile::default()
                },
            ),
        ] {
            store
                .commit_visit(
                    &NewVisit {
                        badge_id: badge.into(),
                        kiosk_id: "K01".into(),
                        device_id: device.clone(),
                        profile,
                        claims: vec![(session.into(), q)],
                        answers: vec![("moc_reflection".into(), "Check TSH".into())],
                    },
                    &mut OsRandom,
                )
                .unwrap();
        }
    }
    ok(&k.sync(&hub.url, &[]));
    // The hub has them, for the reports.
    let (_, pars) = get_auth(&format!("{}/reports/pars.csv", hub.url), ADMIN);
    assert!(pars.contains("918273") && pars.contains("02/29"), "{pars}");
    let (_, cpe) = get_auth(&format!("{}/reports/cpe-monitor.csv", hub.url), ADMIN);
    assert!(cpe.contains("7654321,1108"), "{cpe}");
    // The logs do not.
    let kiosk_log = std::fs::read_to_string(k.dir.path().join("k.log")).unwrap();
    let hub_log = std::fs::read_to_string(&hub.log).unwrap_or_default();
    assert!(!kiosk_log.is_empty(), "the kiosk logged nothing at all");
    for secret in ["7654321", "918273", "1108", "0229"] {
        assert!(!kiosk_log.contains(secret), "{secret} in the kiosk log");
        assert!(!hub_log.contains(secret), "{secret} in the hub log");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["k.db", "k.db-wal", "k.db-shm", "k.log"] {
            let p = k.dir.path().join(f);
            if let Ok(m) = std::fs::metadata(&p) {
                assert_eq!(
                    m.permissions().mode() & 0o077,
                    0,
                    "{f} is readable by others"
                );
            } else {
                assert!(f.ends_with("-wal") || f.ends_with("-shm"), "{f} missing");
            }
        }
    }
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

#[test]
fn a_hub_database_of_the_earlier_schema_keeps_its_records() {
    use cekiosk::hub::schema::MIGRATIONS;
    let pg = cluster();
    let name = db_name("migrate");
    let url = pg.database(&name);
    // A hub database as the first two migrations left it: claims copied
    // into their own table, a change feed holding every record again.
    pg.query(
        &name,
        &format!(
            "CREATE TABLE hub_schema (version integer NOT NULL); {} {} INSERT INTO hub_schema VALUES (1), (2);",
            MIGRATIONS[0], MIGRATIONS[1]
        ),
    );
    let claim = |id: &str, seq: u32, device: &str, at: &str| {
        format!(
            "('{device}', {seq}, 'claim', '{id}', '{{\"claim_id\":\"{id}\",\"visit_id\":\"v\",\"badge_id\":\"A0012345\",\"session_id\":\"S008\",\"credits_q\":4,\"claimed_at\":\"{at}\",\"kiosk_id\":\"K01\"}}', '{at}')"
        )
    };
    let cert = "MIGRATEDCERT0000000001";
    pg.query(
        &name,
        &format!(
            "INSERT INTO devices(device_id, kiosk_id, high_seq) VALUES ('d1', 'K01', 2), ('d2', 'K02', 1);
             INSERT INTO records(device_id, seq, kind, record_id, payload, created_at) VALUES {}, {},
               ('d1', 2, 'certificate', '{cert}', '{{\"certificate_id\":\"{cert}\",\"short_code\":\"MIG1\",\"badge_id\":\"A0012345\",\"issued_at\":\"2026-11-23T16:00:00Z\",\"kiosk_id\":\"K01\"}}', '2026-11-23T16:00:00Z');
             INSERT INTO changes(origin, kind, payload) VALUES ('d1', 'claim', '{{}}'), ('hub', 'roster.attendee', '{{\"badge_id\":\"A0012345\"}}');",
            claim("c-first", 1, "d1", "2026-11-23T16:00:00Z"),
            claim("c-again", 1, "d2", "2026-11-23T17:00:00Z"),
        ),
    );
    let hub = Hub::start(&url);
    assert_eq!(
        pg.query(&name, "SELECT max(version) FROM hub_schema"),
        MIGRATIONS.len().to_string()
    );
    // Both claims kept; the later one names the first; counted once.
    assert_eq!(
        pg.query(
            &name,
            "SELECT claim_id || ' ' || coalesce(duplicate_of, '-') FROM claims ORDER BY claim_id"
        ),
        "c-again c-first\nc-first -"
    );
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Amelia") && page.contains("1 credit"),
        "{page}"
    );
    // The feed hands out each migrated record once, then what a kiosk
    // uploads after the migration.
    let k = KioskDb::new();
    visit(&k, "A0020001", "AMA", &[("S015", 4)]);
    ok(&k.sync(&hub.url, &[]));
    let feed = common::read_feed(&hub.url);
    let from = |origin: &str| feed.iter().filter(|(o, _)| o == origin).count();
    assert_eq!((from("d1"), from("d2")), (2, 1), "{feed:?}");
    let device = Store::open(&k.db())
        .unwrap()
        .device_id(&mut OsRandom)
        .unwrap();
    let uploaded: usize = pg
        .query(
            &name,
            &format!(
                "SELECT count(*) FROM records WHERE device_id = '{device}' AND kind <> 'audit'"
            ),
        )
        .parse()
        .unwrap();
    assert!(uploaded > 0);
    assert_eq!(from(&device), uploaded, "{feed:?}");
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

/// A void reaches the certificate: the voided claim stops counting, and a
/// second claim for the same session made at another kiosk (kept as a
/// duplicate until then) counts in its place.
#[test]
fn a_void_is_reflected_and_the_duplicate_takes_its_place() {
    let pg = cluster();
    let name = db_name("void");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let cert = visit(&a, "A0012345", "AMA", &[("S008", 4), ("S015", 4)]);
    visit(&b, "A0012345", "AMA", &[("S008", 2)]);
    ok(&a.sync(&hub.url, &[]));
    ok(&b.sync(&hub.url, &[]));
    let credits = || {
        let (status, page) = get(&format!("{}/c/{cert}", hub.url));
        assert_eq!(status, 200, "{page}");
        ["2 credits", "1.5 credits", "1 credit", "0.5 credits"]
            .into_iter()
            .find(|c| page.contains(c))
            .unwrap_or_else(|| panic!("no credit total on the page: {page}"))
    };
    let claim_at = |k: &KioskDb, session: &str| -> String {
        k.sqlite()
            .query_row(
                "SELECT claim_id FROM claims WHERE session_id = ?1 AND device_id = (SELECT value FROM meta WHERE key = 'device_id')",
                [session],
                |r| r.get(0),
            )
            .unwrap()
    };
    // Kiosk A's S008 claim was first: it counts, B's is its duplicate.
    assert_eq!(credits(), "2 credits");
    let (a_s008, b_s008) = (claim_at(&a, "S008"), claim_at(&b, "S008"));
    assert_eq!(
        pg.query(
            &name,
            "SELECT claim_id || ' ' || duplicate_of FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        format!("{b_s008} {a_s008}")
    );
    // Staff at A void A's claim: B's half hour now counts for S008.
    Store::open(&a.db())
        .unwrap()
        .void_claim(&a_s008, "wrong session", "K01")
        .unwrap();
    ok(&a.sync(&hub.url, &[]));
    assert_eq!(credits(), "1.5 credits");
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        "0"
    );
    assert_eq!(
        pg.query(
            &name,
            &format!("SELECT void_reason FROM claims WHERE claim_id = '{a_s008}'")
        ),
        "wrong session"
    );
    // Then B's too: only S015 is left.
    ok(&b.sync(&hub.url, &[]));
    Store::open(&b.db())
        .unwrap()
        .void_claim(&b_s008, "not attended", "K02")
        .unwrap();
    ok(&b.sync(&hub.url, &[]));
    assert_eq!(credits(), "1 credit");
    assert_eq!(pg.query(&name, "SELECT count(*) FROM claims"), "3");
}

/// A walk-in added by staff at one kiosk gets a certificate with their
/// name at the hub, and the other kiosks learn of them: a second visit
/// elsewhere finds them.
#[test]
fn a_walk_in_reaches_the_hub_and_the_other_kiosks() {
    let pg = cluster();
    let name = db_name("walkin");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let walk_in = cekiosk::store::AttendeeRow {
        badge_id: "W-0042".into(),
        first_name: "Zoë".into(),
        last_name: "Ångström".into(),
        degree: "RN".into(),
        profession: cekiosk::domain::Profession::Nurse,
        email: "zoe@example.org".into(),
    };
    Store::open(&a.db())
        .unwrap()
        .add_walk_in(&walk_in, "K01")
        .unwrap();
    let cert = visit(&a, "W-0042", "ANCC", &[("S008", 4)]);
    ok(&a.sync(&hub.url, &[]));
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Zoë Ångström"), "{page}");
    assert_eq!(
        pg.query(
            &name,
            "SELECT source FROM attendees WHERE badge_id = 'W-0042'"
        ),
        "walkin"
    );
    ok(&b.sync(&hub.url, &[]));
    let known: (String, i64) = b
        .sqlite()
        .query_row(
            "SELECT first_name, (SELECT count(*) FROM claims WHERE badge_id = 'W-0042') FROM attendees WHERE badge_id = 'W-0042'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(known, ("Zoë".to_string(), 1));
}

/// A hub database carried to another PostgreSQL server with pg_dump keeps
/// transaction ids the new server has not reached: its change feed would
/// stall. The hub refuses to start on it and says what to do.
#[test]
fn a_feed_from_another_server_is_refused_at_start() {
    let pg = cluster();
    let name = db_name("moved");
    let url = pg.database(&name);
    // A hub database as it was, with one record written "elsewhere".
    drop(Hub::start(&url));
    pg.query(
        &name,
        "INSERT INTO devices(device_id, kiosk_id) VALUES ('far', 'K09');
         INSERT INTO records(device_id, seq, kind, record_id, payload, created_at, txid)
         VALUES ('far', 1, 'audit', 'a1', '{\"at\":\"2026-11-23T10:00:00Z\",\"action\":\"x\"}',
                 '2026-11-23T10:00:00Z', '4000000000')",
    );
    let out = Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .args(["hub", "--listen", "127.0.0.1:0", "--database", &url])
        .env("CEKIOSK_SYNC_TOKEN", common::TOKEN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("written on another PostgreSQL server") && stderr.contains("pg_basebackup"),
        "{stderr}"
    );
}
