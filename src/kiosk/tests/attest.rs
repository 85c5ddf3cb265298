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
