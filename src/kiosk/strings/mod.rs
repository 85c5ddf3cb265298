//! Every word the kiosk shows, in one place, so that translating it (or
//! changing a word) touches nothing else. One file per screen; every item
//! is re-exported here, so code writes `strings::scan_heading()` whichever
//! file holds it.
//!
//! The words themselves are Fluent messages, one file per language under
//! `i18n/{code}/kiosk.ftl`, built into the binary. Fluent gives each
//! language its own CLDR plural rules and word order; English is the
//! fallback for a message a language lacks (a test fails when one does).
//! The language in force is the kiosk's, for the attendee at the screen:
//! the app sets it (`set_language`) before every update and redraw, so a
//! screen asks for a word without carrying the language around.

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

pub use attest::*;
pub use certificate::*;
pub use common::*;
pub use credit::*;
pub use evaluation::*;
pub use scan::*;
pub use sessions::*;
pub use speech::*;
pub use staff::*;
pub use welcome::*;

use std::cell::Cell;
use std::sync::OnceLock;

use fluent_bundle::{FluentArgs, FluentValue};

use crate::domain::lang::{Catalog, Lang};

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
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let c = Catalog::new(source);
        for (lang, fault) in &c.faults {
            tracing::error!(lang = lang.code(), fault, "kiosk words");
        }
        c
    })
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Makes `lang` the language of every word asked for on this thread.
pub fn set_language(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// The language words come in on this thread now.
pub fn language() -> Lang {
    CURRENT.with(Cell::get)
}

/// The message `id` in the current language, English when it lacks it.
pub fn tr(id: &str) -> String {
    tr_args(id, &[])
}

/// The message `id` with its arguments filled in.
pub fn tr_args(id: &str, args: &[(&str, FluentValue)]) -> String {
    format_in(language(), id, args)
}

/// The message `id` in `lang`, with English as its fallback.
pub fn format_in(lang: Lang, id: &str, args: &[(&str, FluentValue)]) -> String {
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, v.clone());
    }
    let Some((l, text, errors)) = catalog().format(lang, id, &fargs) else {
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

/// Credits as the language writes a decimal: "3.5" in English, "3,5" in
/// French.
pub fn quarters(q: crate::domain::Quarters) -> String {
    crate::domain::format_quarters(q).replace('.', &tr("decimal_mark"))
}

/// A count as Fluent takes it, so the plural rules apply.
fn n(v: impl Into<i64>) -> FluentValue<'static> {
    FluentValue::from(v.into())
}

/// Text as a Fluent argument.
fn s(v: &str) -> FluentValue<'static> {
    FluentValue::from(v.to_string())
}

/// Words with no arguments: a function per message, named as the message.
macro_rules! words {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name() -> String {
                super::tr(stringify!($name))
            }
        )*
    };
}
use words;

#[cfg(test)]
mod tests;
