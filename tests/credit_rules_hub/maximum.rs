//! The activity maximum holds across kiosks, and a kiosk's wrong clock
//! cannot award what the rules forbid: a claim stamped before its session
//! ended, or for a session that has not happened yet, is held at the hub
//! with the reason instead of counted.

use cekiosk::config::Config;
use cekiosk::domain::format_quarters;

use crate::common::{Hub, KioskDb, cluster, db_name, get, ok, visit_as};
use crate::{
    Sess, catalog, config_with, credit_rows, csv_rows, disjoint, number, profile, refs, report,
};

/// Two kiosks each claim under the maximum for one physician; together
/// they pass it, and the certificate and the credits report stop at 38.75.
/// A third kiosk's clock is behind: its claim says it was made before the
/// session ended, and the hub holds it with the reason instead of counting.
#[test]
fn two_kiosks_stop_at_the_maximum_and_a_kiosk_clock_behind_is_held() {
    // The demo's sessions add up to its maximum; this event allows 10.
    let dir = config_with(&[("max_credits = 38.75", "max_credits = 10")], None);
    let pg = cluster();
    let name = db_name("maximum");
    let hub = Hub::start_with(dir.path(), &pg.database(&name), "127.0.0.1:0", &[]);
    let config = Config::load(dir.path()).unwrap();
    let max = config.event.max_credits;
    assert_eq!(max, 40);
    let sessions = disjoint(&catalog(), "AMA");
    let total: u32 = sessions.iter().map(|s| s.quarters).sum();
    assert!(
        total > max,
        "the event needs more disjoint AMA hours than its maximum"
    );
    // Each kiosk's part stays under the maximum; together they pass it.
    let mut half = 0;
    while sessions[..=half].iter().map(|s| s.quarters).sum::<u32>() <= max / 2 + 4 {
        half += 1;
    }
    let sessions = &sessions[..(2 * half + 2).min(sessions.len())];
    let (a, b) = (
        KioskDb::with_config(dir.path()),
        KioskDb::with_config(dir.path()),
    );
    let claims = |part: &[Sess]| -> Vec<(String, u32)> {
        part.iter().map(|s| (s.id.clone(), s.quarters)).collect()
    };
    let first = claims(&sessions[..half]);
    let second = claims(&sessions[half..]);
    let first_sum: u32 = first.iter().map(|c| c.1).sum();
    let second_sum: u32 = second.iter().map(|c| c.1).sum();
    assert!(first_sum <= max && second_sum <= max && first_sum + second_sum > max);
    let cert = visit_as(&a, "A0012345", profile("AMA"), &refs(&first));
    visit_as(&b, "A0012345", profile("AMA"), &refs(&second));
    ok(&a.sync(&hub.url, &[]));
    ok(&b.sync(&hub.url, &[]));
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200, "{page}");
    let rows = credit_rows(&page);
    let ama = &rows[&config
        .credit(cekiosk::domain::CreditCode::AMA)
        .unwrap()
        .name];
    assert_eq!(number(&ama.0), format_quarters(max), "{page}");
    let credits = csv_rows(&report(&hub, "credits.csv"), b',');
    let row = credits
        .iter()
        .find(|r| r["badge_id"] == "A0012345" && r["credit_type"] == "AMA")
        .expect("a credits row");
    assert_eq!(row["credits"], format_quarters(max));

    // Kiosk C's clock is behind: its claim for the last session says it
    // was made at midnight UTC that day, the evening before in Chicago.
    let c = KioskDb::with_config(dir.path());
    let late = sessions.last().unwrap();
    let other = c.badges().into_iter().find(|b| b != "A0012345").unwrap();
    let cert_c = visit_as(
        &c,
        &other,
        profile("AMA"),
        &[(late.id.as_str(), late.quarters)],
    );
    c.sqlite()
        .execute(
            "UPDATE outbox SET payload = json_set(payload, '$.claimed_at', ?1) WHERE kind = 'claim'",
            [format!("{}T00:00:00Z", &late.start[..10])],
        )
        .unwrap();
    let text = c.sync(&hub.url, &[]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&text.stdout),
        String::from_utf8_lossy(&text.stderr)
    );
    let held = pg.query(
        &name,
        &format!("SELECT held FROM claims WHERE badge_id = '{other}'"),
    );
    assert!(
        held.contains("had not ended when it was claimed"),
        "held: {held:?}; sync said: {text}"
    );
    let (_, page) = get(&format!("{}/c/{cert_c}", hub.url));
    assert!(
        credit_rows(&page)
            .values()
            .all(|(amount, _)| number(amount) == "0"),
        "a held claim counted: {page}"
    );
}

/// A kiosk whose clock runs ahead claims a session that has not happened
/// yet (an event set in the future): the hub's own clock holds it.
#[test]
fn a_kiosk_clock_ahead_cannot_award_a_session_that_has_not_happened() {
    let dir = config_with(
        &[
            ("start_date = \"2026-11-23\"", "start_date = \"2099-03-02\""),
            ("end_date = \"2026-11-27\"", "end_date = \"2099-03-02\""),
        ],
        Some(
            "session_id,title,starts_at,ends_at,credits,credit_types\n\
             F1,Future Plenary,2099-03-02T09:00,2099-03-02T10:00,1,AMA\n",
        ),
    );
    let pg = cluster();
    let name = db_name("ahead");
    let hub = Hub::start_with(dir.path(), &pg.database(&name), "127.0.0.1:0", &[]);
    let k = KioskDb::with_config(dir.path());
    visit_as(&k, "A0012345", profile("AMA"), &[("F1", 4)]);
    // The kiosk's clock says the session is over.
    k.sqlite()
        .execute(
            "UPDATE outbox SET payload = json_set(payload, '$.claimed_at', '2099-03-02T18:00:00Z') WHERE kind = 'claim'",
            [],
        )
        .unwrap();
    let _ = k.sync(&hub.url, &[]);
    let held = pg.query(&name, "SELECT held FROM claims");
    assert!(held.contains("had not ended"), "{held:?}");
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM claims WHERE held IS NULL"),
        "0"
    );
}
