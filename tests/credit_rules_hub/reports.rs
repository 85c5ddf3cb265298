//! The reports read row by row against the certificate page of the same
//! attendees, one attendee of each kind (pars.xlsx through openpyxl), and
//! the corrections after a file is marked as uploaded: a void then goes as
//! a Delete of the row as sent and an Add, a learner voided to nothing as
//! a Delete alone, for PARS and CPE Monitor alike.

use std::collections::BTreeMap;

use cekiosk::domain::{CodeSet, format_quarters};
use cekiosk::store::{CreditChoices, Store};

use crate::common::{
    ADMIN, Hub, KioskDb, cluster, config_dir, db_name, get, get_auth, ok, visit_as,
};
use crate::{
    Sess, catalog, credit_rows, csv_rows, demo_config, disjoint, html_text, number, overlap,
    post_admin, profile, refs, report, report_bytes, roster_of, xlsx_rows,
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
            CreditChoices {
                codes: CodeSet::parse_list("AMA;MOC").unwrap(),
                moc_consent: true,
                abim_id: Some("918273".into()),
                birth_mmdd: Some("0229".into()),
                ..CreditChoices::default()
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
            CreditChoices {
                codes: CodeSet::parse_list("ACPE").unwrap(),
                epid: Some("7654321".into()),
                birth_mmdd: Some("1108".into()),
                pharm_role: Some("pharmacist".into()),
                ..CreditChoices::default()
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
    let (header, pars) = xlsx_rows(&report_bytes(&hub, "pars.xlsx"));
    assert_eq!(
        header,
        cekiosk::hub::reports::PARS_COLUMNS,
        "the template's header"
    );
    let tsv = csv_rows(&report(&hub, "pars.tsv"), b'\t');
    let deadlines = csv_rows(&report(&hub, "deadlines.csv"), b',');
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
                config.credit_statement(t),
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
    assert_eq!(mine[0]["Record Action"], "Add");
    assert_eq!(mine[0]["Certifying Board"], "ABIM");
    assert_eq!(mine[0]["Credit Type"], "Medical Knowledge");
    assert_eq!(
        mine[0]["Credits Awarded for Credit Type"],
        format_quarters(moc_q),
        "the one credit type holds every point"
    );
    assert_eq!(pars.len(), 1, "only the consenting physician: {pars:?}");
    // The TSV holds the same row, under the same header.
    assert_eq!(tsv.len(), 1);
    assert_eq!(
        tsv[0].keys().collect::<std::collections::BTreeSet<_>>(),
        pars[0].keys().collect()
    );
    assert_eq!(tsv[0]["Number of CME Credits"], format_quarters(ama_q));
    assert_eq!(tsv[0]["Total Board Credits"], format_quarters(moc_q));
    // Ours are beside the file, not in it: the window runs 30 days from
    // completion (today), or to 31 December if that comes first.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(config.tz.clone())
        .date();
    let due = today
        .checked_add(jiff::Span::new().days(30))
        .unwrap()
        .min(jiff::civil::Date::new(today.year(), 12, 31).unwrap());
    let row = deadlines
        .iter()
        .find(|r| r["system"] == "pars" && r["badge_id"] == physician)
        .expect("the physician's PARS deadline");
    assert_eq!(row["due"], due.to_string());
    assert_eq!(row["days_left"], (due - today).get_days().to_string());
    assert_eq!(row["sent"], "");

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
    assert_eq!(
        cpe[0]
            .keys()
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>(),
        cekiosk::hub::reports::CPE_COLUMNS.into_iter().collect(),
        "the submission's fields and nothing of ours"
    );
    // NABP credits each UAN's registered hours (its sessions' designation):
    // together they are the certificate's hours.
    let hours: u32 = cpe
        .iter()
        .map(|r| {
            all.iter()
                .find(|s| s.uans.contains(&r["uan"]))
                .unwrap()
                .quarters
        })
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
    for r in &cpe {
        assert_eq!(r["epid"], "7654321");
        assert_eq!(r["date_of_birth"], "1108");
        assert_eq!(r["action"], "I");
        let date: jiff::civil::Date = r["date_of_participation"].parse().unwrap();
        let days = (today - date).get_days() as i64;
        let row = deadlines
            .iter()
            .find(|d| d["system"] == "cpe-monitor" && d["record"] == r["uan"])
            .expect("each CPE Monitor row has its deadline");
        assert_eq!(row["days_left"], (60 - days).to_string());
    }
}

/// The PARS rows of a pars.xlsx, read by openpyxl: (action, CME
/// credits, board points) per row, in the file's order.
fn pars_actions(hub: &Hub, query: &str) -> Vec<(String, String, String)> {
    let (_, rows) = xlsx_rows(&report_bytes(hub, &format!("pars.xlsx{query}")));
    rows.iter()
        .map(|r| {
            (
                r["Record Action"].clone(),
                r["Number of CME Credits"].clone(),
                r["Total Board Credits"].clone(),
            )
        })
        .collect()
}

/// After a file is marked as uploaded, the next holds only what changed:
/// a void goes as a Delete of the row as sent, then an Add of the new
/// one; a learner voided to nothing as a Delete alone; `?all=1` gives
/// every current row. CPE Monitor's rows are the certificate's UANs
/// before and after the correction, and its correction is a D then I.
#[test]
fn corrections_after_a_marked_upload_go_as_delete_then_add() {
    let pg = cluster();
    let name = db_name("corrections");
    let hub = Hub::start(&pg.database(&name));
    let all = catalog();
    let moc = disjoint(&all, "MOC");
    let k = KioskDb::new();
    let claims: Vec<(&str, u32)> = moc
        .iter()
        .take(2)
        .map(|s| (s.id.as_str(), s.quarters))
        .collect();
    let physician = |badge: &str, abim: &str, claims: &[(&str, u32)]| {
        visit_as(
            &k,
            badge,
            CreditChoices {
                codes: CodeSet::parse_list("AMA;MOC").unwrap(),
                moc_consent: true,
                abim_id: Some(abim.into()),
                birth_mmdd: Some("0314".into()),
                ..CreditChoices::default()
            },
            claims,
        )
    };
    let (doc1, doc2) = (roster_of("physician", 0), roster_of("physician", 1));
    physician(&doc1, "123456", &claims);
    physician(&doc2, "234567", &claims[..1]);
    // A pharmacist with two UANs.
    let acpe = disjoint(&all, "ACPE");
    let pharm: Vec<&Sess> = acpe
        .iter()
        .filter(|s| s.uans.iter().any(|u| u.ends_with("-P")))
        .take(2)
        .collect();
    let pharmacist = roster_of("pharmacist", 0);
    let pharm_cert = visit_as(
        &k,
        &pharmacist,
        CreditChoices {
            codes: CodeSet::parse_list("ACPE").unwrap(),
            epid: Some("7654321".into()),
            birth_mmdd: Some("1108".into()),
            pharm_role: Some("pharmacist".into()),
            ..CreditChoices::default()
        },
        &pharm
            .iter()
            .map(|s| (s.id.as_str(), s.quarters))
            .collect::<Vec<_>>(),
    );
    ok(&k.sync(&hub.url, &[]));

    let both: u32 = claims.iter().map(|c| c.1).sum();
    let first = pars_actions(&hub, "");
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first.iter().all(|r| r.0 == "Add"), "{first:?}");
    // The certificate's UANs, and CPE Monitor's rows, before.
    let uans_on_certificate = || {
        let (_, page) = get(&format!("{}/c/{pharm_cert}", hub.url));
        let mut u: Vec<String> = all
            .iter()
            .flat_map(|s| s.uans.clone())
            .filter(|u| page.contains(u.as_str()))
            .collect();
        u.sort();
        u.dedup();
        u
    };
    let cpe_uans = |query: &str, action: &str| {
        let mut u: Vec<String> = csv_rows(&report(&hub, &format!("cpe-monitor.csv{query}")), b',')
            .iter()
            .filter(|r| r["action"] == action)
            .map(|r| r["uan"].clone())
            .collect();
        u.sort();
        u
    };
    assert_eq!(cpe_uans("", "I"), uans_on_certificate());
    assert_eq!(uans_on_certificate().len(), 2);

    // The office uploads both files and marks them (a script, with the
    // admin token); the next files hold nothing.
    for system in ["pars", "cpe-monitor"] {
        let (status, body) = post_admin(&format!("{}/reports/{system}/submitted", hub.url));
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(pars_actions(&hub, ""), vec![], "nothing changed since");
    assert!(cpe_uans("", "I").is_empty() && cpe_uans("", "D").is_empty());

    // Voids after the upload: the first physician loses one session, the
    // second their only one, the pharmacist one UAN.
    let void = |badge: &str, session: &str| {
        let claim: String = k
            .sqlite()
            .query_row(
                "SELECT claim_id FROM claims WHERE badge_id = ?1 AND session_id = ?2",
                [badge, session],
                |r| r.get(0),
            )
            .unwrap();
        Store::open(&k.db())
            .unwrap()
            .void_claim(&claim, "not attended", "K01")
            .unwrap();
    };
    void(&doc1, claims[0].0);
    void(&doc2, claims[0].0);
    void(&pharmacist, &pharm[0].id);
    ok(&k.sync(&hub.url, &[]));

    let next = pars_actions(&hub, "");
    let left = format_quarters(claims[1].1);
    assert_eq!(
        next,
        vec![
            // The first physician's row as it was sent, then as it is now.
            (
                "Delete".into(),
                format_quarters(both),
                format_quarters(both)
            ),
            ("Add".into(), left.clone(), left.clone()),
            // The second physician, voided to nothing: a Delete alone.
            (
                "Delete".into(),
                format_quarters(claims[0].1),
                format_quarters(claims[0].1)
            ),
        ],
    );
    // ?all=1: every current row as an Add.
    assert_eq!(
        pars_actions(&hub, "?all=1"),
        vec![("Add".into(), left.clone(), left)]
    );
    // CPE Monitor: the voided UAN goes as a Delete; after the correction
    // the rows standing are the certificate's UANs.
    let gone = pharm[0]
        .uans
        .iter()
        .find(|u| u.ends_with("-P"))
        .unwrap()
        .clone();
    assert_eq!(cpe_uans("", "D"), vec![gone]);
    assert!(cpe_uans("", "I").is_empty());
    assert_eq!(cpe_uans("?all=1", "I"), uans_on_certificate());
    assert_eq!(uans_on_certificate().len(), 1);

    // Marking again leaves nothing for the next file, and the marks are
    // in the office's audit.
    let (status, body) = post_admin(&format!("{}/reports/pars/submitted", hub.url));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("3 rows (1 Add, 2 Delete)"), "{body}");
    assert_eq!(pars_actions(&hub, ""), vec![]);
    let (status, body) = get_auth(&format!("{}/reports/pars/submitted", hub.url), ADMIN);
    assert_eq!(status, 405, "a mark is a POST: {body}");
    let (status, _) = crate::common::get(&format!("{}/reports/pars.xlsx", hub.url));
    assert_eq!(status, 401, "the files need the admin token");
}
