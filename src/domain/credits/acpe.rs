//! ACPE's own rules: a pharmacist's hours count only through a Universal
//! Activity Number for their role, whole sessions only, never two at once,
//! and within the activity maximum (NABP's CPE Monitor credits the UAN's
//! registered hours, not a share of them).

use super::ClaimLine;
use crate::domain::{CodeSet, CreditCode, Quarters};

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
#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::domain::credits::test_support::*;
    use crate::domain::{CodeSet, CreditCode, Quarters};
    use proptest::prelude::*;

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

    proptest! {
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
    }
}
