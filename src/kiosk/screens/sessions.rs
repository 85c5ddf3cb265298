//! Sessions: the catalog, today first, then the earlier days newest first,
//! then the days not begun; filter-as-you-type, Space to select, +/− to
//! claim less than the designation in quarter hours, and the running
//! totals with the overlap rule and the maximum.
//!
//! The keys go to the filter or to the list, and the screen shows which
//! (▶): typing goes to the filter whole, spaces and + − included; Tab (or
//! an arrow) hands the keys to the list, Tab without moving the highlight;
//! in the list Space ticks, + − adjust, and a letter goes back to the
//! filter.
//! Sessions the attendee was scanned into at the door are marked so (and
//! arrive ticked where the rules let them count: `Visit::tick_scanned`).

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::domain::credits::{Blocked, step_down, step_up};
use crate::kiosk::msg::{Intent, Key, KeyCommand, TapTarget, Transition};
use crate::kiosk::setup::KioskSetup;
use crate::kiosk::speech::Spoken;
use crate::kiosk::strings::Words;
use crate::kiosk::theme;
use crate::kiosk::visit::Visit;
use crate::kiosk::widgets::{clip, width as width_of};
pub use crate::kiosk::widgets::{fit, totals_lines};

/// A line of the session list: a day's header, or a session (its index
/// in the catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEntry {
    Day(Date),
    Session(usize),
}

/// What the keys go to on Sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keys {
    /// Space ticks, + − adjust, arrows move; a letter goes to the filter.
    #[default]
    List,
    /// Every character is typed into the filter.
    Filter,
}

#[derive(Debug, Clone)]
pub struct SessionsState {
    pub filter: String,
    /// Which of the filter and the list has the keys.
    pub keys: Keys,
    pub rows: Vec<ListEntry>,
    /// Index into `rows`; always a session row when there is one.
    pub cursor: usize,
    pub now_min: i64,
    pub message: Option<String>,
}

/// Why a session cannot be selected now (the rule lives in `domain`).
pub fn blocked(visit: &Visit, ctx: &KioskSetup, idx: usize, now_min: i64) -> Option<Blocked> {
    visit.blocked(ctx, idx, now_min)
}

impl SessionsState {
    pub fn new(visit: &Visit, ctx: &KioskSetup, now_min: i64) -> SessionsState {
        let mut s = SessionsState {
            filter: String::new(),
            keys: Keys::List,
            rows: Vec::new(),
            cursor: 0,
            now_min,
            message: None,
        };
        s.rebuild(visit, ctx);
        s
    }

    fn rebuild(&mut self, visit: &Visit, ctx: &KioskSetup) {
        let needle = self.filter.to_lowercase();
        self.rows.clear();
        // The catalog is newest day first; a day that has not begun goes
        // after those that have, the soonest first.
        let today = ctx.config.minutes_to_local(self.now_min).date();
        let mut days: Vec<Date> = Vec::new();
        for s in &ctx.catalog.sessions {
            if days.last() != Some(&s.day) {
                days.push(s.day);
            }
        }
        let (begun, to_come): (Vec<Date>, Vec<Date>) = days.iter().partition(|d| **d <= today);
        for day in begun.into_iter().chain(to_come.into_iter().rev()) {
            let mut header = false;
            for (i, s) in ctx.catalog.sessions.iter().enumerate() {
                if s.day != day || !s.matches(&needle) {
                    continue;
                }
                if !header {
                    header = true;
                    self.rows.push(ListEntry::Day(day));
                }
                self.rows.push(ListEntry::Session(i));
            }
        }
        let first_selectable = self.rows.iter().position(
            |r| matches!(r, ListEntry::Session(i) if blocked(visit, ctx, *i, self.now_min).is_none()),
        );
        let first_session = self
            .rows
            .iter()
            .position(|r| matches!(r, ListEntry::Session(_)));
        self.cursor = first_selectable.or(first_session).unwrap_or(0);
    }

    pub fn current(&self) -> Option<usize> {
        match self.rows.get(self.cursor) {
            Some(ListEntry::Session(i)) => Some(*i),
            _ => None,
        }
    }

    fn move_by(&mut self, delta: i32) {
        let mut i = self.cursor as i64;
        loop {
            i += i64::from(delta);
            if i < 0 || i >= self.rows.len() as i64 {
                return;
            }
            if matches!(self.rows[i as usize], ListEntry::Session(_)) {
                self.cursor = i as usize;
                return;
            }
        }
    }

    /// Why a session cannot be ticked, what is claimed of it, and the words
    /// at the end of its row ("1.25 cr", "not yet ended", "claimed 1").
    fn state_of(
        &self,
        words: Words,
        i: usize,
        visit: &Visit,
        ctx: &KioskSetup,
    ) -> (Option<Blocked>, Option<crate::domain::Quarters>, String) {
        let s = &ctx.catalog.sessions[i];
        let why = blocked(visit, ctx, i, self.now_min);
        let selected = visit.selected.get(&i).copied();
        let right = match (why, selected) {
            (Some(Blocked::ClaimedEarlier), _) => {
                let q = visit
                    .prior
                    .iter()
                    .find(|(p, _)| *p == i)
                    .map(|(_, q)| *q)
                    .unwrap_or(0);
                format!("{} {}", words.claimed_earlier(), words.quarters(q))
            }
            (Some(Blocked::NotEnded), _) => words.not_ended(),
            (Some(Blocked::NoCredit | Blocked::NoUan), _) => words.no_credit(),
            (Some(Blocked::SimultaneousAcpe), _) => words.simultaneous(),
            (None, Some(q)) if visit.whole(ctx, i) => {
                format!(
                    "{} · {}",
                    words.credits_short(&words.quarters(q)),
                    words.whole()
                )
            }
            (None, Some(q)) => words.claimed_of(&words.quarters(q), &words.quarters(s.designated)),
            (None, None) => words.credits_short(&words.quarters(s.designated)),
        };
        let right = if visit.was_scanned(i) && why != Some(Blocked::ClaimedEarlier) {
            format!("{} · {right}", words.scanned_at_door())
        } else {
            right
        };
        (why, selected, right)
    }

    /// The highlighted session as said: its hours, title, room, the words
    /// at the end of its row, and whether it is ticked.
    fn spoken_row(&self, words: Words, i: usize, visit: &Visit, ctx: &KioskSetup) -> String {
        let s = &ctx.catalog.sessions[i];
        let (why, selected, right) = self.state_of(words, i, visit, ctx);
        let time = words.time_span(
            &s.start.strftime("%H:%M").to_string(),
            &s.end.strftime("%H:%M").to_string(),
        );
        let mut parts = vec![time, s.title.clone()];
        if !s.room.is_empty() {
            parts.push(s.room.clone());
        }
        parts.push(right);
        if why.is_none() {
            parts.push(words.tick_word(selected.is_some()));
        }
        parts.join(", ")
    }

    fn session_line(
        &self,
        cx: &DrawArgs,
        visit: &Visit,
        i: usize,
        cursor: bool,
        pointer: bool,
        width: u16,
    ) -> Line<'static> {
        let (words, ctx) = (cx.words, cx.ctx);
        let s = &ctx.catalog.sessions[i];
        let (why, selected, right) = self.state_of(words, i, visit, ctx);
        let mark = match (why, selected) {
            (Some(Blocked::ClaimedEarlier), _) => "[✓]",
            (Some(_), _) => " · ",
            (None, Some(_)) => "[✓]",
            (None, None) => "[ ]",
        };
        // The highlight stays where it is while the filter has the keys;
        // the ▶ says where they go.
        let pointer = if cursor && pointer { "▶" } else { " " };
        let time = format!("{}–{}", s.start.strftime("%H:%M"), s.end.strftime("%H:%M"));
        let fixed = 1 + 4 + 12 + 1 + width_of(&right) + 1;
        let room = (width as usize).saturating_sub(fixed);
        let mut title = s.title.clone();
        if !s.room.is_empty() && room > width_of(&title) + width_of(&s.room) + 5 {
            title = format!("{title} · {}", s.room);
        }
        let title = fit(&title, room);
        let style = match (cursor, why) {
            (true, _) => theme::highlight(),
            (
                false,
                Some(
                    Blocked::NotEnded
                    | Blocked::NoCredit
                    | Blocked::NoUan
                    | Blocked::SimultaneousAcpe,
                ),
            ) => theme::dim(),
            (false, _) if selected.is_some() => theme::good(),
            _ => theme::base(),
        };
        Line::from(vec![Span::styled(
            format!("{pointer}{mark} {time} {title} {right}"),
            style,
        )])
    }
}

impl Component for SessionsState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.sessions_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        if cx.visit.is_none() {
            return vec![];
        }
        match self.keys {
            Keys::List => vec![
                KeyCommand::new(Key::Enter, words.continue_label(), Intent::Continue),
                KeyCommand::new(Key::Esc, words.back(), Intent::Back),
                KeyCommand::new(Key::Space, words.select(), Intent::Toggle),
                KeyCommand::new(Key::Plus, words.more(), Intent::More),
                KeyCommand::new(Key::Minus, words.less(), Intent::Less),
                KeyCommand::new(Key::Up, words.up(), Intent::Up),
                KeyCommand::new(Key::Down, words.down(), Intent::Down),
                KeyCommand::new(Key::Tab, words.filter(), Intent::NextField).hidden(),
            ],
            // Space, + and − are typed: they are no commands here.
            Keys::Filter => vec![
                KeyCommand::new(Key::Enter, words.continue_label(), Intent::Continue),
                KeyCommand::new(Key::Esc, words.back(), Intent::Back),
                KeyCommand::new(Key::Tab, words.to_list(), Intent::NextField),
                KeyCommand::new(Key::Up, words.up(), Intent::Up),
                KeyCommand::new(Key::Down, words.down(), Intent::Down),
            ],
        }
    }

    fn input(&mut self, key: KeyEvent, cx: &mut ActArgs) -> Transition {
        let ctx = cx.ctx;
        let Some(visit) = cx.visit.as_deref_mut() else {
            return Transition::Stay;
        };
        match key.code {
            // From the list, a letter goes back to the filter.
            KeyCode::Char(c) if !c.is_control() => {
                self.keys = Keys::Filter;
                if self.filter.chars().count() >= 40 {
                    return Transition::Stay;
                }
                self.filter.push(c);
            }
            KeyCode::Backspace => {
                self.keys = Keys::Filter;
                if self.filter.pop().is_none() {
                    return Transition::Stay;
                }
            }
            KeyCode::PageDown => {
                self.keys = Keys::List;
                for _ in 0..10 {
                    self.move_by(1);
                }
                return Transition::Stay;
            }
            KeyCode::PageUp => {
                self.keys = Keys::List;
                for _ in 0..10 {
                    self.move_by(-1);
                }
                return Transition::Stay;
            }
            _ => return Transition::Stay,
        }
        self.message = None;
        self.rebuild(visit, ctx);
        Transition::Stay
    }

    fn click(&mut self, row: usize, cx: &mut ActArgs) -> Transition {
        if matches!(self.rows.get(row), Some(ListEntry::Session(_))) {
            self.cursor = row;
            self.keys = Keys::List;
            return self.act(Intent::Toggle, cx);
        }
        Transition::Stay
    }

    fn act(&mut self, action: Intent, cx: &mut ActArgs) -> Transition {
        let words = cx.words;
        let ctx = cx.ctx;
        let Some(visit) = cx.visit.as_deref_mut() else {
            return Transition::Stay;
        };
        self.message = None;
        match action {
            // Tab hands the keys over, the highlight where it was.
            Intent::NextField => {
                self.keys = match self.keys {
                    Keys::List => Keys::Filter,
                    Keys::Filter => Keys::List,
                };
            }
            Intent::Up => {
                self.keys = Keys::List;
                self.move_by(-1);
            }
            Intent::Down => {
                self.keys = Keys::List;
                self.move_by(1);
            }
            Intent::Toggle | Intent::More | Intent::Less => {
                let Some(idx) = self.current() else {
                    return Transition::Stay;
                };
                if let Some(why) = blocked(visit, ctx, idx, self.now_min) {
                    self.message = Some(blocked_text(words, why).to_string());
                    return Transition::Stay;
                }
                let designated = ctx.catalog.sessions[idx].designated;
                let selected = visit.selected.get(&idx).copied();
                if matches!(action, Intent::More | Intent::Less)
                    && selected.is_some()
                    && visit.whole(ctx, idx)
                {
                    self.message = Some(words.acpe_whole());
                    return Transition::Stay;
                }
                match (action, selected) {
                    (Intent::Toggle, Some(_)) => {
                        visit.selected.remove(&idx);
                    }
                    (Intent::Toggle, None) => {
                        visit.selected.insert(idx, designated);
                    }
                    (Intent::More, Some(q)) => {
                        visit.selected.insert(idx, step_up(q, designated));
                    }
                    (Intent::Less, Some(q)) => {
                        visit.selected.insert(idx, step_down(q, designated));
                    }
                    (_, None) => {
                        self.message = Some(words.select_first());
                    }
                    _ => {}
                }
            }
            Intent::Back => return Transition::Back,
            Intent::Continue => {
                if visit.selected.is_empty() && visit.prior.is_empty() {
                    self.message = Some(words.nothing_selected());
                    return Transition::Stay;
                }
                return Transition::Next;
            }
            _ => {}
        }
        Transition::Stay
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        let ctx = cx.ctx;
        let Some(visit) = cx.visit else {
            return Spoken::default();
        };
        let mut page = vec![];
        if visit.ticked_from_scans > 0 {
            page.push(words.scanned_note());
        }
        let mut filter = words.label(&words.filter());
        filter.push_str(&crate::domain::sanitize(&self.filter));
        page.push(filter);
        page.push(match self.keys {
            Keys::List => words.filter_hint(),
            Keys::Filter => words.filter_to_list(),
        });
        if self.rows.is_empty() {
            page.push(words.no_match());
        }
        Spoken {
            page,
            focus: self
                .current()
                .map(|i| self.spoken_row(words, i, visit, ctx)),
            status: Some(crate::kiosk::widgets::totals_text(words, visit, ctx).join(". ")),
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
        let wide = area.width >= 110;
        let totals = totals_lines(words, visit, ctx);
        let (list_area, totals_area) = if wide {
            let tw = 38.min(area.width / 3);
            (
                Rect {
                    width: area.width - tw - 1,
                    ..area
                },
                Rect {
                    x: area.right() - tw,
                    width: tw,
                    ..area
                },
            )
        } else {
            let th = (totals.len() as u16 + 1).min(area.height / 3);
            (
                Rect {
                    height: area.height - th,
                    ..area
                },
                Rect {
                    y: area.bottom() - th,
                    height: th,
                    ..area
                },
            )
        };
        // Filter line: ▶ where the keys go, the cursor while it has them.
        let typing = self.keys == Keys::Filter;
        let mut spans = vec![
            Span::styled(if typing { "▶ " } else { "  " }, theme::heading()),
            Span::styled(
                words.label(&words.filter()),
                if typing {
                    theme::highlight()
                } else {
                    theme::heading()
                },
            ),
        ];
        let shows_text = !self.filter.is_empty() || typing;
        if shows_text {
            spans.push(Span::styled(
                format!(
                    "{}{}",
                    crate::domain::sanitize(&self.filter),
                    if typing { "▏" } else { "" }
                ),
                theme::heading(),
            ));
        }
        let hint = if typing {
            words.filter_to_list()
        } else {
            words.filter_hint()
        };
        let gap = if shows_text { "  " } else { "" };
        spans.push(Span::styled(format!("{gap}({hint})"), theme::dim()));
        let filter = Line::from(spans);
        frame.render_widget(
            Paragraph::new(clip(filter, list_area.width)),
            Rect {
                height: 1,
                ..list_area
            },
        );
        // What the door scans did, for the whole visit (the list does not
        // move under a finger when the last of them is unticked).
        let scan_note = visit.ticked_from_scans > 0;
        if scan_note {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    fit(&words.scanned_note(), usize::from(list_area.width)),
                    theme::base(),
                )),
                Rect {
                    y: list_area.y + 1,
                    height: 1,
                    ..list_area
                },
            );
        }
        let top = 1 + u16::from(scan_note);
        // A message takes the lines it needs (at most three), wrapped.
        let message = self.message.as_ref().map(|m| format!("✗ {m}"));
        let message_h = message.as_ref().map_or(0, |m| {
            let width = usize::from(list_area.width.max(1));
            (width_of(m).div_ceil(width) + 1).min(3) as u16
        });
        let list = Rect {
            y: list_area.y + top,
            height: list_area.height.saturating_sub(top + message_h),
            ..list_area
        };
        if let Some(m) = message {
            frame.render_widget(
                Paragraph::new(Span::styled(m, theme::warn())).wrap(Wrap { trim: true }),
                Rect {
                    y: list.bottom(),
                    height: message_h,
                    ..list_area
                },
            );
        }
        if self.rows.is_empty() {
            frame.render_widget(Paragraph::new(words.no_match()), list);
        }
        let height = list.height as usize;
        let offset = if self.rows.len() <= height {
            0
        } else {
            self.cursor
                .saturating_sub(height / 2)
                .min(self.rows.len() - height)
        };
        for (n, row) in self.rows.iter().enumerate().skip(offset).take(height) {
            let r = Rect {
                y: list.y + (n - offset) as u16,
                height: 1,
                ..list
            };
            let line = match row {
                ListEntry::Day(d) => Line::from(Span::styled(
                    format!(
                        "── {} ──",
                        words.day_heading(d.weekday().to_monday_one_offset(), d.day(), d.month())
                    ),
                    theme::heading(),
                )),
                ListEntry::Session(i) => {
                    hits.push((r, TapTarget::Row(n)));
                    let pointer = self.keys == Keys::List;
                    self.session_line(cx, visit, *i, n == self.cursor, pointer, r.width)
                }
            };
            frame.render_widget(Paragraph::new(line), r);
        }
        let block = if wide {
            Block::new()
                .borders(Borders::LEFT)
                .border_style(theme::dim())
        } else {
            Block::new()
                .borders(Borders::TOP)
                .border_style(theme::dim())
        };
        frame.render_widget(
            Paragraph::new(totals)
                .block(block)
                .wrap(Wrap { trim: true }),
            totals_area,
        );
    }
}

fn blocked_text(words: Words, why: Blocked) -> String {
    match why {
        Blocked::ClaimedEarlier => words.why_claimed_earlier(),
        Blocked::NotEnded => words.why_not_ended(),
        Blocked::NoCredit => words.why_no_credit(),
        Blocked::NoUan => words.why_no_uan(),
        Blocked::SimultaneousAcpe => words.why_simultaneous_acpe(),
    }
}
