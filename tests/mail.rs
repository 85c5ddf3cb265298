//! The certificate by e-mail, end to end: kiosks sync with the real hub
//! (on a throwaway PostgreSQL), and the hub sends through a real mail
//! server the project did not write (aiosmtpd, started here). What the
//! server received is parsed with Python's `email` package and checked:
//! one message per attendee after a sync, in the language of their visit,
//! with the certificate's link (the page opens) and the hub's own PDF;
//! another after a later visit, none after a re-sync; a visit that
//! declined gets none; two hub processes send each message once; a mail
//! server away, then back (and a hub restarted meanwhile) loses and
//! doubles nothing; a 550 marks the address, the CE office sees it, and a
//! mended roster or "Send again" sends anew.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use cekiosk::domain::CodeSet;
use cekiosk::domain::lang::Lang;
use cekiosk::store::CreditChoices;
use common::smtp::{FROM, REPLY_TO, Received, SmtpServer, address, mailing_hub};
use common::{Hub, KioskDb, cluster, db_name, free_port, get, hub_cli, ok};
use sha2::Digest;

const AMELIA: &str = "A0012345"; // physician
const ROBERT: &str = "A0010158"; // physician
const ABIGAIL: &str = "A0010077"; // pharmacist
const HANAKO: &str = "A0010141"; // other

/// A visit committed as the Attest screen commits it, in `lang`, the
/// e-mail declined or not. Returns the certificate id.
fn visit(
    k: &KioskDb,
    badge: &str,
    profile: CreditChoices,
    claims: &[(&str, u32)],
    lang: Option<Lang>,
    mail_declined: bool,
) -> String {
    common::visit_in(k, badge, profile, claims, lang, mail_declined)
}

fn codes(list: &str) -> CreditChoices {
    CreditChoices {
        codes: CodeSet::parse_list(list).unwrap(),
        ..CreditChoices::default()
    }
}

fn url_base() -> String {
    common::tmux::url_base()
}

fn sha256_hex(b: &[u8]) -> String {
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The messages by envelope recipient, in the order received.
fn by_rcpt(got: &[Received]) -> BTreeMap<String, Vec<&Received>> {
    let mut out: BTreeMap<String, Vec<&Received>> = BTreeMap::new();
    for m in got {
        out.entry(m.rcpt().to_lowercase()).or_default().push(m);
    }
    out
}

/// When the server received a message (its file is named by the time).
fn received_ns(m: &Received) -> u128 {
    let name = m.file.file_stem().unwrap().to_string_lossy().to_string();
    name.trim_start_matches("msg-").parse().unwrap()
}

/// `cekiosk hub mail` on the hub's database.
fn mail_state(hub: &Hub) -> String {
    ok(&hub_cli(&[&"mail"], &hub.database))
}

/// Checks one message against the hub: headers a mail client and server
/// rely on, no list headers, a text and an HTML part, the link (its page
/// opens and names the attendee), the PDF attached is the hub's PDF.
/// Returns the certificate id the link names.
fn check_message(hub: &Hub, m: &Received, name: &str) -> String {
    assert_eq!(m.from, FROM);
    assert_eq!(m.reply_to, REPLY_TO);
    assert!(
        m.message_id.starts_with("<cekiosk.") && m.message_id.ends_with("@lakeshore.example.org>"),
        "{}",
        m.message_id
    );
    assert!(!m.date.is_empty(), "a Date header");
    assert_eq!(m.auto_submitted, "auto-generated");
    assert!(!m.list_unsubscribe, "a transactional message");
    assert_eq!(m.content_type, "multipart/mixed");
    assert!(m.to.contains(name), "{}", m.to);
    let link = m.link(&url_base());
    assert!(m.html.contains(&format!("href=\"{link}\"")), "{}", m.html);
    let id = link.strip_prefix(&url_base()).unwrap().to_string();
    let (status, page) = get(&format!("{}/c/{id}", hub.url));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(name), "the page names {name}");
    assert_eq!(m.attachments.len(), 1, "{:?}", m.attachments);
    let pdf = &m.attachments[0];
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.name.as_deref().unwrap_or("").ends_with(".pdf"));
    let hubs = common::get_bytes(&format!("{}/c/{id}.pdf", hub.url));
    assert_eq!(
        pdf.sha256,
        sha256_hex(&hubs),
        "the attachment is the hub's PDF"
    );
    id
}

#[test]
fn after_a_sync_each_attendee_has_one_message_in_the_language_of_their_visit() {
    let pg = cluster();
    let name = db_name("mail_sync");
    let smtp_dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(smtp_dir.path(), free_port());
    let hub = mailing_hub(&pg.database(&name), smtp.port);
    let k = KioskDb::new();

    let amelia = visit(
        &k,
        AMELIA,
        codes("AMA"),
        &[("S008", 4), ("S012", 4)],
        None,
        false,
    );
    let robert = visit(
        &k,
        ROBERT,
        codes("AMA"),
        &[("S008", 4)],
        Some(Lang::Ja),
        false,
    );
    // A pharmacist's e-Profile ID and birth date never leave the hub.
    let pharmacist = CreditChoices {
        epid: Some("7654321".into()),
        birth_mmdd: Some("0412".into()),
        pharm_role: Some("pharmacist".into()),
        ..codes("ACPE")
    };
    let abigail = visit(
        &k,
        ABIGAIL,
        pharmacist,
        &[("S001", 4)],
        Some(Lang::Es),
        false,
    );
    // Declined at Attest: no message for this visit.
    visit(
        &k,
        HANAKO,
        codes("COP"),
        &[("S008", 4)],
        Some(Lang::Ja),
        true,
    );
    ok(&k.sync(&hub.url, &[]));

    let got = smtp.wait_for(3, Duration::from_secs(30), Duration::from_secs(2));
    let mail = by_rcpt(&got);
    assert_eq!(
        mail.keys().cloned().collect::<Vec<_>>(),
        {
            let mut v = vec![address(AMELIA), address(ROBERT), address(ABIGAIL)];
            v.sort();
            v
        },
        "one message per attendee who did not decline"
    );
    let first = |b: &str| mail[&address(b)][0];

    // English by default, Japanese and Spanish as the visits were.
    let m = first(AMELIA);
    assert_eq!(check_message(&hub, m, "Amelia Okafor"), amelia);
    assert_eq!(m.subject, "Your certificate: Oncology Annual Meeting 2026");
    assert!(m.text.starts_with("Dear Amelia Okafor,"), "{}", m.text);
    // The credit by type, as the certificate page says it.
    let (_, page) = get(&format!("{}/c/{amelia}", hub.url));
    let amount = page
        .split("<td class=\"amount\">")
        .nth(1)
        .and_then(|s| s.split("</td>").next())
        .unwrap();
    assert!(
        m.text
            .contains(&format!("AMA PRA Category 1 Credits™: {amount}")),
        "{amount} not in:\n{}",
        m.text
    );
    let m = first(ROBERT);
    assert_eq!(check_message(&hub, m, "Robert Taylor"), robert);
    assert!(m.subject.starts_with("修了証："), "{}", m.subject);
    assert!(m.text.contains("様"), "{}", m.text);
    let m = first(ABIGAIL);
    assert_eq!(check_message(&hub, m, "Abigail Martin"), abigail);
    assert!(m.subject.starts_with("Su certificado"), "{}", m.subject);
    for secret in ["7654321", "0412", "04/12"] {
        assert!(
            !m.text.contains(secret) && !m.html.contains(secret),
            "{secret} in the message"
        );
    }
    assert!(mail_state(&hub).contains("0 queued, 3 sent, 0 refused"));

    // A re-sync sends nothing: the certificates are as they were.
    ok(&k.sync(&hub.url, &[]));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(smtp.count(), 3, "a re-sync sent a message");

    // A later visit: one more message, with the new link, following the
    // first in the mail client, and not before the interval has passed.
    let amelia2 = visit(&k, AMELIA, codes("AMA"), &[("S024", 4)], None, false);
    // A visit that does not decline sends what an earlier one declined.
    visit(
        &k,
        HANAKO,
        codes("COP"),
        &[("S012", 4)],
        Some(Lang::Ja),
        false,
    );
    ok(&k.sync(&hub.url, &[]));
    let got = smtp.wait_for(5, Duration::from_secs(30), Duration::from_secs(2));
    let mail = by_rcpt(&got);
    let both = &mail[&address(AMELIA)];
    assert_eq!(both.len(), 2);
    assert_eq!(check_message(&hub, both[1], "Amelia Okafor"), amelia2);
    assert_eq!(
        both[1].subject,
        "Your updated certificate: Oncology Annual Meeting 2026"
    );
    assert_eq!(both[1].in_reply_to, both[0].message_id);
    assert_ne!(both[1].message_id, both[0].message_id);
    let gap = received_ns(both[1]) - received_ns(both[0]);
    assert!(gap >= 3_000_000_000, "two messages {gap} ns apart");
    let hanako = &mail[&address(HANAKO)];
    assert_eq!(hanako.len(), 1);
    check_message(&hub, hanako[0], "花子");
    assert!(hanako[0].subject.starts_with("修了証："));

    // Sent again by the CE office, at once, whatever was sent before.
    let out = ok(&hub_cli(&[&"mail", &"--resend", &ROBERT], &hub.database));
    assert!(out.contains(&address(ROBERT)), "{out}");
    let got = smtp.wait_for(6, Duration::from_secs(30), Duration::from_secs(1));
    let again = &by_rcpt(&got)[&address(ROBERT)];
    assert_eq!(again.len(), 2);
    assert_eq!(check_message(&hub, again[1], "Robert Taylor"), robert);
    assert!(
        !again[1].subject.contains("更新"),
        "the same certificate, not an update: {}",
        again[1].subject
    );
    // Nothing to resend to someone the hub has no certificate for.
    let out = hub_cli(&[&"mail", &"--resend", &"A0010476"], &hub.database);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no certificate at the hub yet"),
        "{out:?}"
    );
    assert!(mail_state(&hub).contains("0 queued, 6 sent, 0 refused"));
}

#[test]
fn a_mail_server_away_then_back_and_a_hub_restart_lose_and_double_nothing() {
    let pg = cluster();
    let name = db_name("mail_away");
    let smtp_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut hub = mailing_hub(&pg.database(&name), port);
    let k = KioskDb::new();
    let badges: Vec<String> = k.badges().into_iter().take(4).collect();
    for b in &badges {
        visit(&k, b, CreditChoices::default(), &[("S008", 4)], None, false);
    }
    ok(&k.sync(&hub.url, &[]));
    // Nothing listens yet: every message is tried, and waits.
    let tried = || {
        pg.query(
            &name,
            "SELECT count(*) FROM mail_messages WHERE state = 'queued' AND attempts > 0 AND answer IS NOT NULL",
        )
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while tried() != "4" {
        assert!(
            std::time::Instant::now() < deadline,
            "not tried: {}",
            tried()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The hub goes down and comes back meanwhile.
    hub.kill();
    let hub = mailing_hub(&hub.database, port);
    let mut smtp = SmtpServer::start(smtp_dir.path(), port);
    let got = smtp.wait_for(4, Duration::from_secs(30), Duration::from_secs(2));
    let mail = by_rcpt(&got);
    for b in &badges {
        assert_eq!(mail[&address(b).to_lowercase()].len(), 1, "{b}");
    }

    // Away again while two attendees come back; back again: each gets
    // one more, once.
    smtp.stop();
    for b in &badges[..2] {
        visit(&k, b, CreditChoices::default(), &[("S012", 4)], None, false);
    }
    ok(&k.sync(&hub.url, &[]));
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(smtp.count(), 4);
    smtp.restart();
    let got = smtp.wait_for(6, Duration::from_secs(30), Duration::from_secs(2));
    let mail = by_rcpt(&got);
    for (i, b) in badges.iter().enumerate() {
        let want = if i < 2 { 2 } else { 1 };
        assert_eq!(mail[&address(b).to_lowercase()].len(), want, "{b}");
    }
    assert!(mail_state(&hub).contains("0 queued, 6 sent, 0 refused"));
}

#[test]
fn two_hub_processes_on_one_database_send_each_message_once() {
    let pg = cluster();
    let name = db_name("mail_two_hubs");
    let url = pg.database(&name);
    let smtp_dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(smtp_dir.path(), free_port());
    let hubs = [mailing_hub(&url, smtp.port), mailing_hub(&url, smtp.port)];
    let k = KioskDb::new();
    let badges: Vec<String> = k.badges().into_iter().take(30).collect();
    for b in &badges {
        visit(&k, b, CreditChoices::default(), &[("S008", 4)], None, false);
    }
    ok(&k.sync(&hubs[0].url, &[]));
    let got = smtp.wait_for(30, Duration::from_secs(60), Duration::from_secs(3));
    let mail = by_rcpt(&got);
    assert_eq!(mail.len(), 30, "every attendee");
    assert!(mail.values().all(|m| m.len() == 1), "each once");
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), 30);
    // Both processes did the work they found.
    let sent_by = |h: &Hub| {
        std::fs::read_to_string(&h.log)
            .unwrap_or_default()
            .matches("e-mail sent")
            .count()
    };
    assert_eq!(sent_by(&hubs[0]) + sent_by(&hubs[1]), 30);
}

/// Signs in to the CE office's pages; returns the session cookie.
fn sign_in(hub: &Hub) -> String {
    const PASSWORD: &str = "a long office password";
    let mut c = std::process::Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .args(["hub", "add-user", "office", "--database", &hub.database])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    writeln!(c.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    ok(&c.wait_with_output().unwrap());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let r = agent
        .post(&format!("{}/admin/sign-in", hub.url))
        .send_form([("user", "office"), ("password", PASSWORD)])
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

fn admin_get(hub: &Hub, cookie: &str, path: &str) -> String {
    let mut r = ureq::get(&format!("{}{path}", hub.url))
        .header("Cookie", cookie)
        .call()
        .unwrap();
    r.body_mut().read_to_string().unwrap()
}

#[test]
fn a_550_marks_the_address_the_office_sees_it_and_a_mended_roster_sends() {
    let pg = cluster();
    let name = db_name("mail_refused");
    let smtp_dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(smtp_dir.path(), free_port());
    smtp.refuse(&address(ROBERT));
    let hub = mailing_hub(&pg.database(&name), smtp.port);
    let k = KioskDb::new();
    visit(&k, AMELIA, codes("AMA"), &[("S008", 4)], None, false);
    visit(&k, ROBERT, codes("AMA"), &[("S008", 4)], None, false);
    ok(&k.sync(&hub.url, &[]));
    let got = smtp.wait_for(1, Duration::from_secs(30), Duration::from_secs(1));
    assert_eq!(got[0].rcpt(), address(AMELIA));
    let refused = || {
        pg.query(
            &name,
            &format!("SELECT state, answer FROM mail_messages WHERE badge_id = '{ROBERT}'"),
        )
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !refused().starts_with("refused|") {
        assert!(std::time::Instant::now() < deadline, "{}", refused());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(refused().contains("550"), "{}", refused());
    let state = mail_state(&hub);
    assert!(state.contains("0 queued, 1 sent, 1 refused"), "{state}");
    assert!(
        state.contains(ROBERT) && state.contains(&address(ROBERT)) && state.contains("550"),
        "{state}"
    );

    // The CE office sees it on the overview and the attendee's page.
    let cookie = sign_in(&hub);
    let overview = admin_get(&hub, &cookie, "/admin");
    assert!(overview.contains("E-mails refused<b>1</b>"), "{overview}");
    assert!(overview.contains(&address(ROBERT)));
    let page = admin_get(&hub, &cookie, &format!("/admin/attendees?q={ROBERT}"));
    assert!(page.contains("✗ Refused"), "{page}");
    assert!(page.contains("refused for good"), "{page}");
    assert!(page.contains("550"), "{page}");
    let page = admin_get(&hub, &cookie, &format!("/admin/attendees?q={AMELIA}"));
    assert!(page.contains("✓ Sent"), "{page}");

    // A later visit sends nothing to the refused address.
    visit(&k, ROBERT, codes("AMA"), &[("S012", 4)], None, false);
    ok(&k.sync(&hub.url, &[]));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        pg.query(
            &name,
            &format!("SELECT count(*) FROM mail_messages WHERE badge_id = '{ROBERT}'")
        ),
        "1"
    );

    // The roster mended: the certificate goes to the new address.
    let dir = tempfile::tempdir().unwrap();
    let roster = std::fs::read_to_string(common::config_dir().join("attendees.csv"))
        .unwrap()
        .replace(&address(ROBERT), "robert.taylor@mended.example.org");
    let file = common::write(dir.path(), "attendees.csv", &roster);
    ok(&hub_cli(&[&"import", &"attendees", &file], &hub.database));
    let got = smtp.wait_for(2, Duration::from_secs(30), Duration::from_secs(1));
    assert_eq!(got[1].rcpt(), "robert.taylor@mended.example.org");
    check_message(&hub, &got[1], "Robert Taylor");

    // "Send the certificate again" on the attendee's page.
    let page = admin_get(&hub, &cookie, &format!("/admin/attendees?q={AMELIA}"));
    let csrf = page
        .split("name=csrf value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the page's form token");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let r = agent
        .post(&format!("{}/admin/attendees/resend", hub.url))
        .header("Cookie", &cookie)
        .send_form([("csrf", csrf), ("badge", AMELIA)])
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let got = smtp.wait_for(3, Duration::from_secs(30), Duration::from_secs(1));
    assert_eq!(got[2].rcpt(), address(AMELIA));
    let audit = admin_get(&hub, &cookie, "/admin/audit");
    assert!(audit.contains("resend certificate"), "{audit}");

    // A void made on the attendee's page changes the certificate: one
    // more message, an update.
    let page = admin_get(&hub, &cookie, &format!("/admin/attendees?q={AMELIA}"));
    let claim = page
        .split("name=claim value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a claim to void");
    let r = agent
        .post(&format!("{}/admin/attendees/void", hub.url))
        .header("Cookie", &cookie)
        .send_form([
            ("csrf", csrf),
            ("badge", AMELIA),
            ("claim", claim),
            ("reason", "left before it began"),
        ])
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let got = smtp.wait_for(4, Duration::from_secs(30), Duration::from_secs(1));
    assert_eq!(got[3].rcpt(), address(AMELIA));
    assert!(
        got[3].subject.starts_with("Your updated certificate"),
        "{}",
        got[3].subject
    );
    assert!(
        got[3]
            .text
            .contains("AMA PRA Category 1 Credits™: 0 credits"),
        "{}",
        got[3].text
    );
}
