//! The hub: the system of record on PostgreSQL. Kiosks upload to it over
//! the sync API (docs/sync.md); it serves the certificate pages the QR codes
//! point to, and the CE office's reports.
//!
//! Where things are: `http` (the router, and one file per resource),
//! `serve` (start-up), `commands` (the commands run at the command line),
//! `upload` (the check of an upload), `db` (PostgreSQL), `schema` (its
//! migrations), `award` (what an attendee is awarded), `held` (why a claim
//! is held, in words), `in_flight` (uploads before the held claims),
//! `certificate` and `reports` (what is shown and downloaded), `office`
//! (the CE office's web pages and the figures behind them; `http::office`
//! serves them, `db::office` reads for them), `mail` (the certificate by
//! e-mail).

pub mod award;
pub mod certificate;
mod commands;
pub mod credential;
pub mod db;
pub mod held;
mod http;
pub mod in_flight;
pub mod mail;
pub mod office;
pub mod reports;
pub mod schema;
mod serve;
pub mod upload;
mod words;

use std::sync::Arc;

use deadpool_postgres::Pool;

use crate::config::Config;
use crate::pdf::Fonts;

pub use commands::{
    BundleImported, Imported, Roster, ScansImported, add_kiosk, add_user, held, import_bundle,
    import_roster, import_scans, load_config_roster, load_scans_bytes, mail_state, remove_user,
    resend_mail, revoke_kiosk,
};
pub use http::{router, same_secret};
pub use serve::serve;

/// What every request handler shares: the database and the event's
/// config, with the tokens read from it once, and the certificate fonts
/// read once at start-up (tens of megabytes: never per request).
pub struct Hub {
    pub pool: Pool,
    pub config: Config,
    pub fonts: Arc<Fonts>,
    /// Signs the certificates' Open Badges credentials.
    pub signer: credential::Signer,
    /// The overview's and deadlines' figures, shared by their readers.
    pub figures: office::FiguresCache,
    /// Signing in: a few password checks at a time, and the decoy hash an
    /// unknown name is checked against.
    pub sign_in: db::Checks,
    /// The uploads being taken now, which a kiosk's held claims wait for.
    pub uploads: in_flight::UploadsInFlight,
    /// The fleet's shared secrets, if the hub is configured with any.
    tokens: Vec<String>,
    admin_token: String,
}

impl Hub {
    /// The fleet's shared secrets this hub accepts (`CEKIOSK_SYNC_TOKEN`,
    /// `[hub] tokens`): rehearsal mode, where any kiosk can act as any
    /// other. Empty where every kiosk is enrolled.
    pub fn shared_tokens(&self) -> &[String] {
        &self.tokens
    }

    pub fn new(pool: Pool, config: Config, fonts: Arc<Fonts>, signer: credential::Signer) -> Hub {
        Hub {
            fonts,
            signer,
            figures: office::FiguresCache::default(),
            sign_in: db::Checks::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
            uploads: Default::default(),
            tokens: config.kiosk_tokens(),
            admin_token: config.hub.admin_token.clone(),
            pool,
            config,
        }
    }
}
