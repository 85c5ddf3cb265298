//! `event.toml` exactly as written, before any checking: serde reads into
//! these and refuses unknown keys, so a misspelt key is an error rather than
//! a setting silently ignored. `load` turns them into the typed `Config`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::types::{CertificateConfig, HubConfig, KioskConfig, MailConfig, Statements, SyncConfig};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) event: RawEvent,
    pub(super) kiosk: KioskConfig,
    pub(super) certificate: CertificateConfig,
    #[serde(default)]
    pub(super) sync: SyncConfig,
    #[serde(default)]
    pub(super) hub: HubConfig,
    #[serde(default)]
    pub(super) mail: MailConfig,
    #[serde(default)]
    pub(super) credits: BTreeMap<String, RawCredit>,
    #[serde(default)]
    pub(super) statements: Statements,
    #[serde(default)]
    pub(super) evaluation: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Number {
    Int(i64),
    Float(f64),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvent {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) provider: String,
    pub(super) location: String,
    pub(super) timezone: String,
    pub(super) start_date: String,
    pub(super) end_date: String,
    pub(super) max_credits: Number,
    pub(super) learning_objectives: Vec<String>,
    #[serde(default)]
    pub(super) accme_activity_id: String,
    #[serde(default)]
    pub(super) acpe_provider_number: String,
    /// The provider's web address, named beside the provider on the
    /// certificate (ANCC asks for the provider's address).
    #[serde(default)]
    pub(super) provider_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCredit {
    pub(super) name: String,
    #[serde(default)]
    pub(super) unit: String,
    pub(super) professions: Vec<String>,
    pub(super) statement: String,
    /// This type's maximum; `[event] max_credits` when absent.
    pub(super) max: Option<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) text: String,
    #[serde(default)]
    pub(super) options: Vec<String>,
    #[serde(default)]
    pub(super) required: bool,
    #[serde(default)]
    pub(super) per_objective: bool,
    pub(super) show_if: Option<RawShowIf>,
    pub(super) only_for: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShowIf {
    pub(super) question: String,
    pub(super) answer: String,
}
