//! The commands. Each parses its arguments, opens what it needs and hands
//! over to the library; errors are printed for a person and turn into a
//! non-zero exit.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::domain::ids::OsRandom;
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(name = "cekiosk", version, about = "Continuing-education credit kiosk")]
pub struct Cli {
    /// The event's configuration folder (event.toml, attendees.csv, sessions.csv).
    #[arg(long, global = true, default_value = "config")]
    pub config: PathBuf,
    /// The kiosk's SQLite database.
    #[arg(long, global = true, default_value = "kiosk.db")]
    pub db: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The full-screen kiosk (the default).
    Run {
        /// The event clock, for rehearsal and tests: YYYY-MM-DDTHH:MM, local to the event.
        #[arg(long)]
        now: Option<String>,
    },
    /// Validate and load a roster or catalog, all or nothing.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Counts and upload state.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Read a PIN and print its Argon2 hash for `staff_pin_hash`.
    HashPin,
    /// Check a machine after setting it up: config, database, roster,
    /// catalog, clock, hub.
    Check,
    /// Upload everything not yet confirmed, then download the roster and
    /// other kiosks' claims. Safe to repeat and to interrupt.
    Sync {
        /// The hub's URL (default: [sync] hub_url).
        #[arg(long)]
        hub: Option<String>,
    },
    /// Write a bundle of this kiosk's records, for carrying to the hub by hand.
    Export { file: PathBuf },
    /// Copy the live database consistently (e.g. to a USB stick), even while
    /// the kiosk runs.
    Backup { file: PathBuf },
    /// Remove what the hub has confirmed and is older than the retention
    /// given; never a record the hub has not confirmed.
    Purge {
        /// Keep everything younger than this many days (0: remove all that
        /// the hub has confirmed).
        #[arg(long, value_name = "DAYS")]
        older_than: u32,
    },
    /// The central hub on PostgreSQL.
    Hub {
        #[command(subcommand)]
        action: Option<HubAction>,
        /// Address to listen on, e.g. 127.0.0.1:8787.
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
        /// PostgreSQL URL (default: the DATABASE_URL environment variable).
        #[arg(long, global = true)]
        database: Option<String>,
        /// The hub's log file.
        #[arg(long, default_value = "hub.log")]
        log: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum HubAction {
    /// `hub import FILE`: an export bundle, exactly once however often it
    /// is loaded. `hub import attendees FILE` / `hub import sessions FILE`:
    /// the hub's roster and catalog (all or nothing, as the kiosk's
    /// import); kiosks receive the changes at their next sync.
    Import {
        #[arg(num_args = 1..=2, value_names = ["WHAT", "FILE"])]
        args: Vec<PathBuf>,
    },
    /// The claims the hub holds and does not count, with the reasons.
    Held,
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// attendees.csv: badge_id, first_name, last_name, degree, profession, email.
    Attendees { file: PathBuf },
    /// sessions.csv: session_id, title, starts_at, ends_at, credits, credit_types.
    Sessions { file: PathBuf },
}

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
    match cli.command.unwrap_or(Command::Run { now: None }) {
        Command::Run { now } => run(&cli.config, &cli.db, now.as_deref()),
        Command::Import { what } => import(&cli.config, &cli.db, what),
        Command::Status { json } => status(&cli.config, &cli.db, json),
        Command::HashPin => hash_pin(),
        Command::Check => check(&cli.config, &cli.db),
        Command::Sync { hub } => sync(&cli.config, &cli.db, hub),
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

fn load_config(dir: &Path) -> Result<Config> {
    Ok(Config::load(dir)?)
}

fn open_store(db: &Path) -> Result<Store> {
    Ok(Store::open(db)?)
}

fn run(config_dir: &Path, db: &Path, now: Option<&str>) -> Result<ExitCode> {
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
    let _log = crate::logging::init(db);
    let mut store = open_store(db)?;
    first_run_import(&config, &mut store)?;
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

fn import(config_dir: &Path, db: &Path, what: ImportWhat) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    let _log = crate::logging::init(db);
    match what {
        ImportWhat::Attendees { file } => {
            let rows = crate::import::read_attendees(&file)?;
            let mut store = open_store(db)?;
            let bar = progress_bar(rows.len() as u64, "attendees");
            let summary = store.upsert_attendees(&rows, &mut |n| {
                if let Some(b) = &bar {
                    b.set_position(n as u64)
                }
            })?;
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            store.audit(
                &config.kiosk.id,
                "import.attendees",
                &format!(
                    "{}: {} new, {} updated",
                    file.display(),
                    summary.inserted,
                    summary.updated
                ),
            )?;
            println!(
                "{}: {} attendees imported ({} new, {} updated)",
                file.display(),
                rows.len(),
                summary.inserted,
                summary.updated
            );
        }
        ImportWhat::Sessions { file } => {
            let rows = crate::import::read_sessions(&file, &config)?;
            let mut store = open_store(db)?;
            let summary = store.upsert_sessions(&rows)?;
            store.audit(
                &config.kiosk.id,
                "import.sessions",
                &format!(
                    "{}: {} new, {} updated",
                    file.display(),
                    summary.inserted,
                    summary.updated
                ),
            )?;
            println!(
                "{}: {} sessions imported ({} new, {} updated)",
                file.display(),
                rows.len(),
                summary.inserted,
                summary.updated
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_bar(len: u64, what: &str) -> Option<indicatif::ProgressBar> {
    if len < 5_000 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what}"))
    {
        bar.set_style(style);
    }
    Some(bar)
}

fn status(config_dir: &Path, db: &Path, json: bool) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    if !db.exists() {
        bail!(
            "no database at {} (start the kiosk once, or import a roster, to create it)",
            db.display()
        );
    }
    let store = open_store(db)?;
    let counts = store.counts()?;
    let device = store.device_id(&mut OsRandom)?;
    let standing = store.hub_standing()?;
    if json {
        let value = serde_json::json!({
            "event": { "id": config.event.id, "title": config.event.title },
            "kiosk_id": config.kiosk.id,
            "device_id": device,
            "database": db.display().to_string(),
            "attendees": counts.attendees,
            "sessions": counts.sessions,
            "claims": counts.claims,
            "certificates": counts.certificates,
            "not_uploaded": counts.not_uploaded,
            "held_at_hub": standing.held,
            "rejected": standing.rejected,
            "last_good_upload_at": standing.last_good_upload_at,
            "device_notice": standing.notice,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!("event         {} — {}", config.event.id, config.event.title);
        println!("kiosk         {}", config.kiosk.id);
        println!("device        {device}");
        println!("database      {}", db.display());
        println!("attendees     {}", counts.attendees);
        println!("sessions      {}", counts.sessions);
        println!("claims        {}", counts.claims);
        println!("certificates  {}", counts.certificates);
        println!("not uploaded  {}", counts.not_uploaded);
        println!("held at hub   {}", standing.held);
        println!("rejected      {}", standing.rejected);
        println!(
            "last good upload {}",
            standing
                .last_good_upload_at
                .as_deref()
                .map(|t| config.local_short(t))
                .unwrap_or_else(|| "never".into())
        );
        if let Some(n) = &standing.notice {
            println!("device notice {n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn hash_pin() -> Result<ExitCode> {
    let pin = if std::io::stdin().is_terminal() {
        read_pin_no_echo()?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the PIN from standard input")?;
        s.lines().next().unwrap_or("").to_string()
    };
    let hash = crate::domain::pin::hash(pin.trim())?;
    println!("{hash}");
    Ok(ExitCode::SUCCESS)
}

fn read_pin_no_echo() -> Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    eprint!("PIN (not shown): ");
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

/// One line of `cekiosk check`.
fn report(ok: Option<bool>, what: &str, detail: impl std::fmt::Display) {
    let mark = match ok {
        Some(true) => "ok  ",
        Some(false) => "FAIL",
        None => "warn",
    };
    println!("{mark}  {what:<10} {detail}");
}

fn check(config_dir: &Path, db: &Path) -> Result<ExitCode> {
    let mut failed = false;
    let config = match Config::load(config_dir) {
        Ok(c) => {
            report(
                Some(true),
                "config",
                format_args!(
                    "{} valid: event {}, kiosk {}, time zone {}",
                    config_dir.join(crate::config::EVENT_FILE).display(),
                    c.event.id,
                    c.kiosk.id,
                    c.event.timezone
                ),
            );
            c
        }
        Err(e) => {
            report(Some(false), "config", e);
            return Ok(ExitCode::FAILURE);
        }
    };
    match crate::domain::pin::check_hash(&config.kiosk.staff_pin_hash) {
        Ok(()) => report(Some(true), "staff PIN", "staff_pin_hash is an Argon2 hash"),
        Err(e) => {
            failed = true;
            report(Some(false), "staff PIN", e);
        }
    }
    let store = match Store::open(db).and_then(|s| {
        s.set_meta("last_check", &crate::store::now_text())
            .map(|_| s)
    }) {
        Ok(s) => {
            report(
                Some(true),
                "database",
                format_args!(
                    "{} opens and takes writes (schema {})",
                    db.display(),
                    s.schema_version()?
                ),
            );
            Some(s)
        }
        Err(e) => {
            failed = true;
            report(Some(false), "database", e);
            None
        }
    };
    if let Some(store) = &store {
        let counts = store.counts()?;
        let roster_ok = counts.attendees > 0;
        failed |= !roster_ok;
        report(
            Some(roster_ok),
            "roster",
            if roster_ok {
                format!("{} attendees", counts.attendees)
            } else {
                "no attendees: run `cekiosk import attendees FILE` (or start the kiosk once to load config/attendees.csv)".into()
            },
        );
        let now_min = jiff::Timestamp::now().as_second().div_euclid(60);
        let catalog = crate::kiosk::catalog::Catalog::new(store.sessions()?, &config);
        let ended = catalog
            .sessions
            .iter()
            .filter(|s| s.span.end <= now_min)
            .count();
        let catalog_ok = counts.sessions > 0;
        failed |= !catalog_ok;
        report(
            Some(catalog_ok),
            "catalog",
            if catalog_ok {
                format!("{} sessions, {ended} ended by now", counts.sessions)
            } else {
                "no sessions: run `cekiosk import sessions FILE`".into()
            },
        );
        report(
            Some(true),
            "uploads",
            format!("{} records not yet uploaded", counts.not_uploaded),
        );
    }
    let now = jiff::Timestamp::now().to_zoned_datetime(config.tz.clone());
    let today = now.date();
    let in_event = today >= config.event.start_date && today <= config.event.end_date;
    report(
        if in_event { Some(true) } else { None },
        "clock",
        format_args!(
            "{} {} (UTC{}); the event runs {} to {}{}",
            now.strftime("%Y-%m-%d %H:%M"),
            config.event.timezone,
            now.offset(),
            config.event.start_date,
            config.event.end_date,
            if in_event {
                ""
            } else {
                " — today is outside the event: check the date, or this is a rehearsal"
            }
        ),
    );
    if config.sync.hub_url.is_empty() {
        report(
            None,
            "hub",
            "no hub configured ([sync] hub_url): records stay on this kiosk",
        );
    } else {
        match reachable(&config.sync.hub_url) {
            Ok(addr) => report(
                Some(true),
                "hub",
                format_args!("{} reachable at {addr}", config.sync.hub_url),
            ),
            Err(e) => report(
                None,
                "hub",
                format_args!("{} not reachable: {e}", config.sync.hub_url),
            ),
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether something accepts TCP connections at the URL's host and port.
fn reachable(url: &str) -> Result<std::net::SocketAddr> {
    use std::net::{TcpStream, ToSocketAddrs};
    let (default_port, rest) = match url.split_once("://") {
        Some(("https", r)) => (443, r),
        Some((_, r)) => (80, r),
        None => (80, url),
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let with_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_string()
    } else {
        format!("{authority}:{default_port}")
    };
    let mut last = anyhow::anyhow!("no address for {authority}");
    for addr in with_port.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2)) {
            Ok(_) => return Ok(addr),
            Err(e) => last = e.into(),
        }
    }
    Err(last)
}

fn database_url(given: Option<String>) -> Result<String> {
    given
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| anyhow::anyhow!("no database: give --database URL or set DATABASE_URL"))
}

fn hub(
    config_dir: &Path,
    action: Option<HubAction>,
    listen: &str,
    database: Option<String>,
    log: &Path,
) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    let url = database_url(database)?;
    match action {
        None => {
            let _log = crate::logging::init(log);
            crate::hub::serve(config, &url, listen)?;
        }
        Some(HubAction::Import { args }) => match args.as_slice() {
            [file] => {
                let r = crate::hub::import_bundle(&config, &url, file)?;
                println!(
                    "{}: {} records new to the hub, {} already there, {} rejected",
                    file.display(),
                    r.inserted,
                    r.repeated,
                    r.rejected.len()
                );
                for rej in r.rejected.iter().take(20) {
                    println!("  record {} rejected: {}", rej.seq, rej.reason);
                }
            }
            [what, file] => {
                let what = match what.to_str() {
                    Some("attendees") => crate::hub::Roster::Attendees,
                    Some("sessions") => crate::hub::Roster::Sessions,
                    _ => bail!(
                        "hub import: '{}' is not attendees or sessions (or give just a bundle file)",
                        what.display()
                    ),
                };
                let r = crate::hub::import_roster(&config, &url, what, file)?;
                println!("{}", r.summary(file));
            }
            _ => bail!("hub import: give a bundle FILE, or attendees|sessions FILE"),
        },
        Some(HubAction::Held) => {
            let held = crate::hub::held(&config, &url)?;
            if held.is_empty() {
                println!("no claim is held: every claim the hub holds counts");
            }
            for h in &held {
                println!("{h}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn sync(config_dir: &Path, db: &Path, hub: Option<String>) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    let hub_url = hub.unwrap_or_else(|| config.sync.hub_url.clone());
    if hub_url.is_empty() {
        bail!("no hub: give --hub URL or set [sync] hub_url (CEKIOSK_SYNC_HUB_URL)");
    }
    if config.sync.token.is_empty() {
        bail!("no sync token: set CEKIOSK_SYNC_TOKEN (or [sync] token)");
    }
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    let _log = crate::logging::init(db);
    let mut store = open_store(db)?;
    store.set_cache_mib(64)?;
    let device = store.device_id(&mut OsRandom)?;
    let client = crate::sync::client::Client::new(
        &hub_url,
        &config.sync.token,
        crate::sync::client::Retry {
            timeout: std::time::Duration::from_secs(config.sync.timeout_seconds.max(1)),
            ..Default::default()
        },
    );
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}") {
            b.set_style(style);
        }
        Some(b)
    } else {
        None
    };
    let result = crate::sync::client::sync(
        &mut store,
        &client,
        &config.event.id,
        &config.kiosk.id,
        &device,
        &mut |p| {
            if let Some(b) = &bar {
                match p {
                    crate::sync::client::Progress::Uploading { done, total } => {
                        b.set_message("uploading");
                        b.set_length(total as u64);
                        b.set_position(done as u64);
                    }
                    crate::sync::client::Progress::Downloading { done } => {
                        b.set_message("downloading");
                        b.set_position(done as u64);
                    }
                }
            }
        },
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    match result {
        Ok(r) => {
            let summary = format!(
                "uploaded {} records ({} already at the hub, {} rejected); downloaded {} changes",
                r.uploaded, r.repeated, r.rejected, r.downloaded
            );
            store.record_sync(&format!("ok: {summary}"), true)?;
            tracing::info!(%summary, "sync done");
            println!("{hub_url}: {summary}");
            if let Some(notice) = &r.rekeyed {
                println!(
                    "this kiosk's records were found beside another database's: {notice}; \
                     it now uploads as device {} and nothing it recorded is lost",
                    r.device_id
                );
            }
            if r.held > 0 {
                println!(
                    "{} of this kiosk's claims are held at the hub, kept but not counted until the CE \
                     office places them; `cekiosk hub held` at the hub lists why",
                    r.held
                );
            }
            if r.rejected > 0 {
                println!(
                    "{} records were rejected by the hub; they are kept here and listed in status",
                    r.rejected
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let _ = store.record_sync(&format!("failed: {e}"), false);
            tracing::error!(error = %e, "sync failed");
            bail!("sync with {hub_url} did not finish: {e}")
        }
    }
}

fn purge(config_dir: &Path, db: &Path, days: u32) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    let mut store = open_store(db)?;
    let before = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .context("the retention reaches before the calendar begins")?
        .to_string();
    let p = store.purge(&before)?;
    store.audit(
        &config.kiosk.id,
        "purge",
        &format!("older than {days} days: {p}"),
    )?;
    println!(
        "{}: {p} (older than {days} days, confirmed by the hub)",
        db.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn export(config_dir: &Path, db: &Path, file: &Path) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    let store = open_store(db)?;
    let device = store.device_id(&mut OsRandom)?;
    let n = crate::sync::export(&store, &config.event.id, &config.kiosk.id, &device, file)?;
    println!(
        "{}: {n} records of kiosk {} (device {device})",
        file.display(),
        config.kiosk.id
    );
    Ok(ExitCode::SUCCESS)
}

fn backup(db: &Path, file: &Path) -> Result<ExitCode> {
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    let store = open_store(db)?;
    store.backup(file)?;
    let copy = Store::open(file)?;
    let counts = copy.counts()?;
    println!(
        "{}: a consistent copy of {} ({} attendees, {} claims, {} certificates)",
        file.display(),
        db.display(),
        counts.attendees,
        counts.claims,
        counts.certificates
    );
    Ok(ExitCode::SUCCESS)
}
