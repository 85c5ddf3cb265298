//! Words of speech and large text: what the Scan screen says about F3, F4
//! and F5, and the words only a voice needs (key names, tick states).

use super::{Words, s, words};

words! {
    /// The end of a sentence as the language writes it.
    full_stop,
    /// Keys whose caps carry a symbol, as a voice names them.
    key_up_name,
    key_down_name,
    key_plus_name,
    key_minus_name,
    /// Said when speech is turned off.
    speech_off,
    /// A row or box's state, said after it.
    ticked,
    not_ticked,
}

fn yes_no(on: bool) -> fluent_bundle::FluentValue<'static> {
    s(if on { "yes" } else { "no" })
}

impl Words {
    /// Whether speech is on, and the keys for it (on Scan, and said).
    pub fn speech_status(self, on: bool) -> String {
        self.tr_args("speech_status", &[("on", yes_no(on))])
    }

    /// Whether large text is on, and the key for it (on Scan, and said).
    pub fn large_status(self, on: bool) -> String {
        self.tr_args("large_status", &[("on", yes_no(on))])
    }

    /// A session's hours as a voice says them: "07:30 to 08:45".
    pub fn time_span(self, start: &str, end: &str) -> String {
        self.tr_args("time_span", &[("start", s(start)), ("end", s(end))])
    }

    /// Whether a box is ticked, as said.
    pub fn tick_word(self, on: bool) -> String {
        if on {
            self.tr("ticked")
        } else {
            self.tr("not_ticked")
        }
    }
}
