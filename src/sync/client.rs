//! The kiosk's sync client: check the hub, upload the outbox in pages above
//! what the hub has confirmed, then download other kiosks' records and the
//! roster. Safe to interrupt and to repeat: the hub ignores a record it has,
//! and the kiosk's cursors only move after a page is applied.

use std::time::{Duration, Instant};

use super::plan::{self, PageOutcome, SyncStep};
use super::protocol::{
    API, Changes, Cursor, DeviceReport, DeviceState, Hello, PAGE, Upload, UploadResult,
};
use crate::store::{ChangeBatch, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot reach the hub at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error(
        "the hub does not accept this kiosk's credentials (401): enrol this kiosk (`cekiosk hub \
         add-kiosk ID` at the hub, then `cekiosk enrol --hub URL CODE` here), or in rehearsal mode \
         check CEKIOSK_SYNC_TOKEN"
    )]
    Unauthorized,
    /// The hub knows the credentials and refuses them, or refuses what
    /// they ask (another kiosk's device): its own words.
    #[error("the hub refused (403): {0}")]
    Forbidden(String),
    #[error("the hub serves event '{hub}', but this kiosk is for '{ours}'")]
    WrongEvent { hub: String, ours: String },
    #[error("the hub answered {status}: {body}")]
    Refused { status: u16, body: String },
    #[error("the hub kept failing ({status}): {body}")]
    ServerError { status: u16, body: String },
    #[error("the hub's answer made no sense: {0}")]
    BadAnswer(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub uploaded: usize,
    pub repeated: usize,
    pub rejected: usize,
    pub downloaded: usize,
    pub high_seq: i64,
    /// Claims of this kiosk the hub holds and does not count yet.
    pub held: usize,
    /// Set when the hub showed that another database uses this device id
    /// (a restore from a backup, a cloned disk image): what happened, and
    /// the new id this kiosk took.
    pub rekeyed: Option<String>,
    /// The device id the kiosk uploads as, after this sync.
    pub device_id: String,
    /// Requests sent again after a network error, a timeout or a 5xx, and
    /// of those the ones cut by this kiosk's own timeout.
    pub retries: usize,
    pub timed_out: usize,
    /// The upload's time reading the outbox and building pages, and
    /// waiting for the hub's answers to them.
    pub reading: Duration,
    pub sending: Duration,
}

#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Uploading { done: usize, total: usize },
    Downloading { done: usize },
}

/// How hard to try before giving up on a network error or a 5xx.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    pub base: Duration,
    /// How long one request may take.
    pub timeout: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 6,
            base: Duration::from_millis(300),
            timeout: Duration::from_secs(30),
        }
    }
}

pub struct HubClient {
    base: String,
    token: String,
    /// The kiosk id this kiosk goes by, sent with each request: the hub
    /// needs it only with the fleet's shared secret, where the token says
    /// nothing of who sent it.
    kiosk_id: String,
    agent: ureq::Agent,
    retry: Retry,
    /// The kiosk's `[sync] interval_seconds`, told to the hub (0: unknown).
    interval_seconds: u64,
    /// Requests sent again, and of those cut by the timeout.
    retries: std::sync::atomic::AtomicUsize,
    timed_out: std::sync::atomic::AtomicUsize,
}

enum Attempt<T> {
    Done(T),
    /// Worth another try: the network, a timeout, a 5xx.
    Again(SyncError),
    Fail(SyncError),
}

impl HubClient {
    pub fn new(hub_url: &str, token: &str, retry: Retry) -> HubClient {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(retry.timeout))
            .http_status_as_error(false)
            .build()
            .into();
        HubClient {
            base: hub_url.trim_end_matches('/').to_string(),
            token: token.to_string(),
            kiosk_id: String::new(),
            agent,
            retry,
            interval_seconds: 0,
            retries: Default::default(),
            timed_out: Default::default(),
        }
    }

    /// Tells the hub, with each sync's report, how often this kiosk syncs
    /// by itself, so the fleet page can tell a silent kiosk.
    pub fn interval(mut self, seconds: u64) -> HubClient {
        self.interval_seconds = seconds;
        self
    }

    /// Names the kiosk in each request (see [`HubClient`]'s `kiosk_id`).
    pub fn kiosk(mut self, kiosk_id: &str) -> HubClient {
        self.kiosk_id = kiosk_id.to_string();
        self
    }

    /// The headers every request but enrolment carries.
    fn authorised<B>(&self, r: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        let r = r.header("Authorization", &format!("Bearer {}", self.token));
        if self.kiosk_id.is_empty() {
            r
        } else {
            r.header("X-Cekiosk-Kiosk", &self.kiosk_id)
        }
    }

    /// Trades a one-time enrolment code for this kiosk's credentials.
    /// `nonce` is the kiosk's own random word for this enrolment: a retry
    /// after a lost answer is the same enrolment, answered again.
    pub fn enrol(
        &self,
        event_id: &str,
        code: &str,
        nonce: &str,
    ) -> Result<super::protocol::EnrolAnswer, SyncError> {
        let url = self.url("/enrol");
        let req = super::protocol::EnrolRequest {
            code: code.trim().to_string(),
            nonce: nonce.to_string(),
            event_id: event_id.to_string(),
        };
        self.with_retry(|| self.answer(self.agent.post(&url).send_json(&req)))
    }

    /// An attendee's latest certificate at the hub, for a reissue; None
    /// when the hub holds none.
    pub fn certificate_of(
        &self,
        badge_id: &str,
    ) -> Result<Option<super::protocol::CertificateAnswer>, SyncError> {
        let url = self.url(&format!(
            "/attendees/{}/certificate",
            path_segment(badge_id)
        ));
        match self.with_retry(|| self.answer(self.authorised(self.agent.get(&url)).call())) {
            Ok(c) => Ok(Some(c)),
            Err(SyncError::Refused { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{API}{path}", self.base)
    }

    fn answer<T: serde::de::DeserializeOwned>(
        &self,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Attempt<T> {
        let mut resp = match r {
            Ok(resp) => resp,
            Err(e) => {
                return Attempt::Again(SyncError::Unreachable {
                    url: self.base.clone(),
                    reason: e.to_string(),
                });
            }
        };
        let status = resp.status().as_u16();
        if status == 401 {
            return Attempt::Fail(SyncError::Unauthorized);
        }
        if status == 403 {
            let body = resp.body_mut().read_to_string().unwrap_or_default();
            return Attempt::Fail(SyncError::Forbidden(short(&body)));
        }
        if status >= 500 {
            let body = resp.body_mut().read_to_string().unwrap_or_default();
            return Attempt::Again(SyncError::ServerError {
                status,
                body: short(&body),
            });
        }
        if status >= 400 {
            let body = resp.body_mut().read_to_string().unwrap_or_default();
            // The hub answers a page that conflicts with what it holds
            // with 409 and what it found.
            if status == 409
                && let Ok(v) = serde_json::from_str::<T>(&body)
            {
                return Attempt::Done(v);
            }
            return Attempt::Fail(SyncError::Refused {
                status,
                body: short(&body),
            });
        }
        match resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_json::<T>()
        {
            Ok(v) => Attempt::Done(v),
            // A body cut off mid-way is a network failure, worth retrying.
            Err(e) => Attempt::Again(SyncError::BadAnswer(e.to_string())),
        }
    }

    /// Runs `f` until it succeeds, fails for good, or the attempts run out,
    /// sleeping with exponential backoff and jitter between tries.
    fn with_retry<T>(&self, mut f: impl FnMut() -> Attempt<T>) -> Result<T, SyncError> {
        let mut last = None;
        for attempt in 0..self.retry.attempts.max(1) {
            if attempt > 0 {
                let exp = self.retry.base.saturating_mul(1 << (attempt - 1).min(8));
                let mut b = [0u8; 2];
                crate::domain::ids::IdSource::fill(&mut crate::domain::ids::OsRandom, &mut b);
                let jitter =
                    exp.mul_f64(f64::from(u16::from_le_bytes(b)) / f64::from(u16::MAX) * 0.5);
                std::thread::sleep(exp + jitter);
            }
            match f() {
                Attempt::Done(v) => return Ok(v),
                Attempt::Fail(e) => return Err(e),
                Attempt::Again(e) => {
                    tracing::warn!(error = %e, attempt, "sync: will retry");
                    use std::sync::atomic::Ordering::Relaxed;
                    if attempt + 1 < self.retry.attempts {
                        self.retries.fetch_add(1, Relaxed);
                    }
                    // ureq says "timeout: …" for its own, sending or
                    // reading the answer.
                    if e.to_string().contains("timeout") {
                        self.timed_out.fetch_add(1, Relaxed);
                    }
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or(SyncError::BadAnswer("no attempt made".into())))
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, SyncError> {
        let url = self.url(path);
        self.with_retry(|| self.answer(self.authorised(self.agent.get(&url)).call()))
    }

    pub fn hello(&self) -> Result<Hello, SyncError> {
        self.get("/hello")
    }

    pub fn device(&self, device_id: &str) -> Result<DeviceState, SyncError> {
        self.get(&format!("/devices/{device_id}"))
    }

    /// The device's state, its held claims worked out once the uploads
    /// the hub is taking are in: the kiosk lets it wait up to half its own
    /// request timeout (the hub waits at most `HELD_WAIT_SECONDS`), so
    /// that wait never cuts the request.
    pub fn device_after_upload(&self, device_id: &str) -> Result<DeviceState, SyncError> {
        let wait = (self.retry.timeout / 2)
            .as_secs()
            .min(super::protocol::HELD_WAIT_SECONDS);
        if wait == 0 {
            return self.device(device_id);
        }
        self.get(&format!("/devices/{device_id}?wait={wait}"))
    }

    /// The device's state without its held claims, which the hub works
    /// out claim by claim: what the upload's plan needs.
    pub fn device_for_upload(&self, device_id: &str) -> Result<DeviceState, SyncError> {
        self.get(&format!("/devices/{device_id}?held=false"))
    }

    pub fn upload(&self, device_id: &str, page: &Upload) -> Result<UploadResult, SyncError> {
        let url = self.url(&format!("/devices/{device_id}/records"));
        self.with_retry(|| self.answer(self.authorised(self.agent.post(&url)).send_json(page)))
    }

    /// Says how this kiosk stands (version, clock, what is not uploaded).
    /// Only for the CE office's view: a hub that does not take it (an
    /// older one), or any failure, never stops a sync.
    pub fn report(&self, device_id: &str, report: &DeviceReport) {
        let url = self.url(&format!("/devices/{device_id}/report"));
        let sent = self.authorised(self.agent.post(&url)).send_json(report);
        match sent {
            Ok(r) if r.status().is_success() => {}
            Ok(r) => tracing::info!(status = r.status().as_u16(), "sync: the hub took no report"),
            Err(e) => tracing::info!(error = %e, "sync: the report did not reach the hub"),
        }
    }

    pub fn changes(&self, since: Cursor, device_id: &str) -> Result<Changes, SyncError> {
        self.get(&format!("/changes?since={since}&device={device_id}"))
    }
}

/// A badge id as one segment of a URL path: every byte but letters,
/// digits, `-`, `_` and `.` percent-encoded.
fn path_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(300).collect();
    crate::domain::sanitize(t.trim())
}

/// The changes a kiosk applies in one SQLite transaction (eight of the
/// hub's pages). Each commit writes to the WAL every index page the batch
/// touched, and the keys are random, so fewer commits write far less: the
/// whole week's feed (314,000 changes) took 9.5 s at a page a commit, 7.0 s
/// at four, 6.1 s at eight. A batch holds the kiosk's own writes back
/// while it is applied (up to about 0.8 s here), which an attendee only
/// meets when a kiosk catches up after a long time offline; it holds them
/// no more than [`WAIT_IN_BATCH`] of each wait for the hub (`download`).
const BATCH_CHANGES: usize = 8 * crate::sync::protocol::CHANGES_PAGE;

/// How long a batch stays open, once a page is applied, for the next page
/// still on its way from the hub.
const WAIT_IN_BATCH: Duration = Duration::from_millis(50);

/// Commits the pages of changes applied so far, if any.
fn finish(batch: Option<ChangeBatch<'_>>) -> Result<(), StoreError> {
    batch.map_or(Ok(()), ChangeBatch::commit)
}

/// One whole sync: check, upload, download.
///
/// The kiosk sends every record the hub has not confirmed, not only those
/// above the hub's high-water mark. When the hub holds more of this device
/// than this database ever wrote, or a different record at a sequence it
/// holds, another database uses this device id: this one was restored from
/// a backup, or cloned from a disk image. The kiosk then takes a new device
/// id and sends what the hub has not confirmed under it; the hub keeps
/// what it had, and the conflicting copies for the CE office.
pub fn sync(
    store: &mut Store,
    client: &HubClient,
    event_id: &str,
    kiosk_id: &str,
    device_id: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SyncError> {
    let report = upload(store, client, event_id, kiosk_id, device_id, progress)?;
    download(store, client, kiosk_id, report, progress)
}

/// The first half of a sync: sends what the hub has not confirmed (taking
/// a new device id when another database uses this one) and learns which
/// of this kiosk's claims the hub holds.
pub fn upload(
    store: &mut Store,
    client: &HubClient,
    event_id: &str,
    kiosk_id: &str,
    device_id: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SyncError> {
    let hello = client.hello()?;
    if hello.event_id != event_id {
        return Err(SyncError::WrongEvent {
            hub: hello.event_id,
            ours: event_id.to_string(),
        });
    }
    let mut report = Report {
        device_id: device_id.to_string(),
        ..Report::default()
    };
    let state = client.device_for_upload(device_id)?;
    let written = store.highest_seq_written()?;
    let total = store.not_uploaded()?.max(0) as usize;
    let previous = store.meta("last_upload_result")?.unwrap_or_default();
    client.report(
        device_id,
        &client.standing(kiosk_id, total as i64, previous),
    );
    let steps = plan::before_upload(device_id, &state, &store.unconfirmed()?, written);
    for step in steps {
        match step {
            // Rejections the kiosk never heard (an answer cut off, a
            // bundle carried by hand) are learnt here: its own only.
            SyncStep::MarkRejected(rejected) => store.note_rejected(&rejected)?,
            SyncStep::Upload => upload_pages(
                store,
                client,
                event_id,
                kiosk_id,
                &mut report,
                total,
                progress,
            )?,
            SyncStep::NewDeviceIdAfterUpload { notice } => {
                // Nothing conflicted, but the next record would land on a
                // sequence number the hub holds for another database.
                if report.rekeyed.is_none() {
                    report.device_id = rekey(store, &notice, false)?;
                    report.rekeyed = Some(notice);
                }
            }
        }
    }
    // Held claims are counted from what the hub says now.
    let standing = client.device_after_upload(&report.device_id)?;
    store.note_rejected(&plan::ours(&standing.rejected, &store.unconfirmed()?))?;
    // A new device id: the old one's held claims are this kiosk's too.
    report.held = standing.held.len()
        + if report.rekeyed.is_some() {
            client.device_after_upload(device_id)?.held.len()
        } else {
            0
        };
    store.note_hub_standing(report.held, store.rejected_count()?.max(0) as usize)?;
    client.count_retries(&mut report);
    Ok(report)
}

/// Sends what the hub has not confirmed, a page at a time, and does what
/// [`plan::after_page`] makes of each answer: marks what was confirmed or
/// rejected, or takes a new device id and sends again under it.
fn upload_pages(
    store: &mut Store,
    client: &HubClient,
    event_id: &str,
    kiosk_id: &str,
    report: &mut Report,
    total: usize,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), SyncError> {
    loop {
        let reading = Instant::now();
        let records = store.outbox_unconfirmed(PAGE)?;
        if records.is_empty() {
            return Ok(());
        }
        let page: Vec<plan::Unconfirmed> = records
            .iter()
            .map(|r| plan::Unconfirmed {
                seq: r.seq,
                record_id: r.record_id.clone(),
                rejected: false,
            })
            .collect();
        let sent = Upload {
            event_id: event_id.to_string(),
            kiosk_id: kiosk_id.to_string(),
            records,
        };
        report.reading += reading.elapsed();
        let sending = Instant::now();
        let result = client.upload(&report.device_id, &sent)?;
        report.sending += sending.elapsed();
        match plan::after_page(&report.device_id, &page, &result, report.rekeyed.is_some())
            .map_err(SyncError::BadAnswer)?
        {
            PageOutcome::NewDeviceId { notice } => {
                report.device_id = rekey(store, &notice, true)?;
                report.rekeyed = Some(notice);
            }
            PageOutcome::Confirmed { seqs, rejected } => {
                store.confirm_sent(&seqs, &rejected)?;
                report.uploaded += result.inserted;
                report.repeated += result.repeated;
                report.rejected += rejected.len();
                report.high_seq = report.high_seq.max(result.high_seq);
                progress(Progress::Uploading {
                    done: report.uploaded + report.repeated,
                    total,
                });
            }
        }
    }
}

/// The second half of a sync: takes in what changed at the hub since the
/// kiosk last asked (other kiosks' records, the roster and catalog, door
/// scans), then tells the hub how the sync went.
pub fn download(
    store: &mut Store,
    client: &HubClient,
    kiosk_id: &str,
    mut report: Report,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SyncError> {
    let mut cursor = store.hub_cursor()?;
    let mut page = client.changes(cursor, &report.device_id)?;
    'feed: loop {
        let mut batch = Some(store.change_batch()?);
        let mut in_batch = 0;
        while batch.is_some() {
            if page.next < cursor {
                finish(batch)?;
                return Err(SyncError::BadAnswer(
                    "the change cursor went backwards".into(),
                ));
            }
            // The next page is asked for while this one is applied: the
            // hub's answer and the kiosk's writes take about as long each,
            // so a day's catch-up takes the longer of the two, not their
            // sum. The cursor moves only with a page applied, so a failure
            // loses nothing.
            let (next, more) = (page.next, page.more);
            let device_id = report.device_id.as_str();
            let (applied, ahead) = std::thread::scope(|s| {
                let ahead = more.then(|| s.spawn(|| client.changes(next, device_id)));
                let mut applied = batch
                    .as_mut()
                    .map_or(Ok(0), |b| b.apply(&page.changes, next));
                // The hub is slower than the writes (a slow network): the
                // batch ends once the next page is late by WAIT_IN_BATCH,
                // so the kiosk's own writes never wait long on the network.
                let late = Instant::now() + WAIT_IN_BATCH;
                let pending = || ahead.as_ref().is_some_and(|h| !h.is_finished());
                while pending() && Instant::now() < late {
                    std::thread::sleep(Duration::from_millis(2));
                }
                if applied.is_ok()
                    && pending()
                    && let Err(e) = finish(batch.take())
                {
                    applied = Err(e);
                }
                (applied, ahead.map(|h| h.join()))
            });
            let ahead = match ahead {
                None => None,
                Some(Ok(fetched)) => Some(fetched),
                Some(Err(panic)) => std::panic::resume_unwind(panic),
            };
            match applied {
                Ok(n) => report.downloaded += n,
                Err(e) => {
                    // The pages before this one are kept.
                    finish(batch)?;
                    return Err(e.into());
                }
            }
            cursor = next;
            in_batch += page.changes.len();
            progress(Progress::Downloading {
                done: report.downloaded,
            });
            // A batch ends after BATCH_CHANGES, at the feed's end, or when
            // the next page could not be fetched: what was applied is kept.
            match ahead {
                Some(Ok(fetched)) => {
                    if in_batch >= BATCH_CHANGES {
                        finish(batch.take())?;
                    }
                    page = fetched;
                }
                None => {
                    finish(batch)?;
                    break 'feed;
                }
                Some(Err(e)) => {
                    finish(batch)?;
                    return Err(e);
                }
            }
        }
    }
    let left = store.not_uploaded()?;
    let done = format!(
        "ok: uploaded {} records ({} already at the hub, {} rejected); downloaded {} changes",
        report.uploaded, report.repeated, report.rejected, report.downloaded
    );
    client.report(&report.device_id, &client.standing(kiosk_id, left, done));
    client.count_retries(&mut report);
    Ok(report)
}

impl HubClient {
    /// Moves the requests sent again so far into `report`.
    fn count_retries(&self, report: &mut Report) {
        use std::sync::atomic::Ordering::Relaxed;
        report.retries += self.retries.swap(0, Relaxed);
        report.timed_out += self.timed_out.swap(0, Relaxed);
    }

    /// This kiosk's report, with its clock read now.
    fn standing(&self, kiosk_id: &str, not_uploaded: i64, last_result: String) -> DeviceReport {
        DeviceReport {
            kiosk_id: kiosk_id.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            clock: jiff::Timestamp::now().to_string(),
            not_uploaded,
            last_result,
            interval_seconds: self.interval_seconds,
        }
    }
}

/// Takes a new device id for this database and says so in the log.
fn rekey(store: &mut Store, why: &str, carry_rejected: bool) -> Result<String, SyncError> {
    let new_id = crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom);
    let at = crate::store::now_text();
    let notice = format!("{at}: {why}; records from then on go as device {new_id}");
    tracing::warn!(%notice, "sync: new device id");
    store.rekey(&new_id, &notice, carry_rejected)?;
    Ok(new_id)
}
