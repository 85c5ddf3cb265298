//! The CE office's pages in a real browser (headless chromium through
//! chromium-driver) against a real hub: sign in by keyboard, open every
//! page at laptop and phone size (screenshots kept in
//! `$CEKIOSK_SHOTS`, default a folder under the temp dir, to look at),
//! find an attendee, void a claim and see the reports count without it.
//! A wrong password, a locked account, an ended session and a cross-site
//! post are each refused, and change nothing.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use cekiosk::domain::CodeSet;
use cekiosk::store::CreditChoices;

use crate::common::{ADMIN, Hub, KioskDb, cluster, db_name, get_auth, ok, visit_as};
use crate::webdriver::{Browser, ENTER};

pub const PASSWORD: &str = "a long office password";

/// `cekiosk hub add-user NAME` on the hub's database, the password on
/// standard input.
pub fn add_user(hub: &Hub, name: &str, password: &str) {
    let mut c = Command::new(crate::common::bin())
        .arg("--config")
        .arg(crate::common::config_dir())
        .args(["hub", "add-user", name, "--database", &hub.database])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    writeln!(c.stdin.take().unwrap(), "{password}").unwrap();
    ok(&c.wait_with_output().unwrap());
}

fn shots() -> PathBuf {
    let dir = std::env::var_os("CEKIOSK_SHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("cekiosk-admin-shots"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The credits report's credits for one attendee and type, by the admin
/// token, as a script reads it.
fn credits(hub: &Hub, badge: &str, code: &str) -> Option<String> {
    let (status, csv) = get_auth(&format!("{}/reports/credits.csv", hub.url), ADMIN);
    assert_eq!(status, 200, "{csv}");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let heads = r.headers().unwrap().clone();
    let col = |name: &str| heads.iter().position(|h| h == name).unwrap();
    let (b, t, c) = (col("badge_id"), col("credit_type"), col("credits"));
    r.records()
        .map(Result::unwrap)
        .find(|row| &row[b] == badge && &row[t] == code)
        .map(|row| row[c].to_string())
}

/// A form posted as a script (or another site) would send it, with
/// `headers`; a redirect is answered, not followed.
pub fn post_form(
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> ureq::http::Response<ureq::Body> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut req = agent
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send(body).unwrap()
}

/// A form post with a session's cookie: the status, and where it sends
/// the browser followed by the page.
fn post(url: &str, cookie: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let cookie = format!("cekiosk_session={cookie}");
    let mut all = vec![("Cookie", cookie.as_str())];
    all.extend_from_slice(headers);
    let mut r = post_form(url, &all, body);
    let to = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    (r.status().as_u16(), format!("{to}{text}"))
}

fn voids(hub: &Hub) -> String {
    let db = hub.database.rsplit('/').next().unwrap();
    cluster().query(
        db,
        "SELECT count(*) FROM claim_state WHERE voided_at IS NOT NULL",
    )
}

#[test]
fn the_ce_office_signs_in_finds_an_attendee_and_voids_a_claim() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("admin")));
    let db = hub.database.rsplit('/').next().unwrap().to_string();
    let k = KioskDb::new();
    // A physician reporting MOC (two sessions that do not overlap), a
    // pharmacist with an e-Profile ID, a nurse whose claim will be held.
    let moc = CreditChoices {
        codes: CodeSet::parse_list("AMA;MOC").unwrap(),
        moc_consent: true,
        abim_id: Some("123456".into()),
        birth_mmdd: Some("0704".into()),
        ..CreditChoices::default()
    };
    visit_as(&k, "A0012345", moc, &[("S005", 5), ("S011", 6)]);
    let pharmacist = CreditChoices {
        codes: CodeSet::parse_list("ACPE").unwrap(),
        epid: Some("1234567".into()),
        birth_mmdd: Some("0314".into()),
        pharm_role: Some("pharmacist".into()),
        ..CreditChoices::default()
    };
    visit_as(&k, "A0020001", pharmacist, &[("S014", 3)]);
    let nurse = CreditChoices {
        codes: CodeSet::parse_list("ANCC").unwrap(),
        ..CreditChoices::default()
    };
    visit_as(&k, "A0013064", nurse, &[("S003", 5)]);
    ok(&k.sync(&hub.url, &[]));
    // The catalog at the hub now designates S003 for 1 credit: the
    // nurse's 1.25 is held.
    let sessions = std::fs::read_to_string(crate::common::config_dir().join("sessions.csv"))
        .unwrap()
        .replace(
            "S003,Poster Discussion Session: Symptom Management,2026-11-23T07:30,2026-11-23T08:45,1.25,",
            "S003,Poster Discussion Session: Symptom Management,2026-11-23T07:30,2026-11-23T08:45,1,",
        );
    let file = crate::common::write(k.dir.path(), "sessions.csv", &sessions);
    ok(&Command::new(crate::common::bin())
        .arg("--config")
        .arg(crate::common::config_dir())
        .args(["hub", "import", "sessions"])
        .arg(&file)
        .args(["--database", &hub.database])
        .output()
        .unwrap());
    add_user(&hub, "office", PASSWORD);
    let device: String = k
        .sqlite()
        .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
            r.get(0)
        })
        .unwrap();
    // The oracle: what the test claimed, in credits.
    assert_eq!(
        credits(&hub, "A0012345", "AMA").as_deref(),
        Some("2.75"),
        "1.25 + 1.5"
    );

    let dir = shots();
    let mut b = Browser::start(1280, 800);
    let shoot = |b: &Browser, name: &str, size: (u32, u32)| {
        let (w, _) = b.screenshot(&dir.join(format!("{name}-{}x{}.png", size.0, size.1)));
        assert_eq!(w, size.0, "{name}: the screenshot is the viewport's width");
    };

    // Not signed in: a page sends the browser to sign in.
    b.open(&format!("{}/admin/kiosks", hub.url));
    assert!(b.url().ends_with("/admin/sign-in"), "{}", b.url());
    // A wrong password: refused, still at the sign-in form.
    b.type_into("#user", "office");
    b.type_into("#password", &format!("not the password{ENTER}"));
    b.wait_until("the refusal", |b| {
        b.html().contains("Wrong user name or password")
    });
    assert!(b.cookies().iter().all(|c| c["name"] != "cekiosk_session"));
    shoot(&b, "sign-in-refused", (1280, 800));
    // The right one, by keyboard (Enter in the password field).
    b.type_into("#user", "office");
    b.type_into("#password", &format!("{PASSWORD}{ENTER}"));
    b.wait_until("the overview", |b| b.url().ends_with("/admin"));
    let cookie = b
        .cookies()
        .into_iter()
        .find(|c| c["name"] == "cekiosk_session")
        .expect("a session cookie");
    assert_eq!(cookie["httpOnly"], true, "{cookie}");
    assert_eq!(cookie["sameSite"], "Strict", "{cookie}");
    assert_eq!(cookie["secure"], false, "not behind TLS: {cookie}");
    let session = cookie["value"].as_str().unwrap().to_string();

    // Every page, at laptop and phone size.
    let pages = [
        ("overview", "/admin"),
        ("kiosks", "/admin/kiosks"),
        ("attendees", "/admin/attendees?q=A0012345"),
        ("held", "/admin/held"),
        ("deadlines", "/admin/deadlines"),
        ("scans", "/admin/scans"),
        ("reports", "/admin/reports"),
        ("audit", "/admin/audit"),
    ];
    let mut seen = std::collections::HashMap::new();
    for size in [(1280, 800), (390, 844)] {
        b.resize(size.0, size.1);
        for (name, path) in pages {
            b.open(&format!("{}{path}", hub.url));
            let html = b.html();
            assert!(html.contains("Signed in as"), "{name}: {html}");
            assert!(html.contains("<main id=\"main\">"), "{name}: {html}");
            shoot(&b, name, size);
            seen.insert(name, html);
        }
    }
    // What each page says, against what the test put in.
    let overview = &seen["overview"];
    assert!(
        overview.contains("Attendees with credit<b>2</b>"),
        "the physician and the pharmacist (the nurse's claim is held): {overview}"
    );
    assert!(
        overview.contains("Certificates issued<b>3</b>"),
        "{overview}"
    );
    assert!(overview.contains("Claims per hour on 2026-"), "{overview}");
    assert!(overview.contains("<svg"), "{overview}");
    let kiosks = &seen["kiosks"];
    for want in [
        "K01",
        &device,
        env!("CARGO_PKG_VERSION"),
        "in step",
        "nothing",
        // This hub takes the fleet's shared secret: the page says so.
        "every kiosk can act as every other",
    ] {
        assert!(kiosks.contains(want), "kiosks page lacks {want}: {kiosks}");
    }
    let held = &seen["held"];
    assert!(
        held.contains("A0013064") && held.contains("now designated 1"),
        "{held}"
    );
    assert!(held.contains("restore it in the catalog"), "{held}");
    let deadlines = &seen["deadlines"];
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("America/Chicago").unwrap())
        .date();
    let session_day: jiff::civil::Date = "2026-11-23".parse().unwrap();
    let left = 60 - (today - session_day).get_days();
    assert!(
        deadlines.contains("JA0000534-0000-26-003-L01-P"),
        "{deadlines}"
    );
    assert!(
        deadlines.contains(&format!("\"Days left\">{left}</td>"))
            || deadlines.contains(&format!("<b>{} days late</b>", -left)),
        "CPE Monitor's days left, {left}: {deadlines}"
    );
    assert!(deadlines.contains("2.75 MOC points"), "{deadlines}");
    assert!(seen["reports"].contains("/reports/pars.tsv"));

    // Find the physician by name, as a person would, and void a claim.
    b.resize(1280, 800);
    b.open(&format!("{}/admin/attendees", hub.url));
    b.type_into("#q", &format!("amelia okafor{ENTER}"));
    b.wait_until("the attendee", |b| b.html().contains("Claims per session"));
    let page = b.html();
    assert!(page.contains("S005") && page.contains("S011"), "{page}");
    assert!(page.contains("✓ Counts"), "{page}");
    let claim: String = k
        .sqlite()
        .query_row(
            "SELECT claim_id FROM claims WHERE badge_id = 'A0012345' AND session_id = 'S011'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    b.type_into(
        &format!("input[id='r-{claim}']"),
        "left before the session began",
    );
    b.click(&format!("form:has(input[id='r-{claim}']) button"));
    b.wait_until("the void", |b| b.url().contains("voided="));
    let page = b.html();
    assert!(page.contains(&format!("Claim {claim} is void")), "{page}");
    assert!(page.contains("left before the session began"), "{page}");
    shoot(&b, "attendee-after-void", (1280, 800));
    assert_eq!(
        credits(&hub, "A0012345", "AMA").as_deref(),
        Some("1.25"),
        "the report counts without the void claim"
    );
    b.open(&format!("{}/admin/audit", hub.url));
    let audit = b.html();
    assert!(
        audit.contains("\"Account\">office</td><td data-label=\"Action\">void</td>")
            && audit.contains(&claim),
        "{audit}"
    );
    // The void reaches the kiosk at its next sync.
    ok(&k.sync(&hub.url, &[]));
    let voided: Option<String> = k
        .sqlite()
        .query_row(
            "SELECT void_reason FROM claims WHERE claim_id = ?1",
            [&claim],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(voided.as_deref(), Some("left before the session began"));
    assert_eq!(voids(&hub), "1");

    // Door scans uploaded from their page: a bad file is refused whole,
    // with the line that is wrong; a good one reaches the attendees' pages.
    let bad = crate::common::write(
        k.dir.path(),
        "bad-scans.csv",
        "badge_id,session_id,scanned_at\nA0020001,S014,2026-11-23T09:20\nNOBODY,S014,2026-11-23T09:21\n",
    );
    b.open(&format!("{}/admin/scans", hub.url));
    b.type_into("#file", bad.to_str().unwrap());
    b.click("form[action='/admin/scans'] button");
    b.wait_until("the refusal", |b| b.html().contains("Nothing was imported"));
    assert!(b.html().contains("bad-scans.csv:3"), "{}", b.html());
    assert_eq!(pg.query(&db, "SELECT count(*) FROM scans"), "0");
    let good = crate::common::write(
        k.dir.path(),
        "scans.csv",
        "badge_id,session_id,scanned_at,direction\nA0020001,S014,2026-11-23T09:12,in\nA0013064,S005,2026-11-23T07:31,in\n",
    );
    b.type_into("#file", good.to_str().unwrap());
    b.click("form[action='/admin/scans'] button");
    b.wait_until("the import", |b| b.html().contains("2 new at the hub"));
    shoot(&b, "scans-imported", (1280, 800));
    b.open(&format!("{}/admin/attendees?q=A0020001", hub.url));
    let page = b.html();
    assert!(page.contains("2026-11-23 09:12"), "Rosa's scan: {page}");
    assert!(!page.contains("no door scan"), "{page}");
    b.open(&format!("{}/admin/attendees?q=A0012345", hub.url));
    let page = b.html();
    assert!(
        page.contains("⚠ no door scan"),
        "S005's door was scanned, not Amelia: {page}"
    );

    // The PARS file is uploaded and marked from the Reports page: the hub
    // keeps what was sent, the attendee's page shows it, the audit has it.
    b.open(&format!("{}/admin/reports", hub.url));
    assert!(b.html().contains("holds <b>1</b> Add"), "{}", b.html());
    b.click("form[action='/reports/pars/submitted'] button");
    b.wait_until("the mark", |b| b.url().contains("marked="));
    let page = b.html();
    assert!(
        page.contains("Marked as uploaded: ACCME PARS")
            && page.contains("1 rows (1 Add, 0 Delete)"),
        "{page}"
    );
    assert!(
        page.contains("holds <b>0</b> Add"),
        "nothing left to send: {page}"
    );
    shoot(&b, "reports-marked", (1280, 800));
    b.open(&format!("{}/admin/attendees?q=A0012345", hub.url));
    let page = b.html();
    assert!(
        page.contains("Sent to PARS and CPE Monitor")
            && page.contains("Certifying Board ID: 123456"),
        "{page}"
    );
    assert_eq!(
        pg.query(
            &db,
            "SELECT count(*) FROM admin_audit WHERE account = 'office' AND action = 'mark uploaded'"
        ),
        "1"
    );
    // The mark with the session's cookie but not its form token: refused.
    let (status, _) = post(
        &format!("{}/reports/cpe-monitor/submitted", hub.url),
        &session,
        &[],
        "csrf=guess",
    );
    assert_eq!(status, 403);

    // A cross-site post with the session's own cookie and token: refused.
    b.open(&format!("{}/admin/attendees?q=A0020001", hub.url));
    let page = b.html();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let rosa: String = k
        .sqlite()
        .query_row(
            "SELECT claim_id FROM claims WHERE badge_id = 'A0020001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let form = format!("csrf={csrf}&badge=A0020001&claim={rosa}&reason=x");
    let void_url = format!("{}/admin/attendees/void", hub.url);
    for headers in [
        &[("Sec-Fetch-Site", "cross-site")][..],
        &[("Origin", "http://elsewhere.example")][..],
    ] {
        let (status, body) = post(&void_url, &session, headers, &form);
        assert_eq!(status, 403, "{headers:?}: {body}");
        assert!(body.contains("another site"), "{body}");
    }
    // Without the session's form token: refused too.
    let (status, _) = post(
        &void_url,
        &session,
        &[],
        &format!("csrf=guess&badge=A0020001&claim={rosa}&reason=x"),
    );
    assert_eq!(status, 403);
    // A form on another site that posts here: the browser does not send
    // the session (SameSite=Strict), so it is sent to sign in instead.
    let attack = format!(
        "data:text/html,<form method=post action='{void_url}'><input name=csrf value='{csrf}'>\
<input name=badge value=A0020001><input name=claim value='{rosa}'><input name=reason value=x>\
<button id=go>go</button></form>"
    );
    b.open(&attack);
    b.click("#go");
    b.wait_until("the hub's answer", |b| b.url().contains("/admin/sign-in"));
    assert_eq!(voids(&hub), "1", "nothing voided by a cross-site post");

    // The reports page's downloads work with the session, and are audited.
    let (status, csv) = {
        let mut r = ureq::get(&format!("{}/reports/credits.csv", hub.url))
            .header("Cookie", &format!("cekiosk_session={session}"))
            .call()
            .unwrap();
        (
            r.status().as_u16(),
            r.body_mut().read_to_string().unwrap_or_default(),
        )
    };
    assert_eq!(status, 200);
    assert!(csv.contains("A0012345"), "{csv}");
    assert_eq!(
        pg.query(
            &db,
            "SELECT count(*) FROM admin_audit WHERE account = 'office' AND action = 'download' AND detail = 'credits.csv'"
        ),
        "1"
    );

    // A kiosk not heard from for longer than its sync interval (300 s in
    // the demo config) stands out, in words.
    pg.query(
        &db,
        "UPDATE devices SET last_seen = now() - interval '2 hours', reported_at = now() - interval '2 hours'",
    );
    b.open(&format!("{}/admin/kiosks", hub.url));
    let kiosks = b.html();
    assert!(kiosks.contains("⚠ silent 2 h 00 min"), "{kiosks}");
    assert!(
        kiosks.contains("been silent for longer than their sync interval"),
        "{kiosks}"
    );
    shoot(&b, "kiosks-silent", (1280, 800));

    // An ended session: pages send the browser to sign in, saying so, and
    // its forms do nothing.
    pg.query(
        &db,
        "UPDATE admin_sessions SET expires_at = now() - interval '1 second'",
    );
    b.open(&format!("{}/admin/kiosks", hub.url));
    assert!(b.url().contains("/admin/sign-in"), "{}", b.url());
    assert!(b.html().contains("Your session has ended"), "{}", b.html());
    let (status, to) = post(
        &void_url,
        &session,
        &[("Sec-Fetch-Site", "same-origin")],
        &form,
    );
    assert_eq!(status, 303, "{to}");
    assert!(to.starts_with("/admin/sign-in"), "{to}");
    assert_eq!(voids(&hub), "1", "nothing voided by an ended session");
    let (status, _) = get_auth(&format!("{}/reports/credits.csv", hub.url), "nope");
    assert_eq!(status, 401);
    println!("screenshots in {}", dir.display());
}

/// Five wrong passwords lock the account: then even the right one is
/// refused, and the audit says so.
#[test]
fn wrong_passwords_lock_the_account() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("lockout")));
    add_user(&hub, "clerk", PASSWORD);
    let url = format!("{}/admin/sign-in", hub.url);
    for _ in 0..5 {
        let (status, body) = post(&url, "", &[], "user=clerk&password=guess");
        assert!(status == 401 || status == 403, "{status}: {body}");
    }
    let (status, body) = post(
        &url,
        "",
        &[],
        &format!("user=clerk&password={}", PASSWORD.replace(' ', "+")),
    );
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("locked after 5 wrong passwords"), "{body}");
    // Another site's sign-in form is refused before the password is read.
    let (status, _) = post(
        &url,
        "",
        &[("Origin", "http://elsewhere.example")],
        "user=clerk&password=x",
    );
    assert_eq!(status, 403);
    let db = hub.database.rsplit('/').next().unwrap();
    assert_eq!(
        pg.query(
            db,
            "SELECT count(*) FROM admin_audit WHERE account = 'clerk' AND action = 'sign-in refused'"
        ),
        "6"
    );
    assert_eq!(pg.query(db, "SELECT count(*) FROM admin_sessions"), "0");
    // Removing the account: once, then there is none to remove; its
    // history stays in the audit.
    let remove = || {
        Command::new(crate::common::bin())
            .arg("--config")
            .arg(crate::common::config_dir())
            .args(["hub", "remove-user", "clerk", "--database", &hub.database])
            .output()
            .unwrap()
    };
    ok(&remove());
    let again = remove();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("there is no account 'clerk'"));
    assert_eq!(pg.query(db, "SELECT count(*) FROM admin_users"), "0");
    assert_eq!(
        pg.query(
            db,
            "SELECT count(*) FROM admin_audit WHERE detail = 'clerk' AND action = 'remove-user'"
        ),
        "1"
    );
}
