//! Layout: blocks → rows → pages. Decides where each line of the
//! certificate goes, keeps headings with what follows and fields in one
//! piece, and breaks pages only between lines; the result is a list of
//! things to draw per page (lines of text at their baselines, and rules).

use super::Block;
use super::fonts::Weight;
use super::text::{Line, Shaper};

pub(super) use super::text::EPSILON;

// Page geometry and type sizes (all in points, origin bottom left). The
// text is laid out on Letter's width whatever the paper: A4 is 17 pt
// narrower, so there the drawing moves left by half of that (the side
// margins are 45.6 pt) and every line breaks where it does on Letter. A
// page's height is the paper's.

pub(super) const PAGE_WIDTH: f32 = 612.0;
pub(super) const MARGIN: f32 = 54.0;
pub(super) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The top of the content on Letter (the tests' paper).
#[cfg(test)]
pub(super) const TOP: f32 = 792.0 - MARGIN;
pub(super) const BOTTOM: f32 = MARGIN;

pub(super) const TITLE_SIZE: f32 = 22.0;
const HEADING_SIZE: f32 = 13.0;
pub(super) const BODY_SIZE: f32 = 10.5;
pub(super) const SMALL_SIZE: f32 = 8.0;
/// Grey level of `Small` text (0 black, 1 white): legible in print, but
/// clearly not part of the certificate's statements.
const SMALL_GREY: f32 = 0.4;

/// Baseline-to-baseline distance as a multiple of the font size. Noto's
/// Devanagari and Thai marks reach further than Latin, so lines get a
/// little more room than Helvetica needed.
pub(super) const LEADING: f32 = 1.45;
/// From the top of a line's box to its baseline, as a multiple of the size.
/// Stacked Vietnamese and Thai marks reach about 1.05 em in Noto and
/// descenders about 0.3 em below, so with this drop both stay inside the
/// `LEADING` box and nothing pokes out of the `SetApart` rule or past the
/// bottom margin.
pub(super) const BASELINE_DROP: f32 = 1.1;

/// Space between the `SetApart` rule and its text.
const BOX_PADDING: f32 = 8.0;
const BOX_RULE_WIDTH: f32 = 0.75;
/// Share of the content width for a credit's name; the amount gets the rest
/// less a gap, which is ample for "12.75" or "3 contact hours".
pub(super) const CREDIT_NAME_SHARE: f32 = 0.7;
const COLUMN_GAP: f32 = 12.0;
/// A `Field` value hangs beside its label while the label is at most this
/// share of the width; beyond that the value would be squeezed into a narrow
/// column, so it goes below the label instead.
const MAX_LABEL_SHARE: f32 = 0.4;

/// Grey level of ordinary text.
const BLACK: f32 = 0.0;

/// Text drawn at one position.
#[derive(Debug, Clone)]
pub(super) struct Run {
    pub(super) size: f32,
    /// 0 black, 1 white.
    pub(super) grey: f32,
    /// Left edge, absolute.
    pub(super) x: f32,
    pub(super) line: Line,
}

impl Run {
    /// Body text: body size, black.
    fn body(x: f32, line: Line) -> Run {
        Run {
            size: BODY_SIZE,
            grey: BLACK,
            x,
            line,
        }
    }
}

/// One thing drawn on a page (y from the bottom of the page).
#[derive(Debug, Clone)]
pub(super) enum Op {
    /// A run of text with its baseline at `baseline`.
    Text { run: Run, baseline: f32 },
    /// A ruled rectangle: left, bottom, width, height.
    Rule {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        line_width: f32,
    },
}

/// One line of a block: runs sharing a baseline, and the height it takes.
/// Rows are what pages break between, so no line is ever split.
#[derive(Debug)]
pub(super) struct BlockLine {
    pub(super) height: f32,
    pub(super) runs: Vec<Run>,
}

impl BlockLine {
    fn new(size: f32, runs: Vec<Run>) -> BlockLine {
        BlockLine {
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

/// A text style: weight, size and grey level.
#[derive(Clone, Copy)]
struct Style {
    weight: Weight,
    size: f32,
    grey: f32,
}

const BODY: Style = Style {
    weight: Weight::Regular,
    size: BODY_SIZE,
    grey: BLACK,
};
const BOLD: Style = Style {
    weight: Weight::Bold,
    ..BODY
};

/// One row per wrapped line of `text`, all in the same style.
fn text_rows(
    shaper: &Shaper,
    text: &str,
    style: Style,
    align: Align,
    width: f32,
) -> Vec<BlockLine> {
    let text = shaper.clean(text, style.weight);
    shaper
        .wrap(&text, style.weight, style.size, width)
        .into_iter()
        .map(|line| {
            let x = match align {
                Align::Left(x) => x,
                Align::Centre => MARGIN + ((CONTENT_WIDTH - line.width) / 2.0).max(0.0),
            };
            let run = Run {
                size: style.size,
                grey: style.grey,
                x,
                line,
            };
            BlockLine::new(style.size, vec![run])
        })
        .collect()
}

fn body_rows(shaper: &Shaper, text: &str) -> Vec<BlockLine> {
    text_rows(shaper, text, BODY, Align::Left(MARGIN), CONTENT_WIDTH)
}

/// `label: value`, label bold, value wrapped in the column after the label.
fn field_rows(shaper: &Shaper, label: &str, value: &str) -> Vec<BlockLine> {
    // A label is one line's worth of text; a line feed in it would only leave
    // a hole in the row, so it reads as a space.
    let label = shaper.clean(label, Weight::Bold).replace('\n', " ");
    let mut label = label.trim_end_matches(' ').to_string();
    if label.is_empty() {
        return body_rows(shaper, value);
    }
    if !label.ends_with(':') {
        label.push(':');
    }
    // The space is part of the bold run so text extraction sees "Label: value".
    label.push(' ');

    let label_width = shaper.width(&label, Weight::Bold, BODY_SIZE);
    if label_width > CONTENT_WIDTH * MAX_LABEL_SHARE {
        let mut rows = text_rows(shaper, &label, BOLD, Align::Left(MARGIN), CONTENT_WIDTH);
        rows.extend(body_rows(shaper, value));
        return rows;
    }

    let value_x = MARGIN + label_width;
    let label = shaper.line(&label, Weight::Bold, BODY_SIZE);
    let mut label = Some(label);
    let value = shaper.clean(value, Weight::Regular);
    shaper
        .wrap(
            &value,
            Weight::Regular,
            BODY_SIZE,
            CONTENT_WIDTH - label_width,
        )
        .into_iter()
        .map(|line| {
            let mut runs = Vec::with_capacity(2);
            // Only the first row carries the label; later rows hang under the value.
            if let Some(label) = label.take() {
                runs.push(Run::body(MARGIN, label));
            }
            runs.push(Run::body(value_x, line));
            BlockLine::new(BODY_SIZE, runs)
        })
        .collect()
}

/// Name wrapped in the left column; amount right-aligned against the right
/// margin, starting on the name's first line.
pub(super) fn credit_rows(shaper: &Shaper, name: &str, amount: &str) -> Vec<BlockLine> {
    let name_width = CONTENT_WIDTH * CREDIT_NAME_SHARE;
    let amount_width = CONTENT_WIDTH - name_width - COLUMN_GAP;
    let wrap = |text: &str, width: f32| {
        let text = shaper.clean(text, Weight::Regular);
        shaper.wrap(&text, Weight::Regular, BODY_SIZE, width)
    };
    let names = wrap(name, name_width);
    // An amount is normally short; wrapping it too keeps a long one
    // ("12.50 AMA PRA Category 1 Credits™") out of the name column.
    let amounts = wrap(amount, amount_width);
    let right = MARGIN + CONTENT_WIDTH;
    let lines = names.len().max(amounts.len());
    let mut names = names.into_iter();
    let mut amounts = amounts.into_iter();
    (0..lines)
        .map(|_| {
            let mut runs = Vec::with_capacity(2);
            if let Some(name) = names.next() {
                runs.push(Run::body(MARGIN, name));
            }
            if let Some(amount) = amounts.next() {
                let x = right - amount.width;
                runs.push(Run::body(x, amount));
            }
            BlockLine::new(BODY_SIZE, runs)
        })
        .collect()
}

/// The pages drawn so far and the cursor on the current one.
pub(super) struct Pages<'s, 'f> {
    shaper: &'s Shaper<'f>,
    /// Finished pages.
    done: Vec<Vec<Op>>,
    /// What is drawn on the page being filled.
    current: Vec<Op>,
    /// Top of the next row; content may go down to `BOTTOM`.
    y: f32,
    /// The top of the content: the paper's height less the margin.
    top: f32,
}

impl<'s, 'f> Pages<'s, 'f> {
    pub(super) fn new(shaper: &'s Shaper<'f>, paper: super::PageSize) -> Pages<'s, 'f> {
        let top = paper.size().1 - MARGIN;
        Pages {
            shaper,
            done: Vec::new(),
            current: Vec::new(),
            y: top,
            top,
        }
    }

    /// Height available for content on an empty page.
    fn page_body(&self) -> f32 {
        self.top - BOTTOM
    }

    pub(super) fn finish(mut self) -> Vec<Vec<Op>> {
        self.done.push(self.current);
        self.done
    }

    fn remaining(&self) -> f32 {
        self.y - BOTTOM
    }

    fn at_top(&self) -> bool {
        self.y >= self.top - EPSILON
    }

    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
        self.y = self.top;
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

    pub(super) fn place(&mut self, block: &Block) {
        let shaper = self.shaper;
        match block {
            Block::Title(text) => {
                let style = Style {
                    size: TITLE_SIZE,
                    ..BOLD
                };
                let rows = text_rows(shaper, text, style, Align::Centre, CONTENT_WIDTH);
                self.keep_together(&rows, 0.0);
                self.gap(8.0);
            }
            Block::Heading(text) => {
                if !self.at_top() {
                    self.gap(4.0);
                }
                let style = Style {
                    size: HEADING_SIZE,
                    ..BOLD
                };
                let rows = text_rows(shaper, text, style, Align::Left(MARGIN), CONTENT_WIDTH);
                // A heading alone at the foot of a page heads nothing: keep
                // room for the first line of what it introduces.
                self.keep_together(&rows, BODY_SIZE * LEADING);
                self.gap(3.0);
            }
            Block::Paragraph(text) => {
                // Paragraphs may flow across a page break (between lines), so
                // a long one does not leave half a page empty.
                self.flow(&body_rows(shaper, text));
                self.gap(6.0);
            }
            Block::Field(label, value) => {
                self.keep_together(&field_rows(shaper, label, value), 0.0);
                self.gap(2.0);
            }
            Block::SetApart(text) => {
                self.set_apart(text);
                self.gap(8.0);
            }
            Block::CreditRow(name, amount) => {
                self.keep_together(&credit_rows(shaper, name, amount), 0.0);
                self.gap(2.0);
            }
            Block::Space(points) => self.space(*points),
            Block::Small(text) => {
                let style = Style {
                    size: SMALL_SIZE,
                    grey: SMALL_GREY,
                    ..BODY
                };
                let rows = text_rows(shaper, text, style, Align::Left(MARGIN), CONTENT_WIDTH);
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
    fn flow(&mut self, rows: &[BlockLine]) {
        for row in rows {
            self.make_room(row.height);
            self.draw_row(row);
        }
    }

    /// Draws rows on one page if they fit on one page, plus room for `extra`
    /// below them; a block taller than a page still flows between rows.
    fn keep_together(&mut self, rows: &[BlockLine], extra: f32) {
        let height = rows.iter().map(|r| r.height).sum::<f32>() + extra;
        if height <= self.page_body() {
            self.make_room(height);
        }
        self.flow(rows);
    }

    /// Wrapped text inside a ruled box. The box moves to the next page whole
    /// if it fits there; a statement longer than a page is split into one box
    /// per page, between lines.
    fn set_apart(&mut self, text: &str) {
        let inner_x = MARGIN + BOX_PADDING;
        let inner_width = CONTENT_WIDTH - 2.0 * BOX_PADDING;
        let rows = text_rows(self.shaper, text, BODY, Align::Left(inner_x), inner_width);
        let height = rows.iter().map(|r| r.height).sum::<f32>() + 2.0 * BOX_PADDING;
        if height <= self.page_body() {
            self.make_room(height);
        }

        let mut rest: &[BlockLine] = &rows;
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
            self.current.push(Op::Rule {
                x: MARGIN,
                y: self.y - box_height,
                width: CONTENT_WIDTH,
                height: box_height,
                line_width: BOX_RULE_WIDTH,
            });
            self.y -= BOX_PADDING;
            for row in chunk {
                self.draw_row(row);
            }
            self.y -= BOX_PADDING;
            rest = tail;
        }
    }

    /// Draws a row at the cursor and moves the cursor below it.
    fn draw_row(&mut self, row: &BlockLine) {
        for run in row.runs.iter().filter(|run| !run.line.pieces.is_empty()) {
            let baseline = self.y - run.size * BASELINE_DROP;
            self.current.push(Op::Text {
                run: run.clone(),
                baseline,
            });
        }
        self.y -= row.height;
    }
}
