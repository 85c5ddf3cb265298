//! The full-screen kiosk: the attendee flow of SPEC section 3.
//!
//! One thread reads the terminal and stamps each event on arrival; the loop
//! here feeds events to `App::update`, carries out the effects it returns
//! against the store, and redraws only when something changed. An idle
//! kiosk sleeps on the channel: no timer runs unless a deadline is due.
//! Keys wait in the `scanner` until their burst is over: a scan-like burst
//! is looked up the way a typed badge is (`Effect::Resolve`), anything
//! else goes to the app key by key.

pub mod app;
pub mod catalog;
pub mod hub_line;
pub mod msg;
pub mod scanner;
pub mod screens;
pub mod setup;
pub mod speaker;
pub mod speech;
mod staff_actions;
pub mod staff_exchange;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod uploader;
pub mod view;
pub mod visit;
pub mod widgets;

use std::io::stdout;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use anyhow::Result;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

use self::app::{App, Screen};
use self::catalog::SessionCatalog;
use self::msg::{CommitFailed, Effect, Msg};
use self::scanner::ScanDetector;
use self::setup::{AttendeeHistory, BadgeMatch, EventClock, KioskSetup};
use self::staff_exchange::{StaffReply, StaffRequest};
use crate::config::Config;
use crate::domain::badge;
use crate::domain::ids::OsRandom;
use crate::store::Store;

/// Builds what the kiosk needs in memory from the store.
pub fn context(
    config: Config,
    store: &Store,
    now: Option<jiff::civil::DateTime>,
) -> Result<KioskSetup> {
    let catalog = SessionCatalog::new(store.sessions()?, &config);
    let clock = match now {
        Some(dt) => EventClock::fixed(
            config.local_to_minutes(dt).map_err(anyhow::Error::msg)?,
            Instant::now(),
        ),
        None => EventClock::real(),
    };
    Ok(KioskSetup {
        config,
        catalog,
        clock,
    })
}

/// Looks a scan or a typed badge up: a staff badge, an attendee (with
/// their history), or nothing.
pub fn resolve(store: &Store, config: &Config, text: &str) -> Result<BadgeMatch> {
    for candidate in badge::candidates(text, config.badge_pattern.as_ref()) {
        if config.kiosk.staff_badges.contains(&candidate) {
            return Ok(BadgeMatch::Staff(candidate));
        }
        if let Some(attendee) = store.attendee(&candidate)? {
            let badge_id = attendee.badge_id.clone();
            return Ok(BadgeMatch::Attendee(Box::new(AttendeeHistory {
                attendee,
                claims: store.claims_of(&badge_id)?,
                answers: store.answers_of(&badge_id)?,
                profile: store.profile(&badge_id)?,
                scanned: store.scanned_into(&badge_id)?,
            })));
        }
    }
    tracing::info!(chars = text.chars().count(), "scan not recognised");
    Ok(BadgeMatch::Unknown)
}

/// What effects act on: the store, the uploader if there is one, and the
/// speaker if the kiosk has a voice.
pub struct Effectors<'a> {
    pub store: &'a mut Store,
    /// The background upload and staff's questions for the hub; none in
    /// tests that have no hub.
    pub hub: Option<&'a hub_line::HubLine>,
    pub speaker: Option<&'a speaker::Speaker>,
}

/// Carries out one effect and returns the messages that report its result.
pub fn perform(effect: Effect, io: &mut Effectors<'_>, config: &Config, at: Instant) -> Vec<Msg> {
    let store = &mut *io.store;
    match effect {
        Effect::Resolve(text) => vec![match resolve(store, config, &text) {
            Ok(found) => Msg::Resolved { found, at },
            Err(e) => {
                tracing::error!(error = %e, "badge look-up failed");
                Msg::Resolved {
                    found: BadgeMatch::Unknown,
                    at,
                }
            }
        }],
        Effect::Staff(request) => staff_actions::perform(request, store, config, io.hub, at),
        Effect::Probe => vec![Msg::Probed(store.probe_write().is_ok(), at)],
        // Speech and the terminal's font answer nothing: the speaker runs
        // beside the UI, and the terminal answers a font change with a
        // resize.
        Effect::Say { text, lang } => {
            if let Some(s) = io.speaker {
                s.say(text, lang);
            }
            vec![]
        }
        Effect::Hush => {
            if let Some(s) = io.speaker {
                s.hush();
            }
            vec![]
        }
        Effect::LargeText(on) => {
            terminal::large_text(on, config.kiosk.font_size);
            vec![]
        }
        Effect::Commit(visit) => {
            let result = store.commit_visit(&visit, &mut OsRandom);
            match &result {
                Ok(c) => tracing::info!(
                    badge = %visit.badge_id,
                    claims = visit.claims.len(),
                    certificate = %c.short_code,
                    "visit committed"
                ),
                Err(e) => tracing::error!(error = %e, "visit not committed"),
            }
            let result = result.map_err(|e| match e {
                // A rule that no longer holds: the attendee's records as
                // they are now go back with the reason.
                crate::store::StoreError::Rule(reason) => CommitFailed::Rule {
                    reason,
                    fresh: match resolve(store, config, &visit.badge_id) {
                        Ok(BadgeMatch::Attendee(a)) => Some(a),
                        _ => None,
                    },
                },
                other => CommitFailed::Storage(other.to_string()),
            });
            vec![Msg::Committed(result, at)]
        }
    }
}

/// Feeds a message to the app and carries out whatever follows from it.
fn step(app: &mut App, msg: Msg, io: &mut Effectors<'_>) {
    let mut queue = std::collections::VecDeque::from([msg]);
    while let Some(m) = queue.pop_front() {
        for effect in app.update(m) {
            queue.extend(perform(effect, io, &app.ctx.config, Instant::now()));
        }
    }
}

/// What arrives on the one channel into the loop.
enum Input {
    Term(Event, Instant),
    Hub(hub_line::HubNews),
}

/// Runs the kiosk on this terminal until staff quit.
pub fn run(ctx: KioskSetup, mut store: Store) -> Result<()> {
    let device_id = store.device_id(&mut OsRandom)?;
    let mut app = App::new(Arc::new(ctx), device_id, Instant::now());
    if staff_actions::is_locked(&store)? {
        app.update(Msg::Locked);
    }
    let (tx, rx) = mpsc::channel::<Input>();
    let sync_tx = tx.clone();
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if tx.send(Input::Term(ev, Instant::now())).is_err() {
                break;
            }
        }
    });
    let hub = hub_line::HubLine::start(
        &app.ctx.config,
        store.path().to_path_buf(),
        app.device_id.clone(),
        std::sync::Arc::new(move |n| sync_tx.send(Input::Hub(n)).is_ok()),
    );
    let mut terminal = ratatui::init();
    // Put the mouse back too if anything panics.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        hook(info);
    }));
    execute!(stdout(), EnableMouseCapture)?;
    let voice = speaker::Speaker::start(match &app.ctx.config.kiosk.speech_out {
        Some(dir) => speaker::Output::Folder(dir.clone()),
        None => speaker::Output::Service,
    });
    let mut io = Effectors {
        store: &mut store,
        hub: Some(&hub),
        speaker: Some(&voice),
    };
    let result = event_loop(&mut terminal, &mut app, &mut io, &rx);
    if app.large {
        terminal::large_text(false, app.ctx.config.kiosk.font_size);
    }
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    io: &mut Effectors<'_>,
    rx: &mpsc::Receiver<Input>,
) -> Result<()> {
    let size = terminal.size()?;
    app.update(Msg::Resized(size.width, size.height));
    let mut detector = ScanDetector::default();
    let mut hits = view::TapTargets::new();
    let mut dirty = true;
    let mut pending_catalog = false;
    loop {
        if dirty {
            terminal.draw(|f| hits = view::draw(app, f, Instant::now()))?;
            dirty = false;
        }
        let now = Instant::now();
        let deadline = [app.next_deadline(now), detector.deadline()]
            .into_iter()
            .flatten()
            .min();
        let received = match deadline {
            Some(d) => rx.recv_timeout(d.saturating_duration_since(now)),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(Input::Term(Event::Key(key), at)) => {
                match detector.key(key, at) {
                    Some(f) => end_burst(f, app, io),
                    // Nothing to draw until the burst is over.
                    None => continue,
                }
            }
            Ok(Input::Hub(hub_line::HubNews::Enrolled(result))) => {
                let now = Instant::now();
                let reply = match result {
                    Ok(c) => {
                        // The kiosk goes by the id it was enrolled as,
                        // uploads and signs with its own credentials.
                        let mut config = app.ctx.config.clone();
                        config.sync.hub_url = c.hub_url.clone();
                        config.enrol(
                            &c.kiosk_id,
                            crate::config::Enrolled {
                                token: c.token.clone(),
                                summary_key: c.summary_key,
                            },
                        );
                        if let Some(hub) = io.hub {
                            hub.restart_upload(&config);
                        }
                        app.ctx = Arc::new(KioskSetup {
                            config,
                            catalog: app.ctx.catalog.clone(),
                            clock: app.ctx.clock.clone(),
                        });
                        StaffReply::Done(app.words().enrolled_as(&c.kiosk_id))
                    }
                    Err(e) => StaffReply::Failed(app.words().enrol_failed(&e)),
                };
                step(app, Msg::Staff(reply, now), io);
                // The staff screen shows the kiosk as it now is.
                let config = app.ctx.config.clone();
                for m in perform(Effect::Staff(StaffRequest::Info), io, &config, now) {
                    step(app, m, io);
                }
            }
            Ok(Input::Hub(hub_line::HubNews::Answer(msg))) => step(app, msg, io),
            Ok(Input::Hub(hub_line::HubNews::Sync(event))) => {
                let refresh_catalog = matches!(event, uploader::SyncEvent::Finished { downloaded, .. } if downloaded > 0);
                step(app, Msg::Sync(event, Instant::now()), io);
                if refresh_catalog {
                    pending_catalog = true;
                }
            }
            Ok(Input::Term(Event::Mouse(m), at)) => {
                if let MouseEventKind::Down(MouseButton::Left) = m.kind {
                    let hit = hits
                        .iter()
                        .find(|(r, _)| r.contains((m.column, m.row).into()))
                        .map(|(_, h)| *h);
                    match hit {
                        Some(h) => step(app, Msg::TapTarget(h, at), io),
                        // A tap anywhere still counts as being there.
                        None => step(app, Msg::Touch(at), io),
                    }
                } else {
                    continue;
                }
            }
            Ok(Input::Term(Event::Resize(w, h), _)) => {
                app.update(Msg::Resized(w, h));
            }
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                if let Some(f) = detector.poll(now) {
                    end_burst(f, app, io);
                }
                step(app, Msg::Tick(now), io);
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if app.quit {
            return Ok(());
        }
        // New sessions from the hub join the catalog between attendees,
        // never under one (their selections index the catalog).
        if pending_catalog && app.visit.is_none() && matches!(app.screen, Screen::Scan(_)) {
            pending_catalog = false;
            match io.store.sessions() {
                Ok(rows) => {
                    let ctx = &app.ctx;
                    let catalog = catalog::SessionCatalog::new(rows, &ctx.config);
                    app.ctx = Arc::new(KioskSetup {
                        config: ctx.config.clone(),
                        catalog,
                        clock: ctx.clock.clone(),
                    });
                }
                Err(e) => tracing::error!(error = %e, "reloading the catalog"),
            }
        }
        dirty = true;
    }
}

/// A burst is over: a scan-like one is looked up as a badge (the app
/// hands its keys on as typed if it is none); anything else is keys as
/// typed.
fn end_burst(f: scanner::Finished, app: &mut App, io: &mut Effectors<'_>) {
    if f.scan_like {
        let at = f.last();
        let keys = f.keys.into_iter().map(|(k, _)| k).collect();
        step(
            app,
            Msg::Scanned {
                text: f.text,
                keys,
                at,
            },
            io,
        );
        return;
    }
    for (key, at) in f.keys {
        step(app, Msg::Key(key, at), io);
    }
}

#[cfg(test)]
mod tests;
