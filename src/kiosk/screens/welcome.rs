//! Welcome: "Welcome, {name}" with degree; Enter confirms, Esc is "not me".

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Component, Hits, ScreenCtx, ViewCtx};
use crate::domain::sanitize;
use crate::kiosk::msg::{Action, Cmd, Key, Step};
use crate::kiosk::speech::Spoken;
use crate::kiosk::theme;

#[derive(Debug, Clone, Copy, Default)]
pub struct WelcomeState;

impl Component for WelcomeState {
    fn heading(&self, cx: &ViewCtx) -> String {
        let words = cx.words;
        match cx.visit {
            Some(v) => words.welcome(&v.display_name()),
            None => String::new(),
        }
    }

    fn commands(&self, cx: &ViewCtx) -> Vec<Cmd> {
        let words = cx.words;
        if cx.visit.is_none() {
            return vec![];
        }
        vec![
            Cmd::new(Key::Enter, words.yes_thats_me(), Action::Continue),
            Cmd::new(Key::Esc, words.not_me(), Action::Back),
        ]
    }

    fn act(&mut self, action: Action, cx: &mut ScreenCtx) -> Step {
        match action {
            _ if cx.visit.is_none() => Step::Stay,
            Action::Continue => Step::Next,
            Action::Back => Step::Back,
            _ => Step::Stay,
        }
    }

    fn speech(&self, cx: &ViewCtx) -> Spoken {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return Spoken::default();
        };
        Spoken {
            page: vec![name_and_degree(visit), words.welcome_question()],
            ..Spoken::default()
        }
    }

    fn view(&self, cx: &ViewCtx, frame: &mut Frame, area: Rect, _hits: &mut Hits) {
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
