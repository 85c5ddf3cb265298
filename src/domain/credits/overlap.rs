//! Overlap: which claimed sessions ran at the same time (directly or through
//! a chain) and how long their union lasted by the wall clock, so that
//! simultaneous sessions count once.

use super::Span;
use crate::domain::Quarters;

/// The wall-clock length of the union of the spans, in whole quarter hours
/// (rounded down).
pub fn union_quarters(spans: impl IntoIterator<Item = Span>) -> Quarters {
    let minutes: i64 = merged(spans).into_iter().map(Span::minutes).sum();
    u32::try_from(minutes / 15).unwrap_or(u32::MAX)
}

/// The spans merged where they overlap or touch, in time order.
pub(super) fn merged(spans: impl IntoIterator<Item = Span>) -> Vec<Span> {
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
#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::domain::CreditCode;
    use crate::domain::credits::test_support::*;
    use proptest::prelude::*;

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

    proptest! {
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
    }
}
