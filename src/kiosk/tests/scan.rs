//! Scan and the frame around every screen: unknown and repeated badges,
//! keys that must do nothing, small windows, hostile data, the footer.

use super::*;

#[test]
fn unknown_badge_shows_help_and_nothing_else() {
    let mut w = World::new();
    for c in "Z99".chars() {
        w.key(KeyCode::Char(c));
    }
    let effects = w.key(KeyCode::Enter);
    assert_eq!(effects, vec![Effect::Resolve("Z99".into())]);
    w.app.update(Msg::Resolved {
        found: BadgeMatch::Unknown,
        at: w.at(1.0),
    });
    assert_eq!(w.screen(), "scan");
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("Badge not recognised"), "{screen}");
    assert!(!screen.contains("Z99"), "{screen}");
    // The notice clears itself.
    w.app.update(Msg::Tick(w.at(10.0)));
    assert!(!w.render(120, 33, 10.0).contains("Badge not recognised"));
    // A stray unknown scan does not interrupt an attendee.
    w.walk_to_sessions(physician());
    w.app.update(Msg::Resolved {
        found: BadgeMatch::Unknown,
        at: w.at(2.0),
    });
    assert_eq!(w.screen(), "sessions");
}

#[test]
fn same_badge_within_two_seconds_counts_once() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.key_at(KeyCode::Enter, 0.5);
    assert_eq!(w.screen(), "credit");
    w.scan(physician(), 1.0);
    assert_eq!(
        w.screen(),
        "credit",
        "a repeat scan must not restart the visit"
    );
    // Another attendee scanning takes over, with nothing of the first kept.
    w.scan(pharmacist(), 1.5);
    assert_eq!(w.screen(), "welcome");
    assert_eq!(w.app.visit.as_ref().unwrap().attendee.badge_id, "A0020001");
}

#[test]
fn terminal_control_keys_do_nothing() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    for c in ['c', 'z', '\\'] {
        let e = w.app.update(Msg::Key(
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            w.at(1.0),
        ));
        assert!(e.is_empty());
    }
    assert_eq!(w.screen(), "welcome");
}

#[test]
fn small_screens_ask_to_be_enlarged() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.app.update(Msg::Resized(70, 20));
    assert!(w.key(KeyCode::Enter).is_empty());
    assert_eq!(
        w.screen(),
        "welcome",
        "keys wait until the screen is big enough"
    );
    let screen = w.render(70, 20, 1.0);
    assert!(screen.contains("Please enlarge the window"), "{screen}");
}

#[test]
fn footer_buttons_are_the_commands() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.app.update(Msg::TapTarget(
        TapTarget::Intent(Intent::Continue),
        w.at(1.0),
    ));
    assert_eq!(w.screen(), "credit");
    w.app
        .update(Msg::TapTarget(TapTarget::Intent(Intent::Back), w.at(1.0)));
    assert_eq!(w.screen(), "welcome");
}

#[test]
fn data_cannot_drive_the_terminal() {
    let mut w = World::new();
    let mut who = physician();
    who.attendee.first_name = "Ann\u{1b}]0;pwned\u{7}\u{1b}[2J".into();
    w.scan(who, 0.0);
    let screen = w.render(120, 33, 1.0);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    assert!(
        screen.contains("Welcome, Ann]0;pwned[2J Okafor"),
        "{screen}"
    );
}
