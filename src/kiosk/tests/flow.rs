//! The attendee's walk through the screens: forward to a commit, back
//! one screen at a time, abandoned (idle), and a kiosk out of service.

use super::*;

#[test]
fn a_first_visit_walks_every_screen_and_commits_once() {
    let mut w = World::new();
    assert_eq!(w.screen(), "scan");
    w.walk_to_sessions(physician());
    w.select(&["S1", "S3"]);
    // Claim less than designated for S1: 1.25 → 1.
    let idx = w.app.ctx.catalog.index_of("S1").unwrap();
    let Screen::Sessions(s) = &mut w.app.screen else {
        unreachable!()
    };
    s.cursor = s
        .rows
        .iter()
        .position(|r| *r == crate::kiosk::screens::sessions::ListEntry::Session(idx))
        .unwrap();
    w.key(KeyCode::Char('-'));
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "evaluation");
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let visit = commit_of(w.key(KeyCode::Enter));
    assert_eq!(visit.badge_id, "A0012345");
    assert_eq!(visit.kiosk_id, "K01");
    assert_eq!(visit.device_id, "device-1");
    let mut claims = visit.claims.clone();
    claims.sort();
    assert_eq!(claims, vec![("S1".to_string(), 4), ("S3".to_string(), 4)]);
    assert_eq!(visit.profile.codes.to_list(), "AMA");
    assert!(
        visit
            .answers
            .iter()
            .any(|(q, a)| q == "objective_1" && a == "Strongly agree")
    );
    w.app.update(Msg::Committed(Ok(certificate()), w.at(2.0)));
    assert_eq!(w.screen(), "certificate");
    let Screen::Certificate(c) = &w.app.screen else {
        unreachable!()
    };
    assert_eq!(c.url, "https://ce.example.org/c/AbCdEfGhIjKlMnOpQrStUv");
    w.key_at(KeyCode::Enter, 3.0);
    assert_eq!(w.screen(), "scan");
    assert!(w.app.visit.is_none());
}

#[test]
fn esc_goes_back_one_screen_and_not_me_forgets() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "credit");
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "welcome");
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "scan");
    assert!(w.app.visit.is_none());
}

#[test]
fn idle_warning_then_wipe() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    let warn = w.app.ctx.config.kiosk.warning_seconds as f64;
    w.app.update(Msg::Tick(w.at(1.0 + idle - 0.5)));
    assert!(w.app.warning_since.is_none());
    w.app.update(Msg::Tick(w.at(1.0 + idle)));
    assert!(w.app.warning_since.is_some());
    let screen = w.render(120, 33, 1.0 + idle + 1.0);
    assert!(
        screen.contains("Still there? Press any key for more time"),
        "{screen}"
    );
    // Any key extends, and does nothing else.
    w.key_at(KeyCode::Char(' '), 2.0 + idle);
    assert!(w.app.warning_since.is_none());
    assert_eq!(w.app.visit.as_ref().unwrap().selected.len(), 1);
    // Left alone again: warning, then the countdown runs out.
    let t = 2.0 + 2.0 * idle;
    w.app.update(Msg::Tick(w.at(t)));
    assert!(w.app.warning_since.is_some());
    w.app.update(Msg::Tick(w.at(t + warn)));
    assert_eq!(w.screen(), "scan");
    assert!(w.app.visit.is_none());
    let screen = w.render(120, 33, t + warn);
    assert!(
        !screen.contains("Okafor") && !screen.contains("Immunotherapy"),
        "{screen}"
    );
    // At rest, the kiosk has nothing to wake up for.
    assert_eq!(w.app.next_deadline(w.at(t + warn)), None);
}

#[test]
fn out_of_service_until_writes_go_through_again() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.app.update(Msg::Committed(
        Err("database or disk is full".into()),
        w.at(2.0),
    ));
    assert_eq!(w.screen(), "out-of-service");
    assert!(
        w.app.visit.is_none(),
        "the unfinished claim is not kept on screen"
    );
    let screen = w.render(120, 33, 2.0);
    assert!(
        screen.contains("This kiosk is out of service — please use another."),
        "{screen}"
    );
    assert!(
        !screen.contains("disk is full"),
        "the attendee is not shown the technical reason"
    );
    // Keys do nothing; every few seconds the kiosk tries writing again.
    assert!(w.key_at(KeyCode::Enter, 3.0).is_empty());
    assert_eq!(w.app.update(Msg::Tick(w.at(2.0 + 5.0))), vec![]);
    assert_eq!(
        w.app.update(Msg::Tick(w.at(2.0 + 10.0))),
        vec![Effect::Probe]
    );
    w.app.update(Msg::Probed(false, w.at(12.0)));
    assert_eq!(w.screen(), "out-of-service");
    assert_eq!(w.app.update(Msg::Tick(w.at(22.0))), vec![Effect::Probe]);
    w.app.update(Msg::Probed(true, w.at(22.0)));
    assert_eq!(w.screen(), "scan");
    assert_eq!(w.app.next_deadline(w.at(22.0)), None);
}
