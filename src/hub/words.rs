//! The certificate page's own words in the attendee's language: Fluent
//! messages, one file per language under `i18n/{code}/certificate.ftl`,
//! built into the binary, English behind every other; and beside them the
//! words of the certificate by e-mail (`i18n/{code}/mail.ftl`). The
//! designation and accreditation statements are not among them: they stay
//! the provider's official English text.

use std::sync::OnceLock;

use fluent_bundle::FluentArgs;

use crate::domain::lang::{Lang, Translations};

/// The Fluent source of each language's certificate words.
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../i18n/en/certificate.ftl"),
        Lang::Es => include_str!("../../i18n/es/certificate.ftl"),
        Lang::Fr => include_str!("../../i18n/fr/certificate.ftl"),
        Lang::De => include_str!("../../i18n/de/certificate.ftl"),
        Lang::PtBr => include_str!("../../i18n/pt-BR/certificate.ftl"),
        Lang::ZhHans => include_str!("../../i18n/zh-Hans/certificate.ftl"),
        Lang::Ja => include_str!("../../i18n/ja/certificate.ftl"),
        Lang::Ko => include_str!("../../i18n/ko/certificate.ftl"),
    }
}

/// The Fluent source of each language's words for the certificate by
/// e-mail.
pub fn mail_source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../i18n/en/mail.ftl"),
        Lang::Es => include_str!("../../i18n/es/mail.ftl"),
        Lang::Fr => include_str!("../../i18n/fr/mail.ftl"),
        Lang::De => include_str!("../../i18n/de/mail.ftl"),
        Lang::PtBr => include_str!("../../i18n/pt-BR/mail.ftl"),
        Lang::ZhHans => include_str!("../../i18n/zh-Hans/mail.ftl"),
        Lang::Ja => include_str!("../../i18n/ja/mail.ftl"),
        Lang::Ko => include_str!("../../i18n/ko/mail.ftl"),
    }
}

/// Every language's certificate words.
fn catalog() -> &'static Translations {
    static PARSED: OnceLock<Translations> = OnceLock::new();
    Translations::parsed_once(&PARSED, source, "certificate words")
}

/// Every language's e-mail words.
fn mail_catalog() -> &'static Translations {
    static PARSED: OnceLock<Translations> = OnceLock::new();
    Translations::parsed_once(&PARSED, mail_source, "e-mail words")
}

fn format(catalog: &Translations, lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, v.to_string());
    }
    catalog
        .format(lang, id, &fargs)
        .map_or_else(|| id.to_string(), |(_, text, _)| text)
}

/// The message `id` in `lang` with `args` (HTML already escaped), or in
/// English when `lang` lacks it (a test fails when one does).
pub fn word(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    format(catalog(), lang, id, args)
}

/// The e-mail's message `id` in `lang` with `args` (escaped for the part
/// it goes in), or in English when `lang` lacks it.
pub fn mail_word(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    format(mail_catalog(), lang, id, args)
}

/// A date as the language writes it (English keeps the page's own form).
pub fn date(lang: Lang, d: jiff::civil::Date) -> String {
    word(
        lang,
        "cert-date",
        &[
            ("year", &d.year().to_string()),
            ("month", &d.month().to_string()),
            ("day", &d.day().to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use fluent_bundle::FluentResource;

    use super::*;

    fn ids(source: fn(Lang) -> &'static str, lang: Lang) -> Vec<String> {
        let r = FluentResource::try_new(source(lang).to_string())
            .unwrap_or_else(|(_, e)| panic!("{}: {e:?}", lang.code()));
        let mut ids: Vec<String> = r
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        ids.sort();
        ids
    }

    /// Every language has every English message of a set, parses, and
    /// formats without an error; none carries a message English lacks.
    fn every_language_has_every_word(source: fn(Lang) -> &'static str, catalog: &Translations) {
        let english = ids(source, Lang::En);
        for lang in Lang::ALL {
            assert_eq!(ids(source, lang), english, "{}", lang.code());
            for id in &english {
                let mut args = FluentArgs::new();
                for k in [
                    "title",
                    "dates",
                    "location",
                    "provider",
                    "who",
                    "uans",
                    "points",
                    "date",
                    "short",
                    "id",
                    "year",
                    "month",
                    "day",
                    "from",
                    "to",
                    "name",
                    "session",
                    "badge",
                    "claimed",
                    "designated",
                    "at",
                    "device",
                ] {
                    args.set(k, "x");
                }
                let (answered, _, errors) = catalog.format(lang, id, &args).unwrap();
                assert_eq!(answered, lang, "{} {id}", lang.code());
                assert!(errors.is_empty(), "{} {id}: {errors:?}", lang.code());
            }
        }
    }

    #[test]
    fn every_language_has_every_certificate_word() {
        every_language_has_every_word(source, catalog());
    }

    #[test]
    fn every_language_has_every_mail_word() {
        every_language_has_every_word(mail_source, mail_catalog());
    }

    #[test]
    fn a_date_is_written_as_the_language_writes_it() {
        let d = jiff::civil::date(2026, 11, 27);
        assert_eq!(date(Lang::De, d), "27.11.2026");
        assert_eq!(date(Lang::Ja, d), "2026年11月27日");
        assert_eq!(date(Lang::En, d), "11/27/2026");
    }
}
