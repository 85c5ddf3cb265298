//! Drawing the staff screen: the kiosk's state on top, the open view
//! below as a list whose rows a tap can hit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{StaffState, StaffView};
use crate::domain::{Profession, sanitize};
use crate::kiosk::msg::TapTarget;
use crate::kiosk::screens::TapTargets;
use crate::kiosk::setup::KioskSetup;
use crate::kiosk::strings::Words;
use crate::kiosk::theme;
use crate::kiosk::widgets::{clip, fit};

impl StaffState {
    /// Draws the kiosk's state, then the open view as a list whose rows
    /// a tap can hit.
    pub(super) fn draw(
        &self,
        words: Words,
        ctx: &KioskSetup,
        frame: &mut Frame,
        area: Rect,
        hits: &mut TapTargets,
    ) {
        let i = &self.info;
        let info = vec![
            Line::from(vec![
                Span::styled(words.info_kiosk(), theme::dim()),
                Span::styled(sanitize(&ctx.config.kiosk.id), theme::heading()),
                Span::styled(words.info_event(), theme::dim()),
                Span::raw(format!(
                    "{} — {}",
                    sanitize(&ctx.config.event.id),
                    sanitize(&ctx.config.event.title)
                )),
            ]),
            Line::from(vec![
                Span::styled(words.info_database(), theme::dim()),
                Span::raw(i.database.clone()),
            ]),
            Line::from(words.info_counts(
                i.attendees,
                i.claims_today,
                i.certificates,
                i.not_uploaded,
            )),
            Line::from(vec![
                Span::styled(words.info_last_upload(), theme::dim()),
                Span::raw(i.last_upload.clone()),
            ]),
        ];
        let mut info = info;
        info.extend(
            i.standing
                .iter()
                .map(|l| Line::from(Span::styled(l.clone(), theme::warn()))),
        );
        // Each line takes the rows it wraps to, and one row is left blank.
        let width = usize::from(area.width.max(1));
        let rows: usize = info.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
        let info_h = (rows as u16 + 1).min(area.height);
        frame.render_widget(
            Paragraph::new(info).wrap(Wrap { trim: true }),
            Rect {
                height: info_h - 1,
                ..area
            },
        );
        let msg_h = u16::from(self.message.is_some());
        let body = Rect {
            y: area.y + info_h,
            height: area.height.saturating_sub(info_h + msg_h),
            ..area
        };
        if let Some(m) = &self.message {
            frame.render_widget(
                Paragraph::new(Span::styled(m.clone(), theme::warn())),
                Rect {
                    y: body.bottom(),
                    height: 1,
                    ..area
                },
            );
        }
        let row = |n: usize| Rect {
            y: body.y + n as u16,
            height: 1,
            ..body
        };
        let mut list =
            |frame: &mut Frame, items: Vec<String>, cursor: Option<usize>, first: usize| {
                let room = (body.height as usize).saturating_sub(first);
                let offset = cursor
                    .map(|c| c.saturating_sub(room.saturating_sub(1)))
                    .unwrap_or(0);
                for (n, text) in items.iter().enumerate().skip(offset).take(room) {
                    let r = row(first + n - offset);
                    let on = cursor == Some(n);
                    let line = format!(
                        "{}{}",
                        if on { "▶ " } else { "  " },
                        fit(text, r.width as usize - 2)
                    );
                    frame.render_widget(
                        Paragraph::new(Span::styled(
                            line,
                            if on {
                                theme::highlight()
                            } else {
                                theme::base()
                            },
                        )),
                        r,
                    );
                    hits.push((r, TapTarget::Row(n)));
                }
            };
        match &self.view {
            StaffView::Menu { cursor } => {
                let items = words
                    .menu()
                    .iter()
                    .enumerate()
                    .map(|(i, m)| format!("{}  {m}", i + 1))
                    .collect();
                list(frame, items, Some(*cursor), 0);
            }
            StaffView::Find {
                query,
                results,
                cursor,
            } => {
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled(words.find_prompt(), theme::heading()),
                        Span::raw(format!("{}▏", sanitize(query))),
                    ])),
                    row(0),
                );
                let items = results
                    .iter()
                    .map(|a| {
                        format!(
                            "{}  {} {}, {}  {}  {}",
                            sanitize(&a.badge_id),
                            sanitize(&a.first_name),
                            sanitize(&a.last_name),
                            sanitize(&a.degree),
                            words.profession(a.profession.as_str()),
                            sanitize(&a.email)
                        )
                    })
                    .collect();
                list(frame, items, Some(*cursor), 2);
            }
            StaffView::Attendee { detail, cursor }
            | StaffView::Void {
                detail,
                claim: cursor,
                ..
            } => {
                let a = &detail.attendee;
                let head = words.attendee_head(
                    &format!("{} {}", sanitize(&a.first_name), sanitize(&a.last_name)),
                    &sanitize(&a.degree),
                    &sanitize(&a.badge_id),
                    &words.profession(a.profession.as_str()),
                    &sanitize(&a.email),
                );
                frame.render_widget(
                    Paragraph::new(clip(
                        Line::from(Span::styled(head, theme::heading())),
                        area.width,
                    )),
                    row(0),
                );
                let cert = match &detail.certificate {
                    Some(c) => words.certificate_issued(
                        &c.short_code,
                        &c.issued_at[..c.issued_at.len().min(16)],
                    ),
                    None => words.no_certificate(),
                };
                frame.render_widget(Paragraph::new(cert), row(1));
                if let StaffView::Void { reason, claim, .. } = &self.view {
                    let (c, title) = &detail.claims[*claim];
                    let lines = vec![
                        Line::from(
                            words.void_question(&sanitize(title), &words.quarters(c.credits)),
                        ),
                        Line::from(vec![
                            Span::styled(words.reason_prompt(), theme::heading()),
                            Span::raw(format!("{}▏", sanitize(reason))),
                        ]),
                    ];
                    frame.render_widget(
                        Paragraph::new(lines),
                        Rect {
                            y: body.y + 3,
                            height: 2,
                            ..body
                        },
                    );
                } else {
                    let items = detail
                        .claims
                        .iter()
                        .map(|(c, title)| {
                            format!(
                                "{}  {}  {}{}",
                                words.quarters(c.credits),
                                sanitize(title),
                                ctx.config.local_short(&c.claimed_at),
                                if c.voided {
                                    words.void_mark()
                                } else {
                                    String::new()
                                }
                            )
                        })
                        .collect::<Vec<_>>();
                    if items.is_empty() {
                        frame.render_widget(Paragraph::new(words.no_claims()), row(3));
                    }
                    list(frame, items, Some(*cursor), 3);
                }
            }
            StaffView::WalkIn(f) => {
                let values = [
                    f.first_name.clone(),
                    f.last_name.clone(),
                    f.degree.clone(),
                    format!(
                        "{}  {}",
                        words.profession(
                            Profession::ALL[f.profession % Profession::ALL.len()].as_str()
                        ),
                        words.space_changes()
                    ),
                    f.email.clone(),
                    f.badge_id.clone(),
                ];
                let items = words
                    .walk_in_fields()
                    .iter()
                    .zip(values)
                    .map(|(label, v)| format!("{label}: {}", sanitize(&v)))
                    .collect();
                list(frame, items, Some(f.focus), 0);
            }
            StaffView::Enrol { code } => {
                let lines = vec![
                    Line::from(words.enrol_explained(&sanitize(&ctx.config.sync.hub_url))),
                    Line::from(vec![
                        Span::styled(words.enrol_prompt(), theme::heading()),
                        Span::raw(format!(" {}▏", sanitize(code))),
                    ]),
                ];
                frame.render_widget(
                    Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
                    Rect {
                        height: body.height.min(4),
                        ..body
                    },
                );
            }
            StaffView::Audit(rows) => {
                let items = rows
                    .iter()
                    .map(|r| {
                        format!(
                            "{}  {}  {}  {}",
                            &r.at[..r.at.len().min(19)],
                            sanitize(&r.kiosk_id),
                            r.action,
                            sanitize(&r.detail)
                        )
                    })
                    .collect();
                list(frame, items, None, 0);
            }
        }
    }
}
