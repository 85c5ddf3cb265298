//! Words of the Sessions screen: the list, why a session cannot be
//! ticked, and the running totals (also shown on Attest and Certificate).

pub const SESSIONS_HEADING: &str = "Sessions — select the sessions you attended";
pub const FILTER: &str = "Filter";
pub const FILTER_HINT: &str = "type to filter by title, track or room";
pub const NO_MATCH: &str = "No session matches the filter.";
pub const CLAIMED_EARLIER: &str = "claimed";
pub const NOT_ENDED: &str = "not yet ended";
pub const NO_CREDIT: &str = "no credit for you";
pub const SIMULTANEOUS: &str = "same time as one ticked";
/// Beside a session the attendee was scanned into at the door.
pub const SCANNED_AT_DOOR: &str = "scanned at the door";
/// Above the list, when the attendee was scanned into sessions at the door.
pub const SCANNED_NOTE: &str =
    "Ticked from the door scans: untick (Space) any session you did not attend.";
/// Beside an ACPE session's claimed hours: no +/− for it.
pub const WHOLE: &str = "whole";
pub const SELECT_FIRST: &str = "Select the session first (Space), then adjust with + and −.";
pub const ACPE_WHOLE: &str = "ACPE sessions are claimed whole: NABP CPE Monitor credits the hours registered for each session.";
pub const WHY_CLAIMED_EARLIER: &str = "You claimed this session on an earlier visit.";
pub const WHY_NOT_ENDED: &str = "This session has not ended yet; claim it after it ends.";
pub const WHY_NO_CREDIT: &str = "This session offers no credit of the type you are claiming.";
pub const WHY_NO_UAN: &str =
    "This session has no ACPE activity number for your role, so CPE Monitor cannot record it.";
pub const WHY_SIMULTANEOUS_ACPE: &str = "You ticked an ACPE session at the same time; CPE Monitor credits only one of them. Untick it to choose this one.";
pub const TOTALS: &str = "Your credit";
pub const OVERLAP_NOTE: &str = "overlapping sessions count once";
pub const CAP_NOTE: &str = "activity maximum reached";
pub const NOTHING_SELECTED: &str = "Select at least one session you attended (Space).";
/// On Sessions, when the claim could not be recorded because the
/// attendee's records changed meanwhile.
pub fn records_changed(dropped: &[String]) -> String {
    let head = "Your records changed while you answered (a claim made at another kiosk, \
                or a correction by staff), so nothing was recorded yet.";
    if dropped.is_empty() {
        format!("{head} Check your sessions and press Enter to continue; your answers are kept.")
    } else {
        format!(
            "{head} No longer selectable, so unticked: {}. Press Enter to continue; your answers are kept.",
            dropped.join("; ")
        )
    }
}

/// Footer of Sessions.
pub const SELECT: &str = "Select";
pub const MORE: &str = "More";
pub const LESS: &str = "Less";
/// After a typed filter.
pub const BACKSPACE_CLEARS: &str = "  (Backspace clears)";

/// A session's credits on its line: "1.5 cr".
pub fn credits_short(amount: &str) -> String {
    format!("{amount} cr")
}

/// A ticked session claimed in part: "1.25 of 1.5".
pub fn claimed_of(claimed: &str, designated: &str) -> String {
    format!("{claimed} of {designated}")
}

/// A line of the totals: "of 8 AMA PRA Category 1 Credit™" after the
/// amount awarded.
pub fn of_max(max: &str, credit_name: &str) -> String {
    format!("of {max} {credit_name}")
}
