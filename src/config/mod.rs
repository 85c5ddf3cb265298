//! The event's configuration: `event.toml` in the config folder, typed and
//! validated, with `CEKIOSK_{SECTION}_{KEY}` environment overrides for the
//! `[kiosk]`, `[certificate]`, `[sync]` and `[hub]` sections.
//!
//! `types` is what the rest of the program reads, `raw` the file's shape as
//! written, `load` turns one into the other and says which key is wrong,
//! `text` reads the event's words in other languages (`event.{code}.toml`)
//! and looks them up,
//! `env` applies the overrides, and `time` converts between the event's local
//! times and the absolute minutes the rules work in.

mod env;
mod load;
mod raw;
mod text;
mod time;
mod types;

#[cfg(test)]
mod tests;

pub use text::text_file;
pub use time::parse_local;
pub use types::{
    CertificateConfig, Config, CreditText, CreditType, Enrolled, Event, EventText, HubConfig,
    KioskConfig, Paper, QuestionText, Statements, SyncConfig,
};

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

pub const EVENT_FILE: &str = "event.toml";
/// The least time the "Still there?" warning gives (WCAG 2.2.1 asks for 20
/// seconds to extend a time limit).
pub const MIN_WARNING_SECONDS: u64 = 20;
