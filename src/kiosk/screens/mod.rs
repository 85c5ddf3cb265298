//! One module per screen: its state, its commands, what its keys and taps
//! do, and how it is drawn. Every screen is a `Component` and is called
//! the same way, so the app routes a key, a tap or a redraw to the
//! `Screen` showing now with one call, and a screen never reaches into
//! the app: it acts on `ActArgs` and draws from `DrawArgs`, the words of
//! the language on screen among them.

pub mod attest;
pub mod certificate;
pub mod credit;
pub mod evaluation;
pub mod out_of_service;
pub mod scan;
pub mod sessions;
pub mod staff_mode;
pub mod welcome;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::msg::{Intent, KeyCommand, TapTarget, Transition};
use super::setup::KioskSetup;
use super::speech::Spoken;
use super::strings::Words;
use super::visit::Visit;
use attest::AttestState;
use certificate::CertState;
use credit::CreditState;
use evaluation::EvalState;
use out_of_service::{LockedState, OutOfServiceState};
use scan::{Notice, ScanState};
use sessions::SessionsState;
use staff_mode::{PinState, StaffState};
use welcome::WelcomeState;

/// The rectangles a click or tap can hit, recorded while drawing.
pub type TapTargets = Vec<(Rect, TapTarget)>;

/// What a screen is given to act on a key, a command or a tap.
pub struct ActArgs<'a> {
    pub ctx: &'a KioskSetup,
    /// The words of the language on screen.
    pub words: Words,
    /// The event clock's minutes at the moment of the input.
    pub now_min: i64,
    /// The attendee being served, if any; screens of the attendee flow do
    /// nothing without one.
    pub visit: Option<&'a mut Visit>,
    /// This kiosk's device id, for what it writes.
    pub device_id: &'a str,
}

/// What a screen is given to list its commands and to draw itself.
pub struct DrawArgs<'a> {
    pub ctx: &'a KioskSetup,
    /// The words of the language on screen.
    pub words: Words,
    pub visit: Option<&'a Visit>,
    /// A notice to show (a badge not recognised).
    pub notice: Option<&'a Notice>,
    /// Whether speech is on (F3), for the Scan screen to say so.
    pub speech: bool,
    /// Whether large text is on (F5): fewer, larger cells to lay out in.
    pub large: bool,
}

/// A screen. Its `commands` feed both the footer and the key handling, so
/// the two never disagree; a key that is no command goes to `input`.
pub trait Component {
    /// The heading: the word the specification gives the screen.
    fn heading(&self, cx: &DrawArgs) -> String;
    /// The commands offered now, as (key, label, action).
    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand>;
    /// A command, from its key or its footer button.
    fn act(&mut self, action: Intent, cx: &mut ActArgs) -> Transition;
    /// A key that is none of the commands (typing).
    fn input(&mut self, _key: KeyEvent, _cx: &mut ActArgs) -> Transition {
        Transition::Stay
    }
    /// A tap on the `row`th row the screen drew.
    fn click(&mut self, _row: usize, _cx: &mut ActArgs) -> Transition {
        Transition::Stay
    }
    /// Draws the screen's body, recording what a tap can hit.
    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, hits: &mut TapTargets);
    /// What the screen says when speech is on, from the words and state
    /// it draws. Staff's screens say nothing (a PIN is never spoken).
    fn speech(&self, _cx: &DrawArgs) -> Spoken {
        Spoken::default()
    }
    /// The ID being typed, if the keys go to one (the badge number, an
    /// e-Profile ID): its characters are said as they are typed, and only
    /// then.
    fn typed_id(&self, _cx: &DrawArgs) -> Option<String> {
        None
    }
}

/// The screen showing now, with its state.
#[derive(Debug, Clone)]
pub enum Screen {
    Scan(ScanState),
    Welcome(WelcomeState),
    Credit(CreditState),
    Sessions(SessionsState),
    Evaluation(EvalState),
    Attest(AttestState),
    Certificate(CertState),
    /// The kiosk cannot record claims (the disk is full, the database
    /// failed): it says so instead of failing in front of an attendee.
    OutOfService(OutOfServiceState),
    /// Locked by staff: "out of service" until a staff PIN.
    Locked(LockedState),
    StaffPin(PinState),
    Staff(Box<StaffState>),
}

impl Screen {
    pub fn name(&self) -> &'static str {
        match self {
            Screen::Scan(_) => "scan",
            Screen::Welcome(_) => "welcome",
            Screen::Credit(_) => "credit",
            Screen::Sessions(_) => "sessions",
            Screen::Evaluation(_) => "evaluation",
            Screen::Attest(_) => "attest",
            Screen::Certificate(_) => "certificate",
            Screen::OutOfService(_) => "out-of-service",
            Screen::Locked(_) => "locked",
            Screen::StaffPin(_) => "staff-pin",
            Screen::Staff(_) => "staff",
        }
    }

    /// The screen as the component that lists its commands and draws it.
    pub fn component(&self) -> &dyn Component {
        match self {
            Screen::Scan(s) => s,
            Screen::Welcome(s) => s,
            Screen::Credit(s) => s,
            Screen::Sessions(s) => s,
            Screen::Evaluation(s) => s,
            Screen::Attest(s) => s,
            Screen::Certificate(s) => s,
            Screen::OutOfService(s) => s,
            Screen::Locked(s) => s,
            Screen::StaffPin(s) => s,
            Screen::Staff(s) => s.as_ref(),
        }
    }

    /// The screen as the component that acts on keys and taps.
    pub fn component_mut(&mut self) -> &mut dyn Component {
        match self {
            Screen::Scan(s) => s,
            Screen::Welcome(s) => s,
            Screen::Credit(s) => s,
            Screen::Sessions(s) => s,
            Screen::Evaluation(s) => s,
            Screen::Attest(s) => s,
            Screen::Certificate(s) => s,
            Screen::OutOfService(s) => s,
            Screen::Locked(s) => s,
            Screen::StaffPin(s) => s,
            Screen::Staff(s) => s.as_mut(),
        }
    }
}
