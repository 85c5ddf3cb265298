//! The two screens that take no claims: out of service (a write failed;
//! the kiosk says so instead of failing in front of an attendee) and
//! locked by staff (out of service until a staff PIN).

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::kiosk::msg::{Intent, Key, KeyCommand, Transition};
use crate::kiosk::speech::Spoken;
use crate::kiosk::strings::Words;
use crate::kiosk::theme;

/// The disk is full or the database failed; the runner probes until
/// writes go through again.
#[derive(Debug, Clone)]
pub struct OutOfServiceState {
    /// What failed, for the log.
    pub reason: String,
}

impl Component for OutOfServiceState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.out_of_service_heading()
    }

    fn commands(&self, _cx: &DrawArgs) -> Vec<KeyCommand> {
        vec![]
    }

    fn act(&mut self, _action: Intent, _cx: &mut ActArgs) -> Transition {
        Transition::Stay
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        told_to_go_elsewhere(words)
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, _hits: &mut TapTargets) {
        let words = cx.words;
        frame.render_widget(
            Paragraph::new(Span::styled(words.out_of_service(), theme::error()))
                .alignment(Alignment::Center),
            area,
        );
    }
}

/// Locked by staff: only the staff key does anything.
#[derive(Debug, Clone, Copy, Default)]
pub struct LockedState;

impl Component for LockedState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.out_of_service_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        vec![KeyCommand::new(Key::F12, words.staff(), Intent::Staff)]
    }

    fn act(&mut self, _action: Intent, _cx: &mut ActArgs) -> Transition {
        Transition::Stay
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        told_to_go_elsewhere(words)
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, _hits: &mut TapTargets) {
        let words = cx.words;
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(""),
                Line::from(Span::styled(words.out_of_service(), theme::heading())),
            ])
            .alignment(Alignment::Center),
            area,
        );
    }
}

/// What both screens say: this kiosk takes no claims, use another.
fn told_to_go_elsewhere(words: Words) -> Spoken {
    Spoken {
        page: vec![words.out_of_service()],
        ..Spoken::default()
    }
}
