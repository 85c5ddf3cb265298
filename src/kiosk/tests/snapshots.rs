//! Snapshots of every attendee screen at 80×24 and 120×33.

use super::*;

/// Every attendee screen as `new` kiosks show it, with the moment (in
/// seconds) to draw each at.
pub(super) fn attendee_screens(new: &dyn Fn() -> World) -> Vec<(&'static str, World, f64)> {
    let mut shots: Vec<(&str, World, f64)> = Vec::new();
    let w = new();
    shots.push(("scan", w, 1.0));
    let mut w = new();
    w.app.update(Msg::Resolved {
        found: BadgeMatch::Unknown,
        at: w.at(1.0),
    });
    shots.push(("scan_unknown", w, 1.0));
    let mut w = new();
    w.scan(physician(), 0.0);
    shots.push(("welcome", w, 1.0));
    let mut w = new();
    w.scan(physician(), 0.0);
    w.key(KeyCode::Enter);
    shots.push(("credit_physician", w, 1.0));
    let mut w = new();
    w.scan(pharmacist(), 0.0);
    w.key(KeyCode::Enter);
    w.key(KeyCode::Enter);
    shots.push(("credit_pharmacist", w, 1.0));
    let mut w = new();
    w.walk_to_sessions(physician());
    w.select(&["S2", "S3"]);
    shots.push(("sessions", w, 1.0));
    let mut w = new();
    w.walk_to_sessions(scanned_physician());
    shots.push(("sessions_scanned", w, 1.0));
    let mut w = new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    shots.push(("evaluation_choice", w, 1.0));
    let mut w = new();
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    for _ in 0..10 {
        w.key(KeyCode::Char('2'));
    }
    w.chars("Sponsor logos on slides");
    shots.push(("evaluation_text", w, 1.0));
    let mut w = new();
    w.walk_to_sessions(physician());
    w.select(&["S1", "S2"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    shots.push(("attest", w.clone_world(), 1.0));
    let mut declined = w.clone_world();
    declined.key(KeyCode::Char(' '));
    shots.push(("attest_mail_declined", declined, 1.0));
    w.key(KeyCode::Enter);
    w.app.update(Msg::Committed(Ok(certificate()), w.at(1.0)));
    shots.push(("certificate", w, 1.0));
    let mut w = new();
    w.walk_to_sessions(physician());
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    w.app.update(Msg::Tick(w.at(1.0 + idle)));
    shots.push(("idle_warning", w, 1.0 + idle + 3.0));
    let mut w = new();
    w.app
        .update(Msg::Committed(Err("disk full".into()), w.at(1.0)));
    shots.push(("out_of_service", w, 1.0));
    shots
}

/// Every screen, at both sizes.
#[test]
fn snapshots_of_every_screen() {
    let shots = attendee_screens(&World::new);
    for (name, w, secs) in &shots {
        for (cols, rows) in [(80u16, 24u16), (120, 33)] {
            assert_screen(
                &format!("{name}_{cols}x{rows}"),
                w.render(cols, rows, *secs),
            );
        }
    }
    assert_screen("too_small_70x20", shots[0].1.render(70, 20, 1.0));
}

/// Every attendee screen with large text on, in the grid twice the font
/// leaves (58×15 on the 1280×720 screen the cage test runs): everything
/// on it fits by display width, and the heading has the first row.
#[test]
fn snapshots_of_every_screen_in_large_text() {
    let (cols, rows) = (58u16, 15u16);
    for (name, mut w, secs) in attendee_screens(&World::new) {
        w.app.large = true;
        let screen = w.render(cols, rows, secs);
        for (y, line) in screen.lines().enumerate() {
            assert!(
                crate::kiosk::widgets::width(line) <= usize::from(cols),
                "{name} line {y}:\n{screen}"
            );
        }
        assert!(!screen.contains("enlarge"), "{name}:\n{screen}");
        assert_screen(&format!("large__{name}_{cols}x{rows}"), screen);
    }
}
