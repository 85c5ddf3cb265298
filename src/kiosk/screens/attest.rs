//! Attest: what will be claimed, by credit type, and the attestation; Enter
//! commits everything in one transaction.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::format_quarters;
use crate::kiosk::app::{Ctx, Visit};
use crate::kiosk::screens::sessions::totals_lines;
use crate::kiosk::theme;

#[derive(Debug, Clone, Copy)]
pub struct AttestState;

pub fn view(visit: &Visit, ctx: &Ctx, frame: &mut Frame, area: Rect) {
    let new_q: u32 = visit.selected.values().sum();
    let mut lines = vec![Line::from(vec![
        Span::raw("Sessions claimed on this visit: "),
        Span::styled(
            format!(
                "{} ({} credit hours claimed)",
                visit.selected.len(),
                format_quarters(new_q)
            ),
            theme::heading(),
        ),
    ])];
    if !visit.prior.is_empty() {
        lines.push(Line::from(format!(
            "Sessions claimed on earlier visits: {}",
            visit.prior.len()
        )));
    }
    lines.push(Line::from(""));
    lines.extend(totals_lines(visit, ctx));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        crate::domain::sanitize(&ctx.config.statements.attestation),
        theme::heading(),
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
