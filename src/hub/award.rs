//! What an attendee is awarded at the hub, worked out once from their
//! counted claims with the domain's rules (the same ones the kiosk counts
//! with): the overlap groups, ACPE's whole sessions and the activity
//! maximum. The certificate page, the PDF and every report read an
//! [`Award`], so none of them can say a different number.

use crate::config::{Config, parse_local};
use crate::domain::credits::{
    AcpeHeld, AcpeLine, ClaimLine, Span, acpe_lines, eligible_for, totals, uans_for,
};
use crate::domain::{CodeSet, CreditCode, Profession, Quarters, sanitize};
use crate::hub::held::{HeldLine, HeldReason};
use crate::records::CountedClaim;

/// What the attendee chose at the kiosk, as far as counting goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Choices<'a> {
    pub profession: Option<Profession>,
    pub chosen: Option<CodeSet>,
    pub moc_consent: bool,
    pub pharm_role: Option<&'a str>,
}

/// A UAN whose hours are on the certificate: one CPE Monitor record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UanCredit {
    pub uan: String,
    /// The session's date, `YYYY-MM-DD`.
    pub date: String,
    /// The hours registered for it (the session's designation).
    pub hours: Quarters,
}

#[derive(Debug, Clone, Default)]
pub struct Award {
    /// The credit types the attendee takes (MOC only with consent).
    pub codes: CodeSet,
    pub totals: Vec<(CreditCode, Quarters)>,
    pub technician: bool,
    /// The UANs behind the ACPE hours, each once, in the order claimed.
    pub uans: Vec<UanCredit>,
    pub held: Vec<HeldLine>,
    /// The latest counted claim's time, as the kiosk recorded it.
    pub last_claim: Option<String>,
}

impl Award {
    pub fn get(&self, code: CreditCode) -> Quarters {
        self.totals
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, q)| *q)
            .unwrap_or(0)
    }
}

/// The credit types an attendee takes: what they chose, or by default
/// what their profession is offered (opt-in types only when chosen).
pub fn codes_of(
    config: &Config,
    profession: Option<Profession>,
    chosen: Option<CodeSet>,
) -> CodeSet {
    chosen.unwrap_or_else(|| {
        profession
            .map(|p| {
                config
                    .codes_for(p)
                    .iter()
                    .filter(|c| !c.is_opt_in())
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The rules over an attendee's counted claims, given earliest first.
pub fn award(config: &Config, who: Choices, claims: &[CountedClaim]) -> Award {
    let mut codes = codes_of(config, who.profession, who.chosen);
    if !who.moc_consent {
        codes.remove(CreditCode::MOC);
    }
    let technician = who.pharm_role == Some("technician");
    let mut kept: Vec<&CountedClaim> = Vec::new();
    let mut lines: Vec<ClaimLine> = Vec::new();
    for c in claims {
        let s = &c.session;
        let span = |t: &str| config.local_to_minutes(parse_local(t).ok()?).ok();
        let (Some(start), Some(end)) = (span(&s.starts_at), span(&s.ends_at)) else {
            continue;
        };
        kept.push(c);
        lines.push(ClaimLine {
            span: Span { start, end },
            designated: s.credits,
            claimed: c.credits,
            eligible: eligible_for(s.credit_types, &s.acpe_uan, technician),
        });
    }
    let maxima = config.maxima();
    let acpe_max = maxima.of(CreditCode::ACPE);
    let mut held = Vec::new();
    // NABP credits a UAN's registered hours once: a session whose UAN is
    // already counted for an earlier one adds nothing, so it is taken out
    // of the ACPE count (and said why) before the totals are worked out,
    // and the certificate's hours are those of the UANs reported.
    if codes.contains(CreditCode::ACPE) {
        while let Some((i, first)) = shared_uan(&lines, &kept, technician, acpe_max) {
            lines[i].eligible.remove(CreditCode::ACPE);
            let s = &kept[i].session;
            held.push(HeldLine {
                session_id: s.session_id.clone(),
                title: sanitize(&s.title),
                reason: HeldReason::SharedUan {
                    with: sanitize(&kept[first].session.title),
                },
            });
        }
    }
    let totals = totals(codes, &lines, &maxima)
        .into_iter()
        .map(|t| (t.code, t.awarded))
        .collect();
    let mut uans: Vec<UanCredit> = Vec::new();
    if codes.contains(CreditCode::ACPE) {
        for (i, outcome) in acpe_lines(&lines, acpe_max).into_iter().enumerate() {
            let s = &kept[i].session;
            let reason = match outcome {
                AcpeLine::NotEligible => continue,
                AcpeLine::Counted => {
                    // One UAN per session: NABP credits each UAN's hours, so
                    // a second UAN for the same role would count it twice.
                    if let Some(uan) = uans_for(&s.acpe_uan, technician).next()
                        && !uans.iter().any(|u| u.uan == uan)
                    {
                        uans.push(UanCredit {
                            uan: uan.to_string(),
                            date: s.starts_at.get(..10).unwrap_or("").to_string(),
                            hours: s.credits,
                        });
                    }
                    continue;
                }
                AcpeLine::Held(AcpeHeld::Partial) => HeldReason::AcpePartial {
                    claimed: kept[i].credits,
                    designated: s.credits,
                },
                AcpeLine::Held(AcpeHeld::Simultaneous(j)) => HeldReason::AcpeSimultaneous {
                    with: sanitize(&kept[j].session.title),
                },
                AcpeLine::Held(AcpeHeld::OverMaximum) => HeldReason::AcpeOverMaximum,
            };
            held.push(HeldLine {
                session_id: s.session_id.clone(),
                title: sanitize(&s.title),
                reason,
            });
        }
    }
    Award {
        codes,
        totals,
        technician,
        uans,
        held,
        last_claim: kept.iter().map(|c| c.claimed_at.clone()).max(),
    }
}

/// The first session ACPE's rules count whose UAN (for the attendee's
/// role) an earlier counted session already has, with that earlier one.
fn shared_uan(
    lines: &[ClaimLine],
    kept: &[&CountedClaim],
    technician: bool,
    max: crate::domain::Quarters,
) -> Option<(usize, usize)> {
    let counted: Vec<usize> = acpe_lines(lines, max)
        .into_iter()
        .enumerate()
        .filter(|(_, o)| *o == AcpeLine::Counted)
        .map(|(i, _)| i)
        .collect();
    let uan = |i: usize| uans_for(&kept[i].session.acpe_uan, technician).next();
    counted.iter().enumerate().find_map(|(n, &i)| {
        let u = uan(i)?;
        counted[..n]
            .iter()
            .find(|&&j| uan(j) == Some(u))
            .map(|&j| (i, j))
    })
}
