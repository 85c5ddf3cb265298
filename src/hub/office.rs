//! The figures behind the CE office's overview and deadlines pages: every
//! learner's award by the certificate's rules, counted by credit type, and
//! the PARS and CPE Monitor records with the days left of their windows
//! (the same rules and dates as the reports). Worked out at most once per
//! [`FRESH_FOR`] and shared by every signed-in reader, since it reads every
//! claim; a void made on the pages starts it over at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use deadpool_postgres::Pool;
use tokio::sync::Mutex;

use super::db;
use super::reports::{self, CPE_DEADLINE_DAYS, PARS_DEADLINE_DAYS};
use crate::config::Config;
use crate::domain::{CreditCode, Quarters};

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

/// A record that must reach its receiving system by a date.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub badge_id: String,
    pub name: String,
    /// The UAN (CPE Monitor) or the points (PARS).
    pub what: String,
    /// The date the window runs from.
    pub from: jiff::civil::Date,
    pub due: jiff::civil::Date,
    pub days_left: i64,
}

/// What the overview and the deadlines show, as of `at`.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Event-local time the figures were worked out, `HH:MM:SS`.
    pub at: String,
    pub with_credit: usize,
    pub by_type: Vec<TypeLine>,
    pub activity: db::Activity,
    /// Soonest first.
    pub pars: Vec<Deadline>,
    /// Soonest first.
    pub cpe: Vec<Deadline>,
}

/// The figures last worked out, shared by the hub's handlers.
#[derive(Default)]
pub struct FiguresCache(Mutex<Option<(Instant, Arc<Figures>)>>);

impl FiguresCache {
    /// The figures, worked out again when older than [`FRESH_FOR`]. Readers
    /// arriving meanwhile wait for that one reading, not a reading each.
    pub async fn get(&self, pool: &Pool, config: &Config) -> anyhow::Result<Arc<Figures>> {
        let mut held = self.0.lock().await;
        if let Some((when, f)) = held.as_ref()
            && when.elapsed() < FRESH_FOR
        {
            return Ok(f.clone());
        }
        let f = Arc::new(figures(pool, config).await?);
        *held = Some((Instant::now(), f.clone()));
        Ok(f)
    }

    /// Forgets the figures: the next reader works them out.
    pub async fn clear(&self) {
        *self.0.lock().await = None;
    }
}

async fn figures(pool: &Pool, config: &Config) -> anyhow::Result<Figures> {
    let learners = db::learners(pool).await?;
    let activity = db::activity(pool, &config.event.timezone).await?;
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
    let (mut pars, mut cpe) = (Vec::new(), Vec::new());
    let mut with_credit = 0;
    for (badge, l) in &learners {
        let award = l.award(config);
        let name = l
            .attendee
            .as_ref()
            .map(|a| format!("{} {}", a.first_name, a.last_name))
            .unwrap_or_default();
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
        let deadline = |what: String, from: jiff::civil::Date, window: i64| Deadline {
            badge_id: badge.clone(),
            name: name.clone(),
            what,
            from,
            due: from
                .checked_add(jiff::Span::new().days(window))
                .unwrap_or(from),
            days_left: reports::days_left(from, today, window),
        };
        let moc = award.get(CreditCode::MOC);
        if award.codes.contains(CreditCode::MOC)
            && moc > 0
            && let Some(done) = reports::pars_completed(config, l, &award)
        {
            let what = format!("{} MOC points", crate::domain::format_quarters(moc));
            pars.push(deadline(what, done, PARS_DEADLINE_DAYS));
        }
        if l.epid.is_some() && award.codes.contains(CreditCode::ACPE) {
            for u in &award.uans {
                if let Ok(d) = u.date.parse::<jiff::civil::Date>() {
                    cpe.push(deadline(u.uan.clone(), d, CPE_DEADLINE_DAYS));
                }
            }
        }
    }
    let soonest = |v: &mut Vec<Deadline>| {
        v.sort_by(|a, b| {
            (a.days_left, &a.badge_id, &a.what).cmp(&(b.days_left, &b.badge_id, &b.what))
        })
    };
    soonest(&mut pars);
    soonest(&mut cpe);
    Ok(Figures {
        at: now.strftime("%H:%M:%S").to_string(),
        with_credit,
        by_type,
        activity,
        pars,
        cpe,
    })
}
