//! Sessions: the credit rules as the attendee meets them on screen, and
//! taps on the rows drawn.

use super::*;

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
    assert!(
        s.rows
            .contains(&crate::kiosk::screens::sessions::ListEntry::Session(s5))
    );
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
            crate::kiosk::screens::sessions::ListEntry::Session(i) => {
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
    who.profile = Some(CreditChoices {
        codes: CodeSet::parse_list("AMA").unwrap(),
        ..CreditChoices::default()
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
        .position(|r| *r == crate::kiosk::screens::sessions::ListEntry::Session(s3))
        .unwrap();
    let (rect, _) = hits
        .iter()
        .find(|(_, h)| *h == TapTarget::Row(row))
        .expect("a hit rectangle for the row");
    let text: String = (rect.x..rect.right())
        .map(|x| buf[(x, rect.y)].symbol().to_string())
        .collect();
    assert!(text.contains("Dose Rounding and Waste"), "{text}");
    // The footer's buttons are hit rectangles too.
    let (cont, _) = hits
        .iter()
        .find(|(_, h)| *h == TapTarget::Intent(Intent::Continue))
        .unwrap();
    let label: String = (cont.x..cont.right())
        .map(|x| buf[(x, cont.y)].symbol().to_string())
        .collect();
    assert!(
        label.contains("Enter") && label.contains("Continue"),
        "{label}"
    );
    w.app.update(Msg::TapTarget(TapTarget::Row(row), w.at(2.0)));
    assert!(w.app.visit.as_ref().unwrap().selected.contains_key(&s3));
    // A tap on nothing still dismisses the idle warning, and does nothing else.
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    w.app.update(Msg::Tick(w.at(2.0 + idle)));
    assert!(w.app.warning_since.is_some());
    w.app.update(Msg::Touch(w.at(3.0 + idle)));
    assert!(w.app.warning_since.is_none());
    assert_eq!(w.app.visit.as_ref().unwrap().selected.len(), 1);
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
    assert_eq!(w.message(), Some(Words::default().acpe_whole()));
    let idx = w.app.ctx.catalog.index_of("S3").unwrap();
    assert_eq!(w.app.visit.as_ref().unwrap().selected.get(&idx), Some(&4));
    let whole = w.clone_world();
    // S9 runs at the same time as S3: it cannot be ticked as well.
    w.select(&["S9"]);
    assert_eq!(w.message(), Some(Words::default().why_simultaneous_acpe()));
    let s9 = w.app.ctx.catalog.index_of("S9").unwrap();
    assert!(!w.app.visit.as_ref().unwrap().selected.contains_key(&s9));
    assert_eq!(w.awarded(CreditCode::ACPE), 4);
    for (cols, rows) in [(80u16, 24u16), (120, 33)] {
        assert_screen(
            &format!("sessions_acpe_whole_{cols}x{rows}"),
            whole.render(cols, rows, 1.0),
        );
        assert_screen(
            &format!("sessions_acpe_simultaneous_{cols}x{rows}"),
            w.render(cols, rows, 1.0),
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
    assert_eq!(w.message(), Some(Words::default().why_no_uan()));
    assert_eq!(w.awarded(CreditCode::ACPE), 0);
}

/// The ids of the sessions listed now, in order.
fn listed(w: &World) -> Vec<String> {
    let Screen::Sessions(s) = &w.app.screen else {
        panic!("not on sessions")
    };
    s.rows
        .iter()
        .filter_map(|r| match r {
            crate::kiosk::screens::sessions::ListEntry::Session(i) => {
                Some(w.app.ctx.catalog.sessions[*i].id.clone())
            }
            _ => None,
        })
        .collect()
}

fn sessions_state(w: &World) -> &crate::kiosk::screens::sessions::SessionsState {
    match &w.app.screen {
        Screen::Sessions(s) => s,
        _ => panic!("not on sessions"),
    }
}

/// The id of the highlighted session.
fn highlighted(w: &World) -> String {
    let i = sessions_state(w).current().expect("a highlight");
    w.app.ctx.catalog.sessions[i].id.clone()
}

/// A newcomer types a title with spaces: every character goes into the
/// filter, nothing is ticked behind their back.
#[test]
fn typing_a_title_with_spaces_filters_and_ticks_nothing() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.chars("poster session a");
    assert_eq!(sessions_state(&w).filter, "poster session a");
    assert_eq!(listed(&w), vec!["S2"]);
    assert!(w.app.visit.as_ref().unwrap().selected.is_empty());
    let screen = w.render(120, 33, 1.0);
    assert!(screen.contains("Poster Session A"), "{screen}");
    assert!(!screen.contains("No session matches"), "{screen}");
    // + and − are typed too while the filter has the keys.
    w.chars(" +-");
    assert_eq!(sessions_state(&w).filter, "poster session a +-");
    assert!(w.app.visit.as_ref().unwrap().selected.is_empty());
}

/// Tab leaves the filter for the list without moving the highlight; an
/// arrow leaves and moves; in the list Space ticks, and a letter goes back
/// to the filter. The screen shows which of the two has the keys.
#[test]
fn tab_and_arrows_move_between_the_filter_and_the_list() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    // The list has the keys when the screen opens: Space ticks.
    let first = highlighted(&w);
    w.key(KeyCode::Char(' '));
    let idx = w.app.ctx.catalog.index_of(&first).unwrap();
    assert!(w.app.visit.as_ref().unwrap().selected.contains_key(&idx));
    w.key(KeyCode::Char(' '));
    assert!(w.app.visit.as_ref().unwrap().selected.is_empty());
    // A letter goes to the filter, and the filter keeps the keys.
    w.chars("lung");
    assert_eq!(sessions_state(&w).filter, "lung");
    assert_eq!(listed(&w), vec!["S2", "S6"]);
    let on = highlighted(&w);
    let screen = w.render(120, 33, 1.0);
    let pointer_rows: Vec<&str> = screen.lines().filter(|l| l.contains('▶')).collect();
    assert_eq!(pointer_rows.len(), 1, "{screen}");
    assert!(pointer_rows[0].contains("Filter"), "{screen}");
    // Tab: to the list, the highlight where it was.
    w.key(KeyCode::Tab);
    assert_eq!(highlighted(&w), on);
    let screen = w.render(120, 33, 1.0);
    let pointer_rows: Vec<&str> = screen.lines().filter(|l| l.contains('▶')).collect();
    assert_eq!(pointer_rows.len(), 1, "{screen}");
    assert!(!pointer_rows[0].contains("Filter"), "{screen}");
    // Space ticks the highlighted session; a letter types again.
    w.key(KeyCode::Char(' '));
    let on_idx = w.app.ctx.catalog.index_of(&on).unwrap();
    assert_eq!(
        w.app
            .visit
            .as_ref()
            .unwrap()
            .selected
            .keys()
            .collect::<Vec<_>>(),
        vec![&on_idx]
    );
    w.key(KeyCode::Char('x'));
    assert_eq!(sessions_state(&w).filter, "lungx");
    assert_eq!(
        sessions_state(&w).keys,
        crate::kiosk::screens::sessions::Keys::Filter
    );
    assert_eq!(w.app.visit.as_ref().unwrap().selected.len(), 1);
    // An arrow leaves the filter and moves.
    w.key(KeyCode::Backspace);
    assert_eq!(sessions_state(&w).filter, "lung");
    let before = highlighted(&w);
    w.key(KeyCode::Down);
    assert_ne!(highlighted(&w), before, "Down moved the highlight");
    w.key(KeyCode::Char(' '));
    assert_eq!(w.app.visit.as_ref().unwrap().selected.len(), 2);
}

/// The hint after a typed filter says what the keys do, not that
/// Backspace clears (it deletes one character).
#[test]
fn the_filter_hint_tells_the_truth() {
    let mut w = World::new();
    w.walk_to_sessions(physician());
    w.chars("dose");
    let screen = w.render(120, 33, 1.0);
    assert!(!screen.contains("Backspace clears"), "{screen}");
    w.key(KeyCode::Backspace);
    assert_eq!(sessions_state(&w).filter, "dos");
}

/// Days that have not begun come after the days that have: today first,
/// then earlier days, newest first, then the days to come, soonest first.
#[test]
fn days_not_begun_come_after_the_days_that_have() {
    let mut w = World::with_sessions(vec![
        session(
            "S20",
            "Day Three Plenary",
            "2026-11-26T08:00",
            "2026-11-26T09:00",
            4,
            "AMA",
            "Hall A",
        ),
        session(
            "S21",
            "Day Four Plenary",
            "2026-11-27T08:00",
            "2026-11-27T09:00",
            4,
            "AMA",
            "Hall A",
        ),
    ]);
    w.walk_to_sessions(physician());
    let days: Vec<jiff::civil::Date> = sessions_state(&w)
        .rows
        .iter()
        .filter_map(|r| match r {
            crate::kiosk::screens::sessions::ListEntry::Day(d) => Some(*d),
            _ => None,
        })
        .collect();
    let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    assert_eq!(
        days,
        vec![
            d("2026-11-25"),
            d("2026-11-24"),
            d("2026-11-26"),
            d("2026-11-27")
        ]
    );
    assert_eq!(highlighted(&w), "S1", "the first selectable session");
}
