//! The keys the kiosk bench presses, in process: one attendee's cycle of
//! work on Sessions (filter, move, select), and the next key of an
//! attendee taking the defaults from scan to QR, each fed to `App` and its
//! effects carried out as the kiosk's own loop does.

use std::time::Instant;

use cekiosk::domain::evaluation::Kind;
use cekiosk::kiosk;
use cekiosk::kiosk::app::{App, Msg, Screen};
use cekiosk::kiosk::screens::sessions::blocked;
use cekiosk::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    Filter,
    Down,
    Space,
}

pub fn kind_of(k: &KeyEvent) -> KeyKind {
    match k.code {
        KeyCode::Down => KeyKind::Down,
        KeyCode::Char(' ') => KeyKind::Space,
        _ => KeyKind::Filter,
    }
}

/// One cycle of an attendee at work: type a word, move, select, clear the
/// filter, move, select; then the same with another word.
pub fn key_cycle() -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    for word in ["lung", "breast"] {
        keys.extend(word.chars().map(|c| key(KeyCode::Char(c))));
        keys.extend([KeyCode::Down, KeyCode::Down].map(key));
        keys.push(key(KeyCode::Char(' ')));
        keys.push(key(KeyCode::Down));
        keys.push(key(KeyCode::Char(' ')));
        keys.extend(word.chars().map(|_| key(KeyCode::Backspace)));
        keys.extend([KeyCode::Down; 5].map(key));
        keys.push(key(KeyCode::Char(' ')));
    }
    keys
}

/// Feeds a message and carries out its effects, as the kiosk's loop does.
pub fn drive(app: &mut App, store: &mut Store, msg: Msg) {
    let mut queue = std::collections::VecDeque::from([msg]);
    while let Some(m) = queue.pop_front() {
        for effect in app.update(m) {
            let mut io = kiosk::Effectors {
                store: &mut *store,
                hub: None,
                speaker: None,
            };
            queue.extend(kiosk::perform(
                effect,
                &mut io,
                &app.ctx.config,
                Instant::now(),
            ));
        }
    }
}

pub fn key_name(k: &KeyEvent) -> &'static str {
    match k.code {
        KeyCode::Enter => "Enter",
        KeyCode::Down => "↓",
        KeyCode::Char(' ') => "Space",
        KeyCode::Char(_) => "digit",
        _ => "other",
    }
}

/// The key an attendee taking the defaults presses next.
pub fn next_key(app: &App, apart: bool) -> KeyEvent {
    let ctx = &app.ctx;
    let visit = app.visit.as_ref().expect("a visit");
    match &app.screen {
        Screen::Sessions(s) => {
            if visit.selected.len() >= 3 {
                return key(KeyCode::Enter);
            }
            let wanted = |i: usize| {
                blocked(visit, ctx, i, s.now_min).is_none()
                    && !visit.selected.contains_key(&i)
                    && (!apart
                        || visit.selected.keys().all(|j| {
                            !ctx.catalog.sessions[*j]
                                .span
                                .overlaps(ctx.catalog.sessions[i].span)
                        }))
            };
            match s.current() {
                Some(i) if wanted(i) => key(KeyCode::Char(' ')),
                _ => key(KeyCode::Down),
            }
        }
        Screen::Evaluation(e) => match ctx.config.questions[e.asked[e.pos]].kind {
            // The first option ("Strongly agree", "Yes").
            Kind::Choice(_) => key(KeyCode::Char('1')),
            // An optional text answer left empty.
            Kind::Text => key(KeyCode::Enter),
        },
        // Welcome, Credit with its defaults, Attest.
        _ => key(KeyCode::Enter),
    }
}
