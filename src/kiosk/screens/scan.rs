//! Scan: "Scan your badge". Scanner bursts arrive whole from the input
//! layer; this screen handles a person typing the number.

use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::kiosk::msg::{Effect, Intent, Key, KeyCommand, TapTarget, Transition};
use crate::kiosk::speech::Spoken;
use crate::kiosk::theme;
use crate::kiosk::widgets::width;

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
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.scan_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        let mut cmds = vec![KeyCommand::new(
            Key::Enter,
            words.continue_label(),
            Intent::Continue,
        )];
        if cx.ctx.config.languages.len() > 1 {
            cmds.push(KeyCommand::new(
                Key::F2,
                words.next_language(),
                Intent::NextLanguage,
            ));
        }
        cmds.push(KeyCommand::new(Key::F12, words.staff(), Intent::Staff));
        cmds
    }

    fn input(&mut self, key: KeyEvent, _cx: &mut ActArgs) -> Transition {
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
        Transition::Stay
    }

    fn act(&mut self, action: Intent, _cx: &mut ActArgs) -> Transition {
        match action {
            Intent::Continue if !self.typed.trim().is_empty() => {
                Transition::Effect(Effect::Resolve(std::mem::take(&mut self.typed)))
            }
            _ => Transition::Stay,
        }
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        let mut page = vec![words.scan_help(), words.speech_status(cx.speech)];
        if cx.ctx.config.languages.len() > 1 {
            page.push(format!(
                "{}{}",
                words.label(&words.choose_language()),
                words.lang().own_name()
            ));
        }
        page.push(words.large_status(cx.large));
        Spoken {
            page,
            message: cx.notice.map(|n| n.text.clone()),
            ..Spoken::default()
        }
    }

    fn typed_id(&self, _cx: &DrawArgs) -> Option<String> {
        Some(self.typed.clone())
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
        let words = cx.words;
        let mut lines = vec![
            Line::from(""),
            Line::from(words.scan_help()).alignment(Alignment::Center),
            Line::from(""),
        ];
        let field = format!(" {}{}▏", words.label(&words.scan_field()), self.typed);
        lines.push(Line::from(Span::styled(field, theme::heading())).alignment(Alignment::Center));
        lines.push(Line::from(""));
        match cx.notice {
            Some(n) => lines.push(
                Line::from(Span::styled(n.text.clone(), theme::error()))
                    .alignment(Alignment::Center),
            ),
            None => lines.push(Line::from("")),
        }
        // Speech and large text, said in words (F3, F5).
        for status in [words.speech_status(cx.speech), words.large_status(cx.large)] {
            lines.push(Line::from(Span::styled(status, theme::dim())).alignment(Alignment::Center));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::new()),
            area,
        );
        languages(cx, frame, area, hits);
    }
}

/// The offered languages by their own names, at the foot of the screen,
/// each a button; the one in force is in brackets (not colour alone).
/// Rows are filled left to right and centred; a name never splits.
fn languages(cx: &DrawArgs, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
    let words = cx.words;
    let offered = &cx.ctx.config.languages;
    if offered.len() < 2 {
        return;
    }
    let now = words.lang();
    let labels: Vec<String> = offered
        .iter()
        .map(|l| {
            if *l == now {
                format!("[{}]", l.own_name())
            } else {
                format!(" {} ", l.own_name())
            }
        })
        .collect();
    let mut rows: Vec<Vec<usize>> = vec![vec![]];
    let mut used = 0;
    for (i, label) in labels.iter().enumerate() {
        let w = width(label) + 1;
        if used + w > usize::from(area.width) && used > 0 {
            rows.push(vec![]);
            used = 0;
        }
        used += w;
        if let Some(row) = rows.last_mut() {
            row.push(i);
        }
    }
    let top = area.bottom().saturating_sub(rows.len() as u16 + 1);
    // Below the prompt, the field, a notice and the F3/F5 lines (on large
    // text there is no room: F2 still goes round them).
    if top <= area.y + 10 {
        return;
    }
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            words.choose_language(),
            theme::dim(),
        )))
        .alignment(Alignment::Center),
        Rect {
            y: top - 1,
            height: 1,
            ..area
        },
    );
    for (r, row) in rows.iter().enumerate() {
        let total: usize = row.iter().map(|i| width(&labels[*i]) + 1).sum::<usize>() - 1;
        let mut x = area.x + (area.width.saturating_sub(total as u16)) / 2;
        for i in row {
            let w = width(&labels[*i]) as u16;
            let rect = Rect {
                x,
                y: top + r as u16,
                width: w,
                height: 1,
            };
            let style = if offered[*i] == now {
                theme::key()
            } else {
                theme::base()
            };
            frame.render_widget(
                Paragraph::new(Span::styled(labels[*i].clone(), style)),
                rect,
            );
            hits.push((rect, TapTarget::Intent(Intent::Language(*i))));
            x += w + 1;
        }
    }
}
