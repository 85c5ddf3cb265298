//! Welcome: "Welcome, {name}" with degree; Enter confirms, Esc is "not me".

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::domain::sanitize;
use crate::kiosk::msg::{Intent, Key, KeyCommand, Transition};
use crate::kiosk::speech::Spoken;
use crate::kiosk::theme;

#[derive(Debug, Clone, Copy, Default)]
pub struct WelcomeState;

impl Component for WelcomeState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        match cx.visit {
            Some(v) => words.welcome(&v.display_name()),
            None => String::new(),
        }
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        if cx.visit.is_none() {
            return vec![];
        }
        vec![
            KeyCommand::new(Key::Enter, words.yes_thats_me(), Intent::Continue),
            KeyCommand::new(Key::Esc, words.not_me(), Intent::Back),
        ]
    }

    fn act(&mut self, action: Intent, cx: &mut ActArgs) -> Transition {
        match action {
            _ if cx.visit.is_none() => Transition::Stay,
            Intent::Continue => Transition::Next,
            Intent::Back => Transition::Back,
            _ => Transition::Stay,
        }
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return Spoken::default();
        };
        Spoken {
            page: vec![name_and_degree(visit), words.welcome_question()],
            ..Spoken::default()
        }
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, _hits: &mut TapTargets) {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return;
        };
        let lines = vec![
            Line::from(""),
            Line::from(Span::styled(name_and_degree(visit), theme::heading()))
                .alignment(Alignment::Center),
            Line::from(""),
            Line::from(words.welcome_question()).alignment(Alignment::Center),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
    }
}

/// "Amelia Okafor, MD": the name with the degree, when there is one.
fn name_and_degree(visit: &crate::kiosk::visit::Visit) -> String {
    let degree = sanitize(&visit.attendee.degree);
    if degree.is_empty() {
        visit.display_name()
    } else {
        format!("{}, {degree}", visit.display_name())
    }
}
