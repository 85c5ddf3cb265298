//! The attendee being served: what they may claim, what they claimed on
//! earlier visits, and what they choose on this one. Every credit rule a
//! screen asks about goes through here to `domain`.

use std::collections::BTreeMap;

use super::setup::{AttendeeHistory, KioskSetup};
use crate::config::parse_local;
use crate::domain::credits::{
    Blocked, Choice, ClaimLine, Scanned, Total, blocked, eligible_for, preselect, takes_acpe,
    totals,
};
use crate::domain::evaluation::Answers;
use crate::domain::{CodeSet, Quarters};
use crate::records::AttendeeRow;
use crate::store::CreditChoices;

/// The attendee being served and everything chosen so far. Nothing of it
/// is written until Attest.
#[derive(Debug, Clone)]
pub struct Visit {
    pub attendee: AttendeeRow,
    /// Credit types the attendee's profession is offered.
    pub offered: CodeSet,
    pub profile: CreditChoices,
    /// Claims from earlier visits: (catalog index, credits).
    pub prior: Vec<(usize, Quarters)>,
    pub prior_answers: Answers,
    /// This visit's selections: catalog index → claimed credits.
    pub selected: BTreeMap<usize, Quarters>,
    /// This visit's answers.
    pub answers: Answers,
    /// The sessions the attendee was scanned into at the door: catalog
    /// index → the latest scan in (absolute minutes).
    pub scanned: BTreeMap<usize, i64>,
    /// Whether the scanned sessions were ticked for this visit: done once,
    /// when Sessions is first shown, so what the attendee unticks stays so.
    pub scans_ticked: bool,
    /// How many sessions the door scans ticked then.
    pub ticked_from_scans: usize,
    /// The attendee declined the certificate by e-mail for this visit.
    pub mail_declined: bool,
}

impl Visit {
    pub fn new(ctx: &KioskSetup, found: AttendeeHistory) -> Visit {
        let offered = ctx.config.codes_for(found.attendee.profession);
        let profile = match found.profile {
            Some(mut p) => {
                // Keep what was remembered, within what is offered now.
                p.codes = p.codes.iter().filter(|c| offered.contains(*c)).collect();
                if p.codes.is_empty() {
                    p.codes = default_codes(offered);
                }
                p
            }
            None => CreditChoices {
                codes: default_codes(offered),
                ..CreditChoices::default()
            },
        };
        let prior = found
            .claims
            .iter()
            .filter(|c| !c.voided)
            .filter_map(|c| Some((ctx.catalog.index_of(&c.session_id)?, c.credits)))
            .collect();
        let scanned = found
            .scanned
            .iter()
            .filter_map(|(id, at)| {
                let minutes = ctx.config.local_to_minutes(parse_local(at).ok()?).ok()?;
                Some((ctx.catalog.index_of(id)?, minutes))
            })
            .collect();
        Visit {
            attendee: found.attendee,
            offered,
            profile,
            prior,
            prior_answers: found.answers,
            selected: BTreeMap::new(),
            answers: Answers::new(),
            scanned,
            scans_ticked: false,
            ticked_from_scans: 0,
            mail_declined: false,
        }
    }

    /// Takes the attendee's records as they are now (from another kiosk,
    /// a void), keeping this visit's choices and answers.
    pub fn refresh(&mut self, ctx: &KioskSetup, fresh: AttendeeHistory) {
        let again = Visit::new(ctx, fresh);
        self.prior = again.prior;
        self.prior_answers = again.prior_answers;
        self.scanned = again.scanned;
    }

    /// Ticks the sessions the attendee was scanned into at the door, as
    /// far as the rules let each count whole (`domain::credits::preselect`);
    /// once a visit.
    pub fn tick_scanned(&mut self, ctx: &KioskSetup, now_min: i64) {
        if std::mem::replace(&mut self.scans_ticked, true) {
            return;
        }
        let candidates: Vec<(usize, Scanned)> = self
            .scanned
            .iter()
            .filter_map(|(&i, &last_in)| {
                let s = ctx.catalog.sessions.get(i)?;
                let scanned = Scanned {
                    line: self.line(ctx, i, s.designated)?,
                    listed: s.eligible,
                    claimed_earlier: self.is_prior(i),
                    last_in,
                };
                Some((i, scanned))
            })
            .collect();
        let scanned: Vec<Scanned> = candidates.iter().map(|(_, s)| *s).collect();
        let ticked = preselect(
            &scanned,
            &self.lines(ctx),
            self.profile.codes,
            &ctx.config.maxima(),
            now_min,
        );
        self.ticked_from_scans = ticked.len();
        for k in ticked {
            let (i, s) = candidates[k];
            self.selected.insert(i, s.line.designated);
        }
    }

    /// The roster's address, partly masked (`a•••@example.org`): where
    /// the hub e-mails the certificate. None when there is no address.
    pub fn mail_to(&self) -> Option<String> {
        crate::domain::email::mask(&self.attendee.email)
    }

    /// Whether the attendee was scanned into the session at the door.
    pub fn was_scanned(&self, idx: usize) -> bool {
        self.scanned.contains_key(&idx)
    }

    /// Unselects what can no longer be selected; returns their titles.
    pub fn drop_blocked(&mut self, ctx: &KioskSetup, now_min: i64) -> Vec<String> {
        let blocked: Vec<usize> = self
            .selected
            .keys()
            .copied()
            .filter(|i| self.blocked(ctx, *i, now_min).is_some())
            .collect();
        blocked
            .into_iter()
            .filter_map(|i| {
                self.selected.remove(&i);
                Some(ctx.catalog.sessions.get(i)?.title.clone())
            })
            .collect()
    }

    pub fn is_prior(&self, idx: usize) -> bool {
        self.prior.iter().any(|(i, _)| *i == idx)
    }

    /// Whether the attendee records ACPE credit as a pharmacy technician.
    pub fn technician(&self) -> bool {
        self.profile.pharm_role.as_deref() == Some("technician")
    }

    /// A session as a claim line for this attendee, claimed for `claimed`.
    pub fn line(&self, ctx: &KioskSetup, idx: usize, claimed: Quarters) -> Option<ClaimLine> {
        let s = ctx.catalog.sessions.get(idx)?;
        Some(ClaimLine {
            span: s.span,
            designated: s.designated,
            claimed,
            eligible: eligible_for(s.eligible, &s.acpe_uan, self.technician()),
        })
    }

    /// Earlier claims first, in the order they were made, then this
    /// visit's: the order in which the rules let simultaneous ACPE
    /// sessions count.
    pub fn lines(&self, ctx: &KioskSetup) -> Vec<ClaimLine> {
        self.prior
            .iter()
            .copied()
            .chain(self.selected.iter().map(|(i, q)| (*i, *q)))
            .filter_map(|(i, q)| self.line(ctx, i, q))
            .collect()
    }

    /// Why the session at `idx` cannot be selected now, if it cannot.
    pub fn blocked(&self, ctx: &KioskSetup, idx: usize, now_min: i64) -> Option<Blocked> {
        let s = ctx.catalog.sessions.get(idx)?;
        let line = self.line(ctx, idx, s.designated)?;
        let others: Vec<ClaimLine> = self
            .prior
            .iter()
            .copied()
            .chain(self.selected.iter().map(|(i, q)| (*i, *q)))
            .filter(|(i, _)| *i != idx)
            .filter_map(|(i, q)| self.line(ctx, i, q))
            .collect();
        blocked(
            &Choice {
                line,
                listed: s.eligible,
                claimed_earlier: self.is_prior(idx),
                codes: self.profile.codes,
                others: &others,
            },
            now_min,
        )
    }

    /// Whether the session is claimed whole: no +/− (ACPE).
    pub fn whole(&self, ctx: &KioskSetup, idx: usize) -> bool {
        self.line(ctx, idx, 0)
            .is_some_and(|l| takes_acpe(self.profile.codes, l.eligible))
    }

    pub fn totals(&self, ctx: &KioskSetup) -> Vec<Total> {
        totals(self.profile.codes, &self.lines(ctx), &ctx.config.maxima())
    }

    /// Earlier answers overlaid with this visit's.
    pub fn all_answers(&self) -> Answers {
        let mut all = self.prior_answers.clone();
        all.extend(self.answers.iter().map(|(k, v)| (k.clone(), v.clone())));
        all
    }

    pub fn display_name(&self) -> String {
        crate::domain::sanitize(
            format!("{} {}", self.attendee.first_name, self.attendee.last_name).trim(),
        )
    }
}

/// Everything offered except opt-in types (MOC), which the attendee chooses.
fn default_codes(offered: CodeSet) -> CodeSet {
    offered.iter().filter(|c| !c.is_opt_in()).collect()
}
