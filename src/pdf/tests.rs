//! Checks on the certificate PDF: a valid xref table, text that survives
//! encoding and wrapping, layout within the margins, and (with poppler
//! installed) that a real reader extracts what was meant. A property test
//! renders arbitrary blocks to show `render` never panics.

use super::encode::{encode, fallback};
use super::font::{Font, wrap};
use super::layout::*;
use super::writer::{literal, num};
use super::*;
use proptest::prelude::*;
use std::process::Command;

/// Checks the trailer and xref table: every in-use entry's offset must
/// point at `N 0 obj` for its object number N. Returns the object count.
fn check_xref(pdf: &[u8]) -> usize {
    let text = std::str::from_utf8(pdf).expect("the PDF is ASCII");
    assert!(text.starts_with("%PDF-1.4\n"), "header");
    assert!(text.ends_with("%%EOF\n"), "trailer end");
    let at = text.rfind("startxref\n").expect("startxref") + "startxref\n".len();
    let xref_at: usize = text[at..]
        .lines()
        .next()
        .and_then(|l| l.parse().ok())
        .expect("startxref offset");
    let xref = &text[xref_at..];
    assert!(xref.starts_with("xref\n0 "), "startxref points at the xref");
    let mut lines = xref.lines().skip(1);
    let size: usize = lines
        .next()
        .and_then(|l| l.strip_prefix("0 "))
        .and_then(|n| n.parse().ok())
        .expect("xref subsection");
    // Entries are fixed at 20 bytes; check on bytes, not lines.
    let entries_at = xref_at + format!("xref\n0 {size}\n").len();
    for n in 0..size {
        let entry = &text[entries_at + 20 * n..entries_at + 20 * (n + 1)];
        assert!(entry.ends_with(" \n"), "entry {n} is 20 bytes: {entry:?}");
        if n == 0 {
            assert_eq!(entry, "0000000000 65535 f \n");
            continue;
        }
        assert!(entry.ends_with(" 00000 n \n"), "entry {n}: {entry:?}");
        let offset: usize = entry[..10].parse().expect("offset");
        assert!(
            text[offset..].starts_with(&format!("{n} 0 obj\n")),
            "xref entry {n} points at {:?}",
            &text[offset..(offset + 20).min(text.len())]
        );
    }
    assert!(
        text.contains(&format!("trailer\n<< /Size {size} ")),
        "trailer /Size"
    );
    size
}

fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page /Parent").count()
}

/// Baselines (the y of every `x y Td`) in the content streams.
fn baselines(pdf: &[u8]) -> Vec<f32> {
    let text = String::from_utf8_lossy(pdf);
    text.lines()
        .filter(|l| l.starts_with("BT "))
        .filter_map(|l| {
            let words: Vec<&str> = l.split(' ').collect();
            let td = words.iter().position(|w| *w == "Td")?;
            words.get(td.checked_sub(1)?)?.parse().ok()
        })
        .collect()
}

/// A realistic certificate: the one the hub will serve.
fn sample() -> Vec<Block> {
    vec![
        Block::Title("Certificate of Credit".into()),
        Block::Paragraph("This certifies that".into()),
        Block::Field("Name".into(), "José Núñez, MD".into()),
        Block::Field("Badge".into(), "A-10427".into()),
        Block::Field(
            "Activity".into(),
            "42nd Annual Congress of the International Society for Perioperative \
             Medicine (ISPM 2026)"
                .into(),
        ),
        Block::Field(
            "Dates and place".into(),
            "14–17 May 2026 · Kraków, Poland".into(),
        ),
        Block::Space(6.0),
        Block::Heading("Credit awarded".into()),
        Block::CreditRow("AMA PRA Category 1 Credits™".into(), "12.50".into()),
        Block::CreditRow("ANCC contact hours".into(), "12.50".into()),
        Block::CreditRow(
            "ACPE knowledge-based contact hours (UAN JA4008123-9999-26-042-L01-P), \
             of which 2.00 in pharmacotherapeutics"
                .into(),
            "6.00".into(),
        ),
        Block::Space(6.0),
        Block::Heading("Accreditation".into()),
        Block::SetApart(
            "In support of improving patient care, this activity has been planned and \
             implemented by the International Society for Perioperative Medicine and \
             Congress Partners Ltd. The International Society for Perioperative Medicine \
             is jointly accredited by the Accreditation Council for Continuing Medical \
             Education (ACCME), the Accreditation Council for Pharmacy Education (ACPE), \
             and the American Nurses Credentialing Center (ANCC), to provide continuing \
             education for the healthcare team."
                .into(),
        ),
        Block::Paragraph(
            "The International Society for Perioperative Medicine designates this live \
             activity for a maximum of 24.00 AMA PRA Category 1 Credits™. Physicians \
             should claim only the credit commensurate with the extent of their \
             participation in the activity."
                .into(),
        ),
        Block::Space(18.0),
        Block::Field(
            "Signed".into(),
            "Prof. Łukasz Wróbel, Chair of the CME Committee".into(),
        ),
        Block::Space(12.0),
        Block::Small(
            "Verify this certificate at https://ce.ispm2026.example.org/c/7F3K-92QX".into(),
        ),
        Block::Small("Certificate 7F3K-92QX · issued 17 May 2026 16:42 CEST".into()),
    ]
}

#[test]
fn starts_with_header_and_ends_with_eof() {
    let pdf = render("Certificate", &sample());
    assert!(pdf.starts_with(b"%PDF-1.4\n"));
    assert!(pdf.ends_with(b"%%EOF\n"));
    assert!(pdf.is_ascii(), "7-bit clean");
}

#[test]
fn xref_offsets_point_at_objects() {
    let pdf = render("Certificate", &sample());
    // Catalog, pages, two fonts, info, then a page and a stream per page.
    assert_eq!(check_xref(&pdf), 1 + 5 + 2 * page_count(&pdf));
    let empty = render("", &[]);
    assert_eq!(page_count(&empty), 1, "an empty document is one blank page");
    check_xref(&empty);
}

#[test]
fn info_has_unicode_title_and_producer() {
    let pdf = String::from_utf8(render("Ł😀", &[])).expect("ASCII");
    // Ł is U+0141; the emoji is the surrogate pair D83D DE00.
    assert!(pdf.contains("/Title <FEFF0141D83DDE00>"), "{pdf}");
    assert!(pdf.contains("/Producer (cekiosk)"));
    assert!(pdf.contains("/BaseFont /Helvetica /Encoding /WinAnsiEncoding"));
    assert!(pdf.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"));
    assert!(pdf.contains("/MediaBox [0 0 612 792]"));
}

#[test]
fn literal_strings_escape_delimiters() {
    assert_eq!(literal(b"a(b)c\\d"), r"(a\(b\)c\\d)");
    assert_eq!(literal(b"caf\xE9 \x99"), r"(caf\351 \231)");
    let pdf = render("", &[Block::Paragraph(r"f(x) = a\b".into())]);
    let pdf = String::from_utf8(pdf).expect("ASCII");
    assert!(pdf.contains(r"(f\(x\) = a\\b) Tj"), "{pdf}");
}

#[test]
fn maps_unicode_to_cp1252() {
    assert_eq!(encode("é™–“”"), [0xE9, 0x99, 0x96, 0x93, 0x94]);
    assert_eq!(encode("€‘’•…—"), [0x80, 0x91, 0x92, 0x95, 0x85, 0x97]);
    assert_eq!(encode("Œuvre, Škoda, Ÿ"), b"\x8Cuvre, \x8Akoda, \x9F");
    assert_eq!(encode("José Núñez"), b"Jos\xE9 N\xFA\xF1ez");
    // Outside cp1252 with no sensible stand-in.
    assert_eq!(encode("日本 Ω"), b"?? ?");
    assert_eq!(encode("\u{1F600}"), b"?");
}

#[test]
fn falls_back_to_unaccented_letters() {
    assert_eq!(encode("Łukasz"), b"Lukasz");
    assert_eq!(encode("Nguyễn"), b"Nguyen");
    assert_eq!(encode("Dvořák"), b"Dvor\xE1k");
    assert_eq!(
        encode("Gdańsk Świętokrzyskie Łódź"),
        b"Gdansk Swietokrzyskie L\xF3dz"
    );
    assert_eq!(encode("Erdoğan Işık Şahin"), b"Erdogan Isik Sahin");
    assert_eq!(encode("Bălcescu Țițeica ș"), b"Balcescu Titeica s");
    assert_eq!(
        encode("Trần Thị Phương Đặng Ưu"),
        b"Tran Thi Phuong Dang Uu"
    );
    assert_eq!(encode("Erdős"), b"Erdos");
    // Decomposed é (e + combining acute) keeps its letter.
    assert_eq!(encode("Jose\u{301}"), b"Jose");
    // Invisible characters vanish; odd spaces become spaces.
    assert_eq!(encode("a\u{200B}b\u{AD}c\u{FEFF}\td\r\n"), b"abc d\n");
    // Every Vietnamese letter keeps its case.
    for code in 0x1EA0..=0x1EF9 {
        let c = char::from_u32(code).expect("scalar");
        let base = fallback(c).expect("Vietnamese letter has a fallback");
        assert_eq!(base.len(), 1);
        assert_eq!(
            char::from(base[0]).is_ascii_uppercase(),
            c.is_uppercase(),
            "{c}"
        );
    }
}

#[test]
fn fallbacks_are_drawable() {
    // Every character of Latin Extended-A/B and Additional encodes to
    // printable WinAnsi (or '?'), never to control bytes.
    let chars = (0x100..=0x24F)
        .chain(0x1E00..=0x1EFF)
        .filter_map(char::from_u32);
    for c in chars {
        let bytes = encode(&c.to_string());
        assert!(!bytes.is_empty(), "{c}");
        assert!(bytes.iter().all(|&b| b >= 0x20), "{c}: {bytes:?}");
    }
}

#[test]
fn glyph_widths_match_the_afm() {
    let regular = |c: u8| Font::Regular.glyph_width(c);
    let bold = |c: u8| Font::Bold.glyph_width(c);
    assert_eq!(
        [
            regular(b'a'),
            regular(b'i'),
            regular(b'm'),
            regular(b' '),
            regular(b'W')
        ],
        [556.0, 222.0, 833.0, 278.0, 944.0]
    );
    assert_eq!(
        [bold(b'a'), bold(b'i'), bold(b'm'), bold(b' '), bold(b'W')],
        [556.0, 278.0, 889.0, 278.0, 944.0]
    );
    // ™ (0x99) is a full em; é as wide as e.
    assert_eq!(regular(0x99), 1000.0);
    assert_eq!(regular(0xE9), regular(b'e'));
    assert_eq!(Font::Regular.width(b"Wm", 10.0), 17.77);
}

#[test]
fn wrapped_lines_fit_the_width() {
    let text = encode(
        &"The activity was designed to meet the educational needs of the \
                        interprofessional team — physicians, pharmacists and nurses. "
            .repeat(20),
    );
    for (font, size, width) in [
        (Font::Regular, BODY_SIZE, CONTENT_WIDTH),
        (Font::Bold, TITLE_SIZE, 200.0),
        (Font::Regular, SMALL_SIZE, 60.0),
    ] {
        let lines = wrap(&text, font, size, width);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(font.width(line, size) <= width + EPSILON, "{line:?}");
            assert!(!line.starts_with(b" ") && !line.ends_with(b" "));
        }
        // Nothing is lost: the lines rejoin to the text.
        assert_eq!(lines.join(&b' ').trim_ascii_end(), text.trim_ascii_end());
    }
    // A word longer than the line is cut between glyphs.
    let url = b"https://ce.example.org/c/".repeat(20);
    let lines = wrap(&url, Font::Regular, BODY_SIZE, 100.0);
    assert!(lines.len() > 5);
    assert!(
        lines
            .iter()
            .all(|l| Font::Regular.width(l, BODY_SIZE) <= 100.0)
    );
    assert_eq!(lines.concat(), url);
    // Line feeds break lines; a blank line survives.
    assert_eq!(
        wrap(b"one\n\ntwo", Font::Regular, BODY_SIZE, 500.0),
        [b"one".to_vec(), vec![], b"two".to_vec()]
    );
}

#[test]
fn credit_amount_is_right_aligned() {
    let rows = credit_rows(&"Very long credit type name ".repeat(8), "12.50");
    assert!(rows.len() > 1, "name wraps");
    let first = &rows[0].runs;
    assert_eq!(first.len(), 2, "amount on the first line");
    let amount = &first[1];
    assert_eq!(amount.text, b"12.50");
    let right = amount.x + Font::Regular.width(&amount.text, BODY_SIZE);
    assert!((right - (MARGIN + CONTENT_WIDTH)).abs() < EPSILON);
    for row in &rows {
        let name = &row.runs[0];
        let name_end = name.x + Font::Regular.width(&name.text, BODY_SIZE);
        assert!(name_end <= MARGIN + CONTENT_WIDTH * CREDIT_NAME_SHARE + EPSILON);
    }
}

#[test]
fn set_apart_is_boxed() {
    let pdf = render("", &[Block::SetApart("Jointly accredited.".into())]);
    let pdf = String::from_utf8(pdf).expect("ASCII");
    assert_eq!(pdf.matches(" re S Q").count(), 1, "{pdf}");
    assert!(pdf.contains("(Jointly accredited.) Tj"));
}

#[test]
fn long_document_breaks_pages_between_lines() {
    let mut blocks = vec![Block::Title("Transcript".into())];
    for i in 0..40 {
        blocks.push(Block::Heading(format!("Session {i}")));
        blocks.push(Block::Paragraph(
            "Attended and claimed in full; the session covered perioperative \
             anticoagulation, bleeding risk and bridging strategies."
                .repeat(3),
        ));
        blocks.push(Block::CreditRow(format!("Session {i}"), "1.25".into()));
    }
    blocks.push(Block::SetApart("A closing statement. ".repeat(400)));
    blocks.push(Block::Space(10_000.0));
    let pdf = render("Transcript", &blocks);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(check_xref(&pdf), 6 + 2 * pages);
    let text = String::from_utf8(pdf.clone()).expect("ASCII");
    assert!(text.contains(&format!("/Count {pages}")));
    // The statement longer than a page is boxed once per page it spans.
    assert!(text.matches(" re S Q").count() >= 2);
    // Every line sits within the margins, descenders (0.21 em) included.
    for y in baselines(&pdf) {
        assert!(
            (BOTTOM + 0.21 * BODY_SIZE..=TOP).contains(&y),
            "baseline {y}"
        );
    }
    // The trailing Space does not add an empty last page.
    let last = text.rfind("/Length").expect("stream");
    assert!(text[last..].contains(" Tj ET"), "last page has content");
}

#[test]
fn bad_space_is_ignored() {
    let blocks = [
        Block::Space(f32::NAN),
        Block::Space(f32::NEG_INFINITY),
        Block::Space(-50.0),
        Block::Paragraph("Still at the top.".into()),
    ];
    let pdf = render("", &blocks);
    assert_eq!(page_count(&pdf), 1);
    let top = TOP - BODY_SIZE * BASELINE_DROP;
    assert_eq!(baselines(&pdf), [num(top).parse::<f32>().expect("number")]);
}

/// The real check: a PDF reader extracts the text we meant to write.
#[test]
fn pdftotext_extracts_the_certificate() {
    let title = "Certificate of Credit — José Núñez (Łukasz Nguyễn test)";
    let pdf = render(title, &sample());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, &pdf).expect("write the PDF");

    let run = |program: &str, args: &[&std::ffi::OsStr]| {
        let output = match Command::new(program).args(args).output() {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "{program} is not on PATH: install poppler-utils \
                 (apt-get install -y poppler-utils) to run this test; CI installs it"
            ),
            Err(e) => panic!("could not run {program}: {e}"),
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{program} failed: {stderr}");
        // Poppler reports damaged files (bad xref, bad streams) on stderr
        // even when it recovers.
        assert!(stderr.trim().is_empty(), "{program} complained: {stderr}");
        String::from_utf8(output.stdout).expect("UTF-8 output")
    };

    let text = run(
        "pdftotext",
        &["-layout".as_ref(), path.as_os_str(), "-".as_ref()],
    );
    println!("{text}");
    // Lines wrap where the layout decides; compare with whitespace collapsed.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Certificate of Credit",
        "Credit awarded",
        "Accreditation",
        "is jointly accredited by the Accreditation Council for Continuing Medical \
         Education (ACCME), the Accreditation Council for Pharmacy Education (ACPE), \
         and the American Nurses Credentialing Center (ANCC), to provide continuing \
         education for the healthcare team.",
        "AMA PRA Category 1 Credits™",
        "José Núñez",
        "12.50",
        "Kraków",
        "14–17 May 2026",
        "Prof. Lukasz Wróbel",
        "Name: José Núñez, MD",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let info = run("pdfinfo", &[path.as_os_str()]);
    assert!(info.contains(title), "{info}");
    assert!(info.contains("cekiosk"), "{info}");
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Any Unicode at all, control characters included.
        "(?s).{0,200}",
        // Wrappable text with the characters the encoder treats specially.
        "[a-zA-Z ()\\\\\n\t\u{AD}\u{301}ĀłễŁé™–“” ]{0,600}",
    ]
}

fn any_block() -> impl Strategy<Value = Block> {
    prop_oneof![
        any_text().prop_map(Block::Title),
        any_text().prop_map(Block::Heading),
        any_text().prop_map(Block::Paragraph),
        (any_text(), any_text()).prop_map(|(l, v)| Block::Field(l, v)),
        any_text().prop_map(Block::SetApart),
        (any_text(), any_text()).prop_map(|(n, a)| Block::CreditRow(n, a)),
        any::<f32>().prop_map(Block::Space),
        any_text().prop_map(Block::Small),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn render_never_panics(
        title in any_text(),
        blocks in proptest::collection::vec(any_block(), 0..24),
    ) {
        let pdf = render(&title, &blocks);
        prop_assert!(pdf.starts_with(b"%PDF-1.4\n"));
        prop_assert!(pdf.ends_with(b"%%EOF\n"));
        check_xref(&pdf);
        for y in baselines(&pdf) {
            prop_assert!((BOTTOM..=TOP).contains(&y), "baseline {}", y);
        }
    }
}
