//! Background upload: a thread with its own database connection that syncs
//! with the hub every `[sync] interval_seconds`, or at once when staff ask.
//! The screen never waits for it; it reports through the event channel.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::strings::Words;
use crate::config::Config;
use crate::store::Store;
use crate::sync::client::{self, HubClient, Retry};

/// What the uploader tells the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    Started,
    Finished {
        ok: bool,
        summary: String,
        downloaded: usize,
    },
}

/// Starts the uploader if a hub and a token are configured. Returns the
/// sender that asks for an upload now.
pub fn start(
    config: &Config,
    db: PathBuf,
    device_id: String,
    report: impl Fn(SyncEvent) -> bool + Send + 'static,
) -> Option<Sender<()>> {
    if config.sync.hub_url.is_empty() || config.kiosk_token().is_empty() {
        return None;
    }
    let (tx, rx) = mpsc::channel();
    let config = config.clone();
    std::thread::Builder::new()
        .name("uploader".into())
        .spawn(move || upload_loop(config, db, device_id, rx, report))
        .ok()?;
    Some(tx)
}

/// The uploader thread: waits for the interval or a request, then syncs.
fn upload_loop(
    config: Config,
    db: PathBuf,
    device_id: String,
    rx: Receiver<()>,
    report: impl Fn(SyncEvent) -> bool,
) {
    let interval = Duration::from_secs(config.sync.interval_seconds.max(10));
    // A first upload soon after start, then every interval.
    let mut wait = Duration::from_secs(10);
    // Fewer retries than `cekiosk sync`: the next interval is the retry.
    let client = HubClient::new(
        &config.sync.hub_url,
        config.kiosk_token(),
        Retry {
            attempts: 3,
            base: Duration::from_millis(500),
            timeout: Duration::from_secs(config.sync.timeout_seconds.max(1)),
        },
    )
    .interval(interval.as_secs())
    .kiosk(&config.kiosk.id);
    // The results are read by staff, in the kiosk's own language.
    let words = Words::new(config.default_lang());
    loop {
        match rx.recv_timeout(wait) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        wait = interval;
        if !report(SyncEvent::Started) {
            return;
        }
        let result = Store::open(&db)
            .map_err(client::SyncError::from)
            .and_then(|mut store| {
                store.set_cache_mib(crate::store::SYNC_CACHE_MIB)?;
                // The id as stored now: a sync may have given the database
                // a new one (restored from a backup, or cloned).
                let device_id = store
                    .meta("device_id")
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| device_id.clone());
                let r = client::sync(
                    &mut store,
                    &client,
                    &config.event.id,
                    &config.kiosk.id,
                    &device_id,
                    &mut |_| {},
                );
                let text = match &r {
                    Ok(r) => words.upload_ok(r.uploaded, r.rejected, r.held, r.downloaded),
                    Err(e) => words.upload_failed(&e.to_string()),
                };
                let _ = store.record_sync(&text, r.is_ok());
                r.map(|r| (text, r.downloaded))
            });
        let event = match result {
            Ok((summary, downloaded)) => SyncEvent::Finished {
                ok: true,
                summary,
                downloaded,
            },
            Err(e) => {
                tracing::warn!(error = %e, "background upload failed");
                SyncEvent::Finished {
                    ok: false,
                    summary: words.upload_failed(&e.to_string()),
                    downloaded: 0,
                }
            }
        };
        if !report(event) {
            return;
        }
    }
}
