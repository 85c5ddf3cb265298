//! What staff ask the runner for and what it answers: `StaffRequest` out
//! as an effect, `StaffReply` back as a message, with the kiosk's state
//! and one attendee's detail as staff read them. A leaf the app, the
//! runner and the staff screens share, so none of them imports another.

use crate::records::AttendeeRow;
use crate::store::{AuditRow, CertificateRow, ClaimRow};

/// What the runner is asked to do for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffRequest {
    CheckPin(String),
    Info,
    Search(String),
    Attendee(String),
    Reissue(String),
    /// Trade an enrolment code (typed or scanned) for this kiosk's own
    /// credentials at the hub.
    Enrol(String),
    Void {
        claim_id: String,
        reason: String,
    },
    WalkIn(AttendeeRow),
    Audit,
    Upload,
    Lock,
    Unlock,
    Quit,
}

/// What the runner answers.
#[derive(Debug, Clone)]
pub enum StaffReply {
    PinOk,
    PinWrong {
        left: u32,
    },
    PinLocked {
        until: String,
    },
    Info(StaffInfo),
    /// The attendees a search found.
    Matches(Vec<AttendeeRow>),
    Attendee(Box<AttendeeDetail>),
    Audit(Vec<AuditRow>),
    /// Done, with something to tell staff.
    Done(String),
    Failed(String),
    Quit,
}

/// The kiosk's state, shown above every staff view.
#[derive(Debug, Clone, Default)]
pub struct StaffInfo {
    pub database: String,
    pub attendees: i64,
    pub claims_today: i64,
    pub certificates: i64,
    pub not_uploaded: i64,
    pub last_upload: String,
    /// The hub's view of this kiosk: held and rejected records, the last
    /// good upload, a new device id taken (empty until a sync).
    pub standing: Vec<String>,
}

/// One attendee as staff see them: their claims and latest certificate.
#[derive(Debug, Clone)]
pub struct AttendeeDetail {
    pub attendee: AttendeeRow,
    /// Each claim with its session's title.
    pub claims: Vec<(ClaimRow, String)>,
    pub certificate: Option<CertificateRow>,
}
