//! Serialization: page content streams → a PDF 1.4 file with its objects,
//! cross-reference table and trailer. Everything written is 7-bit ASCII and
//! free of timestamps, so the same certificate always gives the same bytes.

use super::font::Font;
use super::layout::{PAGE_HEIGHT, PAGE_WIDTH};

/// A number for the content stream: two decimals at most, trailing zeros
/// dropped ("54", "700.5"), which is exact enough for print and keeps the
/// streams short and stable.
pub(super) fn num(value: f32) -> String {
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
pub(super) fn literal(text: &[u8]) -> String {
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

pub(super) fn serialize(title: &str, pages: &[String]) -> Vec<u8> {
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
