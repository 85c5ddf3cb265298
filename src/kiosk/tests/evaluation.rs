//! Evaluation: answers kept going back, and follow-ups that apply only
//! to some answers.

use super::*;

#[test]
fn evaluation_back_keeps_answers_and_follow_up_appears_only_for_yes() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    let n_before = {
        let Screen::Evaluation(s) = &w.app.screen else {
            unreachable!()
        };
        s.counter(w.app.visit.as_ref().unwrap(), &w.app.ctx).1
    };
    w.key(KeyCode::Char('2'));
    w.key(KeyCode::Esc);
    let visit = w.app.visit.as_ref().unwrap();
    assert_eq!(
        visit.answers["objective_1"], "Agree",
        "kept after going back"
    );
    assert!(w.render(120, 33, 1.0).contains("Question 1 of"));
    // Answer through to "Will you change your practice" and say Yes.
    for _ in 0..8 {
        w.key(KeyCode::Char('1'));
    }
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("What will you change?"), "{screen}");
    let Screen::Evaluation(s) = &w.app.screen else {
        unreachable!()
    };
    assert_eq!(
        s.counter(w.app.visit.as_ref().unwrap(), &w.app.ctx).1,
        n_before + 1
    );
    // A number key in a text answer is text.
    w.chars("Use 2 checklists");
    w.key(KeyCode::Enter);
    assert_eq!(
        w.app.visit.as_ref().unwrap().answers["change_what"],
        "Use 2 checklists"
    );
}

/// "Yes — what will you change?" answered, then the attendee went back
/// and chose "No": the follow-up is not stored.
#[test]
fn a_follow_up_whose_condition_went_away_is_not_committed() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "evaluation");
    let ask = |w: &World| match &w.app.screen {
        Screen::Evaluation(s) => w.app.ctx.config.questions[s.asked[s.pos]].id.clone(),
        _ => String::new(),
    };
    while ask(&w) != "change" {
        w.key(KeyCode::Char('1'));
    }
    w.key(KeyCode::Char('1')); // Yes
    assert_eq!(ask(&w), "change_what");
    w.chars("Order molecular tests at diagnosis");
    w.key(KeyCode::Enter);
    assert_eq!(ask(&w), "fair");
    w.key(KeyCode::Esc);
    w.key(KeyCode::Esc);
    assert_eq!(ask(&w), "change");
    w.key(KeyCode::Char('2')); // No
    assert_eq!(ask(&w), "fair", "the follow-up is no longer asked");
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let v = commit_of(w.key(KeyCode::Enter));
    let ids: Vec<&str> = v.answers.iter().map(|(q, _)| q.as_str()).collect();
    assert!(ids.contains(&"change"), "{ids:?}");
    assert!(!ids.contains(&"change_what"), "{ids:?}");
    assert_eq!(
        v.answers
            .iter()
            .find(|(q, _)| q == "change")
            .map(|(_, a)| a.as_str()),
        Some("No")
    );
}
