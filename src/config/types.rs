//! The validated configuration as the rest of the program sees it, and the
//! questions it answers about the event (which credit types a profession
//! gets, which tokens the hub accepts, how a statement reads).

use std::path::PathBuf;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use regex::Regex;
use serde::Deserialize;

use crate::domain::evaluation::Question;
use crate::domain::lang::Lang;
use crate::domain::{CodeSet, CreditCode, Profession, Quarters};

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
    /// The languages offered, as written (codes); the first is the
    /// default. Validated into `Config::languages`.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// A folder to write speech to (numbered WAV files with their words
    /// beside them) instead of the audio output.
    #[serde(default)]
    pub speech_out: Option<PathBuf>,
    /// The terminal's font size in points, as the kiosk's terminal is
    /// started with: large text (F5) asks for twice it.
    #[serde(default = "default_font_size")]
    pub font_size: u32,
}

fn default_languages() -> Vec<String> {
    vec!["en".into()]
}

fn default_font_size() -> u32 {
    19
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateConfig {
    pub url_base: String,
    /// The folder the certificate PDF's fonts are found under (searched
    /// recursively). Unset: the system font folders. A relative path is
    /// taken from the event folder.
    #[serde(default)]
    pub fonts: Option<PathBuf>,
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubConfig {
    #[serde(default)]
    pub tokens: Vec<String>,
    #[serde(default)]
    pub admin_token: String,
    /// The hub is reached through a TLS proxy: the CE office's session
    /// cookie is then marked Secure, so a browser never sends it in clear.
    #[serde(default)]
    pub behind_tls: bool,
    /// A signed-in session ends after this many minutes without a request.
    #[serde(default = "default_session_minutes")]
    pub session_minutes: u64,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            tokens: Vec::new(),
            admin_token: String::new(),
            behind_tls: false,
            session_minutes: default_session_minutes(),
        }
    }
}

fn default_session_minutes() -> u64 {
    60
}

fn default_interval() -> u64 {
    300
}

fn default_timeout() -> u64 {
    30
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statements {
    #[serde(default)]
    pub joint_accreditation: String,
    #[serde(default)]
    pub attestation: String,
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
    /// The languages the kiosk offers, the default first; never empty.
    pub languages: Vec<Lang>,
    /// The event's text in other languages, from `event.{code}.toml`.
    pub texts: std::collections::BTreeMap<Lang, super::text::EventText>,
}

impl Config {
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

    /// The key this kiosk signs its certificate ids' summaries with
    /// (docs/security.md): derived from its sync token, so only a kiosk
    /// that can upload has one; and none when `url_base` leaves the QR
    /// code no room for a summary (the ids are then plain random ones).
    pub fn certificate_key(&self) -> Option<[u8; 32]> {
        (!self.sync.token.is_empty() && self.certificate.url_base.len() <= self.summary_budget())
            .then(|| crate::domain::certificate_id::kiosk_key(&self.sync.token, &self.kiosk.id))
    }

    /// The longest `url_base` with which every certificate id of this
    /// kiosk, summary included, still fits an 80×24 screen's QR code with
    /// its quiet zone, for this kiosk id and the event's credit types.
    pub fn summary_budget(&self) -> usize {
        use crate::domain::certificate_id::{longest_id, max_url_base};
        max_url_base(longest_id(&self.kiosk.id, self.credits.len()))
    }

    /// Refuses a `url_base` whose QR codes would not scan at 80×24 even
    /// with a plain id.
    pub fn check_url_base_fits(&self) -> Result<(), String> {
        let len = self.certificate.url_base.len();
        let max = crate::domain::certificate_id::max_url_base_plain();
        if len > max {
            return Err(format!(
                "[certificate] url_base '{}' is {len} bytes; the certificate's QR code fits an 80×24 \
                 screen only with a url_base of at most {max} bytes ({} for the verified summary with \
                 kiosk id '{}'): use a shorter host or path (docs/security.md)",
                self.certificate.url_base,
                self.summary_budget(),
                self.kiosk.id,
            ));
        }
        Ok(())
    }

    /// The certificate URL for an id.
    pub fn certificate_url(&self, certificate_id: &str) -> String {
        format!("{}{}", self.certificate.url_base, certificate_id)
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
