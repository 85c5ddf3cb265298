//! Credit: the IDs a pharmacist gives, checked as typed.

use super::*;

#[test]
fn pharmacist_fields_are_checked_as_typed() {
    let mut w = World::new();
    w.scan(pharmacist(), 0.0);
    w.key(KeyCode::Enter);
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "credit", "e-Profile ID and MMDD are required");
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("✗ enter your e-Profile ID"), "{screen}");
    // The refused Enter moved the focus to the e-Profile ID.
    w.chars("12a");
    assert!(w.render(120, 33, 1.0).contains("digits only"));
    for _ in 0..3 {
        w.key(KeyCode::Backspace);
    }
    w.chars("1234567");
    w.key(KeyCode::Down);
    w.chars("0230");
    assert!(w.render(120, 33, 1.0).contains("02/30 is not a real date"));
    w.key(KeyCode::Backspace);
    w.key(KeyCode::Backspace);
    w.chars("14");
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "sessions");
    let p = &w.app.visit.as_ref().unwrap().profile;
    assert_eq!(p.epid.as_deref(), Some("1234567"));
    assert_eq!(p.birth_mmdd.as_deref(), Some("0214"));
    assert_eq!(p.pharm_role.as_deref(), Some("pharmacist"));
}
