//! The certificate page before the kiosk's upload: the summary the id
//! carries, shown as verified only when the issuing kiosk's key signed it;
//! a forged id (another key) and an altered id (one character changed)
//! are never shown as verified; after the upload, the full certificate.

use cekiosk::domain::CreditCode;
use cekiosk::domain::certificate_id::kiosk_key;
use cekiosk::store::SummaryKey;

use crate::commit_as_attest;
use crate::common::{Hub, KioskDb, TOKEN, cluster, db_name, get, ok};

/// A visit whose certificate id is signed with the key derived from
/// `token`.
fn signed_visit(k: &KioskDb, token: &str, credits: Vec<(CreditCode, u32)>) -> String {
    let key = SummaryKey {
        key: kiosk_key(token, "K01"),
        credits,
    };
    commit_as_attest(
        k,
        "A0012345",
        "AMA;ANCC",
        &[("S008", 4), ("S010", 2)],
        Some(key),
        None,
    )
}

/// The issue time as the event's clock showed it, by the system's `date`.
fn local_minute(k: &KioskDb, id: &str) -> String {
    let issued: String = k
        .sqlite()
        .query_row(
            "SELECT issued_at FROM certificates WHERE certificate_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let out = std::process::Command::new("date")
        .env("TZ", "America/Chicago")
        .args(["-d", &issued, "+%A %-d %B, %H:%M"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn before_the_upload_the_page_shows_a_verified_summary_and_never_a_forged_one() {
    let pg = cluster();
    let name = db_name("summary");
    let hub = Hub::start(&pg.database(&name));
    let k = KioskDb::new();
    let credits = vec![(CreditCode::AMA, 6), (CreditCode::ANCC, 6)];
    let id = signed_visit(&k, TOKEN, credits.clone());
    assert!(
        id.len() > 22
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    );

    let (status, page) = get(&format!("{}/c/{id}", hub.url));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Verified"), "{page}");
    assert!(page.contains("kiosk K01"), "{page}");
    assert!(page.contains(&local_minute(&k, &id)), "{page}");
    assert!(page.contains("AMA PRA Category 1 Credits™"), "{page}");
    assert!(page.contains("ANCC contact hours"), "{page}");
    assert!(page.contains("1.5"), "{page}");
    assert!(page.contains("after the kiosk's upload"), "{page}");
    // Nothing personal travels in the id.
    assert!(!page.contains("Okafor") && !page.contains("Amelia"));

    // Signed with a key the hub cannot derive: a forgery.
    let forged = signed_visit(&KioskDb::new(), "not-a-token-of-this-hub", credits);
    let (status, page) = get(&format!("{}/c/{forged}", hub.url));
    assert_eq!(status, 404);
    assert!(!page.contains("Verified"), "{page}");
    assert!(page.contains("cannot be verified"), "{page}");

    // Every single character changed (as a mistyped or edited link would
    // be) is refused as unverified.
    for at in (0..id.len()).step_by(7) {
        let mut altered = id.clone().into_bytes();
        altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        let (status, page) = get(&format!("{}/c/{altered}", hub.url));
        assert_eq!(status, 404, "{altered}");
        assert!(!page.contains("Verified"), "{altered}: {page}");
    }

    // After the upload: the full certificate with the attendee's name.
    ok(&k.sync(&hub.url, &[]));
    let (status, page) = get(&format!("{}/c/{id}", hub.url));
    assert_eq!(status, 200);
    assert!(page.contains("Amelia Okafor"), "{page}");
    assert!(!page.contains("Verified:"), "{page}");
}
