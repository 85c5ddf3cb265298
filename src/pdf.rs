//! A small, dependency-free PDF writer for CE certificates (`GET /c/{id}.pdf`).
//!
//! A certificate is a page or two of text, one ruled box and a credit table, so
//! a PDF library (font embedding, compression, images) would be all weight and
//! no use. The output is kept deliberately plain so it stays easy to check:
//!
//! - PDF 1.4, US Letter, 54 pt margins, and only the standard-14 fonts
//!   Helvetica and Helvetica-Bold with `/WinAnsiEncoding`: every reader has
//!   them, so nothing is embedded and the file stays a few kilobytes.
//! - Unicode is mapped to WinAnsi (cp1252) bytes. Letters outside it lose their
//!   accents (Ł→L, ễ→e) rather than becoming '?', so names stay readable.
//! - Lines are broken using the fonts' real glyph widths (Adobe AFM metrics).
//! - Content streams are uncompressed and every string byte outside printable
//!   ASCII is written as an octal escape, so the whole file is 7-bit ASCII:
//!   `pdftotext`, `grep` and diffs of the raw file all just work.
//! - No timestamps or random IDs: the same certificate renders to the same
//!   bytes, so a reissued certificate can be compared with the original.
//!
//! `render` never panics: every input string is encodable (unknown characters
//! become '?'), and nonsense spacing (NaN, negative, infinite) is ignored.

/// One block of the certificate, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Large bold centred line (e.g. "Certificate of Credit").
    Title(String),
    /// Bold line, left.
    Heading(String),
    /// Wrapped body text.
    Paragraph(String),
    /// `label: value` on one line (label bold), wrapped if long.
    Field(String, String),
    /// Text set apart from the rest: drawn inside a ruled box, wrapped (the Joint Accreditation statement).
    SetApart(String),
    /// A table row of credit: name, amount — name left, amount right-aligned, wrapped name.
    CreditRow(String, String),
    /// Vertical space in points.
    Space(f32),
    /// Small grey text (footer: verification URL, certificate id).
    Small(String),
}

/// Renders the blocks as a PDF document; `title` goes into the document
/// information (shown by viewers in the window title), not onto the page.
pub fn render(title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut pages = Pages::new();
    for block in blocks {
        pages.place(block);
    }
    serialize(title, &pages.finish())
}

// ---------------------------------------------------------------------------
// Page geometry and type sizes (all in points, origin bottom left).

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 54.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
const BOTTOM: f32 = MARGIN;
/// Height available for content on an empty page.
const PAGE_BODY: f32 = TOP - BOTTOM;

const TITLE_SIZE: f32 = 22.0;
const HEADING_SIZE: f32 = 13.0;
const BODY_SIZE: f32 = 10.5;
const SMALL_SIZE: f32 = 8.0;
/// Grey level of `Small` text (0 black, 1 white): legible in print, but
/// clearly not part of the certificate's statements.
const SMALL_GREY: f32 = 0.4;

/// Baseline-to-baseline distance as a multiple of the font size.
const LEADING: f32 = 1.3;
/// From the top of a line's box to its baseline, as a multiple of the size.
/// Accented capitals reach about 0.93 em in Helvetica and descenders 0.21 em
/// below, so with this drop both stay inside the `LEADING` box and nothing
/// pokes out of the `SetApart` rule or past the bottom margin.
const BASELINE_DROP: f32 = 0.95;

/// Space between the `SetApart` rule and its text.
const BOX_PADDING: f32 = 8.0;
const BOX_RULE_WIDTH: f32 = 0.75;
/// Share of the content width for a credit's name; the amount gets the rest
/// less a gap, which is ample for "12.75" or "3 contact hours".
const CREDIT_NAME_SHARE: f32 = 0.7;
const COLUMN_GAP: f32 = 12.0;
/// A `Field` value hangs beside its label while the label is at most this
/// share of the width; beyond that the value would be squeezed into a narrow
/// column, so it goes below the label instead.
const MAX_LABEL_SHARE: f32 = 0.4;

/// Slack for comparing accumulated f32 positions, so a line that fits exactly
/// does not get pushed to the next page by rounding.
const EPSILON: f32 = 0.01;

// ---------------------------------------------------------------------------
// Fonts and metrics.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Name in the page resources (`/F1`, `/F2`).
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }

    fn base_font(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
        }
    }

    /// Advance width of one WinAnsi code in 1/1000 em.
    fn glyph_width(self, code: u8) -> f32 {
        let table = match self {
            Font::Regular => &HELVETICA_WIDTHS,
            Font::Bold => &HELVETICA_BOLD_WIDTHS,
        };
        // Codes below 32 are never drawn (the encoder maps control characters
        // away and `wrap` consumes line feeds), so they take no room.
        usize::from(code)
            .checked_sub(32)
            .and_then(|i| table.get(i))
            .map_or(0.0, |&w| f32::from(w))
    }

    /// Width of WinAnsi `text` at `size`, in points.
    fn width(self, text: &[u8], size: f32) -> f32 {
        text.iter().map(|&b| self.glyph_width(b)).sum::<f32>() * size / 1000.0
    }
}

// Advance widths (1/1000 em) for WinAnsi codes 32–255, from Adobe's AFM files
// for Helvetica and Helvetica-Bold (the standard-14 metrics every reader uses).
// Codes cp1252 leaves undefined (127, 129, 141, 143, 144, 157) are drawn as a
// bullet under WinAnsiEncoding, hence 350; the encoder never produces them.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 32-47
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 48-63
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 64-79
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 80-95
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 96-111
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350, // 112-127
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 128-143
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667, // 144-159
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160-175
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176-191
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192-207
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208-223
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 224-239
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 240-255
];

#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 32-47
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 48-63
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 64-79
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 80-95
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 96-111
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350, // 112-127
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 128-143
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667, // 144-159
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160-175
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176-191
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192-207
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208-223
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 224-239
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 240-255
];

// ---------------------------------------------------------------------------
// Unicode → WinAnsi.

/// Maps text to WinAnsi bytes for drawing.
///
/// Line feeds (and the Unicode line separators) are kept as 0x0A: `wrap`
/// treats them as hard breaks and never draws them. Invisible characters
/// (zero-width spaces, soft hyphens, combining accents after their letter)
/// are dropped, other whitespace becomes a space, letters outside cp1252 fall
/// back to their unaccented form, and anything else becomes '?'.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if let Some(byte) = winansi(c) {
            out.push(byte);
        } else if matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            out.push(b'\n');
        } else if is_invisible(c) {
            // Dropped.
        } else if let Some(bytes) = fallback(c) {
            out.extend_from_slice(bytes);
        } else if c.is_whitespace() {
            out.push(b' ');
        } else {
            out.push(b'?');
        }
    }
    out
}

/// The cp1252 byte for `c`, if cp1252 has one with a visible glyph.
fn winansi(c: char) -> Option<u8> {
    let byte = match c {
        // A soft hyphen would be drawn as a hyphen mid-word; we never
        // hyphenate, so it is dropped as invisible instead.
        '\u{AD}' => return None,
        // ASCII and Latin-1 map to themselves.
        ' '..='~' | '\u{A0}'..='\u{FF}' => return u8::try_from(c).ok(),
        // The cp1252 extras in 0x80–0x9F.
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
}

/// Characters that have no appearance of their own. Combining accents are
/// among them: the letter before them was already written, so "e\u{301}"
/// (a decomposed é, as macOS file names and some forms send it) becomes "e".
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\r' // the other half of CRLF
        | '\u{AD}' // soft hyphen
        | '\u{300}'..='\u{36F}' // combining diacritical marks
        | '\u{200B}'..='\u{200F}' // zero-width space/joiners, direction marks
        | '\u{202A}'..='\u{202E}' // bidi embeddings
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{FE00}'..='\u{FE0F}' // variation selectors
        | '\u{FEFF}' // byte order mark
    )
}

/// A WinAnsi stand-in for a character cp1252 lacks: the base letter of
/// accented Latin letters (Latin Extended-A, the Latin Extended-B letters
/// used in Vietnamese, Romanian and pinyin, and Vietnamese in Latin Extended
/// Additional), and plain forms of common typographic characters. A name
/// printed as "Lukasz" is still the attendee's name; "?ukasz" is not.
fn fallback(c: char) -> Option<&'static [u8]> {
    let bytes: &[u8] = match c {
        // Latin Extended-A, U+0100–U+017F (Œœ Šš Ÿ Žž are in cp1252).
        'Ā' | 'Ă' | 'Ą' => b"A",
        'ā' | 'ă' | 'ą' => b"a",
        'Ć' | 'Ĉ' | 'Ċ' | 'Č' => b"C",
        'ć' | 'ĉ' | 'ċ' | 'č' => b"c",
        'Ď' | 'Đ' => b"D",
        'ď' | 'đ' => b"d",
        'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => b"E",
        'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => b"e",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => b"G",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => b"g",
        'Ĥ' | 'Ħ' => b"H",
        'ĥ' | 'ħ' => b"h",
        'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => b"I",
        'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => b"i",
        'Ĳ' => b"IJ",
        'ĳ' => b"ij",
        'Ĵ' => b"J",
        'ĵ' => b"j",
        'Ķ' => b"K",
        'ķ' | 'ĸ' => b"k",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => b"L",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => b"l",
        'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => b"N",
        'ń' | 'ņ' | 'ň' | 'ŋ' => b"n",
        'ŉ' => b"'n",
        'Ō' | 'Ŏ' | 'Ő' => b"O",
        'ō' | 'ŏ' | 'ő' => b"o",
        'Ŕ' | 'Ŗ' | 'Ř' => b"R",
        'ŕ' | 'ŗ' | 'ř' => b"r",
        'Ś' | 'Ŝ' | 'Ş' => b"S",
        'ś' | 'ŝ' | 'ş' | 'ſ' => b"s",
        'Ţ' | 'Ť' | 'Ŧ' => b"T",
        'ţ' | 'ť' | 'ŧ' => b"t",
        'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => b"U",
        'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => b"u",
        'Ŵ' => b"W",
        'ŵ' => b"w",
        'Ŷ' => b"Y",
        'ŷ' => b"y",
        'Ź' | 'Ż' => b"Z",
        'ź' | 'ż' => b"z",
        // Latin Extended-B: Vietnamese horned O/U, pinyin tone marks,
        // Romanian comma-below S/T.
        'Ǎ' => b"A",
        'ǎ' => b"a",
        'Ǐ' => b"I",
        'ǐ' => b"i",
        'Ơ' | 'Ǒ' => b"O",
        'ơ' | 'ǒ' => b"o",
        'Ư' | 'Ǔ' | 'Ǖ' | 'Ǘ' | 'Ǚ' | 'Ǜ' => b"U",
        'ư' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => b"u",
        'Ș' => b"S",
        'ș' => b"s",
        'Ț' => b"T",
        'ț' => b"t",
        // Latin Extended Additional: Vietnamese vowels with tone marks.
        '\u{1EA0}'..='\u{1EF9}' => return vietnamese(c),
        // Spaces that must not break a line stay non-breaking.
        '\u{2007}' | '\u{202F}' => b"\xA0",
        // Dashes, primes, slashes and ligatures pasted from word processors.
        '\u{2010}' | '\u{2011}' | '\u{2043}' | '\u{2212}' => b"-",
        '\u{2012}' => b"\x96",
        '\u{2015}' => b"\x97",
        '\u{2032}' => b"'",
        '\u{2033}' => b"\"",
        '\u{2044}' | '\u{2215}' => b"/",
        'ﬀ' => b"ff",
        'ﬁ' => b"fi",
        'ﬂ' => b"fl",
        'ﬃ' => b"ffi",
        'ﬄ' => b"ffl",
        _ => return None,
    };
    Some(bytes)
}

/// Base vowel of a Vietnamese letter in U+1EA0–U+1EF9. That block is laid out
/// as capital/small pairs (capital at the even code point) grouped by vowel,
/// so a table of ranges is enough.
fn vietnamese(c: char) -> Option<&'static [u8]> {
    const GROUPS: [(u32, u32, &[u8], &[u8]); 6] = [
        (0x1EA0, 0x1EB7, b"A", b"a"), // Ạ Ả Ấ Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ
        (0x1EB8, 0x1EC7, b"E", b"e"), // Ẹ Ẻ Ẽ Ế Ề Ể Ễ Ệ
        (0x1EC8, 0x1ECB, b"I", b"i"), // Ỉ Ị
        (0x1ECC, 0x1EE3, b"O", b"o"), // Ọ Ỏ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ
        (0x1EE4, 0x1EF1, b"U", b"u"), // Ụ Ủ Ứ Ừ Ử Ữ Ự
        (0x1EF2, 0x1EF9, b"Y", b"y"), // Ỳ Ỵ Ỷ Ỹ
    ];
    let code = u32::from(c);
    GROUPS
        .iter()
        .find(|&&(first, last, _, _)| (first..=last).contains(&code))
        .map(|&(_, _, upper, lower)| if code % 2 == 0 { upper } else { lower })
}

// ---------------------------------------------------------------------------
// Line breaking.

/// Breaks WinAnsi `text` into lines no wider than `max_width` points.
///
/// Greedy: words (separated by spaces) are added while they fit. Line feeds
/// force a break, and an empty paragraph gives an empty line so deliberate
/// blank lines survive. A word wider than the line on its own (a long URL or
/// id) is cut between glyphs rather than run into the margin. Every line but
/// an empty paragraph's holds at least one glyph, so this always terminates.
fn wrap(text: &[u8], font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
    let space = font.width(b" ", size);
    let mut lines = Vec::new();
    for paragraph in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_width = 0.0;
        for word in paragraph.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_width = font.width(word, size);
            if !line.is_empty() {
                if line_width + space + word_width <= max_width + EPSILON {
                    line.push(b' ');
                    line.extend_from_slice(word);
                    line_width += space + word_width;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            if word_width <= max_width + EPSILON {
                line.extend_from_slice(word);
                line_width = word_width;
            } else {
                for &glyph in word {
                    let glyph_width = font.width(&[glyph], size);
                    if !line.is_empty() && line_width + glyph_width > max_width + EPSILON {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(glyph);
                    line_width += glyph_width;
                }
            }
        }
        lines.push(line);
    }
    lines
}

// ---------------------------------------------------------------------------
// Layout: blocks → rows → pages.

/// Text drawn at one position.
#[derive(Debug)]
struct Run {
    font: Font,
    size: f32,
    grey: bool,
    /// Left edge, absolute.
    x: f32,
    text: Vec<u8>,
}

impl Run {
    /// Body text: body size, black.
    fn body(font: Font, x: f32, text: Vec<u8>) -> Run {
        Run {
            font,
            size: BODY_SIZE,
            grey: false,
            x,
            text,
        }
    }
}

/// One line of a block: runs sharing a baseline, and the height it takes.
/// Rows are what pages break between, so no line is ever split.
#[derive(Debug)]
struct Row {
    height: f32,
    runs: Vec<Run>,
}

impl Row {
    fn new(size: f32, runs: Vec<Run>) -> Row {
        Row {
            height: size * LEADING,
            runs,
        }
    }
}

/// How a line sits horizontally in the content width.
#[derive(Clone, Copy)]
enum Align {
    /// Left edge at this x.
    Left(f32),
    Centre,
}

/// One row per wrapped line of `text`, all in the same style.
fn text_rows(text: &[u8], font: Font, size: f32, grey: bool, align: Align, width: f32) -> Vec<Row> {
    wrap(text, font, size, width)
        .into_iter()
        .map(|line| {
            let x = match align {
                Align::Left(x) => x,
                Align::Centre => {
                    MARGIN + ((CONTENT_WIDTH - font.width(&line, size)) / 2.0).max(0.0)
                }
            };
            let run = Run {
                font,
                size,
                grey,
                x,
                text: line,
            };
            Row::new(size, vec![run])
        })
        .collect()
}

fn body_rows(text: &[u8]) -> Vec<Row> {
    text_rows(
        text,
        Font::Regular,
        BODY_SIZE,
        false,
        Align::Left(MARGIN),
        CONTENT_WIDTH,
    )
}

/// `label: value`, label bold, value wrapped in the column after the label.
fn field_rows(label: &str, value: &str) -> Vec<Row> {
    let value = encode(value);
    // A label is one line's worth of text; a line feed in it would only leave
    // a hole in the row, so it reads as a space.
    let mut label: Vec<u8> = encode(label)
        .into_iter()
        .map(|b| if b == b'\n' { b' ' } else { b })
        .collect();
    while label.last() == Some(&b' ') {
        label.pop();
    }
    if label.is_empty() {
        return body_rows(&value);
    }
    if !label.ends_with(b":") {
        label.push(b':');
    }
    // The space is part of the bold run so text extraction sees "Label: value".
    label.push(b' ');

    let label_width = Font::Bold.width(&label, BODY_SIZE);
    if label_width > CONTENT_WIDTH * MAX_LABEL_SHARE {
        let mut rows = text_rows(
            &label,
            Font::Bold,
            BODY_SIZE,
            false,
            Align::Left(MARGIN),
            CONTENT_WIDTH,
        );
        rows.extend(body_rows(&value));
        return rows;
    }

    let value_x = MARGIN + label_width;
    let mut label = Some(label);
    wrap(
        &value,
        Font::Regular,
        BODY_SIZE,
        CONTENT_WIDTH - label_width,
    )
    .into_iter()
    .map(|line| {
        let mut runs = Vec::with_capacity(2);
        // Only the first row carries the label; later rows hang under the value.
        if let Some(label) = label.take() {
            runs.push(Run::body(Font::Bold, MARGIN, label));
        }
        runs.push(Run::body(Font::Regular, value_x, line));
        Row::new(BODY_SIZE, runs)
    })
    .collect()
}

/// Name wrapped in the left column; amount right-aligned against the right
/// margin, starting on the name's first line.
fn credit_rows(name: &str, amount: &str) -> Vec<Row> {
    let name_width = CONTENT_WIDTH * CREDIT_NAME_SHARE;
    let amount_width = CONTENT_WIDTH - name_width - COLUMN_GAP;
    let names = wrap(&encode(name), Font::Regular, BODY_SIZE, name_width);
    // An amount is normally short; wrapping it too keeps a long one
    // ("12.50 AMA PRA Category 1 Credits™") out of the name column.
    let amounts = wrap(&encode(amount), Font::Regular, BODY_SIZE, amount_width);
    let right = MARGIN + CONTENT_WIDTH;
    let lines = names.len().max(amounts.len());
    let mut names = names.into_iter();
    let mut amounts = amounts.into_iter();
    (0..lines)
        .map(|_| {
            let mut runs = Vec::with_capacity(2);
            if let Some(name) = names.next() {
                runs.push(Run::body(Font::Regular, MARGIN, name));
            }
            if let Some(amount) = amounts.next() {
                runs.push(Run::body(
                    Font::Regular,
                    right - Font::Regular.width(&amount, BODY_SIZE),
                    amount,
                ));
            }
            Row::new(BODY_SIZE, runs)
        })
        .collect()
}

/// The pages drawn so far and the cursor on the current one.
struct Pages {
    /// Finished pages' content streams.
    done: Vec<String>,
    /// Content stream of the page being filled.
    current: String,
    /// Top of the next row; content may go down to `BOTTOM`.
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            current: String::new(),
            y: TOP,
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.done.push(self.current);
        self.done
    }

    fn remaining(&self) -> f32 {
        self.y - BOTTOM
    }

    fn at_top(&self) -> bool {
        self.y >= TOP - EPSILON
    }

    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
        self.y = TOP;
    }

    /// Moves to a new page unless `height` fits under the cursor. On an empty
    /// page nothing is gained by breaking, so there the content is drawn
    /// anyway (only a row taller than a page could get here, and none is).
    fn make_room(&mut self, height: f32) {
        if height > self.remaining() + EPSILON && !self.at_top() {
            self.new_page();
        }
    }

    /// Moves down by `gap` after a block. Going past the bottom margin is
    /// harmless: the next row will not fit and starts a new page.
    fn gap(&mut self, gap: f32) {
        self.y -= gap;
    }

    fn place(&mut self, block: &Block) {
        match block {
            Block::Title(text) => {
                let rows = text_rows(
                    &encode(text),
                    Font::Bold,
                    TITLE_SIZE,
                    false,
                    Align::Centre,
                    CONTENT_WIDTH,
                );
                self.keep_together(&rows, 0.0);
                self.gap(8.0);
            }
            Block::Heading(text) => {
                if !self.at_top() {
                    self.gap(4.0);
                }
                let rows = text_rows(
                    &encode(text),
                    Font::Bold,
                    HEADING_SIZE,
                    false,
                    Align::Left(MARGIN),
                    CONTENT_WIDTH,
                );
                // A heading alone at the foot of a page heads nothing: keep
                // room for the first line of what it introduces.
                self.keep_together(&rows, BODY_SIZE * LEADING);
                self.gap(3.0);
            }
            Block::Paragraph(text) => {
                // Paragraphs may flow across a page break (between lines), so
                // a long one does not leave half a page empty.
                self.flow(&body_rows(&encode(text)));
                self.gap(6.0);
            }
            Block::Field(label, value) => {
                self.keep_together(&field_rows(label, value), 0.0);
                self.gap(2.0);
            }
            Block::SetApart(text) => {
                self.set_apart(&encode(text));
                self.gap(8.0);
            }
            Block::CreditRow(name, amount) => {
                self.keep_together(&credit_rows(name, amount), 0.0);
                self.gap(2.0);
            }
            Block::Space(points) => self.space(*points),
            Block::Small(text) => {
                let rows = text_rows(
                    &encode(text),
                    Font::Regular,
                    SMALL_SIZE,
                    true,
                    Align::Left(MARGIN),
                    CONTENT_WIDTH,
                );
                self.keep_together(&rows, 0.0);
                self.gap(1.0);
            }
        }
    }

    fn space(&mut self, points: f32) {
        // NaN, negative or infinite space is a caller's mistake; drawing
        // nothing is better than drawing off the page.
        if !(points.is_finite() && points > 0.0) {
            return;
        }
        if points >= self.remaining() {
            // The space runs to the foot of the page: whatever comes next
            // starts a new page. The page is opened by that content, not
            // here, so a trailing Space never adds an empty page.
            self.y = self.y.min(BOTTOM);
        } else {
            self.y -= points;
        }
    }

    /// Draws rows, breaking pages between them where needed.
    fn flow(&mut self, rows: &[Row]) {
        for row in rows {
            self.make_room(row.height);
            self.draw_row(row);
        }
    }

    /// Draws rows on one page if they fit on one page, plus room for `extra`
    /// below them; a block taller than a page still flows between rows.
    fn keep_together(&mut self, rows: &[Row], extra: f32) {
        let height = rows.iter().map(|r| r.height).sum::<f32>() + extra;
        if height <= PAGE_BODY {
            self.make_room(height);
        }
        self.flow(rows);
    }

    /// Wrapped text inside a ruled box. The box moves to the next page whole
    /// if it fits there; a statement longer than a page is split into one box
    /// per page, between lines.
    fn set_apart(&mut self, text: &[u8]) {
        let inner_x = MARGIN + BOX_PADDING;
        let inner_width = CONTENT_WIDTH - 2.0 * BOX_PADDING;
        let rows = text_rows(
            text,
            Font::Regular,
            BODY_SIZE,
            false,
            Align::Left(inner_x),
            inner_width,
        );
        let height = rows.iter().map(|r| r.height).sum::<f32>() + 2.0 * BOX_PADDING;
        if height <= PAGE_BODY {
            self.make_room(height);
        }

        let mut rest: &[Row] = &rows;
        while !rest.is_empty() {
            // As many rows as fit under the cursor, padding included.
            let mut box_height = 2.0 * BOX_PADDING;
            let mut count = 0;
            for row in rest {
                if box_height + row.height > self.remaining() + EPSILON {
                    break;
                }
                box_height += row.height;
                count += 1;
            }
            if count == 0 {
                if !self.at_top() {
                    self.new_page();
                    continue;
                }
                // Cannot happen with these sizes, but guarantees progress.
                count = 1;
                box_height += rest.first().map_or(0.0, |r| r.height);
            }
            let (chunk, tail) = rest.split_at(count.min(rest.len()));
            self.current.push_str(&format!(
                "q {} w 0 G {} {} {} {} re S Q\n",
                num(BOX_RULE_WIDTH),
                num(MARGIN),
                num(self.y - box_height),
                num(CONTENT_WIDTH),
                num(box_height),
            ));
            self.y -= BOX_PADDING;
            for row in chunk {
                self.draw_row(row);
            }
            self.y -= BOX_PADDING;
            rest = tail;
        }
    }

    /// Draws a row at the cursor and moves the cursor below it.
    fn draw_row(&mut self, row: &Row) {
        for run in row.runs.iter().filter(|run| !run.text.is_empty()) {
            let baseline = self.y - run.size * BASELINE_DROP;
            let grey = if run.grey { SMALL_GREY } else { 0.0 };
            self.current.push_str(&format!(
                "BT /{} {} Tf {} g {} {} Td {} Tj ET\n",
                run.font.resource(),
                num(run.size),
                num(grey),
                num(run.x),
                num(baseline),
                literal(&run.text),
            ));
        }
        self.y -= row.height;
    }
}

// ---------------------------------------------------------------------------
// Serialization.

/// A number for the content stream: two decimals at most, trailing zeros
/// dropped ("54", "700.5"), which is exact enough for print and keeps the
/// streams short and stable.
fn num(value: f32) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// A PDF literal string for WinAnsi bytes. `(`, `)` and `\` are escaped as
/// the syntax requires; bytes outside printable ASCII are written as octal
/// escapes so the file stays 7-bit clean.
fn literal(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for &byte in text {
        match byte {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(byte));
            }
            0x20..=0x7E => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\{byte:03o}")),
        }
    }
    out.push(')');
    out
}

/// A PDF text string that holds any Unicode: UTF-16BE with a byte order
/// mark, in hex (so no escaping questions arise).
fn text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        out.push_str(&format!("{unit:04X}"));
    }
    out.push('>');
    out
}

/// The file being written and where each object starts, for the xref table.
struct Objects {
    out: Vec<u8>,
    /// Byte offset of object `i + 1`.
    offsets: Vec<usize>,
}

impl Objects {
    /// Appends object `id`. Objects are written in id order, so the xref
    /// table can list the offsets as they were recorded.
    fn add(&mut self, id: usize, body: &str) {
        debug_assert_eq!(id, self.offsets.len() + 1, "objects out of order");
        self.offsets.push(self.out.len());
        self.out
            .extend_from_slice(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes());
    }

    fn add_stream(&mut self, id: usize, content: &str) {
        let body = format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        );
        self.add(id, &body);
    }
}

fn serialize(title: &str, pages: &[String]) -> Vec<u8> {
    // Fixed objects first, then a page object and its content stream per page.
    const CATALOG: usize = 1;
    const PAGES: usize = 2;
    const FONT_REGULAR: usize = 3;
    const FONT_BOLD: usize = 4;
    const INFO: usize = 5;
    const FIRST_PAGE: usize = 6;
    let page_id = |index: usize| FIRST_PAGE + 2 * index;

    let mut objects = Objects {
        // No binary-marker comment after the header: nothing in the file is
        // outside 7-bit ASCII.
        out: b"%PDF-1.4\n".to_vec(),
        offsets: Vec::new(),
    };

    objects.add(
        CATALOG,
        &format!(
            // DisplayDocTitle: viewers show the certificate's title rather
            // than a file name like "c_7F3K.pdf".
            "<< /Type /Catalog /Pages {PAGES} 0 R /ViewerPreferences << /DisplayDocTitle true >> >>"
        ),
    );
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_id(i)))
        .collect();
    objects.add(
        PAGES,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
    );
    for (id, font) in [(FONT_REGULAR, Font::Regular), (FONT_BOLD, Font::Bold)] {
        objects.add(
            id,
            &format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
                font.base_font()
            ),
        );
    }
    // No /CreationDate: it would make every rendering of the same
    // certificate differ.
    objects.add(
        INFO,
        &format!("<< /Title {} /Producer (cekiosk) >>", text_string(title)),
    );
    for (index, content) in pages.iter().enumerate() {
        let id = page_id(index);
        objects.add(
            id,
            &format!(
                "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {} {}] \
                 /Resources << /Font << /{} {FONT_REGULAR} 0 R /{} {FONT_BOLD} 0 R >> >> \
                 /Contents {} 0 R >>",
                num(PAGE_WIDTH),
                num(PAGE_HEIGHT),
                Font::Regular.resource(),
                Font::Bold.resource(),
                id + 1
            ),
        );
        objects.add_stream(id + 1, content);
    }

    // Cross-reference table: entries are exactly 20 bytes ("nnnnnnnnnn ggggg n"
    // plus a two-byte end of line), entry 0 heads the free list.
    let Objects { mut out, offsets } = objects;
    let xref_at = out.len();
    let size = offsets.len() + 1;
    out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for offset in &offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
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
}
