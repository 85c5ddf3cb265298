//! Door scans: which of the sessions an attendee was scanned into arrive
//! ticked on the Sessions screen. A preselected set never asks for more
//! than the rules let count: every session ticked for the attendee counts
//! whole, so they are never shown a total the overlap rule or the activity
//! maximum would take back, nor an ACPE session the kiosk would refuse.
//!
//! Scanned sessions are taken latest scan first. One is ticked when it can
//! be selected now (see [`blocked`]), does not run at the same time as a
//! session already ticked or claimed on an earlier visit, and counts whole
//! within the maximum for every credit type the attendee takes. So when
//! two scanned sessions overlap, the one the attendee was scanned into
//! later is ticked (they were last seen going in there) and the other is
//! only marked as scanned: a person is in one room at a time, and the
//! attendee can still tick it, with the overlap rule counting them once.

use super::{Choice, ClaimLine, Maxima, blocked, total_for};
use crate::domain::CodeSet;

/// A session the attendee was scanned into, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scanned {
    /// The session claimed for its whole designation.
    pub line: ClaimLine,
    /// The session's own `credit_types`, before [`eligible_for`](super::eligible_for).
    pub listed: CodeSet,
    pub claimed_earlier: bool,
    /// When the attendee was last scanned in (absolute minutes).
    pub last_in: i64,
}

/// The indexes into `scanned` of the sessions that arrive ticked, in
/// ascending order. `taken` are the attendee's claims from earlier visits.
pub fn preselect(
    scanned: &[Scanned],
    taken: &[ClaimLine],
    codes: CodeSet,
    maxima: &Maxima,
    now: i64,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scanned.len()).collect();
    // Latest scan first; the sort is stable, so ties keep the given order.
    order.sort_by_key(|&i| std::cmp::Reverse(scanned[i].last_in));
    let mut lines: Vec<ClaimLine> = taken.to_vec();
    let mut ticked = Vec::new();
    for i in order {
        let s = &scanned[i];
        if fits(s, &lines, codes, maxima, now) {
            lines.push(s.line);
            ticked.push(i);
        }
    }
    ticked.sort_unstable();
    ticked
}

/// Whether `s` may be ticked beside `lines` (earlier claims and the
/// sessions ticked so far), counting whole.
fn fits(s: &Scanned, lines: &[ClaimLine], codes: CodeSet, maxima: &Maxima, now: i64) -> bool {
    let choice = Choice {
        line: s.line,
        listed: s.listed,
        claimed_earlier: s.claimed_earlier,
        codes,
        others: lines,
    };
    if blocked(&choice, now).is_some() || lines.iter().any(|l| l.span.overlaps(s.line.span)) {
        return false;
    }
    let mut with = lines.to_vec();
    with.push(s.line);
    codes.iter().all(|code| {
        let gives = if s.line.eligible.contains(code.follows()) {
            s.line.claimed
        } else {
            0
        };
        let max = maxima.of(code);
        total_for(code, &with, max).awarded == total_for(code, lines, max).awarded + gives
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credits::test_support::*;
    use crate::domain::credits::totals;
    use crate::domain::{CreditCode, Quarters};
    use proptest::prelude::*;

    fn scanned(l: ClaimLine, last_in: i64) -> Scanned {
        Scanned {
            line: l,
            listed: l.eligible,
            claimed_earlier: false,
            last_in,
        }
    }

    fn ama() -> CodeSet {
        CodeSet::parse_list("AMA").unwrap()
    }

    #[test]
    fn of_two_overlapping_scans_the_later_is_ticked() {
        // Scanned into the 08:00 talk at 07:58, then into the 08:30 one
        // at 08:40: the attendee went there.
        let first = scanned(line(span(8.0, 9.0), 4, "AMA"), 8 * H - 2);
        let second = scanned(line(span(8.5, 9.5), 4, "AMA"), 8 * H + 40);
        let after = scanned(line(span(9.5, 10.0), 2, "AMA"), 9 * H + 29);
        assert_eq!(
            preselect(
                &[first, second, after],
                &[],
                ama(),
                &Maxima::all(155),
                12 * H
            ),
            vec![1, 2]
        );
        assert_eq!(
            preselect(&[second, first], &[], ama(), &Maxima::all(155), 12 * H),
            vec![0]
        );
    }

    #[test]
    fn earlier_claims_running_sessions_and_the_maximum_are_respected() {
        let claimed = line(span(8.0, 9.0), 4, "AMA");
        let same_time = scanned(line(span(8.5, 9.5), 4, "AMA"), 9 * H);
        let running = scanned(line(span(11.0, 13.0), 8, "AMA"), 11 * H);
        let mut again = scanned(claimed, 8 * H);
        again.claimed_earlier = true;
        assert!(
            preselect(
                &[same_time, running, again],
                &[claimed],
                ama(),
                &Maxima::all(155),
                12 * H
            )
            .is_empty()
        );
        // Two hours left of the maximum: the 3-hour session does not fit
        // whole, the 1-hour one does.
        let big = scanned(line(span(14.0, 17.0), 12, "AMA"), 14 * H);
        let small = scanned(line(span(17.0, 18.0), 4, "AMA"), 17 * H);
        assert_eq!(
            preselect(&[big, small], &[claimed], ama(), &Maxima::all(12), 20 * H),
            vec![1]
        );
    }

    #[test]
    fn no_credit_for_the_attendee_is_not_ticked() {
        let nursing = scanned(line(span(8.0, 9.0), 4, "ANCC"), 8 * H);
        assert!(preselect(&[nursing], &[], ama(), &Maxima::all(155), 12 * H).is_empty());
        let acpe = CodeSet::parse_list("ACPE").unwrap();
        let whole = scanned(line(span(8.0, 9.0), 4, "AMA;ACPE"), 8 * H);
        assert_eq!(
            preselect(&[whole], &[], acpe, &Maxima::all(155), 12 * H),
            vec![0]
        );
    }

    fn arb_codes() -> impl Strategy<Value = CodeSet> {
        prop::sample::subsequence(
            vec![
                CreditCode::AMA,
                CreditCode::ANCC,
                CreditCode::ACPE,
                CreditCode::MOC,
            ],
            1..=4,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        /// Whatever was scanned and claimed before: what is ticked can be
        /// selected, runs at no time another ticked or claimed session
        /// runs, and counts whole for every type; what is left unticked
        /// could not have been added so.
        #[test]
        fn what_is_ticked_counts_whole_and_nothing_more_could(
            taken in prop::collection::vec(arb_line(), 0..6),
            scans in prop::collection::vec((arb_line(), 0i64..3000, any::<bool>()), 0..12),
            codes in arb_codes(),
            max in 1u32..80,
            now in 0i64..3000,
        ) {
            let scanned: Vec<Scanned> = scans
                .iter()
                .map(|(l, at, earlier)| {
                    let whole = ClaimLine { claimed: l.designated, ..*l };
                    Scanned { line: whole, listed: l.eligible, claimed_earlier: *earlier, last_in: *at }
                })
                .collect();
            let maxima = Maxima::all(max);
            let ticked = preselect(&scanned, &taken, codes, &maxima, now);
            let mut lines = taken.clone();
            for &i in &ticked {
                let s = &scanned[i];
                prop_assert!(!s.claimed_earlier);
                prop_assert!(s.line.span.end <= now);
                for l in &lines {
                    prop_assert!(!l.span.overlaps(s.line.span));
                }
                lines.push(s.line);
            }
            let before = totals(codes, &taken, &maxima);
            let after = totals(codes, &lines, &maxima);
            for (b, a) in before.iter().zip(&after) {
                let gives: Quarters = ticked
                    .iter()
                    .map(|&i| scanned[i].line)
                    .filter(|l| l.eligible.contains(a.code.follows()))
                    .map(|l| l.claimed)
                    .sum();
                prop_assert_eq!(a.awarded, b.awarded + gives, "{:?}", a.code);
            }
            for (i, s) in scanned.iter().enumerate() {
                if !ticked.contains(&i) {
                    prop_assert!(!fits(s, &lines, codes, &maxima, now), "{i} could be ticked");
                }
            }
        }
    }
}
