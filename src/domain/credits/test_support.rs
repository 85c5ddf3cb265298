//! Shorthands the credit-rule tests share: spans in hours, whole claim
//! lines by code list, and a generator of arbitrary claim lines.

use proptest::prelude::*;

use super::{ClaimLine, Span, clamp_claim};
use crate::domain::{CodeSet, CreditCode, Quarters};

pub(crate) const H: i64 = 60;

pub(crate) fn span(start_h: f64, end_h: f64) -> Span {
    Span {
        start: (start_h * 60.0) as i64,
        end: (end_h * 60.0) as i64,
    }
}

pub(crate) fn line(s: Span, claimed: Quarters, codes: &str) -> ClaimLine {
    ClaimLine {
        span: s,
        designated: claimed,
        claimed,
        eligible: CodeSet::parse_list(codes).unwrap(),
    }
}

pub(crate) fn arb_line() -> impl Strategy<Value = ClaimLine> {
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
