//! The one high-contrast theme. Colour is never the only signal: every
//! state also has a mark (✓, ▶, labels).

use ratatui::style::{Color, Modifier, Style};

pub fn base() -> Style {
    Style::new().fg(Color::White).bg(Color::Black)
}
pub fn heading() -> Style {
    Style::new().fg(Color::White).add_modifier(Modifier::BOLD)
}
pub fn dim() -> Style {
    Style::new().fg(Color::Gray)
}
pub fn highlight() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::White)
        .add_modifier(Modifier::BOLD)
}
pub fn good() -> Style {
    Style::new()
        .fg(Color::LightGreen)
        .add_modifier(Modifier::BOLD)
}
pub fn warn() -> Style {
    Style::new()
        .fg(Color::LightYellow)
        .add_modifier(Modifier::BOLD)
}
pub fn error() -> Style {
    Style::new()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
}
pub fn key() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Gray)
        .add_modifier(Modifier::BOLD)
}
/// The QR code: dark modules on a light background whatever the terminal's
/// own colours.
pub fn qr() -> Style {
    Style::new().fg(Color::Black).bg(Color::White)
}
