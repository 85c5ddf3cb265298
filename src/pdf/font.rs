//! Helvetica and Helvetica-Bold as the PDF reader will draw them: the names
//! a page refers to, each glyph's advance width, and line breaking by those
//! widths, so a wrapped line never runs past the margin it was measured for.

use super::layout::EPSILON;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Name in the page resources (`/F1`, `/F2`).
    pub(super) fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }

    pub(super) fn base_font(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
        }
    }

    /// Advance width of one WinAnsi code in 1/1000 em.
    pub(super) fn glyph_width(self, code: u8) -> f32 {
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
    pub(super) fn width(self, text: &[u8], size: f32) -> f32 {
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

/// Breaks WinAnsi `text` into lines no wider than `max_width` points.
///
/// Greedy: words (separated by spaces) are added while they fit. Line feeds
/// force a break, and an empty paragraph gives an empty line so deliberate
/// blank lines survive. A word wider than the line on its own (a long URL or
/// id) is cut between glyphs rather than run into the margin. Every line but
/// an empty paragraph's holds at least one glyph, so this always terminates.
pub(super) fn wrap(text: &[u8], font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
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
