//! Credit: the credit types for the attendee's profession, preselected;
//! pharmacists give their NABP e-Profile ID and birth MMDD, physicians may
//! opt in to MOC. Fields are checked as typed and the reason shown.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::domain::ids::{validate_abim_id, validate_epid, validate_mmdd};
use crate::domain::{CodeSet, CreditCode, sanitize};
use crate::kiosk::msg::{Intent, Key, KeyCommand, TapTarget, Transition};
use crate::kiosk::setup::code_name;
use crate::kiosk::speech::Spoken;
use crate::kiosk::strings::Words;
use crate::kiosk::theme;
use crate::kiosk::visit::Visit;
use crate::kiosk::widgets::{clip, width};
use crate::store::OnFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Code(CreditCode),
    Role,
    Epid,
    Mmdd,
    Moc,
    Consent,
    AbimId,
}

#[derive(Debug, Clone)]
pub struct CreditState {
    pub focus: usize,
    pub codes: CodeSet,
    pub technician: bool,
    pub epid: String,
    pub mmdd: String,
    pub consent: bool,
    pub abim_id: String,
    /// IDs on file at the hub (from a visit at another kiosk): a field
    /// left empty keeps what is on file.
    pub on_file: OnFile,
    /// Set after a refused Enter, so every problem is shown.
    pub tried: bool,
    pub message: Option<String>,
}

impl CreditState {
    pub fn new(visit: &Visit) -> CreditState {
        let p = &visit.profile;
        let degree = visit.attendee.degree.to_ascii_uppercase();
        CreditState {
            focus: 0,
            codes: p.codes,
            technician: match p.pharm_role.as_deref() {
                Some(r) => r == "technician",
                None => degree.contains("CPHT") || degree.contains("TECH"),
            },
            epid: p.epid.clone().unwrap_or_default(),
            mmdd: p.birth_mmdd.clone().unwrap_or_default(),
            consent: p.moc_consent,
            abim_id: p.abim_id.clone().unwrap_or_default(),
            on_file: p.on_file.clone(),
            tried: false,
            message: None,
        }
    }

    /// The rows shown, in order; the pharmacist and MOC fields appear only
    /// when their credit type is chosen.
    pub fn items(&self, visit: &Visit) -> Vec<Item> {
        let mut items = Vec::new();
        for code in visit.offered.iter().filter(|c| !c.is_opt_in()) {
            items.push(Item::Code(code));
        }
        if self.codes.contains(CreditCode::ACPE) {
            items.extend([Item::Role, Item::Epid, Item::Mmdd]);
        }
        if visit.offered.contains(CreditCode::MOC) {
            items.push(Item::Moc);
            if self.codes.contains(CreditCode::MOC) {
                items.extend([Item::Consent, Item::AbimId, Item::Mmdd]);
            }
        }
        items
    }

    fn focused(&self, visit: &Visit) -> Option<Item> {
        let items = self.items(visit);
        items
            .get(self.focus.min(items.len().saturating_sub(1)))
            .copied()
    }

    /// The problem with an item, if any.
    pub fn problem(&self, words: Words, item: Item) -> Option<String> {
        if self.kept_on_file(item) {
            return None;
        }
        match item {
            Item::Epid => validate_epid(&self.epid)
                .err()
                .map(|e| words.id_problem(e, &words.epid_short())),
            Item::Mmdd => validate_mmdd(&self.mmdd)
                .err()
                .map(|e| words.id_problem(e, &words.birth_mmdd())),
            Item::AbimId => validate_abim_id(&self.abim_id)
                .err()
                .map(|e| words.id_problem(e, &words.abim_short())),
            Item::Consent if !self.consent => Some(words.moc_consent_needed()),
            _ => None,
        }
    }

    /// An empty field whose value is on file at the hub: it stays as is.
    fn kept_on_file(&self, item: Item) -> bool {
        match item {
            Item::Epid => self.epid.trim().is_empty() && self.on_file.epid_ending.is_some(),
            Item::AbimId => self.abim_id.trim().is_empty() && self.on_file.abim_ending.is_some(),
            Item::Mmdd => self.mmdd.trim().is_empty() && self.on_file.birth,
            _ => false,
        }
    }

    /// What an empty field shows when its value is on file.
    fn on_file_text(&self, words: Words, item: Item) -> Option<String> {
        if !self.kept_on_file(item) {
            return None;
        }
        Some(match item {
            Item::Epid => words.on_file_ending(self.on_file.epid_ending.as_deref().unwrap_or("")),
            Item::AbimId => words.on_file_ending(self.on_file.abim_ending.as_deref().unwrap_or("")),
            _ => words.on_file(),
        })
    }

    /// A row as drawn: its label (with its tick box), the value beside it,
    /// and whether it is a field that takes typing.
    fn row(&self, cx: &DrawArgs, item: Item) -> (String, String, bool) {
        let words = cx.words;
        let ctx = cx.ctx;
        let check = |on: bool| if on { "[✓] " } else { "[ ] " };
        match item {
            Item::Code(c) => (
                format!(
                    "{}{}",
                    check(self.codes.contains(c)),
                    code_name(ctx, words, c)
                ),
                String::new(),
                false,
            ),
            Item::Moc => (
                format!(
                    "{}{}",
                    check(self.codes.contains(CreditCode::MOC)),
                    words.moc_name()
                ),
                String::new(),
                false,
            ),
            Item::Consent => (
                format!("    {}{}", check(self.consent), words.moc_consent()),
                String::new(),
                false,
            ),
            Item::Role => (
                format!(
                    "    {}: {}",
                    words.role(),
                    if self.technician {
                        words.role_technician()
                    } else {
                        words.role_pharmacist()
                    }
                ),
                words.space_changes(),
                false,
            ),
            Item::Epid => (
                format!("    {}", words.label(&words.epid())),
                sanitize(&self.epid),
                true,
            ),
            Item::Mmdd => (
                format!("    {}", words.label(&words.birth_mmdd())),
                sanitize(&self.mmdd),
                true,
            ),
            Item::AbimId => (
                format!("    {}", words.label(&words.abim_id())),
                sanitize(&self.abim_id),
                true,
            ),
        }
    }

    fn field(&mut self, item: Item) -> Option<&mut String> {
        match item {
            Item::Epid => Some(&mut self.epid),
            Item::Mmdd => Some(&mut self.mmdd),
            Item::AbimId => Some(&mut self.abim_id),
            _ => None,
        }
    }

    fn finish(&mut self, words: Words, visit: &mut Visit) -> Transition {
        self.tried = true;
        if self.codes.is_empty() {
            self.message = Some(words.credit_none());
            return Transition::Stay;
        }
        let items = self.items(visit);
        if let Some((i, p)) = items
            .iter()
            .enumerate()
            .find_map(|(i, it)| self.problem(words, *it).map(|p| (i, p)))
        {
            self.focus = i;
            self.message = Some(p);
            return Transition::Stay;
        }
        self.message = None;
        let acpe = self.codes.contains(CreditCode::ACPE);
        let moc = self.codes.contains(CreditCode::MOC);
        let p = &mut visit.profile;
        p.codes = self.codes;
        // An empty field kept what is on file: it goes as none, and the
        // hub keeps the value it has.
        let typed = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        p.epid = acpe.then(|| typed(&self.epid)).flatten();
        p.pharm_role = acpe.then(|| {
            if self.technician {
                "technician"
            } else {
                "pharmacist"
            }
            .to_string()
        });
        p.birth_mmdd = (acpe || moc).then(|| typed(&self.mmdd)).flatten();
        p.moc_consent = moc && self.consent;
        p.abim_id = moc.then(|| typed(&self.abim_id)).flatten();
        Transition::Next
    }
}

impl Component for CreditState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.credit_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return vec![];
        };
        let mut cmds = vec![
            KeyCommand::new(Key::Enter, words.continue_label(), Intent::Continue),
            KeyCommand::new(Key::Esc, words.back(), Intent::Back),
            KeyCommand::new(Key::Up, words.up(), Intent::Up),
            KeyCommand::new(Key::Down, words.down(), Intent::Down),
            KeyCommand::new(Key::Tab, words.next(), Intent::Down).hidden(),
        ];
        if matches!(
            self.focused(visit),
            Some(Item::Code(_) | Item::Role | Item::Moc | Item::Consent)
        ) {
            cmds.insert(
                2,
                KeyCommand::new(Key::Space, words.tick_untick(), Intent::Toggle),
            );
        }
        cmds
    }

    fn input(&mut self, key: KeyEvent, cx: &mut ActArgs) -> Transition {
        let Some(visit) = cx.visit.as_deref_mut() else {
            return Transition::Stay;
        };
        let Some(item) = self.focused(visit) else {
            return Transition::Stay;
        };
        if let Some(field) = self.field(item) {
            match key.code {
                KeyCode::Char(c) if !c.is_control() && field.chars().count() < 12 => field.push(c),
                KeyCode::Backspace => {
                    field.pop();
                }
                _ => {}
            }
        }
        Transition::Stay
    }

    fn click(&mut self, row: usize, cx: &mut ActArgs) -> Transition {
        self.focus = row;
        self.act(Intent::Toggle, cx)
    }

    fn act(&mut self, action: Intent, cx: &mut ActArgs) -> Transition {
        let words = cx.words;
        let Some(visit) = cx.visit.as_deref_mut() else {
            return Transition::Stay;
        };
        let items = self.items(visit);
        match action {
            Intent::Up => self.focus = self.focus.saturating_sub(1),
            Intent::Down | Intent::NextField => {
                self.focus = (self.focus + 1).min(items.len().saturating_sub(1))
            }
            Intent::Toggle => match items.get(self.focus) {
                Some(Item::Code(c)) => toggle(&mut self.codes, *c),
                Some(Item::Moc) => toggle(&mut self.codes, CreditCode::MOC),
                Some(Item::Role) => self.technician = !self.technician,
                Some(Item::Consent) => self.consent = !self.consent,
                _ => {}
            },
            Intent::Back => return Transition::Back,
            Intent::Continue => return self.finish(words, visit),
            _ => {}
        }
        Transition::Stay
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return Spoken::default();
        };
        let focus = self.focused(visit).map(|item| {
            let tick = |on: bool| words.tick_word(on);
            match item {
                Item::Code(c) => {
                    format!(
                        "{}, {}",
                        code_name(cx.ctx, words, c),
                        tick(self.codes.contains(c))
                    )
                }
                Item::Moc => format!(
                    "{}, {}",
                    words.moc_name(),
                    tick(self.codes.contains(CreditCode::MOC))
                ),
                Item::Consent => format!("{}, {}", words.moc_consent(), tick(self.consent)),
                Item::Role => format!("{} {}", self.row(cx, item).0, words.space_changes()),
                // An ID's value is never read back: only what is wrong
                // with it, or that the one on file is kept.
                Item::Epid | Item::Mmdd | Item::AbimId => {
                    let (label, value, _) = self.row(cx, item);
                    let state = if self.kept_on_file(item) {
                        Some(words.on_file())
                    } else if self.tried || !value.is_empty() {
                        self.problem(words, item)
                    } else {
                        None
                    };
                    match state {
                        Some(st) => format!("{label}{st}"),
                        None => label,
                    }
                }
            }
        });
        Spoken {
            page: vec![words.credit_intro(visit.attendee.profession.as_str())],
            focus,
            message: self.message.clone(),
            ..Spoken::default()
        }
    }

    fn typed_id(&self, cx: &DrawArgs) -> Option<String> {
        match self.focused(cx.visit?)? {
            Item::Epid => Some(self.epid.clone()),
            Item::Mmdd => Some(self.mmdd.clone()),
            Item::AbimId => Some(self.abim_id.clone()),
            _ => None,
        }
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return;
        };
        let items = self.items(visit);
        let mut y = area.y;
        let intro = words.credit_intro(visit.attendee.profession.as_str());
        // A longer translation takes a second line rather than being cut.
        let intro_h = if width(&intro) > usize::from(area.width) {
            2
        } else {
            1
        };
        frame.render_widget(
            Paragraph::new(Line::from(intro)).wrap(Wrap { trim: true }),
            Rect {
                height: intro_h,
                ..area
            },
        );
        y += intro_h + 1;
        for (i, item) in items.iter().enumerate() {
            if y >= area.bottom() {
                break;
            }
            let focused = i == self.focus;
            let marker = if focused { "▶ " } else { "  " };
            let (label, value, is_field) = self.row(cx, *item);
            let mut spans = vec![
                Span::raw(marker),
                Span::styled(
                    label,
                    if focused {
                        theme::highlight()
                    } else {
                        theme::base()
                    },
                ),
            ];
            if is_field {
                spans.push(Span::styled(
                    format!("{value}{}", if focused { "▏" } else { "" }),
                    theme::heading(),
                ));
                let show = self.tried || !value.is_empty();
                match (self.on_file_text(words, *item), self.problem(words, *item)) {
                    (Some(kept), _) => {
                        spans.push(Span::styled(format!("  ✓ {kept}"), theme::good()));
                    }
                    (None, Some(p)) if show => {
                        spans.push(Span::styled(format!("  ✗ {p}"), theme::error()));
                    }
                    (None, None) => spans.push(Span::styled("  ✓", theme::good())),
                    _ => {}
                }
            } else if !value.is_empty() {
                spans.push(Span::styled(format!("  {value}"), theme::dim()));
            }
            if let (Item::Consent, Some(p), true) = (item, self.problem(words, *item), self.tried) {
                spans.push(Span::styled(format!("  ✗ {p}"), theme::error()));
            }
            let row = Rect {
                x: area.x,
                y,
                width: area.width,
                height: 1,
            };
            frame.render_widget(Paragraph::new(clip(Line::from(spans), row.width)), row);
            hits.push((row, TapTarget::Row(i)));
            y += if area.height >= 20 { 2 } else { 1 };
        }
        if let Some(m) = &self.message
            && y < area.bottom()
        {
            frame.render_widget(
                Paragraph::new(clip(
                    Line::from(Span::styled(format!("✗ {m}"), theme::error())),
                    area.width,
                )),
                Rect {
                    x: area.x,
                    y: area.bottom().saturating_sub(1),
                    width: area.width,
                    height: 1,
                },
            );
        }
    }
}

fn toggle(set: &mut CodeSet, code: CreditCode) {
    if set.contains(code) {
        set.remove(code)
    } else {
        set.insert(code)
    }
}
