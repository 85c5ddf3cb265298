//! Words of staff mode: the PIN and its lockout, the menu, the forms,
//! and what the runner reports back after a staff action.

use crate::domain::pin::{LOCK_MINUTES, MAX_FAILURES};

pub const HELD_AT_HUB: &str = "Held at the hub";
pub const REJECTED_BY_HUB: &str = "Rejected";
pub const LAST_GOOD_UPLOAD: &str = "Last good upload";
pub const NEVER: &str = "never";
pub const NEW_DEVICE_ID: &str = "New device id:";

pub const STAFF_PIN_HEADING: &str = "Staff — enter the PIN";
pub const STAFF_HEADING: &str = "Staff mode";

/// Footer of the PIN screen.
pub const ENTER_PIN: &str = "Enter PIN";
pub const CANCEL: &str = "Cancel";
pub const PIN_PROMPT: &str = "Staff only. Enter the staff PIN and press Enter.";

/// The PIN field, the PIN shown as dots.
pub fn pin_field(dots: &str) -> String {
    format!("PIN: {dots}▏")
}

fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// After a wrong PIN, while more tries are left. The count and the lock's
/// length come from the lockout rule in `domain::pin`.
pub fn pin_wrong(left: u32) -> String {
    format!(
        "Wrong PIN. {} and staff mode locks for {}.",
        plural(left, "more wrong PIN", "more wrong PINs"),
        plural(LOCK_MINUTES, "minute", "minutes")
    )
}

/// While staff mode is locked; `until` is the local time it opens again.
pub fn pin_locked(until: &str) -> String {
    format!(
        "Staff mode is locked after {}. Try again after {until}.",
        plural(MAX_FAILURES, "wrong PIN", "wrong PINs")
    )
}

/// The staff menu, in the order of its digit keys.
pub const MENU: [&str; 6] = [
    "Find an attendee — claims, reissue QR, void a claim",
    "Add a walk-in attendee",
    "Upload now",
    "Audit log",
    "Lock this kiosk (out of service)",
    "Quit the program",
];

/// The walk-in form's fields, in order.
pub const WALK_IN_FIELDS: [&str; 6] = [
    "First name",
    "Last name",
    "Degree",
    "Profession",
    "Email",
    "Badge id (empty: one is made)",
];

/// Footer of staff mode.
pub const LEAVE_STAFF_MODE: &str = "Leave staff mode";
pub const OPEN: &str = "Open";
pub const OPEN_ATTENDEE: &str = "Open attendee";
pub const REISSUE_QR: &str = "Reissue QR";
pub const VOID_CLAIM: &str = "Void claim";
pub const VOID_WITH_REASON: &str = "Void with this reason";
pub const REGISTER_AND_CLAIM: &str = "Register and start claiming";
pub const CHANGE: &str = "Change";
pub const NEXT_FIELD: &str = "Next field";

/// What is wrong with a walk-in form.
pub const WALK_IN_NO_NAME: &str = "Enter a first or last name.";
pub fn not_an_email(email: &str) -> String {
    format!("'{email}' is not an email address.")
}
pub const BAD_BADGE_ID: &str = "A badge id has no spaces and at most 64 characters.";

pub const NO_CERTIFICATE_YET: &str = "This attendee has no certificate yet.";
pub const ALREADY_VOID: &str = "That claim is already void.";
pub const NO_CLAIMS_FOR_ATTENDEE: &str = "This attendee has no claims.";
pub const VOID_NEEDS_REASON: &str = "A void needs a reason.";

/// The kiosk's state, above every staff view.
pub const INFO_KIOSK: &str = "Kiosk ";
pub const INFO_EVENT: &str = "  Event ";
pub const INFO_DATABASE: &str = "Database ";
pub const INFO_LAST_UPLOAD: &str = "Last upload ";
pub fn info_counts(
    attendees: i64,
    claims_today: i64,
    certificates: i64,
    not_uploaded: i64,
) -> String {
    format!(
        "Attendees {attendees}   Claims today {claims_today}   Certificates {certificates}   Not uploaded {not_uploaded}"
    )
}
/// While an upload runs, in place of the last upload's result.
pub const UPLOADING_NOW: &str = "uploading now…";

pub const FIND_PROMPT: &str = "Name, email or badge: ";
pub fn certificate_issued(short_code: &str, issued_at: &str) -> String {
    format!("Certificate {short_code} issued {issued_at}")
}
pub const NO_CERTIFICATE: &str = "No certificate yet";
pub fn void_question(title: &str, credits: &str) -> String {
    format!("Void the claim for {title} ({credits} credits)?")
}
pub const REASON_PROMPT: &str = "Reason: ";
pub const NO_CLAIMS: &str = "No claims.";
/// After a voided claim in the attendee's list.
pub const VOID_MARK: &str = "  VOID";

/// What the runner reports after a staff action.
pub fn could_not(error: &str) -> String {
    format!("Could not do that: {error}")
}
pub fn no_attendee_with_badge(badge: &str) -> String {
    format!("No attendee with badge {badge}.")
}
pub const CLAIM_VOIDED: &str = "Claim voided; the certificate reflects it.";
pub const UPLOAD_STARTED: &str = "Upload started; the result shows under Last upload.";
pub const NO_HUB: &str = "No hub is configured ([sync] hub_url); records stay on this kiosk.";
pub const NO_SYNC_TOKEN: &str =
    "No sync token is set (CEKIOSK_SYNC_TOKEN); records stay on this kiosk.";

/// The last upload's result, as staff read it under Last upload.
pub fn upload_ok(uploaded: usize, rejected: usize, held: usize, downloaded: usize) -> String {
    format!(
        "ok: uploaded {uploaded} ({rejected} rejected, {held} held at the hub), downloaded {downloaded}"
    )
}
pub fn upload_failed(error: &str) -> String {
    format!("failed: {error}")
}
