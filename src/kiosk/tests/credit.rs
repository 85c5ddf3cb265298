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

/// The line above the credit types reads as a sentence for every
/// profession in every language: for "other" it names no profession
/// ("As a other"), whatever the language calls it.
#[test]
fn the_credit_intro_never_names_the_profession_other() {
    use crate::domain::lang::Lang;
    use crate::kiosk::strings::Words;
    for lang in Lang::ALL {
        let word = Words::new(lang);
        let other = word.profession("other");
        let intro = word.credit_intro("other");
        assert!(!intro.contains(&other), "{lang}: {intro:?} names {other:?}");
        for p in ["physician", "physician_assistant", "nurse", "pharmacist"] {
            let name = word.profession(p);
            let intro = word.credit_intro(p);
            assert!(intro.contains(&name), "{lang}: {intro:?} lacks {name:?}");
        }
    }
    let word = Words::new(Lang::En);
    assert!(
        word.credit_intro("physician")
            .starts_with("As a physician ")
    );
    assert!(
        word.credit_intro("physician_assistant")
            .starts_with("As a physician assistant ")
    );
}
