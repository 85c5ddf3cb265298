//! End to end at the kiosk: the release binary in tmux, two attendees
//! through to Attest. There each sees where the certificate will be
//! e-mailed, the address masked; the first declines it with one key
//! (Space), the second does not. After the kiosk's sync the hub's mail
//! server (aiosmtpd, started here) has exactly one message: the second
//! attendee's, with the certificate the kiosk's QR code showed.

mod common;

use std::time::Duration;

use common::attendee_flow::{read_certificate, walk_to_attest};
use common::smtp::{SmtpServer, address, mailing_hub};
use common::tmux::{Kiosk, SCAN, SHORT, Style, heading};
use common::{cluster, db_name, free_port, ok};

static STYLE: Style = Style {
    name: "mail",
    needed_by: "the end-to-end e-mail test",
    then: " and run the tests again",
    human_gap: Duration::from_millis(120),
    poll: Duration::from_millis(50),
    full_reports: false,
};

const AMELIA: &str = "A0012345";
const ROBERT: &str = "A0010158";

/// Attest, the address on it, then (Space pressed when `decline`) the
/// certificate: returns the URL its QR code holds.
fn attest(k: &Kiosk, badge: &str, name: &str, masked: &str, decline: bool) -> String {
    walk_to_attest(k, badge, name);
    let screen = k.wait_until("Attest with the address", SHORT, |s| {
        heading(s).contains("Attest") && s.contains(masked)
    });
    if screen.contains(&address(badge)) {
        k.fail_with("the whole address is on screen", &screen);
    }
    if decline {
        k.press("Space");
        k.wait_until("the e-mail declined", SHORT, |s| {
            s.contains("Not e-mailed this time") && s.contains(masked)
        });
    }
    k.press("Enter");
    let screen = k.wait_until("the Certificate screen with its QR code", SHORT, |s| {
        heading(s).contains("Certificate") && s.contains('█')
    });
    let url = read_certificate(k, screen);
    k.press("Enter");
    k.wait_for(SCAN, SHORT);
    url
}

#[test]
fn the_decline_key_at_attest_keeps_that_visit_out_of_the_mail() {
    let pg = cluster();
    let name = db_name("e2e_mail");
    let smtp_dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(smtp_dir.path(), free_port());
    let hub = mailing_hub(&pg.database(&name), smtp.port);
    let k = Kiosk::launch(&STYLE, "mail", 120, 33, &[], tempfile::tempdir().unwrap());
    k.wait_for(SCAN, Duration::from_secs(15));

    let declined = attest(&k, AMELIA, "Amelia Okafor", "a•••@example.org", true);
    let mailed = attest(&k, ROBERT, "Robert Taylor", "r•••@example.org", false);

    // The kiosk's upload, as `cekiosk sync` on its database.
    ok(&common::sync_db(&k.db(), &hub.url));
    let got = smtp.wait_for(1, Duration::from_secs(30), Duration::from_secs(2));
    assert_eq!(got[0].rcpt(), address(ROBERT));
    assert_eq!(got[0].link(&common::tmux::url_base()), mailed);
    // The choice reached the hub with the declined visit's certificate.
    let id = declined.rsplit('/').next().unwrap();
    assert_eq!(
        pg.query(
            &name,
            &format!("SELECT mail_declined FROM certificate_rows WHERE certificate_id = '{id}'")
        ),
        "t"
    );
}
