//! Names in every script a demo roster holds: each certificate passes the
//! PDF/A validator, embeds every font it uses (pdffonts), gives the name
//! back through `pdftotext`, and rasterises (pdftoppm). With
//! `PDF_PREVIEW_DIR` set, the PDFs and PNG previews are kept there so a
//! person can look at them.

use super::tests::{FONTS, flat_text, info, pdf, poppler};
use super::*;
use std::process::Command;

/// (script, name): one attendee per script.
const NAMES: &[(&str, &str)] = &[
    ("latin", "José Núñez-Łukasiewicz"),
    ("greek", "Σωκράτης Παπαδόπουλος"),
    ("cyrillic", "Анна Иванова"),
    ("arabic", "سارة أحمد"),
    ("hebrew", "דוד כהן"),
    ("devanagari", "अनन्या सिंह"),
    ("thai", "สมชาย ใจดี"),
    ("han", "花子 田中"),
    ("hangul", "김민준"),
    ("vietnamese", "Nguyễn Thị Phương"),
    ("kana", "さくら ヤマダ"),
];

/// The certificate the hub draws (see `hub::certificate::pdf`), for `name`.
fn certificate(name: &str) -> Vec<Block> {
    vec![
        Block::Title("Certificate of Credit".into()),
        Block::Space(8.0),
        Block::Paragraph("This certifies that".into()),
        Block::Heading(format!("{name}, MD")),
        Block::Paragraph(
            "participated in the live activity 42nd Annual Congress, 14–17 May 2026, \
             Kraków, Poland, provided by the International Society for Perioperative \
             Medicine."
                .into(),
        ),
        Block::Space(8.0),
        Block::Heading("Credit".into()),
        Block::CreditRow("AMA PRA Category 1 Credits™".into(), "12.50".into()),
        Block::Small("The ISPM designates this live activity for a maximum of 24.00 credits.".into()),
        Block::Space(6.0),
        Block::SetApart("In support of improving patient care, this activity has been planned and implemented jointly.".into()),
        Block::Field("Name".into(), name.into()),
        Block::Field("Issued".into(), "17 May 2026 16:42 CEST".into()),
        Block::Small("Verify at https://ce.example.org/c/7F3K-92QX".into()),
    ]
}

/// Right-to-left text comes out of pdftotext in reading order on its own
/// line; a name's words may come out in either order around the Latin
/// text beside them, so each word is looked for.
fn words(name: &str) -> Vec<&str> {
    name.split(' ').collect()
}

#[test]
fn every_script_passes_the_pdfa_validator() {
    for (script, name) in NAMES {
        let result = render(
            &FONTS,
            &info(&format!("Certificate of Credit — {name}")),
            &certificate(name),
        );
        assert!(result.is_ok(), "{script}: {:?}", result.err());
    }
    // All of them on one certificate, too.
    let all: Vec<String> = NAMES.iter().map(|(_, n)| n.to_string()).collect();
    let result = render(&FONTS, &info("all"), &certificate(&all.join(" · ")));
    assert!(result.is_ok(), "{:?}", result.err());
}

#[test]
fn every_name_survives_pdftotext() {
    for (script, name) in NAMES {
        let text = flat_text(&pdf(name, &certificate(name)));
        for word in words(name) {
            assert!(
                text.contains(word),
                "{script}: {word:?} missing from:\n{text}"
            );
        }
        assert!(text.contains("Certificate of Credit"), "{script}");
        assert!(!text.contains('?'), "{script}: a letter was lost:\n{text}");
    }
}

#[test]
fn every_font_is_embedded() {
    for (script, name) in NAMES {
        let fonts = poppler("pdffonts", &[], &pdf(name, &certificate(name)));
        // name type encoding emb sub uni object ID, after two header lines.
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 2, "{script}: {fonts}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert!(n >= 6, "{script}: {row}");
            // emb, sub, uni: embedded, subset, mapped to Unicode.
            assert_eq!(cols[n - 5..n - 2], ["yes", "yes", "yes"], "{script}: {row}");
        }
    }
}

/// pdftoppm draws each certificate; the image is not blank. With
/// `PDF_PREVIEW_DIR` set, the PDFs and PNGs are kept there for a look.
#[test]
fn every_certificate_rasterises() {
    let keep = std::env::var_os("PDF_PREVIEW_DIR").map(std::path::PathBuf::from);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = keep.clone().unwrap_or_else(|| dir.path().to_path_buf());
    std::fs::create_dir_all(&out).expect("preview folder");
    for (script, name) in NAMES {
        let path = out.join(format!("{script}.pdf"));
        std::fs::write(&path, pdf(name, &certificate(name))).expect("write the PDF");
        let png = out.join(script);
        let output = Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-singlefile"])
            .arg(&path)
            .arg(&png)
            .output()
            .expect("pdftoppm (poppler-utils) is needed");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.trim().is_empty(),
            "{script}: {stderr}"
        );
        let bytes = std::fs::read(png.with_extension("png")).expect("the PNG");
        assert!(bytes.starts_with(b"\x89PNG"), "{script}");
        // A blank Letter page at 60 dpi compresses to well under 2 kB.
        assert!(
            bytes.len() > 4000,
            "{script}: {} bytes, blank?",
            bytes.len()
        );
    }
}
