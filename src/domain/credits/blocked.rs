//! Why a session cannot be selected at the kiosk right now, so the sessions
//! screen can grey it out and say why instead of refusing a claim later.

use super::{ClaimLine, is_claimable};
use crate::domain::{CodeSet, CreditCode};

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
    /// The session's own `credit_types`, before [`eligible_for`](super::eligible_for).
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
    use super::super::*;
    use crate::domain::CodeSet;
    use crate::domain::credits::test_support::*;

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
}
