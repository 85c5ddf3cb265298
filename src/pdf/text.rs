//! Text as the PDF draws it: cleaned of what no font can draw, split into
//! runs of one font and one direction (per-character fallback by coverage,
//! then a bidi pass per line so right-to-left names read right to left),
//! measured by shaping each run with rustybuzz — the shaper krilla draws
//! with, so a measured line is exactly as wide as the drawn one — and
//! broken into lines that fit.

use std::cell::OnceCell;

use rustybuzz::{Direction, UnicodeBuffer};
use unicode_bidi::{BidiClass, BidiInfo, Level, bidi_class};

use super::fonts::{Fonts, Weight};

/// Slack for comparing accumulated f32 positions, so a line that fits
/// exactly is not pushed to the next line or page by rounding.
pub(super) const EPSILON: f32 = 0.01;

/// A stretch of one line in one face and one direction, placed on it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Piece {
    pub(super) face: usize,
    pub(super) rtl: bool,
    pub(super) text: String,
    /// Left edge, from the start of the line.
    pub(super) x: f32,
    pub(super) width: f32,
}

/// One line, laid out: its pieces in visual order, left to right.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Line {
    pub(super) text: String,
    pub(super) pieces: Vec<Piece>,
    pub(super) width: f32,
}

/// Shapes and measures with the hub's fonts. Each face is parsed for
/// shaping only when a text first needs it, once per certificate.
pub(super) struct Shaper<'a> {
    pub(super) fonts: &'a Fonts,
    faces: Vec<OnceCell<Option<rustybuzz::Face<'a>>>>,
}

impl<'a> Shaper<'a> {
    pub(super) fn new(fonts: &'a Fonts) -> Shaper<'a> {
        Shaper {
            fonts,
            faces: fonts.faces.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    fn face(&self, index: usize) -> Option<&rustybuzz::Face<'a>> {
        self.faces[index]
            .get_or_init(|| {
                let face = &self.fonts.faces[index];
                rustybuzz::Face::from_slice(&face.data, face.index)
            })
            .as_ref()
    }

    fn covers(&self, face: usize, c: char) -> bool {
        self.face(face).is_some_and(|f| f.glyph_index(c).is_some())
    }

    /// The face for `c`: the current run's if it has the character and the
    /// character belongs to no script of its own (spaces, punctuation,
    /// combining marks stay with their neighbours), else the first in
    /// fallback order that has it.
    fn pick(&self, c: char, weight: Weight, current: Option<usize>) -> Option<usize> {
        if let Some(face) = current
            && !c.is_alphabetic()
            && self.covers(face, c)
        {
            return Some(face);
        }
        self.fonts.order(weight).find(|&face| self.covers(face, c))
    }

    /// `text` with only what can be drawn: line breaks as '\n', other
    /// whitespace as a space, invisible characters dropped, and anything no
    /// font has (or the private use area, whose meaning no reader knows)
    /// as '?'. PDF/A forbids drawing a missing glyph, so nothing reaches
    /// the page that the fonts cannot draw.
    pub(super) fn clean(&self, text: &str, weight: Weight) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                out.push('\n');
            } else if c == '\r' {
                // Half of a CR LF; the LF breaks the line.
            } else if matches!(c, '\u{A0}' | '\u{202F}') && self.pick(c, weight, None).is_some() {
                // No-break spaces keep their meaning.
                out.push(c);
            } else if c.is_whitespace() {
                out.push(' ');
            } else if is_invisible(c) {
                // Joiners shape Arabic and Indic text where a font knows them.
                if matches!(c, '\u{200C}' | '\u{200D}') && self.pick(c, weight, None).is_some() {
                    out.push(c);
                }
            } else if is_private_use(c) || self.pick(c, weight, None).is_none() {
                out.push('?');
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Lays out one line of cleaned text (no '\n'): bidi levels resolved
    /// with the document's left-to-right direction as the base, runs in
    /// visual order, each run split by face and measured.
    pub(super) fn line(&self, text: &str, weight: Weight, size: f32) -> Line {
        let mut line = Line {
            text: text.to_string(),
            ..Line::default()
        };
        if text.is_empty() {
            return line;
        }
        let bidi = BidiInfo::new(text, Some(Level::ltr()));
        let mut x = 0.0;
        for para in &bidi.paragraphs {
            let (levels, runs) = bidi.visual_runs(para, para.range.clone());
            for run in runs {
                let rtl = levels[run.start].is_rtl();
                let mut pieces = self.split_by_face(&text[run], weight);
                if rtl {
                    // Logical order within a right-to-left run reads
                    // from the right.
                    pieces.reverse();
                }
                for (face, piece) in pieces {
                    let width = self.advance(face, piece, rtl, size);
                    line.pieces.push(Piece {
                        face,
                        rtl,
                        text: piece.to_string(),
                        x,
                        width,
                    });
                    x += width;
                }
            }
        }
        line.width = x;
        line
    }

    /// Width of one line of cleaned text, as drawn.
    pub(super) fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        self.line(text, weight, size).width
    }

    /// Consecutive stretches of `text` that one face draws.
    fn split_by_face<'t>(&self, text: &'t str, weight: Weight) -> Vec<(usize, &'t str)> {
        let mut out: Vec<(usize, &'t str)> = Vec::new();
        let mut current: Option<(usize, usize)> = None; // (face, start)
        for (at, c) in text.char_indices() {
            let last = current.map(|(face, _)| face);
            // `clean` left only drawable characters; a stray one stays with
            // its run (and is caught by the validator, not drawn blank).
            let face = self.pick(c, weight, last).or(last).unwrap_or(0);
            match current {
                Some((f, _)) if f == face => {}
                Some((f, start)) => {
                    out.push((f, &text[start..at]));
                    current = Some((face, at));
                }
                None => current = Some((face, at)),
            }
        }
        if let Some((face, start)) = current {
            out.push((face, &text[start..]));
        }
        out
    }

    /// Advance width of `text` in `face` at `size`, shaped as krilla will.
    fn advance(&self, face: usize, text: &str, rtl: bool, size: f32) -> f32 {
        let Some(rb) = self.face(face) else {
            return 0.0;
        };
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        let shaped = rustybuzz::shape(rb, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / f32::from(rb.units_per_em() as u16)
    }

    /// Breaks cleaned `text` into lines no wider than `max_width` points.
    ///
    /// Greedy: words (separated by spaces) are added while they fit. Line
    /// feeds force a break, and an empty paragraph gives an empty line so
    /// deliberate blank lines survive. A word wider than the line on its
    /// own (a long URL, or CJK text, which has no spaces) is cut between
    /// characters rather than run into the margin. Every line but an empty
    /// paragraph's holds at least one character, so this always ends.
    pub(super) fn wrap(&self, text: &str, weight: Weight, size: f32, max_width: f32) -> Vec<Line> {
        let space = self.width(" ", weight, size);
        let fits = |line: &str| self.width(line, weight, size) <= max_width + EPSILON;
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let word_width = self.width(word, weight, size);
                if !line.is_empty() {
                    // The sum of the parts is exact but for kerning across the
                    // space; near the margin the joined line is measured.
                    let estimate = line_width + space + word_width;
                    let joined = format!("{line} {word}");
                    if estimate <= max_width + EPSILON
                        && (estimate < max_width - size || fits(&joined))
                    {
                        line = joined;
                        line_width = estimate;
                        continue;
                    }
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                if word_width <= max_width + EPSILON {
                    line = word.to_string();
                    line_width = word_width;
                    continue;
                }
                for cluster in clusters(word) {
                    let width = self.width(cluster, weight, size);
                    let joined = format!("{line}{cluster}");
                    if !line.is_empty()
                        && (line_width + width > max_width + EPSILON || !fits(&joined))
                    {
                        lines.push(std::mem::take(&mut line));
                        line = cluster.to_string();
                        line_width = width;
                    } else {
                        line = joined;
                        line_width += width;
                    }
                }
            }
            lines.push(line);
        }
        lines
            .into_iter()
            .map(|l| self.line(&l, weight, size))
            .collect()
    }
}

/// `word` cut where a line may break inside it: before each character but
/// a combining mark or joiner, which stays with the letter before it.
fn clusters(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in word.char_indices().skip(1) {
        let attached = bidi_class(c) == BidiClass::NSM || matches!(c, '\u{200C}' | '\u{200D}');
        if !attached {
            out.push(&word[start..at]);
            start = at;
        }
    }
    out.push(&word[start..]);
    out
}

/// Characters that draw nothing: controls, format characters, variation
/// selectors, the soft hyphen (we never hyphenate) and the byte order mark.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{FFFE}' | '\u{FFFF}'
            | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}
