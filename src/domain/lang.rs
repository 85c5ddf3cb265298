//! The languages the kiosk can speak and the certificate page can be read
//! in: their codes (as `[kiosk] languages` and records write them) and
//! their own names (as the Scan screen lists them); and `Translations`,
//! one set of Fluent messages in every language, built the one way the
//! kiosk's words and the hub's certificate and e-mail words share.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A supported language. English is the text every other one falls back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
    Fr,
    De,
    PtBr,
    ZhHans,
    Ja,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 8] = [
        Lang::En,
        Lang::Es,
        Lang::Fr,
        Lang::De,
        Lang::PtBr,
        Lang::ZhHans,
        Lang::Ja,
        Lang::Ko,
    ];

    /// The BCP 47 tag, as config files and records write it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::PtBr => "pt-BR",
            Lang::ZhHans => "zh-Hans",
            Lang::Ja => "ja",
            Lang::Ko => "ko",
        }
    }

    /// The language's name in itself, as a speaker looks for it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
            Lang::PtBr => "Português",
            Lang::ZhHans => "中文",
            Lang::Ja => "日本語",
            Lang::Ko => "한국어",
        }
    }

    /// Every supported code, for messages that list them.
    pub fn codes() -> String {
        Lang::ALL.map(Lang::code).join(", ")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    /// Codes compare without regard to case or `_` for `-` (`pt_br` is
    /// `pt-BR`), as people type them.
    fn from_str(s: &str) -> Result<Self, String> {
        let want = s.trim().replace('_', "-");
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(&want))
            .ok_or_else(|| {
                format!(
                    "'{s}' is not a supported language; supported: {}",
                    Lang::codes()
                )
            })
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One set of Fluent messages in every language (the kiosk's words, the
/// certificate page's), each language's file parsed once, English behind
/// every other. Unicode isolation marks are off: they take no column in a
/// terminal but count in its width arithmetic, and would only show as
/// stray characters in a copied page.
pub struct Translations {
    bundles: Vec<fluent_bundle::concurrent::FluentBundle<fluent_bundle::FluentResource>>,
    /// What did not parse or clashed, by language: the messages left out
    /// (the tests of the files name them); the others still load.
    pub faults: Vec<(Lang, String)>,
}

impl Translations {
    pub fn new(source: fn(Lang) -> &'static str) -> Translations {
        let mut faults = Vec::new();
        let bundles = Lang::ALL
            .iter()
            .map(|lang| {
                let resource = fluent_bundle::FluentResource::try_new(source(*lang).to_string())
                    .unwrap_or_else(|(r, e)| {
                        faults.push((*lang, format!("does not all parse: {e:?}")));
                        r
                    });
                let id = lang.code().parse().unwrap_or_default();
                let mut b = fluent_bundle::concurrent::FluentBundle::new_concurrent(vec![id]);
                b.set_use_isolating(false);
                if let Err(e) = b.add_resource(resource) {
                    faults.push((*lang, format!("clashes: {e:?}")));
                }
                b
            })
            .collect();
        Translations { bundles, faults }
    }

    /// The one way a set is built for use: parsed on first use into
    /// `cell`, what does not parse or clashes logged once under `what`
    /// (the kiosk's words, the certificate page's, the e-mail's).
    pub fn parsed_once(
        cell: &'static OnceLock<Translations>,
        source: fn(Lang) -> &'static str,
        what: &str,
    ) -> &'static Translations {
        cell.get_or_init(|| {
            let t = Translations::new(source);
            for (lang, fault) in &t.faults {
                tracing::error!(lang = lang.code(), fault, what);
            }
            t
        })
    }

    /// The message `id` in `lang`, else in English: the language that
    /// answered, the text, and what went wrong formatting it (a missing
    /// argument, a bad reference). None when neither has it.
    pub fn format(
        &self,
        lang: Lang,
        id: &str,
        args: &fluent_bundle::FluentArgs,
    ) -> Option<(Lang, String, Vec<fluent_bundle::FluentError>)> {
        [lang, Lang::En].into_iter().find_map(|l| {
            let b = &self.bundles[Lang::ALL.iter().position(|x| *x == l).unwrap_or(0)];
            let pattern = b.get_message(id)?.value()?;
            let mut errors = Vec::new();
            let text = b
                .format_pattern(pattern, Some(args), &mut errors)
                .into_owned();
            Some((l, text, errors))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_written_and_as_typed() {
        for l in Lang::ALL {
            assert_eq!(l.code().parse::<Lang>(), Ok(l));
            assert_eq!(
                l.code().to_lowercase().replace('-', "_").parse::<Lang>(),
                Ok(l)
            );
        }
        let e = "klingon".parse::<Lang>().unwrap_err();
        assert!(e.contains("klingon") && e.contains("zh-Hans"), "{e}");
    }
}
