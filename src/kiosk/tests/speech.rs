//! Speech (F3, F4) and large text (F5) as the update step asks for them:
//! what is said comes from the screen's own words, a key cuts speech off,
//! an ID's characters are said only as they are typed, and the next
//! attendee starts with both off.

use super::*;
use crate::domain::lang::Lang;

/// The texts of the `Say` effects.
fn said(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn press(w: &mut World, code: KeyCode) -> Vec<Effect> {
    w.key(code)
}

#[test]
fn f3_speaks_the_screen_in_its_own_words_and_a_key_cuts_it_off() {
    let mut w = World::new();
    assert!(
        w.render(120, 33, 1.0)
            .contains("Speech is off: F3 turns it on.")
    );
    let e = press(&mut w, KeyCode::F(3));
    let text = said(&e).join(" ");
    let word = Words::default();
    assert!(w.app.speech);
    assert!(text.contains(&word.scan_heading()), "{text}");
    assert!(text.contains(&word.scan_help()), "{text}");
    assert!(text.contains("Speech is on"), "{text}");
    assert!(
        w.render(120, 33, 1.0)
            .contains("Speech is on: F3 turns it off")
    );
    // F4 says it again, word for word.
    assert_eq!(said(&press(&mut w, KeyCode::F(4))), vec![text.clone()]);
    // A key with nothing new to say stops the voice.
    let e = press(&mut w, KeyCode::Backspace);
    assert_eq!(e, vec![Effect::Hush]);
    // The badge: the welcome, with the name, the question and the keys.
    w.scan(physician(), 0.5);
    w.app.last_input = w.at(0.5);
    let e = w.app.update(Msg::Resolved {
        found: BadgeMatch::Attendee(Box::new(physician())),
        at: w.at(5.0),
    });
    assert!(said(&e).is_empty(), "the same badge again says nothing new");
    let mut w2 = World::new();
    press(&mut w2, KeyCode::F(3));
    let e = w2.app.update(Msg::Resolved {
        found: BadgeMatch::Attendee(Box::new(physician())),
        at: w2.at(1.0),
    });
    let text = said(&e).join(" ");
    assert!(text.starts_with("Welcome, Amelia Okafor."), "{text}");
    assert!(text.contains("Is this you?"), "{text}");
    assert!(text.contains("Enter: Yes, that's me."), "{text}");
    // Sessions: the highlighted row as it moves, ticked, with the totals.
    press(&mut w2, KeyCode::Enter);
    let e = press(&mut w2, KeyCode::Enter);
    let text = said(&e).join(" ");
    assert!(text.starts_with("Sessions, select"), "{text}");
    assert!(
        text.contains("07:30 to 08:45, Immunotherapy Toxicities"),
        "{text}"
    );
    let e = press(&mut w2, KeyCode::Char(' '));
    let text = said(&e).join(" ");
    assert!(text.contains("Immunotherapy Toxicities"), "{text}");
    assert!(text.contains(", ticked."), "{text}");
    assert!(text.contains("1.25 of 38.75"), "{text}");
    let e = press(&mut w2, KeyCode::Down);
    let text = said(&e).join(" ");
    assert!(
        text.starts_with("08:00 to 11:00, Poster Session A"),
        "{text}"
    );
    assert!(
        !text.contains("of 38.75"),
        "the totals did not change: {text}"
    );
}

#[test]
fn an_id_is_spoken_only_as_it_is_typed() {
    let mut w = World::new();
    w.key(KeyCode::F(3));
    w.scan(pharmacist(), 0.5);
    w.key(KeyCode::Enter);
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "credit");
    let mut heard = vec![];
    for c in "1234567".chars() {
        heard.extend(said(&w.key(KeyCode::Char(c))));
    }
    let digits: Vec<String> = "1234567".chars().map(|c| format!("{c}.")).collect();
    assert_eq!(heard[heard.len() - 7..], digits[..], "{heard:?}");
    // Moving away and back names the field, never its digits.
    let away = said(&w.key(KeyCode::Down)).join(" ");
    let back = said(&w.key(KeyCode::Up)).join(" ");
    for text in [&away, &back] {
        assert!(
            !text.contains("1234567") && !text.contains("1 2 3"),
            "{text}"
        );
    }
    assert!(back.contains("NABP e-Profile ID"), "{back}");
}

#[test]
fn the_attendee_language_is_spoken_and_the_next_attendee_starts_with_speech_and_large_text_off() {
    let mut w = World::speaking(Lang::En);
    w.key(KeyCode::F(3));
    let e = w.key(KeyCode::F(5));
    assert!(
        e.contains(&Effect::LargeText(true)),
        "F5 asks the terminal for large text"
    );
    assert_eq!(said(&e), vec![Words::default().large_status(true)]);
    assert!(w.app.large);
    let e = w.key(KeyCode::F(2));
    let Some(Effect::Say { text, lang }) = e.into_iter().find(|e| matches!(e, Effect::Say { .. }))
    else {
        panic!("nothing said")
    };
    assert_eq!(lang, Lang::Es);
    let word = Words::new(Lang::Es);
    assert!(text.contains(&word.scan_heading()), "{text}");
    assert!(text.contains(&word.large_status(true)), "{text}");
    // Through to the certificate; Done: the next attendee starts plain.
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    w.key(KeyCode::Enter);
    let e = w.app.update(Msg::Committed(Ok(certificate()), w.at(1.0)));
    let text = said(&e).join(" ");
    let word = Words::new(Lang::Es);
    assert!(
        text.contains(&word.cert_heading().replace(" — ", ", ")),
        "{text}"
    );
    assert!(text.contains("7 Q 2 M - K 9 X D"), "{text}");
    let e = w.key(KeyCode::Enter);
    assert!(e.contains(&Effect::LargeText(false)), "{e:?}");
    assert!(e.contains(&Effect::Hush), "{e:?}");
    assert_eq!((w.app.speech, w.app.large), (false, false));
    assert!(said(&w.key(KeyCode::Char('7'))).is_empty());
    // F3 then F3: "Speech off." is the last word.
    w.key(KeyCode::F(3));
    let word = Words::new(Lang::En);
    assert_eq!(said(&w.key(KeyCode::F(3))), vec![word.speech_off()]);
    assert!(w.key(KeyCode::Char('7')).is_empty());
    // The idle wipe turns them off too.
    w.key(KeyCode::F(3));
    w.key(KeyCode::F(5));
    w.app.last_scan = None;
    w.walk_to_sessions(physician());
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    let warn = w.app.ctx.config.kiosk.warning_seconds as f64;
    let e = w.app.update(Msg::Tick(w.at(1.0 + idle)));
    assert!(said(&e).join(" ").contains("Still there?"), "{e:?}");
    let e = w.app.update(Msg::Tick(w.at(1.0 + idle + warn)));
    assert_eq!(w.screen(), "scan");
    assert!(e.contains(&Effect::LargeText(false)) && e.contains(&Effect::Hush));
}

/// A kiosk out of service still says so to whoever presses F3; staff's
/// screens say nothing (a PIN is never spoken).
#[test]
fn out_of_service_speaks_and_staff_mode_does_not() {
    let mut w = World::new();
    w.app
        .update(Msg::Committed(Err("disk full".into()), w.at(1.0)));
    assert_eq!(w.screen(), "out-of-service");
    let text = said(&w.key(KeyCode::F(3))).join(" ");
    let words = crate::kiosk::speech::plain(Words::default(), &Words::default().out_of_service());
    assert!(text.contains(&words), "{text}");
    let mut w = World::new();
    w.key(KeyCode::F(12));
    assert_eq!(w.screen(), "staff-pin");
    assert!(w.key(KeyCode::F(3)).is_empty());
    assert!(said(&w.key(KeyCode::Char('2'))).is_empty());
    assert!(!w.app.speech);
}
