//! The three reports read row by row against the certificate page of the
//! same attendees, one attendee of each kind, and a void after a report
//! changing the next one with `?since=` marking the row.

use std::collections::BTreeMap;

use cekiosk::domain::{CodeSet, format_quarters};
use cekiosk::store::{Profile, Store};

use crate::common::{
    ADMIN, Hub, KioskDb, cluster, config_dir, db_name, get, get_auth, ok, visit_as,
};
use crate::{
    Sess, catalog, credit_rows, csv_rows, demo_config, disjoint, html_text, number, overlap,
    profile, refs, report,
};

/// One attendee of each kind; each report row is read against the
/// certificate page of the same attendee.
#[test]
fn every_report_agrees_with_the_certificate_row_by_row() {
    let pg = cluster();
    let name = db_name("agree");
    let hub = Hub::start(&pg.database(&name));
    let config = demo_config();
    let all = catalog();
    let k = KioskDb::new();
    let badges = k.badges();
    let attendees = {
        let mut r = csv::Reader::from_path(config_dir().join("attendees.csv")).unwrap();
        let h = r.headers().unwrap().clone();
        let (b, p) = (
            h.iter().position(|x| x == "badge_id").unwrap(),
            h.iter().position(|x| x == "profession").unwrap(),
        );
        r.records()
            .map(|x| {
                let x = x.unwrap();
                (x[b].to_string(), x[p].to_string())
            })
            .collect::<Vec<_>>()
    };
    let of = |prof: &str, n: usize| -> String {
        attendees
            .iter()
            .filter(|(_, p)| p == prof)
            .nth(n)
            .map(|(b, _)| b.clone())
            .unwrap()
    };
    assert!(badges.len() > 10);
    let ama = disjoint(&all, "AMA");
    let moc = disjoint(&all, "MOC");
    let ancc = disjoint(&all, "ANCC");
    // Two ACPE sessions at the same time, both with a pharmacist UAN, and
    // a third apart from both, claimed for part of its hours.
    let acpe: Vec<&Sess> = all
        .iter()
        .filter(|s| s.types.contains("ACPE") && s.uans.iter().any(|u| u.ends_with("-P")))
        .collect();
    let (p1, p2) = acpe
        .iter()
        .flat_map(|a| acpe.iter().map(move |b| (*a, *b)))
        .find(|(a, b)| a.id < b.id && overlap(a, b))
        .expect("two simultaneous ACPE sessions in the demo");
    let p3 = acpe
        .iter()
        .find(|s| !overlap(s, p1) && !overlap(s, p2) && s.quarters > 1)
        .unwrap();
    let p4 = acpe
        .iter()
        .find(|s| !overlap(s, p1) && !overlap(s, p2) && !overlap(s, p3) && s.id != p3.id)
        .unwrap();
    let physician = of("physician", 0);
    let nurse = of("nurse", 0);
    let pharmacist = of("pharmacist", 0);
    let pa = of("physician_assistant", 0);
    let other = of("other", 0);
    let claims_of = |v: &[Sess], n: usize| -> Vec<(String, u32)> {
        v.iter()
            .take(n)
            .map(|s| (s.id.clone(), s.quarters))
            .collect()
    };
    let mut certs: Vec<(String, String)> = Vec::new();
    // Some AMA and some MOC sessions, none overlapping another, so the
    // expected totals below are plain sums.
    let mut keep: Vec<&Sess> = Vec::new();
    for s in moc.iter().take(3).chain(ama.iter().take(4)) {
        if keep.iter().all(|k| !overlap(k, s)) {
            keep.push(s);
        }
    }
    let physician_claims: Vec<(String, u32)> =
        keep.iter().map(|s| (s.id.clone(), s.quarters)).collect();
    certs.push((
        physician.clone(),
        visit_as(
            &k,
            &physician,
            Profile {
                codes: CodeSet::parse_list("AMA;MOC").unwrap(),
                moc_consent: true,
                abim_id: Some("918273".into()),
                birth_mmdd: Some("0229".into()),
                ..Profile::default()
            },
            &refs(&physician_claims),
        ),
    ));
    certs.push((
        nurse.clone(),
        visit_as(&k, &nurse, profile("ANCC"), &refs(&claims_of(&ancc, 3))),
    ));
    certs.push((
        pa.clone(),
        visit_as(&k, &pa, profile("AAPA"), &refs(&claims_of(&ama, 2))),
    ));
    certs.push((
        other.clone(),
        visit_as(&k, &other, profile("COP"), &refs(&claims_of(&ama, 3))),
    ));
    // An older kiosk let the pharmacist tick both simultaneous sessions
    // and claim part of a third: the hub counts only what NABP will.
    certs.push((
        pharmacist.clone(),
        visit_as(
            &k,
            &pharmacist,
            Profile {
                codes: CodeSet::parse_list("ACPE").unwrap(),
                epid: Some("7654321".into()),
                birth_mmdd: Some("1108".into()),
                pharm_role: Some("pharmacist".into()),
                ..Profile::default()
            },
            &[
                (p1.id.as_str(), p1.quarters),
                (p2.id.as_str(), p2.quarters),
                (p3.id.as_str(), p3.quarters - 1),
                (p4.id.as_str(), p4.quarters),
            ],
        ),
    ));
    ok(&k.sync(&hub.url, &[]));

    let credits = csv_rows(&report(&hub, "credits.csv"), b',');
    let cpe = csv_rows(&report(&hub, "cpe-monitor.csv"), b',');
    let pars = csv_rows(&report(&hub, "pars.tsv"), b'\t');
    let name_of = |code: &str| config.credit(code.parse().unwrap()).unwrap().name.clone();
    let code_of = |name: &str| {
        cekiosk::domain::CreditCode::ALL
            .into_iter()
            .find(|c| config.credit(*c).is_some_and(|t| t.name == html_text(name)))
            .unwrap_or_else(|| panic!("{name} is not a configured credit type"))
    };
    for (badge, cert) in &certs {
        let (status, page) = get(&format!("{}/c/{cert}", hub.url));
        assert_eq!(status, 200, "{page}");
        let rows = credit_rows(&page);
        assert!(
            !rows.is_empty(),
            "{badge}: no credit on the certificate: {page}"
        );
        // Every credit type's configured statement is printed, MOC's too.
        for (name, (_, statement)) in &rows {
            let code = code_of(name);
            let t = config.credit(code).unwrap();
            assert_eq!(
                html_text(statement),
                config.statement(&t.statement),
                "{badge} {name}"
            );
        }
        // credits.csv: one row per type on the certificate, same number.
        let mine: BTreeMap<String, String> = credits
            .iter()
            .filter(|r| &r["badge_id"] == badge)
            .map(|r| (r["credit_type"].clone(), r["credits"].clone()))
            .collect();
        let shown: BTreeMap<String, String> = rows
            .iter()
            .map(|(name, (amount, _))| (code_of(name).as_str().to_string(), number(amount)))
            .collect();
        assert_eq!(mine, shown, "{badge}: credits.csv against the certificate");
    }

    // The physician: AMA is the sum of their disjoint sessions, MOC the sum
    // over the MOC-eligible ones, and PARS says both, once.
    let (_, page) = get(&format!("{}/c/{}", hub.url, certs[0].1));
    let rows = credit_rows(&page);
    let ama_q: u32 = keep.iter().map(|s| s.quarters).sum();
    let moc_q: u32 = keep
        .iter()
        .filter(|s| s.types.split(';').any(|t| t == "MOC"))
        .map(|s| s.quarters)
        .sum();
    assert_eq!(number(&rows[&name_of("AMA")].0), format_quarters(ama_q));
    assert_eq!(number(&rows[&name_of("MOC")].0), format_quarters(moc_q));
    let mine: Vec<_> = pars
        .iter()
        .filter(|r| r["Certifying Board ID"] == "918273")
        .collect();
    assert_eq!(mine.len(), 1, "{pars:?}");
    assert_eq!(mine[0]["Number of CME Credits"], format_quarters(ama_q));
    assert_eq!(mine[0]["Total Board Credits"], format_quarters(moc_q));
    assert_eq!(mine[0]["Date of Birth"], "02/29");
    assert_eq!(
        mine[0]["Days Left"], "30",
        "completed today: the whole window"
    );
    assert_eq!(pars.len(), 1, "only the consenting physician: {pars:?}");

    // The pharmacist: the first of the simultaneous sessions and the whole
    // one count; the second and the partial claim are held, and CPE
    // Monitor gets exactly the UANs behind the certificate's hours.
    let (_, page) = get(&format!("{}/c/{}", hub.url, certs[4].1));
    let rows = credit_rows(&page);
    let expected = p1.quarters + p4.quarters;
    assert_eq!(
        number(&rows[&name_of("ACPE")].0),
        format_quarters(expected),
        "{page}"
    );
    assert!(page.contains("Being checked"), "{page}");
    let text = html_text(&page);
    assert!(
        text.contains(&p2.title) && text.contains(&p3.title),
        "the held claims are named: {page}"
    );
    let uan = |s: &Sess| s.uans.iter().find(|u| u.ends_with("-P")).unwrap().clone();
    let mut want = vec![uan(p1), uan(p4)];
    want.sort();
    let mut got: Vec<String> = cpe.iter().map(|r| r["uan"].clone()).collect();
    got.sort();
    assert_eq!(got, want, "{cpe:?}");
    let hours: u32 = cpe
        .iter()
        .map(|r| (r["contact_hours"].parse::<f64>().unwrap() * 4.0).round() as u32)
        .sum();
    assert_eq!(
        hours, expected,
        "CPE Monitor is credited what the certificate says"
    );
    for u in &want {
        assert!(
            page.contains(u.as_str()),
            "{u} is not on the certificate: {page}"
        );
    }
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(config.tz.clone())
        .date();
    for r in &cpe {
        assert_eq!(r["epid"], "7654321");
        let date: jiff::civil::Date = r["date_of_participation"].parse().unwrap();
        let days = (today - date).get_days() as i64;
        assert_eq!(r["days_left"], (60 - days).to_string());
    }
}

/// A void after a report changes the next one, and `?since=` says which
/// rows changed.
#[test]
fn a_void_after_a_report_changes_the_next_and_since_marks_the_row() {
    let pg = cluster();
    let name = db_name("since");
    let hub = Hub::start(&pg.database(&name));
    let moc = disjoint(&catalog(), "MOC");
    let k = KioskDb::new();
    let claims: Vec<(&str, u32)> = moc
        .iter()
        .take(2)
        .map(|s| (s.id.as_str(), s.quarters))
        .collect();
    visit_as(
        &k,
        "A0012345",
        Profile {
            codes: CodeSet::parse_list("AMA;MOC").unwrap(),
            moc_consent: true,
            abim_id: Some("123456".into()),
            birth_mmdd: Some("0314".into()),
            ..Profile::default()
        },
        &claims,
    );
    ok(&k.sync(&hub.url, &[]));
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(demo_config().tz.clone())
        .date();
    let tomorrow = today.tomorrow().unwrap();
    let row = |query: &str| {
        let rows = csv_rows(&report(&hub, &format!("pars.csv{query}")), b',');
        assert_eq!(rows.len(), 1, "{rows:?}");
        rows[0].clone()
    };
    let before = row("");
    assert_eq!(before["Changed Since"], "");
    let both: u32 = claims.iter().map(|c| c.1).sum();
    assert_eq!(before["Total Board Credits"], format_quarters(both));
    let first_claim: String = k
        .sqlite()
        .query_row(
            "SELECT claim_id FROM claims WHERE session_id = ?1",
            [claims[0].0],
            |r| r.get(0),
        )
        .unwrap();
    Store::open(&k.db())
        .unwrap()
        .void_claim(&first_claim, "not attended", "K01")
        .unwrap();
    ok(&k.sync(&hub.url, &[]));
    let after = row(&format!("?since={today}"));
    assert_eq!(after["Total Board Credits"], format_quarters(claims[1].1));
    assert_eq!(after["Changed Since"], "yes");
    assert_eq!(row(&format!("?since={tomorrow}"))["Changed Since"], "no");
    let (status, body) = get_auth(
        &format!("{}/reports/pars.csv?since=yesterday", hub.url),
        ADMIN,
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("YYYY-MM-DD"), "{body}");
}
