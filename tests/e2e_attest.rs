//! End to end, with a real hub: while an attendee answers the evaluation at
//! one kiosk, the same session is claimed for them at another, and the
//! first kiosk learns it by syncing. Enter on Attest then takes the
//! attendee back to Sessions with the reason and their answers kept, not
//! to "out of service"; they finish, and every claim is there once.

mod common;

use std::time::Duration;

use cekiosk::domain::CodeSet;
use cekiosk::store::CreditChoices;
use common::attendee_flow::walk_to_attest;
use common::tmux::{Kiosk, SCAN, SHORT, Style, heading};
use common::{Hub, KioskDb, TOKEN, cluster, db_name, ok, visit_as};

static STYLE: Style = Style {
    name: "attest",
    needed_by: "the end-to-end Attest test",
    then: " and run the tests again",
    human_gap: Duration::from_millis(120),
    poll: Duration::from_millis(50),
    full_reports: false,
};

const AMELIA: &str = "A0012345";

#[test]
fn a_session_claimed_elsewhere_meanwhile_sends_the_attendee_back_to_sessions() {
    let pg = cluster();
    let name = db_name("attest");
    let hub = Hub::start(&pg.database(&name));
    let dir = tempfile::tempdir().unwrap();
    let k = Kiosk::launch(&STYLE, "attest", 120, 33, &[], dir);
    k.wait_for(SCAN, Duration::from_secs(15));
    walk_to_attest(&k, AMELIA, "Amelia Okafor");
    let attest = k.capture();
    let first = attest
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("✓ "))
        .unwrap_or_else(|| k.fail_with("no session on Attest", &attest));
    // "Wed 07:30–08:45  Title  (1.25)": the title between the spaces.
    let title = first
        .split("  ")
        .nth(1)
        .unwrap_or_else(|| k.fail_with("no title on the Attest line", &attest))
        .trim()
        .to_string();
    let (session, designated): (String, u32) = rusqlite::Connection::open(k.db())
        .unwrap()
        .query_row(
            "SELECT session_id, credits_q FROM sessions WHERE title = ?1",
            [&title],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();

    // Meanwhile, at another kiosk.
    let other = KioskDb::new();
    let profile = CreditChoices {
        codes: CodeSet::parse_list("AMA").unwrap(),
        ..CreditChoices::default()
    };
    visit_as(&other, AMELIA, profile, &[(session.as_str(), designated)]);
    ok(&other.sync(&hub.url, &[]));
    // This kiosk's background upload, as `cekiosk sync` on its database.
    ok(&std::process::Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .arg("--db")
        .arg(k.db())
        .args(["sync", "--hub", &hub.url])
        .env("CEKIOSK_SYNC_TOKEN", TOKEN)
        .output()
        .unwrap());

    k.press("Enter");
    // The screen is captured as tmux has it, possibly half redrawn: wait
    // for the whole of what is expected (or for the wrong screen).
    let screen = k.wait_until("Sessions, with the reason", SHORT, |s| {
        (heading(s).contains("Sessions") && s.contains("Your records changed while you answered"))
            || heading(s).contains("out of service")
    });
    if !heading(&screen).contains("Sessions") {
        k.fail_with("the kiosk did not go back to Sessions", &screen);
    }
    if !screen.contains("Your records changed while you answered") {
        k.fail_with("no reason on Sessions", &screen);
    }
    // The session claimed elsewhere shows as claimed; the others are still
    // ticked.
    let row = screen
        .lines()
        .find(|l| l.contains(&title[..title.len().min(30)]))
        .unwrap_or_else(|| k.fail_with("the session is not listed", &screen));
    if !row.contains("claimed") {
        k.fail_with(
            "the session claimed elsewhere is not shown as claimed",
            &screen,
        );
    }
    let ticked = screen.lines().filter(|l| l.contains("[✓]")).count();
    if ticked < 3 {
        k.fail_with("the attendee's other choices were lost", &screen);
    }
    if k.count(
        "SELECT count(*) FROM certificates WHERE device_id = (SELECT value FROM meta WHERE key = 'device_id')",
    ) != 0
    {
        k.fail("a certificate was written although the commit was refused");
    }
    // On again: the evaluation keeps its answers, and the claim goes in.
    k.press("Enter");
    let screen = k.wait_until("the evaluation or Attest", SHORT, |s| {
        heading(s).contains("Attest") || s.contains("Question 1 of")
    });
    k.answer_evaluation(screen);
    k.press("Enter");
    k.wait_until("the Certificate screen", SHORT, |s| {
        heading(s).contains("Certificate") && s.contains('█')
    });
    let claims = k.count(&format!(
        "SELECT count(*) FROM claims WHERE badge_id = '{AMELIA}' AND voided_at IS NULL"
    ));
    let of_session = k.count(&format!(
        "SELECT count(*) FROM claims WHERE badge_id = '{AMELIA}' AND session_id = '{session}'"
    ));
    if claims != 3 || of_session != 1 {
        k.fail(&format!(
            "{claims} claims for the attendee and {of_session} for {session}; want 3 and 1"
        ));
    }
}
