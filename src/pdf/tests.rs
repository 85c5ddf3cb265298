//! Checks on the certificate PDF: text that survives cleaning and wrapping,
//! layout within the margins, and that a real reader (poppler) opens the
//! file without complaint and extracts what was meant. A property test
//! renders arbitrary blocks to show `render` never panics and every file
//! passes the PDF/A validator. Names in every script: `tests_scripts`.

use super::fonts::Weight;
use super::layout::*;
use super::text::Shaper;
use super::*;
use proptest::prelude::*;
use std::process::Command;
use std::sync::LazyLock;

/// The system's Noto fonts, read once for all tests (scripts/test installs
/// them).
pub(super) static FONTS: LazyLock<Fonts> =
    LazyLock::new(|| Fonts::load(&Fonts::dirs(None)).unwrap_or_else(|e| panic!("{e}")));

pub(super) fn info(title: &str) -> DocInfo {
    DocInfo {
        title: title.into(),
        author: "International Society for Perioperative Medicine".into(),
        language: "en".into(),
        created: "2026-05-17T14:42:00Z".parse().expect("a timestamp"),
        paper: PageSize::Letter,
    }
}

/// Renders and insists the validator passed.
pub(super) fn pdf(title: &str, blocks: &[Block]) -> Vec<u8> {
    render(&FONTS, &info(title), blocks).unwrap_or_else(|e| panic!("{e}"))
}

/// The pages as laid out, before drawing.
fn layout(blocks: &[Block]) -> Vec<Vec<Op>> {
    let shaper = Shaper::new(&FONTS);
    let mut pages = Pages::new(&shaper, PageSize::Letter);
    for block in blocks {
        pages.place(block);
    }
    pages.finish()
}

/// Baselines of every run of text, all pages.
fn baselines(pages: &[Vec<Op>]) -> Vec<f32> {
    pages
        .iter()
        .flatten()
        .filter_map(|op| match op {
            Op::Text { baseline, .. } => Some(*baseline),
            Op::Rule { .. } => None,
        })
        .collect()
}

fn rules(pages: &[Vec<Op>]) -> usize {
    pages
        .iter()
        .flatten()
        .filter(|op| matches!(op, Op::Rule { .. }))
        .count()
}

/// Runs a poppler tool on `pdf` (written to a temp file), insisting it
/// succeeds without complaint; returns its output.
pub(super) fn poppler(program: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let output = match Command::new(program)
        .args(args)
        .arg(&path)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "{program} is not on PATH: install poppler-utils \
             (apt-get install -y poppler-utils) to run this test; scripts/test installs it"
        ),
        Err(e) => panic!("could not run {program}: {e}"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{program} failed: {stderr}");
    // Poppler reports damaged files (bad xref, bad streams, missing
    // glyphs) on stderr even when it recovers.
    assert!(stderr.trim().is_empty(), "{program} complained: {stderr}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Extracted text with whitespace collapsed (lines wrap where the layout
/// decides).
pub(super) fn flat_text(pdf: &[u8]) -> String {
    let text = poppler("pdftotext", &["-layout"], pdf);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &[u8]) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
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
fn fonts_are_looked_for_in_the_system_folders_by_default() {
    let system = ["/usr/share/fonts", "/usr/local/share/fonts"].map(std::path::PathBuf::from);
    assert_eq!(Fonts::dirs(None), system);
    let mine = std::path::Path::new("fonts");
    assert_eq!(Fonts::dirs(Some(mine)), [mine.to_path_buf()]);
}

#[test]
fn missing_fonts_name_what_to_install() {
    let empty = tempfile::tempdir().expect("temp dir");
    let e = Fonts::load(&[empty.path().to_path_buf()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("NotoSans-Regular.ttf"), "{e}");
    assert!(e.contains("NotoSansCJK-Regular.ttc"), "{e}");
    assert!(e.contains(&empty.path().display().to_string()), "{e}");
    assert!(e.contains("fonts-noto-core and fonts-noto-cjk"), "{e}");
    assert!(e.contains("[certificate] fonts"), "{e}");
}

#[test]
fn starts_with_header_and_ends_with_eof() {
    let pdf = pdf("Certificate", &sample());
    assert!(pdf.starts_with(b"%PDF-1.7\n"), "PDF/A-2 is PDF 1.7");
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
}

#[test]
fn the_same_certificate_gives_the_same_bytes() {
    assert_eq!(pdf("Certificate", &sample()), pdf("Certificate", &sample()));
}

#[test]
fn an_empty_document_is_one_blank_page() {
    let empty = pdf("", &[]);
    assert_eq!(page_count(&empty), 1);
    assert_eq!(page_count(&pdf("Certificate", &sample())), 1);
}

#[test]
fn info_has_unicode_title_author_and_producer() {
    let pdf = pdf("Ł 田中 سارة", &[]);
    let info = poppler("pdfinfo", &[], &pdf);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in {info}"))
            .to_string()
    };
    assert_eq!(field("Title"), "Ł 田中 سارة");
    assert_eq!(
        field("Author"),
        "International Society for Perioperative Medicine"
    );
    assert_eq!(field("Producer"), "cekiosk");
    assert!(field("CreationDate").contains("2026"), "{info}");
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    // The XMP metadata (uncompressed, as PDF/A wants it readable) says
    // which standard the file claims and its language.
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""),
        "part"
    );
    assert!(
        raw.contains("pdfaid:conformance>U<") || raw.contains("pdfaid:conformance=\"U\""),
        "conformance"
    );
    assert!(
        raw.contains("/Lang(en)") && raw.contains("<rdf:li>en</rdf:li>"),
        "document language"
    );
}

#[test]
fn delimiters_survive() {
    let pdf = pdf("", &[Block::Paragraph(r"f(x) = a\b".into())]);
    assert!(flat_text(&pdf).contains(r"f(x) = a\b"));
}

#[test]
fn names_keep_their_letters() {
    let shaper = Shaper::new(&FONTS);
    let clean = |t: &str| shaper.clean(t, Weight::Regular);
    for name in [
        "José Núñez",
        "Łukasz Wróbel",
        "Nguyễn Thị Phương",
        "Dvořák",
        "Gdańsk Świętokrzyskie Łódź",
        "Erdoğan Işık Şahin",
        "Bălcescu Țițeica ș",
        "Œuvre, Škoda, Ÿ €‘’•…—™–“”",
        "日本 Ω",
        "花子 田中",
    ] {
        assert_eq!(clean(name), name);
    }
    // Nothing draws an emoji; it becomes '?' rather than a blank box.
    assert_eq!(clean("\u{1F600}"), "?");
    assert_eq!(clean("a\u{E000}b"), "a?b", "private use");
    // Decomposed é (e + combining acute) keeps its accent.
    assert_eq!(clean("Jose\u{301}"), "Jose\u{301}");
    // Invisible characters vanish; odd spaces become spaces.
    assert_eq!(clean("a\u{200B}b\u{AD}c\u{FEFF}\td\r\n"), "abc d\n");
    // Every Vietnamese letter is drawn as itself.
    for code in 0x1EA0..=0x1EF9 {
        let c = char::from_u32(code).expect("scalar");
        assert_eq!(clean(&c.to_string()), c.to_string());
    }
}

#[test]
fn cleaned_text_is_drawable() {
    // Every character of Latin Extended-A/B and Additional is itself or
    // '?', never a control character.
    let shaper = Shaper::new(&FONTS);
    let chars = (0x100..=0x24F)
        .chain(0x1E00..=0x1EFF)
        .filter_map(char::from_u32);
    for c in chars {
        let cleaned = shaper.clean(&c.to_string(), Weight::Regular);
        assert!(
            cleaned == c.to_string() || cleaned == "?",
            "{c}: {cleaned:?}"
        );
    }
}

#[test]
fn widths_come_from_the_font() {
    let shaper = Shaper::new(&FONTS);
    let w = |t: &str, weight| shaper.width(t, weight, 10.0);
    assert_eq!(w("", Weight::Regular), 0.0);
    // Widths scale with size, and add up where nothing kerns.
    assert!(
        (shaper.width("m", Weight::Regular, 20.0) - 2.0 * w("m", Weight::Regular)).abs() < 0.001
    );
    assert!(
        (w("mi", Weight::Regular) - w("m", Weight::Regular) - w("i", Weight::Regular)).abs()
            < 0.001
    );
    assert!(w("m", Weight::Regular) > w("i", Weight::Regular));
    assert!(w("m", Weight::Bold) > w("m", Weight::Regular));
    // A CJK ideograph is a full em.
    assert!((w("田", Weight::Regular) - 10.0).abs() < 0.01);
    // Arabic shaping joins letters: the word is narrower than its letters
    // drawn alone (isolated forms are the widest).
    let word = "سارة";
    let alone: f32 = word
        .chars()
        .map(|c| w(&c.to_string(), Weight::Regular))
        .sum();
    assert!(w(word, Weight::Regular) < alone);
}

#[test]
fn wrapped_lines_fit_the_width() {
    let shaper = Shaper::new(&FONTS);
    let text = shaper.clean(
        &"The activity was designed to meet the educational needs of the \
                        interprofessional team — physicians, pharmacists and nurses. "
            .repeat(20),
        Weight::Regular,
    );
    for (weight, size, width) in [
        (Weight::Regular, BODY_SIZE, CONTENT_WIDTH),
        (Weight::Bold, TITLE_SIZE, 200.0),
        (Weight::Regular, SMALL_SIZE, 80.0),
    ] {
        let lines = shaper.wrap(&text, weight, size, width);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(line.width <= width + EPSILON, "{line:?}");
            assert!(!line.text.starts_with(' ') && !line.text.ends_with(' '));
        }
        // Nothing is lost: the lines rejoin to the text.
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.join(" ").trim_end(), text.trim_end());
    }
    // A word longer than the line is cut between characters; so is CJK
    // text, which has no spaces.
    for word in [
        "https://ce.example.org/c/".repeat(20),
        "田中花子".repeat(40),
    ] {
        let lines = shaper.wrap(&word, Weight::Regular, BODY_SIZE, 100.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| l.width <= 100.0 + EPSILON));
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.concat(), word);
    }
    // Line feeds break lines; a blank line survives.
    let lines = shaper.wrap("one\n\ntwo", Weight::Regular, BODY_SIZE, 500.0);
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["one", "", "two"]);
}

#[test]
fn credit_amount_is_right_aligned() {
    let shaper = Shaper::new(&FONTS);
    let rows = credit_rows(&shaper, &"Very long credit type name ".repeat(8), "12.50");
    assert!(rows.len() > 1, "name wraps");
    let first = &rows[0].runs;
    assert_eq!(first.len(), 2, "amount on the first line");
    let amount = &first[1];
    assert_eq!(amount.line.text, "12.50");
    let right = amount.x + amount.line.width;
    assert!((right - (MARGIN + CONTENT_WIDTH)).abs() < EPSILON);
    for row in &rows {
        let name = &row.runs[0];
        let name_end = name.x + name.line.width;
        assert!(name_end <= MARGIN + CONTENT_WIDTH * CREDIT_NAME_SHARE + EPSILON);
    }
}

#[test]
fn set_apart_is_boxed() {
    let blocks = [Block::SetApart("Jointly accredited.".into())];
    assert_eq!(rules(&layout(&blocks)), 1);
    assert!(flat_text(&pdf("", &blocks)).contains("Jointly accredited."));
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
    let pages = layout(&blocks);
    assert!(pages.len() >= 2, "{} pages", pages.len());
    assert_eq!(page_count(&pdf("Transcript", &blocks)), pages.len());
    // The statement longer than a page is boxed once per page it spans.
    assert!(rules(&pages) >= 2);
    // Every line sits within the margins, descenders (0.3 em) included.
    for y in baselines(&pages) {
        assert!(
            (BOTTOM + 0.3 * BODY_SIZE..=TOP).contains(&y),
            "baseline {y}"
        );
    }
    // The trailing Space does not add an empty last page.
    let last = pages.last().expect("a page");
    assert!(
        last.iter().any(|op| matches!(op, Op::Text { .. })),
        "last page has content"
    );
}

#[test]
fn bad_space_is_ignored() {
    let blocks = [
        Block::Space(f32::NAN),
        Block::Space(f32::NEG_INFINITY),
        Block::Space(-50.0),
        Block::Paragraph("Still at the top.".into()),
    ];
    let pages = layout(&blocks);
    assert_eq!(pages.len(), 1);
    assert_eq!(baselines(&pages), [TOP - BODY_SIZE * BASELINE_DROP]);
    assert_eq!(page_count(&pdf("", &blocks)), 1);
}

/// The real check: a PDF reader extracts the text we meant to write.
#[test]
fn pdftotext_extracts_the_certificate() {
    let title = "Certificate of Credit — José Núñez (Łukasz Nguyễn test)";
    let pdf = pdf(title, &sample());
    let text = poppler("pdftotext", &["-layout"], &pdf);
    println!("{text}");
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
        "Prof. Łukasz Wróbel",
        "Name: José Núñez, MD",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains(title), "{info}");
    assert!(info.contains("cekiosk"), "{info}");
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
}

/// On A4 the page is A4's size, the same text is there, and every line
/// stays inside the paper with a margin to spare on each side.
#[test]
fn a4_paper_is_a4_with_the_same_text_inside_it() {
    let a4 = render(
        &FONTS,
        &DocInfo {
            paper: PageSize::A4,
            ..info("A4")
        },
        &sample(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let info = poppler("pdfinfo", &[], &a4);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let letter = pdf("A4", &sample());
    let words = |pdf: &[u8]| {
        poppler("pdftotext", &[], pdf)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(words(&a4), words(&letter));
    // Every word's box, as poppler reads it, is at least 40 pt inside the
    // paper's edges.
    let boxes = poppler("pdftotext", &["-bbox"], &a4);
    let mut seen = 0;
    for line in boxes
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
    {
        let num = |key: &str| -> f32 {
            let at = line.find(&format!("{key}=\"")).expect(key) + key.len() + 2;
            line[at..].split('"').next().unwrap().parse().unwrap()
        };
        let (x0, y0, x1, y1) = (num("xMin"), num("yMin"), num("xMax"), num("yMax"));
        assert!(x0 >= 40.0 && x1 <= 595.276 - 40.0, "{line}");
        assert!(y0 >= 40.0 && y1 <= 841.89 - 40.0, "{line}");
        seen += 1;
    }
    assert!(seen > 50, "{boxes}");
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Any Unicode at all, control characters included.
        "(?s).{0,200}",
        // Wrappable text with the characters cleaning treats specially.
        "[a-zA-Z ()\\\\\n\t\u{AD}\u{301}ĀłễŁé™–“” ]{0,600}",
        // Names in many scripts, mixed, with joiners and digits.
        "[a-z 0-9.,()\u{200C}\u{200D}سارةأحمد١٢דודכהןअनन्यासिंहสมชายใจดี花子田中김민준ễΣωАнна]{0,300}",
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
    // Each case builds and validates a whole PDF with subset fonts (about
    // 0.2 s): 64 keep the suite's time while every script stays covered
    // by the named tests above.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn render_never_panics(
        title in any_text(),
        blocks in proptest::collection::vec(any_block(), 0..24),
    ) {
        // Whatever the text, the file passes the PDF/A validator.
        let pdf = render(&FONTS, &info(&title), &blocks);
        prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
        for y in baselines(&layout(&blocks)) {
            prop_assert!((BOTTOM..=TOP).contains(&y), "baseline {}", y);
        }
    }
}
