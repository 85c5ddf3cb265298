//! The kiosk's state and its one update step. `update` is pure: it takes a
//! message (a key, a click, a tick, the result of a look-up or a commit)
//! and returns the effects for the runner to carry out. The app routes
//! input to the screen showing now and moves between screens; what a
//! screen's keys do is the screen's own (`screens`). Screens never touch
//! the database; the runner does, and feeds results back as messages.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyEvent, KeyEventKind, KeyModifiers};

use super::screens::attest::{self, AttestState, Committed};
use super::screens::certificate::CertState;
use super::screens::credit::CreditState;
use super::screens::evaluation::EvalState;
use super::screens::out_of_service::{LockedState, OutOfServiceState};
use super::screens::scan::ScanState;
use super::screens::sessions::SessionsState;
use super::screens::staff_mode::PinState;
use super::screens::welcome::WelcomeState;
use super::screens::{ActArgs, DrawArgs};
use super::speech::{self, Said};
use super::staff_exchange::{StaffReply, StaffRequest};
use super::strings::Words;
use crate::domain::lang::Lang;

// Re-exported so that `kiosk::app::…` paths (the benches use them) keep
// working; the types live in their own modules.
pub use super::msg::{CommitFailed, Effect, Intent, Key, KeyCommand, Msg, TapTarget, Transition};
pub use super::screens::Screen;
pub use super::screens::scan::Notice;
pub use super::setup::{AttendeeHistory, BadgeMatch, EventClock, KioskSetup, code_name};
pub use super::visit::Visit;

/// Scans of the same badge closer together than this count once.
pub const SAME_BADGE_WINDOW: Duration = Duration::from_secs(2);
/// How long a notice (such as "badge not recognised") stays up.
pub const NOTICE_TIME: Duration = Duration::from_secs(6);
/// How often an out-of-service kiosk tries writing again.
pub const PROBE_EVERY: Duration = Duration::from_secs(10);
/// Smallest usable screen.
pub const MIN_SIZE: (u16, u16) = (80, 24);
/// Smallest usable screen with large text on: twice the font on the
/// screen that gives 120×33 leaves about 60×16 (the certificate's QR, in
/// sextants, needs 15 rows).
pub const LARGE_MIN_SIZE: (u16, u16) = (50, 15);

/// Everything the kiosk holds: the screen, the attendee being served,
/// and the timers around them.
#[derive(Clone)]
pub struct App {
    pub ctx: Arc<KioskSetup>,
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
    /// The language of the screen: the attendee's choice, else the
    /// kiosk's default (the first of `[kiosk] languages`).
    pub lang: Lang,
    /// Speech on (F3): the attendee's, off again for the next.
    pub speech: bool,
    /// Large text on (F5): the attendee's, off again for the next.
    pub large: bool,
    /// The screen as it was last spoken, to say only what changed.
    pub said: Option<Said>,
    /// The last thing said, for F4.
    pub last_said: Option<String>,
    /// The keys of a scan being looked up: handed on as typed if it is no
    /// badge and the screen is not Scan (a fast typist, a paste).
    pub scan_keys: Vec<KeyEvent>,
}

impl App {
    pub fn new(ctx: Arc<KioskSetup>, device_id: String, now: Instant) -> App {
        App {
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
            lang: ctx.config.default_lang(),
            speech: false,
            large: false,
            said: None,
            last_said: None,
            scan_keys: Vec::new(),
            ctx,
        }
    }

    /// The smallest screen the kiosk works on now.
    pub fn min_size(&self) -> (u16, u16) {
        if self.large { LARGE_MIN_SIZE } else { MIN_SIZE }
    }

    /// Speech and large text go with the attendee: off, at the default
    /// rate and volume, for whoever comes next.
    fn forget_settings(&mut self) {
        self.speech = false;
        self.large = false;
        self.said = None;
        self.last_said = None;
    }

    /// The kiosk's default language, which every attendee starts in.
    pub fn default_lang(&self) -> Lang {
        self.ctx.config.default_lang()
    }

    /// The words of the language on screen.
    pub fn words(&self) -> Words {
        Words::new(self.lang)
    }

    /// Chooses the `n`th offered language (wrapping), for this attendee.
    fn choose_language(&mut self, n: usize) {
        let offered = &self.ctx.config.languages;
        if let Some(l) = offered.get(n % offered.len().max(1)) {
            self.lang = *l;
        }
    }

    /// Moves to the next offered language.
    fn next_language(&mut self) {
        let offered = &self.ctx.config.languages;
        let at = offered.iter().position(|l| *l == self.lang).unwrap_or(0);
        self.choose_language(at + 1);
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
        let idle = if self.at_rest()
            || matches!(self.screen, Screen::OutOfService(_) | Screen::Locked(_))
        {
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

    /// What the screens are given to list commands and draw.
    pub fn view_ctx(&self) -> DrawArgs<'_> {
        DrawArgs {
            ctx: &self.ctx,
            words: self.words(),
            visit: self.visit.as_ref(),
            notice: self.notice.as_ref(),
            speech: self.speech,
            large: self.large,
        }
    }

    /// The screen showing now, and what it is given to act at `at`.
    fn screen_and_ctx(&mut self, at: Instant) -> (&mut Screen, ActArgs<'_>) {
        let cx = ActArgs {
            ctx: &self.ctx,
            words: Words::new(self.lang),
            now_min: self.ctx.clock.minutes_at(at),
            visit: self.visit.as_mut(),
            device_id: &self.device_id,
        };
        (&mut self.screen, cx)
    }

    /// The commands of the screen showing now.
    pub fn commands(&self) -> Vec<KeyCommand> {
        self.screen.component().commands(&self.view_ctx())
    }

    /// The heading of the screen showing now.
    pub fn heading(&self) -> String {
        self.screen.component().heading(&self.view_ctx())
    }

    /// The one update step.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let pressed = matches!(msg, Msg::Key(..) | Msg::TapTarget(..));
        let typed_before = self.typed_id();
        let (speech_before, large_before) = (self.speech, self.large);
        let mut effects = self.step(msg);
        if self.large != large_before {
            effects.push(Effect::LargeText(self.large));
        }
        let saying = effects.iter().any(|e| matches!(e, Effect::Say { .. }));
        if self.speech {
            let echo = typed_char(typed_before.as_deref(), self.typed_id().as_deref());
            if let Some(mut text) = self.what_changed(echo) {
                let on = self.words().speech_status(true);
                if !speech_before && !text.contains(&on) {
                    text = format!("{on} {text}");
                }
                effects.push(self.say(text));
            } else if pressed && !saying {
                // A key cuts off what was being said.
                effects.push(Effect::Hush);
            }
        } else if speech_before && !saying {
            effects.push(Effect::Hush);
        }
        effects
    }

    /// The ID being typed on the screen showing now, if any.
    fn typed_id(&self) -> Option<String> {
        self.screen.component().typed_id(&self.view_ctx())
    }

    /// What to say after this step, from the screen as it is now against
    /// the screen as last spoken; remembers the screen as spoken.
    fn what_changed(&mut self, echo: Option<String>) -> Option<String> {
        if self.staff_screen() {
            return None;
        }
        let cx = self.view_ctx();
        let component = self.screen.component();
        let mut spoken = component.speech(&cx);
        spoken.echo = echo;
        if self.warning_since.is_some() {
            spoken.message = Some(self.words().idle_warning());
        }
        let now = Said {
            screen: self.screen.name(),
            heading: component.heading(&cx),
            spoken,
        };
        let commands = component.commands(&cx);
        let text = speech::what_changed(cx.words, self.said.as_ref(), &now, &commands);
        self.said = Some(now);
        text
    }

    /// Says `text` in the attendee's language, and keeps it for F4.
    fn say(&mut self, text: String) -> Effect {
        self.last_said = Some(text.clone());
        Effect::Say {
            text,
            lang: self.lang,
        }
    }

    fn step(&mut self, msg: Msg) -> Vec<Effect> {
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
            Msg::TapTarget(hit, at) => {
                if self.touch(at) {
                    return vec![];
                }
                self.on_hit(hit, at)
            }
            Msg::Scanned { text, keys, at } => {
                // A scan is someone at the kiosk, like a key.
                self.touch(at);
                self.scan_keys = keys;
                vec![Effect::Resolve(text)]
            }
            Msg::Resolved { found, at } => {
                let keys = std::mem::take(&mut self.scan_keys);
                if matches!(found, BadgeMatch::Unknown) && !matches!(self.screen, Screen::Scan(_)) {
                    // No badge: keys typed fast, handed on as typed.
                    return keys.into_iter().flat_map(|k| self.on_key(k, at)).collect();
                }
                self.touch(at);
                self.on_resolved(found, at)
            }
            Msg::Committed(result, at) => {
                let (_, mut cx) = self.screen_and_ctx(at);
                match attest::committed(result, &mut cx) {
                    Committed::Certificate(cert) => {
                        self.screen = Screen::Certificate(cert);
                        self.last_input = at;
                    }
                    Committed::Sessions(state) => {
                        self.last_input = at;
                        self.screen = Screen::Sessions(state);
                    }
                    Committed::Reset => {
                        self.last_input = at;
                        self.reset();
                    }
                    Committed::OutOfService(reason) => {
                        self.forget_settings();
                        self.lang = self.default_lang();
                        self.visit = None;
                        self.screen = Screen::OutOfService(OutOfServiceState { reason });
                        self.next_probe = Some(at + PROBE_EVERY);
                    }
                }
                vec![]
            }
            Msg::Staff(reply, at) => self.on_staff_reply(reply, at),
            Msg::WalkedIn(found, at) => {
                self.last_input = at;
                self.visit = Some(Visit::new(&self.ctx, *found));
                self.screen = Screen::Welcome(WelcomeState);
                vec![]
            }
            Msg::Reissue(cert, at) => {
                self.last_input = at;
                self.visit = None;
                self.screen = Screen::Certificate(CertState::new(&self.ctx, cert));
                vec![]
            }
            Msg::Sync(event, _) => match &mut self.screen {
                // Only staff see upload state; their screen refreshes.
                Screen::Staff(s) => s.on_sync(Words::new(self.lang), &event),
                _ => vec![],
            },
            Msg::Locked => {
                self.forget_settings();
                self.lang = self.default_lang();
                self.visit = None;
                self.warning_since = None;
                self.screen = Screen::Locked(LockedState);
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
        if self.at_rest() || matches!(self.screen, Screen::OutOfService(_) | Screen::Locked(_)) {
            return;
        }
        if let Screen::StaffPin(p) = &self.screen
            && p.from_locked
        {
            // Walking away from the PIN of a locked kiosk keeps it locked.
            if now.saturating_duration_since(self.last_input) >= self.idle_after() {
                self.screen = Screen::Locked(LockedState);
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

    /// Back to Scan with nothing of the attendee kept, in the default
    /// language.
    pub fn reset(&mut self) {
        self.forget_settings();
        self.lang = self.default_lang();
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
        let global = [
            (Key::F3, Intent::Speech),
            (Key::F4, Intent::Repeat),
            (Key::F5, Intent::LargeText),
        ];
        if let Some((_, action)) = global.iter().find(|(k, _)| k.matches(&key))
            && !self.staff_screen()
        {
            // Large text works whatever the size: it is how a screen too
            // small for the normal layout gets one.
            return self.act(*action, at);
        }
        let min = self.min_size();
        if self.size.0 < min.0 || self.size.1 < min.1 {
            return vec![];
        }
        if Key::F12.matches(&key) && !matches!(self.screen, Screen::StaffPin(_) | Screen::Staff(_))
        {
            return self.act(Intent::Staff, at);
        }
        if Key::F2.matches(&key) && self.attendee_screen() {
            return self.act(Intent::NextLanguage, at);
        }
        let cmds = self.commands();
        if let Some(cmd) = cmds.iter().find(|c| c.key.matches(&key)) {
            return self.act(cmd.action, at);
        }
        let (screen, mut cx) = self.screen_and_ctx(at);
        let step = screen.component_mut().input(key, &mut cx);
        self.apply(step, at)
    }

    fn on_hit(&mut self, hit: TapTarget, at: Instant) -> Vec<Effect> {
        match hit {
            TapTarget::Intent(a) => self.act(a, at),
            TapTarget::Row(row) => {
                let (screen, mut cx) = self.screen_and_ctx(at);
                let step = screen.component_mut().click(row, &mut cx);
                self.apply(step, at)
            }
        }
    }

    /// Staff's screens: nothing of them is spoken (a PIN never), and F3 to
    /// F5 are the attendee's.
    fn staff_screen(&self) -> bool {
        matches!(self.screen, Screen::StaffPin(_) | Screen::Staff(_))
    }

    /// Whether an attendee may be at the screen (not staff's, not a
    /// locked or broken kiosk): where the language can be changed.
    fn attendee_screen(&self) -> bool {
        !matches!(
            self.screen,
            Screen::StaffPin(_) | Screen::Staff(_) | Screen::Locked(_) | Screen::OutOfService(_)
        )
    }

    fn act(&mut self, action: Intent, at: Instant) -> Vec<Effect> {
        match action {
            Intent::NextLanguage if self.attendee_screen() => {
                self.next_language();
                return vec![];
            }
            Intent::Language(n) if self.attendee_screen() => {
                self.choose_language(n);
                return vec![];
            }
            Intent::NextLanguage | Intent::Language(_) => return vec![],
            Intent::Speech => {
                self.speech = !self.speech;
                self.said = None;
                return if self.speech {
                    // The whole screen follows, after the step.
                    self.last_said = None;
                    vec![]
                } else {
                    vec![self.say(self.words().speech_off())]
                };
            }
            Intent::Repeat => {
                return match (&self.last_said, self.speech) {
                    (Some(text), true) => {
                        let text = text.clone();
                        vec![self.say(text)]
                    }
                    _ => vec![],
                };
            }
            Intent::LargeText => {
                self.large = !self.large;
                return if self.speech {
                    vec![self.say(self.words().large_status(self.large))]
                } else {
                    vec![]
                };
            }
            _ => {}
        }
        if action == Intent::Staff {
            // Staff read the kiosk's own language; the attendee's speech
            // and large text go with them.
            self.forget_settings();
            self.lang = self.default_lang();
            let from_locked = matches!(self.screen, Screen::Locked(_));
            self.visit = None;
            self.notice = None;
            self.screen = Screen::StaffPin(PinState {
                from_locked,
                ..PinState::default()
            });
            return vec![];
        }
        let (screen, mut cx) = self.screen_and_ctx(at);
        let step = screen.component_mut().act(action, &mut cx);
        self.apply(step, at)
    }

    fn apply(&mut self, step: Transition, at: Instant) -> Vec<Effect> {
        match step {
            Transition::Stay => vec![],
            Transition::Effect(e) => vec![e],
            Transition::Next => {
                self.forward(at);
                vec![]
            }
            Transition::Back => {
                self.backward();
                vec![]
            }
            Transition::Reset => {
                self.reset();
                vec![]
            }
        }
    }

    /// Moves to the screen after the current one.
    fn forward(&mut self, at: Instant) {
        if self.visit.is_none() {
            self.reset();
            return;
        }
        let now_min = self.event_minutes(at);
        if let (Screen::Credit(_), Some(visit)) = (&self.screen, self.visit.as_mut()) {
            // The sessions scanned at the door arrive ticked (once a visit).
            visit.tick_scanned(&self.ctx, now_min);
        }
        let Some(visit) = self.visit.as_ref() else {
            return;
        };
        self.screen = match &self.screen {
            Screen::Welcome(_) => Screen::Credit(CreditState::new(visit)),
            Screen::Credit(_) => Screen::Sessions(SessionsState::new(visit, &self.ctx, now_min)),
            Screen::Sessions(_) => match EvalState::new(visit, &self.ctx) {
                Some(e) => Screen::Evaluation(e),
                None => Screen::Attest(AttestState),
            },
            Screen::Evaluation(_) => Screen::Attest(AttestState),
            _ => return,
        };
    }

    fn backward(&mut self) {
        match &self.screen {
            // Leaving the PIN of a locked kiosk keeps it locked.
            Screen::StaffPin(p) if p.from_locked => {
                self.screen = Screen::Locked(LockedState);
                return;
            }
            Screen::StaffPin(_) | Screen::Staff(_) => {
                self.reset();
                return;
            }
            _ => {}
        }
        let Some(visit) = self.visit.as_ref() else {
            self.reset();
            return;
        };
        let now_min = self.event_minutes(self.last_input);
        self.screen = match &self.screen {
            Screen::Welcome(_) => {
                self.reset();
                return;
            }
            Screen::Credit(_) => Screen::Welcome(WelcomeState),
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

    fn on_resolved(&mut self, found: BadgeMatch, at: Instant) -> Vec<Effect> {
        match found {
            BadgeMatch::Unknown => {
                // Nothing of the attempt stays on screen, and an attendee
                // mid-claim is not interrupted by a stray scan.
                if let Screen::Scan(_) = self.screen {
                    self.screen = Screen::Scan(ScanState::default());
                    self.notice = Some(Notice {
                        text: self.words().badge_unknown(),
                        until: at + NOTICE_TIME,
                    });
                }
            }
            BadgeMatch::Staff(_) => {
                if !matches!(self.screen, Screen::StaffPin(_) | Screen::Staff(_)) {
                    return self.act(Intent::Staff, at);
                }
            }
            BadgeMatch::Attendee(ctx) if matches!(self.screen, Screen::Staff(_)) => {
                // A badge scanned in staff mode opens that attendee.
                return vec![Effect::Staff(StaffRequest::Attendee(
                    ctx.attendee.badge_id.clone(),
                ))];
            }
            BadgeMatch::Attendee(_)
                if matches!(self.screen, Screen::Locked(_) | Screen::StaffPin(_)) => {}
            BadgeMatch::Attendee(ctx) => {
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
                self.screen = Screen::Welcome(WelcomeState);
            }
        }
        vec![]
    }
}

impl App {
    fn on_staff_reply(&mut self, reply: StaffReply, at: Instant) -> Vec<Effect> {
        self.last_input = at;
        let words = self.words();
        match (&mut self.screen, reply) {
            (Screen::StaffPin(p), reply) => {
                if !p.answer(words, &reply) {
                    return vec![];
                }
                let unlock = p.from_locked;
                self.screen = Screen::Staff(Box::default());
                let mut effects = vec![Effect::Staff(StaffRequest::Info)];
                if unlock {
                    effects.insert(0, Effect::Staff(StaffRequest::Unlock));
                }
                effects
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

/// The character just typed into an ID, when the ID grew by one.
fn typed_char(before: Option<&str>, after: Option<&str>) -> Option<String> {
    let (before, after) = (before?, after?);
    let added = after.strip_prefix(before)?;
    (added.chars().count() == 1).then(|| added.to_string())
}
