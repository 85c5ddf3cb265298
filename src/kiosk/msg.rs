//! The vocabulary screens and the app share: the messages that drive the
//! update step, the effects it asks the runner for, the commands each
//! screen offers (`KeyCommand`: a key, a label, an `Intent`), what a tap can
//! hit (`TapTarget`) and where a screen goes next (`Transition`). A leaf
//! module, so screens can speak it without knowing the app that routes it.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::setup::{AttendeeHistory, BadgeMatch};
use super::staff_exchange::{StaffReply, StaffRequest};
use super::strings::{self, Words};
use super::uploader::SyncEvent;
use crate::domain::lang::Lang;
use crate::store::{CertificateRow, NewVisit};

/// Everything that can happen to the kiosk, stamped with when it did.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent, Instant),
    /// A click or tap on something drawn.
    TapTarget(TapTarget, Instant),
    /// A click or tap on nothing in particular: the attendee is still there.
    Touch(Instant),
    /// A scanner-like burst: its text to look up as a badge, and its keys,
    /// handed on as typed if it is none (off the Scan screen). Looked up
    /// as typed badges are: `Effect::Resolve`, answered by `Resolved`.
    Scanned {
        text: String,
        keys: Vec<KeyEvent>,
        at: Instant,
    },
    Resized(u16, u16),
    Tick(Instant),
    /// What a badge scanned or typed turned out to be.
    Resolved {
        found: BadgeMatch,
        at: Instant,
    },
    Committed(Result<CertificateRow, CommitFailed>, Instant),
    /// The answer to a staff request.
    Staff(StaffReply, Instant),
    /// A walk-in was registered: start their claim.
    WalkedIn(Box<AttendeeHistory>, Instant),
    /// A certificate to show again (staff reissue).
    Reissue(CertificateRow, Instant),
    /// The kiosk was locked by staff.
    Locked,
    /// News from the background upload.
    Sync(SyncEvent, Instant),
    /// Whether a write went through (out of service: is the disk back?).
    Probed(bool, Instant),
}

/// Why a visit was not written. Nothing was: the transaction rolled back.
#[derive(Debug, Clone)]
pub enum CommitFailed {
    /// A rule no longer holds (the session was claimed at another kiosk
    /// while this attendee answered the evaluation, a void came down):
    /// the attendee goes back to Sessions with the reason, the attendee's
    /// records as they are now, and their answers kept.
    Rule {
        reason: String,
        fresh: Option<Box<AttendeeHistory>>,
    },
    /// The disk or the database failed: the kiosk is out of service.
    Storage(String),
}

impl From<&str> for CommitFailed {
    fn from(reason: &str) -> Self {
        CommitFailed::Storage(reason.to_string())
    }
}

/// What the update step asks the runner to do; each is answered with a
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Look up what was scanned or typed; answer with `Msg::Resolved`.
    Resolve(String),
    /// Write the visit; answer with `Msg::Committed`.
    Commit(Box<NewVisit>),
    /// Try a write; answer with `Msg::Probed`.
    Probe,
    /// Something staff asked for; answer with `Msg::Staff` (and others).
    Staff(StaffRequest),
    /// Say this now, in this language, cutting off whatever is being said
    /// (speech is on). Not answered: the speaker runs beside the UI.
    Say { text: String, lang: Lang },
    /// Stop speaking (a key pressed with nothing new to say, speech
    /// turned off, the attendee gone).
    Hush,
    /// Ask the terminal for large text (twice the font size) or for its
    /// own size again. The terminal answers with a resize.
    LargeText(bool),
}

/// Something on screen that a click or tap can hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TapTarget {
    Intent(Intent),
    /// A list row (the screen knows what it means).
    Row(usize),
}

/// What a key or a button does. Screens list their commands as (key,
/// label, action) so the footer and the key handling never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Continue,
    Back,
    Up,
    Down,
    Toggle,
    More,
    Less,
    Choose(usize),
    NextField,
    /// Open staff mode (the PIN).
    Staff,
    /// The next of the offered languages (F2 on Scan).
    NextLanguage,
    /// The `n`th offered language (a tap on its name).
    Language(usize),
    /// Speech on or off (F3, on any attendee screen).
    Speech,
    /// Say the last thing said again (F4).
    Repeat,
    /// Large text on or off (F5).
    LargeText,
}

/// The keys a command can be bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Esc,
    Space,
    Up,
    Down,
    Tab,
    Plus,
    Minus,
    Digit(u8),
    Char(char),
    F2,
    F3,
    F4,
    F5,
    F12,
}

impl Key {
    pub fn matches(self, k: &KeyEvent) -> bool {
        match self {
            Key::Enter => k.code == KeyCode::Enter,
            Key::Esc => k.code == KeyCode::Esc,
            Key::Space => k.code == KeyCode::Char(' '),
            Key::Up => k.code == KeyCode::Up,
            Key::Down => k.code == KeyCode::Down,
            Key::Tab => matches!(k.code, KeyCode::Tab | KeyCode::BackTab),
            Key::Plus => matches!(k.code, KeyCode::Char('+') | KeyCode::Char('=')),
            Key::Minus => matches!(k.code, KeyCode::Char('-') | KeyCode::Char('_')),
            Key::Digit(d) => k.code == KeyCode::Char((b'0' + d) as char),
            Key::Char(c) => {
                k.code == KeyCode::Char(c) || k.code == KeyCode::Char(c.to_ascii_uppercase())
            }
            Key::F2 => k.code == KeyCode::F(2),
            Key::F3 => k.code == KeyCode::F(3),
            Key::F4 => k.code == KeyCode::F(4),
            Key::F5 => k.code == KeyCode::F(5),
            Key::F12 => k.code == KeyCode::F(12),
        }
    }
    /// The key as its button names it, in `words`' language.
    pub fn label(self, words: Words) -> String {
        match self {
            Key::Enter => words.key_enter(),
            Key::Esc => words.key_esc(),
            Key::Space => words.key_space(),
            Key::Up => strings::KEY_UP.into(),
            Key::Down => strings::KEY_DOWN.into(),
            Key::Tab => words.key_tab(),
            Key::Plus => strings::KEY_PLUS.into(),
            Key::Minus => strings::KEY_MINUS.into(),
            Key::Digit(d) => d.to_string(),
            Key::Char(c) => c.to_ascii_uppercase().to_string(),
            Key::F2 => strings::KEY_F2.into(),
            Key::F3 => strings::KEY_F3.into(),
            Key::F4 => strings::KEY_F4.into(),
            Key::F5 => strings::KEY_F5.into(),
            Key::F12 => strings::KEY_F12.into(),
        }
    }
}

/// A command a screen offers: its key, its footer label, what it does.
#[derive(Debug, Clone)]
pub struct KeyCommand {
    pub key: Key,
    pub label: String,
    pub action: Intent,
    /// Shown as a button in the footer (digit choices are drawn as the
    /// screen's own buttons instead).
    pub in_footer: bool,
}

impl KeyCommand {
    pub fn new(key: Key, label: impl Into<String>, action: Intent) -> KeyCommand {
        KeyCommand {
            key,
            label: label.into(),
            action,
            in_footer: true,
        }
    }
    pub fn hidden(mut self) -> KeyCommand {
        self.in_footer = false;
        self
    }
}

/// The result of a screen acting on a command or on typing.
#[derive(Debug)]
pub enum Transition {
    Stay,
    Next,
    Back,
    /// Back to Scan with nothing of the attendee kept (Done on the
    /// certificate).
    Reset,
    Effect(Effect),
}
