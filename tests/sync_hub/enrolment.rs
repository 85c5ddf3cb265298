//! Each kiosk its own key: a one-time code from the CE office traded for a
//! kiosk's own credentials; the hub taking a kiosk's identity from them;
//! a thief with one kiosk's database who can act only as that kiosk; a
//! revoked kiosk refused with the reason while the others go on; a key
//! rolled with nothing lost; bundles taken only from enrolled kiosks;
//! walk-ins that never write over an attendee the hub holds; times and
//! IDs checked at upload; and a feed that carries no one's answers or
//! certificate links.

use std::process::Command;

use cekiosk::domain::certificate_id::{Summary, mint};
use cekiosk::domain::{CodeSet, CreditCode};
use cekiosk::store::{CreditChoices, Store};

use crate::common::{self, Hub, KioskDb, cluster, db_name, get, hub_cli, ok, visit_as};
use crate::visit;

/// The fleet's shared secret switched off, on the hub and the kiosks.
const NO_SECRET: &[(&str, &str)] = &[("CEKIOSK_SYNC_TOKEN", "")];

fn hub_without_secret(name: &str) -> (Hub, String) {
    let pg = cluster();
    let db = db_name(name);
    let url = pg.database(&db);
    let hub = Hub::start_at(&url, "127.0.0.1:0", NO_SECRET);
    (hub, db)
}

/// `cekiosk hub add-kiosk ID`: the code, alone on the last line.
fn add_kiosk(hub: &Hub, kiosk: &str) -> String {
    let out = hub_cli(&[&"add-kiosk", &kiosk], &hub.database);
    ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout.lines().last().unwrap_or_default().trim().to_string()
}

fn enrol(k: &KioskDb, hub: &Hub, code: &str) -> std::process::Output {
    k.cmd(NO_SECRET)
        .args(["enrol", "--hub", &hub.url, code])
        .output()
        .unwrap()
}

fn sync(k: &KioskDb, hub: &Hub) -> std::process::Output {
    k.cmd(NO_SECRET)
        .args(["sync", "--hub", &hub.url])
        .output()
        .unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// An enrolled kiosk: a fresh database enrolled as `kiosk`.
fn enrolled(hub: &Hub, kiosk: &str) -> KioskDb {
    let k = KioskDb::new();
    let code = add_kiosk(hub, kiosk);
    let out = ok(&enrol(&k, hub, &code));
    assert!(out.contains(&format!("enrolled as kiosk {kiosk}")), "{out}");
    k
}

fn credentials(k: &KioskDb) -> cekiosk::store::KioskCredentials {
    Store::open(&k.db())
        .unwrap()
        .credentials()
        .unwrap()
        .expect("enrolled")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A request with a kiosk's bearer token: status and body.
fn call(method: &str, url: &str, token: &str, body: Option<&str>) -> (u16, String) {
    let a = agent();
    let auth = format!("Bearer {token}");
    let mut r = match (method, body) {
        ("GET", _) => a.get(url).header("Authorization", &auth).call(),
        (_, b) => a
            .post(url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(b.unwrap_or("{}")),
    }
    .unwrap();
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

#[test]
fn an_enrolment_code_works_once_and_expires() {
    let (hub, db) = hub_without_secret("enrol_code");
    let pg = cluster();
    let code = add_kiosk(&hub, "K07");
    assert_eq!(code.len(), 19, "XXXX-XXXX-XXXX-XXXX: {code}");
    // Only its hash is kept.
    assert_eq!(
        pg.query(
            &db,
            &format!("SELECT count(*) FROM enrolment_codes WHERE code_hash::text LIKE '%{code}%'")
        ),
        "0"
    );
    let a = KioskDb::new();
    let wrong = enrol(&a, &hub, "0000-0000-0000-0000");
    assert!(!wrong.status.success());
    assert!(
        text(&wrong).contains("no such enrolment code"),
        "{}",
        text(&wrong)
    );
    // Typed in lower case with spaces, as a person might.
    let typed = code.to_lowercase().replace('-', " ");
    let out = ok(&enrol(&a, &hub, &typed));
    assert!(out.contains("enrolled as kiosk K07"), "{out}");
    assert!(out.contains("[kiosk] id says K01"), "{out}");
    let b = KioskDb::new();
    let again = enrol(&b, &hub, &code);
    assert!(!again.status.success());
    assert!(text(&again).contains("used already"), "{}", text(&again));
    let late = add_kiosk(&hub, "K08");
    pg.query(
        &db,
        "UPDATE enrolment_codes SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL",
    );
    let expired = enrol(&b, &hub, &late);
    assert!(!expired.status.success());
    assert!(text(&expired).contains("expired"), "{}", text(&expired));

    // The credentials are in the kiosk's own database, readable by its
    // owner only; status says which credentials the kiosk uses.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(a.db()).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o077,
        0,
        "the database is its owner's only: {mode:o}"
    );
    let status = ok(&a.cmd(NO_SECRET).arg("status").output().unwrap());
    assert!(status.contains("kiosk         K07"), "{status}");
    assert!(status.contains("this kiosk's own"), "{status}");
    let check = text(&a.cmd(NO_SECRET).arg("check").output().unwrap());
    assert!(check.contains("enrolled as kiosk K07"), "{check}");

    // It uploads as K07 with its own credentials, the shared secret off.
    let cert = visit(&a, "A0012345", "AMA", &[("S008", 4)]);
    ok(&sync(&a, &hub));
    assert_eq!(
        pg.query(&db, "SELECT DISTINCT kiosk_id FROM devices"),
        "K07"
    );
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200, "{page}");
    // A kiosk never enrolled, on a hub without the secret, cannot upload,
    // and is told how to enrol.
    let stranger = KioskDb::new();
    visit(&stranger, "A0010476", "AMA", &[("S008", 4)]);
    let refused = sync(&stranger, &hub);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("cekiosk enrol"),
        "{}",
        text(&refused)
    );
}

/// Someone walks off with kiosk K02's disk: with its database, its
/// config and the cekiosk binary they try to act as kiosk K01. Every
/// attempt is refused, and K01 goes on as before.
#[test]
fn a_thief_with_one_kiosk_s_database_can_act_only_as_that_kiosk() {
    let (hub, db) = hub_without_secret("enrol_thief");
    let pg = cluster();
    let a = enrolled(&hub, "K01");
    let b = enrolled(&hub, "K02");
    let cert_a = visit(&a, "A0012345", "AMA", &[("S008", 4), ("S024", 4)]);
    ok(&sync(&a, &hub));
    ok(&sync(&b, &hub));
    let a_device = a.device_id();
    let a_high = pg.query(
        &db,
        &format!("SELECT high_seq FROM devices WHERE device_id = '{a_device}'"),
    );
    // The thief's copy of K02's database.
    let thief = KioskDb::new();
    std::fs::copy(b.db(), thief.db()).unwrap();
    let stolen = credentials(&thief);
    assert_eq!(stolen.kiosk_id, "K02");
    // K01's claim reached K02 through the feed, with K01's device id.
    let a_claim: String = thief
        .sqlite()
        .query_row(
            "SELECT claim_id FROM claims WHERE badge_id = 'A0012345' AND session_id = 'S008'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // 1. Upload as K01's device (its state is read first: refused too).
    thief
        .sqlite()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'device_id'",
            [&a_device],
        )
        .unwrap();
    visit(&thief, "A0020002", "ANCC", &[("S008", 4)]);
    let out = sync(&thief, &hub);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("device {a_device} belongs to kiosk K01")),
        "{}",
        text(&out)
    );
    // 2. Fetch K01's device state, 3. upload junk at K01's next seqs.
    let api = format!("{}/api/v1", hub.url);
    let (status, body) = call(
        "GET",
        &format!("{api}/devices/{a_device}"),
        &stolen.token,
        None,
    );
    assert_eq!(status, 403, "{body}");
    let junk = format!(
        r#"{{"event_id":"ONC2026","kiosk_id":"K01","records":[{{"seq":{},"kind":"claim","record_id":"junk","payload":{{}},"created_at":"2026-11-23T18:00:00Z"}}]}}"#,
        a_high.parse::<i64>().unwrap() + 1
    );
    let (status, body) = call(
        "POST",
        &format!("{api}/devices/{a_device}/records"),
        &stolen.token,
        Some(&junk),
    );
    assert_eq!(status, 403, "{body}");
    // Or as the CE office's own device, or reading its state.
    let (status, _) = call(
        "GET",
        &format!("{api}/devices/hub-office"),
        &stolen.token,
        None,
    );
    assert_eq!(status, 403);
    // 4. Void K01's claim: sent as K02's own record, kept and refused.
    let b_device = b.device_id();
    thief
        .sqlite()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'device_id'",
            [&b_device],
        )
        .unwrap();
    Store::open(&thief.db())
        .unwrap()
        .void_claim(&a_claim, "stolen kiosk", "K02")
        .unwrap();
    let out = ok(&sync(&thief, &hub));
    assert!(out.contains("rejected"), "{out}");
    assert_eq!(
        pg.query(
            &db,
            &format!("SELECT count(*) FROM claim_state WHERE claim_id = '{a_claim}' AND voided_at IS NULL")
        ),
        "1",
        "K01's claim still counts"
    );
    assert!(
        pg.query(
            &db,
            &format!(
                "SELECT rejected FROM records WHERE kind = 'void' AND record_id = '{a_claim}'"
            )
        )
        .contains("made at kiosk K01"),
    );
    // 5. Forge K01's verified summary with K02's key.
    let forged = mint(
        &stolen.summary_key,
        &Summary {
            kiosk: "K01".into(),
            issued: jiff::Timestamp::now(),
            credits: vec![(CreditCode::AMA, 160)],
        },
        [7; 12],
    )
    .unwrap();
    let (status, page) = get(&format!("{}/c/{forged}", hub.url));
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("cannot be verified"), "{page}");
    // What K02's key signs for K02 is K02's: verified.
    let own = mint(
        &stolen.summary_key,
        &Summary {
            kiosk: "K02".into(),
            issued: jiff::Timestamp::now(),
            credits: vec![(CreditCode::AMA, 4)],
        },
        [8; 12],
    )
    .unwrap();
    let (status, page) = get(&format!("{}/c/{own}", hub.url));
    assert_eq!(status, 200, "{page}");

    // K01 is untouched: its next claim reaches the hub, and its
    // certificate shows both claims.
    visit(&a, "A0012345", "AMA", &[("S033", 4)]);
    ok(&sync(&a, &hub));
    a.assert_at_hub_once(&db);
    assert_eq!(
        pg.query(
            &db,
            "SELECT count(*) FROM claim_state WHERE badge_id = 'A0012345' AND voided_at IS NULL AND held IS NULL"
        ),
        "3",
        "K01's three claims count, none voided by the thief"
    );
    let (status, page) = get(&format!("{}/c/{cert_a}", hub.url));
    assert_eq!(status, 200);
    assert!(page.contains("Amelia Okafor"), "{page}");
}

#[test]
fn a_revoked_kiosk_is_refused_with_the_reason_and_the_others_go_on() {
    let (hub, db) = hub_without_secret("enrol_revoke");
    let pg = cluster();
    let a = enrolled(&hub, "K01");
    let b = enrolled(&hub, "K02");
    let cert_b = visit(&b, "A0010476", "AMA", &[("S008", 4)]);
    ok(&sync(&b, &hub));
    // A summary K02 signed an hour ago, before it was revoked, stays
    // verified; one dated after is not.
    pg.query(
        &db,
        "UPDATE kiosk_keys SET made_at = now() - interval '2 hours' WHERE kiosk_id = 'K02'",
    );
    let key = credentials(&b).summary_key;
    let summary = |minutes_ago: i64| {
        mint(
            &key,
            &Summary {
                kiosk: "K02".into(),
                issued: jiff::Timestamp::now() - jiff::SignedDuration::from_mins(minutes_ago),
                credits: vec![(CreditCode::AMA, 4)],
            },
            [minutes_ago as u8; 12],
        )
        .unwrap()
    };
    let before = summary(60);
    let out = ok(&hub_cli(&[&"revoke-kiosk", &"K02"], &hub.database));
    assert!(out.contains("revoked kiosk K02"), "{out}");
    let after = summary(-2);
    visit(&b, "A0010600", "AMA", &[("S008", 4)]);
    let refused = sync(&b, &hub);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("revoked by the CE office"),
        "{}",
        text(&refused)
    );
    // K01 goes on; what K02 uploaded before stays counted.
    visit(&a, "A0012345", "AMA", &[("S008", 4)]);
    ok(&sync(&a, &hub));
    let (status, page) = get(&format!("{}/c/{cert_b}", hub.url));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Ananya Patel"), "{page}");
    assert_eq!(get(&format!("{}/c/{before}", hub.url)).0, 200);
    assert_eq!(get(&format!("{}/c/{after}", hub.url)).0, 404);
    // Revoking again, or a kiosk never enrolled, says so.
    let again = hub_cli(&[&"revoke-kiosk", &"K02"], &hub.database);
    assert!(!again.status.success());
    // Enrolled again with a new code, K02 uploads what it held back.
    let code = add_kiosk(&hub, "K02");
    ok(&enrol(&b, &hub, &code));
    ok(&sync(&b, &hub));
    b.assert_at_hub_once(&db);
    assert!(
        pg.query(&db, "SELECT action FROM admin_audit ORDER BY id")
            .contains("revoke-kiosk")
    );
}

#[test]
fn a_key_rolled_by_enrolling_again_loses_nothing_not_uploaded() {
    let (hub, db) = hub_without_secret("enrol_roll");
    let a = enrolled(&hub, "K01");
    visit(&a, "A0012345", "AMA", &[("S008", 4)]);
    ok(&sync(&a, &hub));
    let old = credentials(&a);
    // Recorded, not yet uploaded, when the key is rolled.
    visit(&a, "A0010476", "AMA", &[("S024", 4)]);
    let code = add_kiosk(&hub, "K01");
    ok(&enrol(&a, &hub, &code));
    let new = credentials(&a);
    assert_ne!(old.token, new.token);
    assert_ne!(old.summary_key, new.summary_key);
    let (status, body) = call(
        "GET",
        &format!("{}/api/v1/hello", hub.url),
        &old.token,
        None,
    );
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("enrolled again"), "{body}");
    ok(&sync(&a, &hub));
    assert_eq!(a.assert_at_hub_once(&db), a.outbox().len());
}

#[test]
fn bundles_are_taken_only_from_enrolled_kiosks_as_signed() {
    let (hub, _db) = hub_without_secret("enrol_bundle");
    let a = enrolled(&hub, "K01");
    visit(&a, "A0012345", "AMA", &[("S008", 4)]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k01.json");
    ok(&a.cmd(NO_SECRET).arg("export").arg(&file).output().unwrap());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the bundle is its owner's only: {mode:o}");
    let import = |f: &std::path::Path| {
        Command::new(common::bin())
            .arg("--config")
            .arg(common::config_dir())
            .args(["hub", "import"])
            .arg(f)
            .args(["--database", &hub.database])
            .env("CEKIOSK_SYNC_TOKEN", "")
            .output()
            .unwrap()
    };
    let out = ok(&import(&file));
    assert!(out.contains("records new to the hub"), "{out}");
    // Changed on the way: refused, nothing taken.
    let bundle = std::fs::read_to_string(&file).unwrap();
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, bundle.replacen("S008", "S012", 1)).unwrap();
    let out = import(&changed);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("the bundle was changed"),
        "{}",
        text(&out)
    );
    // A kiosk never enrolled writes an unsigned bundle: refused.
    let stranger = KioskDb::new();
    visit(&stranger, "A0010476", "AMA", &[("S008", 4)]);
    let unsigned = dir.path().join("stranger.json");
    ok(&stranger
        .cmd(NO_SECRET)
        .arg("export")
        .arg(&unsigned)
        .output()
        .unwrap());
    let out = import(&unsigned);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("carries no signature"),
        "{}",
        text(&out)
    );
    // A revoked kiosk's bundles are not taken either.
    ok(&hub_cli(&[&"revoke-kiosk", &"K01"], &hub.database));
    let out = import(&file);
    assert!(!out.status.success());
    assert!(text(&out).contains("was revoked"), "{}", text(&out));
}

#[test]
fn a_walk_in_never_writes_over_an_attendee_the_hub_holds() {
    let (hub, db) = hub_without_secret("enrol_walkin");
    let pg = cluster();
    let a = enrolled(&hub, "K01");
    let b = enrolled(&hub, "K02");
    let walk_in = |k: &KioskDb, kiosk: &str, first: &str| {
        let row = cekiosk::records::AttendeeRow {
            badge_id: "W-77".into(),
            first_name: first.into(),
            last_name: "Walker".into(),
            degree: "RN".into(),
            profession: cekiosk::domain::Profession::Nurse,
            email: format!("{}@example.org", first.to_lowercase()),
        };
        Store::open(&k.db())
            .unwrap()
            .add_walk_in(&row, kiosk)
            .unwrap();
    };
    // Two offline kiosks given the same typed badge.
    walk_in(&a, "K01", "Alice");
    walk_in(&b, "K02", "Bob");
    ok(&sync(&a, &hub));
    ok(&sync(&b, &hub));
    assert_eq!(
        pg.query(
            &db,
            "SELECT first_name || ' ' || source FROM attendees WHERE badge_id = 'W-77'"
        ),
        "Alice walkin"
    );
    assert_eq!(
        pg.query(
            &db,
            "SELECT kiosk_id || ' ' || (sent->>'first_name') FROM attendee_conflicts"
        ),
        "K02 Bob"
    );
    // A kiosk's walk-in with a badge of the office's roster: the roster
    // stands, and kiosks keep the roster's name.
    let roster_walkin = cekiosk::records::AttendeeRow {
        badge_id: "A0012345".into(),
        first_name: "Mallory".into(),
        last_name: "Impostor".into(),
        degree: "MD".into(),
        profession: cekiosk::domain::Profession::Other,
        email: "m@example.org".into(),
    };
    let lone = enrolled(&hub, "K03");
    // Its roster lacks the badge, as a kiosk set up before an import would.
    lone.sqlite()
        .execute("DELETE FROM attendees WHERE badge_id = 'A0012345'", [])
        .unwrap();
    Store::open(&lone.db())
        .unwrap()
        .add_walk_in(&roster_walkin, "K03")
        .unwrap();
    ok(&sync(&lone, &hub));
    ok(&sync(&a, &hub));
    assert_eq!(
        pg.query(
            &db,
            "SELECT first_name || ' ' || source FROM attendees WHERE badge_id = 'A0012345'"
        ),
        "Amelia roster"
    );
    let name: String = a
        .sqlite()
        .query_row(
            "SELECT first_name FROM attendees WHERE badge_id = 'A0012345'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "Amelia");
}

#[test]
fn times_ahead_of_the_hub_and_ids_not_of_their_form_are_held_with_the_reason() {
    let (hub, db) = hub_without_secret("enrol_checks");
    let pg = cluster();
    let a = enrolled(&hub, "K01");
    let pharmacist = CreditChoices {
        codes: CodeSet::parse_list("ACPE").unwrap(),
        epid: Some("1234567".into()),
        birth_mmdd: Some("0314".into()),
        pharm_role: Some("pharmacist".into()),
        ..CreditChoices::default()
    };
    visit_as(&a, "A0020001", pharmacist, &[("S008", 4)]);
    ok(&sync(&a, &hub));
    // A profile from a clock an hour ahead, and one whose birth date is
    // not a month and day: both kept at the hub, neither applied.
    let ahead = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)).to_string();
    let profile = |at: &str, epid: &str, birth: &str| {
        format!(
            r#"{{"abim_ending":null,"abim_id":null,"at":"{at}","badge_id":"A0020001","birth_mmdd":"{birth}","birth_on_file":false,"codes":"ACPE","epid":"{epid}","epid_ending":null,"moc_consent":false,"pharm_role":"pharmacist"}}"#
        )
    };
    let now = jiff::Timestamp::now().to_string();
    {
        let c = a.sqlite();
        for (id, payload) in [
            ("p-ahead", profile(&ahead, "7654321", "0314")),
            ("p-date", profile(&now, "7654321", "1é1")),
        ] {
            c.execute(
                "INSERT INTO outbox(kind, record_id, payload, created_at) VALUES ('profile', ?1, ?2, ?3)",
                rusqlite::params![id, payload, now],
            )
            .unwrap();
        }
    }
    let out = ok(&sync(&a, &hub));
    assert!(out.contains("2 rejected"), "{out}");
    let reasons = pg.query(
        &db,
        "SELECT record_id || ': ' || rejected FROM records WHERE rejected IS NOT NULL ORDER BY record_id",
    );
    assert!(
        reasons.contains("p-ahead: at") && reasons.contains("later than the hub received it"),
        "{reasons}"
    );
    assert!(
        reasons.contains("p-date: birth_mmdd '1é1' is not of its form"),
        "{reasons}"
    );
    assert_eq!(
        pg.query(&db, "SELECT epid FROM profiles WHERE badge_id = 'A0020001'"),
        "1234567",
        "newest-wins kept the real profile"
    );
    // The kiosk keeps both, marked with the reasons.
    let marked: i64 = a
        .sqlite()
        .query_row(
            "SELECT count(*) FROM outbox WHERE rejected IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(marked, 2);
}

#[test]
fn a_kiosk_is_sent_no_one_s_answers_or_certificate_links() {
    let (hub, _db) = hub_without_secret("enrol_feed");
    let a = enrolled(&hub, "K01");
    let b = enrolled(&hub, "K02");
    let cert = visit(&a, "A0012345", "AMA", &[("S008", 4)]);
    ok(&sync(&a, &hub));
    ok(&sync(&b, &hub));
    let c = b.sqlite();
    let certs: i64 = c
        .query_row("SELECT count(*) FROM certificates", [], |r| r.get(0))
        .unwrap();
    assert_eq!(certs, 0, "no other kiosk's certificate ids");
    let answers: Vec<String> = c
        .prepare("SELECT answer FROM answers WHERE badge_id = 'A0012345'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!answers.is_empty());
    assert!(
        answers
            .iter()
            .all(|a| a == cekiosk::domain::evaluation::ANSWERED_ELSEWHERE),
        "{answers:?}"
    );
    drop(c);
    for file in [b.db(), b.db().with_extension("db-wal")] {
        if let Ok(bytes) = std::fs::read(&file) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(&cert), "{} holds {cert}", file.display());
        }
    }
    // A reissue at K02 asks the hub for the attendee's certificate.
    let token = credentials(&b).token;
    let (status, body) = call(
        "GET",
        &format!("{}/api/v1/attendees/A0012345/certificate", hub.url),
        &token,
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&cert), "{body}");
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/attendees/A0099999/certificate", hub.url),
        &token,
        None,
    );
    assert_eq!(status, 404);
}

const PASSWORD: &str = "a long office password";

/// `cekiosk hub add-user NAME`, the password on standard input.
fn add_user(hub: &Hub, name: &str) {
    use std::io::Write as _;
    let mut c = Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .args(["hub", "add-user", name, "--database", &hub.database])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(c.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    ok(&c.wait_with_output().unwrap());
}

/// Signs in as a script would: the session cookie.
fn sign_in(hub: &Hub, name: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let r = agent
        .post(&format!("{}/admin/sign-in", hub.url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(format!(
            "user={name}&password={}",
            PASSWORD.replace(' ', "+")
        ))
        .unwrap();
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default();
    cookie
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("cekiosk_session="))
        .expect("a session cookie")
        .to_string()
}

fn page(hub: &Hub, cookie: &str, path: &str) -> String {
    let mut r = agent()
        .get(&format!("{}{path}", hub.url))
        .header("Cookie", &format!("cekiosk_session={cookie}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.body_mut().read_to_string().unwrap()
}

/// The attendee's page shows each walk-in kept beside their record.
#[test]
fn the_attendee_page_shows_a_walk_in_that_differs() {
    let (hub, _db) = hub_without_secret("enrol_conflict_page");
    let a = enrolled(&hub, "K01");
    let row = cekiosk::records::AttendeeRow {
        badge_id: "A0012345".into(),
        first_name: "Mallory".into(),
        last_name: "Impostor".into(),
        degree: "MD".into(),
        profession: cekiosk::domain::Profession::Other,
        email: "m@example.org".into(),
    };
    a.sqlite()
        .execute("DELETE FROM attendees WHERE badge_id = 'A0012345'", [])
        .unwrap();
    Store::open(&a.db())
        .unwrap()
        .add_walk_in(&row, "K01")
        .unwrap();
    ok(&sync(&a, &hub));
    add_user(&hub, "office");
    let cookie = sign_in(&hub, "office");
    let html = page(&hub, &cookie, "/admin/attendees?q=A0012345");
    assert!(html.contains("Amelia"), "{html}");
    assert!(
        html.contains("Walk-ins that differ from this record") && html.contains("Mallory Impostor"),
        "{html}"
    );
}

/// The CE office adds a kiosk on the Kiosks page: the code shows as text
/// and as a QR code a scanner reads off the screen; the kiosk enrols with
/// it; the office revokes it with a button, and the kiosk is refused.
#[test]
fn the_office_enrols_and_revokes_a_kiosk_on_the_kiosks_page() {
    use crate::webdriver::{Browser, ENTER};
    let (hub, db) = hub_without_secret("enrol_page");
    add_user(&hub, "office");
    let b = Browser::start(1280, 1400);
    b.open(&format!("{}/admin/kiosks", hub.url));
    b.type_into("#user", "office");
    b.type_into("#password", &format!("{PASSWORD}{ENTER}"));
    b.wait_until("the overview", |b| b.url().ends_with("/admin"));
    b.open(&format!("{}/admin/kiosks", hub.url));
    let html = b.html();
    assert!(html.contains("No kiosk is enrolled yet"), "{html}");
    assert!(
        !html.contains("shared secret"),
        "no secret, no warning: {html}"
    );
    b.type_into("#kiosk", &format!("K09{ENTER}"));
    b.wait_until("the code", |b| {
        b.html().contains("Enrolment code for kiosk")
    });
    let html = b.html();
    let code = html
        .split("<code class=\"code\">")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .expect("the code as text")
        .to_string();
    assert_eq!(code.len(), 19, "{code}");
    // The QR code, read off the screen by a real decoder.
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("kiosks.png");
    b.screenshot(&shot);
    if let Ok(out) = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(&shot)
        .output()
    {
        assert!(
            out.status.success(),
            "zbarimg found no QR code in {}",
            shot.display()
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), code);
    } else {
        eprintln!("zbarimg not installed: the page's QR code is not decoded");
    }
    let k = KioskDb::new();
    ok(&enrol(&k, &hub, &code));
    b.open(&format!("{}/admin/kiosks", hub.url));
    let html = b.html();
    assert!(html.contains("enrolled 20"), "{html}");
    b.click("form[action='/admin/kiosks/revoke'] button");
    b.wait_until("the revocation", |b| b.html().contains("is revoked"));
    assert!(b.html().contains("revoked 20"), "{}", b.html());
    visit(&k, "A0012345", "AMA", &[("S008", 4)]);
    let refused = sync(&k, &hub);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("revoked by the CE office (office)"),
        "{}",
        text(&refused)
    );
    let audit = cluster().query(
        &db,
        "SELECT account || ' ' || action FROM admin_audit WHERE action LIKE '%kiosk%' ORDER BY id",
    );
    assert_eq!(audit, "office add-kiosk\noffice revoke-kiosk", "{audit}");
}
