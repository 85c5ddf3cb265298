//! Attest: what happens when the commit is refused by a rule.

use super::*;

/// The session was claimed at another kiosk while the attendee answered
/// the evaluation: the commit is refused by a rule. The attendee goes back
/// to Sessions with the reason, the session shows as claimed, and the
/// answers are kept.
#[test]
fn a_rule_failure_at_attest_goes_back_to_sessions_with_answers_kept() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1", "S6"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let answers = w.app.visit.as_ref().unwrap().answers.clone();
    assert!(!answers.is_empty());
    let mut fresh = physician();
    fresh.claims = vec![ClaimRow {
        claim_id: "elsewhere".into(),
        session_id: "S6".into(),
        credits: 4,
        claimed_at: "2026-11-25T17:00:00Z".into(),
        voided: false,
    }];
    w.app.update(Msg::Committed(
        Err(crate::kiosk::msg::CommitFailed::Rule {
            reason: "session S6 is already claimed by A0012345".into(),
            fresh: Some(Box::new(fresh)),
        }),
        w.at(2.0),
    ));
    assert_eq!(w.screen(), "sessions", "not out of service");
    let visit = w.app.visit.as_ref().unwrap();
    assert_eq!(visit.answers, answers, "the answers are kept");
    let s1 = w.app.ctx.catalog.index_of("S1").unwrap();
    let s6 = w.app.ctx.catalog.index_of("S6").unwrap();
    assert!(visit.selected.contains_key(&s1));
    assert!(
        !visit.selected.contains_key(&s6),
        "claimed elsewhere: unticked"
    );
    assert!(visit.is_prior(s6));
    let screen = w.render(120, 33, 2.0);
    assert!(
        screen.contains("Your records changed while you answered"),
        "{screen}"
    );
    assert!(
        screen.contains("Lung Cancer Screening in Practice"),
        "{screen}"
    );
    // Enter goes on with the answers there: the evaluation is complete.
    w.key(KeyCode::Enter);
    assert!(
        matches!(w.screen(), "evaluation" | "attest"),
        "{}",
        w.screen()
    );
}

/// Draws the kiosk at 80×24 and returns what a tap can hit.
fn hits_80x24(w: &World) -> crate::kiosk::view::TapTargets {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut hits = vec![];
    terminal
        .draw(|f| hits = crate::kiosk::view::draw(&w.app, f, w.at(1.0)))
        .unwrap();
    hits
}

/// Attest says where the certificate will be e-mailed, the address
/// masked; Space declines it for this visit (and again takes that back),
/// a tap on its button does the same, and the choice is written with the
/// visit. The next attendee starts with the e-mail on.
#[test]
fn attest_shows_the_masked_address_and_one_key_or_tap_declines_the_mail() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let screen = w.render(80, 24, 1.0);
    assert!(screen.contains("e-mailed to a•••@example.org"), "{screen}");
    assert!(
        !screen.contains("a0012345@"),
        "the address is masked: {screen}"
    );
    assert!(screen.contains(" Space  No e-mail"), "{screen}");

    w.key(KeyCode::Char(' '));
    let screen = w.render(80, 24, 1.0);
    assert!(screen.contains("Not e-mailed this time"), "{screen}");
    assert!(screen.contains("E-mail it"), "{screen}");
    // A tap on the button takes it back; another declines again.
    for declined in [false, true] {
        let (_, hit) = hits_80x24(&w)
            .into_iter()
            .find(|(_, h)| *h == TapTarget::Intent(Intent::Toggle))
            .expect("the e-mail choice is a button");
        w.app.update(Msg::TapTarget(hit, w.at(1.0)));
        assert_eq!(w.app.visit.as_ref().unwrap().mail_declined, declined);
    }
    let visit = commit_of(w.key(KeyCode::Enter));
    assert!(visit.mail_declined, "the choice travels with the visit");

    // The next attendee: the e-mail is on again.
    w.app.update(Msg::Committed(Ok(certificate()), w.at(2.0)));
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "scan");
    w.scan(physician(), 10.0);
    w.key(KeyCode::Enter);
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "sessions");
    w.select(&["S2"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    assert!(!commit_of(w.key(KeyCode::Enter)).mail_declined);
}

/// An attendee with no address on the roster sees no e-mail line, and
/// Space declines nothing.
#[test]
fn no_address_no_mail_line() {
    let mut w = World::new();
    let mut who = physician();
    who.attendee.email = String::new();
    w.walk_to_sessions(who);
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    let screen = w.render(120, 33, 1.0);
    assert!(!screen.contains("e-mail"), "{screen}");
    w.key(KeyCode::Char(' '));
    assert!(!commit_of(w.key(KeyCode::Enter)).mail_declined);
}
