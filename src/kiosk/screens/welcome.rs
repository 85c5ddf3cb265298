//! Welcome: "Welcome, {name}" with degree; Enter confirms, Esc is "not me".

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::sanitize;
use crate::kiosk::app::Visit;
use crate::kiosk::{strings, theme};

pub fn view(visit: &Visit, frame: &mut Frame, area: Rect) {
    let degree = sanitize(&visit.attendee.degree);
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled(
            format!(
                "{}{}",
                visit.display_name(),
                if degree.is_empty() {
                    String::new()
                } else {
                    format!(", {degree}")
                }
            ),
            theme::heading(),
        ))
        .alignment(Alignment::Center),
        Line::from(""),
        Line::from(strings::WELCOME_QUESTION).alignment(Alignment::Center),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
