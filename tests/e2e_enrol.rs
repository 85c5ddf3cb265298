//! End to end at the kiosk: the release binary in tmux, enrolled at a
//! real hub (no shared secret) from staff mode with the CE office's
//! one-time code scanned in as a badge scanner types it; then a reissue
//! for an attendee who claimed at another kiosk, whose certificate this
//! kiosk was never sent: it asks the hub, and the QR code it draws opens
//! that certificate.

mod common;

use std::time::Duration;

use common::qr::decode_qr;
use common::tmux::{Kiosk, SCAN, SHORT, Style, heading};
use common::{Hub, KioskDb, cluster, db_name, hub_cli, ok, visit_as};

static STYLE: Style = Style {
    name: "enrol",
    needed_by: "the end-to-end enrolment test",
    then: " and run the tests again",
    human_gap: Duration::from_millis(120),
    poll: Duration::from_millis(50),
    full_reports: false,
};

/// The fleet's shared secret switched off.
const NO_SECRET: (&str, &str) = ("CEKIOSK_SYNC_TOKEN", "");

fn add_kiosk(hub: &Hub, kiosk: &str) -> String {
    let out = hub_cli(&[&"add-kiosk", &kiosk], &hub.database);
    ok(&out);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn type_slowly(k: &Kiosk, text: &str) {
    for c in text.chars() {
        k.press(&c.to_string());
    }
}

#[test]
fn staff_enrol_the_kiosk_with_a_scanned_code_and_reissue_from_the_hub() {
    let pg = cluster();
    let name = db_name("e2e_enrol");
    let hub = Hub::start_at(&pg.database(&name), "127.0.0.1:0", &[NO_SECRET]);

    // Another kiosk, enrolled from the command line, where Amelia claimed.
    let other = KioskDb::new();
    let code = add_kiosk(&hub, "K02");
    ok(&other
        .cmd(&[NO_SECRET])
        .args(["enrol", "--hub", &hub.url, &code])
        .output()
        .unwrap());
    let profile = cekiosk::store::CreditChoices {
        codes: cekiosk::domain::CodeSet::parse_list("AMA").unwrap(),
        ..Default::default()
    };
    let cert = visit_as(&other, "A0012345", profile, &[("S008", 4)]);
    ok(&other
        .cmd(&[NO_SECRET])
        .args(["sync", "--hub", &hub.url])
        .output()
        .unwrap());

    // This kiosk: no credentials yet, the hub configured.
    let k = Kiosk::launch(
        &STYLE,
        "enrol",
        120,
        33,
        &[NO_SECRET, ("CEKIOSK_SYNC_HUB_URL", &hub.url)],
        tempfile::tempdir().unwrap(),
    );
    k.wait_for(SCAN, Duration::from_secs(15));
    k.press("F12");
    k.wait_for("Staff — enter the PIN", SHORT);
    type_slowly(&k, "2468");
    k.press("Enter");
    k.wait_for("Enrol this kiosk at the hub", SHORT);
    k.press("7");
    k.wait_for("Enrolment code", SHORT);
    // The CE office's code, read off the Kiosks page by the badge scanner.
    let code = add_kiosk(&hub, "K05");
    k.type_like_scanner(&code);
    let screen = k.wait_until("the enrolment's answer", Duration::from_secs(20), |s| {
        s.contains("Enrolled as kiosk K05") || s.contains("Not enrolled")
    });
    if !screen.contains("Enrolled as kiosk K05") {
        k.fail_with("the kiosk was not enrolled", &screen);
    }
    k.check("the staff screen names the kiosk as enrolled", |s| {
        s.contains("Kiosk K05")
    });
    let kept: String = rusqlite::Connection::open(k.db())
        .unwrap()
        .query_row("SELECT kiosk_id FROM credentials", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "K05");

    // Amelia never came to this kiosk: her certificate is at the hub.
    k.press("Escape");
    k.wait_for("Find an attendee", SHORT);
    k.press("1");
    k.wait_for("Name, email or badge", SHORT);
    type_slowly(&k, "A0012345");
    k.wait_for("A0012345  Amelia Okafor", SHORT);
    k.press("Enter");
    k.wait_for("badge A0012345", SHORT);
    k.press("r");
    let screen = k.wait_until("the QR from the hub", Duration::from_secs(20), |s| {
        heading(s).contains("Certificate") && s.contains('█')
    });
    std::thread::sleep(Duration::from_millis(100));
    let again = k.capture();
    let url = decode_qr(
        &k,
        if again.contains('█') {
            &again
        } else {
            &screen
        },
    );
    assert_eq!(
        url,
        format!("{}{cert}", common::tmux::url_base()),
        "the QR opens her certificate"
    );
    k.press("Enter");
    k.wait_for(SCAN, SHORT);

    // And it uploads with its own credentials, the shared secret off.
    let out = std::process::Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .arg("--db")
        .arg(k.db())
        .args(["sync", "--hub", &hub.url])
        .env("CEKIOSK_SYNC_TOKEN", "")
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM admin_audit WHERE action = 'reissue look-up' AND account = 'K05'"
        ),
        "1"
    );
}
