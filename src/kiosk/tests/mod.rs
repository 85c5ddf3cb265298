//! The kiosk's update step, screen by screen, with an injected clock and
//! fixed ids; and snapshots of every screen at 80×24 and 120×33. This file
//! holds the test kiosk (`World`) and its fixtures; each subject has a
//! file of its own.

mod attest;
mod credit;
mod evaluation;
mod flow;
mod languages;
mod scan;
mod scans;
mod sessions;
mod snapshots;
mod speech;
mod staff_mode;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Screen};
use super::catalog::SessionCatalog;
use super::msg::{Effect, Intent, Msg, TapTarget};
use super::setup::{AttendeeHistory, BadgeMatch, EventClock, KioskSetup};
use super::strings::Words;
use super::view;
use crate::config::{Config, parse_local};
use crate::domain::evaluation::Answers;
use crate::domain::{CodeSet, CreditCode, Profession};
use crate::records::{AttendeeRow, SessionRow};
use crate::store::{CertificateRow, ClaimRow, CreditChoices};

fn session(
    id: &str,
    title: &str,
    start: &str,
    end: &str,
    credits: u32,
    codes: &str,
    room: &str,
) -> SessionRow {
    SessionRow {
        session_id: id.into(),
        title: title.into(),
        starts_at: start.into(),
        ends_at: end.into(),
        credits,
        credit_types: CodeSet::parse_list(codes).unwrap(),
        track: "Track".into(),
        room: room.into(),
        acpe_uan: if codes.contains("ACPE") {
            format!("JA0000534-0000-26-{id}-L01-P")
        } else {
            String::new()
        },
    }
}

fn catalog_rows() -> Vec<SessionRow> {
    vec![
        session(
            "S1",
            "Immunotherapy Toxicities: A Practical Guide",
            "2026-11-25T07:30",
            "2026-11-25T08:45",
            5,
            "AMA;ANCC;MOC",
            "S100",
        ),
        session(
            "S2",
            "Poster Session A: Lung and Thoracic",
            "2026-11-25T08:00",
            "2026-11-25T11:00",
            11,
            "AMA",
            "Hall A",
        ),
        session(
            "S3",
            "Dose Rounding and Waste",
            "2026-11-25T09:00",
            "2026-11-25T10:00",
            4,
            "AMA;ANCC;ACPE",
            "S406",
        ),
        session(
            "S4",
            "Breast Cancer Update",
            "2026-11-25T09:00",
            "2026-11-25T10:00",
            4,
            "AMA;MOC",
            "E450",
        ),
        session(
            "S5",
            "Afternoon Plenary",
            "2026-11-25T14:00",
            "2026-11-25T15:30",
            6,
            "AMA;ANCC;ACPE;MOC",
            "Hall B1",
        ),
        session(
            "S6",
            "Lung Cancer Screening in Practice",
            "2026-11-24T07:30",
            "2026-11-24T08:30",
            4,
            "AMA;MOC",
            "S100",
        ),
        session(
            "S7",
            "Nursing Grand Rounds",
            "2026-11-24T10:00",
            "2026-11-24T11:15",
            5,
            "ANCC",
            "S102",
        ),
        session(
            "S8",
            "Oral Chemotherapy Adherence",
            "2026-11-24T13:00",
            "2026-11-24T14:00",
            4,
            "AMA;ANCC;ACPE",
            "S406",
        ),
    ]
}

struct World {
    app: App,
    t0: Instant,
}

/// The demo kiosk speaking English only, as the English snapshots show it.
fn ctx() -> KioskSetup {
    ctx_with_languages("en")
}

/// The demo kiosk offering `languages` (comma-separated, the default first).
fn ctx_with_languages(languages: &str) -> KioskSetup {
    let var = "CEKIOSK_KIOSK_LANGUAGES";
    let config = Config::load_with_env(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
        |k| (k == var).then(|| languages.to_string()),
        std::iter::once(var.to_string()),
    )
    .unwrap();
    let catalog = SessionCatalog::new(catalog_rows(), &config);
    let now = config
        .local_to_minutes(parse_local("2026-11-25T12:00").unwrap())
        .unwrap();
    let t0 = Instant::now();
    KioskSetup {
        config,
        catalog,
        clock: EventClock::fixed(now, t0),
    }
}

fn attendee(
    badge: &str,
    first: &str,
    last: &str,
    degree: &str,
    profession: Profession,
) -> AttendeeRow {
    AttendeeRow {
        badge_id: badge.into(),
        first_name: first.into(),
        last_name: last.into(),
        degree: degree.into(),
        profession,
        email: format!("{}@example.org", badge.to_lowercase()),
    }
}

fn physician() -> AttendeeHistory {
    AttendeeHistory {
        attendee: attendee("A0012345", "Amelia", "Okafor", "MD", Profession::Physician),
        claims: vec![],
        answers: Answers::new(),
        profile: None,
        scanned: Default::default(),
    }
}

/// A physician scanned at the door into two sessions that overlap (S2 at
/// 07:58, then S4 at 09:05), one on the day before (S6) and one with no
/// credit for physicians (S7).
fn scanned_physician() -> AttendeeHistory {
    let mut who = physician();
    who.scanned = [
        ("S2", "2026-11-25T07:58"),
        ("S4", "2026-11-25T09:05"),
        ("S6", "2026-11-24T07:31"),
        ("S7", "2026-11-24T09:58"),
    ]
    .into_iter()
    .map(|(s, at)| (s.to_string(), at.to_string()))
    .collect();
    who
}

fn pharmacist() -> AttendeeHistory {
    AttendeeHistory {
        attendee: attendee(
            "A0020001",
            "Rosa",
            "Delgado",
            "PharmD",
            Profession::Pharmacist,
        ),
        claims: vec![],
        answers: Answers::new(),
        profile: None,
        scanned: Default::default(),
    }
}

impl World {
    fn new() -> World {
        let c = ctx();
        let t0 = Instant::now();
        World {
            app: App::new(Arc::new(c), "device-1".into(), t0),
            t0,
        }
    }
    fn at(&self, secs: f64) -> Instant {
        self.t0 + Duration::from_secs_f64(secs)
    }
    fn key_at(&mut self, code: KeyCode, secs: f64) -> Vec<Effect> {
        let at = self.at(secs);
        self.app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE), at))
    }
    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        self.key_at(code, 1.0)
    }
    fn chars(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }
    fn scan(&mut self, who: AttendeeHistory, secs: f64) {
        let at = self.at(secs);
        self.app.update(Msg::Resolved {
            found: BadgeMatch::Attendee(Box::new(who)),
            at,
        });
    }
    fn screen(&self) -> &'static str {
        self.app.screen.name()
    }
    /// Scan → Welcome → Credit → Sessions.
    fn walk_to_sessions(&mut self, who: AttendeeHistory) {
        self.scan(who, 0.5);
        self.key(KeyCode::Enter);
        assert_eq!(self.screen(), "credit");
        self.key(KeyCode::Enter);
        assert_eq!(self.screen(), "sessions");
    }
    fn select(&mut self, ids: &[&str]) {
        for id in ids {
            let idx = self.app.ctx.catalog.index_of(id).unwrap();
            let Screen::Sessions(s) = &self.app.screen else {
                panic!("not on sessions")
            };
            let row = s
                .rows
                .iter()
                .position(|r| *r == crate::kiosk::screens::sessions::ListEntry::Session(idx))
                .unwrap();
            self.app
                .update(Msg::TapTarget(TapTarget::Row(row), self.at(1.0)));
        }
    }
    /// Answers every question: the first option of choices, text for
    /// required text questions, skipping optional ones.
    fn answer_all(&mut self) {
        let mut guard = 0;
        while let Screen::Evaluation(s) = &self.app.screen {
            let q = &self.app.ctx.config.questions[s.asked[s.pos]];
            match (&q.kind, q.required) {
                (crate::domain::evaluation::Kind::Choice(_), _) => {
                    self.key(KeyCode::Char('1'));
                }
                (_, true) => {
                    self.chars("Screen every patient");
                    self.key(KeyCode::Enter);
                }
                (_, false) => {
                    self.key(KeyCode::Enter);
                }
            }
            guard += 1;
            assert!(guard < 50, "evaluation does not end");
        }
    }
    fn render(&self, w: u16, h: u16, secs: f64) -> String {
        let mut app = self.app.clone();
        app.update(Msg::Resized(w, h));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| {
                view::draw(&app, f, self.at(secs));
            })
            .unwrap();
        let buf = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..h {
            // A wide character fills two cells; the second is its shadow,
            // not a space of its own.
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let symbol = buf[(x, y)].symbol();
                line.push_str(symbol);
                x += crate::kiosk::widgets::width(symbol).max(1) as u16;
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

fn commit_of(effects: Vec<Effect>) -> crate::store::NewVisit {
    match effects.into_iter().next() {
        Some(Effect::Commit(v)) => *v,
        other => panic!("expected a commit, got {other:?}"),
    }
}

fn certificate() -> CertificateRow {
    CertificateRow {
        certificate_id: "AbCdEfGhIjKlMnOpQrStUv".into(),
        short_code: "7Q2M-K9XD".into(),
        badge_id: "A0012345".into(),
        issued_at: "2026-11-25T18:00:00Z".into(),
    }
}

impl World {
    fn clone_world(&self) -> World {
        World {
            app: self.app.clone(),
            t0: self.t0,
        }
    }
}

impl World {
    /// The demo kiosk with `lang` its default and every other language
    /// offered after it; its catalog also has a session with a long
    /// Japanese title, as a catalog may, to be cut by display width.
    fn speaking(lang: crate::domain::lang::Lang) -> World {
        let mut offered = vec![lang.code()];
        offered.extend(
            crate::domain::lang::Lang::ALL
                .iter()
                .filter(|l| **l != lang)
                .map(|l| l.code()),
        );
        let mut c = ctx_with_languages(&offered.join(","));
        let mut rows = catalog_rows();
        rows.push(session(
            "S10",
            "免疫チェックポイント阻害薬による免疫関連有害事象の実践的マネジメント",
            "2026-11-24T15:00",
            "2026-11-24T16:15",
            5,
            "AMA;ANCC;MOC",
            "会議室 B",
        ));
        c.catalog = SessionCatalog::new(rows, &c.config);
        let t0 = Instant::now();
        World {
            app: App::new(Arc::new(c), "device-1".into(), t0),
            t0,
        }
    }

    /// A kiosk whose catalog has `extra` sessions beside the usual ones.
    fn with_sessions(extra: Vec<SessionRow>) -> World {
        let mut c = ctx();
        let mut rows = catalog_rows();
        rows.extend(extra);
        c.catalog = SessionCatalog::new(rows, &c.config);
        let t0 = Instant::now();
        World {
            app: App::new(Arc::new(c), "device-1".into(), t0),
            t0,
        }
    }
    /// Scan → Welcome → Credit (e-Profile ID and birth date typed) → Sessions.
    fn walk_pharmacist_to_sessions(&mut self) {
        self.scan(pharmacist(), 0.5);
        self.key(KeyCode::Enter);
        self.key(KeyCode::Enter);
        self.chars("1234567");
        self.key(KeyCode::Down);
        self.chars("0214");
        self.key(KeyCode::Enter);
        assert_eq!(self.screen(), "sessions");
    }
    fn message(&self) -> Option<String> {
        match &self.app.screen {
            Screen::Sessions(s) => s.message.clone(),
            _ => None,
        }
    }
    fn awarded(&self, code: CreditCode) -> u32 {
        let v = self.app.visit.as_ref().unwrap();
        v.totals(&self.app.ctx)
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.awarded)
            .unwrap_or(0)
    }
}

/// Asserts a snapshot of a screen under the name it had when these tests
/// were one file (`cekiosk__kiosk__tests__{name}`), in `src/kiosk/snapshots`,
/// so the reviewed snapshot files stay as they are.
fn assert_screen(name: &str, screen: String) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(format!("cekiosk__kiosk__tests__{name}"), screen);
    });
}
