//! Words of the Attest screen: the summary of what will be claimed.

pub const ATTEST_HEADING: &str = "Attest — check and confirm your claim";
pub const CLAIMED_THIS_VISIT: &str = "Claimed on this visit:";
pub const CLAIMED_EARLIER_VISITS: &str = "Claimed on earlier visits:";
pub const WHAT_COUNTS: &str = "what counts, with the rules applied, is below";
/// "1 session", "3 sessions".
pub fn sessions(n: usize) -> String {
    if n == 1 {
        "1 session".into()
    } else {
        format!("{n} sessions")
    }
}
/// "3 sessions, 3.5 credits": what the attendee claimed, before the rules,
/// in `unit` (the plural, e.g. "contact hours").
pub fn sessions_and_credits(n: usize, q: crate::domain::Quarters, unit: &str) -> String {
    format!("{}, {}", sessions(n), crate::domain::amount(q, unit))
}
/// The unit claims are counted in when the credit types have none in common.
pub const CREDITS_UNIT: &str = "credits";
/// "and 4 more" below a list cut short.
pub fn and_more(n: usize) -> String {
    format!("and {n} more")
}

/// Footer of Attest.
pub const AGREE: &str = "I agree — issue my certificate";
