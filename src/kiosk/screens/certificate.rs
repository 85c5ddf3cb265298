//! Certificate: the QR code of the certificate URL, the URL in text beside
//! it, and the certificate's short code.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::kiosk::msg::{Intent, Key, KeyCommand, Transition};
use crate::kiosk::setup::KioskSetup;
use crate::kiosk::speech::{Spoken, spelled};
use crate::kiosk::theme;
use crate::kiosk::widgets::{qr_lines, totals_lines};
use crate::store::CertificateRow;

#[derive(Debug, Clone)]
pub struct CertState {
    pub url: String,
    pub short_code: String,
}

impl CertState {
    /// The certificate as this event's hub serves it.
    pub fn new(ctx: &KioskSetup, cert: CertificateRow) -> CertState {
        CertState {
            url: ctx.config.certificate_url(&cert.certificate_id),
            short_code: cert.short_code,
        }
    }
}

impl Component for CertState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.cert_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        vec![KeyCommand::new(Key::Enter, words.done(), Intent::Continue)]
    }

    fn act(&mut self, action: Intent, _cx: &mut ActArgs) -> Transition {
        match action {
            Intent::Continue => Transition::Reset,
            _ => Transition::Stay,
        }
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        let mut page = vec![
            words.cert_done(),
            format!(
                "{}{}",
                words.label(&words.cert_code()),
                spelled(&self.short_code)
            ),
        ];
        if let Some(v) = cx.visit {
            page.extend(crate::kiosk::widgets::totals_text(words, v, cx.ctx));
        }
        Spoken {
            page,
            ..Spoken::default()
        }
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, _hits: &mut TapTargets) {
        draw(self, cx, frame, area);
    }
}

fn draw(state: &CertState, cx: &DrawArgs, frame: &mut Frame, area: Rect) {
    let words = cx.words;
    let max_w = area.width.saturating_sub(30).max(area.width / 2);
    let qr = qr_lines(&state.url, max_w as usize, area.height as usize);
    let qr_w = qr
        .as_ref()
        .map(|l| l[0].chars().count() as u16)
        .unwrap_or(0);
    if let Some(lines) = &qr {
        for (i, l) in lines.iter().enumerate() {
            let r = Rect {
                x: area.x,
                y: area.y + i as u16,
                width: qr_w,
                height: 1,
            };
            frame.render_widget(Paragraph::new(Span::styled(l.clone(), theme::qr())), r);
        }
    }
    let text_area = Rect {
        x: area.x + qr_w + 2,
        width: area.width.saturating_sub(qr_w + 2),
        ..area
    };
    let mut lines = vec![
        Line::from(Span::styled(words.cert_done(), theme::heading())),
        Line::from(""),
        Line::from(Span::styled(state.url.clone(), theme::base())),
        Line::from(""),
        Line::from(vec![
            Span::raw(words.label(&words.cert_code())),
            Span::styled(state.short_code.clone(), theme::heading()),
        ]),
        Line::from(""),
    ];
    if let Some(v) = cx.visit {
        lines.extend(totals_lines(words, v, cx.ctx));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
}
