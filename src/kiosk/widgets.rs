//! Drawing helpers shared by the screens: the QR code in half blocks, a
//! list row cut to its width, and the running credit totals (Sessions,
//! Attest and Certificate show the same ones).

use qrcode::{Color, EcLevel};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::qr;

use super::setup::{KioskSetup, code_name};
use super::strings::Words;
use super::theme;
use super::visit::Visit;

/// The QR code for `data` as lines of block characters: half blocks, one
/// module wide and two tall per cell, so a module is square on a terminal
/// font; where that does not fit (large text leaves about 15 rows),
/// sextants, two modules wide and three tall per cell (not square, which
/// a phone's reader takes in its stride). Ink is a dark module; drawn
/// black on white. Picks the strongest error correction and widest quiet
/// zone that fit in `max_w` × `max_h`.
pub fn qr_lines(data: &str, max_w: usize, max_h: usize) -> Option<Vec<String>> {
    // Each level's code once; the layouts and quiet zones only frame it.
    let m = qr::encode(data.as_bytes(), EcLevel::M);
    let l = qr::encode(data.as_bytes(), EcLevel::L);
    for (across, down) in [(1, 2), (2, 3)] {
        for (code, quiet) in [(&m, 4), (&l, 4), (&m, 3), (&l, 3), (&l, 2)] {
            let Some(code) = code else {
                continue;
            };
            let n = code.width();
            let size = n + 2 * quiet;
            if size.div_ceil(across) > max_w || size.div_ceil(down) > max_h {
                continue;
            }
            let colors = code.to_colors();
            let dark = |x: usize, y: usize| -> bool {
                if x < quiet || y < quiet || x >= quiet + n || y >= quiet + n {
                    return false;
                }
                colors[(y - quiet) * n + (x - quiet)] == Color::Dark
            };
            let lines = (0..size.div_ceil(down))
                .map(|row| {
                    (0..size.div_ceil(across))
                        .map(|col| {
                            // Bit 2·dy + dx: the module at (dx, dy) in the cell.
                            let mut bits = 0u8;
                            for dy in 0..down {
                                for dx in 0..across {
                                    if dark(col * across + dx, row * down + dy) {
                                        bits |= 1 << (dy * across + dx);
                                    }
                                }
                            }
                            if across == 1 {
                                half_block(bits)
                            } else {
                                sextant(bits)
                            }
                        })
                        .collect()
                })
                .collect();
            return Some(lines);
        }
    }
    None
}

/// Top module (bit 0) and bottom module (bit 1) of a cell.
fn half_block(bits: u8) -> char {
    [' ', '▀', '▄', '█'][usize::from(bits & 3)]
}

/// Six modules of a cell, two across and three down (bit 2·row + column),
/// as Unicode's sextants (U+1FB00…U+1FB3B, in the same bit order, without
/// the three that the half and full blocks already are).
fn sextant(bits: u8) -> char {
    match bits & 63 {
        0 => ' ',
        21 => '▌',
        42 => '▐',
        63 => '█',
        b => {
            let skipped = u32::from(b > 21) + u32::from(b > 42);
            char::from_u32(0x1FB00 + u32::from(b) - 1 - skipped).unwrap_or('█')
        }
    }
}

/// The columns `s` takes on a terminal: two for a CJK character, none
/// for a combining mark.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending in "…" when cut; never
/// inside a character (a wide one that would straddle the edge goes).
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// A line cut to `cols` columns, its last visible span ending in "…" when
/// anything was cut, so a long translation never runs off silently.
pub fn clip(line: Line<'static>, cols: u16) -> Line<'static> {
    let cols = usize::from(cols);
    if line.width() <= cols {
        return line;
    }
    let mut used = 0;
    let mut spans = vec![];
    for span in line.spans {
        let w = width(&span.content);
        if used + w < cols {
            used += w;
            spans.push(span);
            continue;
        }
        let cut = truncate(&span.content, cols - used);
        spans.push(Span::styled(cut, span.style));
        break;
    }
    Line::from(spans).style(line.style)
}

/// Pads or cuts to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let pad = cols.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(pad))
}

/// The running totals per credit type, with the rules' reductions spelled out.
pub fn totals_lines(words: Words, visit: &Visit, ctx: &KioskSetup) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(words.totals(), theme::heading()))];
    for t in visit.totals(ctx) {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", words.quarters(t.awarded)), theme::good()),
            Span::raw(words.of_max(&words.quarters(t.max), &code_name(ctx, words, t.code))),
        ]));
        if t.overlap_reduction() > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "  −{}: {}",
                    words.quarters(t.overlap_reduction()),
                    words.overlap_note()
                ),
                theme::warn(),
            )));
        }
        if t.cap_reduction() > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "  −{}: {}",
                    words.quarters(t.cap_reduction()),
                    words.cap_note()
                ),
                theme::warn(),
            )));
        }
    }
    lines
}

/// The running totals as text, line by line: what `totals_lines` draws,
/// for speech.
pub fn totals_text(words: Words, visit: &Visit, ctx: &KioskSetup) -> Vec<String> {
    totals_lines(words, visit, ctx)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules a cell's character stands for: (across, down, bits).
    fn cell_bits(c: char, across: usize) -> u8 {
        if across == 1 {
            return match c {
                '█' => 3,
                '▀' => 1,
                '▄' => 2,
                _ => 0,
            };
        }
        (0u8..64)
            .find(|b| sextant(*b) == c)
            .expect("a sextant or block")
    }

    /// Rebuilds the module grid from the half blocks (or sextants) and
    /// decodes it with a real decoder.
    pub fn decode(lines: &[String]) -> String {
        let sextants = lines
            .iter()
            .any(|l| l.chars().any(|c| ('\u{1FB00}'..='\u{1FB3B}').contains(&c)));
        let (across, down) = if sextants { (2, 3) } else { (1, 2) };
        let w = lines[0].chars().count() * across;
        let h = lines.len() * down;
        let scale = 4;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w * scale, h * scale, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let c = lines[my / down].chars().nth(mx / across).unwrap();
            let bit = (my % down) * across + mx % across;
            let dark = cell_bits(c, across) & (1 << bit) != 0;
            if dark { 0 } else { 255 }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn fit_measures_columns_and_never_splits_a_character() {
        // Each case: text, columns; the oracle is the column count itself.
        for (text, cols) in [
            ("Scan your badge", 8),
            ("バッジをスキャンしてください", 9),
            ("배지를 스캔하세요", 10),
            ("扫描您的胸卡", 6),
            ("café", 3),
            ("日本", 0),
        ] {
            let cut = fit(text, cols);
            assert_eq!(width(&cut), cols, "{text:?} in {cols}: {cut:?}");
            let kept = cut.trim_end().trim_end_matches('…');
            assert!(text.starts_with(kept), "{text:?} -> {cut:?} is a prefix");
        }
        // A wide character never straddles the edge: in 10 columns, four
        // kana (8) and the ellipsis (1) leave one column, padded; a fifth
        // kana would need two.
        assert_eq!(fit("スキャンしてください", 10), "スキャン… ");
        assert_eq!(fit("short", 8), "short   ");
    }

    #[test]
    fn clip_cuts_the_line_not_the_character() {
        let line = Line::from(vec![Span::raw("日本語: "), Span::raw("参加証をスキャン")]);
        for cols in [0u16, 1, 5, 9, 10, 15, 24, 30] {
            let cut = clip(line.clone(), cols);
            let text: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
            assert!(width(&text) <= usize::from(cols), "{cols}: {text:?}");
            if usize::from(cols) < line.width() && cols > 0 {
                assert!(text.ends_with('…'), "{cols}: {text:?}");
            }
        }
        assert_eq!(clip(line.clone(), 40), line);
    }

    #[test]
    fn certificate_url_fits_80x24_and_decodes() {
        let url = "https://ce.example.org/c/AbCdEfGhIjKlMnOpQrStUv";
        // The body of an 80×24 screen: 21 rows, and room beside for text.
        let lines = qr_lines(url, 50, 21).expect("fits");
        assert!(lines.len() <= 21);
        assert_eq!(decode(&lines), url);
        // A cramped area still gets a code, with a thinner quiet zone.
        let small = qr_lines(url, 34, 17).expect("fits smaller");
        assert_eq!(decode(&small), url);
        assert!(qr_lines(url, 10, 5).is_none());
        // Large text leaves 13 rows: sextants, with a 3-module quiet zone.
        let large = qr_lines(url, 28, 13).expect("fits in sextants");
        assert!(large.len() <= 13 && large[0].chars().count() <= 28);
        assert!(large[0].chars().all(|c| c == ' '), "quiet zone above");
        assert_eq!(decode(&large), url);
    }

    #[test]
    fn sextants_are_unicodes_in_their_order() {
        // The first, the one after the left half, the last.
        assert_eq!(sextant(1), '\u{1FB00}');
        assert_eq!(sextant(22), '\u{1FB14}');
        assert_eq!(sextant(62), '\u{1FB3B}');
        let all: std::collections::BTreeSet<char> = (0u8..64).map(sextant).collect();
        assert_eq!(all.len(), 64, "every pattern its own character");
    }

    /// The longest summary id a kiosk of the demo event can issue, behind
    /// the longest url_base the budget allows, still draws at 80×24 with
    /// the whole 4-module quiet zone, and decodes.
    #[test]
    fn the_longest_summary_url_the_budget_allows_fits_80x24_with_its_quiet_zone() {
        use crate::domain::certificate_id::{longest_id, max_url_base};
        for kiosk in ["K01", "HALL-B-12"] {
            let id = "Z".repeat(longest_id(kiosk, 6));
            let base = format!("https://{}", "c".repeat(max_url_base(id.len()) - 8));
            let url = format!("{base}{id}");
            let lines = qr_lines(&url, 50, 21).expect("fits");
            assert_eq!(lines.len(), 21, "{kiosk}: version 4, 41 modules tall");
            let blank = |l: &String| l.chars().all(|c| c == ' ');
            assert!(blank(&lines[0]) && blank(&lines[1]), "4 modules above");
            assert!(
                lines.iter().all(|l| l.starts_with("    ")),
                "4 modules left"
            );
            assert_eq!(decode(&lines), url);
        }
    }

    /// A plain id behind the longest url_base the config allows draws at
    /// 80×24 with its whole quiet zone too: these ids came out a version
    /// larger (45 modules, 23 rows) through the QR crate's own split.
    #[test]
    fn a_plain_id_behind_the_longest_url_base_keeps_its_quiet_zone() {
        use crate::domain::certificate_id::max_url_base_plain;
        let base = format!("https://{}", "c".repeat(max_url_base_plain() - 8));
        for id in ["YUiKOAWmHWqdILPBPGzEuQ", "TeGNPKK-xYQAT-HGlqXY3Q"] {
            let url = format!("{base}{id}");
            let lines = qr_lines(&url, 50, 21).expect("fits");
            assert_eq!(lines.len(), 21, "{id}: version 4, 41 modules tall");
            assert!(lines[0].chars().all(|c| c == ' '), "{id}: quiet zone above");
            assert!(
                lines.iter().all(|l| l.starts_with("    ")),
                "{id}: 4 modules left"
            );
            assert_eq!(decode(&lines), url);
        }
    }
}
