//! The commands. Each parses its arguments, opens what it needs and hands
//! over to the library; errors are printed for a person and turn into a
//! non-zero exit.
//!
//! `args` declares the command line; the commands themselves are grouped by
//! what they work on: `run` starts the kiosk (and hashes a staff PIN),
//! `database` reads and maintains the kiosk's own database, `check` looks a
//! machine over after setup, `sync` talks to the hub from a kiosk, and `hub`
//! runs the hub's side.

mod args;
mod check;
mod database;
mod hub;
mod run;
mod sync;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::config::Config;
use crate::store::Store;

pub use args::{Cli, Command, HubAction, ImportWhat};
pub use run::first_run_import;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cekiosk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    use check::check;
    use database::{backup, export, import, purge, status};
    use hub::hub;
    use run::{hash_pin, start_kiosk};
    use sync::{enrol, sync};
    match cli.command.unwrap_or(Command::Run { now: None }) {
        Command::Run { now } => start_kiosk(&cli.config, &cli.db, now.as_deref()),
        Command::Import { what } => import(&cli.config, &cli.db, what),
        Command::Status { json } => status(&cli.config, &cli.db, json),
        Command::HashPin => hash_pin(),
        Command::Check => check(&cli.config, &cli.db),
        Command::Sync { hub } => sync(&cli.config, &cli.db, hub),
        Command::Enrol { hub, code } => enrol(&cli.config, &cli.db, hub, &code),
        Command::Export { file } => export(&cli.config, &cli.db, &file),
        Command::Backup { file } => backup(&cli.db, &file),
        Command::Purge { older_than } => purge(&cli.config, &cli.db, older_than),
        Command::Hub {
            action,
            listen,
            database,
            log,
        } => hub(&cli.config, action, &listen, database, &log),
    }
}

pub(super) fn load_config(dir: &Path) -> Result<Config> {
    Ok(Config::load(dir)?)
}

pub(super) fn open_store(db: &Path) -> Result<Store> {
    Ok(Store::open(db)?)
}

/// The config as a command on the kiosk's database sees it: the event's
/// files, and what an enrolment put in the database (the kiosk id the hub
/// knows it by, the hub it enrolled at, its own token and key), which
/// stand before `[kiosk] id`, `[sync] hub_url` and the shared secret.
pub(super) fn with_enrolment(mut config: Config, store: &Store) -> Result<Config> {
    if let Some(c) = store.credentials()? {
        config.sync.hub_url = c.hub_url.clone();
        config.enrol(
            &c.kiosk_id,
            crate::config::Enrolled {
                token: c.token,
                summary_key: c.summary_key,
            },
        );
    }
    Ok(config)
}
