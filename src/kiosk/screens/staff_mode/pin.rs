//! The staff PIN screen. The runner checks the PIN against the lockout
//! rule (`domain::pin`); this screen shows its verdict.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::kiosk::msg::{Effect, Intent, Key, KeyCommand, Transition};
use crate::kiosk::screens::{ActArgs, Component, DrawArgs, TapTargets};
use crate::kiosk::staff_exchange::{StaffReply, StaffRequest};
use crate::kiosk::strings::Words;
use crate::kiosk::theme;

#[derive(Debug, Clone, Default)]
pub struct PinState {
    pub pin: String,
    pub message: Option<String>,
    pub checking: bool,
    /// Opened from the locked screen: success unlocks the kiosk.
    pub from_locked: bool,
}

impl PinState {
    /// The runner's verdict on the PIN; true when it was accepted. A
    /// refusal says why: how many tries are left, or until when staff
    /// mode is locked.
    pub fn answer(&mut self, words: Words, reply: &StaffReply) -> bool {
        match reply {
            StaffReply::PinOk => return true,
            StaffReply::PinWrong { left } => {
                self.checking = false;
                self.message = Some(words.pin_wrong(*left));
            }
            StaffReply::PinLocked { until } => {
                self.checking = false;
                self.message = Some(words.pin_locked(until));
            }
            _ => {}
        }
        false
    }
}

impl Component for PinState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.staff_pin_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        vec![
            KeyCommand::new(Key::Enter, words.enter_pin(), Intent::Continue),
            KeyCommand::new(Key::Esc, words.cancel(), Intent::Back),
        ]
    }

    fn input(&mut self, key: KeyEvent, _cx: &mut ActArgs) -> Transition {
        match key.code {
            KeyCode::Char(c) if !c.is_control() && self.pin.chars().count() < 32 => {
                self.pin.push(c)
            }
            KeyCode::Backspace => {
                self.pin.pop();
            }
            _ => {}
        }
        Transition::Stay
    }

    fn act(&mut self, action: Intent, _cx: &mut ActArgs) -> Transition {
        match action {
            Intent::Continue if !self.pin.is_empty() && !self.checking => {
                self.checking = true;
                Transition::Effect(Effect::Staff(StaffRequest::CheckPin(std::mem::take(
                    &mut self.pin,
                ))))
            }
            Intent::Back => Transition::Back,
            _ => Transition::Stay,
        }
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, _hits: &mut TapTargets) {
        let words = cx.words;
        let mut lines = vec![
            Line::from(words.pin_prompt()),
            Line::from(""),
            Line::from(Span::styled(
                words.pin_field(&"•".repeat(self.pin.chars().count())),
                theme::heading(),
            )),
            Line::from(""),
        ];
        if let Some(m) = &self.message {
            lines.push(Line::from(Span::styled(m.clone(), theme::error())));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
    }
}
