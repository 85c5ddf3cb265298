//! Staff mode: the PIN, then a menu of what staff do at a kiosk — find an
//! attendee, reissue a QR, void a claim, add a walk-in, upload, read the
//! audit log, lock the kiosk, quit. Every action goes to the store as an
//! effect and is audited there.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::{Profession, format_quarters, sanitize};
use crate::kiosk::app::{Action, Cmd, Ctx, Effect, Hit, Key, Step};
use crate::kiosk::screens::sessions::fit;
use crate::kiosk::theme;
use crate::store::{AttendeeRow, AuditRow, CertificateRow, ClaimRow};

/// What the runner is asked to do for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffRequest {
    CheckPin(String),
    Info,
    Search(String),
    Attendee(String),
    Reissue(String),
    Void { claim_id: String, reason: String },
    WalkIn(AttendeeRow),
    Audit,
    Upload,
    Lock,
    Unlock,
    Quit,
}

/// What the runner answers.
#[derive(Debug, Clone)]
pub enum StaffReply {
    PinOk,
    PinWrong {
        left: u32,
    },
    PinLocked {
        until: String,
    },
    Info(StaffInfo),
    Found(Vec<AttendeeRow>),
    Attendee(Box<AttendeeDetail>),
    Audit(Vec<AuditRow>),
    /// Done, with something to tell staff.
    Done(String),
    Failed(String),
    Quit,
}

#[derive(Debug, Clone, Default)]
pub struct StaffInfo {
    pub database: String,
    pub attendees: i64,
    pub claims_today: i64,
    pub certificates: i64,
    pub not_uploaded: i64,
    pub last_upload: String,
    /// The hub's view of this kiosk: held and rejected records, the last
    /// good upload, a new device id taken (empty until a sync).
    pub standing: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct AttendeeDetail {
    pub attendee: AttendeeRow,
    /// Each claim with its session's title.
    pub claims: Vec<(ClaimRow, String)>,
    pub certificate: Option<CertificateRow>,
}

#[derive(Debug, Clone, Default)]
pub struct PinState {
    pub pin: String,
    pub message: Option<String>,
    pub checking: bool,
    /// Opened from the locked screen: success unlocks the kiosk.
    pub from_locked: bool,
}

impl PinState {
    pub fn commands(&self) -> Vec<Cmd> {
        vec![
            Cmd::new(Key::Enter, "Enter PIN", Action::Continue),
            Cmd::new(Key::Esc, "Cancel", Action::Back),
        ]
    }
    pub fn input(&mut self, key: KeyEvent) -> Step {
        match key.code {
            KeyCode::Char(c) if !c.is_control() && self.pin.chars().count() < 32 => {
                self.pin.push(c)
            }
            KeyCode::Backspace => {
                self.pin.pop();
            }
            _ => {}
        }
        Step::Stay
    }
    pub fn act(&mut self, action: Action) -> Step {
        match action {
            Action::Continue if !self.pin.is_empty() && !self.checking => {
                self.checking = true;
                Step::Effect(Effect::Staff(StaffRequest::CheckPin(std::mem::take(
                    &mut self.pin,
                ))))
            }
            Action::Back => Step::Back,
            _ => Step::Stay,
        }
    }
    pub fn view(&self, frame: &mut Frame, area: Rect) {
        let mut lines = vec![
            Line::from("Staff only. Enter the staff PIN and press Enter."),
            Line::from(""),
            Line::from(Span::styled(
                format!("PIN: {}▏", "•".repeat(self.pin.chars().count())),
                theme::heading(),
            )),
            Line::from(""),
        ];
        if let Some(m) = &self.message {
            lines.push(Line::from(Span::styled(m.clone(), theme::error())));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
    }
}

pub const MENU: [&str; 6] = [
    "Find an attendee — claims, reissue QR, void a claim",
    "Add a walk-in attendee",
    "Upload now",
    "Audit log",
    "Lock this kiosk (out of service)",
    "Quit the program",
];

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
}

#[derive(Debug, Clone)]
pub struct StaffState {
    pub view: StaffView,
    pub info: StaffInfo,
    pub message: Option<String>,
}

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

const WALK_IN_FIELDS: [&str; 6] = [
    "First name",
    "Last name",
    "Degree",
    "Profession",
    "Email",
    "Badge id (empty: one is made)",
];

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
    pub fn attendee(&self) -> Result<AttendeeRow, String> {
        let t = |s: &str| sanitize(s.trim());
        if t(&self.first_name).is_empty() && t(&self.last_name).is_empty() {
            return Err("Enter a first or last name.".into());
        }
        let email = t(&self.email);
        if !email.is_empty() && !email.contains('@') {
            return Err(format!("'{email}' is not an email address."));
        }
        let badge = t(&self.badge_id);
        if badge.chars().any(char::is_whitespace) || badge.chars().count() > 64 {
            return Err("A badge id has no spaces and at most 64 characters.".into());
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

    pub fn commands(&self) -> Vec<Cmd> {
        let mut cmds = vec![Cmd::new(Key::Esc, "Back", Action::Back)];
        match &self.view {
            StaffView::Menu { .. } => {
                cmds[0].label = "Leave staff mode".into();
                cmds.insert(0, Cmd::new(Key::Enter, "Open", Action::Continue));
                for (i, item) in MENU.iter().enumerate() {
                    cmds.push(Cmd::new(Key::Digit(i as u8 + 1), *item, Action::Choose(i)).hidden());
                }
            }
            StaffView::Find { .. } => {
                cmds.insert(0, Cmd::new(Key::Enter, "Open attendee", Action::Continue))
            }
            StaffView::Attendee { .. } => {
                cmds.insert(0, Cmd::new(Key::Char('r'), "Reissue QR", Action::Choose(0)));
                cmds.insert(1, Cmd::new(Key::Char('v'), "Void claim", Action::Choose(1)));
            }
            StaffView::Void { .. } => cmds.insert(
                0,
                Cmd::new(Key::Enter, "Void with this reason", Action::Continue),
            ),
            StaffView::WalkIn(f) => {
                cmds.insert(
                    0,
                    Cmd::new(Key::Enter, "Register and start claiming", Action::Continue),
                );
                if f.focus == 3 {
                    cmds.insert(1, Cmd::new(Key::Space, "Change", Action::Toggle));
                }
                cmds.push(Cmd::new(Key::Tab, "Next field", Action::Down).hidden());
            }
            StaffView::Audit(_) => {}
        }
        if !matches!(self.view, StaffView::Audit(_) | StaffView::Void { .. }) {
            cmds.push(Cmd::new(Key::Up, "Up", Action::Up));
            cmds.push(Cmd::new(Key::Down, "Down", Action::Down));
        }
        cmds
    }

    pub fn input(&mut self, key: KeyEvent) -> Step {
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
                    true => Step::Effect(Effect::Staff(StaffRequest::Search(query.clone()))),
                    false => Step::Stay,
                };
            }
            StaffView::Void { reason, .. } => {
                push(reason, key, 200);
            }
            StaffView::WalkIn(f) => {
                if let Some(field) = f.field() {
                    push(field, key, 100);
                }
            }
            _ => {}
        }
        Step::Stay
    }

    pub fn act(&mut self, action: Action) -> Step {
        self.message = None;
        let staff = |r| Step::Effect(Effect::Staff(r));
        match (&mut self.view, action) {
            (StaffView::Menu { .. }, Action::Back) => Step::Back,
            (_, Action::Back) => {
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
                Step::Stay
            }
            (StaffView::Menu { cursor }, Action::Up) => {
                *cursor = cursor.saturating_sub(1);
                Step::Stay
            }
            (StaffView::Menu { cursor }, Action::Down) => {
                *cursor = (*cursor + 1).min(MENU.len() - 1);
                Step::Stay
            }
            (StaffView::Menu { cursor }, Action::Continue) => {
                let c = *cursor;
                self.act(Action::Choose(c))
            }
            (StaffView::Menu { cursor }, Action::Choose(i)) => {
                *cursor = i;
                match i {
                    0 => {
                        self.view = StaffView::Find {
                            query: String::new(),
                            results: vec![],
                            cursor: 0,
                        };
                        Step::Stay
                    }
                    1 => {
                        self.view = StaffView::WalkIn(WalkInForm::default());
                        Step::Stay
                    }
                    2 => staff(StaffRequest::Upload),
                    3 => staff(StaffRequest::Audit),
                    4 => staff(StaffRequest::Lock),
                    5 => staff(StaffRequest::Quit),
                    _ => Step::Stay,
                }
            }
            (
                StaffView::Find {
                    results, cursor, ..
                },
                a,
            ) => match a {
                Action::Up => {
                    *cursor = cursor.saturating_sub(1);
                    Step::Stay
                }
                Action::Down => {
                    *cursor = (*cursor + 1).min(results.len().saturating_sub(1));
                    Step::Stay
                }
                Action::Continue | Action::Choose(_) => {
                    if let Action::Choose(i) = a {
                        *cursor = i;
                    }
                    match results.get(*cursor) {
                        Some(a) => staff(StaffRequest::Attendee(a.badge_id.clone())),
                        None => Step::Stay,
                    }
                }
                _ => Step::Stay,
            },
            (StaffView::Attendee { detail, cursor }, a) => match a {
                Action::Up => {
                    *cursor = cursor.saturating_sub(1);
                    Step::Stay
                }
                Action::Down => {
                    *cursor = (*cursor + 1).min(detail.claims.len().saturating_sub(1));
                    Step::Stay
                }
                Action::Choose(0) => {
                    if detail.certificate.is_some() {
                        staff(StaffRequest::Reissue(detail.attendee.badge_id.clone()))
                    } else {
                        self.message = Some("This attendee has no certificate yet.".into());
                        Step::Stay
                    }
                }
                Action::Choose(1) => match detail.claims.get(*cursor) {
                    Some((c, _)) if !c.voided => {
                        self.view = StaffView::Void {
                            detail: detail.clone(),
                            claim: *cursor,
                            reason: String::new(),
                        };
                        Step::Stay
                    }
                    Some(_) => {
                        self.message = Some("That claim is already void.".into());
                        Step::Stay
                    }
                    None => {
                        self.message = Some("This attendee has no claims.".into());
                        Step::Stay
                    }
                },
                _ => Step::Stay,
            },
            (
                StaffView::Void {
                    detail,
                    claim,
                    reason,
                },
                Action::Continue,
            ) => {
                if reason.trim().is_empty() {
                    self.message = Some("A void needs a reason.".into());
                    return Step::Stay;
                }
                let claim_id = detail.claims[*claim].0.claim_id.clone();
                staff(StaffRequest::Void {
                    claim_id,
                    reason: reason.trim().to_string(),
                })
            }
            (StaffView::WalkIn(f), a) => match a {
                Action::Up => {
                    f.focus = f.focus.saturating_sub(1);
                    Step::Stay
                }
                Action::Down => {
                    f.focus = (f.focus + 1).min(WALK_IN_FIELDS.len() - 1);
                    Step::Stay
                }
                Action::Toggle if f.focus == 3 => {
                    f.profession = (f.profession + 1) % Profession::ALL.len();
                    Step::Stay
                }
                Action::Choose(i) => {
                    f.focus = i.min(WALK_IN_FIELDS.len() - 1);
                    if f.focus == 3 {
                        f.profession = (f.profession + 1) % Profession::ALL.len();
                    }
                    Step::Stay
                }
                Action::Continue => match f.attendee() {
                    Ok(a) => staff(StaffRequest::WalkIn(a)),
                    Err(m) => {
                        self.message = Some(m);
                        Step::Stay
                    }
                },
                _ => Step::Stay,
            },
            _ => Step::Stay,
        }
    }

    /// A reply from the runner.
    pub fn reply(&mut self, reply: StaffReply) -> Step {
        match reply {
            StaffReply::Info(i) => self.info = i,
            StaffReply::Found(found) => {
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
        Step::Stay
    }

    pub fn view(&self, ctx: &Ctx, frame: &mut Frame, area: Rect, hits: &mut Vec<(Rect, Hit)>) {
        let i = &self.info;
        let info = vec![
            Line::from(vec![
                Span::styled("Kiosk ", theme::dim()),
                Span::styled(sanitize(&ctx.config.kiosk.id), theme::heading()),
                Span::styled("  Event ", theme::dim()),
                Span::raw(format!(
                    "{} — {}",
                    sanitize(&ctx.config.event.id),
                    sanitize(&ctx.config.event.title)
                )),
            ]),
            Line::from(vec![
                Span::styled("Database ", theme::dim()),
                Span::raw(i.database.clone()),
            ]),
            Line::from(format!(
                "Attendees {}   Claims today {}   Certificates {}   Not uploaded {}",
                i.attendees, i.claims_today, i.certificates, i.not_uploaded
            )),
            Line::from(vec![
                Span::styled("Last upload ", theme::dim()),
                Span::raw(i.last_upload.clone()),
            ]),
        ];
        let mut info = info;
        info.extend(
            i.standing
                .iter()
                .map(|l| Line::from(Span::styled(l.clone(), theme::warn()))),
        );
        // Each line takes the rows it wraps to, and one row is left blank.
        let width = usize::from(area.width.max(1));
        let rows: usize = info.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
        let info_h = (rows as u16 + 1).min(area.height);
        frame.render_widget(
            Paragraph::new(info).wrap(Wrap { trim: true }),
            Rect {
                height: info_h - 1,
                ..area
            },
        );
        let msg_h = u16::from(self.message.is_some());
        let body = Rect {
            y: area.y + info_h,
            height: area.height.saturating_sub(info_h + msg_h),
            ..area
        };
        if let Some(m) = &self.message {
            frame.render_widget(
                Paragraph::new(Span::styled(m.clone(), theme::warn())),
                Rect {
                    y: body.bottom(),
                    height: 1,
                    ..area
                },
            );
        }
        let row = |n: usize| Rect {
            y: body.y + n as u16,
            height: 1,
            ..body
        };
        let mut list =
            |frame: &mut Frame, items: Vec<String>, cursor: Option<usize>, first: usize| {
                let room = (body.height as usize).saturating_sub(first);
                let offset = cursor
                    .map(|c| c.saturating_sub(room.saturating_sub(1)))
                    .unwrap_or(0);
                for (n, text) in items.iter().enumerate().skip(offset).take(room) {
                    let r = row(first + n - offset);
                    let on = cursor == Some(n);
                    let line = format!(
                        "{}{}",
                        if on { "▶ " } else { "  " },
                        fit(text, r.width as usize - 2)
                    );
                    frame.render_widget(
                        Paragraph::new(Span::styled(
                            line,
                            if on {
                                theme::highlight()
                            } else {
                                theme::base()
                            },
                        )),
                        r,
                    );
                    hits.push((r, Hit::Row(n)));
                }
            };
        match &self.view {
            StaffView::Menu { cursor } => {
                let items = MENU
                    .iter()
                    .enumerate()
                    .map(|(i, m)| format!("{}  {m}", i + 1))
                    .collect();
                list(frame, items, Some(*cursor), 0);
            }
            StaffView::Find {
                query,
                results,
                cursor,
            } => {
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled("Name, email or badge: ", theme::heading()),
                        Span::raw(format!("{}▏", sanitize(query))),
                    ])),
                    row(0),
                );
                let items = results
                    .iter()
                    .map(|a| {
                        format!(
                            "{}  {} {}, {}  {}  {}",
                            sanitize(&a.badge_id),
                            sanitize(&a.first_name),
                            sanitize(&a.last_name),
                            sanitize(&a.degree),
                            a.profession,
                            sanitize(&a.email)
                        )
                    })
                    .collect();
                list(frame, items, Some(*cursor), 2);
            }
            StaffView::Attendee { detail, cursor }
            | StaffView::Void {
                detail,
                claim: cursor,
                ..
            } => {
                let a = &detail.attendee;
                let head = format!(
                    "{} {}, {} — badge {} — {} — {}",
                    sanitize(&a.first_name),
                    sanitize(&a.last_name),
                    sanitize(&a.degree),
                    sanitize(&a.badge_id),
                    a.profession,
                    sanitize(&a.email)
                );
                frame.render_widget(Paragraph::new(Span::styled(head, theme::heading())), row(0));
                let cert = match &detail.certificate {
                    Some(c) => format!(
                        "Certificate {} issued {}",
                        c.short_code,
                        &c.issued_at[..c.issued_at.len().min(16)]
                    ),
                    None => "No certificate yet".into(),
                };
                frame.render_widget(Paragraph::new(cert), row(1));
                if let StaffView::Void { reason, claim, .. } = &self.view {
                    let (c, title) = &detail.claims[*claim];
                    let lines = vec![
                        Line::from(format!(
                            "Void the claim for {} ({} credits)?",
                            sanitize(title),
                            format_quarters(c.credits)
                        )),
                        Line::from(vec![
                            Span::styled("Reason: ", theme::heading()),
                            Span::raw(format!("{}▏", sanitize(reason))),
                        ]),
                    ];
                    frame.render_widget(
                        Paragraph::new(lines),
                        Rect {
                            y: body.y + 3,
                            height: 2,
                            ..body
                        },
                    );
                } else {
                    let items = detail
                        .claims
                        .iter()
                        .map(|(c, title)| {
                            format!(
                                "{}  {}  {}{}",
                                format_quarters(c.credits),
                                sanitize(title),
                                ctx.config.local_short(&c.claimed_at),
                                if c.voided { "  VOID" } else { "" }
                            )
                        })
                        .collect::<Vec<_>>();
                    if items.is_empty() {
                        frame.render_widget(Paragraph::new("No claims."), row(3));
                    }
                    list(frame, items, Some(*cursor), 3);
                }
            }
            StaffView::WalkIn(f) => {
                let values = [
                    f.first_name.clone(),
                    f.last_name.clone(),
                    f.degree.clone(),
                    format!(
                        "{}  (Space changes)",
                        Profession::ALL[f.profession % Profession::ALL.len()]
                    ),
                    f.email.clone(),
                    f.badge_id.clone(),
                ];
                let items = WALK_IN_FIELDS
                    .iter()
                    .zip(values)
                    .map(|(label, v)| format!("{label}: {}", sanitize(&v)))
                    .collect();
                list(frame, items, Some(f.focus), 0);
            }
            StaffView::Audit(rows) => {
                let items = rows
                    .iter()
                    .map(|r| {
                        format!(
                            "{}  {}  {}  {}",
                            &r.at[..r.at.len().min(19)],
                            sanitize(&r.kiosk_id),
                            r.action,
                            sanitize(&r.detail)
                        )
                    })
                    .collect();
                list(frame, items, None, 0);
            }
        }
    }
}

impl Default for StaffState {
    fn default() -> Self {
        StaffState::new()
    }
}
