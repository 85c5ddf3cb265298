//! Several hub processes on one database, as behind a reverse proxy: they
//! start at once on a fresh database and all come up; kiosks sync with
//! whichever one answers, turn about; every record is at the hub once; a
//! certificate uploaded through one is served by every other, page, PDF
//! and credential, and says what the latest upload through any of them
//! says (nothing a page shows is kept in one process's memory).

use crate::browser::poppler;
use crate::common::{Hub, KioskDb, cluster, db_name, get, get_bytes, ok};
use crate::{not_uploaded, visit};

/// How many hub processes share the database.
const HUBS: usize = 3;

/// The page, the PDF's text and the credential of `cert` at `hub`.
fn served(hub: &Hub, cert: &str) -> (String, String, String) {
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200, "{} has no page for {cert}", hub.url);
    let pdf = get_bytes(&format!("{}/c/{cert}.pdf", hub.url));
    assert!(
        pdf.starts_with(b"%PDF"),
        "{} sent no PDF for {cert}",
        hub.url
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = poppler("pdftotext", &[], &file);
    let (status, jwt) = get(&format!("{}/c/{cert}.jwt", hub.url));
    assert_eq!(status, 200, "{} has no credential for {cert}", hub.url);
    (page, text, jwt)
}

#[test]
fn hub_processes_on_one_database_start_together_and_serve_one_event() {
    let pg = cluster();
    let name = db_name("two_hubs");
    let url = pg.database(&name);
    // All at once on an empty database: the migrations and the config's
    // roster race, and every process must come up.
    let hubs: Vec<Hub> = std::thread::scope(|s| {
        let starting: Vec<_> = (0..HUBS).map(|_| s.spawn(|| Hub::start(&url))).collect();
        starting.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let migrations = cekiosk::hub::schema::MIGRATIONS.len();
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*), count(DISTINCT version) FROM hub_schema"
        ),
        format!("{migrations}|{migrations}"),
        "each migration applied once"
    );
    assert_eq!(pg.query(&name, "SELECT count(*) FROM signing_key"), "1");
    assert_eq!(
        pg.query(
            &name,
            "SELECT count(*) - count(DISTINCT payload->>'badge_id') FROM changes WHERE kind = 'roster.attendee'"
        ),
        "0",
        "the config roster went on the feed once"
    );

    let kiosks: Vec<KioskDb> = (0..3).map(|_| KioskDb::new()).collect();
    let badges = kiosks[0].badges();
    let catalog = kiosks[0].credit_sessions();
    // Rounds of visits; kiosk i syncs with hub (i + round) % HUBS, so each
    // kiosk meets every hub. Attendee 0 comes back at every kiosk in every
    // round, for a new session each time.
    let mut certs: Vec<(String, usize)> = Vec::new();
    let mut next_session = 0;
    let mut after_first_round = String::new();
    for round in 0..HUBS {
        for (i, k) in kiosks.iter().enumerate() {
            for badge in [&badges[0], &badges[1 + round * kiosks.len() + i]] {
                let (session, credits) = &catalog[next_session];
                next_session += 1;
                let cert = visit(k, badge, "AMA", &[(session, *credits)]);
                certs.push((cert, (i + round) % HUBS));
            }
            ok(&k.sync(&hubs[(i + round) % HUBS].url, &[]));
        }
        if round == 0 {
            // Attendee 0's first certificate, asked of a hub it did not
            // come through.
            after_first_round = amount(&get(&format!("{}/c/{}", hubs[1].url, certs[0].0)).1);
        }
    }
    // One more round so every kiosk has downloaded what the last ones sent.
    for (i, k) in kiosks.iter().enumerate() {
        ok(&k.sync(&hubs[i % HUBS].url, &[]));
    }

    // Every record at the hub once, as the kiosk wrote it.
    let mut total = 0;
    for k in &kiosks {
        assert_eq!(not_uploaded(k), 0);
        total += k.assert_at_hub_once(&name);
    }
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        total.to_string()
    );
    // Every kiosk has every claim, whichever hub it heard it from.
    let claims = HUBS * kiosks.len() * 2;
    for k in &kiosks {
        let held: i64 = k
            .sqlite()
            .query_row("SELECT count(*) FROM claims", [], |r| r.get(0))
            .unwrap();
        assert_eq!(held as usize, claims);
    }

    // Every certificate from every hub, the same everywhere.
    let jwks = get(&format!("{}/.well-known/jwks.json", hubs[0].url)).1;
    for hub in &hubs[1..] {
        assert_eq!(get(&format!("{}/.well-known/jwks.json", hub.url)).1, jwks);
    }
    for (cert, through) in &certs {
        let first = served(&hubs[*through], cert);
        assert!(first.1.contains(cert.as_str()), "the PDF names {cert}");
        for (h, hub) in hubs.iter().enumerate() {
            let (page, pdf, jwt) = served(hub, cert);
            assert_eq!(page, first.0, "hub {h} shows {cert} as hub {through} does");
            assert_eq!(pdf, first.1, "hub {h} prints {cert} as hub {through} does");
            assert_eq!(jwt.split('.').count(), 3, "a signed credential");
        }
    }
    // A certificate shows the attendee's current total: attendee 0's first
    // one has grown with the visits uploaded through the other hubs since.
    let now = amount(&get(&format!("{}/c/{}", hubs[0].url, certs[0].0)).1);
    let credits = |a: &str| a.parse::<f64>().unwrap();
    assert!(
        credits(&now) > credits(&after_first_round),
        "{now} after every round, {after_first_round} after the first"
    );
}

/// The first credit amount a certificate page shows.
fn amount(page: &str) -> String {
    let (_, rest) = page
        .split_once("<td class=\"amount\">")
        .unwrap_or_else(|| panic!("no amount on the page: {page}"));
    rest.split_once(" credits").unwrap().0.to_string()
}
