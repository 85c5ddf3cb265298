//! Every word the kiosk shows, in one place, so that translating it (or
//! changing a word) touches nothing else. One file per screen; each adds
//! its words to `Words`, so code writes `words.scan_heading()` whichever
//! file holds it.
//!
//! The words themselves are Fluent messages, one file per language under
//! `i18n/{code}/kiosk.ftl`, built into the binary. Fluent gives each
//! language its own CLDR plural rules and word order; English is the
//! fallback for a message a language lacks (a test fails when one does).
//! The words come through `Words`, which holds the language they are in:
//! the app's state holds the language on screen, and every screen is
//! handed the `Words` of it with the rest of what it draws from, so what
//! is drawn depends on that state alone.

mod attest;
mod certificate;
mod common;
mod credit;
mod evaluation;
mod scan;
mod sessions;
mod speech;
mod staff;
mod welcome;

pub use common::*;

use std::sync::OnceLock;

use fluent_bundle::{FluentArgs, FluentValue};

use crate::domain::lang::{Lang, Translations};

/// The Fluent source of each language's kiosk words.
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../../i18n/en/kiosk.ftl"),
        Lang::Es => include_str!("../../../i18n/es/kiosk.ftl"),
        Lang::Fr => include_str!("../../../i18n/fr/kiosk.ftl"),
        Lang::De => include_str!("../../../i18n/de/kiosk.ftl"),
        Lang::PtBr => include_str!("../../../i18n/pt-BR/kiosk.ftl"),
        Lang::ZhHans => include_str!("../../../i18n/zh-Hans/kiosk.ftl"),
        Lang::Ja => include_str!("../../../i18n/ja/kiosk.ftl"),
        Lang::Ko => include_str!("../../../i18n/ko/kiosk.ftl"),
    }
}

/// Every language's kiosk words, parsed once.
fn translations() -> &'static Translations {
    static PARSED: OnceLock<Translations> = OnceLock::new();
    Translations::parsed_once(&PARSED, source, "kiosk words")
}

/// The kiosk's words in one language. A value, not a setting: whoever
/// draws or speaks is handed the `Words` of the language on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Words {
    lang: Lang,
}

impl Words {
    pub fn new(lang: Lang) -> Words {
        Words { lang }
    }

    /// The language these words are in.
    pub fn lang(self) -> Lang {
        self.lang
    }

    /// The message `id`, English when the language lacks it.
    pub fn tr(self, id: &str) -> String {
        self.tr_args(id, &[])
    }

    /// The message `id` with its arguments filled in.
    pub fn tr_args(self, id: &str, args: &[(&str, FluentValue)]) -> String {
        format_in(self.lang, id, args)
    }

    /// Credits as the language writes a decimal: "3.5" in English, "3,5"
    /// in French.
    pub fn quarters(self, q: crate::domain::Quarters) -> String {
        crate::domain::format_quarters(q).replace('.', &self.tr("decimal_mark"))
    }
}

/// The message `id` in `lang`, with English as its fallback.
pub fn format_in(lang: Lang, id: &str, args: &[(&str, FluentValue)]) -> String {
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, v.clone());
    }
    let Some((l, text, errors)) = translations().format(lang, id, &fargs) else {
        if cfg!(test) {
            panic!("no message '{id}'");
        }
        return id.to_string();
    };
    if !errors.is_empty() {
        // A missing argument or a bad reference: a fault in the words,
        // which the tests must catch, but never a reason to stop a kiosk.
        if cfg!(test) {
            panic!("{}: {id}: {errors:?}", l.code());
        }
        tracing::error!(lang = l.code(), id, errors = ?errors, "kiosk word");
    }
    text
}

/// A count as Fluent takes it, so the plural rules apply.
fn n(v: impl Into<i64>) -> FluentValue<'static> {
    FluentValue::from(v.into())
}

/// Text as a Fluent argument.
fn s(v: &str) -> FluentValue<'static> {
    FluentValue::from(v.to_string())
}

/// Words with no arguments: a method of `Words` per message, named as the
/// message.
macro_rules! words {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            impl $crate::kiosk::strings::Words {
                $(#[$doc])*
                pub fn $name(self) -> String {
                    self.tr(stringify!($name))
                }
            }
        )*
    };
}
use words;

#[cfg(test)]
mod tests;
