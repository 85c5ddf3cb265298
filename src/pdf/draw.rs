//! Drawing: the laid-out pages → a PDF/A-2u file through krilla, which
//! embeds a subset of each font used, writes the ToUnicode maps that let
//! the text be extracted, and checks the file against PDF/A as it writes
//! it. No timestamps: the same certificate gives the same bytes.

use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla::{Document, SerializeSettings};

use super::layout::{Op, PAGE_WIDTH};
use super::text::Shaper;
use super::{DocInfo, PdfError};

/// The archival level every certificate is written to and validated
/// against: PDF/A-2 level U (level B, plus every glyph mapped to Unicode
/// so the text can be searched and copied).
pub(super) const ARCHIVAL: Archival = Archival::A2_U;

pub(super) fn write(
    shaper: &Shaper,
    info: &DocInfo,
    pages: &[Vec<Op>],
) -> Result<Vec<u8>, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(ARCHIVAL)
        .finish()
        .map_err(|e| PdfError(format!("PDF/A configuration: {e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        // Certificates carry no structure tags (PDF/A-2u does not ask
        // for them).
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    document.set_metadata(
        Metadata::new()
            .title(info.title.clone())
            .authors(vec![info.author.clone()])
            .language(info.language.clone())
            .creator("cekiosk".into())
            .producer("cekiosk".into())
            .creation_date(date(info.created)),
    );
    let (width, height) = info.paper.size();
    // The layout is on Letter's width (see `layout`): centred on the paper.
    let place = Place {
        dx: (width - PAGE_WIDTH) / 2.0,
        height,
    };
    let page_settings =
        PageSettings::from_wh(width, height).ok_or_else(|| PdfError("page size".into()))?;
    for ops in pages {
        let mut page = document.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, shaper, op, place);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError(format!("the PDF is not valid {ARCHIVAL:?}: {e:?}")))
}

/// A timestamp as a PDF date, in UTC.
fn date(at: jiff::Timestamp) -> DateTime {
    let utc = at.to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let part = |n: i8| u8::try_from(n).unwrap_or(0);
    DateTime::new(u16::try_from(utc.year()).unwrap_or(1970))
        .month(part(utc.month()))
        .day(part(utc.day()))
        .hour(part(utc.hour()))
        .minute(part(utc.minute()))
        .second(part(utc.second()))
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Grey level (0 black, 1 white) as a fill.
fn grey(level: f32) -> Fill {
    let lightness = (level.clamp(0.0, 1.0) * 255.0).round() as u8;
    Fill {
        paint: luma::Color::new(lightness).into(),
        ..Fill::default()
    }
}

/// Where the layout goes on the paper: moved right by `dx`, and y turned
/// from the bottom of a page `height` tall to its top.
#[derive(Clone, Copy)]
struct Place {
    dx: f32,
    height: f32,
}

/// One op. krilla measures y from the top of the page; the layout from the
/// bottom.
fn draw(surface: &mut Surface, shaper: &Shaper, op: &Op, page: Place) {
    match op {
        Op::Text { run, baseline } => {
            surface.set_fill(Some(grey(run.grey)));
            surface.set_stroke(None);
            let y = page.height - baseline;
            for piece in &run.line.pieces {
                let font = shaper.fonts.faces[piece.face].font.clone();
                let direction = if piece.rtl {
                    TextDirection::RightToLeft
                } else {
                    TextDirection::LeftToRight
                };
                surface.draw_text(
                    Point::from_xy(page.dx + run.x + piece.x, y),
                    font,
                    run.size,
                    &piece.text,
                    false,
                    direction,
                );
            }
        }
        Op::Rule {
            x,
            y,
            width,
            height,
            line_width,
        } => {
            let Some(rect) =
                Rect::from_xywh(page.dx + *x, page.height - y - height, *width, *height)
            else {
                return;
            };
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            let Some(path) = path.finish() else { return };
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                width: *line_width,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
    }
}
