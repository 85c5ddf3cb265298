//! Words of staff mode: the PIN and its lockout, the menu, the forms,
//! and what the runner reports back after a staff action.

use super::{Words, n, s, words};
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

impl Words {
    /// What enrolling does, and at which hub.
    pub fn enrol_explained(self, hub: &str) -> String {
        self.tr_args("enrol_explained", &[("hub", s(hub))])
    }

    /// Enrolled: the kiosk id the hub knows this kiosk by.
    pub fn enrolled_as(self, kiosk: &str) -> String {
        self.tr_args("enrolled_as", &[("kiosk", s(kiosk))])
    }

    /// The hub refused the code, or could not be reached: why.
    pub fn enrol_failed(self, why: &str) -> String {
        self.tr_args("enrol_failed", &[("why", s(why))])
    }

    /// The hub could not be asked (for a reissue): why.
    pub fn hub_not_asked(self, why: &str) -> String {
        self.tr_args("hub_not_asked", &[("why", s(why))])
    }

    /// The PIN field, the PIN shown as dots.
    pub fn pin_field(self, dots: &str) -> String {
        format!("{}: {dots}▏", self.tr("pin"))
    }

    /// After a wrong PIN, while more tries are left. The count and the lock's
    /// length come from the lockout rule in `domain::pin`.
    pub fn pin_wrong(self, left: u32) -> String {
        self.tr_args(
            "pin_wrong",
            &[("left", n(left)), ("minutes", n(LOCK_MINUTES))],
        )
    }

    /// While staff mode is locked; `until` is the local time it opens again.
    pub fn pin_locked(self, until: &str) -> String {
        self.tr_args(
            "pin_locked",
            &[("failures", n(MAX_FAILURES)), ("until", s(until))],
        )
    }

    /// The staff menu, in the order of its digit keys.
    pub fn menu(self) -> Vec<String> {
        [
            "menu_find",
            "menu_walk_in",
            "menu_upload",
            "menu_audit",
            "menu_lock",
            "menu_quit",
            "menu_enrol",
        ]
        .map(|id| self.tr(id))
        .to_vec()
    }

    /// The walk-in form's fields, in order.
    pub fn walk_in_fields(self) -> Vec<String> {
        [
            "field_first_name",
            "field_last_name",
            "field_degree",
            "field_profession",
            "field_email",
            "field_badge_id",
        ]
        .map(|id| self.tr(id))
        .to_vec()
    }

    pub fn not_an_email(self, email: &str) -> String {
        self.tr_args("not_an_email", &[("email", s(email))])
    }

    /// The kiosk's state, above every staff view.
    pub fn info_kiosk(self) -> String {
        format!("{} ", self.tr("info_kiosk"))
    }
    pub fn info_event(self) -> String {
        format!("  {} ", self.tr("info_event"))
    }
    pub fn info_database(self) -> String {
        format!("{} ", self.tr("info_database"))
    }
    pub fn info_last_upload(self) -> String {
        format!("{} ", self.tr("info_last_upload"))
    }
    pub fn info_counts(
        self,
        attendees: i64,
        claims_today: i64,
        certificates: i64,
        not_uploaded: i64,
    ) -> String {
        self.tr_args(
            "info_counts",
            &[
                ("attendees", n(attendees)),
                ("claims", n(claims_today)),
                ("certificates", n(certificates)),
                ("pending", n(not_uploaded)),
            ],
        )
    }

    pub fn find_prompt(self) -> String {
        format!("{} ", self.tr("find_prompt"))
    }
    pub fn certificate_issued(self, short_code: &str, issued_at: &str) -> String {
        self.tr_args(
            "certificate_issued",
            &[("code", s(short_code)), ("at", s(issued_at))],
        )
    }
    /// The attendee staff opened: "Ana Ruiz, MD — badge A1 — physician — a@b".
    pub fn attendee_head(
        self,
        name: &str,
        degree: &str,
        badge: &str,
        profession: &str,
        email: &str,
    ) -> String {
        self.tr_args(
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
    pub fn void_question(self, title: &str, credits: &str) -> String {
        self.tr_args(
            "void_question",
            &[("title", s(title)), ("credits", s(credits))],
        )
    }
    pub fn reason_prompt(self) -> String {
        format!("{} ", self.tr("reason_prompt"))
    }
    /// After a voided claim in the attendee's list.
    pub fn void_mark(self) -> String {
        format!("  {}", self.tr("void_mark"))
    }

    /// What the runner reports after a staff action.
    pub fn could_not(self, error: &str) -> String {
        self.tr_args("could_not", &[("error", s(error))])
    }
    pub fn no_attendee_with_badge(self, badge: &str) -> String {
        self.tr_args("no_attendee_with_badge", &[("badge", s(badge))])
    }

    /// The last upload's result, as staff read it under Last upload.
    pub fn upload_ok(
        self,
        uploaded: usize,
        rejected: usize,
        held: usize,
        downloaded: usize,
    ) -> String {
        self.tr_args(
            "upload_ok",
            &[
                ("uploaded", n(uploaded as i64)),
                ("rejected", n(rejected as i64)),
                ("held", n(held as i64)),
                ("downloaded", n(downloaded as i64)),
            ],
        )
    }
    pub fn upload_failed(self, error: &str) -> String {
        self.tr_args("upload_failed", &[("error", s(error))])
    }
}
