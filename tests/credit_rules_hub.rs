//! The credit rules at a real hub: the activity maximum across kiosks, a
//! kiosk with a wrong clock, ACPE's whole and single sessions, and the
//! three reports read row by row against the certificate page of the same
//! attendees. The expected numbers are worked out here from the demo
//! catalog by plain arithmetic on the sessions chosen, not by the hub's
//! own code.

mod common;

use std::collections::BTreeMap;

use cekiosk::config::Config;
use cekiosk::domain::{CodeSet, format_quarters};
use cekiosk::store::{Profile, Store};
use common::{ADMIN, Hub, KioskDb, cluster, config_dir, db_name, get, get_auth, ok, visit_as};

/// A demo session as the test reads it from sessions.csv.
#[derive(Debug, Clone)]
struct Sess {
    id: String,
    title: String,
    start: String,
    end: String,
    quarters: u32,
    types: String,
    uans: Vec<String>,
}

fn catalog() -> Vec<Sess> {
    let mut r = csv::Reader::from_path(config_dir().join("sessions.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, title, start, end, credits, types, uan) = (
        col("session_id"),
        col("title"),
        col("starts_at"),
        col("ends_at"),
        col("credits"),
        col("credit_types"),
        col("acpe_uan"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let c: f64 = rec[credits].parse().unwrap();
            Sess {
                id: rec[id].to_string(),
                title: rec[title].to_string(),
                start: rec[start].to_string(),
                end: rec[end].to_string(),
                quarters: (c * 4.0).round() as u32,
                types: rec[types].to_string(),
                uans: rec[uan]
                    .split(';')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(String::from)
                    .collect(),
            }
        })
        .collect()
}

/// Event-local times as `YYYY-MM-DDTHH:MM` compare as text.
fn overlap(a: &Sess, b: &Sess) -> bool {
    a.start < b.end && b.start < a.end
}

/// Sessions of a type, none overlapping another, in time order.
fn disjoint(all: &[Sess], ty: &str) -> Vec<Sess> {
    let mut of: Vec<Sess> = all
        .iter()
        .filter(|s| s.types.split(';').any(|t| t == ty))
        .cloned()
        .collect();
    of.sort_by(|a, b| a.end.cmp(&b.end));
    let mut out: Vec<Sess> = Vec::new();
    for s in of {
        if out.iter().all(|o| !overlap(o, &s)) {
            out.push(s);
        }
    }
    out
}

/// The demo config copied to a folder of its own, with `event.toml`
/// edited (each pair: text to find, its replacement) and, if given,
/// another sessions.csv.
fn config_with(edits: &[(&str, &str)], sessions: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut event = std::fs::read_to_string(config_dir().join("event.toml")).unwrap();
    for (from, to) in edits {
        assert!(event.contains(from), "event.toml has no {from}");
        event = event.replace(from, to);
    }
    std::fs::write(dir.path().join("event.toml"), event).unwrap();
    std::fs::copy(
        config_dir().join("attendees.csv"),
        dir.path().join("attendees.csv"),
    )
    .unwrap();
    match sessions {
        Some(text) => std::fs::write(dir.path().join("sessions.csv"), text).unwrap(),
        None => std::fs::copy(
            config_dir().join("sessions.csv"),
            dir.path().join("sessions.csv"),
        )
        .map(|_| ())
        .unwrap(),
    }
    dir
}

fn demo_config() -> Config {
    Config::load(&config_dir()).unwrap()
}

/// The certificate page's credit table: name → (amount, statement).
fn credit_rows(page: &str) -> BTreeMap<String, (String, String)> {
    let re = regex::Regex::new(
        r#"<tr><td>(.*?)<div class="statement">(.*?)</div></td><td class="amount">(.*?)</td></tr>"#,
    )
    .unwrap();
    re.captures_iter(page)
        .map(|c| (c[1].to_string(), (c[3].to_string(), c[2].to_string())))
        .collect()
}

/// The number in an amount such as "1.25 credits".
fn number(amount: &str) -> String {
    amount.split_whitespace().next().unwrap_or("").to_string()
}

fn html_text(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn csv_rows(text: &str, delimiter: u8) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn report(hub: &Hub, name: &str) -> String {
    let (status, body) = get_auth(&format!("{}/reports/{name}", hub.url), ADMIN);
    assert_eq!(status, 200, "{name}: {body}");
    body
}

/// Claims as `visit_as` takes them.
fn refs(v: &[(String, u32)]) -> Vec<(&str, u32)> {
    v.iter().map(|(s, q)| (s.as_str(), *q)).collect()
}

fn profile(codes: &str) -> Profile {
    Profile {
        codes: CodeSet::parse_list(codes).unwrap(),
        ..Profile::default()
    }
}

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
