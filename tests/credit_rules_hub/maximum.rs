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
    // The claims view gives the reason as its code (`hub::held` words it:
    // "had not ended when it was claimed").
    assert!(
        held.contains("not_ended"),
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
    assert!(held.contains("not_ended"), "{held:?}");
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM claims WHERE held IS NULL"),
        "0"
    );
}

/// Each credit type stops at its own maximum: an activity registered for
/// fewer MOC points than AMA credits prints and awards its own MOC
/// maximum, and PARS reports it. Two sessions sharing one UAN count once
/// on the certificate, as CPE Monitor credits them. The certificate names
/// the provider's web address, and its PDF is A4 when the event says so.
#[test]
fn each_type_stops_at_its_own_maximum_and_a_shared_uan_counts_once() {
    let all = catalog();
    let moc = disjoint(&all, "MOC");
    let acpe: Vec<Sess> = disjoint(&all, "ACPE")
        .into_iter()
        .filter(|s| s.uans.len() == 1 && s.uans[0].ends_with("-P"))
        .collect();
    let (p1, p2) = (&acpe[0], &acpe[1]);
    // The second session is registered under the first one's UAN.
    let sessions = std::fs::read_to_string(crate::common::config_dir().join("sessions.csv"))
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{},", p2.id)) {
                l.replace(&p2.uans[0], &p1.uans[0])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = config_with(
        &[("[credits.MOC]\n", "[credits.MOC]\nmax = 2\n")],
        Some(&sessions),
    );
    let pg = cluster();
    let hub = Hub::start_with(
        dir.path(),
        &pg.database(&db_name("own_max")),
        "127.0.0.1:0",
        &[("CEKIOSK_CERTIFICATE_PAPER", "a4")],
    );
    let config = Config::load(dir.path()).unwrap();
    let k = KioskDb::with_config(dir.path());
    let mine: Vec<(String, u32)> = moc
        .iter()
        .take(3)
        .map(|s| (s.id.clone(), s.quarters))
        .collect();
    let ama_q: u32 = mine.iter().map(|c| c.1).sum();
    assert!(ama_q > 8, "more than 2 MOC points claimed");
    let doc = crate::roster_of("physician", 0);
    let cert = visit_as(
        &k,
        &doc,
        cekiosk::store::CreditChoices {
            codes: cekiosk::domain::CodeSet::parse_list("AMA;MOC").unwrap(),
            moc_consent: true,
            abim_id: Some("123456".into()),
            birth_mmdd: Some("0101".into()),
            ..Default::default()
        },
        &refs(&mine),
    );
    let pharmacist = crate::roster_of("pharmacist", 0);
    let pharm_cert = visit_as(
        &k,
        &pharmacist,
        cekiosk::store::CreditChoices {
            codes: cekiosk::domain::CodeSet::parse_list("ACPE").unwrap(),
            epid: Some("7654321".into()),
            birth_mmdd: Some("1108".into()),
            pharm_role: Some("pharmacist".into()),
            ..Default::default()
        },
        &[(p1.id.as_str(), p1.quarters), (p2.id.as_str(), p2.quarters)],
    );
    ok(&k.sync(&hub.url, &[]));
    let name = |code: cekiosk::domain::CreditCode| config.credit(code).unwrap().name.clone();
    let (_, page) = get(&format!("{}/c/{cert}", hub.url));
    let rows = credit_rows(&page);
    assert_eq!(
        number(&rows[&name(cekiosk::domain::CreditCode::AMA)].0),
        format_quarters(ama_q)
    );
    let moc_row = &rows[&name(cekiosk::domain::CreditCode::MOC)];
    assert_eq!(
        number(&moc_row.0),
        "2",
        "MOC stops at its own maximum: {page}"
    );
    assert!(moc_row.1.contains("up to 2 MOC points"), "{}", moc_row.1);
    assert!(
        rows[&name(cekiosk::domain::CreditCode::AMA)]
            .1
            .contains("maximum of 38.75"),
        "AMA keeps the event's"
    );
    let pars = csv_rows(&report(&hub, "pars.tsv"), b'\t');
    assert_eq!(pars[0]["Total Board Credits"], "2");
    assert_eq!(pars[0]["Number of CME Credits"], format_quarters(ama_q));
    // The provider's web address, on the page and in the A4 PDF.
    assert!(page.contains("https://ce.example.org"), "{page}");
    let pdf = {
        let mut r = ureq::get(&format!("{}/c/{cert}.pdf", hub.url))
            .call()
            .unwrap();
        r.body_mut().read_to_vec().unwrap()
    };
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let text = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("(https://ce.example.org)"), "{text}");
    // The shared UAN: counted once, and the second session says why.
    let (_, page) = get(&format!("{}/c/{pharm_cert}", hub.url));
    let rows = credit_rows(&page);
    assert_eq!(
        number(&rows[&name(cekiosk::domain::CreditCode::ACPE)].0),
        format_quarters(p1.quarters),
        "{page}"
    );
    assert!(page.contains("shares its UAN with"), "{page}");
    let cpe = csv_rows(&report(&hub, "cpe-monitor.csv"), b',');
    let uans: Vec<&str> = cpe.iter().map(|r| r["uan"].as_str()).collect();
    assert_eq!(uans, [p1.uans[0].as_str()], "{cpe:?}");
}
