//! `cekiosk sync`: one upload-and-download round with the hub from the
//! command line, with a progress bar, and a summary that says what was held
//! or rejected and what that means for the kiosk's records.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::{load_config, open_store};
use crate::domain::ids::OsRandom;

pub(super) fn sync(config_dir: &Path, db: &Path, hub: Option<String>) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    let _log = crate::logging::init(db);
    let mut store = open_store(db)?;
    let config = super::with_enrolment(config, &store)?;
    let hub_url = hub.unwrap_or_else(|| config.sync.hub_url.clone());
    if hub_url.is_empty() {
        bail!("no hub: give --hub URL or set [sync] hub_url (CEKIOSK_SYNC_HUB_URL)");
    }
    if config.kiosk_token().is_empty() {
        bail!(
            "this kiosk has no credentials: enrol it (`cekiosk hub add-kiosk ID` at the hub, then \
             `cekiosk enrol --hub URL CODE` here), or in rehearsal mode set the fleet's shared \
             secret, CEKIOSK_SYNC_TOKEN (or [sync] token)"
        );
    }
    store.set_cache_mib(crate::store::SYNC_CACHE_MIB)?;
    let device = store.device_id(&mut OsRandom)?;
    let client = crate::sync::client::HubClient::new(
        &hub_url,
        config.kiosk_token(),
        crate::sync::client::Retry {
            timeout: std::time::Duration::from_secs(config.sync.timeout_seconds.max(1)),
            ..Default::default()
        },
    )
    .interval(config.sync.interval_seconds)
    .kiosk(&config.kiosk.id);
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

/// `cekiosk enrol [--hub URL] CODE`: trades the CE office's one-time code
/// for this kiosk's own credentials, kept in its database. Enrolling again
/// (a new code) rolls the kiosk's key: the outbox is left as it is, and
/// what was not uploaded goes up with the new credentials.
pub(super) fn enrol(
    config_dir: &Path,
    db: &Path,
    hub: Option<String>,
    code: &str,
) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    let hub_url = hub.unwrap_or_else(|| config.sync.hub_url.clone());
    if hub_url.is_empty() {
        bail!("no hub: give --hub URL or set [sync] hub_url (CEKIOSK_SYNC_HUB_URL)");
    }
    let _log = crate::logging::init(db);
    let mut store = open_store(db)?;
    let answer = crate::sync::enrol(&mut store, &config, &hub_url, code)
        .map_err(|e| anyhow::anyhow!("enrolment at {hub_url} did not succeed: {e}"))?;
    println!(
        "enrolled as kiosk {} at {hub_url}: this kiosk now uploads and signs with its own \
         credentials, kept in {}",
        answer.kiosk_id,
        db.display()
    );
    if answer.kiosk_id != config.kiosk.id {
        println!(
            "note: [kiosk] id says {}; the hub enrolled this kiosk as {}, which it now goes by",
            config.kiosk.id, answer.kiosk_id
        );
    }
    Ok(ExitCode::SUCCESS)
}
