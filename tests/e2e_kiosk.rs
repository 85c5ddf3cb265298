//! End to end: the real kiosk binary in tmux, driven the way a person at the
//! kiosk drives it: a badge scanner typing a burst of keys, a person pressing
//! keys slowly, reading the screen, and a phone reading the QR code off it.
//!
//! Each test runs its own tmux server (`tmux -L`), its own database in a
//! temp dir, and kills the server when it ends, even on panic. tmux is
//! required (CI installs it); `zbarimg` is used as a second QR decoder when
//! it is installed.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::attendee_flow::{
    a_nurse, claim_three_sessions, read_certificate, walk_to_attest, welcome_to_attest,
};
use common::bin;
use common::tmux::{Kiosk, SCAN, SHORT, Style, heading, url_base};

const AMELIA: &str = "A0012345";
const IDLE_WARNING: &str = "Still there? Press any key for more time";

static STYLE: Style = Style {
    name: "e2e",
    needed_by: "the end-to-end kiosk tests",
    then: " and run the tests again",
    // Keys closer together than the kiosk's burst gap (50 ms) look like a
    // scanner; a person is slower than this.
    human_gap: Duration::from_millis(120),
    poll: Duration::from_millis(50),
    full_reports: false,
};

/// Starts the kiosk at `width`×`height` with extra environment `env`
/// and waits for the Scan screen.
fn start(name: &str, width: u16, height: u16, env: &[(&str, &str)]) -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    on_scan(Kiosk::launch(&STYLE, name, width, height, env, dir))
}

/// `kiosk` once it shows the Scan screen.
fn on_scan(kiosk: Kiosk) -> Kiosk {
    kiosk.wait_for(SCAN, Duration::from_secs(15));
    kiosk
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn walk_up_scan_claim_and_leave_with_a_qr() {
    let k = start("walkup", 120, 33, &[]);
    let url = claim_three_sessions(&k, AMELIA, "Amelia Okafor");
    let screen = k.check("the URL in text beside the QR code", |s| s.contains(&url));
    let id = url.strip_prefix(&url_base()).unwrap().to_string();

    // What the attendee saw as a QR is on disk.
    let certs = k.count(&format!(
        "SELECT count(*) FROM certificates WHERE certificate_id = '{id}' AND badge_id = '{AMELIA}'"
    ));
    if certs != 1 {
        k.fail_with(
            &format!("certificates has {certs} rows for {id} and {AMELIA}, not 1"),
            &screen,
        );
    }
    let claims = k.count(&format!(
        "SELECT count(*) FROM claims WHERE badge_id = '{AMELIA}'"
    ));
    if claims != 3 {
        k.fail_with(
            &format!("claims has {claims} rows for {AMELIA}, not 3"),
            &screen,
        );
    }
    let outbox = k.count("SELECT count(*) FROM outbox");
    if outbox == 0 {
        k.fail_with("nothing in the outbox to upload", &screen);
    }

    // Done: back to Scan with nothing of Amelia left.
    k.press("Enter");
    let screen = k.wait_until("the Scan screen", SHORT, |s| heading(s) == SCAN);
    for trace in ["Amelia", "Okafor", id.as_str(), "█"] {
        if screen.contains(trace) {
            k.fail_with(&format!("{trace:?} is still on screen after Done"), &screen);
        }
    }
}

#[test]
fn idle_kiosk_forgets_the_attendee() {
    let k = start(
        "idle",
        120,
        33,
        &[
            ("CEKIOSK_KIOSK_IDLE_SECONDS", "5"),
            // The least the config allows (WCAG 2.2.1's 20 seconds).
            ("CEKIOSK_KIOSK_WARNING_SECONDS", "20"),
        ],
    );
    k.type_like_scanner(AMELIA);
    k.wait_for("Welcome, Amelia Okafor", SHORT);
    k.press("Enter");
    let since = Instant::now();
    let credit = k.wait_until("the Credit screen", SHORT, |s| {
        heading(s).contains("Credit")
    });

    // Idle for idle_seconds: the warning.
    k.wait_for(IDLE_WARNING, Duration::from_secs(10));
    let idle = since.elapsed();
    if idle < Duration::from_millis(4_500) {
        k.fail(&format!("the idle warning came after {idle:?}, not 5 s"));
    }

    // Any key gives more time, and only that: the screen is as it was.
    k.press("Space");
    let after = Instant::now();
    let screen = k.wait_gone(IDLE_WARNING, SHORT);
    if !heading(&screen).contains("Credit") {
        k.fail_with("the key that dismissed the warning left Credit", &screen);
    }
    let ticked = |s: &str| s.lines().filter(|l| l.contains("[✓]")).count();
    if ticked(&screen) != ticked(&credit) {
        k.fail_with(
            &format!(
                "the key that dismissed the warning also acted on the screen; before:\n{credit}"
            ),
            &screen,
        );
    }

    // Idle again: the warning again, and this time it runs out.
    k.wait_for(IDLE_WARNING, Duration::from_secs(10));
    let idle = after.elapsed();
    if idle < Duration::from_millis(4_500) {
        k.fail(&format!(
            "the second idle warning came after {idle:?}, not 5 s"
        ));
    }
    let warned = Instant::now();
    let screen = k.wait_until(
        "the Scan screen after the countdown",
        Duration::from_secs(30),
        |s| heading(s) == SCAN,
    );
    let countdown = warned.elapsed();
    if countdown < Duration::from_millis(19_000) {
        k.fail_with(
            &format!("the countdown ran out after {countdown:?}, not 20 s"),
            &screen,
        );
    }
    for trace in ["Amelia", "Okafor", "Welcome", IDLE_WARNING] {
        if screen.contains(trace) {
            k.fail_with(&format!("{trace:?} is on screen after the reset"), &screen);
        }
    }
    // The unfinished claim is gone: nothing was written.
    for table in ["claims", "certificates", "visits"] {
        let n = k.count(&format!("SELECT count(*) FROM {table}"));
        if n != 0 {
            k.fail_with(
                &format!("{table} has {n} rows after an abandoned visit"),
                &screen,
            );
        }
    }
    // And it stays at rest.
    std::thread::sleep(Duration::from_millis(300));
    k.check("the kiosk to rest on Scan", |s| heading(s) == SCAN);
}

#[test]
fn unknown_badge_and_garbage_scans_leave_no_trace() {
    let k = start("garbage", 120, 33, &[]);
    let title = k.display("#{pane_title}");

    k.type_like_scanner("Z9999999");
    let screen = k.wait_for("Badge not recognised", SHORT);
    if screen.contains("Z9") {
        k.fail_with("the unknown badge's text stays on screen", &screen);
    }
    if !screen.contains("help desk") {
        k.fail_with("the message does not say where to get help", &screen);
    }

    // The same, typed by a person.
    for c in "Z9999999".chars() {
        k.press(&c.to_string());
    }
    k.wait_for("Z9999999", SHORT);
    k.press("Enter");
    let screen = k.wait_until("the typed badge to leave the screen", SHORT, |s| {
        !s.contains("Z9")
    });
    if heading(&screen) != SCAN || !screen.contains("Badge not recognised") {
        k.fail_with("no message for an unknown badge typed by hand", &screen);
    }

    // Very long scans (3,000 characters; SPEC 6 names 10,000), from a
    // fast scanner.
    for len in [3_000, 10_000] {
        k.scan_chunks(&"Z9".repeat(len / 2), 100);
        std::thread::sleep(Duration::from_millis(500));
        if !k.alive() {
            k.fail(&format!("the kiosk died on a {len}-character scan"));
        }
        let screen = k.check(&format!("Scan after a {len}-character scan"), |s| {
            heading(s) == SCAN
        });
        if screen.contains("Z9") {
            k.fail_with("the long scan's text stays on screen", &screen);
        }
    }

    // Scans full of terminal escape sequences: set the title, clear the
    // screen, colour, an 8-bit CSI.
    k.scan_chunks("\x1b]0;pwned\x07\x1b[2J", 100);
    std::thread::sleep(Duration::from_millis(300));
    k.scan_chunks("\x1b[31mpwned\x1b[0m\u{9b}2J\x1b]2;pwned\x1b\\", 100);
    std::thread::sleep(Duration::from_millis(500));
    if !k.alive() {
        k.fail("the kiosk died on a scan of escape sequences");
    }
    let screen = k.check("Scan, intact, after escape sequences", |s| {
        heading(s) == SCAN && s.contains("Oncology Annual Meeting")
    });
    let now_title = k.display("#{pane_title}");
    if now_title.contains("pwned") || now_title != title {
        k.fail_with(
            &format!("the pane title changed from {title:?} to {now_title:?}"),
            &screen,
        );
    }
    if screen.contains("pwned") {
        k.fail_with("the escape-sequence scan stays on screen", &screen);
    }

    // Still answering: a real badge works, and Not me forgets it.
    k.type_like_scanner(AMELIA);
    k.wait_for("Welcome, Amelia Okafor", SHORT);
    k.press("Escape");
    let screen = k.wait_until("Scan after Not me", SHORT, |s| heading(s) == SCAN);
    if screen.contains("Amelia") {
        k.fail_with("Amelia stays on screen after Not me", &screen);
    }
    for table in ["claims", "certificates", "visits"] {
        let n = k.count(&format!("SELECT count(*) FROM {table}"));
        if n != 0 {
            k.fail_with(&format!("{table} has {n} rows"), &screen);
        }
    }
}

#[test]
fn same_badge_twice_counts_once() {
    let k = start("twice", 120, 33, &[]);
    let first = Instant::now();
    let gap1 = k.type_like_scanner(AMELIA);
    k.wait_for("Welcome, Amelia Okafor", SHORT);
    let gap2 = k.type_like_scanner(AMELIA);
    let within = first.elapsed();
    assert!(
        within < Duration::from_millis(1_800),
        "the machine is too slow to scan twice within 2 s ({within:?})"
    );
    // Give the second scan time to be taken (and its Enter, wrongly, to act).
    std::thread::sleep(Duration::from_millis(600));
    let screen = k.capture();
    if !heading(&screen).contains("Welcome, Amelia Okafor") {
        k.fail_with(
            &format!(
                "after the same badge twice within {within:?} the kiosk left Welcome \
                 (largest gap between scanner keys: {:?})",
                gap1.max(gap2)
            ),
            &screen,
        );
    }
    // Nothing of the second scan is left waiting: one Enter is one step.
    k.press("Enter");
    k.wait_until("the Credit screen", SHORT, |s| {
        heading(s).contains("Credit")
    });
    std::thread::sleep(Duration::from_millis(400));
    k.check("still Credit after one Enter", |s| {
        heading(s).contains("Credit")
    });
}

#[test]
fn ctrl_c_does_not_leave() {
    let k = start("ctrlc", 120, 33, &[]);
    for key in ["C-c", "C-z", "C-\\"] {
        k.press(key);
    }
    std::thread::sleep(Duration::from_millis(400));
    if !k.alive() {
        k.fail("Ctrl+C, Ctrl+Z or Ctrl+\\ ended the kiosk on Scan");
    }
    k.check("Scan after Ctrl+C, Ctrl+Z, Ctrl+\\", |s| heading(s) == SCAN);

    // Nor mid-visit, and the kiosk still answers.
    k.type_like_scanner(AMELIA);
    k.wait_for("Welcome, Amelia Okafor", SHORT);
    for key in ["C-c", "C-z", "C-\\"] {
        k.press(key);
    }
    std::thread::sleep(Duration::from_millis(400));
    if !k.alive() {
        k.fail("Ctrl+C, Ctrl+Z or Ctrl+\\ ended the kiosk on Welcome");
    }
    k.check("Welcome after Ctrl+C, Ctrl+Z, Ctrl+\\", |s| {
        heading(s).contains("Welcome, Amelia Okafor")
    });
    k.press("Enter");
    k.wait_until("the Credit screen", SHORT, |s| {
        heading(s).contains("Credit")
    });
}

#[test]
fn qr_fits_and_decodes_at_80x24() {
    let (badge, name) = a_nurse();
    let k = start("small", 80, 24, &[]);
    let url = claim_three_sessions(&k, &badge, &name);
    let id = url.strip_prefix(&url_base()).unwrap().to_string();
    let screen = k.capture();
    let n = k.count(&format!(
        "SELECT count(*) FROM certificates WHERE certificate_id = '{id}' AND badge_id = '{badge}'"
    ));
    if n != 1 {
        k.fail_with(
            &format!("certificates has {n} rows for {id} and {badge}, not 1"),
            &screen,
        );
    }
    let claims = k.count(&format!(
        "SELECT count(*) FROM claims WHERE badge_id = '{badge}'"
    ));
    if claims != 3 {
        k.fail_with(
            &format!("claims has {claims} rows for {badge}, not 3"),
            &screen,
        );
    }
    k.press("Enter");
    let screen = k.wait_until("the Scan screen", SHORT, |s| heading(s) == SCAN);
    if screen.contains(&name) || screen.contains('█') {
        k.fail_with("the nurse's visit stays on screen after Done", &screen);
    }
}

/// A small filesystem mounted on a folder, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(path: &Path, size: &str) -> SmallDisk {
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .expect("running mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs and needs root (CI runs as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk {
            path: path.to_path_buf(),
        }
    }

    /// Fills the disk up: a file that takes every free byte.
    fn fill(&self) -> PathBuf {
        let filler = self.path.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

#[test]
fn a_full_disk_puts_the_kiosk_out_of_service_until_space_returns() {
    let dir = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(dir.path(), "4m");
    let k = on_scan(Kiosk::launch(&STYLE, "diskfull", 120, 33, &[], dir));
    let claims_before = k.count("SELECT count(*) FROM claims");
    walk_to_attest(&k, AMELIA, "Amelia Okafor");
    let filler = disk.fill();
    k.press("Enter");
    k.wait_for("This kiosk is out of service — please use another.", SHORT);
    assert!(k.alive(), "the kiosk must not crash on a full disk");
    // Nothing half-written: no claim, no certificate, no visit.
    assert_eq!(k.count("SELECT count(*) FROM claims"), claims_before);
    assert_eq!(k.count("SELECT count(*) FROM certificates"), 0);
    assert_eq!(k.count("SELECT count(*) FROM visits"), 0);
    let check: String =
        rusqlite::Connection::open_with_flags(k.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
    assert_eq!(check, "ok");
    // A key does not bring it back while the disk is full.
    k.press("Enter");
    std::thread::sleep(Duration::from_millis(300));
    k.check("still out of service", |s| s.contains("out of service"));
    // Space returns: within a probe interval the kiosk is back.
    std::fs::remove_file(&filler).unwrap();
    k.wait_for(SCAN, Duration::from_secs(20));
    let url = claim_three_sessions(&k, AMELIA, "Amelia Okafor");
    let id = url.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        k.count(&format!(
            "SELECT count(*) FROM certificates WHERE certificate_id = '{id}'"
        )),
        1
    );
    drop(k);
    drop(disk);
}

/// Types text the way a person does, one key at a time.
fn type_slowly(k: &Kiosk, text: &str) {
    for c in text.chars() {
        k.press(&c.to_string());
    }
}

fn open_staff(k: &Kiosk, pin: &str) {
    k.press("F12");
    k.wait_for("Staff — enter the PIN", SHORT);
    type_slowly(k, pin);
    k.press("Enter");
    k.wait_for("Leave staff mode", SHORT);
}

/// Staff mode as a staff member uses it: a PIN made with hash-pin, a QR
/// reissued and decoded, a claim voided, a walk-in who then claims.
#[test]
fn staff_reissue_void_and_walk_in() {
    let mut child = Command::new(bin())
        .arg("hash-pin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"1357\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let k = start("staff", 120, 33, &[("CEKIOSK_KIOSK_STAFF_PIN_HASH", &hash)]);
    let first_url = claim_three_sessions(&k, AMELIA, "Amelia Okafor");
    k.press("Enter");
    k.wait_for(SCAN, SHORT);

    // The demo PIN is not this kiosk's PIN.
    k.press("F12");
    k.wait_for("Staff — enter the PIN", SHORT);
    type_slowly(&k, "2468");
    k.press("Enter");
    k.wait_for("Wrong PIN", SHORT);
    k.press("Escape");
    k.wait_for(SCAN, SHORT);

    // Find Amelia and reissue her QR: it opens the same certificate.
    open_staff(&k, "1357");
    k.press("1");
    k.wait_for("Name, email or badge", SHORT);
    type_slowly(&k, "okafor");
    k.wait_for("A0012345  Amelia Okafor", SHORT);
    k.press("Enter");
    k.wait_for("badge A0012345", SHORT);
    // Each claim shows when it was made, as the event's weekday and time.
    let claim_time = |l: &str| {
        ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "]
            .iter()
            .any(|d| {
                l.split(d).nth(1).is_some_and(|t| {
                    t.len() >= 5
                        && t.as_bytes()[2] == b':'
                        && t[..2].bytes().all(|b| b.is_ascii_digit())
                })
            })
    };
    k.check("her three claims", |s| {
        s.lines().filter(|l| claim_time(l)).count() >= 3
    });
    k.press("r");
    let screen = k.wait_until("the reissued QR", SHORT, |s| {
        heading(s).contains("Certificate") && s.contains('█')
    });
    std::thread::sleep(Duration::from_millis(100));
    let again = k.capture();
    let url = read_certificate(&k, if again.contains('█') { again } else { screen });
    assert_eq!(url, first_url, "the reissued QR opens her certificate");
    k.press("Enter");
    k.wait_for(SCAN, SHORT);

    // Void her first claim, with a reason.
    open_staff(&k, "1357");
    k.press("1");
    type_slowly(&k, "A0012345");
    k.wait_for("A0012345  Amelia Okafor", SHORT);
    k.press("Enter");
    k.wait_for("badge A0012345", SHORT);
    k.press("v");
    k.wait_for("Void the claim", SHORT);
    k.press("Enter");
    k.wait_for("A void needs a reason", SHORT);
    type_slowly(&k, "wrong session");
    k.press("Enter");
    k.wait_for("VOID", SHORT);
    assert_eq!(k.count("SELECT count(*) FROM claims WHERE voided_at IS NOT NULL AND void_reason = 'wrong session'"), 1);
    assert_eq!(
        k.count("SELECT count(*) FROM claims WHERE badge_id = 'A0012345'"),
        3,
        "the void is kept"
    );

    // A walk-in, registered and claiming at once.
    k.press("Escape");
    k.press("Escape");
    k.wait_for("Add a walk-in attendee", SHORT);
    k.press("2");
    k.wait_for("First name:", SHORT);
    type_slowly(&k, "Walk");
    k.press("Down");
    type_slowly(&k, "Insson");
    k.press("Down");
    type_slowly(&k, "RN");
    k.press("Down");
    k.press("Space");
    k.press("Space");
    k.wait_for("Profession: nurse", SHORT);
    k.press("Down");
    type_slowly(&k, "walk@example.org");
    k.press("Enter");
    k.wait_for("Welcome, Walk Insson", SHORT);
    welcome_to_attest(&k);
    k.press("Enter");
    let screen = k.wait_until("the walk-in's QR", SHORT, |s| {
        heading(s).contains("Certificate") && s.contains('█')
    });
    std::thread::sleep(Duration::from_millis(100));
    let again = k.capture();
    let url = read_certificate(&k, if again.contains('█') { again } else { screen });
    let id = url.rsplit('/').next().unwrap();
    assert_eq!(
        k.count(&format!(
            "SELECT count(*) FROM certificates c JOIN attendees a ON a.badge_id = c.badge_id \
             WHERE c.certificate_id = '{id}' AND a.source = 'walkin' AND a.last_name = 'Insson'"
        )),
        1
    );
    // Every step above is in the audit log.
    for action in [
        "staff.pin",
        "staff.view_attendee",
        "certificate.reissue",
        "claim.void",
        "attendee.walk_in",
    ] {
        assert!(
            k.count(&format!(
                "SELECT count(*) FROM audit_log WHERE action = '{action}'"
            )) >= 1,
            "{action} not audited"
        );
    }
}
