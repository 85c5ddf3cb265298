//! Words of staff mode: the PIN and its lockout, the menu, the forms,
//! and what the runner reports back after a staff action.

use super::{n, s, tr, tr_args, words};
use crate::domain::pin::{LOCK_MINUTES, MAX_FAILURES};

words! {
    held_at_hub,
    rejected_by_hub,
    last_good_upload,
    never,
    new_device_id,
    staff_pin_heading,
    staff_heading,
    /// Footer of the PIN screen.
    enter_pin,
    cancel,
    pin_prompt,
    /// Footer of staff mode.
    leave_staff_mode,
    open,
    open_attendee,
    reissue_qr,
    void_claim,
    void_with_reason,
    register_and_claim,
    change,
    next_field,
    /// What is wrong with a walk-in form.
    walk_in_no_name,
    bad_badge_id,
    no_certificate_yet,
    already_void,
    no_claims_for_attendee,
    void_needs_reason,
    /// While an upload runs, in place of the last upload's result.
    uploading_now,
    no_certificate,
    no_claims,
    claim_voided,
    upload_started,
    no_hub,
    no_sync_token,
    /// The enrolment view's field label.
    enrol_prompt,
    /// Footer of the enrolment view.
    enrol_now,
    /// While staff's question waits on the hub.
    asking_the_hub,
}

/// What enrolling does, and at which hub.
pub fn enrol_explained(hub: &str) -> String {
    tr_args("enrol_explained", &[("hub", s(hub))])
}

/// Enrolled: the kiosk id the hub knows this kiosk by.
pub fn enrolled_as(kiosk: &str) -> String {
    tr_args("enrolled_as", &[("kiosk", s(kiosk))])
}

/// The hub refused the code, or could not be reached: why.
pub fn enrol_failed(why: &str) -> String {
    tr_args("enrol_failed", &[("why", s(why))])
}

/// The hub could not be asked (for a reissue): why.
pub fn hub_not_asked(why: &str) -> String {
    tr_args("hub_not_asked", &[("why", s(why))])
}

/// The PIN field, the PIN shown as dots.
pub fn pin_field(dots: &str) -> String {
    format!("{}: {dots}▏", tr("pin"))
}

/// After a wrong PIN, while more tries are left. The count and the lock's
/// length come from the lockout rule in `domain::pin`.
pub fn pin_wrong(left: u32) -> String {
    tr_args(
        "pin_wrong",
        &[("left", n(left)), ("minutes", n(LOCK_MINUTES))],
    )
}

/// While staff mode is locked; `until` is the local time it opens again.
pub fn pin_locked(until: &str) -> String {
    tr_args(
        "pin_locked",
        &[("failures", n(MAX_FAILURES)), ("until", s(until))],
    )
}

/// The staff menu, in the order of its digit keys.
pub fn menu() -> Vec<String> {
    [
        "menu_find",
        "menu_walk_in",
        "menu_upload",
        "menu_audit",
        "menu_lock",
        "menu_quit",
        "menu_enrol",
    ]
    .map(tr)
    .to_vec()
}

/// The walk-in form's fields, in order.
pub fn walk_in_fields() -> Vec<String> {
    [
        "field_first_name",
        "field_last_name",
        "field_degree",
        "field_profession",
        "field_email",
        "field_badge_id",
    ]
    .map(tr)
    .to_vec()
}

pub fn not_an_email(email: &str) -> String {
    tr_args("not_an_email", &[("email", s(email))])
}

/// The kiosk's state, above every staff view.
pub fn info_kiosk() -> String {
    format!("{} ", tr("info_kiosk"))
}
pub fn info_event() -> String {
    format!("  {} ", tr("info_event"))
}
pub fn info_database() -> String {
    format!("{} ", tr("info_database"))
}
pub fn info_last_upload() -> String {
    format!("{} ", tr("info_last_upload"))
}
pub fn info_counts(
    attendees: i64,
    claims_today: i64,
    certificates: i64,
    not_uploaded: i64,
) -> String {
    tr_args(
        "info_counts",
        &[
            ("attendees", n(attendees)),
            ("claims", n(claims_today)),
            ("certificates", n(certificates)),
            ("pending", n(not_uploaded)),
        ],
    )
}

pub fn find_prompt() -> String {
    format!("{} ", tr("find_prompt"))
}
pub fn certificate_issued(short_code: &str, issued_at: &str) -> String {
    tr_args(
        "certificate_issued",
        &[("code", s(short_code)), ("at", s(issued_at))],
    )
}
/// The attendee staff opened: "Ana Ruiz, MD — badge A1 — physician — a@b".
pub fn attendee_head(
    name: &str,
    degree: &str,
    badge: &str,
    profession: &str,
    email: &str,
) -> String {
    tr_args(
        "attendee_head",
        &[
            ("name", s(name)),
            ("degree", s(degree)),
            ("badge", s(badge)),
            ("profession", s(profession)),
            ("email", s(email)),
        ],
    )
}
pub fn void_question(title: &str, credits: &str) -> String {
    tr_args(
        "void_question",
        &[("title", s(title)), ("credits", s(credits))],
    )
}
pub fn reason_prompt() -> String {
    format!("{} ", tr("reason_prompt"))
}
/// After a voided claim in the attendee's list.
pub fn void_mark() -> String {
    format!("  {}", tr("void_mark"))
}

/// What the runner reports after a staff action.
pub fn could_not(error: &str) -> String {
    tr_args("could_not", &[("error", s(error))])
}
pub fn no_attendee_with_badge(badge: &str) -> String {
    tr_args("no_attendee_with_badge", &[("badge", s(badge))])
}

/// The last upload's result, as staff read it under Last upload.
pub fn upload_ok(uploaded: usize, rejected: usize, held: usize, downloaded: usize) -> String {
    tr_args(
        "upload_ok",
        &[
            ("uploaded", n(uploaded as i64)),
            ("rejected", n(rejected as i64)),
            ("held", n(held as i64)),
            ("downloaded", n(downloaded as i64)),
        ],
    )
}
pub fn upload_failed(error: &str) -> String {
    tr_args("upload_failed", &[("error", s(error))])
}
