//! Sessions: the catalog, newest day first, with filter-as-you-type,
//! Space to select, +/− to claim less than the designation in quarter
//! hours, and the running totals with the overlap rule and the maximum.
//! Sessions the attendee was scanned into at the door are marked so (and
//! arrive ticked where the rules let them count: `Visit::tick_scanned`).

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Component, Hits, ScreenCtx, ViewCtx};
use crate::domain::credits::{Blocked, step_down, step_up};
use crate::kiosk::ctx::Ctx;
use crate::kiosk::msg::{Action, Cmd, Hit, Key, Step};
use crate::kiosk::visit::Visit;
use crate::kiosk::widgets::{clip, width as width_of};
pub use crate::kiosk::widgets::{fit, totals_lines};
use crate::kiosk::{strings, theme};

/// A line of the session list: a day's header, or a session (its index
/// in the catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEntry {
    Day(Date),
    Session(usize),
}

#[derive(Debug, Clone)]
pub struct SessionsState {
    pub filter: String,
    pub rows: Vec<ListEntry>,
    /// Index into `rows`; always a session row when there is one.
    pub cursor: usize,
    pub now_min: i64,
    pub message: Option<String>,
}

/// Why a session cannot be selected now (the rule lives in `domain`).
pub fn blocked(visit: &Visit, ctx: &Ctx, idx: usize, now_min: i64) -> Option<Blocked> {
    visit.blocked(ctx, idx, now_min)
}

impl SessionsState {
    pub fn new(visit: &Visit, ctx: &Ctx, now_min: i64) -> SessionsState {
        let mut s = SessionsState {
            filter: String::new(),
            rows: Vec::new(),
            cursor: 0,
            now_min,
            message: None,
        };
        s.rebuild(visit, ctx);
        s
    }

    fn rebuild(&mut self, visit: &Visit, ctx: &Ctx) {
        let needle = self.filter.to_lowercase();
        self.rows.clear();
        let mut day = None;
        for (i, s) in ctx.catalog.sessions.iter().enumerate() {
            if !s.matches(&needle) {
                continue;
            }
            if day != Some(s.day) {
                day = Some(s.day);
                self.rows.push(ListEntry::Day(s.day));
            }
            self.rows.push(ListEntry::Session(i));
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

    fn session_line(
        &self,
        i: usize,
        cursor: bool,
        visit: &Visit,
        ctx: &Ctx,
        width: u16,
    ) -> Line<'static> {
        let s = &ctx.catalog.sessions[i];
        let why = blocked(visit, ctx, i, self.now_min);
        let selected = visit.selected.get(&i).copied();
        let mark = match (why, selected) {
            (Some(Blocked::ClaimedEarlier), _) => "[✓]",
            (Some(_), _) => " · ",
            (None, Some(_)) => "[✓]",
            (None, None) => "[ ]",
        };
        let pointer = if cursor { "▶" } else { " " };
        let time = format!("{}–{}", s.start.strftime("%H:%M"), s.end.strftime("%H:%M"));
        let right = match (why, selected) {
            (Some(Blocked::ClaimedEarlier), _) => {
                let q = visit
                    .prior
                    .iter()
                    .find(|(p, _)| *p == i)
                    .map(|(_, q)| *q)
                    .unwrap_or(0);
                format!("{} {}", strings::claimed_earlier(), strings::quarters(q))
            }
            (Some(Blocked::NotEnded), _) => strings::not_ended(),
            (Some(Blocked::NoCredit | Blocked::NoUan), _) => strings::no_credit(),
            (Some(Blocked::SimultaneousAcpe), _) => strings::simultaneous(),
            (None, Some(q)) if visit.whole(ctx, i) => {
                format!(
                    "{} · {}",
                    strings::credits_short(&strings::quarters(q)),
                    strings::whole()
                )
            }
            (None, Some(q)) => {
                strings::claimed_of(&strings::quarters(q), &strings::quarters(s.designated))
            }
            (None, None) => strings::credits_short(&strings::quarters(s.designated)),
        };
        let right = if visit.was_scanned(i) && why != Some(Blocked::ClaimedEarlier) {
            format!("{} · {right}", strings::scanned_at_door())
        } else {
            right
        };
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
    fn heading(&self, _cx: &ViewCtx) -> String {
        strings::sessions_heading()
    }

    fn commands(&self, cx: &ViewCtx) -> Vec<Cmd> {
        if cx.visit.is_none() {
            return vec![];
        }
        vec![
            Cmd::new(Key::Enter, strings::continue_label(), Action::Continue),
            Cmd::new(Key::Esc, strings::back(), Action::Back),
            Cmd::new(Key::Space, strings::select(), Action::Toggle),
            Cmd::new(Key::Plus, strings::more(), Action::More),
            Cmd::new(Key::Minus, strings::less(), Action::Less),
            Cmd::new(Key::Up, strings::up(), Action::Up),
            Cmd::new(Key::Down, strings::down(), Action::Down),
        ]
    }

    fn input(&mut self, key: KeyEvent, cx: &mut ScreenCtx) -> Step {
        let ctx = cx.ctx;
        let Some(visit) = cx.visit.as_deref_mut() else {
            return Step::Stay;
        };
        match key.code {
            KeyCode::Char(c) if !c.is_control() && self.filter.chars().count() < 40 => {
                self.filter.push(c);
            }
            KeyCode::Backspace if !self.filter.is_empty() => {
                self.filter.pop();
            }
            KeyCode::PageDown => {
                for _ in 0..10 {
                    self.move_by(1);
                }
                return Step::Stay;
            }
            KeyCode::PageUp => {
                for _ in 0..10 {
                    self.move_by(-1);
                }
                return Step::Stay;
            }
            _ => return Step::Stay,
        }
        self.message = None;
        self.rebuild(visit, ctx);
        Step::Stay
    }

    fn click(&mut self, row: usize, cx: &mut ScreenCtx) -> Step {
        if matches!(self.rows.get(row), Some(ListEntry::Session(_))) {
            self.cursor = row;
            return self.act(Action::Toggle, cx);
        }
        Step::Stay
    }

    fn act(&mut self, action: Action, cx: &mut ScreenCtx) -> Step {
        let ctx = cx.ctx;
        let Some(visit) = cx.visit.as_deref_mut() else {
            return Step::Stay;
        };
        self.message = None;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::Toggle | Action::More | Action::Less => {
                let Some(idx) = self.current() else {
                    return Step::Stay;
                };
                if let Some(why) = blocked(visit, ctx, idx, self.now_min) {
                    self.message = Some(blocked_text(why).to_string());
                    return Step::Stay;
                }
                let designated = ctx.catalog.sessions[idx].designated;
                let selected = visit.selected.get(&idx).copied();
                if matches!(action, Action::More | Action::Less)
                    && selected.is_some()
                    && visit.whole(ctx, idx)
                {
                    self.message = Some(strings::acpe_whole());
                    return Step::Stay;
                }
                match (action, selected) {
                    (Action::Toggle, Some(_)) => {
                        visit.selected.remove(&idx);
                    }
                    (Action::Toggle, None) => {
                        visit.selected.insert(idx, designated);
                    }
                    (Action::More, Some(q)) => {
                        visit.selected.insert(idx, step_up(q, designated));
                    }
                    (Action::Less, Some(q)) => {
                        visit.selected.insert(idx, step_down(q, designated));
                    }
                    (_, None) => {
                        self.message = Some(strings::select_first());
                    }
                    _ => {}
                }
            }
            Action::Back => return Step::Back,
            Action::Continue => {
                if visit.selected.is_empty() && visit.prior.is_empty() {
                    self.message = Some(strings::nothing_selected());
                    return Step::Stay;
                }
                return Step::Next;
            }
            _ => {}
        }
        Step::Stay
    }

    fn view(&self, cx: &ViewCtx, frame: &mut Frame, area: Rect, hits: &mut Hits) {
        let ctx = cx.ctx;
        let Some(visit) = cx.visit else {
            return;
        };
        let wide = area.width >= 110;
        let totals = totals_lines(visit, ctx);
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
        // Filter line.
        let filter = if self.filter.is_empty() {
            Line::from(vec![
                Span::styled(strings::label(&strings::filter()), theme::heading()),
                Span::styled(format!("▏ ({})", strings::filter_hint()), theme::dim()),
            ])
        } else {
            Line::from(vec![
                Span::styled(strings::label(&strings::filter()), theme::heading()),
                Span::styled(
                    format!("{}▏", crate::domain::sanitize(&self.filter)),
                    theme::highlight(),
                ),
                Span::styled(strings::backspace_clears(), theme::dim()),
            ])
        };
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
                    fit(&strings::scanned_note(), usize::from(list_area.width)),
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
            frame.render_widget(Paragraph::new(strings::no_match()), list);
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
                        strings::day_heading(
                            d.weekday().to_monday_one_offset(),
                            d.day(),
                            d.month()
                        )
                    ),
                    theme::heading(),
                )),
                ListEntry::Session(i) => {
                    hits.push((r, Hit::Row(n)));
                    self.session_line(*i, n == self.cursor, visit, ctx, r.width)
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

fn blocked_text(why: Blocked) -> String {
    match why {
        Blocked::ClaimedEarlier => strings::why_claimed_earlier(),
        Blocked::NotEnded => strings::why_not_ended(),
        Blocked::NoCredit => strings::why_no_credit(),
        Blocked::NoUan => strings::why_no_uan(),
        Blocked::SimultaneousAcpe => strings::why_simultaneous_acpe(),
    }
}
