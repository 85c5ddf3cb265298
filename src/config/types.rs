//! The validated configuration as the rest of the program sees it (the
//! event's words in other languages included, as `text` loads them), and
//! the questions it answers about the event (which credit types a
//! profession gets, which tokens the hub accepts, how a statement reads).

use std::collections::BTreeMap;
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
    /// The PDF's paper size: the event's country's.
    #[serde(default)]
    pub paper: Paper,
}

/// The certificate PDF's paper size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    Letter,
    A4,
}

impl std::str::FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Paper, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "letter" => Ok(Paper::Letter),
            "a4" => Ok(Paper::A4),
            other => Err(format!("'{other}' is not a paper size; letter or a4")),
        }
    }
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
    /// The proxies (addresses, or ranges such as `10.0.0.0/8`) whose
    /// `X-Forwarded-For` names the client: the sign-in throttle counts by
    /// the client's address, and without this every request behind a
    /// proxy would be the proxy's. Empty: only the TCP peer is believed.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

impl HubConfig {
    /// Whether `ip` is one of the trusted proxies.
    pub fn trusts(&self, ip: std::net::IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .filter_map(|p| parse_range(p).ok())
            .any(|(net, len)| in_range(ip, net, len))
    }
}

/// An address, or a range as `address/prefix length`.
pub fn parse_range(text: &str) -> Result<(std::net::IpAddr, u8), String> {
    let text = text.trim();
    let (addr, len) = match text.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (text, None),
    };
    let ip: std::net::IpAddr = addr
        .parse()
        .map_err(|_| format!("'{text}' is not an address such as 127.0.0.1 or 10.0.0.0/8"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len = match len {
        None => max,
        Some(l) => l
            .parse::<u8>()
            .ok()
            .filter(|l| *l <= max)
            .ok_or_else(|| format!("'{text}': the prefix length must be 0 to {max}"))?,
    };
    Ok((ip, len))
}

fn in_range(ip: std::net::IpAddr, net: std::net::IpAddr, len: u8) -> bool {
    use std::net::IpAddr;
    // An IPv4 client may arrive as an IPv4-mapped IPv6 address.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    let bits = |a: IpAddr| -> u128 {
        match a {
            IpAddr::V4(v) => u128::from(u32::from(v)) << 96,
            IpAddr::V6(v) => u128::from(v),
        }
    };
    if ip.is_ipv4() != net.is_ipv4() {
        return false;
    }
    let mask = if len == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(len))
    };
    bits(ip) & mask == bits(net) & mask
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            tokens: Vec::new(),
            admin_token: String::new(),
            behind_tls: false,
            session_minutes: default_session_minutes(),
            trusted_proxies: Vec::new(),
        }
    }
}

/// The certificate by e-mail (docs/mail.md). Without `smtp_url` the hub
/// sends nothing. The three timings take fractions (`0.05` minutes is 3
/// seconds), so a rehearsal or a test need not wait an hour.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// `smtp://host:25`, `smtps://user:pass@host:465`, or
    /// `smtp://host:587?tls=required` (STARTTLS).
    #[serde(default)]
    pub smtp_url: String,
    /// The sender, `CE Office <ce@example.org>`.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub reply_to: String,
    /// At most one message per attendee in this many minutes.
    #[serde(default = "default_min_interval")]
    pub min_interval_minutes: f64,
    /// The first wait after the mail server was away or said "try later";
    /// it doubles at each try, up to ten minutes.
    #[serde(default = "default_retry")]
    pub retry_seconds: f64,
    /// How long a message waits after the attendee's records changed, so
    /// the rest of a sync's pages arrive first and one message says it all.
    #[serde(default = "default_quiet")]
    pub quiet_seconds: f64,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: String::new(),
            from: String::new(),
            reply_to: String::new(),
            min_interval_minutes: default_min_interval(),
            retry_seconds: default_retry(),
            quiet_seconds: default_quiet(),
        }
    }
}

fn default_min_interval() -> f64 {
    60.0
}

fn default_retry() -> f64 {
    5.0
}

fn default_quiet() -> f64 {
    5.0
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
    /// The provider's web address (empty when not given).
    pub provider_url: String,
}

#[derive(Debug, Clone)]
pub struct CreditType {
    pub code: CreditCode,
    pub name: String,
    pub unit: String,
    pub professions: Vec<Profession>,
    pub statement: String,
    /// This type's maximum (`max` in its section, else the event's
    /// `max_credits`).
    pub max: Quarters,
}

/// What an enrolled kiosk presents to the hub and signs with.
#[derive(Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub token: String,
    pub summary_key: [u8; 32],
}

/// Never printed: the token and key stay out of logs.
impl std::fmt::Debug for Enrolled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolled { .. }")
    }
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
    /// This kiosk's own credentials at the hub, when it was enrolled
    /// (`cekiosk enrol`): kept in its database, never in a file of
    /// settings, and set here by the commands that open it.
    pub enrolled: Option<Enrolled>,
    pub hub: HubConfig,
    pub mail: MailConfig,
    pub credits: Vec<CreditType>,
    pub statements: Statements,
    pub questions: Vec<Question>,
    /// The languages the kiosk offers, the default first; never empty.
    pub languages: Vec<Lang>,
    /// The event's text in other languages, from `event.{code}.toml`.
    pub texts: BTreeMap<Lang, EventText>,
}

impl Config {
    /// The kiosk's own language, the first of `[kiosk] languages`: every
    /// attendee starts in it, and staff read it.
    pub fn default_lang(&self) -> Lang {
        self.languages.first().copied().unwrap_or_default()
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

    /// The key this kiosk signs its certificate ids' summaries and its
    /// export bundles with (docs/security.md): its own from the hub when
    /// it was enrolled, else (rehearsal mode) one derived from the fleet's
    /// shared secret; none without either.
    pub fn signing_key(&self) -> Option<[u8; 32]> {
        match &self.enrolled {
            Some(e) => Some(e.summary_key),
            None => (!self.sync.token.is_empty()).then(|| {
                crate::domain::certificate_id::kiosk_key(&self.sync.token, &self.kiosk.id)
            }),
        }
    }

    /// The key for certificate ids' summaries: [`Config::signing_key`],
    /// and none when `url_base` leaves the QR code no room for a summary
    /// (the ids are then plain random ones).
    pub fn certificate_key(&self) -> Option<[u8; 32]> {
        self.signing_key()
            .filter(|_| self.certificate.url_base.len() <= self.summary_budget())
    }

    /// What this kiosk presents to the hub: its own token when enrolled,
    /// else the fleet's shared secret (empty: none).
    pub fn kiosk_token(&self) -> &str {
        match &self.enrolled {
            Some(e) => &e.token,
            None => &self.sync.token,
        }
    }

    /// Takes on what an enrolment gave: the kiosk id the hub enrolled it
    /// as (which may differ from `[kiosk] id`), its token and key.
    pub fn enrol(&mut self, kiosk_id: &str, enrolled: Enrolled) {
        self.kiosk.id = kiosk_id.to_string();
        self.enrolled = Some(enrolled);
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
    /// A statement with the provider filled in (the Joint Accreditation
    /// statement); `{max}` is the event's `max_credits`.
    pub fn statement(&self, template: &str) -> String {
        template
            .replace("{provider}", &self.event.provider)
            .replace(
                "{max}",
                &crate::domain::format_quarters(self.event.max_credits),
            )
    }

    /// A credit type's statement, with the provider and that type's own
    /// maximum filled in.
    pub fn credit_statement(&self, credit: &CreditType) -> String {
        credit
            .statement
            .replace("{provider}", &self.event.provider)
            .replace("{max}", &crate::domain::format_quarters(credit.max))
    }

    /// Each credit type's maximum; a type the activity does not offer has
    /// the event's.
    pub fn maxima(&self) -> crate::domain::credits::Maxima {
        self.credits.iter().fold(
            crate::domain::credits::Maxima::all(self.event.max_credits),
            |m, c| m.with(c.code, c.max),
        )
    }
}

/// A credit type's name and unit in one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditText {
    pub name: Option<String>,
    pub unit: Option<String>,
}

/// One question's words in one language, by the id the kiosk asks it by
/// (a per-objective question already has its objective filled in).
#[derive(Debug, Clone, Default)]
pub struct QuestionText {
    pub text: Option<String>,
    pub options: Option<Vec<String>>,
}

/// One language's event text, checked against `event.toml`.
#[derive(Debug, Clone, Default)]
pub struct EventText {
    pub learning_objectives: Vec<String>,
    pub attestation: Option<String>,
    pub credits: BTreeMap<CreditCode, CreditText>,
    pub questions: BTreeMap<String, QuestionText>,
}
