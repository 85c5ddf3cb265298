//! The certificate PDF (`GET /c/{id}.pdf`), drawn with krilla in the Noto
//! fonts so every attendee's name prints as written, in any script.
//!
//! - PDF/A-2u, US Letter or A4 ([`PageSize`]), 54 pt margins. krilla embeds a subset of each font
//!   used and maps every glyph back to Unicode, so `pdftotext`, search and
//!   copy give the name back; it validates the file as PDF/A while writing,
//!   and a file that fails is an error, never a broken download.
//! - Text is cleaned of what no font can draw, given a font per character
//!   (the first Noto family that has it), reordered per line by the Unicode
//!   bidi algorithm so Arabic and Hebrew read right to left, and shaped with
//!   rustybuzz (joining, Indic reordering, marks) — the same shaper krilla
//!   draws with, so lines are broken by the widths that are drawn.
//! - No timestamps: the same certificate renders to the same bytes, so a
//!   reissued certificate can be compared with the original.
//!
//! `render` never panics, and any text renders: characters no font has
//! become '?', and nonsense spacing (NaN, negative, infinite) is ignored.
//!
//! The work is split by stage: `fonts` finds and reads the fonts (once, at
//! start-up), `text` cleans, shapes, measures and breaks lines, `layout`
//! places blocks on pages, and `draw` writes the pages with krilla.

mod draw;
mod fonts;
mod layout;
mod text;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_scripts;

pub use fonts::{FontError, Fonts, SYSTEM_FONT_DIRS};

use layout::Pages;
use text::Shaper;

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

/// The paper a certificate is drawn on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PageSize {
    /// US Letter, 8.5 × 11 in.
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
}

impl PageSize {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            PageSize::Letter => (612.0, 792.0),
            PageSize::A4 => (595.276, 841.89),
        }
    }
}

/// What the document says about itself (shown by viewers, kept by
/// archives), not drawn on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    pub title: String,
    /// Who issues the certificate: the provider.
    pub author: String,
    /// The document's language, as an RFC 3066 tag ("en").
    pub language: String,
    /// When it was made (PDF/A asks for a date): the issue time, so the
    /// same certificate always gives the same bytes.
    pub created: jiff::Timestamp,
    pub paper: PageSize,
}

/// The PDF could not be written: krilla refused it (a PDF/A rule broken).
/// This is a bug in this module, never the attendee's data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("certificate PDF: {0}")]
pub struct PdfError(String);

/// Renders the blocks as a PDF/A document in `fonts`.
pub fn render(fonts: &Fonts, info: &DocInfo, blocks: &[Block]) -> Result<Vec<u8>, PdfError> {
    let shaper = Shaper::new(fonts);
    let mut pages = Pages::new(&shaper, info.paper);
    for block in blocks {
        pages.place(block);
    }
    draw::write(&shaper, info, &pages.finish())
}
