//! Staff mode: the PIN and its lockout words, the menu and what each
//! entry asks the runner, the locked kiosk, and snapshots of its screens.

use super::*;
use crate::kiosk::screens::staff_mode::StaffView;
use crate::kiosk::staff_exchange::{AttendeeDetail, StaffInfo, StaffReply, StaffRequest};

fn staff_effects(effects: Vec<Effect>) -> Vec<StaffRequest> {
    effects
        .into_iter()
        .map(|e| match e {
            Effect::Staff(r) => r,
            other => panic!("not a staff effect: {other:?}"),
        })
        .collect()
}

fn info() -> StaffInfo {
    StaffInfo {
        database: "/srv/cekiosk/kiosk.db".into(),
        attendees: 340,
        claims_today: 12,
        certificates: 9,
        not_uploaded: 57,
        last_upload: "never".into(),
        standing: vec!["Held at the hub 2 · Rejected 0 · Last good upload Wed 17:40".into()],
    }
}

/// F12, the PIN accepted, the staff menu with its counts.
fn open_staff(w: &mut World) {
    w.key(KeyCode::F(12));
    assert_eq!(w.screen(), "staff-pin");
    w.chars("2468");
    let effects = staff_effects(w.key(KeyCode::Enter));
    assert_eq!(effects, vec![StaffRequest::CheckPin("2468".into())]);
    let effects = staff_effects(w.app.update(Msg::Staff(StaffReply::PinOk, w.at(1.0))));
    assert_eq!(effects, vec![StaffRequest::Info]);
    w.app
        .update(Msg::Staff(StaffReply::Info(info()), w.at(1.0)));
    assert_eq!(w.screen(), "staff");
}

fn detail() -> AttendeeDetail {
    AttendeeDetail {
        attendee: attendee("A0012345", "Amelia", "Okafor", "MD", Profession::Physician),
        claims: vec![(
            ClaimRow {
                claim_id: "claim-1".into(),
                session_id: "S1".into(),
                credits: 5,
                claimed_at: "2026-11-25T15:00:00Z".into(),
                voided: false,
            },
            "Immunotherapy Toxicities: A Practical Guide".into(),
        )],
        certificate: Some(certificate()),
    }
}

#[test]
fn pin_screen_says_what_is_wrong_and_esc_leaves() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.key(KeyCode::F(12));
    assert!(
        w.app.visit.is_none(),
        "staff mode drops the attendee's unfinished claim"
    );
    w.chars("1111");
    w.key(KeyCode::Enter);
    w.app
        .update(Msg::Staff(StaffReply::PinWrong { left: 4 }, w.at(1.0)));
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("Wrong PIN. 4 more wrong PINs"), "{screen}");
    assert!(!screen.contains("1111"), "the PIN is never shown");
    w.app.update(Msg::Staff(
        StaffReply::PinLocked {
            until: "12:05".into(),
        },
        w.at(1.0),
    ));
    assert!(
        w.render(120, 33, 1.0)
            .contains("locked after 5 wrong PINs. Try again after 12:05")
    );
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "scan");
}

#[test]
fn a_staff_badge_opens_the_pin() {
    let mut w = World::new();
    w.app.update(Msg::Resolved {
        found: BadgeMatch::Staff("STAFF-0001".into()),
        at: w.at(0.5),
    });
    assert_eq!(w.screen(), "staff-pin");
}

#[test]
fn menu_actions_become_requests() {
    let mut w = World::new();
    open_staff(&mut w);
    let screen = w.render(120, 33, 1.0);
    for text in [
        "Kiosk K01",
        "ONC2026",
        "/srv/cekiosk/kiosk.db",
        "Claims today 12",
        "Not uploaded 57",
        "Last upload never",
    ] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    for (digit, expected) in [
        ('3', StaffRequest::Upload),
        ('4', StaffRequest::Audit),
        ('5', StaffRequest::Lock),
        ('6', StaffRequest::Quit),
    ] {
        assert_eq!(staff_effects(w.key(KeyCode::Char(digit))), vec![expected]);
    }
    w.app.update(Msg::Staff(StaffReply::Quit, w.at(1.0)));
    assert!(w.app.quit);
}

/// Enrolling: menu 7 opens a field for the CE office's code, typed or
/// scanned (a scanner's keys land in it), and Enter asks the runner to
/// trade it; the runner's words come back on the staff screen.
#[test]
fn the_enrolment_code_is_typed_or_scanned_then_traded() {
    let mut w = World::new();
    open_staff(&mut w);
    assert!(
        w.render(120, 33, 1.0)
            .contains("7  Enrol this kiosk at the hub"),
        "{}",
        w.render(120, 33, 1.0)
    );
    assert!(w.key(KeyCode::Char('7')).is_empty());
    assert!(matches!(&w.app.screen, Screen::Staff(s) if matches!(s.view, StaffView::Enrol { .. })));
    assert!(w.key(KeyCode::Enter).is_empty(), "no code, nothing asked");
    w.chars("7Q2M-XK4D-9ABC-DEFG");
    let screen = w.render(120, 33, 1.0);
    assert!(
        screen.contains("Enrolment code: 7Q2M-XK4D-9ABC-DEFG"),
        "{screen}"
    );
    assert_eq!(
        staff_effects(w.key(KeyCode::Enter)),
        vec![StaffRequest::Enrol("7Q2M-XK4D-9ABC-DEFG".into())]
    );
    w.app.update(Msg::Staff(
        StaffReply::Done(
            "Enrolled as kiosk K07: this kiosk now uploads and signs with its own credentials."
                .into(),
        ),
        w.at(2.0),
    ));
    assert!(w.render(120, 33, 2.0).contains("Enrolled as kiosk K07"));
    w.key(KeyCode::Esc);
    assert!(matches!(&w.app.screen, Screen::Staff(s) if matches!(s.view, StaffView::Menu { .. })));
}

/// With no certificate at this kiosk, R still asks: the runner looks at
/// the hub, where one from another kiosk may be.
#[test]
fn a_reissue_without_a_certificate_here_still_asks_the_runner() {
    let mut w = World::new();
    open_staff(&mut w);
    w.key(KeyCode::Enter);
    w.app.update(Msg::Staff(
        StaffReply::Attendee(Box::new(AttendeeDetail {
            certificate: None,
            ..detail()
        })),
        w.at(1.0),
    ));
    assert_eq!(
        staff_effects(w.key(KeyCode::Char('r'))),
        vec![StaffRequest::Reissue("A0012345".into())]
    );
}

#[test]
fn find_reissue_and_void() {
    let mut w = World::new();
    open_staff(&mut w);
    w.key(KeyCode::Enter); // Find an attendee
    w.key(KeyCode::Char('o'));
    let effects = staff_effects(w.key(KeyCode::Char('k')));
    assert_eq!(effects, vec![StaffRequest::Search("ok".into())]);
    w.app.update(Msg::Staff(
        StaffReply::Matches(vec![detail().attendee]),
        w.at(1.0),
    ));
    assert!(
        w.render(120, 33, 1.0)
            .contains("A0012345  Amelia Okafor, MD")
    );
    assert_eq!(
        staff_effects(w.key(KeyCode::Enter)),
        vec![StaffRequest::Attendee("A0012345".into())]
    );
    w.app.update(Msg::Staff(
        StaffReply::Attendee(Box::new(detail())),
        w.at(1.0),
    ));
    let screen = w.render(120, 33, 1.0);
    assert!(
        screen.contains("Certificate 7Q2M-K9XD") && screen.contains("Immunotherapy Toxicities"),
        "{screen}"
    );
    assert_eq!(
        staff_effects(w.key(KeyCode::Char('r'))),
        vec![StaffRequest::Reissue("A0012345".into())]
    );
    // Void: a reason is required.
    w.key(KeyCode::Char('v'));
    assert!(matches!(&w.app.screen, Screen::Staff(s) if matches!(s.view, StaffView::Void { .. })));
    assert!(w.key(KeyCode::Enter).is_empty());
    assert!(w.render(120, 33, 1.0).contains("A void needs a reason."));
    w.chars("Wrong session");
    assert_eq!(
        staff_effects(w.key(KeyCode::Enter)),
        vec![StaffRequest::Void {
            claim_id: "claim-1".into(),
            reason: "Wrong session".into()
        }]
    );
    // The reissued certificate is shown as a QR.
    w.app.update(Msg::Reissue(certificate(), w.at(2.0)));
    assert_eq!(w.screen(), "certificate");
    assert!(
        w.render(120, 33, 2.0)
            .contains("https://ce.example.org/c/AbCdEfGhIjKlMnOpQrStUv")
    );
}

#[test]
fn walk_in_form_checks_then_registers_and_claims() {
    let mut w = World::new();
    open_staff(&mut w);
    w.key(KeyCode::Char('2'));
    // Nothing typed: refused with the reason.
    assert!(w.key(KeyCode::Enter).is_empty());
    assert!(
        w.render(120, 33, 1.0)
            .contains("Enter a first or last name.")
    );
    w.chars("Zoë");
    w.key(KeyCode::Tab);
    w.chars("Ng");
    w.key(KeyCode::Down);
    w.chars("RN");
    w.key(KeyCode::Down);
    w.key(KeyCode::Char(' '));
    w.key(KeyCode::Char(' ')); // physician → physician_assistant → nurse
    w.key(KeyCode::Down);
    w.chars("zoe@example.org");
    let effects = staff_effects(w.key(KeyCode::Enter));
    let StaffRequest::WalkIn(a) = &effects[0] else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (
            a.first_name.as_str(),
            a.last_name.as_str(),
            a.degree.as_str()
        ),
        ("Zoë", "Ng", "RN")
    );
    assert_eq!(a.profession, Profession::Nurse);
    assert_eq!(a.badge_id, "", "the runner makes the badge id");
    let mut who = a.clone();
    who.badge_id = "W-K01-ABCD1234".into();
    w.app.update(Msg::WalkedIn(
        Box::new(AttendeeHistory {
            attendee: who,
            claims: vec![],
            answers: Answers::new(),
            profile: None,
            scanned: Default::default(),
        }),
        w.at(2.0),
    ));
    assert_eq!(w.screen(), "welcome");
    assert!(w.render(120, 33, 2.0).contains("Welcome, Zoë Ng"));
}

#[test]
fn a_locked_kiosk_ignores_attendees_until_a_pin() {
    let mut w = World::new();
    w.app.update(Msg::Locked);
    assert!(
        w.render(120, 33, 1.0)
            .contains("This kiosk is out of service")
    );
    w.scan(physician(), 0.5);
    assert_eq!(w.screen(), "locked");
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "locked");
    w.key(KeyCode::F(12));
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "locked", "Esc from the PIN keeps it locked");
    w.key(KeyCode::F(12));
    w.chars("2468");
    w.key(KeyCode::Enter);
    let effects = staff_effects(w.app.update(Msg::Staff(StaffReply::PinOk, w.at(1.0))));
    assert_eq!(effects, vec![StaffRequest::Unlock, StaffRequest::Info]);
    assert_eq!(w.screen(), "staff");
}

#[test]
fn staff_mode_leaves_by_itself_when_idle() {
    let mut w = World::new();
    open_staff(&mut w);
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    let warn = w.app.ctx.config.kiosk.warning_seconds as f64;
    w.app.update(Msg::Tick(w.at(1.0 + idle)));
    w.app.update(Msg::Tick(w.at(1.0 + idle + warn)));
    assert_eq!(w.screen(), "scan");
}

/// Every staff screen as `new` kiosks show it.
pub(super) fn staff_screens(new: &dyn Fn() -> World) -> Vec<(&'static str, World)> {
    let mut shots: Vec<(&str, World)> = Vec::new();
    let mut w = new();
    w.key(KeyCode::F(12));
    w.chars("24");
    shots.push(("staff_pin", w));
    let mut w = new();
    open_staff(&mut w);
    shots.push(("staff_menu", w));
    let mut w = new();
    open_staff(&mut w);
    w.key(KeyCode::Enter);
    w.chars("ok");
    w.app.update(Msg::Staff(
        StaffReply::Matches(vec![detail().attendee]),
        w.at(1.0),
    ));
    shots.push(("staff_find", w));
    let mut w = new();
    open_staff(&mut w);
    w.key(KeyCode::Enter);
    w.app.update(Msg::Staff(
        StaffReply::Attendee(Box::new(detail())),
        w.at(1.0),
    ));
    shots.push(("staff_attendee", w));
    let mut w = new();
    open_staff(&mut w);
    w.key(KeyCode::Char('2'));
    shots.push(("staff_walk_in", w));
    let mut w = new();
    w.app.update(Msg::Locked);
    shots.push(("locked", w));
    shots
}

#[test]
fn snapshots_of_staff_screens() {
    let shots = staff_screens(&World::new);
    for (name, w) in &shots {
        for (cols, rows) in [(80u16, 24u16), (120, 33)] {
            assert_screen(
                &format!("staff_mode__{name}_{cols}x{rows}"),
                w.render(cols, rows, 1.0),
            );
        }
    }
}

/// Nothing an attendee can press or tap reaches a staff action: only the
/// PIN screen, and only the runner's verdict on a PIN opens staff mode.
#[test]
fn staff_actions_need_the_pin() {
    use crate::kiosk::staff_exchange::StaffReply;
    let mut keys: Vec<KeyCode> = (32u8..127).map(|c| KeyCode::Char(c as char)).collect();
    keys.extend([
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::Backspace,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageDown,
    ]);
    keys.extend((1..=11).map(KeyCode::F));
    let hits = [
        Intent::Continue,
        Intent::Back,
        Intent::Up,
        Intent::Down,
        Intent::Toggle,
        Intent::More,
        Intent::Less,
        Intent::Choose(0),
        Intent::Choose(5),
        Intent::NextField,
    ];
    let starts: [fn(&mut World); 4] = [
        |_| {},
        |w| w.scan(physician(), 0.0),
        |w| w.walk_to_sessions(physician()),
        |w| {
            w.app.update(Msg::Locked);
        },
    ];
    for start in &starts {
        for key in &keys {
            let mut w = World::new();
            start(&mut w);
            let effects = w.key(*key);
            assert!(
                !effects.iter().any(|e| matches!(e, Effect::Staff(_))),
                "{key:?} on {} asked for a staff action",
                w.screen()
            );
            assert!(
                !matches!(w.app.screen, Screen::Staff(_)),
                "{key:?} opened staff mode"
            );
        }
        for action in hits {
            let mut w = World::new();
            start(&mut w);
            let effects = w
                .app
                .update(Msg::TapTarget(TapTarget::Intent(action), w.at(1.0)));
            assert!(!effects.iter().any(|e| matches!(e, Effect::Staff(_))));
            assert!(!matches!(w.app.screen, Screen::Staff(_)));
        }
        // A verdict arriving when no PIN was asked for opens nothing.
        let mut w = World::new();
        start(&mut w);
        w.app.update(Msg::Staff(StaffReply::PinOk, w.at(1.0)));
        assert!(!matches!(w.app.screen, Screen::Staff(_)));
    }
}

/// The lockout words on the PIN screen follow the rule in `domain::pin`,
/// word for word.
#[test]
fn lockout_words_follow_the_rule() {
    use crate::domain::pin::{LOCK_MINUTES, LOCK_SECONDS, MAX_FAILURES};
    let word = Words::default();
    assert_eq!((MAX_FAILURES, LOCK_MINUTES, LOCK_SECONDS), (5, 5, 300));
    assert_eq!(
        word.pin_wrong(4),
        "Wrong PIN. 4 more wrong PINs and staff mode locks for 5 minutes."
    );
    assert_eq!(
        word.pin_wrong(1),
        "Wrong PIN. 1 more wrong PIN and staff mode locks for 5 minutes."
    );
    assert_eq!(
        word.pin_locked("12:05"),
        "Staff mode is locked after 5 wrong PINs. Try again after 12:05."
    );
}
