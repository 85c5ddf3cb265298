//! Words every screen shares: the footer's command labels, the names of
//! the keys on its buttons, and the frame around each screen (top bar,
//! too-small window, idle warning, out of service).

use super::{Words, n, s, words};

words! {
    back,
    up,
    down,
    /// The keys as the footer buttons name them.
    key_enter,
    key_esc,
    key_space,
    key_tab,
    enlarge,
    idle_warning,
    out_of_service_heading,
    out_of_service,
}

impl Words {
    /// The footer label "Continue" (`continue` is Rust's own word).
    pub fn continue_label(self) -> String {
        self.tr("continue")
    }
}

/// Keys whose caps carry a symbol, the same in every language.
pub const KEY_UP: &str = "↑";
pub const KEY_DOWN: &str = "↓";
pub const KEY_PLUS: &str = "+";
pub const KEY_MINUS: &str = "−";
pub const KEY_F2: &str = "F2";
pub const KEY_F3: &str = "F3";
pub const KEY_F4: &str = "F4";
pub const KEY_F5: &str = "F5";
pub const KEY_F12: &str = "F12";

impl Words {
    /// The quiet top bar: "{event title} · kiosk {kiosk id}".
    pub fn top_bar(self, event_title: &str, kiosk_id: &str) -> String {
        self.tr_args(
            "top_bar",
            &[("title", s(event_title)), ("kiosk", s(kiosk_id))],
        )
    }

    /// Below "Please enlarge the window".
    pub fn too_small(self, min: (u16, u16), size: (u16, u16)) -> String {
        self.tr_args(
            "too_small",
            &[
                ("min", s(&format!("{}×{}", min.0, min.1))),
                ("size", s(&format!("{}×{}", size.0, size.1))),
            ],
        )
    }

    /// The idle countdown under the warning.
    pub fn starting_over_in(self, seconds: u64) -> String {
        self.tr_args("starting_over_in", &[("n", n(seconds as i64))])
    }

    /// A field's name before its value, "Badge number: ", with the
    /// language's own colon (full-width in Chinese and Japanese, spaced in
    /// French).
    pub fn label(self, name: &str) -> String {
        format!("{} ", self.tr_args("label", &[("name", s(name))]))
    }
}
