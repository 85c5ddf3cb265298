//! Attest: what will be claimed, by credit type, and the attestation; Enter
//! commits everything in one transaction.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::format_quarters;
use crate::kiosk::app::{Ctx, Visit};
use crate::kiosk::screens::sessions::totals_lines;
use crate::kiosk::{strings, theme};

#[derive(Debug, Clone, Copy)]
pub struct AttestState;

/// The unit of the attendee's credit types when they share one (a nurse's
/// "contact hours"), else plain credits.
fn claim_unit(visit: &Visit, ctx: &Ctx) -> String {
    let mut units = visit
        .profile
        .codes
        .iter()
        .filter_map(|c| ctx.config.credit(c))
        .map(|t| t.unit.as_str());
    match units.next() {
        Some(first) if units.all(|u| u == first) => first.to_string(),
        _ => strings::CREDITS_UNIT.to_string(),
    }
}

pub fn view(visit: &Visit, ctx: &Ctx, frame: &mut Frame, area: Rect) {
    let new_q: u32 = visit.selected.values().sum();
    let mut lines = vec![Line::from(vec![
        Span::raw(format!("{} ", strings::CLAIMED_THIS_VISIT)),
        Span::styled(
            strings::sessions_and_credits(visit.selected.len(), new_q, &claim_unit(visit, ctx)),
            theme::heading(),
        ),
        Span::raw(format!(" — {}", strings::WHAT_COUNTS)),
    ])];
    // Keep the totals and the attestation on screen however many sessions.
    let totals = totals_lines(visit, ctx);
    let room = (area.height as usize)
        .saturating_sub(totals.len() + 8)
        .max(1);
    let shown = if visit.selected.len() > room {
        room - 1
    } else {
        room
    };
    for (idx, q) in visit.selected.iter().take(shown) {
        if let Some(s) = ctx.catalog.sessions.get(*idx) {
            lines.push(Line::from(format!(
                "  ✓ {} {}–{}  {}  ({})",
                s.day.strftime("%a"),
                s.start.strftime("%H:%M"),
                s.end.strftime("%H:%M"),
                s.title,
                format_quarters(*q)
            )));
        }
    }
    if visit.selected.len() > shown {
        lines.push(Line::from(format!(
            "  … {}",
            strings::and_more(visit.selected.len() - shown)
        )));
    }
    if !visit.prior.is_empty() {
        lines.push(Line::from(format!(
            "{} {}",
            strings::CLAIMED_EARLIER_VISITS,
            strings::sessions(visit.prior.len())
        )));
    }
    lines.push(Line::from(""));
    lines.extend(totals);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        crate::domain::sanitize(&ctx.config.statements.attestation),
        theme::heading(),
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
