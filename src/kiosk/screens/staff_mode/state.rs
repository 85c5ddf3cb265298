//! The staff screen's state: which view is open (menu, find, attendee,
//! void, walk-in, audit), what each key and command does there, and how
//! the runner's replies update it.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use crate::domain::{Profession, sanitize};
use crate::kiosk::msg::{Effect, Intent, Key, KeyCommand, Transition};
use crate::kiosk::screens::{ActArgs, Component, DrawArgs, TapTargets};
use crate::kiosk::staff_exchange::{AttendeeDetail, StaffInfo, StaffReply, StaffRequest};
use crate::kiosk::strings::Words;
use crate::kiosk::uploader::SyncEvent;
use crate::records::AttendeeRow;
use crate::store::AuditRow;

/// What staff mode shows below the kiosk's state.
#[derive(Debug, Clone)]
pub enum StaffView {
    Menu {
        cursor: usize,
    },
    Find {
        query: String,
        results: Vec<AttendeeRow>,
        cursor: usize,
    },
    Attendee {
        detail: Box<AttendeeDetail>,
        cursor: usize,
    },
    Void {
        detail: Box<AttendeeDetail>,
        claim: usize,
        reason: String,
    },
    WalkIn(WalkInForm),
    Audit(Vec<AuditRow>),
    /// The enrolment code from the CE office, typed or scanned.
    Enrol {
        code: String,
    },
}

/// Staff mode: the view open, the kiosk's state above it, and a word
/// from the last action.
#[derive(Debug, Clone)]
pub struct StaffState {
    pub view: StaffView,
    pub info: StaffInfo,
    pub message: Option<String>,
}

/// The walk-in form; `focus` indexes `words.walk_in_fields()`.
#[derive(Debug, Clone, Default)]
pub struct WalkInForm {
    pub focus: usize,
    pub first_name: String,
    pub last_name: String,
    pub degree: String,
    pub profession: usize,
    pub email: String,
    pub badge_id: String,
}

impl WalkInForm {
    fn field(&mut self) -> Option<&mut String> {
        match self.focus {
            0 => Some(&mut self.first_name),
            1 => Some(&mut self.last_name),
            2 => Some(&mut self.degree),
            4 => Some(&mut self.email),
            5 => Some(&mut self.badge_id),
            _ => None,
        }
    }

    /// The attendee to register, or what is wrong. An empty badge id is
    /// left for the runner to make.
    pub fn attendee(&self, words: Words) -> Result<AttendeeRow, String> {
        let t = |s: &str| sanitize(s.trim());
        if t(&self.first_name).is_empty() && t(&self.last_name).is_empty() {
            return Err(words.walk_in_no_name());
        }
        let email = t(&self.email);
        if !email.is_empty() && !email.contains('@') {
            return Err(words.not_an_email(&email));
        }
        let badge = t(&self.badge_id);
        if badge.chars().any(char::is_whitespace) || badge.chars().count() > 64 {
            return Err(words.bad_badge_id());
        }
        Ok(AttendeeRow {
            badge_id: badge,
            first_name: t(&self.first_name),
            last_name: t(&self.last_name),
            degree: t(&self.degree),
            profession: Profession::ALL[self.profession % Profession::ALL.len()],
            email,
        })
    }
}

impl StaffState {
    pub fn new() -> StaffState {
        StaffState {
            view: StaffView::Menu { cursor: 0 },
            info: StaffInfo::default(),
            message: None,
        }
    }

    /// A reply from the runner.
    pub fn reply(&mut self, reply: StaffReply) -> Transition {
        match reply {
            StaffReply::Info(i) => self.info = i,
            StaffReply::Matches(found) => {
                if let StaffView::Find {
                    results, cursor, ..
                } = &mut self.view
                {
                    *results = found;
                    *cursor = 0;
                }
            }
            StaffReply::Attendee(detail) => {
                let cursor = match &self.view {
                    StaffView::Void { claim, .. } => *claim,
                    _ => 0,
                };
                self.view = StaffView::Attendee { detail, cursor };
            }
            StaffReply::Audit(rows) => self.view = StaffView::Audit(rows),
            StaffReply::Done(m) | StaffReply::Failed(m) => self.message = Some(m),
            StaffReply::PinOk
            | StaffReply::PinWrong { .. }
            | StaffReply::PinLocked { .. }
            | StaffReply::Quit => {}
        }
        Transition::Stay
    }

    /// News from the background upload: only staff see upload state.
    pub fn on_sync(&mut self, words: Words, event: &SyncEvent) -> Vec<Effect> {
        match event {
            SyncEvent::Started => {
                self.info.last_upload = words.uploading_now();
                vec![]
            }
            SyncEvent::Finished { .. } => vec![Effect::Staff(StaffRequest::Info)],
        }
    }

    /// What a command does in the view open now.
    fn on_action(&mut self, words: Words, action: Intent) -> Transition {
        self.message = None;
        let staff = |r| Transition::Effect(Effect::Staff(r));
        match (&mut self.view, action) {
            (StaffView::Menu { .. }, Intent::Back) => Transition::Back,
            (_, Intent::Back) => {
                self.view = match &self.view {
                    StaffView::Attendee { detail, .. } => StaffView::Find {
                        query: sanitize(&detail.attendee.badge_id),
                        results: vec![detail.attendee.clone()],
                        cursor: 0,
                    },
                    StaffView::Void { detail, claim, .. } => StaffView::Attendee {
                        detail: detail.clone(),
                        cursor: *claim,
                    },
                    _ => StaffView::Menu { cursor: 0 },
                };
                Transition::Stay
            }
            (StaffView::Menu { cursor }, Intent::Up) => {
                *cursor = cursor.saturating_sub(1);
                Transition::Stay
            }
            (StaffView::Menu { cursor }, Intent::Down) => {
                *cursor = (*cursor + 1).min(words.menu().len() - 1);
                Transition::Stay
            }
            (StaffView::Menu { cursor }, Intent::Continue) => {
                let c = *cursor;
                self.on_action(words, Intent::Choose(c))
            }
            (StaffView::Menu { cursor }, Intent::Choose(i)) => {
                *cursor = i;
                match i {
                    0 => {
                        self.view = StaffView::Find {
                            query: String::new(),
                            results: vec![],
                            cursor: 0,
                        };
                        Transition::Stay
                    }
                    1 => {
                        self.view = StaffView::WalkIn(WalkInForm::default());
                        Transition::Stay
                    }
                    2 => staff(StaffRequest::Upload),
                    3 => staff(StaffRequest::Audit),
                    4 => staff(StaffRequest::Lock),
                    5 => staff(StaffRequest::Quit),
                    6 => {
                        self.view = StaffView::Enrol {
                            code: String::new(),
                        };
                        Transition::Stay
                    }
                    _ => Transition::Stay,
                }
            }
            (
                StaffView::Find {
                    results, cursor, ..
                },
                a,
            ) => match a {
                Intent::Up => {
                    *cursor = cursor.saturating_sub(1);
                    Transition::Stay
                }
                Intent::Down => {
                    *cursor = (*cursor + 1).min(results.len().saturating_sub(1));
                    Transition::Stay
                }
                Intent::Continue | Intent::Choose(_) => {
                    if let Intent::Choose(i) = a {
                        *cursor = i;
                    }
                    match results.get(*cursor) {
                        Some(a) => staff(StaffRequest::Attendee(a.badge_id.clone())),
                        None => Transition::Stay,
                    }
                }
                _ => Transition::Stay,
            },
            (StaffView::Attendee { detail, cursor }, a) => match a {
                Intent::Up => {
                    *cursor = cursor.saturating_sub(1);
                    Transition::Stay
                }
                Intent::Down => {
                    *cursor = (*cursor + 1).min(detail.claims.len().saturating_sub(1));
                    Transition::Stay
                }
                // With no certificate here, the runner asks the hub: the
                // attendee may have one from another kiosk.
                Intent::Choose(0) => staff(StaffRequest::Reissue(detail.attendee.badge_id.clone())),
                Intent::Choose(1) => match detail.claims.get(*cursor) {
                    Some((c, _)) if !c.voided => {
                        self.view = StaffView::Void {
                            detail: detail.clone(),
                            claim: *cursor,
                            reason: String::new(),
                        };
                        Transition::Stay
                    }
                    Some(_) => {
                        self.message = Some(words.already_void());
                        Transition::Stay
                    }
                    None => {
                        self.message = Some(words.no_claims_for_attendee());
                        Transition::Stay
                    }
                },
                _ => Transition::Stay,
            },
            (
                StaffView::Void {
                    detail,
                    claim,
                    reason,
                },
                Intent::Continue,
            ) => {
                if reason.trim().is_empty() {
                    self.message = Some(words.void_needs_reason());
                    return Transition::Stay;
                }
                let claim_id = detail.claims[*claim].0.claim_id.clone();
                staff(StaffRequest::Void {
                    claim_id,
                    reason: reason.trim().to_string(),
                })
            }
            (StaffView::Enrol { code }, Intent::Continue) => {
                if code.trim().is_empty() {
                    self.message = Some(words.enrol_prompt());
                    return Transition::Stay;
                }
                staff(StaffRequest::Enrol(code.trim().to_string()))
            }
            (StaffView::WalkIn(f), a) => match a {
                Intent::Up => {
                    f.focus = f.focus.saturating_sub(1);
                    Transition::Stay
                }
                Intent::Down => {
                    f.focus = (f.focus + 1).min(words.walk_in_fields().len() - 1);
                    Transition::Stay
                }
                Intent::Toggle if f.focus == 3 => {
                    f.profession = (f.profession + 1) % Profession::ALL.len();
                    Transition::Stay
                }
                Intent::Choose(i) => {
                    f.focus = i.min(words.walk_in_fields().len() - 1);
                    if f.focus == 3 {
                        f.profession = (f.profession + 1) % Profession::ALL.len();
                    }
                    Transition::Stay
                }
                Intent::Continue => match f.attendee(words) {
                    Ok(a) => staff(StaffRequest::WalkIn(a)),
                    Err(m) => {
                        self.message = Some(m);
                        Transition::Stay
                    }
                },
                _ => Transition::Stay,
            },
            _ => Transition::Stay,
        }
    }
}

impl Component for StaffState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.staff_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        let mut cmds = vec![KeyCommand::new(Key::Esc, words.back(), Intent::Back)];
        match &self.view {
            StaffView::Menu { .. } => {
                cmds[0].label = words.leave_staff_mode();
                cmds.insert(
                    0,
                    KeyCommand::new(Key::Enter, words.open(), Intent::Continue),
                );
                for (i, item) in words.menu().iter().enumerate() {
                    cmds.push(
                        KeyCommand::new(Key::Digit(i as u8 + 1), item.clone(), Intent::Choose(i))
                            .hidden(),
                    );
                }
            }
            StaffView::Find { .. } => cmds.insert(
                0,
                KeyCommand::new(Key::Enter, words.open_attendee(), Intent::Continue),
            ),
            StaffView::Attendee { .. } => {
                cmds.insert(
                    0,
                    KeyCommand::new(Key::Char('r'), words.reissue_qr(), Intent::Choose(0)),
                );
                cmds.insert(
                    1,
                    KeyCommand::new(Key::Char('v'), words.void_claim(), Intent::Choose(1)),
                );
            }
            StaffView::Void { .. } => cmds.insert(
                0,
                KeyCommand::new(Key::Enter, words.void_with_reason(), Intent::Continue),
            ),
            StaffView::WalkIn(f) => {
                cmds.insert(
                    0,
                    KeyCommand::new(Key::Enter, words.register_and_claim(), Intent::Continue),
                );
                if f.focus == 3 {
                    cmds.insert(
                        1,
                        KeyCommand::new(Key::Space, words.change(), Intent::Toggle),
                    );
                }
                cmds.push(KeyCommand::new(Key::Tab, words.next_field(), Intent::Down).hidden());
            }
            StaffView::Audit(_) => {}
            StaffView::Enrol { .. } => cmds.insert(
                0,
                KeyCommand::new(Key::Enter, words.enrol_now(), Intent::Continue),
            ),
        }
        if !matches!(
            self.view,
            StaffView::Audit(_) | StaffView::Void { .. } | StaffView::Enrol { .. }
        ) {
            cmds.push(KeyCommand::new(Key::Up, words.up(), Intent::Up));
            cmds.push(KeyCommand::new(Key::Down, words.down(), Intent::Down));
        }
        cmds
    }

    fn input(&mut self, key: KeyEvent, _cx: &mut ActArgs) -> Transition {
        let push = |s: &mut String, key: KeyEvent, max: usize| match key.code {
            KeyCode::Char(c) if !c.is_control() && s.chars().count() < max => {
                s.push(c);
                true
            }
            KeyCode::Backspace => s.pop().is_some(),
            _ => false,
        };
        match &mut self.view {
            StaffView::Find { query, .. } => {
                let changed = push(query, key, 64);
                return match changed {
                    true => Transition::Effect(Effect::Staff(StaffRequest::Search(query.clone()))),
                    false => Transition::Stay,
                };
            }
            StaffView::Void { reason, .. } => {
                push(reason, key, 200);
            }
            StaffView::Enrol { code } => {
                push(code, key, 40);
            }
            StaffView::WalkIn(f) => {
                if let Some(field) = f.field() {
                    push(field, key, 100);
                }
            }
            _ => {}
        }
        Transition::Stay
    }

    fn act(&mut self, action: Intent, cx: &mut ActArgs) -> Transition {
        let words = cx.words;
        self.on_action(words, action)
    }

    fn click(&mut self, row: usize, cx: &mut ActArgs) -> Transition {
        self.act(Intent::Choose(row), cx)
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
        let words = cx.words;
        self.draw(words, cx.ctx, frame, area, hits);
    }
}

impl Default for StaffState {
    fn default() -> Self {
        StaffState::new()
    }
}
