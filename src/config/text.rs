//! The event's own words in other languages: `event.{code}.toml` beside
//! `event.toml` (e.g. `event.ja.toml`) carries the learning objectives, the
//! evaluation's questions and options, the credit types' names and units
//! and the attestation sentence. Whatever a file leaves out is shown in
//! English. The designation and accreditation statements are not
//! translatable (they are the provider's official English text), and a
//! credit name carrying the trademark "AMA PRA Category 1 Credit™" must
//! carry it unchanged.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::ConfigError;
use super::raw::RawQuestion;
use super::types::{Config, CreditText, CreditType, EventText, QuestionText};
use crate::domain::CreditCode;
use crate::domain::evaluation::{Kind, Question};
use crate::domain::lang::Lang;

/// The trademarked name no translation may change.
const AMA_MARK: &str = "AMA PRA Category 1 Credit";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    #[serde(default)]
    event: RawTextEvent,
    #[serde(default)]
    statements: RawTextStatements,
    #[serde(default)]
    credits: BTreeMap<String, CreditText>,
    #[serde(default)]
    evaluation: BTreeMap<String, RawTextQuestion>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTextEvent {
    #[serde(default)]
    learning_objectives: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTextStatements {
    attestation: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTextQuestion {
    text: Option<String>,
    options: Option<Vec<String>>,
}

/// The file that carries `lang`'s event text.
pub fn text_file(lang: Lang) -> String {
    format!("event.{}.toml", lang.code())
}

/// Reads every language's file that is there.
pub(super) fn load_texts(
    dir: &Path,
    objectives: &[String],
    credits: &[CreditType],
    raw_questions: &[RawQuestion],
) -> Result<BTreeMap<Lang, EventText>, ConfigError> {
    let mut out = BTreeMap::new();
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let path = dir.join(text_file(lang));
        if !path.exists() {
            continue;
        }
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let raw: RawText = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: shown.clone(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            path: shown.clone(),
            key: key.to_string(),
            message,
        };
        out.insert(
            lang,
            build_text(raw, objectives, credits, raw_questions, &invalid)?,
        );
    }
    Ok(out)
}

fn build_text(
    raw: RawText,
    objectives: &[String],
    credits: &[CreditType],
    raw_questions: &[RawQuestion],
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<EventText, ConfigError> {
    let translated = raw.event.learning_objectives;
    if !translated.is_empty() && translated.len() != objectives.len() {
        return Err(invalid(
            "[event] learning_objectives",
            format!(
                "has {} objectives; event.toml has {}, in the same order",
                translated.len(),
                objectives.len()
            ),
        ));
    }
    if translated.iter().any(|o| o.trim().is_empty()) {
        return Err(invalid(
            "[event] learning_objectives",
            "an objective is empty".into(),
        ));
    }
    let mut credit_text = BTreeMap::new();
    for (code_text, c) in raw.credits {
        let key = format!("[credits.{code_text}]");
        let code: CreditCode = code_text.parse().map_err(|m: String| invalid(&key, m))?;
        let Some(english) = credits.iter().find(|t| t.code == code) else {
            return Err(invalid(
                &key,
                "event.toml offers no such credit type".into(),
            ));
        };
        if let Some(name) = &c.name
            && let Some(at) = english.name.find(AMA_MARK)
        {
            // The trademark as event.toml writes it, with its ending.
            let mark: String = english.name[at..]
                .chars()
                .take_while(|ch| !matches!(ch, '(' | ','))
                .collect();
            let mark = mark.trim_end();
            if !name.contains(mark) {
                return Err(invalid(
                    &format!("{key} name"),
                    format!("must keep the trademark \"{mark}\" as written, untranslated"),
                ));
            }
        }
        credit_text.insert(code, c);
    }
    let mut questions = BTreeMap::new();
    for (id, q) in raw.evaluation {
        let key = format!("[evaluation.{id}]");
        let Some(english) = raw_questions.iter().find(|r| r.id == id) else {
            return Err(invalid(
                &key,
                "event.toml asks no question with this id".into(),
            ));
        };
        if let Some(options) = &q.options
            && (english.kind != "choice" || options.len() != english.options.len())
        {
            return Err(invalid(
                &format!("{key} options"),
                format!(
                    "has {} options; event.toml has {}, in the same order",
                    options.len(),
                    english.options.len()
                ),
            ));
        }
        if english.per_objective {
            for (n, objective) in objectives.iter().enumerate() {
                let objective = translated.get(n).unwrap_or(objective);
                questions.insert(
                    format!("{id}_{}", n + 1),
                    QuestionText {
                        text: q.text.as_ref().map(|t| t.replace("{objective}", objective)),
                        options: q.options.clone(),
                    },
                );
            }
        } else {
            questions.insert(
                id,
                QuestionText {
                    text: q.text,
                    options: q.options,
                },
            );
        }
    }
    Ok(EventText {
        learning_objectives: translated,
        attestation: raw.statements.attestation,
        credits: credit_text,
        questions,
    })
}

impl Config {
    fn text(&self, lang: Lang) -> Option<&EventText> {
        self.texts.get(&lang)
    }

    /// A credit type's name in `lang`, else as event.toml has it.
    pub fn credit_name(&self, lang: Lang, code: CreditCode) -> String {
        self.text(lang)
            .and_then(|t| t.credits.get(&code))
            .and_then(|c| c.name.clone())
            .or_else(|| self.credit(code).map(|c| c.name.clone()))
            .unwrap_or_else(|| code.to_string())
    }

    /// A credit type's unit ("contact hours") in `lang`.
    pub fn credit_unit(&self, lang: Lang, code: CreditCode) -> Option<String> {
        self.text(lang)
            .and_then(|t| t.credits.get(&code))
            .and_then(|c| c.unit.clone())
            .or_else(|| self.credit(code).map(|c| c.unit.clone()))
    }

    /// The attestation sentence in `lang`.
    pub fn attestation(&self, lang: Lang) -> &str {
        self.text(lang)
            .and_then(|t| t.attestation.as_deref())
            .unwrap_or(&self.statements.attestation)
    }

    /// A question as asked in `lang`.
    pub fn question_text<'a>(&'a self, lang: Lang, q: &'a Question) -> &'a str {
        self.text(lang)
            .and_then(|t| t.questions.get(&q.id))
            .and_then(|t| t.text.as_deref())
            .unwrap_or(&q.text)
    }

    /// A choice question's options as shown in `lang`, in event.toml's
    /// order (the answer recorded is always event.toml's own option).
    pub fn option_labels<'a>(&'a self, lang: Lang, q: &'a Question) -> Vec<&'a str> {
        let Kind::Choice(english) = &q.kind else {
            return vec![];
        };
        match self
            .text(lang)
            .and_then(|t| t.questions.get(&q.id))
            .and_then(|t| t.options.as_ref())
        {
            Some(o) => o.iter().map(String::as_str).collect(),
            None => english.iter().map(String::as_str).collect(),
        }
    }

    /// What `lang` shows in English for want of a translation, as
    /// `cekiosk check` lists it.
    pub fn missing_text(&self, lang: Lang) -> Vec<String> {
        if lang == Lang::En {
            return vec![];
        }
        let Some(t) = self.text(lang) else {
            return vec![format!("{} (all of the event's text)", text_file(lang))];
        };
        let mut out = vec![];
        if t.learning_objectives.is_empty() && !self.event.learning_objectives.is_empty() {
            out.push("[event] learning_objectives".into());
        }
        if t.attestation.is_none() {
            out.push("[statements] attestation".into());
        }
        for c in &self.credits {
            let have = t.credits.get(&c.code);
            if have.and_then(|h| h.name.as_ref()).is_none() {
                out.push(format!("[credits.{}] name", c.code));
            }
            if !c.unit.is_empty() && have.and_then(|h| h.unit.as_ref()).is_none() {
                out.push(format!("[credits.{}] unit", c.code));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for q in &self.questions {
            // A per-objective question is one entry in the file.
            let id =
                q.id.rsplit_once('_')
                    .filter(|(_, n)| n.parse::<usize>().is_ok());
            let file_id = match id {
                Some((base, _)) if !self.questions.iter().any(|o| o.id == base) => base,
                _ => q.id.as_str(),
            };
            let have = t.questions.get(&q.id);
            if have.and_then(|h| h.text.as_ref()).is_none() && seen.insert((file_id, "text")) {
                out.push(format!("[evaluation.{file_id}] text"));
            }
            if matches!(q.kind, Kind::Choice(_))
                && have.and_then(|h| h.options.as_ref()).is_none()
                && seen.insert((file_id, "options"))
            {
                out.push(format!("[evaluation.{file_id}] options"));
            }
        }
        out
    }
}
