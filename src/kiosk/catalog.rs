//! The session catalog as the kiosk holds it in memory: event-local times
//! resolved to absolute spans once, titles cleaned for the screen, and a
//! search key for filtering as you type.

use std::collections::HashMap;

use jiff::civil::{Date, DateTime};

use crate::config::{Config, parse_local};
use crate::domain::credits::Span;
use crate::domain::{CodeSet, Quarters, sanitize};
use crate::records::SessionRow;

#[derive(Debug, Clone)]
pub struct CatalogSession {
    pub id: String,
    pub title: String,
    pub track: String,
    pub room: String,
    pub day: Date,
    pub start: DateTime,
    pub end: DateTime,
    pub span: Span,
    pub designated: Quarters,
    pub eligible: CodeSet,
    pub acpe_uan: String,
    /// Lower-cased title, track and room.
    search: String,
}

impl CatalogSession {
    pub fn matches(&self, filter_lower: &str) -> bool {
        filter_lower.is_empty() || self.search.contains(filter_lower)
    }
}

/// Sessions, newest day first and by start time within a day.
#[derive(Debug, Clone, Default)]
pub struct SessionCatalog {
    pub sessions: Vec<CatalogSession>,
    by_id: HashMap<String, usize>,
}

impl SessionCatalog {
    pub fn new(rows: Vec<SessionRow>, config: &Config) -> SessionCatalog {
        let mut sessions: Vec<CatalogSession> = rows
            .into_iter()
            .filter_map(|r| {
                // Rows were validated on import; a row that no longer parses
                // (say, the time zone changed) is left out rather than shown wrong.
                let start = parse_local(&r.starts_at).ok()?;
                let end = parse_local(&r.ends_at).ok()?;
                let span = Span {
                    start: config.local_to_minutes(start).ok()?,
                    end: config.local_to_minutes(end).ok()?,
                };
                let title = sanitize(&r.title);
                let track = sanitize(&r.track);
                let room = sanitize(&r.room);
                let search = format!("{title}\u{1f}{track}\u{1f}{room}").to_lowercase();
                Some(CatalogSession {
                    id: r.session_id,
                    title,
                    track,
                    room,
                    day: start.date(),
                    start,
                    end,
                    span,
                    designated: r.credits,
                    eligible: r.credit_types,
                    acpe_uan: r.acpe_uan,
                    search,
                })
            })
            .collect();
        sessions.sort_by(|a, b| {
            b.day
                .cmp(&a.day)
                .then(a.start.cmp(&b.start))
                .then(a.title.cmp(&b.title))
        });
        let by_id = sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        SessionCatalog { sessions, by_id }
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}
