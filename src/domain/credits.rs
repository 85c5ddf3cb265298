//! The credit rules: what can be claimed, in what steps, why a session
//! cannot be selected, and how the overlap groups, ACPE's whole-session
//! rule and the activity maximum turn claims into credit awarded. The kiosk
//! and the hub both count with these functions (SPEC section 2).
//!
//! Times are absolute minutes (since the Unix epoch), so a day that changes
//! its UTC offset is still measured in real hours.

use super::{CodeSet, CreditCode, Quarters};

/// One session as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    pub fn minutes(self) -> i64 {
        (self.end - self.start).max(0)
    }
    /// Sessions that only touch (one ends as the next starts) do not overlap.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Only sessions that have ended by the event clock can be claimed.
pub fn is_claimable(span: Span, now: i64) -> bool {
    span.end <= now
}

/// A claim may be less than the session's designation, never more, and
/// never nothing: a selected session counts at least one quarter hour.
pub fn clamp_claim(requested: Quarters, designated: Quarters) -> Quarters {
    requested.clamp(designated.min(1), designated)
}

/// Whether a claim of `claimed` is allowed for a session designated
/// `designated`: at least one quarter hour, at most the designation.
pub fn claim_fits(claimed: i64, designated: Quarters) -> bool {
    claimed >= 1 && claimed <= i64::from(designated)
}

/// The claimed amount after a `+` press.
pub fn step_up(current: Quarters, designated: Quarters) -> Quarters {
    clamp_claim(current.saturating_add(1), designated)
}

/// The claimed amount after a `−` press; it stops at one quarter hour (Space
/// deselects).
pub fn step_down(current: Quarters, designated: Quarters) -> Quarters {
    clamp_claim(current.saturating_sub(1), designated)
}

/// Whether a Universal Activity Number is for this pharmacy role: its last
/// letter is P (pharmacists) or T (technicians); B serves both.
pub fn uan_fits(uan: &str, technician: bool) -> bool {
    uan.ends_with("-B") || uan.ends_with(if technician { "-T" } else { "-P" })
}

/// The UANs of a session's `acpe_uan` list (`;`-separated) that fit the role.
pub fn uans_for(list: &str, technician: bool) -> impl Iterator<Item = &str> {
    list.split(';')
        .map(str::trim)
        .filter(move |u| !u.is_empty() && uan_fits(u, technician))
}

/// The codes a session carries for one attendee: its `credit_types`, less
/// ACPE when none of its UANs is for the attendee's pharmacy role (NABP
/// credits hours only through a UAN, so hours without one cannot count).
pub fn eligible_for(credit_types: CodeSet, acpe_uan: &str, technician: bool) -> CodeSet {
    let mut codes = credit_types;
    if codes.contains(CreditCode::ACPE) && uans_for(acpe_uan, technician).next().is_none() {
        codes.remove(CreditCode::ACPE);
    }
    codes
}

/// The wall-clock length of the union of the spans, in whole quarter hours
/// (rounded down).
pub fn union_quarters(spans: impl IntoIterator<Item = Span>) -> Quarters {
    let minutes: i64 = merged(spans).into_iter().map(Span::minutes).sum();
    u32::try_from(minutes / 15).unwrap_or(u32::MAX)
}

/// The spans merged where they overlap or touch, in time order.
fn merged(spans: impl IntoIterator<Item = Span>) -> Vec<Span> {
    let mut spans: Vec<Span> = spans.into_iter().filter(|s| s.end > s.start).collect();
    spans.sort_by_key(|s| s.start);
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(c) if s.start <= c.end => c.end = c.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The overlap groups of a list of spans: each group holds the indexes of
/// spans that overlap, directly or through a chain, in time order.
/// Sessions that only touch fall in different groups.
pub fn overlap_groups(spans: &[Span]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..spans.len())
        .filter(|&i| spans[i].end > spans[i].start)
        .collect();
    order.sort_by_key(|&i| (spans[i].start, spans[i].end));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_end = i64::MIN;
    for i in order {
        match groups.last_mut() {
            Some(g) if spans[i].start < group_end => {
                g.push(i);
                group_end = group_end.max(spans[i].end);
            }
            _ => {
                groups.push(vec![i]);
                group_end = spans[i].end;
            }
        }
    }
    groups
}

/// One claimed session: when it ran, its designation, what the attendee
/// claims for it, and which codes it carries for this attendee (see
/// [`eligible_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimLine {
    pub span: Span,
    pub designated: Quarters,
    pub claimed: Quarters,
    pub eligible: CodeSet,
}

/// Why a claimed session earns no ACPE hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcpeHeld {
    /// Claimed for less than its designation: NABP credits the UAN's
    /// registered hours, so ACPE sessions are claimed whole.
    Partial,
    /// Held at the same time as the claim at this index, which counts.
    Simultaneous(usize),
    /// Its hours would take the total past the activity maximum.
    OverMaximum,
}

/// What ACPE's rules make of one claim line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcpeLine {
    NotEligible,
    Counted,
    Held(AcpeHeld),
}

/// ACPE's rules over an attendee's claims, taken in the order given (the
/// caller gives the earliest claim first): each session counts whole or not
/// at all, never two at once, and only while the total stays within the
/// maximum. The sessions counted are exactly those whose UANs go to CPE
/// Monitor.
pub fn acpe_lines(lines: &[ClaimLine], max: Quarters) -> Vec<AcpeLine> {
    let mut out = Vec::with_capacity(lines.len());
    let mut counted: Vec<usize> = Vec::new();
    let mut total: Quarters = 0;
    for (i, l) in lines.iter().enumerate() {
        let outcome = if !l.eligible.contains(CreditCode::ACPE) {
            AcpeLine::NotEligible
        } else if l.claimed != l.designated {
            AcpeLine::Held(AcpeHeld::Partial)
        } else if let Some(&j) = counted.iter().find(|&&j| lines[j].span.overlaps(l.span)) {
            AcpeLine::Held(AcpeHeld::Simultaneous(j))
        } else if total.saturating_add(l.claimed) > max {
            AcpeLine::Held(AcpeHeld::OverMaximum)
        } else {
            counted.push(i);
            total += l.claimed;
            AcpeLine::Counted
        };
        out.push(outcome);
    }
    out
}

/// The outcome of the rules for one credit type over all of an attendee's
/// claims (earlier visits and this one together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub code: CreditCode,
    /// The sum of what was claimed for eligible sessions.
    pub requested: Quarters,
    /// What the overlap groups (and, for ACPE, the whole-session rule) let
    /// count, before the activity maximum.
    pub counted: Quarters,
    /// The activity maximum.
    pub max: Quarters,
    /// What is awarded.
    pub awarded: Quarters,
}

impl Total {
    /// How much the overlap rule took off.
    pub fn overlap_reduction(&self) -> Quarters {
        self.requested.saturating_sub(self.counted)
    }
    /// How much the activity maximum took off after the overlap rule.
    pub fn cap_reduction(&self) -> Quarters {
        self.counted.saturating_sub(self.awarded)
    }
}

/// The rules for one credit type. Simultaneous sessions count once: the
/// eligible sessions fall into overlap groups, each group counts the sum
/// of its claims but at most the wall-clock length of its union, and the
/// type's total is the sum over the groups rounded down to a quarter hour,
/// then held to the activity maximum. Hours one group leaves unused never
/// make room for another. ACPE counts by [`acpe_lines`].
pub fn total_for(code: CreditCode, lines: &[ClaimLine], max: Quarters) -> Total {
    let follows = code.follows();
    let eligible: Vec<&ClaimLine> = lines
        .iter()
        .filter(|l| l.eligible.contains(follows))
        .collect();
    let requested = eligible.iter().map(|l| l.claimed).sum::<Quarters>();
    if code == CreditCode::ACPE {
        let outcomes = acpe_lines(lines, max);
        let sum = |keep: fn(&AcpeLine) -> bool| -> Quarters {
            lines
                .iter()
                .zip(&outcomes)
                .filter(|(_, o)| keep(o))
                .map(|(l, _)| l.claimed)
                .sum()
        };
        return Total {
            code,
            requested,
            counted: sum(|o| {
                matches!(o, AcpeLine::Counted | AcpeLine::Held(AcpeHeld::OverMaximum))
            }),
            max,
            awarded: sum(|o| *o == AcpeLine::Counted),
        };
    }
    let spans: Vec<Span> = eligible.iter().map(|l| l.span).collect();
    let minutes: i64 = overlap_groups(&spans)
        .iter()
        .map(|g| {
            let claimed: i64 = g.iter().map(|&i| i64::from(eligible[i].claimed) * 15).sum();
            let wall: i64 = merged(g.iter().map(|&i| spans[i]))
                .into_iter()
                .map(Span::minutes)
                .sum();
            claimed.min(wall)
        })
        .sum();
    let counted = u32::try_from(minutes / 15).unwrap_or(u32::MAX);
    Total {
        code,
        requested,
        counted,
        max,
        awarded: counted.min(max),
    }
}

/// Totals for each code the attendee takes.
pub fn totals(codes: CodeSet, lines: &[ClaimLine], max: Quarters) -> Vec<Total> {
    codes.iter().map(|c| total_for(c, lines, max)).collect()
}

/// Why a session cannot be selected (or adjusted) at the kiosk now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    ClaimedEarlier,
    NotEnded,
    /// It carries none of the credit types the attendee claims.
    NoCredit,
    /// It carries ACPE, but no UAN for the attendee's pharmacy role.
    NoUan,
    /// An ACPE session at the same time is already selected or claimed.
    SimultaneousAcpe,
}

/// What the kiosk knows of a session and of the attendee's other choices
/// when they try to select it.
pub struct Choice<'a> {
    pub line: ClaimLine,
    /// The session's own `credit_types`, before [`eligible_for`].
    pub listed: CodeSet,
    pub claimed_earlier: bool,
    /// The credit types the attendee claims.
    pub codes: CodeSet,
    /// The other sessions claimed or selected, as lines.
    pub others: &'a [ClaimLine],
}

/// Why the session cannot be selected, or None when it can.
pub fn blocked(c: &Choice, now: i64) -> Option<Blocked> {
    let gives = |set: CodeSet| c.codes.iter().any(|code| set.contains(code.follows()));
    if c.claimed_earlier {
        Some(Blocked::ClaimedEarlier)
    } else if !is_claimable(c.line.span, now) {
        Some(Blocked::NotEnded)
    } else if c.line.designated == 0 || !gives(c.line.eligible) {
        if gives(c.listed) {
            Some(Blocked::NoUan)
        } else {
            Some(Blocked::NoCredit)
        }
    } else if takes_acpe(c.codes, c.line.eligible)
        && c.others
            .iter()
            .any(|o| o.eligible.contains(CreditCode::ACPE) && o.span.overlaps(c.line.span))
    {
        Some(Blocked::SimultaneousAcpe)
    } else {
        None
    }
}

/// Whether a session is claimed whole (no +/−): it earns the attendee ACPE
/// hours, which NABP credits by the UAN's registration.
pub fn takes_acpe(codes: CodeSet, eligible: CodeSet) -> bool {
    codes.contains(CreditCode::ACPE) && eligible.contains(CreditCode::ACPE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    const H: i64 = 60;

    fn span(start_h: f64, end_h: f64) -> Span {
        Span {
            start: (start_h * 60.0) as i64,
            end: (end_h * 60.0) as i64,
        }
    }

    fn line(s: Span, claimed: Quarters, codes: &str) -> ClaimLine {
        ClaimLine {
            span: s,
            designated: claimed,
            claimed,
            eligible: CodeSet::parse_list(codes).unwrap(),
        }
    }

    #[test]
    fn back_to_back_sessions_touch_but_do_not_overlap() {
        let a = span(8.0, 9.0);
        let b = span(9.0, 10.5);
        assert!(!a.overlaps(b));
        let lines = [line(a, 4, "AMA"), line(b, 6, "AMA")];
        let t = total_for(CreditCode::AMA, &lines, 155);
        assert_eq!(t.awarded, 10);
        assert_eq!(t.overlap_reduction(), 0);
        assert_eq!(overlap_groups(&[a, b]), vec![vec![0], vec![1]]);
    }

    #[test]
    fn poster_session_spanning_three_talks_counts_once() {
        let poster = span(8.0, 11.0);
        let talks = [span(8.0, 9.0), span(9.0, 10.0), span(10.0, 11.0)];
        let mut lines = vec![line(poster, 12, "AMA")];
        lines.extend(talks.iter().map(|t| line(*t, 4, "AMA;ANCC")));
        let ama = total_for(CreditCode::AMA, &lines, 155);
        assert_eq!(ama.requested, 24);
        assert_eq!(ama.counted, 12);
        assert_eq!(ama.awarded, 12);
        assert_eq!(ama.overlap_reduction(), 12);
        // The poster is not ANCC-eligible, so nurses get the three talks only.
        let ancc = total_for(CreditCode::ANCC, &lines, 155);
        assert_eq!(ancc.awarded, 12);
        assert_eq!(ancc.overlap_reduction(), 0);
    }

    /// SPEC section 2's own example: the workshop's unused hour does not
    /// absorb the morning's two simultaneous talks.
    #[test]
    fn unused_hours_of_one_group_never_make_room_for_another() {
        let lines = [
            line(span(7.5, 8.75), 5, "AMA"),
            line(span(7.5, 8.75), 5, "AMA"),
            line(span(13.25, 16.25), 8, "AMA"),
        ];
        let t = total_for(CreditCode::AMA, &lines, 155);
        assert_eq!(t.requested, 18);
        assert_eq!(t.awarded, 13, "1.25 + 2 = 3.25, not 4.25");
        assert_eq!(t.overlap_reduction(), 5);
    }

    #[test]
    fn a_chain_of_overlaps_is_one_group() {
        // 08:00-09:00 overlaps 08:30-09:30, which overlaps 09:15-10:00; the
        // first and last do not meet, yet all three are one group.
        let spans = [span(8.0, 9.0), span(8.5, 9.5), span(9.25, 10.0)];
        assert_eq!(overlap_groups(&spans), vec![vec![0, 1, 2]]);
        let lines: Vec<ClaimLine> = spans.iter().map(|s| line(*s, 4, "AMA")).collect();
        assert_eq!(total_for(CreditCode::AMA, &lines, 155).awarded, 8);
    }

    #[test]
    fn partial_overlap_rounds_union_down_to_a_quarter() {
        // 08:00-09:10 and 09:00-10:00: union 2h00 → 8 quarters.
        let lines = [
            line(
                Span {
                    start: 480,
                    end: 550,
                },
                4,
                "AMA",
            ),
            line(
                Span {
                    start: 540,
                    end: 600,
                },
                4,
                "AMA",
            ),
        ];
        assert_eq!(total_for(CreditCode::AMA, &lines, 155).awarded, 8);
        // 08:00-08:20: 20 minutes → one quarter.
        assert_eq!(
            union_quarters([Span {
                start: 480,
                end: 500
            }]),
            1
        );
    }

    #[test]
    fn cap_reached_across_two_visits() {
        // Day one: 30 hours; day two another 12: the total stops at 38.75.
        let first: Vec<ClaimLine> = (0..10)
            .map(|i| line(span(i as f64 * 3.0, i as f64 * 3.0 + 3.0), 12, "AMA"))
            .collect();
        let t1 = total_for(CreditCode::AMA, &first[..], 155);
        assert_eq!(t1.awarded, 120);
        let mut both = first.clone();
        both.extend((0..4).map(|i| {
            line(
                span(100.0 + i as f64 * 3.0, 103.0 + i as f64 * 3.0),
                12,
                "AMA",
            )
        }));
        let t2 = total_for(CreditCode::AMA, &both, 155);
        assert_eq!(t2.requested, 168);
        assert_eq!(t2.awarded, 155);
        assert_eq!(t2.cap_reduction(), 13);
    }

    #[test]
    fn aapa_and_cop_follow_ama_eligibility() {
        let lines = [
            line(span(8.0, 9.0), 4, "AMA"),
            line(span(10.0, 11.0), 4, "ANCC"),
        ];
        assert_eq!(total_for(CreditCode::AAPA, &lines, 155).awarded, 4);
        assert_eq!(total_for(CreditCode::COP, &lines, 155).awarded, 4);
        assert_eq!(total_for(CreditCode::MOC, &lines, 155).awarded, 0);
    }

    #[test]
    fn claims_stay_within_designation_in_quarter_steps() {
        assert_eq!(step_up(5, 5), 5);
        assert_eq!(step_up(4, 5), 5);
        assert_eq!(step_down(5, 5), 4);
        assert_eq!(step_down(1, 5), 1);
        assert_eq!(clamp_claim(9, 5), 5);
        assert_eq!(clamp_claim(0, 5), 1);
        assert_eq!(clamp_claim(0, 0), 0);
        assert!(claim_fits(5, 5));
        assert!(!claim_fits(6, 5));
        assert!(!claim_fits(0, 5));
    }

    #[test]
    fn only_ended_sessions_are_claimable() {
        let s = span(8.0, 9.0);
        assert!(!is_claimable(s, 8 * H + 59));
        assert!(is_claimable(s, 9 * H));
        assert!(is_claimable(s, 20 * H));
    }

    #[test]
    fn acpe_is_whole_never_simultaneous_and_within_the_maximum() {
        let lines = [
            line(span(8.0, 9.25), 5, "ACPE"),
            line(span(8.0, 9.25), 5, "ACPE"),
            ClaimLine {
                claimed: 1,
                ..line(span(10.0, 11.25), 5, "ACPE")
            },
            line(span(12.0, 13.0), 4, "ACPE"),
            line(span(14.0, 15.0), 4, "AMA"),
        ];
        assert_eq!(
            acpe_lines(&lines, 155),
            vec![
                AcpeLine::Counted,
                AcpeLine::Held(AcpeHeld::Simultaneous(0)),
                AcpeLine::Held(AcpeHeld::Partial),
                AcpeLine::Counted,
                AcpeLine::NotEligible,
            ]
        );
        let t = total_for(CreditCode::ACPE, &lines, 155);
        assert_eq!((t.requested, t.awarded), (15, 9));
        // A maximum of 2.25 keeps the first session whole and holds the
        // next rather than reporting part of a UAN.
        let t = total_for(CreditCode::ACPE, &lines, 8);
        assert_eq!(t.awarded, 5);
        assert_eq!(
            acpe_lines(&lines, 8)[3],
            AcpeLine::Held(AcpeHeld::OverMaximum)
        );
    }

    #[test]
    fn uans_fit_the_pharmacy_role() {
        let list = "JA1-P; JA2-T;JA3-B";
        assert_eq!(
            uans_for(list, false).collect::<Vec<_>>(),
            ["JA1-P", "JA3-B"]
        );
        assert_eq!(uans_for(list, true).collect::<Vec<_>>(), ["JA2-T", "JA3-B"]);
        let acpe = CodeSet::parse_list("AMA;ACPE").unwrap();
        assert_eq!(eligible_for(acpe, "JA1-P", true).to_list(), "AMA");
        assert_eq!(eligible_for(acpe, "JA1-P", false).to_list(), "AMA;ACPE");
        assert_eq!(eligible_for(acpe, "", false).to_list(), "AMA");
    }

    #[test]
    fn a_second_simultaneous_acpe_session_is_blocked() {
        let codes = CodeSet::parse_list("ACPE").unwrap();
        let first = line(span(8.0, 9.0), 4, "ACPE");
        let second = line(span(8.5, 9.5), 4, "ACPE");
        let choice = |others: &[ClaimLine]| {
            blocked(
                &Choice {
                    line: second,
                    listed: second.eligible,
                    claimed_earlier: false,
                    codes,
                    others,
                },
                10 * H,
            )
        };
        assert_eq!(choice(&[first]), Some(Blocked::SimultaneousAcpe));
        assert_eq!(choice(&[line(span(9.5, 10.0), 2, "ACPE")]), None);
        // A physician may claim both (the overlap rule counts them once).
        let ama = CodeSet::parse_list("AMA").unwrap();
        let both = line(span(8.5, 9.5), 4, "AMA;ACPE");
        let c = Choice {
            line: both,
            listed: both.eligible,
            claimed_earlier: false,
            codes: ama,
            others: &[line(span(8.0, 9.0), 4, "AMA;ACPE")],
        };
        assert_eq!(blocked(&c, 10 * H), None);
        assert_eq!(blocked(&c, 9 * H), Some(Blocked::NotEnded));
        let no_uan = Choice {
            line: line(span(8.0, 9.0), 4, ""),
            listed: codes,
            claimed_earlier: false,
            codes,
            others: &[],
        };
        assert_eq!(blocked(&no_uan, 10 * H), Some(Blocked::NoUan));
    }

    /// The rule, computed minute by minute with no sweep and no merge:
    /// sessions are joined when they share a covered minute (and chains of
    /// them by a plain closure), each group's wall clock is the number of
    /// distinct minutes it covers.
    fn oracle(code: CreditCode, lines: &[ClaimLine], max: Quarters) -> Quarters {
        let eligible: Vec<&ClaimLine> = lines
            .iter()
            .filter(|l| l.eligible.contains(code.follows()))
            .collect();
        let minutes: Vec<BTreeSet<i64>> = eligible
            .iter()
            .map(|l| (l.span.start..l.span.end).collect())
            .collect();
        let n = eligible.len();
        let mut group: Vec<usize> = (0..n).collect();
        let mut changed = true;
        while changed {
            changed = false;
            for i in 0..n {
                for j in 0..n {
                    if group[i] != group[j] && !minutes[i].is_disjoint(&minutes[j]) {
                        let (a, b) = (group[i].min(group[j]), group[i].max(group[j]));
                        group.iter_mut().filter(|g| **g == b).for_each(|g| *g = a);
                        changed = true;
                    }
                }
            }
        }
        let mut total = 0i64;
        for g in group.iter().copied().collect::<BTreeSet<_>>() {
            let members: Vec<usize> = (0..n).filter(|&i| group[i] == g).collect();
            let covered: BTreeSet<i64> = members
                .iter()
                .flat_map(|&i| minutes[i].iter().copied())
                .collect();
            let claimed: i64 = members
                .iter()
                .map(|&i| i64::from(eligible[i].claimed) * 15)
                .sum();
            total += claimed.min(covered.len() as i64);
        }
        ((total / 15) as Quarters).min(max)
    }

    fn arb_line() -> impl Strategy<Value = ClaimLine> {
        (0i64..2 * 24 * 4, 1i64..16, 0u32..20, 0u8..16, any::<bool>()).prop_map(
            |(start_q, len_q, claim, codes, whole)| {
                let start = start_q * 15 + (start_q % 7);
                let end = start + len_q * 15;
                let designated = (len_q as u32).max(1);
                let mut eligible = CodeSet::default();
                for (i, c) in CreditCode::SESSION_CODES.into_iter().enumerate() {
                    if codes & (1 << i) != 0 {
                        eligible.insert(c);
                    }
                }
                ClaimLine {
                    span: Span { start, end },
                    designated,
                    claimed: if whole {
                        designated
                    } else {
                        clamp_claim(claim, designated)
                    },
                    eligible,
                }
            },
        )
    }

    proptest! {
        #[test]
        fn totals_match_the_minute_by_minute_oracle(
            lines in prop::collection::vec(arb_line(), 0..24),
            max in 0u32..200,
        ) {
            for code in CreditCode::ALL {
                if code == CreditCode::ACPE {
                    continue;
                }
                let t = total_for(code, &lines, max);
                prop_assert_eq!(t.awarded, oracle(code, &lines, max), "{:?}", code);
                prop_assert!(t.awarded <= max);
                prop_assert!(t.awarded <= t.requested);
            }
        }

        #[test]
        fn acpe_counts_whole_disjoint_sessions_within_the_maximum(
            lines in prop::collection::vec(arb_line(), 0..24),
            max in 0u32..200,
        ) {
            let outcomes = acpe_lines(&lines, max);
            let counted: Vec<&ClaimLine> = lines.iter().zip(&outcomes)
                .filter(|(_, o)| **o == AcpeLine::Counted).map(|(l, _)| l).collect();
            // Whole, never two sharing a minute.
            for (i, a) in counted.iter().enumerate() {
                prop_assert_eq!(a.claimed, a.designated);
                prop_assert!(a.eligible.contains(CreditCode::ACPE));
                for b in &counted[i + 1..] {
                    let shared = (a.span.start..a.span.end).any(|m| (b.span.start..b.span.end).contains(&m));
                    prop_assert!(!shared);
                }
            }
            let sum: Quarters = counted.iter().map(|l| l.claimed).sum();
            prop_assert!(sum <= max);
            prop_assert_eq!(total_for(CreditCode::ACPE, &lines, max).awarded, sum);
            // Nothing held that could have counted: each held line is
            // partial, shares a minute with an earlier counted one, or does
            // not fit under the maximum beside those counted before it.
            for (i, (l, o)) in lines.iter().zip(&outcomes).enumerate() {
                let before: Vec<&ClaimLine> = lines[..i].iter().zip(&outcomes[..i])
                    .filter(|(_, o)| **o == AcpeLine::Counted).map(|(l, _)| l).collect();
                match o {
                    AcpeLine::NotEligible => prop_assert!(!l.eligible.contains(CreditCode::ACPE)),
                    AcpeLine::Held(AcpeHeld::Partial) => prop_assert!(l.claimed < l.designated),
                    AcpeLine::Held(AcpeHeld::Simultaneous(j)) => {
                        prop_assert!(*j < i && outcomes[*j] == AcpeLine::Counted);
                        prop_assert!(lines[*j].span.start < l.span.end && l.span.start < lines[*j].span.end);
                    }
                    AcpeLine::Held(AcpeHeld::OverMaximum) => {
                        let so_far: Quarters = before.iter().map(|b| b.claimed).sum();
                        prop_assert!(so_far + l.claimed > max);
                    }
                    AcpeLine::Counted => {}
                }
            }
        }

        #[test]
        fn adding_a_claim_never_lowers_a_total(
            lines in prop::collection::vec(arb_line(), 0..30),
            extra in arb_line(),
        ) {
            for code in CreditCode::ALL {
                let before = total_for(code, &lines, 155).awarded;
                let mut more = lines.clone();
                more.push(extra);
                prop_assert!(total_for(code, &more, 155).awarded >= before);
            }
        }

        #[test]
        fn disjoint_sessions_award_their_claims_in_full(
            claims in prop::collection::vec(1u32..12, 1..20),
        ) {
            let lines: Vec<ClaimLine> = claims.iter().enumerate().map(|(i, c)| ClaimLine {
                span: Span { start: i as i64 * 180, end: i as i64 * 180 + 180 },
                designated: *c,
                claimed: *c,
                eligible: CodeSet::parse_list("AMA;ACPE").unwrap(),
            }).collect();
            let t = total_for(CreditCode::AMA, &lines, u32::MAX);
            prop_assert_eq!(t.awarded, claims.iter().sum::<u32>());
            let t = total_for(CreditCode::ACPE, &lines, u32::MAX);
            prop_assert_eq!(t.awarded, claims.iter().sum::<u32>());
        }

        #[test]
        fn groups_partition_the_sessions_and_never_meet(
            lines in prop::collection::vec(arb_line(), 0..24),
        ) {
            let spans: Vec<Span> = lines.iter().map(|l| l.span).collect();
            let groups = overlap_groups(&spans);
            let mut seen: Vec<usize> = groups.iter().flatten().copied().collect();
            seen.sort();
            prop_assert_eq!(seen, (0..spans.len()).collect::<Vec<_>>());
            for (a, ga) in groups.iter().enumerate() {
                for gb in &groups[a + 1..] {
                    for &i in ga {
                        for &j in gb {
                            prop_assert!(!spans[i].overlaps(spans[j]));
                        }
                    }
                }
            }
        }

        #[test]
        fn steps_stay_in_range(current in 0u32..40, designated in 1u32..40) {
            let up = step_up(current, designated);
            let down = step_down(current, designated);
            prop_assert!((1..=designated).contains(&up));
            prop_assert!((1..=designated).contains(&down));
        }
    }
}
