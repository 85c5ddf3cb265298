//! The kiosk's state and its one update step. `update` is pure: it takes a
//! message (a key, a click, a tick, the result of a look-up or a commit)
//! and returns the effects for the runner to carry out. Screens never touch
//! the database; the runner does, and feeds results back as messages.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::catalog::Catalog;
use super::screens::{
    attest::AttestState,
    certificate::CertState,
    credit::CreditState,
    evaluation::EvalState,
    scan::ScanState,
    sessions::SessionsState,
    staff::{PinState, StaffReply, StaffRequest, StaffState},
};
use super::strings;
use crate::config::Config;
use crate::domain::credits::{
    Blocked, Choice, ClaimLine, Total, blocked, eligible_for, takes_acpe, totals,
};
use crate::domain::evaluation::{Answers, applicable};
use crate::domain::{CodeSet, CreditCode, Quarters};
use crate::store::{AttendeeRow, CertificateRow, ClaimRow, NewVisit, Profile};

/// Scans of the same badge closer together than this count once.
pub const SAME_BADGE_WINDOW: Duration = Duration::from_secs(2);
/// How long a notice (such as "badge not recognised") stays up.
pub const NOTICE_TIME: Duration = Duration::from_secs(6);
/// How often an out-of-service kiosk tries writing again.
pub const PROBE_EVERY: Duration = Duration::from_secs(10);
/// Smallest usable screen.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// The event clock: real time, or `--now` advancing with real time.
#[derive(Debug, Clone)]
pub struct EventClock {
    base: Option<i64>,
    started: Instant,
}

impl EventClock {
    pub fn real() -> Self {
        EventClock {
            base: None,
            started: Instant::now(),
        }
    }
    /// An event clock that reads `minutes` (absolute) at `started`.
    pub fn fixed(minutes: i64, started: Instant) -> Self {
        EventClock {
            base: Some(minutes),
            started,
        }
    }
    pub fn minutes_at(&self, at: Instant) -> i64 {
        match self.base {
            Some(b) => b + (at.saturating_duration_since(self.started).as_secs() / 60) as i64,
            None => jiff::Timestamp::now().as_second().div_euclid(60),
        }
    }
}

/// What does not change while the kiosk runs.
pub struct Ctx {
    pub config: Config,
    pub catalog: Catalog,
    pub clock: EventClock,
}

/// What the runner found for a scan or a typed badge.
#[derive(Debug, Clone)]
pub enum Found {
    Attendee(Box<AttendeeContext>),
    Staff(String),
    Unknown,
}

/// An attendee with their history, loaded when their badge is scanned.
#[derive(Debug, Clone)]
pub struct AttendeeContext {
    pub attendee: AttendeeRow,
    pub claims: Vec<ClaimRow>,
    pub answers: Answers,
    pub profile: Option<Profile>,
}

/// The attendee being served and everything chosen so far. Nothing of it
/// is written until Attest.
#[derive(Debug, Clone)]
pub struct Visit {
    pub attendee: AttendeeRow,
    /// Credit types the attendee's profession is offered.
    pub offered: CodeSet,
    pub profile: Profile,
    /// Claims from earlier visits: (catalog index, credits).
    pub prior: Vec<(usize, Quarters)>,
    pub prior_answers: Answers,
    /// This visit's selections: catalog index → claimed credits.
    pub selected: BTreeMap<usize, Quarters>,
    /// This visit's answers.
    pub answers: Answers,
}

impl Visit {
    pub fn new(ctx: &Ctx, found: AttendeeContext) -> Visit {
        let offered = ctx.config.codes_for(found.attendee.profession);
        let profile = match found.profile {
            Some(mut p) => {
                // Keep what was remembered, within what is offered now.
                p.codes = p.codes.iter().filter(|c| offered.contains(*c)).collect();
                if p.codes.is_empty() {
                    p.codes = default_codes(offered);
                }
                p
            }
            None => Profile {
                codes: default_codes(offered),
                ..Profile::default()
            },
        };
        let prior = found
            .claims
            .iter()
            .filter(|c| !c.voided)
            .filter_map(|c| Some((ctx.catalog.index_of(&c.session_id)?, c.credits)))
            .collect();
        Visit {
            attendee: found.attendee,
            offered,
            profile,
            prior,
            prior_answers: found.answers,
            selected: BTreeMap::new(),
            answers: Answers::new(),
        }
    }

    /// Takes the attendee's records as they are now (from another kiosk,
    /// a void), keeping this visit's choices and answers.
    pub fn refresh(&mut self, ctx: &Ctx, fresh: AttendeeContext) {
        let again = Visit::new(ctx, fresh);
        self.prior = again.prior;
        self.prior_answers = again.prior_answers;
    }

    /// Unselects what can no longer be selected; returns their titles.
    pub fn drop_blocked(&mut self, ctx: &Ctx, now_min: i64) -> Vec<String> {
        let blocked: Vec<usize> = self
            .selected
            .keys()
            .copied()
            .filter(|i| self.blocked(ctx, *i, now_min).is_some())
            .collect();
        blocked
            .into_iter()
            .filter_map(|i| {
                self.selected.remove(&i);
                Some(ctx.catalog.sessions.get(i)?.title.clone())
            })
            .collect()
    }

    pub fn is_prior(&self, idx: usize) -> bool {
        self.prior.iter().any(|(i, _)| *i == idx)
    }

    /// Whether the attendee records ACPE credit as a pharmacy technician.
    pub fn technician(&self) -> bool {
        self.profile.pharm_role.as_deref() == Some("technician")
    }

    /// A session as a claim line for this attendee, claimed for `claimed`.
    pub fn line(&self, ctx: &Ctx, idx: usize, claimed: Quarters) -> Option<ClaimLine> {
        let s = ctx.catalog.sessions.get(idx)?;
        Some(ClaimLine {
            span: s.span,
            designated: s.designated,
            claimed,
            eligible: eligible_for(s.eligible, &s.acpe_uan, self.technician()),
        })
    }

    /// Earlier claims first, in the order they were made, then this
    /// visit's: the order in which the rules let simultaneous ACPE
    /// sessions count.
    pub fn lines(&self, ctx: &Ctx) -> Vec<ClaimLine> {
        self.prior
            .iter()
            .copied()
            .chain(self.selected.iter().map(|(i, q)| (*i, *q)))
            .filter_map(|(i, q)| self.line(ctx, i, q))
            .collect()
    }

    /// Why the session at `idx` cannot be selected now, if it cannot.
    pub fn blocked(&self, ctx: &Ctx, idx: usize, now_min: i64) -> Option<Blocked> {
        let s = ctx.catalog.sessions.get(idx)?;
        let line = self.line(ctx, idx, s.designated)?;
        let others: Vec<ClaimLine> = self
            .prior
            .iter()
            .copied()
            .chain(self.selected.iter().map(|(i, q)| (*i, *q)))
            .filter(|(i, _)| *i != idx)
            .filter_map(|(i, q)| self.line(ctx, i, q))
            .collect();
        blocked(
            &Choice {
                line,
                listed: s.eligible,
                claimed_earlier: self.is_prior(idx),
                codes: self.profile.codes,
                others: &others,
            },
            now_min,
        )
    }

    /// Whether the session is claimed whole: no +/− (ACPE).
    pub fn whole(&self, ctx: &Ctx, idx: usize) -> bool {
        self.line(ctx, idx, 0)
            .is_some_and(|l| takes_acpe(self.profile.codes, l.eligible))
    }

    pub fn totals(&self, ctx: &Ctx) -> Vec<Total> {
        totals(
            self.profile.codes,
            &self.lines(ctx),
            ctx.config.event.max_credits,
        )
    }

    /// Earlier answers overlaid with this visit's.
    pub fn all_answers(&self) -> Answers {
        let mut all = self.prior_answers.clone();
        all.extend(self.answers.iter().map(|(k, v)| (k.clone(), v.clone())));
        all
    }

    pub fn display_name(&self) -> String {
        crate::domain::sanitize(
            format!("{} {}", self.attendee.first_name, self.attendee.last_name).trim(),
        )
    }

    fn to_commit(&self, ctx: &Ctx, device_id: &str) -> NewVisit {
        // An answer whose question no longer applies (a follow-up to an
        // answer since changed) is not stored.
        let applicable = applicable(
            &ctx.config.questions,
            &self.all_answers(),
            self.profile.codes,
        );
        let mut answers: Vec<(String, String)> = self
            .answers
            .iter()
            .filter(|(q, a)| !a.trim().is_empty() && applicable.contains_key(*q))
            .map(|(q, a)| (q.clone(), a.clone()))
            .collect();
        answers.sort();
        NewVisit {
            badge_id: self.attendee.badge_id.clone(),
            kiosk_id: ctx.config.kiosk.id.clone(),
            device_id: device_id.to_string(),
            profile: self.profile.clone(),
            claims: self
                .selected
                .iter()
                .filter_map(|(i, q)| Some((ctx.catalog.sessions.get(*i)?.id.clone(), *q)))
                .collect(),
            answers,
        }
    }
}

/// Everything offered except opt-in types (MOC), which the attendee chooses.
fn default_codes(offered: CodeSet) -> CodeSet {
    offered.iter().filter(|c| !c.is_opt_in()).collect()
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent, Instant),
    /// A click or tap on something drawn.
    Hit(Hit, Instant),
    /// A click or tap on nothing in particular: the attendee is still there.
    Touch(Instant),
    /// A scanner burst, already looked up.
    Scanned(Found, Instant),
    Resized(u16, u16),
    Tick(Instant),
    Resolved {
        found: Found,
        at: Instant,
    },
    Committed(Result<CertificateRow, CommitFailed>, Instant),
    /// The answer to a staff request.
    Staff(StaffReply, Instant),
    /// A walk-in was registered: start their claim.
    WalkedIn(Box<AttendeeContext>, Instant),
    /// A certificate to show again (staff reissue).
    Reissue(CertificateRow, Instant),
    /// The kiosk was locked by staff.
    Locked,
    /// News from the background upload.
    Sync(super::uploader::SyncEvent, Instant),
    /// Whether a write went through (out of service: is the disk back?).
    Probed(bool, Instant),
}

/// Why a visit was not written. Nothing was: the transaction rolled back.
#[derive(Debug, Clone)]
pub enum CommitFailed {
    /// A rule no longer holds (the session was claimed at another kiosk
    /// while this attendee answered the evaluation, a void came down):
    /// the attendee goes back to Sessions with the reason, the attendee's
    /// records as they are now, and their answers kept.
    Rule {
        reason: String,
        fresh: Option<Box<AttendeeContext>>,
    },
    /// The disk or the database failed: the kiosk is out of service.
    Storage(String),
}

impl From<&str> for CommitFailed {
    fn from(reason: &str) -> Self {
        CommitFailed::Storage(reason.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Look up what was scanned or typed.
    Resolve(String),
    /// Write the visit; answer with `Msg::Committed`.
    Commit(Box<NewVisit>),
    /// Try a write; answer with `Msg::Probed`.
    Probe,
    /// Something staff asked for; answer with `Msg::Staff` (and others).
    Staff(StaffRequest),
}

/// Something on screen that a click or tap can hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Action(Action),
    /// A list row (the screen knows what it means).
    Row(usize),
}

/// What a key or a button does. Screens list their commands as (key,
/// label, action) so the footer and the key handling never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Continue,
    Back,
    Up,
    Down,
    Toggle,
    More,
    Less,
    Choose(usize),
    NextField,
    /// Open staff mode (the PIN).
    Staff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Esc,
    Space,
    Up,
    Down,
    Tab,
    Plus,
    Minus,
    Digit(u8),
    Char(char),
    F12,
}

impl Key {
    pub fn matches(self, k: &KeyEvent) -> bool {
        match self {
            Key::Enter => k.code == KeyCode::Enter,
            Key::Esc => k.code == KeyCode::Esc,
            Key::Space => k.code == KeyCode::Char(' '),
            Key::Up => k.code == KeyCode::Up,
            Key::Down => k.code == KeyCode::Down,
            Key::Tab => matches!(k.code, KeyCode::Tab | KeyCode::BackTab),
            Key::Plus => matches!(k.code, KeyCode::Char('+') | KeyCode::Char('=')),
            Key::Minus => matches!(k.code, KeyCode::Char('-') | KeyCode::Char('_')),
            Key::Digit(d) => k.code == KeyCode::Char((b'0' + d) as char),
            Key::Char(c) => {
                k.code == KeyCode::Char(c) || k.code == KeyCode::Char(c.to_ascii_uppercase())
            }
            Key::F12 => k.code == KeyCode::F(12),
        }
    }
    pub fn label(self) -> String {
        match self {
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Space => "Space".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Tab => "Tab".into(),
            Key::Plus => "+".into(),
            Key::Minus => "−".into(),
            Key::Digit(d) => d.to_string(),
            Key::Char(c) => c.to_ascii_uppercase().to_string(),
            Key::F12 => "F12".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cmd {
    pub key: Key,
    pub label: String,
    pub action: Action,
    /// Shown as a button in the footer (digit choices are drawn as the
    /// screen's own buttons instead).
    pub in_footer: bool,
}

impl Cmd {
    pub fn new(key: Key, label: impl Into<String>, action: Action) -> Cmd {
        Cmd {
            key,
            label: label.into(),
            action,
            in_footer: true,
        }
    }
    pub fn hidden(mut self) -> Cmd {
        self.in_footer = false;
        self
    }
}

/// The result of a screen acting on a command or on typing.
#[derive(Debug)]
pub enum Step {
    Stay,
    Next,
    Back,
    Effect(Effect),
}

#[derive(Debug, Clone)]
pub enum Screen {
    Scan(ScanState),
    Welcome,
    Credit(CreditState),
    Sessions(SessionsState),
    Evaluation(EvalState),
    Attest(AttestState),
    Certificate(CertState),
    /// The kiosk cannot record claims (the disk is full, the database
    /// failed): it says so instead of failing in front of an attendee.
    OutOfService(String),
    /// Locked by staff: "out of service" until a staff PIN.
    Locked,
    StaffPin(PinState),
    Staff(Box<StaffState>),
}

impl Screen {
    pub fn name(&self) -> &'static str {
        match self {
            Screen::Scan(_) => "scan",
            Screen::Welcome => "welcome",
            Screen::Credit(_) => "credit",
            Screen::Sessions(_) => "sessions",
            Screen::Evaluation(_) => "evaluation",
            Screen::Attest(_) => "attest",
            Screen::Certificate(_) => "certificate",
            Screen::OutOfService(_) => "out-of-service",
            Screen::Locked => "locked",
            Screen::StaffPin(_) => "staff-pin",
            Screen::Staff(_) => "staff",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub until: Instant,
}

#[derive(Clone)]
pub struct App {
    pub ctx: Arc<Ctx>,
    pub device_id: String,
    pub screen: Screen,
    pub visit: Option<Visit>,
    pub last_input: Instant,
    /// When the "Still there?" countdown started, if it is running.
    pub warning_since: Option<Instant>,
    pub last_scan: Option<(String, Instant)>,
    pub notice: Option<Notice>,
    pub size: (u16, u16),
    /// Set when staff chose to quit the program.
    pub quit: bool,
    /// Out of service: when to try writing again.
    pub next_probe: Option<Instant>,
}

impl App {
    pub fn new(ctx: Arc<Ctx>, device_id: String, now: Instant) -> App {
        App {
            ctx,
            device_id,
            screen: Screen::Scan(ScanState::default()),
            visit: None,
            last_input: now,
            warning_since: None,
            last_scan: None,
            notice: None,
            size: (120, 33),
            quit: false,
            next_probe: None,
        }
    }

    fn idle_after(&self) -> Duration {
        Duration::from_secs(self.ctx.config.kiosk.idle_seconds)
    }

    fn warning_for(&self) -> Duration {
        Duration::from_secs(self.ctx.config.kiosk.warning_seconds)
    }

    /// Whether there is anything of an attendee on screen to protect.
    fn at_rest(&self) -> bool {
        matches!(&self.screen, Screen::Scan(s) if s.is_empty()) && self.notice.is_none()
    }

    /// The next moment the kiosk must wake up by itself, if any: the idle
    /// warning, a second of countdown, a notice to clear. None at rest, so
    /// an idle kiosk does not redraw.
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let notice = self.notice.as_ref().map(|n| n.until);
        let idle =
            if self.at_rest() || matches!(self.screen, Screen::OutOfService(_) | Screen::Locked) {
                None
            } else if let Some(since) = self.warning_since {
                // Wake each second to redraw the countdown.
                let elapsed = now.saturating_duration_since(since).as_secs();
                Some(since + Duration::from_secs(elapsed + 1))
            } else {
                Some(self.last_input + self.idle_after())
            };
        [notice, idle, self.next_probe].into_iter().flatten().min()
    }

    /// Seconds left on the countdown, if it is showing.
    pub fn countdown(&self, now: Instant) -> Option<u64> {
        let since = self.warning_since?;
        let left = self
            .warning_for()
            .saturating_sub(now.saturating_duration_since(since));
        Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }

    pub fn event_minutes(&self, at: Instant) -> i64 {
        self.ctx.clock.minutes_at(at)
    }

    /// The one update step.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Resized(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Msg::Tick(now) => {
                self.tick(now);
                match self.next_probe {
                    Some(t) if now >= t => {
                        self.next_probe = Some(now + PROBE_EVERY);
                        vec![Effect::Probe]
                    }
                    _ => vec![],
                }
            }
            Msg::Probed(ok, _) => {
                if ok && matches!(self.screen, Screen::OutOfService(_)) {
                    tracing::info!("writes go through again: back in service");
                    self.next_probe = None;
                    self.reset();
                }
                vec![]
            }
            Msg::Key(key, at) => self.on_key(key, at),
            Msg::Touch(at) => {
                self.touch(at);
                vec![]
            }
            Msg::Hit(hit, at) => {
                if self.touch(at) {
                    return vec![];
                }
                self.on_hit(hit, at)
            }
            Msg::Scanned(found, at) => {
                self.touch(at);
                self.on_resolved(found, at)
            }
            Msg::Resolved { found, at } => self.on_resolved(found, at),
            Msg::Committed(result, at) => {
                match result {
                    Ok(cert) => {
                        let url = self.ctx.config.certificate_url(&cert.certificate_id);
                        self.screen = Screen::Certificate(CertState {
                            url,
                            short_code: cert.short_code,
                        });
                        self.last_input = at;
                    }
                    Err(CommitFailed::Rule { reason, fresh }) => {
                        tracing::warn!(%reason, "commit refused by a rule; back to Sessions");
                        self.last_input = at;
                        self.on_rule_broken(fresh.map(|f| *f));
                    }
                    Err(CommitFailed::Storage(reason)) => {
                        // Nothing was written (the transaction rolled back);
                        // the attendee is told to use another kiosk.
                        tracing::error!(%reason, "commit failed");
                        self.visit = None;
                        self.screen = Screen::OutOfService(reason);
                        self.next_probe = Some(at + PROBE_EVERY);
                    }
                }
                vec![]
            }
            Msg::Staff(reply, at) => self.on_staff_reply(reply, at),
            Msg::WalkedIn(found, at) => {
                self.last_input = at;
                self.visit = Some(Visit::new(&self.ctx, *found));
                self.screen = Screen::Welcome;
                vec![]
            }
            Msg::Reissue(cert, at) => {
                self.last_input = at;
                self.visit = None;
                self.screen = Screen::Certificate(CertState {
                    url: self.ctx.config.certificate_url(&cert.certificate_id),
                    short_code: cert.short_code,
                });
                vec![]
            }
            Msg::Sync(event, _) => {
                // Only staff see upload state; their screen refreshes.
                if let Screen::Staff(s) = &mut self.screen {
                    match event {
                        super::uploader::SyncEvent::Started => {
                            s.info.last_upload = "uploading now…".into();
                        }
                        super::uploader::SyncEvent::Finished { .. } => {
                            return vec![Effect::Staff(StaffRequest::Info)];
                        }
                    }
                }
                vec![]
            }
            Msg::Locked => {
                self.visit = None;
                self.warning_since = None;
                self.screen = Screen::Locked;
                vec![]
            }
        }
    }

    /// Registers input. Returns true when the input only dismissed the
    /// idle warning and must not act.
    fn touch(&mut self, at: Instant) -> bool {
        self.last_input = at;
        self.warning_since.take().is_some()
    }

    fn tick(&mut self, now: Instant) {
        if self.notice.as_ref().is_some_and(|n| now >= n.until) {
            self.notice = None;
        }
        if self.at_rest() || matches!(self.screen, Screen::OutOfService(_) | Screen::Locked) {
            return;
        }
        if let Screen::StaffPin(p) = &self.screen
            && p.from_locked
        {
            // Walking away from the PIN of a locked kiosk keeps it locked.
            if now.saturating_duration_since(self.last_input) >= self.idle_after() {
                self.screen = Screen::Locked;
            }
            return;
        }
        if let Some(since) = self.warning_since {
            if now.saturating_duration_since(since) >= self.warning_for() {
                tracing::info!(
                    screen = self.screen.name(),
                    "idle: unfinished claim discarded"
                );
                self.reset();
            }
        } else if now.saturating_duration_since(self.last_input) >= self.idle_after() {
            if matches!(self.screen, Screen::Certificate(_) | Screen::Scan(_)) {
                // Nothing unfinished to lose: just clear the screen.
                self.reset();
            } else {
                self.warning_since = Some(now);
            }
        }
    }

    /// Back to Scan with nothing of the attendee kept.
    pub fn reset(&mut self) {
        self.visit = None;
        self.screen = Screen::Scan(ScanState::default());
        self.warning_since = None;
        self.notice = None;
    }

    fn on_key(&mut self, key: KeyEvent, at: Instant) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return vec![];
        }
        if self.touch(at) {
            return vec![];
        }
        // Ctrl+C, Ctrl+Z, Ctrl+\ and friends do nothing in attendee mode.
        if key.modifiers.contains(KeyModifiers::CONTROL)
            || key.modifiers.contains(KeyModifiers::ALT)
        {
            return vec![];
        }
        if self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1 {
            return vec![];
        }
        if Key::F12.matches(&key) && !matches!(self.screen, Screen::StaffPin(_) | Screen::Staff(_))
        {
            return self.act(Action::Staff, at);
        }
        let cmds = self.commands();
        if let Some(cmd) = cmds.iter().find(|c| c.key.matches(&key)) {
            return self.act(cmd.action, at);
        }
        let step = match (&mut self.screen, self.visit.as_mut()) {
            (Screen::Scan(s), _) => s.input(key),
            (Screen::Credit(s), Some(v)) => s.input(key, v),
            (Screen::Sessions(s), Some(v)) => {
                s.input(key, v, &self.ctx, self.ctx.clock.minutes_at(at))
            }
            (Screen::Evaluation(s), Some(v)) => s.input(key, v, &self.ctx),
            (Screen::StaffPin(s), _) => s.input(key),
            (Screen::Staff(s), _) => s.input(key),
            _ => Step::Stay,
        };
        self.apply(step, at)
    }

    fn on_hit(&mut self, hit: Hit, at: Instant) -> Vec<Effect> {
        match hit {
            Hit::Action(a) => self.act(a, at),
            Hit::Row(row) => {
                let now_min = self.event_minutes(at);
                let step = match (&mut self.screen, self.visit.as_mut()) {
                    (Screen::Credit(s), Some(v)) => s.click(row, v),
                    (Screen::Sessions(s), Some(v)) => s.click(row, v, &self.ctx, now_min),
                    (Screen::Evaluation(s), Some(v)) => s.act(Action::Choose(row), v, &self.ctx),
                    (Screen::Staff(s), _) => s.act(Action::Choose(row)),
                    _ => Step::Stay,
                };
                self.apply(step, at)
            }
        }
    }

    /// The commands of the screen showing now.
    pub fn commands(&self) -> Vec<Cmd> {
        match (&self.screen, self.visit.as_ref()) {
            (Screen::Scan(_), _) => vec![
                Cmd::new(Key::Enter, "Continue", Action::Continue),
                Cmd::new(Key::F12, "Staff", Action::Staff),
            ],
            (Screen::Locked, _) => vec![Cmd::new(Key::F12, "Staff", Action::Staff)],
            (Screen::StaffPin(s), _) => s.commands(),
            (Screen::Staff(s), _) => s.commands(),
            (Screen::Welcome, Some(_)) => vec![
                Cmd::new(Key::Enter, "Yes, that's me", Action::Continue),
                Cmd::new(Key::Esc, "Not me", Action::Back),
            ],
            (Screen::Credit(s), Some(v)) => s.commands(v),
            (Screen::Sessions(s), Some(_)) => s.commands(),
            (Screen::Evaluation(s), Some(v)) => s.commands(v, &self.ctx),
            (Screen::Attest(_), Some(_)) => vec![
                Cmd::new(
                    Key::Enter,
                    "I agree — issue my certificate",
                    Action::Continue,
                ),
                Cmd::new(Key::Esc, "Back", Action::Back),
            ],
            (Screen::Certificate(_), _) => vec![Cmd::new(Key::Enter, "Done", Action::Continue)],
            _ => vec![],
        }
    }

    fn act(&mut self, action: Action, at: Instant) -> Vec<Effect> {
        let now_min = self.event_minutes(at);
        if action == Action::Staff {
            let from_locked = matches!(self.screen, Screen::Locked);
            self.visit = None;
            self.notice = None;
            self.screen = Screen::StaffPin(PinState {
                from_locked,
                ..PinState::default()
            });
            return vec![];
        }
        let step = match (&mut self.screen, self.visit.as_mut()) {
            (Screen::StaffPin(s), _) => match s.act(action) {
                Step::Back if s.from_locked => {
                    self.screen = Screen::Locked;
                    Step::Stay
                }
                other => other,
            },
            (Screen::Staff(s), _) => s.act(action),
            (Screen::Scan(s), _) => s.act(action),
            (Screen::Welcome, Some(_)) => match action {
                Action::Continue => Step::Next,
                Action::Back => Step::Back,
                _ => Step::Stay,
            },
            (Screen::Credit(s), Some(v)) => s.act(action, v),
            (Screen::Sessions(s), Some(v)) => s.act(action, v, &self.ctx, now_min),
            (Screen::Evaluation(s), Some(v)) => s.act(action, v, &self.ctx),
            (Screen::Attest(_), Some(v)) => match action {
                Action::Continue => Step::Effect(Effect::Commit(Box::new(
                    v.to_commit(&self.ctx, &self.device_id),
                ))),
                Action::Back => Step::Back,
                _ => Step::Stay,
            },
            (Screen::Certificate(_), _) => match action {
                Action::Continue => {
                    self.reset();
                    Step::Stay
                }
                _ => Step::Stay,
            },
            _ => Step::Stay,
        };
        self.apply(step, at)
    }

    fn apply(&mut self, step: Step, at: Instant) -> Vec<Effect> {
        match step {
            Step::Stay => vec![],
            Step::Effect(e) => vec![e],
            Step::Next => {
                self.forward(at);
                vec![]
            }
            Step::Back => {
                self.backward();
                vec![]
            }
        }
    }

    /// Moves to the screen after the current one.
    fn forward(&mut self, at: Instant) {
        let Some(visit) = self.visit.as_ref() else {
            self.reset();
            return;
        };
        let now_min = self.event_minutes(at);
        self.screen = match &self.screen {
            Screen::Welcome => Screen::Credit(CreditState::new(visit)),
            Screen::Credit(_) => Screen::Sessions(SessionsState::new(visit, &self.ctx, now_min)),
            Screen::Sessions(_) => match EvalState::new(visit, &self.ctx) {
                Some(e) => Screen::Evaluation(e),
                None => Screen::Attest(AttestState),
            },
            Screen::Evaluation(_) => Screen::Attest(AttestState),
            _ => return,
        };
    }

    /// The attendee's records changed under the visit (a session claimed
    /// at another kiosk meanwhile, a void): back to Sessions with the
    /// records as they are now, the selections that still fit and every
    /// answer kept, and a word on what changed.
    fn on_rule_broken(&mut self, fresh: Option<AttendeeContext>) {
        let now_min = self.event_minutes(self.last_input);
        let Some(visit) = self.visit.as_mut() else {
            self.reset();
            return;
        };
        if let Some(fresh) = fresh {
            visit.refresh(&self.ctx, fresh);
        }
        let dropped = visit.drop_blocked(&self.ctx, now_min);
        let mut state = SessionsState::new(visit, &self.ctx, now_min);
        state.message = Some(strings::records_changed(&dropped));
        self.screen = Screen::Sessions(state);
    }

    fn backward(&mut self) {
        if matches!(self.screen, Screen::StaffPin(_) | Screen::Staff(_)) {
            self.reset();
            return;
        }
        let Some(visit) = self.visit.as_ref() else {
            self.reset();
            return;
        };
        let now_min = self.event_minutes(self.last_input);
        self.screen = match &self.screen {
            Screen::Welcome | Screen::StaffPin(_) | Screen::Staff(_) => {
                self.reset();
                return;
            }
            Screen::Credit(_) => Screen::Welcome,
            Screen::Sessions(_) => Screen::Credit(CreditState::new(visit)),
            Screen::Evaluation(_) => {
                Screen::Sessions(SessionsState::new(visit, &self.ctx, now_min))
            }
            Screen::Attest(_) => match EvalState::new(visit, &self.ctx) {
                Some(e) => Screen::Evaluation(e.at_last(visit, &self.ctx)),
                None => Screen::Sessions(SessionsState::new(visit, &self.ctx, now_min)),
            },
            _ => return,
        };
    }

    fn on_resolved(&mut self, found: Found, at: Instant) -> Vec<Effect> {
        match found {
            Found::Unknown => {
                // Nothing of the attempt stays on screen, and an attendee
                // mid-claim is not interrupted by a stray scan.
                if let Screen::Scan(_) = self.screen {
                    self.screen = Screen::Scan(ScanState::default());
                    self.notice = Some(Notice {
                        text: strings::BADGE_UNKNOWN.to_string(),
                        until: at + NOTICE_TIME,
                    });
                }
            }
            Found::Staff(_) => {
                if !matches!(self.screen, Screen::StaffPin(_) | Screen::Staff(_)) {
                    return self.act(Action::Staff, at);
                }
            }
            Found::Attendee(ctx) if matches!(self.screen, Screen::Staff(_)) => {
                // A badge scanned in staff mode opens that attendee.
                return vec![Effect::Staff(StaffRequest::Attendee(
                    ctx.attendee.badge_id.clone(),
                ))];
            }
            Found::Attendee(_) if matches!(self.screen, Screen::Locked | Screen::StaffPin(_)) => {}
            Found::Attendee(ctx) => {
                let badge = ctx.attendee.badge_id.clone();
                let repeat = self.last_scan.as_ref().is_some_and(|(b, t)| {
                    *b == badge && at.saturating_duration_since(*t) < SAME_BADGE_WINDOW
                });
                self.last_scan = Some((badge.clone(), at));
                let same_person = self
                    .visit
                    .as_ref()
                    .is_some_and(|v| v.attendee.badge_id == badge);
                if repeat || (same_person && !matches!(self.screen, Screen::Certificate(_))) {
                    return vec![];
                }
                self.notice = None;
                self.warning_since = None;
                self.visit = Some(Visit::new(&self.ctx, *ctx));
                self.screen = Screen::Welcome;
            }
        }
        vec![]
    }
}

impl App {
    fn on_staff_reply(&mut self, reply: StaffReply, at: Instant) -> Vec<Effect> {
        self.last_input = at;
        match (&mut self.screen, reply) {
            (Screen::StaffPin(p), StaffReply::PinOk) => {
                let unlock = p.from_locked;
                self.screen = Screen::Staff(Box::default());
                let mut effects = vec![Effect::Staff(StaffRequest::Info)];
                if unlock {
                    effects.insert(0, Effect::Staff(StaffRequest::Unlock));
                }
                effects
            }
            (Screen::StaffPin(p), StaffReply::PinWrong { left }) => {
                p.checking = false;
                p.message = Some(format!(
                    "Wrong PIN. {left} more wrong PIN{} and staff mode locks for 5 minutes.",
                    if left == 1 { "" } else { "s" }
                ));
                vec![]
            }
            (Screen::StaffPin(p), StaffReply::PinLocked { until }) => {
                p.checking = false;
                p.message = Some(format!(
                    "Staff mode is locked after 5 wrong PINs. Try again after {until}."
                ));
                vec![]
            }
            (Screen::Staff(_), StaffReply::Quit) => {
                self.quit = true;
                vec![]
            }
            (Screen::Staff(s), reply) => {
                let refresh = matches!(reply, StaffReply::Done(_));
                s.reply(reply);
                if refresh {
                    vec![Effect::Staff(StaffRequest::Info)]
                } else {
                    vec![]
                }
            }
            _ => vec![],
        }
    }
}

/// Credit codes for display, in the activity's order.
pub fn code_name(ctx: &Ctx, code: CreditCode) -> String {
    ctx.config
        .credit(code)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| code.to_string())
}
