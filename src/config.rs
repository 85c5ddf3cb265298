//! The event's configuration: `event.toml` in the config folder, typed and
//! validated, with `CEKIOSK_{SECTION}_{KEY}` environment overrides for the
//! `[kiosk]`, `[certificate]` and `[sync]` sections.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use regex::Regex;
use serde::Deserialize;

use crate::domain::evaluation::{Kind, Question};
use crate::domain::{CodeSet, CreditCode, Profession, Quarters, ids, parse_quarters};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: {key}: {message}")]
    Invalid {
        path: String,
        key: String,
        message: String,
    },
    #[error("environment variable {var}: {message}")]
    Env { var: String, message: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    event: RawEvent,
    kiosk: KioskConfig,
    certificate: CertificateConfig,
    #[serde(default)]
    sync: SyncConfig,
    #[serde(default)]
    hub: HubConfig,
    #[serde(default)]
    credits: BTreeMap<String, RawCredit>,
    #[serde(default)]
    statements: Statements,
    #[serde(default)]
    evaluation: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    id: String,
    title: String,
    provider: String,
    location: String,
    timezone: String,
    start_date: String,
    end_date: String,
    max_credits: Number,
    learning_objectives: Vec<String>,
    #[serde(default)]
    accme_activity_id: String,
    #[serde(default)]
    acpe_provider_number: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    pub id: String,
    pub idle_seconds: u64,
    pub warning_seconds: u64,
    pub staff_pin_hash: String,
    #[serde(default)]
    pub staff_badges: Vec<String>,
    #[serde(default)]
    pub badge_pattern: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateConfig {
    pub url_base: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    #[serde(default)]
    pub hub_url: String,
    #[serde(default)]
    pub token: String,
    #[serde(default = "default_interval")]
    pub interval_seconds: u64,
    /// How long one request to the hub may take before it is retried.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            hub_url: String::new(),
            token: String::new(),
            interval_seconds: default_interval(),
            timeout_seconds: default_timeout(),
        }
    }
}

/// What the hub accepts. Kiosk tokens: these plus `[sync] token`
/// (CEKIOSK_SYNC_TOKEN); reports need the separate admin token.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubConfig {
    #[serde(default)]
    pub tokens: Vec<String>,
    #[serde(default)]
    pub admin_token: String,
}

fn default_interval() -> u64 {
    300
}

fn default_timeout() -> u64 {
    30
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredit {
    name: String,
    #[serde(default)]
    unit: String,
    professions: Vec<String>,
    statement: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statements {
    #[serde(default)]
    pub joint_accreditation: String,
    #[serde(default)]
    pub attestation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: String,
    text: String,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    per_objective: bool,
    show_if: Option<RawShowIf>,
    only_for: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShowIf {
    question: String,
    answer: String,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub provider: String,
    pub location: String,
    pub timezone: String,
    pub start_date: Date,
    pub end_date: Date,
    pub max_credits: Quarters,
    pub learning_objectives: Vec<String>,
    pub accme_activity_id: String,
    pub acpe_provider_number: String,
}

#[derive(Debug, Clone)]
pub struct CreditType {
    pub code: CreditCode,
    pub name: String,
    pub unit: String,
    pub professions: Vec<Profession>,
    pub statement: String,
}

/// The whole, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub dir: PathBuf,
    pub event: Event,
    pub tz: TimeZone,
    pub kiosk: KioskConfig,
    pub badge_pattern: Option<Regex>,
    pub certificate: CertificateConfig,
    pub sync: SyncConfig,
    pub hub: HubConfig,
    pub credits: Vec<CreditType>,
    pub statements: Statements,
    pub questions: Vec<Question>,
}

pub const EVENT_FILE: &str = "event.toml";
/// The least time the "Still there?" warning gives (WCAG 2.2.1 asks for 20
/// seconds to extend a time limit).
pub const MIN_WARNING_SECONDS: u64 = 20;

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

    /// Credit types this activity offers to a profession, MOC included
    /// (it is opt-in; the kiosk asks).
    pub fn codes_for(&self, profession: Profession) -> CodeSet {
        self.credits
            .iter()
            .filter(|c| c.professions.contains(&profession))
            .map(|c| c.code)
            .collect()
    }

    pub fn credit(&self, code: CreditCode) -> Option<&CreditType> {
        self.credits.iter().find(|c| c.code == code)
    }

    /// The tokens the hub accepts from kiosks.
    pub fn kiosk_tokens(&self) -> Vec<String> {
        let mut t: Vec<String> = self
            .hub
            .tokens
            .iter()
            .filter(|t| !t.is_empty())
            .cloned()
            .collect();
        if !self.sync.token.is_empty() {
            t.push(self.sync.token.clone());
        }
        t
    }

    /// The certificate URL for an id.
    pub fn certificate_url(&self, certificate_id: &str) -> String {
        format!("{}{}", self.certificate.url_base, certificate_id)
    }

    /// A local event time `YYYY-MM-DDTHH:MM` as absolute minutes.
    pub fn local_to_minutes(&self, dt: DateTime) -> Result<i64, String> {
        let zoned = dt
            .to_zoned_datetime(self.tz.clone())
            .map_err(|e| format!("{dt} is not a time in {}: {e}", self.event.timezone))?;
        Ok(zoned.timestamp().as_second().div_euclid(60))
    }

    /// An RFC 3339 instant as the event's weekday and local time ("Mon
    /// 14:05"), for staff; text that is not one is shown as it is, made
    /// printable and cut to 16 characters.
    pub fn local_short(&self, at: &str) -> String {
        match at.parse::<jiff::Timestamp>() {
            Ok(t) => t
                .to_zoned_datetime(self.tz.clone())
                .strftime("%a %H:%M")
                .to_string(),
            Err(_) => crate::domain::sanitize(at).chars().take(16).collect(),
        }
    }

    /// Absolute minutes back to the event's local time.
    pub fn minutes_to_local(&self, minutes: i64) -> DateTime {
        let ts = jiff::Timestamp::from_second(minutes * 60).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        ts.to_zoned_datetime(self.tz.clone()).datetime()
    }

    /// The statement for a credit type, with provider and maximum filled in.
    pub fn statement(&self, template: &str) -> String {
        template
            .replace("{provider}", &self.event.provider)
            .replace(
                "{max}",
                &crate::domain::format_quarters(self.event.max_credits),
            )
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (seconds not allowed: the files never carry them).
pub fn parse_local(s: &str) -> Result<DateTime, String> {
    let t = s.trim();
    let ok_shape = t.len() == 16 && t.as_bytes().get(10) == Some(&b'T');
    let bad = || format!("'{s}' is not a time as YYYY-MM-DDTHH:MM");
    if !ok_shape {
        return Err(bad());
    }
    t.parse::<DateTime>().map_err(|_| bad())
}

const ENV_KEYS: &[(&str, &str)] = &[
    ("KIOSK", "ID"),
    ("KIOSK", "IDLE_SECONDS"),
    ("KIOSK", "WARNING_SECONDS"),
    ("KIOSK", "STAFF_PIN_HASH"),
    ("KIOSK", "STAFF_BADGES"),
    ("KIOSK", "BADGE_PATTERN"),
    ("CERTIFICATE", "URL_BASE"),
    ("SYNC", "HUB_URL"),
    ("SYNC", "TOKEN"),
    ("SYNC", "INTERVAL_SECONDS"),
    ("SYNC", "TIMEOUT_SECONDS"),
    ("HUB", "TOKENS"),
    ("HUB", "ADMIN_TOKEN"),
];

fn apply_env(
    raw: &mut RawConfig,
    env: &impl Fn(&str) -> Option<String>,
    env_keys: impl Iterator<Item = String>,
) -> Result<(), ConfigError> {
    // A misspelt override would silently do nothing; refuse it instead.
    for var in env_keys {
        let Some(rest) = var.strip_prefix("CEKIOSK_") else {
            continue;
        };
        let section = ["KIOSK_", "CERTIFICATE_", "SYNC_", "HUB_"]
            .into_iter()
            .find(|s| rest.starts_with(s));
        if let Some(section) = section {
            let key = &rest[section.len()..];
            let known = ENV_KEYS
                .iter()
                .any(|(s, k)| *s == &section[..section.len() - 1] && *k == key);
            if !known {
                let keys: Vec<String> = ENV_KEYS
                    .iter()
                    .map(|(s, k)| format!("CEKIOSK_{s}_{k}"))
                    .collect();
                return Err(ConfigError::Env {
                    var,
                    message: format!("not a known setting; known: {}", keys.join(", ")),
                });
            }
        }
    }
    for (section, key) in ENV_KEYS {
        let var = format!("CEKIOSK_{section}_{key}");
        let Some(value) = env(&var) else { continue };
        let number = |v: &str| {
            v.trim().parse::<u64>().map_err(|_| ConfigError::Env {
                var: var.clone(),
                message: format!("'{v}' is not a whole number"),
            })
        };
        match (*section, *key) {
            ("KIOSK", "ID") => raw.kiosk.id = value,
            ("KIOSK", "IDLE_SECONDS") => raw.kiosk.idle_seconds = number(&value)?,
            ("KIOSK", "WARNING_SECONDS") => raw.kiosk.warning_seconds = number(&value)?,
            ("KIOSK", "STAFF_PIN_HASH") => raw.kiosk.staff_pin_hash = value,
            ("KIOSK", "STAFF_BADGES") => {
                raw.kiosk.staff_badges = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            ("KIOSK", "BADGE_PATTERN") => raw.kiosk.badge_pattern = value,
            ("CERTIFICATE", "URL_BASE") => raw.certificate.url_base = value,
            ("SYNC", "HUB_URL") => raw.sync.hub_url = value,
            ("SYNC", "TOKEN") => raw.sync.token = value,
            ("SYNC", "INTERVAL_SECONDS") => raw.sync.interval_seconds = number(&value)?,
            ("SYNC", "TIMEOUT_SECONDS") => raw.sync.timeout_seconds = number(&value)?,
            ("HUB", "TOKENS") => {
                raw.hub.tokens = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            ("HUB", "ADMIN_TOKEN") => raw.hub.admin_token = value,
            _ => unreachable!("every ENV_KEYS entry is handled"),
        }
    }
    Ok(())
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
    let max_text = match e.max_credits {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => format!("{f}"),
    };
    let max_credits = parse_quarters(&max_text)
        .ok()
        .filter(|q| *q > 0)
        .ok_or_else(|| {
            invalid(
                "[event] max_credits",
                format!("{max_text} is not a positive multiple of 0.25"),
            )
        })?;
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
    let is_http = |u: &str| u.starts_with("https://") || u.starts_with("http://");
    let cert = raw.certificate;
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
        credits.push(CreditType {
            code,
            name: c.name,
            unit: c.unit,
            professions,
            statement: c.statement,
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
        },
        tz,
        kiosk,
        badge_pattern,
        certificate: cert,
        sync,
        hub: raw.hub,
        credits,
        statements: raw.statements,
        questions,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config")
    }

    #[test]
    fn staff_see_times_in_the_events_zone() {
        let c = Config::load(&demo_dir()).unwrap();
        // Chicago is UTC-6 in November.
        assert_eq!(c.local_short("2026-11-25T15:00:00Z"), "Wed 09:00");
        // What another kiosk sent that is not a time is shown, cut, and
        // never split inside a character.
        assert_eq!(c.local_short("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣ"), "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠ");
        assert_eq!(c.local_short("a\u{1b}[2Jb"), "a[2Jb");
    }

    fn load_text(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(EVENT_FILE), text).unwrap();
        let vars: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        Config::load_with_env(dir.path(), lookup, vars.iter().map(|(k, _)| k.clone()))
    }

    fn demo_text() -> String {
        std::fs::read_to_string(demo_dir().join(EVENT_FILE)).unwrap()
    }

    fn err_of(text: &str) -> String {
        load_text(text, &[]).unwrap_err().to_string()
    }

    #[test]
    fn demo_config_loads() {
        let c = load_text(&demo_text(), &[]).unwrap();
        assert_eq!(c.event.max_credits, 155);
        assert_eq!(c.event.learning_objectives.len(), 6);
        // Six objective questions, then the model set.
        assert_eq!(c.questions.len(), 6 + 7);
        assert_eq!(c.questions[0].id, "objective_1");
        assert!(c.codes_for(Profession::Physician).contains(CreditCode::MOC));
        assert!(
            c.codes_for(Profession::Pharmacist)
                .contains(CreditCode::ACPE)
        );
        assert_eq!(c.codes_for(Profession::Other).to_list(), "COP");
    }

    #[test]
    fn environment_overrides_kiosk_certificate_and_sync() {
        let c = load_text(
            &demo_text(),
            &[
                ("CEKIOSK_KIOSK_ID", "K07"),
                ("CEKIOSK_KIOSK_IDLE_SECONDS", "90"),
                ("CEKIOSK_KIOSK_STAFF_BADGES", "S1, S2"),
                ("CEKIOSK_CERTIFICATE_URL_BASE", "https://x.example.org/c/"),
                ("CEKIOSK_SYNC_TOKEN", "secret"),
            ],
        )
        .unwrap();
        assert_eq!(c.kiosk.id, "K07");
        assert_eq!(c.kiosk.idle_seconds, 90);
        assert_eq!(c.kiosk.staff_badges, vec!["S1", "S2"]);
        assert_eq!(c.certificate_url("abc"), "https://x.example.org/c/abc");
        assert_eq!(c.sync.token, "secret");
        let e = load_text(&demo_text(), &[("CEKIOSK_KIOSK_IDLE_SECONDS", "soon")]).unwrap_err();
        assert!(e.to_string().contains("CEKIOSK_KIOSK_IDLE_SECONDS"), "{e}");
        let e = load_text(&demo_text(), &[("CEKIOSK_KIOSK_IDD", "K1")]).unwrap_err();
        assert!(e.to_string().contains("CEKIOSK_KIOSK_IDD"), "{e}");
    }

    #[test]
    fn bad_values_name_file_and_key() {
        let t = demo_text();
        let e = err_of(&t.replace("America/Chicago", "Mars/Olympus"));
        assert!(
            e.contains("event.toml") && e.contains("timezone") && e.contains("Mars/Olympus"),
            "{e}"
        );
        let e = err_of(&t.replace("max_credits = 38.75", "max_credits = 38.7"));
        assert!(e.contains("max_credits") && e.contains("0.25"), "{e}");
        let e = err_of(&t.replace("professions = [\"nurse\"]", "professions = [\"doctor\"]"));
        assert!(
            e.contains("[credits.ANCC] professions") && e.contains("'doctor'"),
            "{e}"
        );
        let e = err_of(&t.replace("[credits.COP]", "[credits.CME]"));
        assert!(
            e.contains("[credits.CME]") && e.contains("not one of"),
            "{e}"
        );
        let e = err_of(&t.replace("start_date = \"2026-11-23\"", "start_date = \"2026-11-31\""));
        assert!(e.contains("start_date"), "{e}");
        let e = err_of(&t.replace("badge_pattern = \"A[0-9]{7}\"", "badge_pattern = \"A[0-9\""));
        assert!(e.contains("badge_pattern"), "{e}");
        let e = err_of(&t.replace("idle_seconds = 60", "idle_seconds = \"sixty\""));
        assert!(
            e.contains("event.toml") && e.contains("idle_seconds"),
            "{e}"
        );
        let e = err_of(&t.replace("[sync]", "[sync]\nhub = \"x\""));
        assert!(e.contains("hub"), "{e}");
        let e = err_of(&t.replace("answer = \"Yes\"", "answer = \"Perhaps\""));
        assert!(e.contains("show_if") && e.contains("Perhaps"), "{e}");
        let e = err_of(&t.replace("warning_seconds = 20", "warning_seconds = 15"));
        assert!(
            e.contains("warning_seconds") && e.contains("at least 20"),
            "{e}"
        );
        let e = err_of(&t.replace("\"202611230\"", "\"20261123\""));
        assert!(
            e.contains("accme_activity_id") && e.contains("9 digits"),
            "{e}"
        );
        let e = err_of(&t.replace("\"JA0000534\"", "\"JA534\""));
        assert!(e.contains("acpe_provider_number"), "{e}");
        // Offering MOC without the activity ID PARS needs is refused.
        let e = err_of(&t.replace("accme_activity_id = \"202611230\"", ""));
        assert!(e.contains("accme_activity_id") && e.contains("MOC"), "{e}");
    }

    #[test]
    fn local_times_round_trip_through_minutes() {
        let c = load_text(&demo_text(), &[]).unwrap();
        let dt = parse_local("2026-11-23T07:30").unwrap();
        let m = c.local_to_minutes(dt).unwrap();
        assert_eq!(c.minutes_to_local(m), dt);
        assert!(parse_local("2026-11-23 07:30").is_err());
        assert!(parse_local("2026-11-23T25:30").is_err());
        assert!(parse_local("2026-11-23T07:30:00").is_err());
    }
}
