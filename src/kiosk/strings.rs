//! Every word the kiosk shows an attendee, in one place.

pub const SCAN_HEADING: &str = "Scan your badge";
pub const SCAN_HELP: &str =
    "Hold your badge under the scanner, or type your badge number and press Enter.";
pub const SCAN_FIELD: &str = "Badge number";
pub const BADGE_UNKNOWN: &str = "Badge not recognised — please see staff at the CE help desk.";
pub const WELCOME_PREFIX: &str = "Welcome, ";
pub const WELCOME_QUESTION: &str = "Is this you?";
pub const CREDIT_HEADING: &str = "Credit — choose what you are claiming";
pub const CREDIT_NONE: &str = "Choose at least one credit type.";
pub const MOC_NAME: &str = "Also earn ABIM MOC points (opt in)";
pub const MOC_CONSENT: &str =
    "I consent to ABIM MOC completion being reported to ABIM through ACCME PARS";
pub const MOC_CONSENT_NEEDED: &str = "To earn MOC points, tick the consent to report them to ABIM.";
pub const EPID: &str = "NABP e-Profile ID";
pub const BIRTH_MMDD: &str = "Birth month and day (MMDD)";
pub const ABIM_ID: &str = "ABIM ID";
pub const ROLE: &str = "I am a";
pub const ROLE_PHARMACIST: &str = "Pharmacist";
pub const ROLE_TECHNICIAN: &str = "Pharmacy technician";
pub const SESSIONS_HEADING: &str = "Sessions — select the sessions you attended";
pub const FILTER: &str = "Filter";
pub const FILTER_HINT: &str = "type to filter by title, track or room";
pub const NO_MATCH: &str = "No session matches the filter.";
pub const CLAIMED_EARLIER: &str = "claimed";
pub const NOT_ENDED: &str = "not yet ended";
pub const NO_CREDIT: &str = "no credit for you";
pub const SIMULTANEOUS: &str = "same time as one ticked";
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
pub const QUESTION: &str = "Question";
pub const REQUIRED: &str = "Required";
pub const OPTIONAL_SKIP: &str = "Optional — Enter on an empty answer skips it.";
pub const ANSWER_REQUIRED: &str = "This question needs an answer.";
pub const ATTEST_HEADING: &str = "Attest — check and confirm your claim";
pub const CERT_HEADING: &str = "Certificate — scan this code with your phone";
pub const CERT_CODE: &str = "Certificate code";
pub const CERT_DONE: &str =
    "Your credit is recorded. Open the link to view or print your certificate.";
pub const IDLE_WARNING: &str = "Still there? Press any key for more time";
pub const ENLARGE: &str = "Please enlarge the window";
pub const OUT_OF_SERVICE: &str = "This kiosk is out of service — please use another.";
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
pub const HELD_AT_HUB: &str = "Held at the hub";
pub const REJECTED_BY_HUB: &str = "Rejected";
pub const LAST_GOOD_UPLOAD: &str = "Last good upload";
pub const NEVER: &str = "never";
pub const NEW_DEVICE_ID: &str = "New device id:";

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
pub const ON_FILE: &str = "on file (type to replace it)";

/// Beside an empty ID field whose value the hub holds.
pub fn on_file_ending(ending: &str) -> String {
    format!("on file, ending {ending} (type to replace it)")
}
