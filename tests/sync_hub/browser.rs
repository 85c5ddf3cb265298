//! The certificate page as a phone shows it, loaded in headless Chromium:
//! its DOM holds what a certificate must, it renders to a screenshot, and
//! it prints on one page without what only a screen needs.

use std::process::Command;

use crate::common::{Hub, KioskDb, cluster, db_name, ok};
use crate::visit;

/// The certificate page as a phone shows it: headless Chromium loads it,
/// its DOM holds what a certificate must, and it renders to a screenshot.
#[test]
fn certificate_page_in_a_real_browser() {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("chromium is needed for this test (Debian package chromium; .ci/run installs it)");
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("browser")));
    let k = KioskDb::new();
    let cert = visit(&k, "A0020001", "ACPE", &[("S002", 5)]);
    {
        // This pharmacist gave an e-Profile ID; the page names the UAN.
        let c = k.sqlite();
        c.execute(
            "UPDATE profiles SET epid = '1234567', birth_mmdd = '0314', pharm_role = 'pharmacist'",
            [],
        )
        .unwrap();
        c.execute("UPDATE outbox SET payload = json_set(payload, '$.pharm_role', 'pharmacist') WHERE kind = 'profile'", []).unwrap();
    }
    ok(&k.sync(&hub.url, &[]));
    let url = format!("{}/c/{cert}", hub.url);
    let profile = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--window-size=412,915",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap()
    };
    let dom = String::from_utf8_lossy(&run(&["--dump-dom"]).stdout).into_owned();
    for text in [
        "Rosa Delgado",
        "PharmD",
        "ACPE contact hours",
        "1.25 contact hours",
        "JA0000534-0000-26-002-L01-P",
        "NABP CPE Monitor",
        "<aside",
        "jointly accredited",
        &cert,
    ] {
        assert!(
            dom.contains(text),
            "{text} missing from the rendered page: {dom}"
        );
    }
    assert!(
        !dom.contains("-L01-T"),
        "a pharmacist's certificate shows no technician UAN"
    );
    let shot = profile.path().join("shot.png");
    let out = run(&[&format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot)
        .unwrap_or_else(|_| panic!("no screenshot: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(png.starts_with(b"\x89PNG"));
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 412, "rendered at phone width");
    assert!(
        png.len() > 10_000,
        "a blank page compresses to almost nothing"
    );
    // Printed from the browser (its default paper): one page, everything
    // the certificate says, nothing that only makes sense on a screen.
    let printed = profile.path().join("printed.pdf");
    let out = run(&[
        &format!("--print-to-pdf={}", printed.display()),
        "--no-pdf-header-footer",
    ]);
    assert!(
        printed.exists(),
        "chromium printed nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf_text = |tool: &str, args: &[&str]| poppler(tool, args, &printed);
    let text = pdf_text("pdftotext", &["-layout"]);
    for want in [
        "Rosa Delgado",
        "ACPE contact hours",
        "NABP CPE Monitor",
        &cert,
    ] {
        assert!(
            text.contains(want),
            "{want} not on the printed page: {text}"
        );
    }
    assert!(
        !text.contains("Download PDF"),
        "the printed page offers a download: {text}"
    );
    let info = pdf_text("pdfinfo", &[]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 1")),
        "the certificate prints on one page: {info}"
    );
}

/// What a poppler tool prints about a PDF file (pdftotext to standard
/// output).
pub(crate) fn poppler(tool: &str, args: &[&str], pdf: &std::path::Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Printed on A4 and on US Letter, the certificate fills one page of each,
/// with its statements and without the links only a screen can use.
#[test]
fn the_certificate_prints_on_one_a4_and_one_letter_page() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("paper")));
    let k = KioskDb::new();
    // A physician with MOC: the longest certificate the demo prints.
    let cert = visit(
        &k,
        "A0012345",
        "AMA;MOC",
        &[("S008", 4), ("S012", 6), ("S010", 2)],
    );
    ok(&k.sync(&hub.url, &[]));
    let driver = crate::webdriver::Browser::start(1280, 800);
    driver.open(&format!("{}/c/{cert}", hub.url));
    let dir = tempfile::tempdir().unwrap();
    for (paper, w, h) in [("A4", 21.0, 29.7), ("Letter", 21.59, 27.94)] {
        let file = dir.path().join(format!("{paper}.pdf"));
        std::fs::write(&file, driver.print(w, h)).unwrap();
        let tool = |name: &str, args: &[&str]| poppler(name, args, &file);
        let info = tool("pdfinfo", &[]);
        let size = info
            .lines()
            .find(|l| l.starts_with("Page size:"))
            .unwrap_or("");
        // pdfinfo names the paper it measures: "(A4)", "(letter)".
        assert!(
            size.to_lowercase()
                .contains(&format!("({})", paper.to_lowercase())),
            "{paper}: {size}"
        );
        assert!(
            info.lines()
                .any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 1")),
            "{paper}: the certificate prints on one page: {info}"
        );
        // Lines wrap where the paper's width says: compare words.
        let text = tool("pdftotext", &[])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for want in [
            "Amelia Okafor",
            "AMA PRA Category 1 Credits™",
            "jointly accredited",
            &cert,
        ] {
            assert!(text.contains(want), "{paper}: {want} not printed: {text}");
        }
        for screen_only in ["Download PDF", "digital credential"] {
            assert!(
                !text.contains(screen_only),
                "{paper}: {screen_only} printed"
            );
        }
    }
}
