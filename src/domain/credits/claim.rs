//! A session as the rules see it (its span in absolute minutes) and what
//! may be claimed for it: only once it has ended, and in quarter-hour steps
//! between one quarter and its designation.

use crate::domain::{CodeSet, Quarters};

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
/// `designated`: at least one quarter hour, at most the designation. The
/// kiosk's store refuses a commit that breaks it; the hub reads the same
/// rule in SQL against the catalog as it is now (the `claim_state` view
/// holds a claim over it as `over_designation`).
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

/// One claimed session: when it ran, its designation, what the attendee
/// claims for it, and which codes it carries for this attendee (see
/// [`eligible_for`](super::eligible_for)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimLine {
    pub span: Span,
    pub designated: Quarters,
    pub claimed: Quarters,
    pub eligible: CodeSet,
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credits::test_support::*;
    use proptest::prelude::*;

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

    proptest! {
        #[test]
        fn steps_stay_in_range(current in 0u32..40, designated in 1u32..40) {
            let up = step_up(current, designated);
            let down = step_down(current, designated);
            prop_assert!((1..=designated).contains(&up));
            prop_assert!((1..=designated).contains(&down));
        }
    }
}
