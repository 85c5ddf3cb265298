//! The credit rules: what can be claimed, in what steps, why a session
//! cannot be selected, and how the overlap groups, ACPE's whole-session
//! rule and the activity maximum turn claims into credit awarded. The kiosk
//! and the hub both count with these functions (SPEC section 2).
//!
//! Times are absolute minutes (since the Unix epoch), so a day that changes
//! its UTC offset is still measured in real hours.
//!
//! One file per rule: `claim` (a session's span and the claim steps),
//! `overlap` (simultaneous sessions count once), `acpe` (ACPE's
//! whole-session and UAN rules), `totals` (the award per credit type),
//! `blocked` (why a session cannot be selected now) and `preselect` (which
//! sessions scanned at the door arrive ticked).

mod acpe;
mod blocked;
mod claim;
mod overlap;
mod preselect;
mod totals;

#[cfg(test)]
mod test_support;

pub use acpe::{AcpeHeld, AcpeLine, acpe_lines, eligible_for, uan_fits, uans_for};
pub use blocked::{Blocked, Choice, blocked, takes_acpe};
pub use claim::{ClaimLine, Span, claim_fits, clamp_claim, is_claimable, step_down, step_up};
pub use overlap::{overlap_groups, union_quarters};
pub use preselect::{Scanned, preselect};
pub use totals::{Maxima, Total, total_for, totals};
