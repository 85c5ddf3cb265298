//! Door scans: `cekiosk hub import scans` checks every row as the other
//! imports do (all or nothing, `FILE:LINE: what is wrong`) and adds a
//! scan once however often it is imported; the scans reach a kiosk at its
//! next sync and tick the sessions the attendee was scanned into; a claim
//! with no scan where scans were taken is flagged in the credits report
//! and in what the attendee's page reads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use std::time::Instant;

use cekiosk::config::Config;
use cekiosk::kiosk::setup::BadgeMatch;
use cekiosk::kiosk::visit::Visit;
use cekiosk::store::Store;

use crate::common::{
    ADMIN, Hub, KioskDb, cluster, config_dir, db_name, get_auth, hub_cli, ok, write,
};
use crate::visit;

const AMELIA: &str = "A0012345";

/// Amelia was scanned into S108 (07:30–08:45, no direction recorded), the
/// poster hall S110 (08:00–11:00) and then the plenary S112 (09:00–10:30),
/// and seen leaving S116; Robert was scanned into S061 on the day before.
/// The scanner sent one of her scans twice.
const SCANS: &str = "badge_id,session_id,scanned_at,direction\n\
    A0012345,S110,2026-11-25T07:59,in\n\
    A0012345,S112,2026-11-25T09:01,IN\n\
    A0012345,S112,2026-11-25T09:01,in\n\
    A0012345,S108,2026-11-25T07:28,\n\
    A0012345,S116,2026-11-25T11:01,out\n\
    A0010158,S061,2026-11-24T09:02,in\n";

fn import_scans(file: &Path, url: &str) -> Output {
    hub_cli(&[&"import", &"scans", &file], url)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The scans in a file as the test reads it: (badge, session, direction).
fn rows(csv_text: &str) -> Vec<(String, String, String)> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[0].to_string(), x[1].to_string(), x[3].to_lowercase())
        })
        .collect()
}

#[test]
fn a_scans_file_with_bad_rows_is_refused_whole_with_file_and_line() {
    let pg = cluster();
    let name = db_name("scans_bad");
    let url = pg.database(&name);
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "door.csv",
        "badge_id,session_id,scanned_at,direction\n\
         ZZZ999,S110,2026-11-25T07:59,in\n\
         A0012345,S999,2026-11-25T07:59,in\n\
         A0012345,S110,2026-11-25 07:59,in\n\
         A0012345,S110,2026-11-25T07:59,sideways\n\
         A0012345,S110,2026-12-01T07:59,in\n\
         ,S110,2026-11-25T07:59,in\n\
         A0012345,S112,2026-11-25T09:01,in\n",
    );
    let out = import_scans(&bad, &url);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    let f = bad.display();
    for (line, what) in [
        (2, "badge_id 'ZZZ999' is not on the hub's roster"),
        (3, "session_id 'S999' is not in the hub's catalog"),
        (
            4,
            "scanned_at: '2026-11-25 07:59' is not a time as YYYY-MM-DDTHH:MM",
        ),
        (5, "direction 'sideways' is not in or out"),
        (6, "is outside the event's dates 2026-11-23 to 2026-11-27"),
        (7, "badge_id is empty"),
    ] {
        let wanted = format!("{f}:{line}: ");
        let found = said
            .lines()
            .find(|l| l.contains(&wanted))
            .unwrap_or_else(|| panic!("nothing said of line {line}:\n{said}"));
        assert!(found.contains(what), "line {line}: {found}");
    }
    assert!(!said.contains(&format!("{f}:8:")), "{said}");
    // Nothing was written, not even the good row, and kiosks get nothing.
    assert_eq!(pg.query(&name, "SELECT count(*) FROM scans"), "0");
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM changes WHERE kind = 'scan'"),
        "0"
    );
    let no_time = write(
        dir.path(),
        "short.csv",
        "badge_id,session_id\nA0012345,S110\n",
    );
    let said = text(&import_scans(&no_time, &url));
    assert!(
        said.contains(&format!(
            "{}:1: missing required column scanned_at",
            no_time.display()
        )),
        "{said}"
    );
}

#[test]
fn scans_reach_a_kiosk_at_its_next_sync_and_tick_its_sessions() {
    let pg = cluster();
    let name = db_name("scans_sync");
    let url = pg.database(&name);
    let hub = Hub::start(&url);
    let k = KioskDb::new();
    ok(&k.sync(&hub.url, &[]));
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "door.csv", SCANS);
    let said = ok(&import_scans(&file, &url));
    assert!(
        said.contains("5 door scans read, 5 new at the hub"),
        "{said}"
    );
    // The same file again is the same scans: nothing new for kiosks.
    let said = ok(&import_scans(&file, &url));
    assert!(said.contains("0 new at the hub, 5 already there"), "{said}");
    let feed = crate::common::read_feed(&hub.url);
    assert_eq!(feed.iter().filter(|(_, kind)| kind == "scan").count(), 5);
    // Each as the records module writes a scan.
    for payload in pg
        .query(&name, "SELECT payload FROM changes WHERE kind = 'scan'")
        .lines()
    {
        let body = cekiosk::records::Body::decode("scan", payload).unwrap();
        assert_eq!(body.to_json(), payload);
    }

    ok(&k.sync(&hub.url, &[]));
    let at_kiosk: BTreeSet<(String, String, String)> = {
        let c = k.sqlite();
        let mut s = c
            .prepare("SELECT badge_id, session_id, direction FROM scans")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(at_kiosk, rows(SCANS).into_iter().collect());

    // Amelia at this kiosk at noon on the 25th: S112 (scanned last) and
    // S108 (before the poster hall opened) are ticked whole; the poster
    // hall overlaps both and S116 saw her leave.
    let config = Config::load(&config_dir()).unwrap();
    let store = Store::open(&k.db()).unwrap();
    let now = jiff::civil::date(2026, 11, 25).at(12, 0, 0, 0);
    let ctx = cekiosk::kiosk::context(config.clone(), &store, Some(now)).unwrap();
    let BadgeMatch::Attendee(found) = cekiosk::kiosk::resolve(&store, &config, AMELIA).unwrap()
    else {
        panic!("{AMELIA} is not on the kiosk's roster");
    };
    let mut v = Visit::new(&ctx, *found);
    v.tick_scanned(&ctx, ctx.clock.minutes_at(Instant::now()));
    let ticked: BTreeMap<&str, u32> = v
        .selected
        .iter()
        .map(|(i, q)| (ctx.catalog.sessions[*i].id.as_str(), *q))
        .collect();
    // Designated 1 and 1.25 credits: 4 and 5 quarter hours.
    assert_eq!(ticked, BTreeMap::from([("S108", 4), ("S112", 5)]));
    let marked: BTreeSet<&str> = v
        .scanned
        .keys()
        .map(|i| ctx.catalog.sessions[*i].id.as_str())
        .collect();
    assert_eq!(marked, BTreeSet::from(["S108", "S110", "S112"]));
}

#[test]
fn a_claim_without_a_scan_where_scans_were_taken_is_flagged() {
    let pg = cluster();
    let name = db_name("scans_flag");
    let url = pg.database(&name);
    let hub = Hub::start(&url);
    let dir = tempfile::tempdir().unwrap();
    ok(&import_scans(&write(dir.path(), "door.csv", SCANS), &url));
    // Amelia claims two sessions she was scanned into, S061 (where only
    // Robert was scanned) and S053 (where no one was).
    let claimed = ["S110", "S112", "S061", "S053"];
    let k = KioskDb::new();
    let claims: Vec<(&str, u32)> = claimed.iter().map(|s| (*s, 1)).collect();
    visit(&k, AMELIA, "AMA", &claims);
    ok(&k.sync(&hub.url, &[]));

    // The rule, worked out from the file: scans were taken at a session's
    // door, and none of them is hers.
    let scans = rows(SCANS);
    let flagged: Vec<&str> = claimed
        .iter()
        .copied()
        .filter(|s| scans.iter().any(|(_, x, _)| x == s))
        .filter(|s| !scans.iter().any(|(b, x, _)| b == AMELIA && x == s))
        .collect();
    assert_eq!(flagged, ["S061"]);

    let (status, report) = get_auth(&format!("{}/reports/credits.csv", hub.url), ADMIN);
    assert_eq!(status, 200, "{report}");
    let mut r = csv::Reader::from_reader(report.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    // SPEC section 7's columns stay as they were, the flag comes last.
    assert_eq!(
        header,
        [
            "badge_id",
            "first_name",
            "last_name",
            "degree",
            "profession",
            "email",
            "credit_type",
            "credits",
            "certificate_id",
            "issued",
            "last_changed",
            "no_door_scan"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let hers: Vec<&csv::StringRecord> = rows.iter().filter(|x| &x[0] == AMELIA).collect();
    assert_eq!(hers.len(), 1, "{report}");
    assert_eq!(
        (&hers[0][6], &hers[0][11]),
        ("AMA", flagged.join(";").as_str())
    );

    // What the attendee's page reads: her scans in time order, and each
    // claim flagged or not by the same rule.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = runtime.block_on(async {
        let pool = cekiosk::hub::db::pool(&url, 1).unwrap();
        cekiosk::hub::db::attendee_scans(&pool, AMELIA)
            .await
            .unwrap()
    });
    let times: Vec<(&str, &str)> = seen
        .scans
        .iter()
        .map(|s| (s.session_id.as_str(), s.scanned_at.as_str()))
        .collect();
    assert_eq!(
        times,
        [
            ("S108", "2026-11-25T07:28"),
            ("S110", "2026-11-25T07:59"),
            ("S112", "2026-11-25T09:01"),
            ("S116", "2026-11-25T11:01")
        ]
    );
    assert!(seen.scans[1].title.starts_with("Poster Session C"));
    let by_claim: BTreeMap<&str, (bool, bool)> = seen
        .claims
        .iter()
        .map(|c| (c.session_id.as_str(), (c.scans_taken, c.without_scan)))
        .collect();
    let want: BTreeMap<&str, (bool, bool)> = claimed
        .iter()
        .map(|s| {
            let taken = scans.iter().any(|(_, x, _)| x == s);
            (*s, (taken, flagged.contains(s)))
        })
        .collect();
    assert_eq!(by_claim, want);
}
