//! The attendee's way through the kiosk in tmux, as tests/e2e_kiosk.rs
//! walks it: scan a badge, confirm on Welcome, take the default credit,
//! select three sessions, answer the evaluation, attest, and read the
//! certificate URL back off the QR code on screen.

use std::time::Duration;

use super::config_dir;
use super::qr::read_qr;
use super::tmux::{Kiosk, SHORT, heading, url_base};

/// Scans `badge` and walks from Welcome through Credit, Sessions (three
/// sessions), the evaluation and Attest to the Certificate screen; returns
/// the certificate URL read from the QR code.
pub fn claim_three_sessions(k: &Kiosk, badge: &str, name: &str) -> String {
    walk_to_attest(k, badge, name);
    k.press("Enter");
    let screen = k.wait_until("the Certificate screen with its QR code", SHORT, |s| {
        heading(s).contains("Certificate") && s.contains('█')
    });
    read_certificate(k, screen)
}

/// Scan, confirm, take the default credit, select three sessions, answer
/// the evaluation: the kiosk is then on Attest.
pub fn walk_to_attest(k: &Kiosk, badge: &str, name: &str) {
    k.type_like_scanner(badge);
    k.wait_for(&format!("Welcome, {name}"), SHORT);
    welcome_to_attest(k);
}

/// From the Welcome screen to Attest.
pub fn welcome_to_attest(k: &Kiosk) {
    k.press("Enter");
    k.wait_until("the Credit screen", SHORT, |s| {
        heading(s).contains("Credit")
    });
    k.press("Enter");
    k.wait_until("the Sessions screen", SHORT, |s| {
        heading(s).contains("Sessions")
    });

    // Space, Down, Space, Down, Space; a session that cannot be selected
    // (not ended, no credit for this attendee) is passed over with Down.
    let selected = |s: &str| s.lines().filter(|l| l.contains("[✓]")).count();
    let mut have = 0;
    for _ in 0..30 {
        if have == 3 {
            break;
        }
        k.press("Space");
        let s = k.wait_until("the session to be selected (or refused)", SHORT, |s| {
            selected(s) == have + 1 || s.contains('✗')
        });
        if selected(&s) == have + 1 {
            have += 1;
        }
        if have < 3 {
            k.press("Down");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    if have != 3 {
        k.fail("could not select three sessions");
    }
    k.press("Enter");
    let screen = k.wait_for("Question 1 of", SHORT);
    k.answer_evaluation(screen);
}

/// The rest of `claim_three_sessions`: read the QR off the screen.
pub fn read_certificate(k: &Kiosk, screen: String) -> String {
    // Let the draw settle, then read the code.
    std::thread::sleep(Duration::from_millis(100));
    let again = k.capture();
    let screen = if again.contains('█') { again } else { screen };
    let url = read_qr(k, &screen);
    let base = url_base();
    let id = url.strip_prefix(&base).unwrap_or_else(|| {
        k.fail_with(
            &format!("the QR code holds {url:?}, not a URL under {base}"),
            &screen,
        )
    });
    if id.len() < 16
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.fail_with(
            &format!("certificate id {id:?} is not a long URL-safe id"),
            &screen,
        );
    }
    url
}

/// The first nurse in the demo roster: (badge, "First Last").
pub fn a_nurse() -> (String, String) {
    let mut r = csv::Reader::from_path(config_dir().join("attendees.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (badge, first, last, profession) = (
        col("badge_id"),
        col("first_name"),
        col("last_name"),
        col("profession"),
    );
    r.records()
        .map(|rec| rec.unwrap())
        .find(|rec| &rec[profession] == "nurse")
        .map(|rec| {
            (
                rec[badge].to_string(),
                format!("{} {}", &rec[first], &rec[last]).trim().to_string(),
            )
        })
        .expect("a nurse in config/attendees.csv")
}
