//! Words every screen shares: the footer's command labels, the names of
//! the keys on its buttons, and the frame around each screen (top bar,
//! too-small window, idle warning, out of service).

/// Footer labels used by more than one screen.
pub const CONTINUE: &str = "Continue";
pub const BACK: &str = "Back";
pub const UP: &str = "Up";
pub const DOWN: &str = "Down";

/// The keys as the footer buttons name them.
pub const KEY_ENTER: &str = "Enter";
pub const KEY_ESC: &str = "Esc";
pub const KEY_SPACE: &str = "Space";
pub const KEY_UP: &str = "↑";
pub const KEY_DOWN: &str = "↓";
pub const KEY_TAB: &str = "Tab";
pub const KEY_PLUS: &str = "+";
pub const KEY_MINUS: &str = "−";
pub const KEY_F12: &str = "F12";

/// The quiet top bar: "{event title} · kiosk {kiosk id}".
pub fn top_bar(event_title: &str, kiosk_id: &str) -> String {
    format!("{event_title} · kiosk {kiosk_id}")
}

pub const ENLARGE: &str = "Please enlarge the window";

/// Below "Please enlarge the window".
pub fn too_small(min: (u16, u16), size: (u16, u16)) -> String {
    format!(
        "This kiosk needs at least {}×{}; the window is {}×{}.",
        min.0, min.1, size.0, size.1
    )
}

pub const IDLE_WARNING: &str = "Still there? Press any key for more time";

/// The idle countdown under the warning.
pub fn starting_over_in(seconds: u64) -> String {
    format!("Starting over in {seconds} s")
}

pub const OUT_OF_SERVICE_HEADING: &str = "Out of service";
pub const OUT_OF_SERVICE: &str = "This kiosk is out of service — please use another.";
