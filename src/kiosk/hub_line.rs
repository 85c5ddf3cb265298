//! The kiosk's line to the hub, for the runner: the background upload
//! (`uploader`), and the two questions staff ask that wait on the network
//! — trading an enrolment code for this kiosk's credentials, and an
//! attendee's certificate for a reissue when they never visited this kiosk
//! (kiosks are not sent other kiosks' certificate ids). Each question runs
//! on a thread of its own with its own connection to the database, so the
//! screen never waits; the answer comes back into the runner's loop.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::msg::Msg;
use super::staff_exchange::StaffReply;
use super::strings::Words;
use super::uploader::{self, SyncEvent};
use crate::config::Config;
use crate::store::{CertificateRow, KioskCredentials, Store};
use crate::sync::client::{HubClient, Retry};

/// What comes back from the hub line into the runner's loop.
pub enum HubNews {
    Sync(SyncEvent),
    /// An enrolment's outcome: the credentials now kept, or why not.
    Enrolled(Result<KioskCredentials, String>),
    /// Something for the app (a certificate to show, a reply for staff).
    Answer(Msg),
}

/// Where the news goes: into the runner's loop; false once it has ended.
pub type NewsSink = Arc<dyn Fn(HubNews) -> bool + Send + Sync>;

/// The background upload, and a way back for the answers.
pub struct HubLine {
    db: PathBuf,
    device_id: String,
    news: NewsSink,
    upload_now: Mutex<Option<Sender<()>>>,
}

impl HubLine {
    /// Starts the background upload if the kiosk can upload (a hub and
    /// credentials or the shared secret).
    pub fn start(config: &Config, db: PathBuf, device_id: String, news: NewsSink) -> HubLine {
        let line = HubLine {
            db,
            device_id,
            news,
            upload_now: Mutex::new(None),
        };
        line.restart_upload(config);
        line
    }

    /// Starts the background upload again with `config` (after an
    /// enrolment: the new credentials). The one before, if any, ends when
    /// its sender is dropped.
    pub fn restart_upload(&self, config: &Config) {
        let news = self.news.clone();
        let started = uploader::start(config, self.db.clone(), self.device_id.clone(), move |e| {
            news(HubNews::Sync(e))
        });
        if let Ok(mut now) = self.upload_now.lock() {
            *now = started;
        }
    }

    /// A line whose upload is `tx` and that answers nothing (for tests of
    /// what staff mode asks it).
    #[cfg(test)]
    pub fn with_upload(tx: Sender<()>) -> HubLine {
        HubLine {
            db: PathBuf::new(),
            device_id: String::new(),
            news: Arc::new(|_| true),
            upload_now: Mutex::new(Some(tx)),
        }
    }

    /// Asks the background upload to run now; false if there is none.
    pub fn upload_now(&self) -> bool {
        self.upload_now
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|tx| tx.send(()).is_ok()))
            .unwrap_or(false)
    }

    /// Trades an enrolment code for this kiosk's credentials, at the hub
    /// `[sync] hub_url` names.
    pub fn enrol(&self, config: &Config, code: String) {
        let (config, db, news) = (config.clone(), self.db.clone(), self.news.clone());
        std::thread::spawn(move || {
            let result = Store::open(&db)
                .map_err(|e| e.to_string())
                .and_then(|mut store| {
                    crate::sync::enrol(&mut store, &config, &config.sync.hub_url, &code)
                        .map_err(|e| e.to_string())
                });
            if let Err(e) = &result {
                tracing::warn!(error = %e, "enrolment at the hub failed");
            }
            news(HubNews::Enrolled(result));
        });
    }

    /// Asks the hub for an attendee's latest certificate and shows it, or
    /// tells staff why not; audited at the kiosk as a reissue.
    pub fn certificate_of(&self, config: &Config, badge: String) {
        let (config, db, news) = (config.clone(), self.db.clone(), self.news.clone());
        std::thread::spawn(move || {
            let client = HubClient::new(
                &config.sync.hub_url,
                config.kiosk_token(),
                Retry {
                    attempts: 2,
                    base: Duration::from_millis(300),
                    timeout: Duration::from_secs(config.sync.timeout_seconds.clamp(1, 15)),
                },
            )
            .kiosk(&config.kiosk.id);
            let at = Instant::now();
            // Staff read the kiosk's own language.
            let words = Words::new(config.default_lang());
            let msg = match client.certificate_of(&badge) {
                Ok(Some(c)) => {
                    if let Ok(mut store) = Store::open(&db) {
                        let _ = store.audit(
                            &config.kiosk.id,
                            "certificate.reissue",
                            &format!("{badge}: {} (from the hub)", c.short_code),
                        );
                    }
                    Msg::Reissue(
                        CertificateRow {
                            certificate_id: c.certificate_id,
                            short_code: c.short_code,
                            badge_id: badge,
                            issued_at: c.issued_at,
                        },
                        at,
                    )
                }
                Ok(None) => Msg::Staff(StaffReply::Failed(words.no_certificate_yet()), at),
                Err(e) => Msg::Staff(StaffReply::Failed(words.hub_not_asked(&e.to_string())), at),
            };
            news(HubNews::Answer(msg));
        });
    }
}
