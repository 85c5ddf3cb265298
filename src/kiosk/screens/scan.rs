//! Scan: "Scan your badge". Scanner bursts arrive whole from the input
//! layer; this screen handles a person typing the number.

use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Component, Hits, ScreenCtx, ViewCtx};
use crate::kiosk::msg::{Action, Cmd, Effect, Key, Step};
use crate::kiosk::{strings, theme};

const MAX_TYPED: usize = 64;

/// A word under the scan field (such as "badge not recognised") until a
/// moment passes.
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub until: Instant,
}

#[derive(Debug, Clone, Default)]
pub struct ScanState {
    typed: String,
}

impl ScanState {
    pub fn is_empty(&self) -> bool {
        self.typed.is_empty()
    }
}

impl Component for ScanState {
    fn heading(&self, _cx: &ViewCtx) -> String {
        strings::SCAN_HEADING.to_string()
    }

    fn commands(&self, _cx: &ViewCtx) -> Vec<Cmd> {
        vec![
            Cmd::new(Key::Enter, strings::CONTINUE, Action::Continue),
            Cmd::new(Key::F12, strings::STAFF, Action::Staff),
        ]
    }

    fn input(&mut self, key: KeyEvent, _cx: &mut ScreenCtx) -> Step {
        match key.code {
            KeyCode::Char(c) if !c.is_control() && self.typed.chars().count() < MAX_TYPED => {
                self.typed.push(c);
            }
            KeyCode::Backspace => {
                self.typed.pop();
            }
            KeyCode::Esc => self.typed.clear(),
            _ => {}
        }
        Step::Stay
    }

    fn act(&mut self, action: Action, _cx: &mut ScreenCtx) -> Step {
        match action {
            Action::Continue if !self.typed.trim().is_empty() => {
                Step::Effect(Effect::Resolve(std::mem::take(&mut self.typed)))
            }
            _ => Step::Stay,
        }
    }

    fn view(&self, cx: &ViewCtx, frame: &mut Frame, area: Rect, _hits: &mut Hits) {
        let mut lines = vec![
            Line::from(""),
            Line::from(strings::SCAN_HELP).alignment(Alignment::Center),
            Line::from(""),
        ];
        let field = format!(" {}: {}▏", strings::SCAN_FIELD, self.typed);
        lines.push(Line::from(Span::styled(field, theme::heading())).alignment(Alignment::Center));
        lines.push(Line::from(""));
        if let Some(n) = cx.notice {
            lines.push(
                Line::from(Span::styled(n.text.clone(), theme::error()))
                    .alignment(Alignment::Center),
            );
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::new()),
            area,
        );
    }
}
