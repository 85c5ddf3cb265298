//! Evaluation: one question per screen, "Question k of n". A choice is
//! answered by its digit or a tap and moves on; a text answer takes typing
//! and Enter. Esc goes back with the answer kept.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::domain::evaluation::{self, Kind, Question};
use crate::domain::sanitize;
use crate::kiosk::msg::{Intent, Key, KeyCommand, TapTarget, Transition};
use crate::kiosk::setup::KioskSetup;
use crate::kiosk::speech::Spoken;
use crate::kiosk::strings::Words;
use crate::kiosk::theme;
use crate::kiosk::visit::Visit;
use crate::kiosk::widgets::width;

const MAX_TEXT: usize = 1000;

#[derive(Debug, Clone)]
pub struct EvalState {
    /// Indexes into the configured questions that this visit may ask.
    pub asked: Vec<usize>,
    /// Index into `asked`.
    pub pos: usize,
    pub text: String,
    pub message: Option<String>,
}

impl EvalState {
    /// None when there is nothing to ask (a later visit after a complete
    /// evaluation).
    pub fn new(visit: &Visit, ctx: &KioskSetup) -> Option<EvalState> {
        let qs = &ctx.config.questions;
        let to_ask = evaluation::to_ask(qs, &visit.prior_answers, visit.profile.codes);
        let asked: Vec<usize> = to_ask
            .iter()
            .filter_map(|q| qs.iter().position(|x| x.id == q.id))
            .collect();
        let mut s = EvalState {
            asked,
            pos: 0,
            text: String::new(),
            message: None,
        };
        let first = s.applicable(visit, ctx).first().copied()?;
        s.go(first, visit, ctx);
        Some(s)
    }

    /// Positioned on the last question that applies (coming back from Attest).
    pub fn at_last(mut self, visit: &Visit, ctx: &KioskSetup) -> EvalState {
        if let Some(last) = self.applicable(visit, ctx).last().copied() {
            self.go(last, visit, ctx);
        }
        self
    }

    fn question<'a>(&self, ctx: &'a KioskSetup) -> &'a Question {
        &ctx.config.questions[self.asked[self.pos]]
    }

    /// Positions in `asked` of the questions that apply given the answers so far.
    fn applicable(&self, visit: &Visit, ctx: &KioskSetup) -> Vec<usize> {
        let answers = visit.all_answers();
        (0..self.asked.len())
            .filter(|p| ctx.config.questions[self.asked[*p]].applies(&answers, visit.profile.codes))
            .collect()
    }

    fn go(&mut self, pos: usize, visit: &Visit, ctx: &KioskSetup) {
        self.pos = pos;
        let q = self.question(ctx);
        self.text = match q.kind {
            Kind::Text => visit.all_answers().get(&q.id).cloned().unwrap_or_default(),
            Kind::Choice(_) => String::new(),
        };
    }

    pub fn counter(&self, visit: &Visit, ctx: &KioskSetup) -> (usize, usize) {
        let app = self.applicable(visit, ctx);
        let k = app
            .iter()
            .position(|p| *p == self.pos)
            .map(|k| k + 1)
            .unwrap_or(1);
        (k, app.len())
    }

    fn advance(&mut self, words: Words, visit: &Visit, ctx: &KioskSetup) -> Transition {
        self.message = None;
        let app = self.applicable(visit, ctx);
        if let Some(next) = app.iter().find(|p| **p > self.pos) {
            self.go(*next, visit, ctx);
            return Transition::Stay;
        }
        let answers = visit.all_answers();
        let missing = evaluation::missing(&ctx.config.questions, &answers, visit.profile.codes);
        match missing.first().and_then(|id| {
            self.asked
                .iter()
                .position(|i| ctx.config.questions[*i].id == *id)
        }) {
            None if missing.is_empty() => Transition::Next,
            Some(pos) => {
                self.go(pos, visit, ctx);
                self.message = Some(words.answer_required());
                Transition::Stay
            }
            // A required answer is missing that this visit cannot ask:
            // should not happen, since to_ask includes every such question.
            None => Transition::Next,
        }
    }
}

impl Component for EvalState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        match cx.visit {
            Some(v) => {
                let (k, n) = self.counter(v, cx.ctx);
                words.evaluation_heading(k, n)
            }
            None => String::new(),
        }
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        if cx.visit.is_none() {
            return vec![];
        }
        let ctx = cx.ctx;
        let q = self.question(ctx);
        let mut cmds = Vec::new();
        match &q.kind {
            Kind::Choice(_) => {
                let labels = ctx.config.option_labels(words.lang(), q);
                for (i, o) in labels.into_iter().enumerate() {
                    cmds.push(
                        KeyCommand::new(Key::Digit(i as u8 + 1), o, Intent::Choose(i)).hidden(),
                    );
                }
            }
            Kind::Text => cmds.push(KeyCommand::new(
                Key::Enter,
                if q.required {
                    words.continue_label()
                } else {
                    words.continue_empty_skips()
                },
                Intent::Continue,
            )),
        }
        cmds.push(KeyCommand::new(Key::Esc, words.back(), Intent::Back));
        cmds
    }

    fn input(&mut self, key: KeyEvent, cx: &mut ActArgs) -> Transition {
        if cx.visit.is_none() {
            return Transition::Stay;
        }
        let ctx = cx.ctx;
        if matches!(self.question(ctx).kind, Kind::Text) {
            match key.code {
                KeyCode::Char(c) if !c.is_control() && self.text.chars().count() < MAX_TEXT => {
                    self.text.push(c);
                    self.message = None;
                }
                KeyCode::Backspace => {
                    self.text.pop();
                }
                _ => {}
            }
        }
        Transition::Stay
    }

    fn click(&mut self, row: usize, cx: &mut ActArgs) -> Transition {
        self.act(Intent::Choose(row), cx)
    }

    fn act(&mut self, action: Intent, cx: &mut ActArgs) -> Transition {
        let words = cx.words;
        let ctx = cx.ctx;
        let Some(visit) = cx.visit.as_deref_mut() else {
            return Transition::Stay;
        };
        let q = self.question(ctx).clone();
        match action {
            Intent::Choose(i) => {
                if let Kind::Choice(options) = &q.kind
                    && let Some(o) = options.get(i)
                {
                    visit.answers.insert(q.id.clone(), o.clone());
                    return self.advance(words, visit, ctx);
                }
                Transition::Stay
            }
            Intent::Continue if matches!(q.kind, Kind::Text) => {
                let text = self.text.trim().to_string();
                if text.is_empty() {
                    if q.required {
                        self.message = Some(words.answer_required());
                        return Transition::Stay;
                    }
                    visit.answers.remove(&q.id);
                } else {
                    visit.answers.insert(q.id.clone(), text);
                }
                self.advance(words, visit, ctx)
            }
            Intent::Back => {
                self.message = None;
                let app = self.applicable(visit, ctx);
                match app.iter().rev().find(|p| **p < self.pos) {
                    Some(prev) => {
                        self.go(*prev, visit, ctx);
                        Transition::Stay
                    }
                    None => Transition::Back,
                }
            }
            _ => Transition::Stay,
        }
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        let ctx = cx.ctx;
        let Some(visit) = cx.visit else {
            return Spoken::default();
        };
        let q = self.question(ctx);
        let mut page = vec![
            sanitize(ctx.config.question_text(words.lang(), q)),
            if q.required {
                words.required()
            } else {
                words.optional_skip()
            },
        ];
        let answers = visit.all_answers();
        match &q.kind {
            Kind::Choice(options) => {
                let labels = ctx.config.option_labels(words.lang(), q);
                for (i, (o, label)) in options.iter().zip(labels).enumerate() {
                    let chosen = if answers.get(&q.id) == Some(o) {
                        words.chosen()
                    } else {
                        String::new()
                    };
                    page.push(format!(
                        "{}{}{chosen}",
                        words.label(&(i + 1).to_string()),
                        sanitize(label)
                    ));
                }
            }
            Kind::Text => page.push(words.your_answer()),
        }
        Spoken {
            page,
            message: self.message.clone(),
            ..Spoken::default()
        }
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
        let words = cx.words;
        let ctx = cx.ctx;
        let Some(visit) = cx.visit else {
            return;
        };
        let q = self.question(ctx);
        let mut y = area.y;
        let question = sanitize(ctx.config.question_text(words.lang(), q));
        let th = (width(&question) as u16 / area.width.max(1) + 1).min(4);
        let text = Paragraph::new(Line::from(Span::styled(question, theme::heading())))
            .wrap(Wrap { trim: true });
        frame.render_widget(
            text,
            Rect {
                y,
                height: th,
                ..area
            },
        );
        y += th;
        let note = if q.required {
            words.required()
        } else {
            words.optional_skip()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(note, theme::dim())),
            Rect {
                y,
                height: 1,
                ..area
            },
        );
        y += 2;
        let answers = visit.all_answers();
        match &q.kind {
            Kind::Choice(options) => {
                let room = area
                    .bottom()
                    .saturating_sub(y + u16::from(self.message.is_some()));
                let per = (room / options.len().max(1) as u16).clamp(1, 3);
                let labels = ctx.config.option_labels(words.lang(), q);
                for (i, (o, label)) in options.iter().zip(labels).enumerate() {
                    let chosen = answers.get(&q.id) == Some(o);
                    let r = Rect {
                        x: area.x + 2,
                        y,
                        width: area.width.saturating_sub(4).min(60),
                        height: per,
                    };
                    if r.bottom() > area.bottom() {
                        break;
                    }
                    let label = format!(
                        "{}  {}{}",
                        i + 1,
                        sanitize(label),
                        if chosen {
                            words.chosen()
                        } else {
                            String::new()
                        }
                    );
                    let style = if chosen {
                        theme::highlight()
                    } else {
                        theme::base()
                    };
                    let block = if per >= 3 {
                        Block::new()
                            .borders(Borders::ALL)
                            .border_style(theme::dim())
                    } else {
                        Block::new()
                    };
                    frame.render_widget(Paragraph::new(Span::styled(label, style)).block(block), r);
                    hits.push((r, TapTarget::Row(i)));
                    y += per;
                }
            }
            Kind::Text => {
                let r = Rect {
                    height: (area.bottom().saturating_sub(y + 1)).clamp(3, 6),
                    ..area
                };
                frame.render_widget(
                    Paragraph::new(format!("{}▏", sanitize(&self.text)))
                        .wrap(Wrap { trim: false })
                        .block(
                            Block::new()
                                .borders(Borders::ALL)
                                .title(words.your_answer()),
                        ),
                    Rect { y, ..r },
                );
                y += r.height;
            }
        }
        if let Some(m) = &self.message {
            frame.render_widget(
                Paragraph::new(Span::styled(format!("✗ {m}"), theme::error()))
                    .alignment(Alignment::Left),
                Rect {
                    y: y.min(area.bottom().saturating_sub(1)),
                    height: 1,
                    ..area
                },
            );
        }
    }
}
