//! The record types hold the wire form kiosks and hubs already deployed
//! write and read, and the hub's check says what is wrong and where.

use serde_json::json;

use super::*;

/// Payloads exactly as the kiosk wrote them before these types existed
/// (with `json!`, whose keys come out in alphabetical order).
fn as_written_before() -> Vec<(&'static str, serde_json::Value)> {
    let now = "2026-11-23T18:00:00.123Z";
    vec![
        (
            "claim",
            json!({"claim_id": "c1", "visit_id": "v1", "badge_id": "A1", "session_id": "S1",
                   "credits_q": 5, "claimed_at": now, "kiosk_id": "K01"}),
        ),
        (
            "void",
            json!({"claim_id": "c1", "badge_id": "A1", "session_id": "S1", "reason": "typo",
                   "voided_at": now, "kiosk_id": "K01"}),
        ),
        (
            "certificate",
            json!({"certificate_id": "abcdefghijklmnopqrstuv", "short_code": "ABC123",
                   "badge_id": "A1", "visit_id": "v1", "issued_at": now, "kiosk_id": "K01",
                   "codes": "AMA;MOC"}),
        ),
        (
            "profile",
            json!({"badge_id": "A1", "codes": "ACPE", "epid": null, "birth_mmdd": "0229",
                   "pharm_role": "pharmacist", "moc_consent": false, "abim_id": null, "at": now,
                   "epid_ending": "34", "abim_ending": null, "birth_on_file": true}),
        ),
        (
            "evaluation",
            json!({"badge_id": "A1", "visit_id": "v1",
                   "answers": {"q1": "Agree", "q2": "Ja, ich stimme zu"}, "at": now}),
        ),
        (
            "attendee",
            json!({"badge_id": "W-1", "first_name": "Zoë", "last_name": "Ng", "degree": "RN",
                   "profession": "nurse", "email": "", "source": "walkin", "at": now,
                   "kiosk_id": "K01"}),
        ),
        (
            "audit",
            json!({"at": now, "kiosk_id": "K01", "action": "staff.unlock", "detail": ""}),
        ),
        (
            "roster.attendee",
            json!({"badge_id": "A1", "first_name": "Ana", "last_name": "Lima", "degree": "MD",
                   "profession": "physician", "email": "a@example.org"}),
        ),
        (
            "roster.session",
            json!({"session_id": "S1", "title": "Sepsis", "starts_at": "2026-11-23T09:00",
                   "ends_at": "2026-11-23T10:15", "credits_q": 5, "credit_types": "AMA;ANCC",
                   "track": "", "room": "Hall A", "acpe_uan": ""}),
        ),
        (
            "scan",
            json!({"badge_id": "A1", "session_id": "S1", "scanned_at": "2026-11-23T08:58",
                   "direction": "in"}),
        ),
    ]
}

#[test]
fn every_kind_is_written_exactly_as_before() {
    for (kind, old) in as_written_before() {
        let text = old.to_string();
        let body = Body::decode(kind, &text).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(body.kind(), kind);
        assert_eq!(body.to_json(), text, "{kind} is not written as before");
    }
}

#[test]
fn every_kind_reads_back_what_it_writes() {
    let samples = samples::all();
    let kinds: Vec<&str> = samples.iter().map(Body::kind).collect();
    let written: Vec<&str> = as_written_before().iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, written, "one sample per kind, in order");
    for body in samples {
        let back = Body::decode(body.kind(), &body.to_json()).expect("reads back");
        assert_eq!(back, body);
    }
}

#[test]
fn payloads_from_older_kiosks_still_read() {
    // Before kiosks named themselves or kept visits, short codes and the
    // IDs on file.
    let claim = Body::decode(
        "claim",
        r#"{"claim_id":"c1","badge_id":"A1","session_id":"S1","credits_q":4,"claimed_at":"2026-11-23T18:00:00Z"}"#,
    )
    .expect("an old claim reads");
    let Body::Claim(c) = &claim else {
        panic!("not a claim")
    };
    assert_eq!((c.kiosk_id.as_str(), c.visit_id.as_str()), ("", ""));
    assert_eq!(claim.check("c1"), Ok(()));
    let cert = Body::decode(
        "certificate",
        r#"{"certificate_id":"abcdefghijklmnopqrstuv","badge_id":"A1","issued_at":"2026-11-23T18:00:00Z"}"#,
    )
    .expect("an old certificate reads");
    assert_eq!(cert.check("abcdefghijklmnopqrstuv"), Ok(()));
    let profile = Body::decode(
        "profile",
        r#"{"badge_id":"A1","codes":"AMA","epid":null,"birth_mmdd":null,"pharm_role":null,"moc_consent":false,"abim_id":null,"at":"2026-11-23T18:00:00Z"}"#,
    )
    .expect("an old profile reads");
    let Body::Profile(p) = profile else {
        panic!("not a profile")
    };
    assert!(!p.birth_on_file && p.epid_ending.is_none());
}

fn reason(kind: &str, payload: serde_json::Value, record_id: &str) -> String {
    match Body::decode(kind, &payload.to_string()) {
        Err(e) => e,
        Ok(b) => b.check(record_id).err().unwrap_or_default(),
    }
}

type Edit<'a> = &'a dyn Fn(&mut serde_json::Map<String, serde_json::Value>);

/// What the check says of the `i`th record as written before, edited.
fn reason_edited(i: usize, record_id: &str, edit: Edit) -> String {
    let (kind, mut p) = as_written_before()[i].clone();
    edit(p.as_object_mut().expect("an object"));
    reason(kind, p, record_id)
}

#[test]
fn the_check_says_which_field_is_wrong() {
    let claim = |edit: Edit| reason_edited(0, "c1", edit);
    assert_eq!(claim(&|_| ()), "");
    assert_eq!(
        claim(&|p| {
            p.remove("claim_id");
        }),
        "claim_id is missing"
    );
    assert_eq!(
        claim(&|p| {
            p.insert("credits_q".into(), json!(0));
        }),
        "credits_q 0 is not a claim"
    );
    let typed = claim(&|p| {
        p.insert("credits_q".into(), json!("4"));
    });
    assert!(typed.starts_with("credits_q: invalid type"), "{typed}");
    assert_eq!(
        claim(&|p| {
            p.insert("session_id".into(), json!(""));
        }),
        "session_id is empty or too long"
    );
    assert_eq!(
        claim(&|p| {
            p.insert("claimed_at".into(), json!("2026-11-23 18:00"));
        }),
        "claimed_at '2026-11-23 18:00' is not a time"
    );
    let not_object = reason("claim", json!(["c1"]), "c1");
    assert!(not_object.contains("not a JSON object"), "{not_object}");
    assert_eq!(
        reason("CLAIM", json!({}), "c1"),
        "unknown record kind 'CLAIM'"
    );
    let cert = as_written_before()[2].1.clone();
    assert_eq!(
        reason("certificate", cert, "another-id"),
        "certificate_id differs from the record's id"
    );
    let mut profile = as_written_before()[3].1.clone();
    profile["codes"] = json!("AMA;XYZ");
    assert!(!reason("profile", profile, "A1").is_empty());
    let walk_in = |edit: Edit| reason_edited(5, "W-1", edit);
    assert_eq!(
        walk_in(&|p| {
            p.insert("profession".into(), json!("doctor"));
        }),
        "attendee: profession 'doctor' is not one of physician, physician_assistant, nurse, pharmacist, other"
    );
    // A walk-in's attendee is read as a roster row is: each field wrong
    // is named as such.
    assert_eq!(
        walk_in(&|p| {
            p.remove("badge_id");
        }),
        "badge_id is missing"
    );
    assert_eq!(
        walk_in(&|p| {
            p.insert("badge_id".into(), json!(""));
        }),
        "badge_id is empty or too long"
    );
    assert!(
        walk_in(&|p| {
            p.insert("email".into(), json!("x".repeat(1000)));
        })
        .starts_with("email")
    );
    // The hub's own kinds never come from a kiosk.
    let roster = as_written_before()[7].1.clone();
    assert!(!reason("roster.attendee", roster, "A1").is_empty());
    let scan = as_written_before()[9].1.clone();
    assert_eq!(
        reason("scan", scan, "A1"),
        "a kiosk does not send scan records"
    );
}

#[test]
fn kiosk_times_are_rfc3339_only() {
    for good in ["2026-11-23T18:00:00Z", "2026-11-23T18:00:00.5+01:00"] {
        assert!(is_kiosk_time(good), "{good}");
    }
    for bad in [
        "2026-11-23 18:00:00Z",
        "0000-01-01T00:00:00Z",
        "2026-11-23T18:00:00[Europe/Paris]",
        "2026-02-30T18:00:00Z",
        "",
    ] {
        assert!(!is_kiosk_time(bad), "{bad}");
    }
}
