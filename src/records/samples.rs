//! One record of each kind with every field filled, for tests that hold
//! the record types against what reads them (the hub's views).

use super::*;
use crate::domain::Profession;

fn text(v: &str) -> String {
    v.to_string()
}

/// A record of each kind, every optional field present.
pub fn all() -> Vec<Body> {
    vec![
        Body::Claim(Claim {
            badge_id: text("A0012345"),
            claim_id: text("c1"),
            claimed_at: text("2026-11-23T18:00:00Z"),
            credits_q: 4,
            kiosk_id: text("K01"),
            session_id: text("S001"),
            visit_id: text("v1"),
        }),
        Body::Void(Void {
            badge_id: text("A0012345"),
            claim_id: text("c1"),
            kiosk_id: text("K01"),
            reason: text("wrong session"),
            session_id: text("S001"),
            voided_at: text("2026-11-23T18:05:00Z"),
        }),
        Body::Certificate(Certificate {
            badge_id: text("A0012345"),
            certificate_id: text("Zm9vYmFyYmF6cXV4cXV1eA"),
            codes: text("AMA;MOC"),
            issued_at: text("2026-11-23T18:06:00Z"),
            kiosk_id: text("K01"),
            language: Some(text("ja")),
            mail_declined: true,
            short_code: text("FZ1"),
            visit_id: text("v1"),
        }),
        Body::Profile(Profile {
            abim_ending: Some(text("56")),
            abim_id: Some(text("123456")),
            at: text("2026-11-23T18:00:00Z"),
            badge_id: text("A0012345"),
            birth_mmdd: Some(text("0101")),
            birth_on_file: true,
            codes: text("AMA;MOC"),
            epid: Some(text("1234567")),
            epid_ending: Some(text("67")),
            moc_consent: true,
            pharm_role: Some(text("pharmacist")),
        }),
        Body::Evaluation(Evaluation {
            answered: vec![text("relevant")],
            answers: [(text("relevant"), text("Agree"))].into_iter().collect(),
            at: text("2026-11-23T18:00:00Z"),
            badge_id: text("A0012345"),
            visit_id: text("v1"),
        }),
        Body::WalkIn(WalkIn {
            at: text("2026-11-23T18:00:00Z"),
            attendee: AttendeeRow {
                badge_id: text("W-1"),
                first_name: text("Walk"),
                last_name: text("In"),
                degree: text("RN"),
                profession: Profession::Nurse,
                email: text("w@example.org"),
            },
            kiosk_id: text("K01"),
            source: text("walkin"),
        }),
        Body::Audit(Audit {
            action: text("claim.void"),
            at: text("2026-11-23T18:05:00Z"),
            detail: text("claim c1"),
            kiosk_id: text("K01"),
        }),
        Body::RosterAttendee(AttendeeRow {
            badge_id: text("A0012345"),
            first_name: text("Ana"),
            last_name: text("Lima"),
            degree: text("MD"),
            profession: Profession::Physician,
            email: text("a@example.org"),
        }),
        Body::RosterSession(RosterSession {
            acpe_uan: text("0000-0000-26-001-L01-P"),
            credit_types: text("AMA;ACPE"),
            credits_q: 6,
            ends_at: text("2026-11-23T10:30"),
            room: text("Hall A"),
            session_id: text("S001"),
            starts_at: text("2026-11-23T09:00"),
            title: text("Sepsis"),
            track: text("Critical care"),
        }),
        Body::DoorScan(DoorScan {
            badge_id: text("A0012345"),
            direction: text("in"),
            scanned_at: text("2026-11-23T08:58"),
            session_id: text("S001"),
        }),
    ]
}
