//! Scan: "Scan your badge". Scanner bursts arrive whole from the input
//! layer; this screen handles a person typing the number.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::kiosk::app::{Action, App, Effect, Step};
use crate::kiosk::{strings, theme};

const MAX_TYPED: usize = 64;

#[derive(Debug, Clone, Default)]
pub struct ScanState {
    typed: String,
}

impl ScanState {
    pub fn is_empty(&self) -> bool {
        self.typed.is_empty()
    }

    pub fn input(&mut self, key: KeyEvent) -> Step {
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

    pub fn act(&mut self, action: Action) -> Step {
        match action {
            Action::Continue if !self.typed.trim().is_empty() => {
                Step::Effect(Effect::Resolve(std::mem::take(&mut self.typed)))
            }
            _ => Step::Stay,
        }
    }

    pub fn view(&self, app: &App, frame: &mut Frame, area: Rect) {
        let mut lines = vec![
            Line::from(""),
            Line::from(strings::SCAN_HELP).alignment(Alignment::Center),
            Line::from(""),
        ];
        let field = format!(" {}: {}▏", strings::SCAN_FIELD, self.typed);
        lines.push(Line::from(Span::styled(field, theme::heading())).alignment(Alignment::Center));
        lines.push(Line::from(""));
        if let Some(n) = &app.notice {
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
