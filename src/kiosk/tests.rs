//! The kiosk's update step, screen by screen, with an injected clock and
//! fixed ids; and snapshots of every screen at 80×24 and 120×33.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{Action, App, AttendeeContext, Ctx, Effect, EventClock, Found, Hit, Msg, Screen};
use super::catalog::Catalog;
use super::view;
use crate::config::{Config, parse_local};
use crate::domain::evaluation::Answers;
use crate::domain::{CodeSet, CreditCode, Profession};
use crate::store::{AttendeeRow, CertificateRow, ClaimRow, Profile, SessionRow};

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

fn ctx() -> Ctx {
    let config = Config::load_with_env(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
        |_| None,
        std::iter::empty(),
    )
    .unwrap();
    let catalog = Catalog::new(catalog_rows(), &config);
    let now = config
        .local_to_minutes(parse_local("2026-11-25T12:00").unwrap())
        .unwrap();
    let t0 = Instant::now();
    Ctx {
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

fn physician() -> AttendeeContext {
    AttendeeContext {
        attendee: attendee("A0012345", "Amelia", "Okafor", "MD", Profession::Physician),
        claims: vec![],
        answers: Answers::new(),
        profile: None,
    }
}

fn pharmacist() -> AttendeeContext {
    AttendeeContext {
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
    fn scan(&mut self, who: AttendeeContext, secs: f64) {
        let at = self.at(secs);
        self.app
            .update(Msg::Scanned(Found::Attendee(Box::new(who)), at));
    }
    fn screen(&self) -> &'static str {
        self.app.screen.name()
    }
    /// Scan → Welcome → Credit → Sessions.
    fn walk_to_sessions(&mut self, who: AttendeeContext) {
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
                .position(|r| *r == super::screens::sessions::Row::Session(idx))
                .unwrap();
            self.app.update(Msg::Hit(Hit::Row(row), self.at(1.0)));
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
            let line: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
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

#[test]
fn a_first_visit_walks_every_screen_and_commits_once() {
    let mut w = World::new();
    assert_eq!(w.screen(), "scan");
    w.walk_to_sessions(physician());
    w.select(&["S1", "S3"]);
    // Claim less than designated for S1: 1.25 → 1.
    let idx = w.app.ctx.catalog.index_of("S1").unwrap();
    let Screen::Sessions(s) = &mut w.app.screen else {
        unreachable!()
    };
    s.cursor = s
        .rows
        .iter()
        .position(|r| *r == super::screens::sessions::Row::Session(idx))
        .unwrap();
    w.key(KeyCode::Char('-'));
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "evaluation");
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let visit = commit_of(w.key(KeyCode::Enter));
    assert_eq!(visit.badge_id, "A0012345");
    assert_eq!(visit.kiosk_id, "K01");
    assert_eq!(visit.device_id, "device-1");
    let mut claims = visit.claims.clone();
    claims.sort();
    assert_eq!(claims, vec![("S1".to_string(), 4), ("S3".to_string(), 4)]);
    assert_eq!(visit.profile.codes.to_list(), "AMA");
    assert!(
        visit
            .answers
            .iter()
            .any(|(q, a)| q == "objective_1" && a == "Strongly agree")
    );
    w.app.update(Msg::Committed(Ok(certificate()), w.at(2.0)));
    assert_eq!(w.screen(), "certificate");
    let Screen::Certificate(c) = &w.app.screen else {
        unreachable!()
    };
    assert_eq!(c.url, "https://ce.example.org/c/AbCdEfGhIjKlMnOpQrStUv");
    w.key_at(KeyCode::Enter, 3.0);
    assert_eq!(w.screen(), "scan");
    assert!(w.app.visit.is_none());
}

#[test]
fn esc_goes_back_one_screen_and_not_me_forgets() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "credit");
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "welcome");
    w.key(KeyCode::Esc);
    assert_eq!(w.screen(), "scan");
    assert!(w.app.visit.is_none());
}

#[test]
fn unknown_badge_shows_help_and_nothing_else() {
    let mut w = World::new();
    for c in "Z99".chars() {
        w.key(KeyCode::Char(c));
    }
    let effects = w.key(KeyCode::Enter);
    assert_eq!(effects, vec![Effect::Resolve("Z99".into())]);
    w.app.update(Msg::Resolved {
        found: Found::Unknown,
        at: w.at(1.0),
    });
    assert_eq!(w.screen(), "scan");
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("Badge not recognised"), "{screen}");
    assert!(!screen.contains("Z99"), "{screen}");
    // The notice clears itself.
    w.app.update(Msg::Tick(w.at(10.0)));
    assert!(!w.render(120, 33, 10.0).contains("Badge not recognised"));
    // A stray unknown scan does not interrupt an attendee.
    w.walk_to_sessions(physician());
    w.app.update(Msg::Scanned(Found::Unknown, w.at(2.0)));
    assert_eq!(w.screen(), "sessions");
}

#[test]
fn same_badge_within_two_seconds_counts_once() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.key_at(KeyCode::Enter, 0.5);
    assert_eq!(w.screen(), "credit");
    w.scan(physician(), 1.0);
    assert_eq!(
        w.screen(),
        "credit",
        "a repeat scan must not restart the visit"
    );
    // Another attendee scanning takes over, with nothing of the first kept.
    w.scan(pharmacist(), 1.5);
    assert_eq!(w.screen(), "welcome");
    assert_eq!(w.app.visit.as_ref().unwrap().attendee.badge_id, "A0020001");
}

#[test]
fn idle_warning_then_wipe() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    let warn = w.app.ctx.config.kiosk.warning_seconds as f64;
    w.app.update(Msg::Tick(w.at(1.0 + idle - 0.5)));
    assert!(w.app.warning_since.is_none());
    w.app.update(Msg::Tick(w.at(1.0 + idle)));
    assert!(w.app.warning_since.is_some());
    let screen = w.render(120, 33, 1.0 + idle + 1.0);
    assert!(
        screen.contains("Still there? Press any key for more time"),
        "{screen}"
    );
    // Any key extends, and does nothing else.
    w.key_at(KeyCode::Char(' '), 2.0 + idle);
    assert!(w.app.warning_since.is_none());
    assert_eq!(w.app.visit.as_ref().unwrap().selected.len(), 1);
    // Left alone again: warning, then the countdown runs out.
    let t = 2.0 + 2.0 * idle;
    w.app.update(Msg::Tick(w.at(t)));
    assert!(w.app.warning_since.is_some());
    w.app.update(Msg::Tick(w.at(t + warn)));
    assert_eq!(w.screen(), "scan");
    assert!(w.app.visit.is_none());
    let screen = w.render(120, 33, t + warn);
    assert!(
        !screen.contains("Okafor") && !screen.contains("Immunotherapy"),
        "{screen}"
    );
    // At rest, the kiosk has nothing to wake up for.
    assert_eq!(w.app.next_deadline(w.at(t + warn)), None);
}

#[test]
fn terminal_control_keys_do_nothing() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    for c in ['c', 'z', '\\'] {
        let e = w.app.update(Msg::Key(
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            w.at(1.0),
        ));
        assert!(e.is_empty());
    }
    assert_eq!(w.screen(), "welcome");
}

#[test]
fn sessions_rules_on_screen() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    let Screen::Sessions(s) = &w.app.screen else {
        unreachable!()
    };
    // The highlight starts on the first selectable session (S5 is in the future).
    let first = s.current().unwrap();
    assert_eq!(w.app.ctx.catalog.sessions[first].id, "S1");
    // Future sessions are shown but not selectable.
    let s5 = w.app.ctx.catalog.index_of("S5").unwrap();
    assert!(s.rows.contains(&super::screens::sessions::Row::Session(s5)));
    w.select(&["S5"]);
    assert!(w.app.visit.as_ref().unwrap().selected.is_empty());
    // + stops at the designation; − stops at a quarter hour.
    w.select(&["S3"]);
    let s3 = w.app.ctx.catalog.index_of("S3").unwrap();
    for _ in 0..3 {
        w.key(KeyCode::Char('+'));
    }
    assert_eq!(w.app.visit.as_ref().unwrap().selected[&s3], 4);
    for _ in 0..6 {
        w.key(KeyCode::Char('-'));
    }
    assert_eq!(w.app.visit.as_ref().unwrap().selected[&s3], 1);
    // Filtering by room.
    w.chars("s406");
    let Screen::Sessions(s) = &w.app.screen else {
        unreachable!()
    };
    let shown: Vec<&str> = s
        .rows
        .iter()
        .filter_map(|r| match r {
            super::screens::sessions::Row::Session(i) => {
                Some(w.app.ctx.catalog.sessions[*i].id.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(shown, vec!["S3", "S8"]);
    // S2 and S4 overlap S3: the total counts the hours once and says so.
    for _ in 0..4 {
        w.key(KeyCode::Backspace);
    }
    w.select(&["S2", "S4"]);
    let totals = w.app.visit.as_ref().unwrap().totals(&w.app.ctx);
    let ama = totals.iter().find(|t| t.code == CreditCode::AMA).unwrap();
    assert_eq!(ama.requested, 1 + 11 + 4);
    assert_eq!(ama.counted, 12);
    assert!(
        w.render(120, 33, 1.0)
            .contains("overlapping sessions count once")
    );
}

#[test]
fn earlier_claims_show_as_claimed_and_later_visit_skips_evaluation() {
    let mut w = World::new();
    let mut who = physician();
    who.claims = vec![ClaimRow {
        claim_id: "c1".into(),
        session_id: "S6".into(),
        credits: 4,
        claimed_at: "2026-11-24T20:00:00Z".into(),
        voided: false,
    }];
    let ctxr = w.app.ctx.clone();
    who.answers = ctxr
        .config
        .questions
        .iter()
        .filter(|q| q.required && q.only_for.is_none())
        .map(|q| match &q.kind {
            crate::domain::evaluation::Kind::Choice(o) => (q.id.clone(), o[0].clone()),
            _ => (q.id.clone(), "x".into()),
        })
        .collect();
    who.profile = Some(Profile {
        codes: CodeSet::parse_list("AMA").unwrap(),
        ..Profile::default()
    });
    w.walk_to_sessions(who.clone());
    w.select(&["S6"]);
    assert!(
        w.app.visit.as_ref().unwrap().selected.is_empty(),
        "claimed earlier"
    );
    assert!(w.render(120, 33, 1.0).contains("claimed 1"));
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    assert_eq!(
        w.screen(),
        "attest",
        "evaluation complete on an earlier visit"
    );
    // Opting in to MOC on a later visit asks MOC's question only.
    let mut w = World::new();
    w.scan(who, 0.0);
    w.key(KeyCode::Enter);
    let Screen::Credit(c) = &mut w.app.screen else {
        unreachable!()
    };
    c.focus = 1; // the MOC row
    w.key(KeyCode::Char(' '));
    w.key(KeyCode::Down);
    w.key(KeyCode::Char(' ')); // consent
    w.key(KeyCode::Down);
    w.chars("123456");
    w.key(KeyCode::Down);
    w.chars("0229");
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "sessions");
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "evaluation");
    assert!(w.render(120, 33, 1.0).contains("Question 1 of 1"));
    w.chars("Screen for thyroid problems");
    w.key(KeyCode::Enter);
    let visit = commit_of(w.key(KeyCode::Enter));
    assert!(visit.profile.moc_consent);
    assert_eq!(visit.profile.abim_id.as_deref(), Some("123456"));
    assert_eq!(visit.profile.birth_mmdd.as_deref(), Some("0229"));
}

#[test]
fn pharmacist_fields_are_checked_as_typed() {
    let mut w = World::new();
    w.scan(pharmacist(), 0.0);
    w.key(KeyCode::Enter);
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "credit", "e-Profile ID and MMDD are required");
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("✗ enter your e-Profile ID"), "{screen}");
    // The refused Enter moved the focus to the e-Profile ID.
    w.chars("12a");
    assert!(w.render(120, 33, 1.0).contains("digits only"));
    for _ in 0..3 {
        w.key(KeyCode::Backspace);
    }
    w.chars("1234567");
    w.key(KeyCode::Down);
    w.chars("0230");
    assert!(w.render(120, 33, 1.0).contains("02/30 is not a real date"));
    w.key(KeyCode::Backspace);
    w.key(KeyCode::Backspace);
    w.chars("14");
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "sessions");
    let p = &w.app.visit.as_ref().unwrap().profile;
    assert_eq!(p.epid.as_deref(), Some("1234567"));
    assert_eq!(p.birth_mmdd.as_deref(), Some("0214"));
    assert_eq!(p.pharm_role.as_deref(), Some("pharmacist"));
}

#[test]
fn evaluation_back_keeps_answers_and_follow_up_appears_only_for_yes() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    let n_before = {
        let Screen::Evaluation(s) = &w.app.screen else {
            unreachable!()
        };
        s.counter(w.app.visit.as_ref().unwrap(), &w.app.ctx).1
    };
    w.key(KeyCode::Char('2'));
    w.key(KeyCode::Esc);
    let visit = w.app.visit.as_ref().unwrap();
    assert_eq!(
        visit.answers["objective_1"], "Agree",
        "kept after going back"
    );
    assert!(w.render(120, 33, 1.0).contains("Question 1 of"));
    // Answer through to "Will you change your practice" and say Yes.
    for _ in 0..8 {
        w.key(KeyCode::Char('1'));
    }
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("What will you change?"), "{screen}");
    let Screen::Evaluation(s) = &w.app.screen else {
        unreachable!()
    };
    assert_eq!(
        s.counter(w.app.visit.as_ref().unwrap(), &w.app.ctx).1,
        n_before + 1
    );
    // A number key in a text answer is text.
    w.chars("Use 2 checklists");
    w.key(KeyCode::Enter);
    assert_eq!(
        w.app.visit.as_ref().unwrap().answers["change_what"],
        "Use 2 checklists"
    );
}

#[test]
fn small_screens_ask_to_be_enlarged() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.app.update(Msg::Resized(70, 20));
    assert!(w.key(KeyCode::Enter).is_empty());
    assert_eq!(
        w.screen(),
        "welcome",
        "keys wait until the screen is big enough"
    );
    let screen = w.render(70, 20, 1.0);
    assert!(screen.contains("Please enlarge the window"), "{screen}");
}

#[test]
fn footer_buttons_are_the_commands() {
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.app
        .update(Msg::Hit(Hit::Action(Action::Continue), w.at(1.0)));
    assert_eq!(w.screen(), "credit");
    w.app.update(Msg::Hit(Hit::Action(Action::Back), w.at(1.0)));
    assert_eq!(w.screen(), "welcome");
}

#[test]
fn data_cannot_drive_the_terminal() {
    let mut w = World::new();
    let mut who = physician();
    who.attendee.first_name = "Ann\u{1b}]0;pwned\u{7}\u{1b}[2J".into();
    w.scan(who, 0.0);
    let screen = w.render(120, 33, 1.0);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    assert!(
        screen.contains("Welcome, Ann]0;pwned[2J Okafor"),
        "{screen}"
    );
}

/// Every screen, at both sizes.
#[test]
fn snapshots_of_every_screen() {
    let mut shots: Vec<(&str, World, f64)> = Vec::new();
    let w = World::new();
    shots.push(("scan", w, 1.0));
    let mut w = World::new();
    w.app.update(Msg::Resolved {
        found: Found::Unknown,
        at: w.at(1.0),
    });
    shots.push(("scan_unknown", w, 1.0));
    let mut w = World::new();
    w.scan(physician(), 0.0);
    shots.push(("welcome", w, 1.0));
    let mut w = World::new();
    w.scan(physician(), 0.0);
    w.key(KeyCode::Enter);
    shots.push(("credit_physician", w, 1.0));
    let mut w = World::new();
    w.scan(pharmacist(), 0.0);
    w.key(KeyCode::Enter);
    w.key(KeyCode::Enter);
    shots.push(("credit_pharmacist", w, 1.0));
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S2", "S3"]);
    shots.push(("sessions", w, 1.0));
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    shots.push(("evaluation_choice", w, 1.0));
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    for _ in 0..10 {
        w.key(KeyCode::Char('2'));
    }
    w.chars("Sponsor logos on slides");
    shots.push(("evaluation_text", w, 1.0));
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1", "S2"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    shots.push(("attest", w.clone_world(), 1.0));
    w.key(KeyCode::Enter);
    w.app.update(Msg::Committed(Ok(certificate()), w.at(1.0)));
    shots.push(("certificate", w, 1.0));
    let mut w = World::new();
    w.walk_to_sessions(physician());
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    w.app.update(Msg::Tick(w.at(1.0 + idle)));
    shots.push(("idle_warning", w, 1.0 + idle + 3.0));
    let mut w = World::new();
    w.app
        .update(Msg::Committed(Err("disk full".into()), w.at(1.0)));
    shots.push(("out_of_service", w, 1.0));
    for (name, w, secs) in &shots {
        for (cols, rows) in [(80u16, 24u16), (120, 33)] {
            insta::assert_snapshot!(format!("{name}_{cols}x{rows}"), w.render(cols, rows, *secs));
        }
    }
    insta::assert_snapshot!("too_small_70x20", shots[0].1.render(70, 20, 1.0));
}

impl World {
    fn clone_world(&self) -> World {
        World {
            app: self.app.clone(),
            t0: self.t0,
        }
    }
}

mod staff_mode {
    use super::*;
    use crate::kiosk::screens::staff::{
        AttendeeDetail, StaffInfo, StaffReply, StaffRequest, StaffView,
    };

    fn staff_effects(effects: Vec<Effect>) -> Vec<StaffRequest> {
        effects
            .into_iter()
            .map(|e| match e {
                Effect::Staff(r) => r,
                other => panic!("not a staff effect: {other:?}"),
            })
            .collect()
    }

    fn info() -> StaffInfo {
        StaffInfo {
            database: "/srv/cekiosk/kiosk.db".into(),
            attendees: 340,
            claims_today: 12,
            certificates: 9,
            not_uploaded: 57,
            last_upload: "never".into(),
            standing: vec!["Held at the hub 2 · Rejected 0 · Last good upload Wed 17:40".into()],
        }
    }

    /// F12, the PIN accepted, the staff menu with its counts.
    fn open_staff(w: &mut World) {
        w.key(KeyCode::F(12));
        assert_eq!(w.screen(), "staff-pin");
        w.chars("2468");
        let effects = staff_effects(w.key(KeyCode::Enter));
        assert_eq!(effects, vec![StaffRequest::CheckPin("2468".into())]);
        let effects = staff_effects(w.app.update(Msg::Staff(StaffReply::PinOk, w.at(1.0))));
        assert_eq!(effects, vec![StaffRequest::Info]);
        w.app
            .update(Msg::Staff(StaffReply::Info(info()), w.at(1.0)));
        assert_eq!(w.screen(), "staff");
    }

    fn detail() -> AttendeeDetail {
        AttendeeDetail {
            attendee: attendee("A0012345", "Amelia", "Okafor", "MD", Profession::Physician),
            claims: vec![(
                ClaimRow {
                    claim_id: "claim-1".into(),
                    session_id: "S1".into(),
                    credits: 5,
                    claimed_at: "2026-11-25T15:00:00Z".into(),
                    voided: false,
                },
                "Immunotherapy Toxicities: A Practical Guide".into(),
            )],
            certificate: Some(certificate()),
        }
    }

    #[test]
    fn pin_screen_says_what_is_wrong_and_esc_leaves() {
        let mut w = World::new();
        w.scan(physician(), 0.0);
        w.key(KeyCode::F(12));
        assert!(
            w.app.visit.is_none(),
            "staff mode drops the attendee's unfinished claim"
        );
        w.chars("1111");
        w.key(KeyCode::Enter);
        w.app
            .update(Msg::Staff(StaffReply::PinWrong { left: 4 }, w.at(1.0)));
        let screen = w.render(120, 33, 1.0);
        assert!(screen.contains("Wrong PIN. 4 more wrong PINs"), "{screen}");
        assert!(!screen.contains("1111"), "the PIN is never shown");
        w.app.update(Msg::Staff(
            StaffReply::PinLocked {
                until: "12:05".into(),
            },
            w.at(1.0),
        ));
        assert!(
            w.render(120, 33, 1.0)
                .contains("locked after 5 wrong PINs. Try again after 12:05")
        );
        w.key(KeyCode::Esc);
        assert_eq!(w.screen(), "scan");
    }

    #[test]
    fn a_staff_badge_opens_the_pin() {
        let mut w = World::new();
        w.app
            .update(Msg::Scanned(Found::Staff("STAFF-0001".into()), w.at(0.5)));
        assert_eq!(w.screen(), "staff-pin");
    }

    #[test]
    fn menu_actions_become_requests() {
        let mut w = World::new();
        open_staff(&mut w);
        let screen = w.render(120, 33, 1.0);
        for text in [
            "Kiosk K01",
            "ONC2026",
            "/srv/cekiosk/kiosk.db",
            "Claims today 12",
            "Not uploaded 57",
            "Last upload never",
        ] {
            assert!(screen.contains(text), "{text}: {screen}");
        }
        for (digit, expected) in [
            ('3', StaffRequest::Upload),
            ('4', StaffRequest::Audit),
            ('5', StaffRequest::Lock),
            ('6', StaffRequest::Quit),
        ] {
            assert_eq!(staff_effects(w.key(KeyCode::Char(digit))), vec![expected]);
        }
        w.app.update(Msg::Staff(StaffReply::Quit, w.at(1.0)));
        assert!(w.app.quit);
    }

    #[test]
    fn find_reissue_and_void() {
        let mut w = World::new();
        open_staff(&mut w);
        w.key(KeyCode::Enter); // Find an attendee
        w.key(KeyCode::Char('o'));
        let effects = staff_effects(w.key(KeyCode::Char('k')));
        assert_eq!(effects, vec![StaffRequest::Search("ok".into())]);
        w.app.update(Msg::Staff(
            StaffReply::Found(vec![detail().attendee]),
            w.at(1.0),
        ));
        assert!(
            w.render(120, 33, 1.0)
                .contains("A0012345  Amelia Okafor, MD")
        );
        assert_eq!(
            staff_effects(w.key(KeyCode::Enter)),
            vec![StaffRequest::Attendee("A0012345".into())]
        );
        w.app.update(Msg::Staff(
            StaffReply::Attendee(Box::new(detail())),
            w.at(1.0),
        ));
        let screen = w.render(120, 33, 1.0);
        assert!(
            screen.contains("Certificate 7Q2M-K9XD") && screen.contains("Immunotherapy Toxicities"),
            "{screen}"
        );
        assert_eq!(
            staff_effects(w.key(KeyCode::Char('r'))),
            vec![StaffRequest::Reissue("A0012345".into())]
        );
        // Void: a reason is required.
        w.key(KeyCode::Char('v'));
        assert!(
            matches!(&w.app.screen, Screen::Staff(s) if matches!(s.view, StaffView::Void { .. }))
        );
        assert!(w.key(KeyCode::Enter).is_empty());
        assert!(w.render(120, 33, 1.0).contains("A void needs a reason."));
        w.chars("Wrong session");
        assert_eq!(
            staff_effects(w.key(KeyCode::Enter)),
            vec![StaffRequest::Void {
                claim_id: "claim-1".into(),
                reason: "Wrong session".into()
            }]
        );
        // The reissued certificate is shown as a QR.
        w.app.update(Msg::Reissue(certificate(), w.at(2.0)));
        assert_eq!(w.screen(), "certificate");
        assert!(
            w.render(120, 33, 2.0)
                .contains("https://ce.example.org/c/AbCdEfGhIjKlMnOpQrStUv")
        );
    }

    #[test]
    fn walk_in_form_checks_then_registers_and_claims() {
        let mut w = World::new();
        open_staff(&mut w);
        w.key(KeyCode::Char('2'));
        // Nothing typed: refused with the reason.
        assert!(w.key(KeyCode::Enter).is_empty());
        assert!(
            w.render(120, 33, 1.0)
                .contains("Enter a first or last name.")
        );
        w.chars("Zoë");
        w.key(KeyCode::Tab);
        w.chars("Ng");
        w.key(KeyCode::Down);
        w.chars("RN");
        w.key(KeyCode::Down);
        w.key(KeyCode::Char(' '));
        w.key(KeyCode::Char(' ')); // physician → physician_assistant → nurse
        w.key(KeyCode::Down);
        w.chars("zoe@example.org");
        let effects = staff_effects(w.key(KeyCode::Enter));
        let StaffRequest::WalkIn(a) = &effects[0] else {
            panic!("{effects:?}")
        };
        assert_eq!(
            (
                a.first_name.as_str(),
                a.last_name.as_str(),
                a.degree.as_str()
            ),
            ("Zoë", "Ng", "RN")
        );
        assert_eq!(a.profession, Profession::Nurse);
        assert_eq!(a.badge_id, "", "the runner makes the badge id");
        let mut who = a.clone();
        who.badge_id = "W-K01-ABCD1234".into();
        w.app.update(Msg::WalkedIn(
            Box::new(AttendeeContext {
                attendee: who,
                claims: vec![],
                answers: Answers::new(),
                profile: None,
            }),
            w.at(2.0),
        ));
        assert_eq!(w.screen(), "welcome");
        assert!(w.render(120, 33, 2.0).contains("Welcome, Zoë Ng"));
    }

    #[test]
    fn a_locked_kiosk_ignores_attendees_until_a_pin() {
        let mut w = World::new();
        w.app.update(Msg::Locked);
        assert!(
            w.render(120, 33, 1.0)
                .contains("This kiosk is out of service")
        );
        w.scan(physician(), 0.5);
        assert_eq!(w.screen(), "locked");
        w.key(KeyCode::Enter);
        assert_eq!(w.screen(), "locked");
        w.key(KeyCode::F(12));
        w.key(KeyCode::Esc);
        assert_eq!(w.screen(), "locked", "Esc from the PIN keeps it locked");
        w.key(KeyCode::F(12));
        w.chars("2468");
        w.key(KeyCode::Enter);
        let effects = staff_effects(w.app.update(Msg::Staff(StaffReply::PinOk, w.at(1.0))));
        assert_eq!(effects, vec![StaffRequest::Unlock, StaffRequest::Info]);
        assert_eq!(w.screen(), "staff");
    }

    #[test]
    fn staff_mode_leaves_by_itself_when_idle() {
        let mut w = World::new();
        open_staff(&mut w);
        let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
        let warn = w.app.ctx.config.kiosk.warning_seconds as f64;
        w.app.update(Msg::Tick(w.at(1.0 + idle)));
        w.app.update(Msg::Tick(w.at(1.0 + idle + warn)));
        assert_eq!(w.screen(), "scan");
    }

    #[test]
    fn snapshots_of_staff_screens() {
        let mut shots: Vec<(&str, World)> = Vec::new();
        let mut w = World::new();
        w.key(KeyCode::F(12));
        w.chars("24");
        shots.push(("staff_pin", w));
        let mut w = World::new();
        open_staff(&mut w);
        shots.push(("staff_menu", w));
        let mut w = World::new();
        open_staff(&mut w);
        w.key(KeyCode::Enter);
        w.chars("ok");
        w.app.update(Msg::Staff(
            StaffReply::Found(vec![detail().attendee]),
            w.at(1.0),
        ));
        shots.push(("staff_find", w));
        let mut w = World::new();
        open_staff(&mut w);
        w.key(KeyCode::Enter);
        w.app.update(Msg::Staff(
            StaffReply::Attendee(Box::new(detail())),
            w.at(1.0),
        ));
        shots.push(("staff_attendee", w));
        let mut w = World::new();
        open_staff(&mut w);
        w.key(KeyCode::Char('2'));
        shots.push(("staff_walk_in", w));
        let mut w = World::new();
        w.app.update(Msg::Locked);
        shots.push(("locked", w));
        for (name, w) in &shots {
            for (cols, rows) in [(80u16, 24u16), (120, 33)] {
                insta::assert_snapshot!(format!("{name}_{cols}x{rows}"), w.render(cols, rows, 1.0));
            }
        }
    }
}

#[test]
fn out_of_service_until_writes_go_through_again() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.app.update(Msg::Committed(
        Err("database or disk is full".into()),
        w.at(2.0),
    ));
    assert_eq!(w.screen(), "out-of-service");
    assert!(
        w.app.visit.is_none(),
        "the unfinished claim is not kept on screen"
    );
    let screen = w.render(120, 33, 2.0);
    assert!(
        screen.contains("This kiosk is out of service — please use another."),
        "{screen}"
    );
    assert!(
        !screen.contains("disk is full"),
        "the attendee is not shown the technical reason"
    );
    // Keys do nothing; every few seconds the kiosk tries writing again.
    assert!(w.key_at(KeyCode::Enter, 3.0).is_empty());
    assert_eq!(w.app.update(Msg::Tick(w.at(2.0 + 5.0))), vec![]);
    assert_eq!(
        w.app.update(Msg::Tick(w.at(2.0 + 10.0))),
        vec![Effect::Probe]
    );
    w.app.update(Msg::Probed(false, w.at(12.0)));
    assert_eq!(w.screen(), "out-of-service");
    assert_eq!(w.app.update(Msg::Tick(w.at(22.0))), vec![Effect::Probe]);
    w.app.update(Msg::Probed(true, w.at(22.0)));
    assert_eq!(w.screen(), "scan");
    assert_eq!(w.app.next_deadline(w.at(22.0)), None);
}

/// Nothing an attendee can press or tap reaches a staff action: only the
/// PIN screen, and only the runner's verdict on a PIN opens staff mode.
#[test]
fn staff_actions_need_the_pin() {
    use crate::kiosk::screens::staff::StaffReply;
    let mut keys: Vec<KeyCode> = (32u8..127).map(|c| KeyCode::Char(c as char)).collect();
    keys.extend([
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::Backspace,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageDown,
    ]);
    keys.extend((1..=11).map(KeyCode::F));
    let hits = [
        Action::Continue,
        Action::Back,
        Action::Up,
        Action::Down,
        Action::Toggle,
        Action::More,
        Action::Less,
        Action::Choose(0),
        Action::Choose(5),
        Action::NextField,
    ];
    let starts: [fn(&mut World); 4] = [
        |_| {},
        |w| w.scan(physician(), 0.0),
        |w| w.walk_to_sessions(physician()),
        |w| {
            w.app.update(Msg::Locked);
        },
    ];
    for start in &starts {
        for key in &keys {
            let mut w = World::new();
            start(&mut w);
            let effects = w.key(*key);
            assert!(
                !effects.iter().any(|e| matches!(e, Effect::Staff(_))),
                "{key:?} on {} asked for a staff action",
                w.screen()
            );
            assert!(
                !matches!(w.app.screen, Screen::Staff(_)),
                "{key:?} opened staff mode"
            );
        }
        for action in hits {
            let mut w = World::new();
            start(&mut w);
            let effects = w.app.update(Msg::Hit(Hit::Action(action), w.at(1.0)));
            assert!(!effects.iter().any(|e| matches!(e, Effect::Staff(_))));
            assert!(!matches!(w.app.screen, Screen::Staff(_)));
        }
        // A verdict arriving when no PIN was asked for opens nothing.
        let mut w = World::new();
        start(&mut w);
        w.app.update(Msg::Staff(StaffReply::PinOk, w.at(1.0)));
        assert!(!matches!(w.app.screen, Screen::Staff(_)));
    }
}

/// Taps land on what is drawn: each session row's hit rectangle covers the
/// text of that row, and tapping it selects that session.
#[test]
fn taps_hit_the_rows_drawn() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    let mut app = w.app.clone();
    app.update(Msg::Resized(120, 33));
    let mut terminal = Terminal::new(TestBackend::new(120, 33)).unwrap();
    let mut hits = Vec::new();
    terminal
        .draw(|f| {
            hits = view::draw(&app, f, w.at(1.0));
        })
        .unwrap();
    let buf = terminal.backend().buffer().clone();
    let Screen::Sessions(s) = &app.screen else {
        unreachable!()
    };
    let s3 = w.app.ctx.catalog.index_of("S3").unwrap();
    let row = s
        .rows
        .iter()
        .position(|r| *r == super::screens::sessions::Row::Session(s3))
        .unwrap();
    let (rect, _) = hits
        .iter()
        .find(|(_, h)| *h == Hit::Row(row))
        .expect("a hit rectangle for the row");
    let text: String = (rect.x..rect.right())
        .map(|x| buf[(x, rect.y)].symbol().to_string())
        .collect();
    assert!(text.contains("Dose Rounding and Waste"), "{text}");
    // The footer's buttons are hit rectangles too.
    let (cont, _) = hits
        .iter()
        .find(|(_, h)| *h == Hit::Action(Action::Continue))
        .unwrap();
    let label: String = (cont.x..cont.right())
        .map(|x| buf[(x, cont.y)].symbol().to_string())
        .collect();
    assert!(
        label.contains("Enter") && label.contains("Continue"),
        "{label}"
    );
    w.app.update(Msg::Hit(Hit::Row(row), w.at(2.0)));
    assert!(w.app.visit.as_ref().unwrap().selected.contains_key(&s3));
    // A tap on nothing still dismisses the idle warning, and does nothing else.
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    w.app.update(Msg::Tick(w.at(2.0 + idle)));
    assert!(w.app.warning_since.is_some());
    w.app.update(Msg::Touch(w.at(3.0 + idle)));
    assert!(w.app.warning_since.is_none());
    assert_eq!(w.app.visit.as_ref().unwrap().selected.len(), 1);
}

impl World {
    /// A kiosk whose catalog has `extra` sessions beside the usual ones.
    fn with_sessions(extra: Vec<SessionRow>) -> World {
        let mut c = ctx();
        let mut rows = catalog_rows();
        rows.extend(extra);
        c.catalog = Catalog::new(rows, &c.config);
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

/// SPEC section 2's example at the kiosk: two simultaneous talks and a
/// workshop designated less than its length (the day before, so that it
/// has ended by the kiosk's clock).
#[test]
fn the_kiosk_counts_each_overlap_group_on_its_own() {
    let mut w = World::with_sessions(vec![
        session(
            "T1",
            "Sunrise Session: Tumour Boards",
            "2026-11-25T07:30",
            "2026-11-25T08:45",
            5,
            "AMA",
            "S501",
        ),
        session(
            "W1",
            "Workshop: Reading Genomic Reports",
            "2026-11-24T13:15",
            "2026-11-24T16:15",
            8,
            "AMA",
            "S502",
        ),
    ]);
    w.walk_to_sessions(physician());
    w.select(&["S1", "T1", "W1"]);
    assert_eq!(w.awarded(CreditCode::AMA), 13, "1.25 + 2 = 3.25, not 4.25");
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("3.25 of 38.75"), "{screen}");
    assert!(
        screen.contains("−1.25: overlapping sessions count"),
        "{screen}"
    );
}

/// A pharmacist claims ACPE sessions whole and one at a time, and the
/// kiosk says why.
#[test]
fn a_pharmacist_claims_acpe_sessions_whole_and_one_at_a_time() {
    let mut w = World::with_sessions(vec![session(
        "S9",
        "Biosimilar Substitution in the Infusion Centre",
        "2026-11-25T09:30",
        "2026-11-25T10:30",
        4,
        "AMA;ACPE",
        "S407",
    )]);
    w.walk_pharmacist_to_sessions();
    w.select(&["S3"]);
    assert_eq!(w.awarded(CreditCode::ACPE), 4);
    // No +/− for an ACPE session: NABP credits the UAN's registered hours.
    w.key(KeyCode::Char('-'));
    assert_eq!(w.message().as_deref(), Some(super::strings::ACPE_WHOLE));
    let idx = w.app.ctx.catalog.index_of("S3").unwrap();
    assert_eq!(w.app.visit.as_ref().unwrap().selected.get(&idx), Some(&4));
    let whole = w.clone_world();
    // S9 runs at the same time as S3: it cannot be ticked as well.
    w.select(&["S9"]);
    assert_eq!(
        w.message().as_deref(),
        Some(super::strings::WHY_SIMULTANEOUS_ACPE)
    );
    let s9 = w.app.ctx.catalog.index_of("S9").unwrap();
    assert!(!w.app.visit.as_ref().unwrap().selected.contains_key(&s9));
    assert_eq!(w.awarded(CreditCode::ACPE), 4);
    for (cols, rows) in [(80u16, 24u16), (120, 33)] {
        insta::assert_snapshot!(
            format!("sessions_acpe_whole_{cols}x{rows}"),
            whole.render(cols, rows, 1.0)
        );
        insta::assert_snapshot!(
            format!("sessions_acpe_simultaneous_{cols}x{rows}"),
            w.render(cols, rows, 1.0)
        );
    }
    // Unticking S3 frees S9.
    w.select(&["S3", "S9"]);
    assert!(w.app.visit.as_ref().unwrap().selected.contains_key(&s9));
}

/// A technician gets ACPE hours only for sessions with a UAN for
/// technicians: others would never reach CPE Monitor.
#[test]
fn a_technician_cannot_claim_a_session_without_a_technician_uan() {
    let mut w = World::new();
    w.scan(pharmacist(), 0.5);
    w.key(KeyCode::Enter);
    w.key(KeyCode::Enter);
    w.chars("1234567");
    w.key(KeyCode::Down);
    w.chars("0214");
    // The role is the item above the e-Profile ID.
    w.key(KeyCode::Up);
    w.key(KeyCode::Up);
    w.key(KeyCode::Char(' '));
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "sessions");
    assert_eq!(
        w.app.visit.as_ref().unwrap().profile.pharm_role.as_deref(),
        Some("technician")
    );
    w.select(&["S3"]);
    assert_eq!(w.message().as_deref(), Some(super::strings::WHY_NO_UAN));
    assert_eq!(w.awarded(CreditCode::ACPE), 0);
}

/// "Yes — what will you change?" answered, then the attendee went back
/// and chose "No": the follow-up is not stored.
#[test]
fn a_follow_up_whose_condition_went_away_is_not_committed() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    assert_eq!(w.screen(), "evaluation");
    let ask = |w: &World| match &w.app.screen {
        Screen::Evaluation(s) => w.app.ctx.config.questions[s.asked[s.pos]].id.clone(),
        _ => String::new(),
    };
    while ask(&w) != "change" {
        w.key(KeyCode::Char('1'));
    }
    w.key(KeyCode::Char('1')); // Yes
    assert_eq!(ask(&w), "change_what");
    w.chars("Order molecular tests at diagnosis");
    w.key(KeyCode::Enter);
    assert_eq!(ask(&w), "fair");
    w.key(KeyCode::Esc);
    w.key(KeyCode::Esc);
    assert_eq!(ask(&w), "change");
    w.key(KeyCode::Char('2')); // No
    assert_eq!(ask(&w), "fair", "the follow-up is no longer asked");
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let v = commit_of(w.key(KeyCode::Enter));
    let ids: Vec<&str> = v.answers.iter().map(|(q, _)| q.as_str()).collect();
    assert!(ids.contains(&"change"), "{ids:?}");
    assert!(!ids.contains(&"change_what"), "{ids:?}");
    assert_eq!(
        v.answers
            .iter()
            .find(|(q, _)| q == "change")
            .map(|(_, a)| a.as_str()),
        Some("No")
    );
}

/// The session was claimed at another kiosk while the attendee answered
/// the evaluation: the commit is refused by a rule. The attendee goes back
/// to Sessions with the reason, the session shows as claimed, and the
/// answers are kept.
#[test]
fn a_rule_failure_at_attest_goes_back_to_sessions_with_answers_kept() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.select(&["S1", "S6"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    assert_eq!(w.screen(), "attest");
    let answers = w.app.visit.as_ref().unwrap().answers.clone();
    assert!(!answers.is_empty());
    let mut fresh = physician();
    fresh.claims = vec![ClaimRow {
        claim_id: "elsewhere".into(),
        session_id: "S6".into(),
        credits: 4,
        claimed_at: "2026-11-25T17:00:00Z".into(),
        voided: false,
    }];
    w.app.update(Msg::Committed(
        Err(super::app::CommitFailed::Rule {
            reason: "session S6 is already claimed by A0012345".into(),
            fresh: Some(Box::new(fresh)),
        }),
        w.at(2.0),
    ));
    assert_eq!(w.screen(), "sessions", "not out of service");
    let visit = w.app.visit.as_ref().unwrap();
    assert_eq!(visit.answers, answers, "the answers are kept");
    let s1 = w.app.ctx.catalog.index_of("S1").unwrap();
    let s6 = w.app.ctx.catalog.index_of("S6").unwrap();
    assert!(visit.selected.contains_key(&s1));
    assert!(
        !visit.selected.contains_key(&s6),
        "claimed elsewhere: unticked"
    );
    assert!(visit.is_prior(s6));
    let screen = w.render(120, 33, 2.0);
    assert!(
        screen.contains("Your records changed while you answered"),
        "{screen}"
    );
    assert!(
        screen.contains("Lung Cancer Screening in Practice"),
        "{screen}"
    );
    // Enter goes on with the answers there: the evaluation is complete.
    w.key(KeyCode::Enter);
    assert!(
        matches!(w.screen(), "evaluation" | "attest"),
        "{}",
        w.screen()
    );
}
