//! Loading and validation: reads `event.toml`, applies the environment, and
//! checks every value, so a mistake is reported as the file, the key and
//! what is wrong with it before a kiosk opens rather than during the event.

use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use regex::Regex;

use super::env::apply_env;
use super::raw::{Number, RawConfig, RawQuestion};
use super::types::{Config, CreditType, Event};
use super::{ConfigError, EVENT_FILE, MIN_WARNING_SECONDS};
use crate::domain::evaluation::{Kind, Question};
use crate::domain::lang::Lang;
use crate::domain::{CreditCode, Profession, ids, parse_quarters};

impl Config {
    /// Loads `DIR/event.toml` and applies the process's environment.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        Self::load_with_env(
            dir,
            |k| std::env::var(k).ok(),
            std::env::vars().map(|(k, _)| k),
        )
    }

    /// Loads with an explicit environment, so tests need not touch the
    /// process's own.
    pub fn load_with_env(
        dir: &Path,
        env: impl Fn(&str) -> Option<String>,
        env_keys: impl Iterator<Item = String>,
    ) -> Result<Config, ConfigError> {
        let path = dir.join(EVENT_FILE);
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let mut raw: RawConfig = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: shown.clone(),
            message: e.to_string().trim_end().to_string(),
        })?;
        apply_env(&mut raw, &env, env_keys)?;
        build(dir, &shown, raw)
    }
}

fn build(dir: &Path, path: &str, raw: RawConfig) -> Result<Config, ConfigError> {
    let invalid = |key: &str, message: String| ConfigError::Invalid {
        path: path.to_string(),
        key: key.to_string(),
        message,
    };
    let e = raw.event;
    for (key, value) in [
        ("[event] id", &e.id),
        ("[event] title", &e.title),
        ("[event] provider", &e.provider),
    ] {
        if value.trim().is_empty() {
            return Err(invalid(key, "must not be empty".into()));
        }
    }
    let tz = TimeZone::get(&e.timezone).map_err(|_| {
        invalid(
            "[event] timezone",
            format!(
                "'{}' is not a known IANA time zone (e.g. America/Chicago)",
                e.timezone
            ),
        )
    })?;
    let date = |key: &str, s: &str| {
        if s.len() != 10 {
            return Err(invalid(key, format!("'{s}' is not a date as YYYY-MM-DD")));
        }
        s.parse::<Date>()
            .map_err(|_| invalid(key, format!("'{s}' is not a date as YYYY-MM-DD")))
    };
    let start_date = date("[event] start_date", &e.start_date)?;
    let end_date = date("[event] end_date", &e.end_date)?;
    if end_date < start_date {
        return Err(invalid(
            "[event] end_date",
            format!("{end_date} is before start_date {start_date}"),
        ));
    }
    let quarters = |key: &str, n: &Number| {
        let text = match n {
            Number::Int(i) => i.to_string(),
            Number::Float(f) => format!("{f}"),
        };
        parse_quarters(&text)
            .ok()
            .filter(|q| *q > 0)
            .ok_or_else(|| invalid(key, format!("{text} is not a positive multiple of 0.25")))
    };
    let max_credits = quarters("[event] max_credits", &e.max_credits)?;
    if !(e.provider_url.is_empty()
        || e.provider_url.starts_with("https://")
        || e.provider_url.starts_with("http://"))
    {
        return Err(invalid(
            "[event] provider_url",
            format!("'{}' must start with https:// or http://", e.provider_url),
        ));
    }
    if e.learning_objectives.iter().any(|o| o.trim().is_empty()) {
        return Err(invalid(
            "[event] learning_objectives",
            "an objective is empty".into(),
        ));
    }
    let kiosk = raw.kiosk;
    if kiosk.id.trim().is_empty() || kiosk.id.chars().any(char::is_control) {
        return Err(invalid(
            "[kiosk] id",
            "must be a non-empty name such as K07".into(),
        ));
    }
    if kiosk.idle_seconds < 5 {
        return Err(invalid(
            "[kiosk] idle_seconds",
            format!("{} is too short; at least 5", kiosk.idle_seconds),
        ));
    }
    if kiosk.warning_seconds < MIN_WARNING_SECONDS {
        return Err(invalid(
            "[kiosk] warning_seconds",
            format!(
                "{} is too short: an attendee needs at least {MIN_WARNING_SECONDS} seconds to \
                 answer \"Still there?\" (WCAG 2.2.1)",
                kiosk.warning_seconds
            ),
        ));
    }
    if !(6..=96).contains(&kiosk.font_size) {
        return Err(invalid(
            "[kiosk] font_size",
            format!(
                "{} is not a terminal font size in points (6 to 96)",
                kiosk.font_size
            ),
        ));
    }
    let badge_pattern = if kiosk.badge_pattern.is_empty() {
        None
    } else {
        Some(Regex::new(&kiosk.badge_pattern).map_err(|err| {
            invalid(
                "[kiosk] badge_pattern",
                format!("not a valid regular expression: {err}"),
            )
        })?)
    };
    let languages = build_languages(&kiosk.languages, &invalid)?;
    let is_http = |u: &str| u.starts_with("https://") || u.starts_with("http://");
    let mut cert = raw.certificate;
    if let Some(fonts) = &cert.fonts {
        let fonts = dir.join(fonts);
        if !fonts.is_dir() {
            return Err(invalid(
                "[certificate] fonts",
                format!("'{}' is not a folder", fonts.display()),
            ));
        }
        cert.fonts = Some(fonts);
    }
    if !is_http(&cert.url_base) {
        return Err(invalid(
            "[certificate] url_base",
            format!("'{}' must start with https:// or http://", cert.url_base),
        ));
    }
    let sync = raw.sync;
    if !(sync.hub_url.is_empty() || is_http(&sync.hub_url)) {
        return Err(invalid(
            "[sync] hub_url",
            format!("'{}' must start with https:// or http://", sync.hub_url),
        ));
    }
    if !(1..=24 * 60).contains(&raw.hub.session_minutes) {
        return Err(invalid(
            "[hub] session_minutes",
            format!(
                "{} is not between 1 and 1440 (a day)",
                raw.hub.session_minutes
            ),
        ));
    }
    for proxy in &raw.hub.trusted_proxies {
        super::types::parse_range(proxy).map_err(|m| invalid("[hub] trusted_proxies", m))?;
    }
    check_mail(&raw.mail, &invalid)?;
    let mut credits = Vec::new();
    for (code_text, c) in raw.credits {
        let key = format!("[credits.{code_text}]");
        let code: CreditCode = code_text.parse().map_err(|m: String| invalid(&key, m))?;
        let mut professions = Vec::new();
        for p in &c.professions {
            professions.push(
                p.parse::<Profession>()
                    .map_err(|m| invalid(&format!("{key} professions"), m))?,
            );
        }
        if c.name.trim().is_empty() {
            return Err(invalid(&format!("{key} name"), "must not be empty".into()));
        }
        let max = match &c.max {
            Some(n) => quarters(&format!("{key} max"), n)?,
            None => max_credits,
        };
        credits.push(CreditType {
            code,
            name: c.name,
            unit: c.unit,
            professions,
            statement: c.statement,
            max,
        });
    }
    if credits.is_empty() {
        return Err(invalid(
            "[credits]",
            "the activity offers no credit type".into(),
        ));
    }
    credits.sort_by_key(|c| c.code);
    // PARS and CPE Monitor refuse a file whose activity or provider number
    // is wrong, so the numbers are checked here, before the event.
    let offers = |code| credits.iter().any(|c: &CreditType| c.code == code);
    for (key, value, check, needed_by) in [
        (
            "[event] accme_activity_id",
            &e.accme_activity_id,
            ids::validate_accme_activity_id as fn(&str) -> Result<(), String>,
            CreditCode::MOC,
        ),
        (
            "[event] acpe_provider_number",
            &e.acpe_provider_number,
            ids::validate_acpe_provider_number,
            CreditCode::ACPE,
        ),
    ] {
        if value.is_empty() && offers(needed_by) {
            return Err(invalid(
                key,
                format!("is needed to report {needed_by} credit"),
            ));
        }
        if !value.is_empty() {
            check(value).map_err(|m| invalid(key, m))?;
        }
    }
    let questions = build_questions(&raw.evaluation, &e.learning_objectives, &invalid)?;
    let texts = super::text::load_texts(dir, &e.learning_objectives, &credits, &raw.evaluation)?;
    Ok(Config {
        dir: dir.to_path_buf(),
        event: Event {
            id: e.id,
            title: e.title,
            provider: e.provider,
            location: e.location,
            timezone: e.timezone,
            start_date,
            end_date,
            max_credits,
            learning_objectives: e.learning_objectives,
            accme_activity_id: e.accme_activity_id,
            acpe_provider_number: e.acpe_provider_number,
            provider_url: e.provider_url,
        },
        tz,
        kiosk,
        badge_pattern,
        certificate: cert,
        sync,
        enrolled: None,
        hub: raw.hub,
        mail: raw.mail,
        credits,
        statements: raw.statements,
        questions,
        languages,
        texts,
    })
}

/// `[mail]`: an SMTP URL the hub can use, addresses that are addresses,
/// timings that are numbers. Whether the server answers is the hub's business.
fn check_mail(
    mail: &super::types::MailConfig,
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<(), ConfigError> {
    for (key, v) in [
        ("[mail] min_interval_minutes", mail.min_interval_minutes),
        ("[mail] retry_seconds", mail.retry_seconds),
        ("[mail] quiet_seconds", mail.quiet_seconds),
    ] {
        if !(v.is_finite() && (0.0..=1e6).contains(&v)) {
            return Err(invalid(
                key,
                format!("{v} is not a number from 0 to 1000000"),
            ));
        }
    }
    if mail.smtp_url.is_empty() {
        return Ok(());
    }
    let url = &mail.smtp_url;
    let rest = url
        .strip_prefix("smtp://")
        .or_else(|| url.strip_prefix("smtps://"));
    let host = rest.map(|r| {
        let r = r.split(['/', '?']).next().unwrap_or_default();
        r.rsplit_once('@').map_or(r, |(_, h)| h).to_string()
    });
    if host.is_none_or(|h| h.is_empty() || h.starts_with(':')) {
        return Err(invalid(
            "[mail] smtp_url",
            "must be smtp://HOST[:PORT] or smtps://[USER:PASSWORD@]HOST[:PORT]".into(),
        ));
    }
    // An empty `from` is the hub's own address (docs/mail.md).
    for (key, v) in [
        ("[mail] from", &mail.from),
        ("[mail] reply_to", &mail.reply_to),
    ] {
        if !v.trim().is_empty() && !crate::domain::email::looks_like_address(v) {
            return Err(invalid(
                key,
                format!(
                    "'{v}' is not an e-mail address (ce@example.org, or Name <ce@example.org>)"
                ),
            ));
        }
    }
    Ok(())
}

/// `[kiosk] languages`: known codes, each once, at least one.
fn build_languages(
    codes: &[String],
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<Vec<Lang>, ConfigError> {
    const KEY: &str = "[kiosk] languages";
    let mut out = Vec::new();
    for code in codes {
        let lang: Lang = code.parse().map_err(|m| invalid(KEY, m))?;
        if out.contains(&lang) {
            return Err(invalid(KEY, format!("'{code}' is listed twice")));
        }
        out.push(lang);
    }
    if out.is_empty() {
        return Err(invalid(
            KEY,
            format!(
                "lists no language; the first listed is the default (supported: {})",
                Lang::codes()
            ),
        ));
    }
    Ok(out)
}

fn build_questions(
    raw: &[RawQuestion],
    objectives: &[String],
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<Vec<Question>, ConfigError> {
    let mut out: Vec<Question> = Vec::new();
    for (i, q) in raw.iter().enumerate() {
        let key = format!("[[evaluation]] #{} ({})", i + 1, q.id);
        let kind = match q.kind.as_str() {
            "choice" => {
                if !(2..=9).contains(&q.options.len()) {
                    return Err(invalid(
                        &format!("{key} options"),
                        "a choice question has 2 to 9 options (answered by digit)".into(),
                    ));
                }
                Kind::Choice(q.options.clone())
            }
            "text" => Kind::Text,
            other => {
                return Err(invalid(
                    &format!("{key} kind"),
                    format!("'{other}' is not one of choice, text"),
                ));
            }
        };
        let show_if = match &q.show_if {
            Some(s) => {
                let target = out.iter().find(|t| t.id == s.question).ok_or_else(|| {
                    invalid(
                        &format!("{key} show_if"),
                        format!("question '{}' is not asked before this one", s.question),
                    )
                })?;
                if !target.accepts(&s.answer) {
                    return Err(invalid(
                        &format!("{key} show_if"),
                        format!("'{}' is not an option of '{}'", s.answer, s.question),
                    ));
                }
                Some((s.question.clone(), s.answer.clone()))
            }
            None => None,
        };
        let only_for = match &q.only_for {
            Some(c) => Some(
                c.parse::<CreditCode>()
                    .map_err(|m| invalid(&format!("{key} only_for"), m))?,
            ),
            None => None,
        };
        let mut push = |id: String, text: String| {
            if out.iter().any(|o| o.id == id) {
                return Err(invalid(&key, format!("question id '{id}' is used twice")));
            }
            out.push(Question {
                id,
                kind: kind.clone(),
                text,
                required: q.required,
                show_if: show_if.clone(),
                only_for,
            });
            Ok(())
        };
        if q.per_objective {
            for (n, objective) in objectives.iter().enumerate() {
                push(
                    format!("{}_{}", q.id, n + 1),
                    q.text.replace("{objective}", objective),
                )?;
            }
        } else {
            push(q.id.clone(), q.text.clone())?;
        }
    }
    Ok(out)
}
