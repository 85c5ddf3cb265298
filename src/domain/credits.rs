//! The credit rules: what can be claimed, in what steps, and how the overlap
//! rule and the activity maximum turn claims into credit awarded.
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

/// The claimed amount after a `+` press.
pub fn step_up(current: Quarters, designated: Quarters) -> Quarters {
    clamp_claim(current.saturating_add(1), designated)
}

/// The claimed amount after a `−` press; it stops at one quarter hour (Space
/// deselects).
pub fn step_down(current: Quarters, designated: Quarters) -> Quarters {
    clamp_claim(current.saturating_sub(1), designated)
}

/// The wall-clock length of the union of the spans, in whole quarter hours
/// (rounded down).
pub fn union_quarters(spans: impl IntoIterator<Item = Span>) -> Quarters {
    let mut spans: Vec<Span> = spans.into_iter().filter(|s| s.end > s.start).collect();
    spans.sort_by_key(|s| s.start);
    let mut total: i64 = 0;
    let mut current: Option<Span> = None;
    for s in spans {
        current = match current {
            Some(c) if s.start <= c.end => Some(Span {
                start: c.start,
                end: c.end.max(s.end),
            }),
            Some(c) => {
                total += c.minutes();
                Some(s)
            }
            None => Some(s),
        };
    }
    if let Some(c) = current {
        total += c.minutes();
    }
    u32::try_from(total / 15).unwrap_or(u32::MAX)
}

/// One claimed session: when it ran, what the attendee claims for it, and
/// which session-level credit codes it is eligible for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimLine {
    pub span: Span,
    pub claimed: Quarters,
    pub eligible: CodeSet,
}

/// The outcome of the rules for one credit type over all of an attendee's
/// claims (earlier visits and this one together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub code: CreditCode,
    /// The sum of what was claimed for eligible sessions.
    pub requested: Quarters,
    /// The union of those sessions' spans: simultaneous sessions count once.
    pub wall_clock: Quarters,
    /// The activity maximum.
    pub max: Quarters,
    /// What is awarded: the least of the three.
    pub awarded: Quarters,
}

impl Total {
    /// How much the overlap rule took off.
    pub fn overlap_reduction(&self) -> Quarters {
        self.requested.saturating_sub(self.wall_clock)
    }
    /// How much the activity maximum took off after the overlap rule.
    pub fn cap_reduction(&self) -> Quarters {
        self.requested.min(self.wall_clock).saturating_sub(self.max)
    }
}

pub fn total_for(code: CreditCode, lines: &[ClaimLine], max: Quarters) -> Total {
    let follows = code.follows();
    let eligible = || lines.iter().filter(|l| l.eligible.contains(follows));
    let requested = eligible().map(|l| l.claimed).sum::<Quarters>();
    let wall_clock = union_quarters(eligible().map(|l| l.span));
    Total {
        code,
        requested,
        wall_clock,
        max,
        awarded: requested.min(wall_clock).min(max),
    }
}

/// Totals for each code the attendee takes.
pub fn totals(codes: CodeSet, lines: &[ClaimLine], max: Quarters) -> Vec<Total> {
    codes.iter().map(|c| total_for(c, lines, max)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
    }

    #[test]
    fn poster_session_spanning_three_talks_counts_once() {
        let poster = span(8.0, 11.0);
        let talks = [span(8.0, 9.0), span(9.0, 10.0), span(10.0, 11.0)];
        let mut lines = vec![line(poster, 12, "AMA")];
        lines.extend(talks.iter().map(|t| line(*t, 4, "AMA;ANCC")));
        let ama = total_for(CreditCode::AMA, &lines, 155);
        assert_eq!(ama.requested, 24);
        assert_eq!(ama.wall_clock, 12);
        assert_eq!(ama.awarded, 12);
        assert_eq!(ama.overlap_reduction(), 12);
        // The poster is not ANCC-eligible, so nurses get the three talks only.
        let ancc = total_for(CreditCode::ANCC, &lines, 155);
        assert_eq!(ancc.awarded, 12);
        assert_eq!(ancc.overlap_reduction(), 0);
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
    }

    #[test]
    fn only_ended_sessions_are_claimable() {
        let s = span(8.0, 9.0);
        assert!(!is_claimable(s, 8 * H + 59));
        assert!(is_claimable(s, 9 * H));
        assert!(is_claimable(s, 20 * H));
    }

    fn arb_line() -> impl Strategy<Value = ClaimLine> {
        (0i64..5 * 24 * 4, 1i64..16, 0u32..20, 0u8..16).prop_map(
            |(start_q, len_q, claim, codes)| {
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
                    claimed: clamp_claim(claim, designated),
                    eligible,
                }
            },
        )
    }

    proptest! {
        #[test]
        fn awarded_never_exceeds_union_nor_maximum_nor_claims(
            lines in prop::collection::vec(arb_line(), 0..40),
            max in 0u32..200,
        ) {
            for code in CreditCode::ALL {
                let t = total_for(code, &lines, max);
                let eligible: Vec<_> = lines.iter().filter(|l| l.eligible.contains(code.follows())).collect();
                let union_minutes: i64 = {
                    // Count covered minutes directly, independent of the merge.
                    let mut covered = std::collections::BTreeSet::new();
                    for l in &eligible { for m in l.span.start..l.span.end { covered.insert(m); } }
                    covered.len() as i64
                };
                prop_assert!(t.awarded <= max);
                prop_assert!(i64::from(t.awarded) * 15 <= union_minutes);
                prop_assert_eq!(i64::from(t.wall_clock), union_minutes / 15);
                prop_assert!(t.awarded <= eligible.iter().map(|l| l.claimed).sum::<u32>());
                prop_assert_eq!(t.awarded, t.requested.min(t.wall_clock).min(max));
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
                claimed: *c,
                eligible: CodeSet::parse_list("AMA").unwrap(),
            }).collect();
            let t = total_for(CreditCode::AMA, &lines, u32::MAX);
            prop_assert_eq!(t.awarded, claims.iter().sum::<u32>());
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
