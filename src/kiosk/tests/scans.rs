//! Door scans on the Sessions screen: the sessions an attendee was
//! scanned into arrive ticked and marked, as far as the rules let each
//! count whole, and what the attendee unticks stays unticked.

use super::*;

fn ticked(w: &World) -> Vec<String> {
    let v = w.app.visit.as_ref().unwrap();
    v.selected
        .keys()
        .map(|i| w.app.ctx.catalog.sessions[*i].id.clone())
        .collect()
}

/// The line of the screen that shows a session's title.
fn row_of<'a>(screen: &'a str, title: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(title))
        .unwrap_or_else(|| panic!("{title} is not on screen:\n{screen}"))
}

#[test]
fn scanned_sessions_arrive_ticked_and_an_untick_is_kept_to_the_commit() {
    let mut w = World::new();
    w.walk_to_sessions(scanned_physician());
    // S2 and S4 overlap: S4, scanned later, is ticked; S7 carries no
    // credit for a physician.
    let mut want = vec!["S4", "S6"];
    want.sort();
    assert_eq!(ticked(&w), want);
    let v = w.app.visit.as_ref().unwrap();
    let s4 = w.app.ctx.catalog.index_of("S4").unwrap();
    assert_eq!(v.selected[&s4], 4, "ticked for the whole designation");
    for size in [(80, 24), (120, 33)] {
        let screen = w.render(size.0, size.1, 1.0);
        assert!(
            screen.contains(&Words::default().scanned_note()),
            "{screen}"
        );
        for (title, mark) in [
            ("Poster Session A", "[ ]"),
            ("Breast Cancer Update", "[✓]"),
            ("Lung Cancer Screening", "[✓]"),
            ("Nursing Grand Rounds", " · "),
        ] {
            let row = row_of(&screen, title);
            assert!(row.contains("scanned at the door"), "{row}");
            assert!(row.contains(mark), "{row}");
        }
        let row = row_of(&screen, "Immunotherapy Toxicities");
        assert!(!row.contains("scanned at the door"), "{row}");
    }
    // The attendee unticks S6; back to Credit and on again, it stays so.
    w.select(&["S6"]);
    assert_eq!(ticked(&w), ["S4"]);
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "credit");
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "sessions");
    assert_eq!(ticked(&w), ["S4"]);
    // The overlapping S2 can still be ticked by hand; the rules count
    // the two once.
    w.select(&["S2"]);
    w.select(&["S2"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let visit = commit_of(w.key(KeyCode::Enter));
    assert_eq!(visit.claims, vec![("S4".to_string(), 4)]);
}

#[test]
fn a_session_claimed_before_stays_claimed_though_scanned() {
    let mut w = World::new();
    let mut who = scanned_physician();
    who.claims = vec![ClaimRow {
        claim_id: "c1".into(),
        session_id: "S6".into(),
        credits: 3,
        claimed_at: "2026-11-24T20:00:00Z".into(),
        voided: false,
    }];
    w.walk_to_sessions(who);
    assert_eq!(ticked(&w), ["S4"]);
    let screen = w.render(120, 33, 1.0);
    assert!(
        screen.contains(&Words::default().scanned_note()),
        "{screen}"
    );
    let row = row_of(&screen, "Lung Cancer Screening");
    assert!(row.contains("claimed 0.75"), "{row}");
    assert!(!row.contains("scanned at the door"), "{row}");
}

#[test]
fn scans_that_tick_nothing_say_nothing_of_ticking() {
    let mut w = World::new();
    let mut who = physician();
    // Nursing Grand Rounds carries no credit for a physician.
    who.scanned = [("S7".to_string(), "2026-11-24T09:58".to_string())].into();
    w.walk_to_sessions(who);
    assert!(ticked(&w).is_empty());
    let screen = w.render(80, 24, 1.0);
    assert!(row_of(&screen, "Nursing Grand Rounds").contains("scanned at the door"));
    assert!(
        !screen.contains(&Words::default().scanned_note()),
        "{screen}"
    );
}

#[test]
fn without_scans_nothing_is_ticked_or_marked() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    assert!(ticked(&w).is_empty());
    let screen = w.render(80, 24, 1.0);
    assert!(!screen.contains("door"), "{screen}");
}
