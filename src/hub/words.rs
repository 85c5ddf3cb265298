//! The certificate page's own words in the attendee's language: Fluent
//! messages, one file per language under `i18n/{code}/certificate.ftl`,
//! built into the binary, English behind every other. The designation and
//! accreditation statements are not among them: they stay the provider's
//! official English text.

use std::sync::OnceLock;

use fluent_bundle::FluentArgs;

use crate::domain::lang::{Catalog, Lang};

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

/// Every language's certificate words, parsed once.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let c = Catalog::new(source);
        for (lang, fault) in &c.faults {
            tracing::error!(lang = lang.code(), fault, "certificate words");
        }
        c
    })
}

/// The message `id` in `lang` with `args` (HTML already escaped), or in
/// English when `lang` lacks it (a test fails when one does).
pub fn word(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, v.to_string());
    }
    catalog()
        .format(lang, id, &fargs)
        .map_or_else(|| id.to_string(), |(_, text, _)| text)
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

    fn ids(lang: Lang) -> Vec<String> {
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

    /// Every language has every English message, parses, and formats
    /// without an error; none carries a message English lacks.
    #[test]
    fn every_language_has_every_certificate_word() {
        let english = ids(Lang::En);
        for lang in Lang::ALL {
            assert_eq!(ids(lang), english, "{}", lang.code());
            for id in &english {
                let mut args = FluentArgs::new();
                for k in [
                    "title", "dates", "location", "provider", "who", "uans", "points", "date",
                    "short", "id", "year", "month", "day", "from", "to",
                ] {
                    args.set(k, "x");
                }
                let (answered, _, errors) = catalog().format(lang, id, &args).unwrap();
                assert_eq!(answered, lang, "{} {id}", lang.code());
                assert!(errors.is_empty(), "{} {id}: {errors:?}", lang.code());
            }
        }
    }

    #[test]
    fn a_date_is_written_as_the_language_writes_it() {
        let d = jiff::civil::date(2026, 11, 27);
        assert_eq!(date(Lang::De, d), "27.11.2026");
        assert_eq!(date(Lang::Ja, d), "2026年11月27日");
        assert_eq!(date(Lang::En, d), "11/27/2026");
    }
}
