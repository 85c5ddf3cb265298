//! Commands on the kiosk's own database: importing a roster or catalog,
//! status, purge, export bundle and backup. None of them needs the hub.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::{ImportWhat, load_config, open_store};
use crate::domain::ids::OsRandom;
use crate::store::Store;

pub(super) fn import(config_dir: &Path, db: &Path, what: ImportWhat) -> Result<ExitCode> {
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

pub(super) fn status(config_dir: &Path, db: &Path, json: bool) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    if !db.exists() {
        bail!(
            "no database at {} (start the kiosk once, or import a roster, to create it)",
            db.display()
        );
    }
    let store = open_store(db)?;
    let config = super::with_enrolment(config, &store)?;
    let counts = store.counts()?;
    let device = store.device_id(&mut OsRandom)?;
    let standing = store.hub_feedback()?;
    let enrolled = store.credentials()?.map(|c| c.enrolled_at);
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
            "enrolled_at": enrolled,
            "hub_url": config.sync.hub_url,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!("event         {} — {}", config.event.id, config.event.title);
        println!("kiosk         {}", config.kiosk.id);
        println!("device        {device}");
        println!(
            "credentials   {}",
            match &enrolled {
                Some(at) => format!("this kiosk's own, enrolled {}", config.local_short(at)),
                None if !config.sync.token.is_empty() => {
                    "the fleet's shared secret (any kiosk can act as any other: enrol it)".into()
                }
                None => "none: enrol this kiosk (cekiosk enrol --hub URL CODE)".into(),
            }
        );
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

pub(super) fn purge(config_dir: &Path, db: &Path, days: u32) -> Result<ExitCode> {
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

pub(super) fn export(config_dir: &Path, db: &Path, file: &Path) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    let store = open_store(db)?;
    let config = super::with_enrolment(config, &store)?;
    let device = store.device_id(&mut OsRandom)?;
    let n = crate::sync::export(
        &store,
        &config.event.id,
        &config.kiosk.id,
        config.signing_key().as_ref(),
        &device,
        file,
    )?;
    println!(
        "{}: {n} records of kiosk {} (device {device})",
        file.display(),
        config.kiosk.id
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn backup(db: &Path, file: &Path) -> Result<ExitCode> {
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
