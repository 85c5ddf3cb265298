//! Layout: blocks → rows → pages. Decides where each line of the
//! certificate goes, keeps headings with what follows and fields in one
//! piece, and breaks pages only between lines; the result is one content
//! stream per page.

use super::Block;
use super::encode::encode;
use super::font::{Font, wrap};
use super::writer::{literal, num};

// Page geometry and type sizes (all in points, origin bottom left).

pub(super) const PAGE_WIDTH: f32 = 612.0;
pub(super) const PAGE_HEIGHT: f32 = 792.0;
pub(super) const MARGIN: f32 = 54.0;
pub(super) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub(super) const TOP: f32 = PAGE_HEIGHT - MARGIN;
pub(super) const BOTTOM: f32 = MARGIN;
/// Height available for content on an empty page.
const PAGE_BODY: f32 = TOP - BOTTOM;

pub(super) const TITLE_SIZE: f32 = 22.0;
const HEADING_SIZE: f32 = 13.0;
pub(super) const BODY_SIZE: f32 = 10.5;
pub(super) const SMALL_SIZE: f32 = 8.0;
/// Grey level of `Small` text (0 black, 1 white): legible in print, but
/// clearly not part of the certificate's statements.
const SMALL_GREY: f32 = 0.4;

/// Baseline-to-baseline distance as a multiple of the font size.
pub(super) const LEADING: f32 = 1.3;
/// From the top of a line's box to its baseline, as a multiple of the size.
/// Accented capitals reach about 0.93 em in Helvetica and descenders 0.21 em
/// below, so with this drop both stay inside the `LEADING` box and nothing
/// pokes out of the `SetApart` rule or past the bottom margin.
pub(super) const BASELINE_DROP: f32 = 0.95;

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

/// Slack for comparing accumulated f32 positions, so a line that fits exactly
/// does not get pushed to the next page by rounding.
pub(super) const EPSILON: f32 = 0.01;

/// Text drawn at one position.
#[derive(Debug)]
pub(super) struct Run {
    pub(super) font: Font,
    pub(super) size: f32,
    pub(super) grey: bool,
    /// Left edge, absolute.
    pub(super) x: f32,
    pub(super) text: Vec<u8>,
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
pub(super) struct Row {
    pub(super) height: f32,
    pub(super) runs: Vec<Run>,
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
pub(super) fn credit_rows(name: &str, amount: &str) -> Vec<Row> {
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
pub(super) struct Pages {
    /// Finished pages' content streams.
    done: Vec<String>,
    /// Content stream of the page being filled.
    current: String,
    /// Top of the next row; content may go down to `BOTTOM`.
    y: f32,
}

impl Pages {
    pub(super) fn new() -> Pages {
        Pages {
            done: Vec::new(),
            current: String::new(),
            y: TOP,
        }
    }

    pub(super) fn finish(mut self) -> Vec<String> {
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

    pub(super) fn place(&mut self, block: &Block) {
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
