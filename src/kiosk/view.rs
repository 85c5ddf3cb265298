//! Drawing: a pure function of the state. It returns the rectangles that a
//! click or tap can hit, for the runner to test the next click against.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, MIN_SIZE};
use super::msg::TapTarget;
pub use super::screens::TapTargets;
use super::strings::Words;
use super::theme;
use super::widgets::{clip, width};
use crate::domain::sanitize;

pub fn draw(app: &App, frame: &mut Frame, now: Instant) -> TapTargets {
    let words = app.words();
    let area = frame.area();
    frame.render_widget(Block::new().style(theme::base()), area);
    let mut hits = TapTargets::new();
    let min = app.min_size();
    if area.width < min.0 || area.height < min.1 {
        let text = vec![
            Line::from(Span::styled(words.enlarge(), theme::heading())),
            Line::from(words.too_small(min, (area.width, area.height))),
        ];
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            area,
        );
        return hits;
    }
    let roomy = area.height >= 30;
    // Large text leaves fewer rows than the normal layout needs: the top
    // bar goes, the heading takes the first row.
    let compact = area.height < MIN_SIZE.1;
    if !compact {
        // Top bar: the event and the kiosk, quietly.
        let config = &app.ctx.config;
        let bar = words.top_bar(&sanitize(&config.event.title), &sanitize(&config.kiosk.id));
        frame.render_widget(
            Paragraph::new(clip(
                Line::from(Span::styled(bar, theme::dim())),
                area.width,
            )),
            Rect { height: 1, ..area },
        );
    }
    // Each screen gives its heading the word the specification gives it.
    let heading = app.heading();
    let heading_rect = Rect {
        y: area.y + u16::from(!compact),
        height: 1,
        x: area.x + 1,
        width: area.width - 2,
    };
    frame.render_widget(
        Paragraph::new(clip(
            Line::from(Span::styled(heading, theme::heading())),
            heading_rect.width,
        )),
        heading_rect,
    );
    let top = area.y
        + if roomy {
            3
        } else if compact {
            1
        } else {
            2
        };
    let footer_y = area.bottom() - 1;
    let body = Rect {
        x: area.x + 1,
        y: top,
        width: area.width - 2,
        height: footer_y.saturating_sub(top + u16::from(roomy)),
    };
    app.screen
        .component()
        .view(&app.view_ctx(), frame, body, &mut hits);
    footer(
        app,
        frame,
        Rect {
            y: footer_y,
            height: 1,
            ..area
        },
        &mut hits,
    );
    if let Some(left) = app.countdown(now) {
        // The warning covers the screen: only a key press goes through.
        hits.clear();
        idle_overlay(words, frame, area, left);
    }
    hits
}

/// The footer: the screen's commands as buttons, the same list that
/// handles the keys.
fn footer(app: &App, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
    let words = app.words();
    let mut x = area.x + 1;
    for cmd in app.commands().into_iter().filter(|c| c.in_footer) {
        let key = format!(" {} ", cmd.key.label(words));
        let label = format!(" {} ", cmd.label);
        let w = (width(&key) + width(&label)) as u16;
        if x + w > area.right() {
            break;
        }
        let r = Rect {
            x,
            y: area.y,
            width: w,
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(key, theme::key()),
                Span::raw(label),
            ])),
            r,
        );
        hits.push((r, TapTarget::Intent(cmd.action)));
        x += w;
    }
}

fn idle_overlay(words: Words, frame: &mut Frame, area: Rect, left: u64) {
    let w = 56.min(area.width - 4);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + area.height / 2 - 3,
        width: w,
        height: 6,
    };
    frame.render_widget(Clear, r);
    // A wide character just left of the box would reach into its border on
    // a real terminal: blank it, so the border stands in its column.
    if r.x > area.x {
        let buf = frame.buffer_mut();
        for y in r.top()..r.bottom() {
            let cell = &mut buf[(r.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    let text = vec![
        Line::from(Span::styled(words.idle_warning(), theme::heading())),
        Line::from(""),
        Line::from(words.starting_over_in(left)),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(Block::new().borders(Borders::ALL).style(theme::base())),
        r,
    );
}
