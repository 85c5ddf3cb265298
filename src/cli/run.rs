//! Starting the kiosk, and `hash-pin`: the two commands a person types at
//! the kiosk's own keyboard. Starting checks the staff PIN hash and loads
//! the shipped roster and catalog on a fresh database before the screen opens.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::{load_config, open_store};
use crate::config::Config;
use crate::store::Store;

pub(super) fn start_kiosk(config_dir: &Path, db: &Path, now: Option<&str>) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    let now = match now {
        Some(t) => Some(crate::config::parse_local(t).map_err(|m| anyhow::anyhow!("--now: {m}"))?),
        None => None,
    };
    crate::domain::pin::check_hash(&config.kiosk.staff_pin_hash).map_err(|e| {
        anyhow::anyhow!(
            "{}: [kiosk] {e}",
            config.dir.join(crate::config::EVENT_FILE).display()
        )
    })?;
    // A QR code that does not fit the screen does not scan: refused before
    // the first attendee rather than at their certificate.
    config.check_url_base_fits().map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}",
            config.dir.join(crate::config::EVENT_FILE).display()
        )
    })?;
    let _log = crate::logging::init(db);
    let mut store = open_store(db)?;
    first_run_import(&config, &mut store)?;
    let config = super::with_enrolment(config, &store)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the kiosk needs a terminal (run it in a console, a terminal window or tmux)");
    }
    tracing::info!(kiosk = %config.kiosk.id, db = %db.display(), "kiosk starting");
    let ctx = crate::kiosk::context(config, &store, now)?;
    crate::kiosk::run(ctx, store)?;
    Ok(ExitCode::SUCCESS)
}

/// On an empty database, load the roster and catalog shipped beside the
/// config, so a fresh clone runs with no other step.
pub fn first_run_import(config: &Config, store: &mut Store) -> Result<()> {
    let counts = store.counts()?;
    if counts.attendees == 0 {
        let file = config.dir.join("attendees.csv");
        if file.exists() {
            let rows = crate::import::read_attendees(&file)?;
            store.upsert_attendees(&rows, &mut |_| {})?;
            tracing::info!(rows = rows.len(), file = %file.display(), "first run: imported attendees");
        }
    }
    if counts.sessions == 0 {
        let file = config.dir.join("sessions.csv");
        if file.exists() {
            let rows = crate::import::read_sessions(&file, config)?;
            store.upsert_sessions(&rows)?;
            tracing::info!(rows = rows.len(), file = %file.display(), "first run: imported sessions");
        }
    }
    Ok(())
}

pub(super) fn hash_pin() -> Result<ExitCode> {
    let pin = read_secret("PIN")?;
    let hash = crate::domain::pin::hash(pin.trim())?;
    println!("{hash}");
    Ok(ExitCode::SUCCESS)
}

/// A secret (a PIN, a password): typed at the terminal without echo, or
/// the first line of standard input when that is not a terminal.
pub(super) fn read_secret(what: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        read_no_echo(what)
    } else {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .with_context(|| format!("reading the {what} from standard input"))?;
        Ok(s.lines().next().unwrap_or("").to_string())
    }
}

fn read_no_echo(what: &str) -> Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    eprint!("{what} (not shown): ");
    terminal::enable_raw_mode()?;
    let mut pin = String::new();
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Backspace => {
                    pin.pop();
                }
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(anyhow::anyhow!("cancelled"));
                }
                KeyCode::Char(c) => pin.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e.into()),
        }
    };
    terminal::disable_raw_mode()?;
    eprintln!();
    result.map(|_| pin)
}
