//! Several kiosks meeting at the hub: the same attendee at two kiosks is
//! kept, flagged and counted once; a void lets the duplicate count in its
//! place; a walk-in added at one kiosk reaches the hub and the others.

use cekiosk::store::Store;

use crate::common::{Hub, KioskDb, cluster, db_name, get, ok};
use crate::{not_uploaded, visit};

#[test]
fn two_kiosks_same_attendee_are_kept_flagged_and_counted_once() {
    let pg = cluster();
    let name = db_name("two");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let cert_a = visit(&a, "A0012345", "AMA", &[("S008", 4)]);
    visit(&b, "A0012345", "AMA", &[("S008", 4), ("S015", 4)]);
    ok(&a.sync(&hub.url, &[]));
    ok(&b.sync(&hub.url, &[]));
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM claims WHERE badge_id = 'A0012345'"
        ),
        "3"
    );
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        "1"
    );
    // Counted once: S008 (1) + S015 (1) = 2 credits on either certificate.
    let (_, page) = get(&format!("{}/c/{cert_a}", hub.url));
    assert!(page.contains("2 credits"), "{page}");
    // Kiosk A now knows what B recorded: a later visit there sees it.
    ok(&a.sync(&hub.url, &[]));
    let sessions: Vec<String> = {
        let c = a.sqlite();
        let mut s = c
            .prepare(
                "SELECT session_id FROM claims WHERE badge_id = 'A0012345' ORDER BY session_id",
            )
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(sessions, vec!["S008", "S008", "S015"]);
    // Nothing downloaded went into A's outbox.
    assert_eq!(not_uploaded(&a), 0);
}

/// A void reaches the certificate: the voided claim stops counting, and a
/// second claim for the same session made at another kiosk (kept as a
/// duplicate until then) counts in its place.
#[test]
fn a_void_is_reflected_and_the_duplicate_takes_its_place() {
    let pg = cluster();
    let name = db_name("void");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let cert = visit(&a, "A0012345", "AMA", &[("S008", 4), ("S015", 4)]);
    visit(&b, "A0012345", "AMA", &[("S008", 2)]);
    ok(&a.sync(&hub.url, &[]));
    ok(&b.sync(&hub.url, &[]));
    let credits = || {
        let (status, page) = get(&format!("{}/c/{cert}", hub.url));
        assert_eq!(status, 200, "{page}");
        ["2 credits", "1.5 credits", "1 credit", "0.5 credits"]
            .into_iter()
            .find(|c| page.contains(c))
            .unwrap_or_else(|| panic!("no credit total on the page: {page}"))
    };
    let claim_at = |k: &KioskDb, session: &str| -> String {
        k.sqlite()
            .query_row(
                "SELECT claim_id FROM claims WHERE session_id = ?1 AND device_id = (SELECT value FROM meta WHERE key = 'device_id')",
                [session],
                |r| r.get(0),
            )
            .unwrap()
    };
    // Kiosk A's S008 claim was first: it counts, B's is its duplicate.
    assert_eq!(credits(), "2 credits");
    let (a_s008, b_s008) = (claim_at(&a, "S008"), claim_at(&b, "S008"));
    assert_eq!(
        pg.query(
            &name,
            "SELECT claim_id || ' ' || duplicate_of FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        format!("{b_s008} {a_s008}")
    );
    // Staff at A void A's claim: B's half hour now counts for S008.
    Store::open(&a.db())
        .unwrap()
        .void_claim(&a_s008, "wrong session", "K01")
        .unwrap();
    ok(&a.sync(&hub.url, &[]));
    assert_eq!(credits(), "1.5 credits");
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        "0"
    );
    assert_eq!(
        pg.query(
            &name,
            &format!("SELECT void_reason FROM claims WHERE claim_id = '{a_s008}'")
        ),
        "wrong session"
    );
    // Then B's too: only S015 is left.
    ok(&b.sync(&hub.url, &[]));
    Store::open(&b.db())
        .unwrap()
        .void_claim(&b_s008, "not attended", "K02")
        .unwrap();
    ok(&b.sync(&hub.url, &[]));
    assert_eq!(credits(), "1 credit");
    assert_eq!(pg.query(&name, "SELECT count(*) FROM claims"), "3");
}

/// A walk-in added by staff at one kiosk gets a certificate with their
/// name at the hub, and the other kiosks learn of them: a second visit
/// elsewhere finds them.
#[test]
fn a_walk_in_reaches_the_hub_and_the_other_kiosks() {
    let pg = cluster();
    let name = db_name("walkin");
    let hub = Hub::start(&pg.database(&name));
    let (a, b) = (KioskDb::new(), KioskDb::new());
    let walk_in = cekiosk::records::AttendeeRow {
        badge_id: "W-0042".into(),
        first_name: "Zoë".into(),
        last_name: "Ångström".into(),
        degree: "RN".into(),
        profession: cekiosk::domain::Profession::Nurse,
        email: "zoe@example.org".into(),
    };
    Store::open(&a.db())
        .unwrap()
        .add_walk_in(&walk_in, "K01")
        .unwrap();
    let cert = visit(&a, "W-0042", "ANCC", &[("S008", 4)]);
    ok(&a.sync(&hub.url, &[]));
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Zoë Ångström"), "{page}");
    assert_eq!(
        pg.query(
            &name,
            "SELECT source FROM attendees WHERE badge_id = 'W-0042'"
        ),
        "walkin"
    );
    ok(&b.sync(&hub.url, &[]));
    let known: (String, i64) = b
        .sqlite()
        .query_row(
            "SELECT first_name, (SELECT count(*) FROM claims WHERE badge_id = 'W-0042') FROM attendees WHERE badge_id = 'W-0042'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(known, ("Zoë".to_string(), 1));
}
