//! Totals: one credit type's award over all of an attendee's claims, with
//! how much the overlap rule and the type's maximum each took off, so a
//! certificate and a report can say why less was awarded than claimed.
//! Each credit type has its own maximum ([`Maxima`]): an activity's
//! registered MOC points or ANCC hours can be fewer than its AMA credits.

use super::{AcpeHeld, AcpeLine, ClaimLine, Span, acpe_lines, overlap::merged, overlap_groups};
use crate::domain::{CodeSet, CreditCode, Quarters};

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
    /// The type's maximum.
    pub max: Quarters,
    /// What is awarded.
    pub awarded: Quarters,
}

impl Total {
    /// How much the overlap rule took off.
    pub fn overlap_reduction(&self) -> Quarters {
        self.requested.saturating_sub(self.counted)
    }
    /// How much the type's maximum took off after the overlap rule.
    pub fn cap_reduction(&self) -> Quarters {
        self.counted.saturating_sub(self.awarded)
    }
}

/// The rules for one credit type. Simultaneous sessions count once: the
/// eligible sessions fall into overlap groups, each group counts the sum
/// of its claims but at most the wall-clock length of its union, and the
/// type's total is the sum over the groups rounded down to a quarter hour,
/// then held to the type's maximum `max`. Hours one group leaves unused never
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

/// The maximum of each credit type: what the activity is designated or
/// registered for in that type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Maxima([Quarters; CreditCode::ALL.len()]);

impl Maxima {
    /// Every type at the same maximum.
    pub fn all(max: Quarters) -> Maxima {
        Maxima([max; CreditCode::ALL.len()])
    }

    /// These maxima with `code`'s set to `max`.
    pub fn with(mut self, code: CreditCode, max: Quarters) -> Maxima {
        self.0[Self::at(code)] = max;
        self
    }

    pub fn of(&self, code: CreditCode) -> Quarters {
        self.0[Self::at(code)]
    }

    fn at(code: CreditCode) -> usize {
        CreditCode::ALL
            .iter()
            .position(|c| *c == code)
            .unwrap_or_default()
    }
}

/// Totals for each code the attendee takes, each held to its own maximum.
pub fn totals(codes: CodeSet, lines: &[ClaimLine], maxima: &Maxima) -> Vec<Total> {
    codes
        .iter()
        .map(|c| total_for(c, lines, maxima.of(c)))
        .collect()
}
#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::domain::credits::test_support::*;
    use crate::domain::{CodeSet, CreditCode, Quarters};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

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

        /// Each type is held to its own maximum and to nothing else: the
        /// award is the minute-by-minute oracle's at that type's maximum
        /// (ACPE's, whole sessions taken in order while they fit), whatever
        /// the other types' maxima are.
        #[test]
        fn each_type_is_held_to_its_own_maximum(
            lines in prop::collection::vec(arb_line(), 0..24),
            maxes in prop::array::uniform6(0u32..200),
            other in 0u32..200,
        ) {
            let mut maxima = Maxima::all(0);
            for (c, m) in CreditCode::ALL.into_iter().zip(maxes) {
                maxima = maxima.with(c, m);
            }
            let every: CodeSet = CreditCode::ALL.into_iter().collect();
            for (i, t) in totals(every, &lines, &maxima).into_iter().enumerate() {
                let own = maxes[CreditCode::ALL.iter().position(|c| *c == t.code).unwrap()];
                prop_assert_eq!(t.code, CreditCode::ALL[i]);
                prop_assert_eq!(t.max, own);
                let expected = if t.code == CreditCode::ACPE {
                    // Whole, never two sharing a minute, while the sum fits.
                    let mut counted: Vec<&ClaimLine> = Vec::new();
                    for l in lines.iter().filter(|l| l.eligible.contains(CreditCode::ACPE)) {
                        let shares = counted.iter().any(|c| {
                            (c.span.start..c.span.end).any(|m| (l.span.start..l.span.end).contains(&m))
                        });
                        let sum: Quarters = counted.iter().map(|c| c.claimed).sum();
                        if l.claimed == l.designated && !shares && sum + l.claimed <= own {
                            counted.push(l);
                        }
                    }
                    counted.iter().map(|c| c.claimed).sum()
                } else {
                    oracle(t.code, &lines, own)
                };
                prop_assert_eq!(t.awarded, expected, "{:?}", t.code);
                // Another type's maximum leaves this one alone.
                for c in CreditCode::ALL.into_iter().filter(|c| *c != t.code) {
                    let moved = totals(every, &lines, &maxima.with(c, other));
                    prop_assert_eq!(moved[i].awarded, t.awarded);
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
    }
}
