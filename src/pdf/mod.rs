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
//!
//! The work is split by stage: `encode` turns Unicode into WinAnsi bytes,
//! `font` knows the glyph widths and breaks lines, `layout` places blocks on
//! pages, and `writer` turns the pages into PDF objects and the xref table.

mod encode;
mod font;
mod layout;
mod writer;

#[cfg(test)]
mod tests;

use layout::Pages;
use writer::serialize;

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
