//! Attest: what will be claimed, by credit type, where the certificate
//! will be e-mailed (the address masked; Space declines it for this
//! visit), and the attestation. Enter asks the runner to commit the whole
//! visit in one transaction;
//! the result comes back here: the certificate, or back to Sessions when
//! a rule no longer holds, or out of service when nothing can be written.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::certificate::CertState;
use super::sessions::SessionsState;
use super::{ActArgs, Component, DrawArgs, TapTargets};
use crate::domain::evaluation::applicable;
use crate::kiosk::msg::{CommitFailed, Effect, Intent, Key, KeyCommand, TapTarget, Transition};
use crate::kiosk::setup::KioskSetup;
use crate::kiosk::speech::Spoken;
use crate::kiosk::strings::Words;
use crate::kiosk::theme;
use crate::kiosk::visit::Visit;
use crate::kiosk::widgets::{totals_lines, width};
use crate::store::SummaryKey;
use crate::store::{CertificateRow, NewVisit};

#[derive(Debug, Clone, Copy, Default)]
pub struct AttestState;

impl Component for AttestState {
    fn heading(&self, cx: &DrawArgs) -> String {
        let words = cx.words;
        words.attest_heading()
    }

    fn commands(&self, cx: &DrawArgs) -> Vec<KeyCommand> {
        let words = cx.words;
        if cx.visit.is_none() {
            return vec![];
        }
        let mut cmds = vec![KeyCommand::new(Key::Enter, words.agree(), Intent::Continue)];
        // One key (or a tap on its button) declines the e-mail for this
        // visit, and again takes it back.
        if let Some(visit) = cx.visit.filter(|v| v.mail_to().is_some()) {
            let label = if visit.mail_declined {
                words.mail_after_all()
            } else {
                words.no_mail()
            };
            // Drawn as a button of its own beside the address (the footer
            // has no room for it in every language at 80×24).
            cmds.push(KeyCommand::new(Key::Space, label, Intent::Toggle).hidden());
        }
        cmds.push(KeyCommand::new(Key::Esc, words.back(), Intent::Back));
        cmds
    }

    fn act(&mut self, action: Intent, cx: &mut ActArgs) -> Transition {
        let words = cx.words;
        if action == Intent::Toggle {
            if let Some(v) = cx.visit.as_deref_mut().filter(|v| v.mail_to().is_some()) {
                v.mail_declined = !v.mail_declined;
            }
            return Transition::Stay;
        }
        let Some(visit) = cx.visit.as_deref() else {
            return Transition::Stay;
        };
        match action {
            Intent::Continue => Transition::Effect(Effect::Commit(Box::new(new_visit(
                words,
                visit,
                cx.ctx,
                cx.device_id,
            )))),
            Intent::Back => Transition::Back,
            _ => Transition::Stay,
        }
    }

    fn speech(&self, cx: &DrawArgs) -> Spoken {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return Spoken::default();
        };
        let ctx = cx.ctx;
        let mut page = vec![summary(words, visit, ctx)];
        for (idx, q) in &visit.selected {
            if let Some(s) = ctx.catalog.sessions.get(*idx) {
                page.push(format!("{}, {}", s.title, words.quarters(*q)));
            }
        }
        if !visit.prior.is_empty() {
            page.push(prior(words, visit));
        }
        page.extend(crate::kiosk::widgets::totals_text(words, visit, ctx));
        page.push(crate::domain::sanitize(
            ctx.config.attestation(words.lang()),
        ));
        // Where the certificate is e-mailed, as drawn, and the key that
        // changes it.
        if let Some(to) = visit.mail_to() {
            if visit.mail_declined {
                page.push(words.mail_declined(&to));
                page.push(format!(
                    "{}: {}",
                    Key::Space.label(words),
                    words.mail_after_all()
                ));
            } else {
                page.push(format!("{} {to}", words.mail_to()));
                page.push(format!("{}: {}", Key::Space.label(words), words.no_mail()));
            }
        }
        Spoken {
            page,
            ..Spoken::default()
        }
    }

    fn view(&self, cx: &DrawArgs, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
        let words = cx.words;
        let Some(visit) = cx.visit else {
            return;
        };
        match mail_block(visit, area) {
            Some((rows, above)) => {
                draw(words, visit, cx.ctx, frame, above);
                draw_mail(words, visit, frame, rows, hits);
            }
            None => draw(words, visit, cx.ctx, frame, area),
        }
    }
}

/// The visit as it is written: this visit's selections, its profile, and
/// its answers to questions that still apply.
pub fn new_visit(words: Words, visit: &Visit, ctx: &KioskSetup, device_id: &str) -> NewVisit {
    // An answer whose question no longer applies (a follow-up to an
    // answer since changed) is not stored.
    let applicable = applicable(
        &ctx.config.questions,
        &visit.all_answers(),
        visit.profile.codes,
    );
    let mut answers: Vec<(String, String)> = visit
        .answers
        .iter()
        .filter(|(q, a)| !a.trim().is_empty() && applicable.contains_key(*q))
        .map(|(q, a)| (q.clone(), a.clone()))
        .collect();
    answers.sort();
    NewVisit {
        badge_id: visit.attendee.badge_id.clone(),
        kiosk_id: ctx.config.kiosk.id.clone(),
        device_id: device_id.to_string(),
        profile: visit.profile.clone(),
        claims: visit
            .selected
            .iter()
            .filter_map(|(i, q)| Some((ctx.catalog.sessions.get(*i)?.id.clone(), *q)))
            .collect(),
        answers,
        language: Some(words.lang()),
        mail_declined: visit.mail_declined && visit.mail_to().is_some(),
        summary: ctx.config.certificate_key().map(|key| SummaryKey {
            key,
            credits: visit
                .totals(ctx)
                .into_iter()
                .filter(|t| t.awarded > 0)
                .map(|t| (t.code, t.awarded))
                .collect(),
        }),
    }
}

/// Where the result of a commit leads.
#[derive(Debug)]
pub enum Committed {
    /// Written: show the certificate.
    Certificate(CertState),
    /// A rule no longer holds: back to Sessions with the records as they
    /// are now and a word on what changed.
    Sessions(SessionsState),
    /// A rule no longer holds and no visit is open: start over.
    Reset,
    /// Nothing could be written: the kiosk is out of service.
    OutOfService(String),
}

/// Takes the runner's answer to the commit. The attendee's records may
/// have changed under the visit (a session claimed at another kiosk
/// meanwhile, a void): the visit takes them as they are now, keeps the
/// selections that still fit and every answer, and goes back to Sessions.
pub fn committed(result: Result<CertificateRow, CommitFailed>, cx: &mut ActArgs) -> Committed {
    let words = cx.words;
    match result {
        Ok(cert) => Committed::Certificate(CertState::new(cx.ctx, cert)),
        Err(CommitFailed::Rule { reason, fresh }) => {
            tracing::warn!(%reason, "commit refused by a rule; back to Sessions");
            let Some(visit) = cx.visit.as_deref_mut() else {
                return Committed::Reset;
            };
            if let Some(fresh) = fresh {
                visit.refresh(cx.ctx, *fresh);
            }
            let dropped = visit.drop_blocked(cx.ctx, cx.now_min);
            let mut state = SessionsState::new(visit, cx.ctx, cx.now_min);
            state.message = Some(words.records_changed(&dropped));
            Committed::Sessions(state)
        }
        Err(CommitFailed::Storage(reason)) => {
            // Nothing was written (the transaction rolled back); the
            // attendee is told to use another kiosk.
            tracing::error!(%reason, "commit failed");
            Committed::OutOfService(reason)
        }
    }
}

/// The unit of the attendee's credit types when they share one (a nurse's
/// "contact hours"), else plain credits.
fn claim_unit(words: Words, visit: &Visit, ctx: &KioskSetup) -> String {
    let mut units = visit
        .profile
        .codes
        .iter()
        .filter_map(|c| ctx.config.credit_unit(words.lang(), c));
    match units.next() {
        Some(first) if units.all(|u| u == first) => first,
        _ => words.credits_unit(),
    }
}

/// The rows at the foot of Attest that say where the certificate is
/// e-mailed, and the rest above them; None when the roster has no address.
fn mail_block(visit: &Visit, area: Rect) -> Option<(Rect, Rect)> {
    visit.mail_to()?;
    let h = 3.min(area.height / 3);
    let rows = Rect {
        y: area.bottom() - h,
        height: h,
        ..area
    };
    let above = Rect {
        height: area.height - h,
        ..area
    };
    Some((rows, above))
}

/// Where the certificate is e-mailed (the address masked), or that it is
/// not this time, and the button that changes it: Space, or a tap.
fn draw_mail(words: Words, visit: &Visit, frame: &mut Frame, area: Rect, hits: &mut TapTargets) {
    let Some(to) = visit.mail_to() else {
        return;
    };
    let (said, label) = if visit.mail_declined {
        (
            Line::from(format!("✗ {}", words.mail_declined(&to))),
            words.mail_after_all(),
        )
    } else {
        (
            Line::from(vec![
                Span::raw(format!("✉ {} ", words.mail_to())),
                Span::styled(to, theme::heading()),
            ]),
            words.no_mail(),
        )
    };
    let said_rows = area.height.saturating_sub(1).max(1);
    frame.render_widget(
        Paragraph::new(said).wrap(Wrap { trim: true }),
        Rect {
            height: said_rows,
            ..area
        },
    );
    if area.height < 2 {
        return;
    }
    let key = format!(" {} ", Key::Space.label(words));
    let label = format!(" {label} ");
    let button = Rect {
        y: area.bottom() - 1,
        height: 1,
        width: ((width(&key) + width(&label)) as u16).min(area.width),
        ..area
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(key, theme::key()),
            Span::raw(label),
        ])),
        button,
    );
    hits.push((button, TapTarget::Intent(Intent::Toggle)));
}

fn draw(words: Words, visit: &Visit, ctx: &KioskSetup, frame: &mut Frame, area: Rect) {
    let new_q: u32 = visit.selected.values().sum();
    let mut lines = vec![Line::from(vec![
        Span::raw(format!("{} ", words.claimed_this_visit())),
        Span::styled(
            words.sessions_and_credits(visit.selected.len(), new_q, &claim_unit(words, visit, ctx)),
            theme::heading(),
        ),
        Span::raw(format!(" — {}", words.what_counts())),
    ])];
    // Keep the totals and the attestation on screen however many sessions.
    let totals = totals_lines(words, visit, ctx);
    // With large text (about 13 rows) each session would take two: the
    // count above says how many, and the attestation keeps its room.
    let room = if area.height < 16 {
        0
    } else {
        (area.height as usize)
            .saturating_sub(totals.len() + 8)
            .max(1)
    };
    let shown = if visit.selected.len() > room {
        room.saturating_sub(1)
    } else {
        room
    };
    for (idx, q) in visit.selected.iter().take(shown) {
        if let Some(s) = ctx.catalog.sessions.get(*idx) {
            lines.push(Line::from(format!(
                "  ✓ {} {}–{}  {}  ({})",
                words.weekday_short(s.day.weekday().to_monday_one_offset()),
                s.start.strftime("%H:%M"),
                s.end.strftime("%H:%M"),
                s.title,
                words.quarters(*q)
            )));
        }
    }
    if visit.selected.len() > shown && shown > 0 {
        lines.push(Line::from(format!(
            "  … {}",
            words.and_more(visit.selected.len() - shown)
        )));
    }
    if !visit.prior.is_empty() {
        lines.push(Line::from(prior(words, visit)));
    }
    lines.push(Line::from(""));
    lines.extend(totals);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        crate::domain::sanitize(ctx.config.attestation(words.lang())),
        theme::heading(),
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// "Claimed on this visit: 2 sessions, 4 credits — what counts, with the
/// rules applied, is below", as one line of text.
fn summary(words: Words, visit: &Visit, ctx: &KioskSetup) -> String {
    let new_q: u32 = visit.selected.values().sum();
    format!(
        "{} {} — {}",
        words.claimed_this_visit(),
        words.sessions_and_credits(visit.selected.len(), new_q, &claim_unit(words, visit, ctx)),
        words.what_counts()
    )
}

/// "Claimed on earlier visits: 3 sessions".
fn prior(words: Words, visit: &Visit) -> String {
    format!(
        "{} {}",
        words.claimed_earlier_visits(),
        words.sessions(visit.prior.len())
    )
}
