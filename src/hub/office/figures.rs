//! The figures behind the CE office's overview and deadlines pages: every
//! learner's award by the certificate's rules, counted by credit type, and
//! the PARS and CPE Monitor records with the days left of their windows
//! and what was sent of them (the reports' own records), what the next
//! upload files hold, and the held records. They
//! read every claim, so they are worked out at most once per [`FRESH_FOR`],
//! in the background, and shared by every signed-in reader; a void made
//! on the pages starts that over.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use deadpool_postgres::Pool;
use tokio::sync::Mutex;

use crate::config::Config;
use crate::domain::{CreditCode, Quarters};
use crate::hub::db;
use crate::hub::reports::{self, Deadline};

/// How long the figures are served before they are worked out again.
pub const FRESH_FOR: Duration = Duration::from_secs(20);

/// One credit type's line on the overview.
#[derive(Debug, Clone)]
pub struct TypeLine {
    pub code: CreditCode,
    pub name: String,
    pub attendees: usize,
    pub credits: Quarters,
}

/// What the overview and the deadlines show, as of `at`.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Event-local time the figures were worked out, `HH:MM:SS`.
    pub at: String,
    pub with_credit: usize,
    pub by_type: Vec<TypeLine>,
    pub activity: db::Activity,
    /// PARS's records, soonest due first.
    pub pars: Vec<Deadline>,
    /// CPE Monitor's records, soonest due first.
    pub cpe: Vec<Deadline>,
    /// Every held claim and record not read, oldest first.
    pub held: Vec<db::HeldClaim>,
}

/// The figures last worked out, shared by the hub's handlers. Only the
/// very first reader waits for them; after that, figures older than
/// [`FRESH_FOR`] are worked out again in the background while readers get
/// the ones there are, so no page waits on a reading of every claim.
#[derive(Clone, Default)]
pub struct FiguresCache(Arc<CachedFigures>);

#[derive(Default)]
struct CachedFigures {
    figures: std::sync::Mutex<Option<(Instant, Arc<Figures>)>>,
    /// Held by the first reader, while there is nothing to serve yet.
    first: Mutex<()>,
    refreshing: AtomicBool,
}

impl FiguresCache {
    fn latest(&self) -> Option<(Instant, Arc<Figures>)> {
        self.0
            .figures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn store(&self, f: Arc<Figures>) {
        *self.0.figures.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), f));
    }

    pub async fn get(&self, pool: &Pool, config: &Config) -> anyhow::Result<Arc<Figures>> {
        if let Some((when, f)) = self.latest() {
            if when.elapsed() >= FRESH_FOR && !self.0.refreshing.swap(true, Ordering::SeqCst) {
                let (me, pool, config) = (self.clone(), pool.clone(), config.clone());
                tokio::spawn(async move {
                    match figures(&pool, &config).await {
                        Ok(f) => me.store(Arc::new(f)),
                        Err(e) => {
                            tracing::error!(error = %format!("{e:#}"), "the office's figures")
                        }
                    }
                    me.0.refreshing.store(false, Ordering::SeqCst);
                });
            }
            return Ok(f);
        }
        let _first = self.0.first.lock().await;
        if let Some((_, f)) = self.latest() {
            return Ok(f);
        }
        let f = Arc::new(figures(pool, config).await?);
        self.store(f.clone());
        Ok(f)
    }

    /// Marks the figures out of date (a void was made): the next reader
    /// starts working them out again.
    pub fn stale(&self) {
        if let Some((_, f)) = self.latest() {
            let past = Instant::now()
                .checked_sub(FRESH_FOR)
                .unwrap_or_else(Instant::now);
            *self.0.figures.lock().unwrap_or_else(|e| e.into_inner()) = Some((past, f));
        }
    }
}

/// The channel on which a hub process says the figures changed, so that
/// every process on the database starts its own over: a void made
/// through one hub is on the pages of all of them.
pub const CHANGED: &str = "cekiosk_office_figures";

impl FiguresCache {
    /// Marks the figures out of date here and in every other hub process
    /// on the database (PostgreSQL's NOTIFY; [`FiguresCache::follow`]
    /// hears it).
    pub async fn stale_everywhere(&self, pool: &Pool) {
        self.stale();
        let said = match pool.get().await {
            Ok(c) => c
                .batch_execute(&format!("NOTIFY {CHANGED}"))
                .await
                .map_err(anyhow::Error::from),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = said {
            tracing::warn!(error = %format!("{e:#}"), "telling the other hubs the figures changed");
        }
    }

    /// Listens, for as long as the hub runs, to what the other processes
    /// on the database say; after a lost connection (a database restart)
    /// it listens again, and starts the figures over, since what was said
    /// meanwhile went unheard.
    pub fn follow(&self, url: String) {
        let me = self.clone();
        db::follow(url, CHANGED, move || me.stale());
    }
}

async fn figures(pool: &Pool, config: &Config) -> anyhow::Result<Figures> {
    let learners = db::learners(pool).await?;
    let activity = db::activity(pool, &config.event.timezone).await?;
    let held = db::held_claims(pool).await?;
    let sent = db::standing_all(pool).await?;
    let now = jiff::Timestamp::now().to_zoned_datetime(config.tz.clone());
    let today = now.date();
    let mut by_type: Vec<TypeLine> = config
        .credits
        .iter()
        .map(|c| TypeLine {
            code: c.code,
            name: c.name.clone(),
            attendees: 0,
            credits: 0,
        })
        .collect();
    let mut with_credit = 0;
    for l in learners.values() {
        let award = l.award(config);
        if award.totals.iter().any(|(_, q)| *q > 0) {
            with_credit += 1;
        }
        for (code, q) in &award.totals {
            if let Some(t) = by_type.iter_mut().find(|t| t.code == *code)
                && *q > 0
            {
                t.attendees += 1;
                t.credits += *q;
            }
        }
    }
    let pars = reports::pars_records(config, &learners);
    let cpe = reports::cpe_records(config, &learners);
    let pars = reports::deadlines(pars, &sent, today);
    let cpe = reports::deadlines(cpe, &sent, today);
    Ok(Figures {
        at: now.strftime("%H:%M:%S").to_string(),
        with_credit,
        by_type,
        activity,
        pars,
        cpe,
        held,
    })
}
