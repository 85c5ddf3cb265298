//! Nothing an attendee saw a QR for is lost in an ordinary congress week,
//! against a real hub on a throwaway PostgreSQL cluster: a catalog or
//! roster only the kiosks have (held, then counted once the hub imports
//! it), a catalog change that no longer fits claims already made (held
//! for the office), a kiosk restored from its backup and two kiosks cloned
//! from one disk image (every claim at the hub once), the feed carrying no
//! other kiosk's IDs, and purge never touching what the hub has not
//! confirmed.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use cekiosk::domain::CodeSet;
use cekiosk::store::{CreditChoices, Store};
use common::{ADMIN, Hub, KioskDb, cluster, db_name, get, get_auth, ok, visit_as, write};

fn hub_cmd(url: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut c = Command::new(common::bin());
    c.arg("--config").arg(common::config_dir()).arg("hub");
    for a in args {
        c.arg(a);
    }
    c.args(["--database", url]).output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ama() -> CreditChoices {
    CreditChoices {
        codes: CodeSet::parse_list("AMA").unwrap(),
        ..CreditChoices::default()
    }
}

/// The claim ids at the hub, each with how many times it is there.
fn hub_claims(pg: &common::Cluster, name: &str) -> Vec<String> {
    let rows = pg.query(
        name,
        "SELECT claim_id || ' ' || count(*) FROM claims GROUP BY claim_id ORDER BY 1",
    );
    rows.lines().map(String::from).collect()
}

/// The CE office adds a late session and the day's on-site registrations
/// at the kiosks only. Claims for them are held at the hub with the
/// reason, the QR's page names no one until the roster has them, and all
/// of it counts the moment `hub import` brings them to the hub.
#[test]
fn a_kiosk_only_catalog_and_roster_are_held_then_count_after_hub_import() {
    let pg = cluster();
    let name = db_name("held");
    let url = pg.database(&name);
    let hub = Hub::start(&url);
    let dir = tempfile::tempdir().unwrap();
    let late = write(
        dir.path(),
        "late.csv",
        "session_id,title,starts_at,ends_at,credits,credit_types,track,room,acpe_uan\n\
         X901,Late-Breaking Abstracts,2026-11-23T18:00,2026-11-23T19:00,1,AMA,Plenary,Hall A,\n",
    );
    let onsite = write(
        dir.path(),
        "onsite.csv",
        "badge_id,first_name,last_name,degree,profession,email\n\
         W9001,Nadia,Haddad,MD,physician,nadia.haddad@example.org\n",
    );
    let k = KioskDb::new();
    for (what, file) in [("sessions", &late), ("attendees", &onsite)] {
        ok(&k
            .cmd(&[])
            .args(["import", what])
            .arg(file)
            .output()
            .unwrap());
    }
    let amelia = visit_as(&k, "A0012345", ama(), &[("X901", 4), ("S008", 4)]);
    let nadia = visit_as(&k, "W9001", ama(), &[("S015", 4)]);
    let out = ok(&k.sync(&hub.url, &[]));
    assert!(out.contains("2 of this kiosk's claims are held"), "{out}");

    // Held, with the reasons, for the office.
    let held = text(&hub_cmd(&url, &[&"held"]));
    assert!(
        held.contains("session X901 is not in the hub's catalog"),
        "{held}"
    );
    assert!(
        held.contains("attendee W9001 is not on the hub's roster"),
        "{held}"
    );
    let (status, csv) = get_auth(&format!("{}/reports/held.csv", hub.url), ADMIN);
    assert_eq!(status, 200);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // Amelia's page counts S008 and says X901 is being checked; Nadia's
    // names no one.
    let (_, page) = get(&format!("{}/c/{amelia}", hub.url));
    assert!(
        page.contains("Amelia Okafor") && page.contains("1 credit"),
        "{page}"
    );
    assert!(
        page.contains("Being checked") && page.contains("X901"),
        "{page}"
    );
    let (status, page) = get(&format!("{}/c/{nadia}", hub.url));
    assert_eq!(status, 200);
    assert!(page.contains("being checked"), "{page}");
    assert!(!page.contains("Certificate of Credit"), "{page}");
    // A kiosk-only import at the kiosk is all or nothing at the hub too.
    let bad = write(
        dir.path(),
        "bad.csv",
        "session_id,title,starts_at,ends_at,credits,credit_types\nX902,Bad,2026-11-23T18:00,2026-11-23T17:00,1,AMA\n",
    );
    let out = hub_cmd(&url, &[&"import", &"sessions", &bad]);
    assert!(!out.status.success());
    assert!(text(&out).contains("bad.csv:2:"), "{}", text(&out));
    // A session eligible for MOC must be for AMA: refused at the hub as at
    // the kiosk, with the file and line.
    let moc_only = write(
        dir.path(),
        "moc.csv",
        "session_id,title,starts_at,ends_at,credits,credit_types
X903,Board review,2026-11-23T08:00,2026-11-23T09:00,1,AMA
X904,Board review 2,2026-11-23T10:00,2026-11-23T11:00,1,MOC
",
    );
    let out = hub_cmd(&url, &[&"import", &"sessions", &moc_only]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("moc.csv:3: credit_types lists MOC without AMA"),
        "{}",
        text(&out)
    );

    // The hub imports them: every held claim counts, by itself.
    let out = ok(&hub_cmd(&url, &[&"import", &"sessions", &late]));
    assert!(out.contains("1 held claims now count"), "{out}");
    let out = ok(&hub_cmd(&url, &[&"import", &"attendees", &onsite]));
    assert!(out.contains("1 held claims now count"), "{out}");
    assert!(text(&hub_cmd(&url, &[&"held"])).contains("no claim is held"));
    let (_, page) = get(&format!("{}/c/{amelia}", hub.url));
    assert!(
        page.contains("2 credits") && !page.contains("Being checked"),
        "{page}"
    );
    let (_, page) = get(&format!("{}/c/{nadia}", hub.url));
    assert!(
        page.contains("Nadia Haddad") && page.contains("1 credit"),
        "{page}"
    );
    let out = ok(&k.sync(&hub.url, &[]));
    assert!(!out.contains("held"), "{out}");

    // Another kiosk receives the late session, the on-site attendee and
    // the claims that were held.
    let other = KioskDb::new();
    ok(&other.sync(&hub.url, &[]));
    let c = other.sqlite();
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM claims WHERE session_id = 'X901' OR badge_id = 'W9001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 2);
}

/// A session moved later, or its designation lowered, after claims were
/// made: the claims are held for the office, not rewritten.
#[test]
fn a_moved_or_lowered_session_holds_its_claims_for_the_office() {
    let pg = cluster();
    let name = db_name("moved");
    let url = pg.database(&name);
    let hub = Hub::start(&url);
    let k = KioskDb::new();
    let cert = visit_as(&k, "A0012345", ama(), &[("S008", 4), ("S015", 4)]);
    // The kiosk on the floor recorded the claims on the last afternoon.
    k.sqlite()
        .execute(
            "UPDATE outbox SET payload = json_set(payload, '$.claimed_at', '2026-11-27T20:00:00Z') WHERE kind = 'claim'",
            [],
        )
        .unwrap();
    ok(&k.sync(&hub.url, &[]));
    let (_, page) = get(&format!("{}/c/{cert}", hub.url));
    assert!(page.contains("2 credits"), "{page}");
    let line = |id: &str| {
        let all = std::fs::read_to_string(common::config_dir().join("sessions.csv")).unwrap();
        let header = all.lines().next().unwrap().to_string();
        let row = all
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .to_string();
        (header, row)
    };
    let dir = tempfile::tempdir().unwrap();
    // S008 lowered to 0.5; S015 moved to the last evening, after the
    // claims were made.
    let (header, s008) = line("S008");
    let (_, s015) = line("S015");
    let cols: Vec<&str> = header.split(',').collect();
    let credits = cols.iter().position(|c| *c == "credits").unwrap();
    let mut f008: Vec<String> = split_csv(&s008);
    f008[credits] = "0.5".into();
    let mut f015: Vec<String> = split_csv(&s015);
    let (sa, ea) = (
        cols.iter().position(|c| *c == "starts_at").unwrap(),
        cols.iter().position(|c| *c == "ends_at").unwrap(),
    );
    f015[sa] = "2026-11-27T18:00".into();
    f015[ea] = "2026-11-27T19:00".into();
    let changed = write(
        dir.path(),
        "changed.csv",
        &format!("{header}\n{}\n{}\n", join_csv(&f008), join_csv(&f015)),
    );
    let out = ok(&hub_cmd(&url, &[&"import", &"sessions", &changed]));
    assert!(out.contains("2 claims no longer fit and are held"), "{out}");
    let held = text(&hub_cmd(&url, &[&"held"]));
    assert!(held.contains("now designated 0.5"), "{held}");
    assert!(
        held.contains("session S015 had not ended when it was claimed"),
        "{held}"
    );
    let (_, page) = get(&format!("{}/c/{cert}", hub.url));
    assert!(page.contains("Being checked"), "{page}");
    // Nothing was rewritten: the claims are as the kiosk sent them.
    assert_eq!(
        pg.query(
            &name,
            "SELECT string_agg(credits_q::text, ',' ORDER BY session_id) FROM claims"
        ),
        "4,4"
    );
}

fn split_csv(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    r.records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect()
}

fn join_csv(fields: &[String]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields).unwrap();
    String::from_utf8(w.into_inner().unwrap())
        .unwrap()
        .trim_end()
        .to_string()
}

/// Copies a database file over another, as restoring a backup onto a
/// replacement machine does (no WAL left beside it).
fn restore(from: &Path, to: &Path) {
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", to.display()));
    }
    std::fs::copy(from, to).unwrap();
}

/// `cekiosk backup`, more claims and a sync, then the backup restored onto
/// the machine: what the kiosk records afterwards reaches the hub, every
/// claim is there once, and status says what happened.
#[test]
fn a_kiosk_restored_from_its_backup_loses_nothing() {
    let pg = cluster();
    let name = db_name("restored");
    let hub = Hub::start(&pg.database(&name));
    let k = KioskDb::new();
    visit_as(&k, "A0012345", ama(), &[("S008", 4)]);
    ok(&k.sync(&hub.url, &[]));
    let backup = k.dir.path().join("backup.db");
    ok(&k.cmd(&[]).arg("backup").arg(&backup).output().unwrap());
    visit_as(&k, "A0020001", ama(), &[("S015", 4)]);
    ok(&k.sync(&hub.url, &[]));
    restore(&backup, &k.db());
    // After the restore: a new attendee's claim, at sequence numbers the
    // hub already holds for this device.
    visit_as(&k, "A0010077", ama(), &[("S009", 6)]);
    let out = ok(&k.sync(&hub.url, &[]));
    assert!(out.contains("now uploads as device"), "{out}");
    let claims = hub_claims(pg, &name);
    assert_eq!(claims.len(), 3, "{claims:?}");
    assert!(claims.iter().all(|c| c.ends_with(" 1")), "{claims:?}");
    assert_eq!(
        pg.query(
            &name,
            "SELECT string_agg(session_id, ',' ORDER BY session_id) FROM claims"
        ),
        "S008,S009,S015"
    );
    let status = ok(&k.cmd(&[]).arg("status").output().unwrap());
    assert!(status.contains("not uploaded  0"), "{status}");
    assert!(status.contains("device notice"), "{status}");
    // The next records go under the new id, without a word.
    visit_as(&k, "A0012345", ama(), &[("S010", 2)]);
    let out = ok(&k.sync(&hub.url, &[]));
    assert!(!out.contains("now uploads as device"), "{out}");
    assert_eq!(hub_claims(pg, &name).len(), 4);
}

/// A disk image that held a kiosk.db, cloned onto two kiosks: both share
/// one device id. Each records claims; the hub never takes one's record
/// for the other's, answers 409 and keeps both, and every claim ends at
/// the hub once.
#[test]
fn two_kiosks_cloned_from_one_image_lose_nothing() {
    let pg = cluster();
    let name = db_name("cloned");
    let url = pg.database(&name);
    let hub = Hub::start(&url);
    let image = KioskDb::new();
    visit_as(&image, "A0012345", ama(), &[("S008", 4)]);
    ok(&image.sync(&hub.url, &[]));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    restore(&image.db(), &a.db());
    restore(&image.db(), &b.db());
    visit_as(&a, "A0020001", ama(), &[("S015", 4)]);
    visit_as(&b, "A0010077", ama(), &[("S009", 6), ("S010", 2)]);
    let out_a = ok(&a.sync(&hub.url, &[]));
    assert!(!out_a.contains("now uploads as device"), "{out_a}");
    let out_b = ok(&b.sync(&hub.url, &[]));
    assert!(out_b.contains("now uploads as device"), "{out_b}");
    let claims = hub_claims(pg, &name);
    assert_eq!(claims.len(), 4, "{claims:?}");
    assert!(claims.iter().all(|c| c.ends_with(" 1")), "{claims:?}");
    // The hub kept what B first sent at A's sequence numbers, for the office.
    let conflicts: i64 = pg
        .query(&name, "SELECT count(*) FROM conflicts")
        .parse()
        .unwrap();
    assert!(conflicts > 0);
    let held = text(&hub_cmd(&url, &[&"held"]));
    assert!(held.contains("restored from a backup, or cloned"), "{held}");
    // Both clones go on without conflict.
    visit_as(&a, "A0012345", ama(), &[("S011", 6)]);
    visit_as(&b, "A0020001", ama(), &[("S012", 6)]);
    for k in [&a, &b] {
        let out = ok(&k.sync(&hub.url, &[]));
        assert!(!out.contains("now uploads as device"), "{out}");
    }
    assert_eq!(hub_claims(pg, &name).len(), 6);
}

/// Kiosks receive what they need to show and count, not other kiosks'
/// attendees' IDs; a returning pharmacist keeps what is on file.
#[test]
fn the_feed_carries_no_other_kiosks_ids() {
    let pg = cluster();
    let name = db_name("minimal");
    let hub = Hub::start(&pg.database(&name));
    let a = KioskDb::new();
    visit_as(
        &a,
        "A0010077",
        CreditChoices {
            codes: CodeSet::parse_list("ACPE").unwrap(),
            epid: Some("8642097".into()),
            birth_mmdd: Some("1017".into()),
            pharm_role: Some("pharmacist".into()),
            ..CreditChoices::default()
        },
        &[("S001", 4)],
    );
    visit_as(
        &a,
        "A0012345",
        CreditChoices {
            codes: CodeSet::parse_list("AMA;MOC").unwrap(),
            moc_consent: true,
            abim_id: Some("574839".into()),
            birth_mmdd: Some("0611".into()),
            ..CreditChoices::default()
        },
        &[("S008", 4)],
    );
    ok(&a.sync(&hub.url, &[]));
    let b = KioskDb::new();
    ok(&b.sync(&hub.url, &[]));
    let bytes = std::fs::read(b.db()).unwrap();
    let wal = std::fs::read(format!("{}-wal", b.db().display())).unwrap_or_default();
    for secret in ["8642097", "574839", "1017", "0611"] {
        // As a JSON string in a payload, anywhere in the file. (The bare
        // digits can turn up by chance, in a timestamp's fraction.)
        let quoted = format!("\"{secret}\"");
        let found = |hay: &[u8]| hay.windows(quoted.len()).any(|w| w == quoted.as_bytes());
        assert!(
            !found(&bytes) && !found(&wal),
            "{secret} is in a payload in the other kiosk's database"
        );
        // And as a value in any column of any table.
        let cells = cells_equal_to(&b.db(), secret);
        assert!(
            cells.is_empty(),
            "{secret} is in the other kiosk's {cells:?}"
        );
    }
    // What is on file, without its value.
    let store = Store::open(&b.db()).unwrap();
    let p = store
        .profile("A0010077")
        .unwrap()
        .expect("the profile came down");
    assert_eq!(p.epid, None);
    assert_eq!(p.on_file.epid_ending.as_deref(), Some("97"));
    assert!(p.on_file.birth);
    let p = store.profile("A0012345").unwrap().unwrap();
    assert_eq!(p.abim_id, None);
    assert_eq!(p.on_file.abim_ending.as_deref(), Some("39"));
    drop(store);
    // The pharmacist returns at kiosk B and keeps what is on file: CPE
    // Monitor still gets their ID.
    visit_as(
        &b,
        "A0010077",
        CreditChoices {
            codes: CodeSet::parse_list("ACPE").unwrap(),
            pharm_role: Some("pharmacist".into()),
            on_file: cekiosk::store::OnFile {
                epid_ending: Some("21".into()),
                abim_ending: None,
                birth: true,
            },
            ..CreditChoices::default()
        },
        &[("S020", 4)],
    );
    ok(&b.sync(&hub.url, &[]));
    let (_, cpe) = get_auth(&format!("{}/reports/cpe-monitor.csv", hub.url), ADMIN);
    // The file holds CPE Monitor's fields only (no badge): every row is
    // this pharmacist's, with the ID and birth date on file.
    let rows: Vec<&str> = cpe.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{cpe}");
    assert!(rows.iter().all(|r| r.contains("8642097,1017")), "{cpe}");
}

/// `cekiosk purge` removes what the hub confirmed, past the retention,
/// and never a record the hub has not confirmed.
#[test]
fn purge_never_touches_what_the_hub_has_not_confirmed() {
    let pg = cluster();
    let name = db_name("purge");
    let hub = Hub::start(&pg.database(&name));
    let k = KioskDb::new();
    visit_as(&k, "A0012345", ama(), &[("S008", 4)]);
    ok(&k.sync(&hub.url, &[]));
    visit_as(&k, "A0020001", ama(), &[("S015", 4)]);
    let pending: Vec<(String, String)> = {
        let c = k.sqlite();
        let mut s = c
            .prepare("SELECT kind, record_id FROM outbox WHERE uploaded_at IS NULL ORDER BY seq")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(!pending.is_empty());
    // A retention of a week keeps everything: it all happened today.
    let out = ok(&k
        .cmd(&[])
        .args(["purge", "--older-than", "7"])
        .output()
        .unwrap());
    assert!(
        out.contains("removed 0 uploaded records, 0 claims"),
        "{out}"
    );
    // None: what the hub confirmed goes; what it has not stays, whole.
    let out = ok(&k
        .cmd(&[])
        .args(["purge", "--older-than", "0"])
        .output()
        .unwrap());
    assert!(out.contains("kept"), "{out}");
    let c = k.sqlite();
    let still: Vec<(String, String)> = {
        let mut s = c
            .prepare("SELECT kind, record_id FROM outbox WHERE uploaded_at IS NULL AND kind <> 'audit' ORDER BY seq")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let pending: Vec<(String, String)> =
        pending.into_iter().filter(|(k, _)| k != "audit").collect();
    assert_eq!(still, pending, "an unconfirmed record was removed");
    let claims: Vec<String> = {
        let mut s = c.prepare("SELECT session_id FROM claims").unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        claims,
        vec!["S015".to_string()],
        "the confirmed claim went, the pending one stayed"
    );
    let confirmed: i64 = c
        .query_row(
            "SELECT count(*) FROM outbox WHERE uploaded_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(confirmed, 0);
    drop(c);
    // The pending records still reach the hub.
    ok(&k.sync(&hub.url, &[]));
    assert_eq!(
        pg.query(
            &name,
            "SELECT string_agg(session_id, ',' ORDER BY session_id) FROM claims"
        ),
        "S008,S015"
    );
}

/// The `table.column`s of a SQLite database where some row holds exactly
/// `value`.
fn cells_equal_to(db: &std::path::Path, value: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut found = Vec::new();
    for t in tables {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for c in columns {
            let n: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM \"{t}\" WHERE CAST(\"{c}\" AS TEXT) = ?1"),
                    [value],
                    |r| r.get(0),
                )
                .unwrap();
            if n > 0 {
                found.push(format!("{t}.{c}"));
            }
        }
    }
    found
}
