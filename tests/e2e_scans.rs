//! End to end, with a real hub: the CE office imports the door scans, the
//! kiosk syncs, and the attendee finds the sessions they were scanned
//! into ticked and marked "scanned at the door" on the smallest screen
//! the kiosk supports; they untick one, and the claim committed holds
//! exactly what stayed ticked.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::tmux::{Kiosk, SCAN, SHORT, Style, heading};
use common::{Hub, cluster, db_name, hub_cli, ok, sync_db, write};

static STYLE: Style = Style {
    name: "scans",
    needed_by: "the end-to-end door scans test",
    then: " and run the tests again",
    human_gap: Duration::from_millis(120),
    poll: Duration::from_millis(50),
    full_reports: false,
};

const AMELIA: &str = "A0012345";
const MARK: &str = "scanned at the door";

/// The kiosk's title of a session, cut to what an 80-column row shows.
fn title(k: &Kiosk, session: &str) -> String {
    let c =
        rusqlite::Connection::open_with_flags(k.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let t: String = c
        .query_row(
            "SELECT title FROM sessions WHERE session_id = ?1",
            [session],
            |r| r.get(0),
        )
        .unwrap();
    t.chars().take(20).collect()
}

/// The screen's line for a session.
fn row<'a>(k: &Kiosk, screen: &'a str, title: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(title))
        .unwrap_or_else(|| k.fail_with(&format!("{title:?} is not on screen"), screen))
}

#[test]
fn sessions_scanned_at_the_door_arrive_ticked_and_an_untick_holds() {
    let pg = cluster();
    let url = pg.database(&db_name("e2e_scans"));
    let hub = Hub::start(&url);
    let dir = tempfile::tempdir().unwrap();
    // S108 (07:30–08:45) and S112 (09:00–10:30) fit together; the poster
    // hall S110 (08:00–11:00) overlaps both and was entered before S112,
    // so it is marked, not ticked; S116 saw her leave only.
    let file = write(
        dir.path(),
        "door.csv",
        "badge_id,session_id,scanned_at,direction\n\
         A0012345,S108,2026-11-25T07:28,in\n\
         A0012345,S110,2026-11-25T07:59,in\n\
         A0012345,S112,2026-11-25T09:01,\n\
         A0012345,S116,2026-11-25T11:01,out\n",
    );
    ok(&hub_cli(&[&"import", &"scans", &file], &url));

    let k = Kiosk::launch(&STYLE, "scans", 80, 24, &[], tempfile::tempdir().unwrap());
    k.wait_for(SCAN, Duration::from_secs(15));
    // The kiosk's next sync, as `cekiosk sync` on its database.
    ok(&sync_db(&k.db(), &hub.url));
    let (s108, s110, s112) = (title(&k, "S108"), title(&k, "S110"), title(&k, "S112"));

    k.type_like_scanner(AMELIA);
    k.wait_for("Welcome, Amelia Okafor", SHORT);
    k.press("Enter");
    k.wait_until("the Credit screen", SHORT, |s| {
        heading(s).contains("Credit")
    });
    k.press("Enter");
    k.wait_until("Sessions with the door scans", SHORT, |s| {
        heading(s).contains("Sessions") && s.contains(MARK)
    });
    // The morning's rows, read while the highlight walks down the list
    // (80×24 shows a dozen at a time), without the highlight's pointer.
    let mut rows: BTreeSet<String> = BTreeSet::new();
    for _ in 0..12 {
        let s = k.capture();
        rows.extend(s.lines().map(|l| l.replace('▶', " ")));
        if s.contains(&s112) && s.contains(&s110) && s.contains(&s108) {
            break;
        }
        k.press("Down");
        std::thread::sleep(Duration::from_millis(60));
    }
    let listed = rows.iter().cloned().collect::<Vec<_>>().join("\n");
    for (title, mark) in [(&s108, "[✓]"), (&s110, "[ ]"), (&s112, "[✓]")] {
        let r = row(&k, &listed, title);
        if !(r.contains(mark) && r.contains(MARK)) {
            k.fail_with(&format!("{title:?} is not {mark} and {MARK:?}"), &listed);
        }
    }
    if rows.iter().filter(|l| l.contains(MARK)).count() != 3 {
        k.fail_with("a session not scanned in is marked", &listed);
    }
    if rows.iter().filter(|l| l.contains("[✓]")).count() != 2 {
        k.fail_with("more than the two scanned sessions are ticked", &listed);
    }

    // She was not at S108 after all: back up to it, Space.
    for _ in 0..30 {
        let s = k.capture();
        if s.lines().any(|l| l.contains(&s108) && l.starts_with(" ▶")) {
            break;
        }
        k.press("Up");
        std::thread::sleep(Duration::from_millis(60));
    }
    k.press("Space");
    k.wait_until("S108 unticked", SHORT, |s| {
        s.lines()
            .any(|l| l.contains(&s108) && l.contains("[ ]") && l.contains(MARK))
    });
    k.press("Enter");
    let screen = k.wait_for("Question 1 of", SHORT);
    let attest = k.answer_evaluation(screen);
    if !attest.contains(&s112) || attest.contains(&s108) {
        k.fail_with(
            "Attest does not list exactly the session left ticked",
            &attest,
        );
    }
    k.press("Enter");
    k.wait_until("the Certificate screen", SHORT, |s| {
        heading(s).contains("Certificate") && s.contains('█')
    });
    // S112 alone, whole: 1.25 credits are 5 quarter hours.
    let claims: Vec<(String, i64)> = {
        let c = rusqlite::Connection::open(k.db()).unwrap();
        let mut q = c
            .prepare("SELECT session_id, credits_q FROM claims WHERE badge_id = ?1")
            .unwrap();
        q.query_map([AMELIA], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    if claims != [("S112".to_string(), 5)] {
        k.fail(&format!(
            "the claims committed are {claims:?}, not S112 whole"
        ));
    }
}
