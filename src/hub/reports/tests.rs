//! The reports without a hub: every cell through the formula guard, the
//! corrections after a marked upload, a stored value the files cannot
//! take as it stands, and the boards' deadline.

use super::*;
use crate::domain::CodeSet;
use crate::records::{CountedClaim, SessionRow};

fn config() -> Config {
    Config::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config"))
        .expect("the demo config")
}

fn session(id: &str, types: &str, uan: &str, hour: u32) -> SessionRow {
    SessionRow {
        session_id: id.into(),
        credits: 4,
        credit_types: CodeSet::parse_list(types).unwrap(),
        starts_at: format!("2026-11-23T{hour:02}:00"),
        ends_at: format!("2026-11-23T{:02}:00", hour + 1),
        title: format!("Session {id}"),
        track: String::new(),
        room: String::new(),
        acpe_uan: uan.into(),
    }
}

fn claimed(s: SessionRow) -> CountedClaim {
    CountedClaim {
        session: s,
        credits: 4,
        claimed_at: "2026-11-23T17:00:00Z".into(),
    }
}

/// A physician who consented to MOC, with one AMA;MOC session, and a
/// pharmacist with one ACPE session; names and ids that would be formulas.
fn learners(birth: &str) -> HashMap<String, Learner> {
    let person = |badge: &str, profession| AttendeeRow {
        badge_id: badge.into(),
        first_name: "=HYPERLINK(\"http://x.example\",\"click\")".into(),
        last_name: "-Smith".into(),
        degree: "MD".into(),
        profession,
        email: "@home".into(),
    };
    let mut out = HashMap::new();
    out.insert(
        "=W1".to_string(),
        Learner {
            attendee: Some(person("=W1", Profession::Physician)),
            claims: vec![claimed(session("S1", "AMA;MOC", "", 9))],
            codes: Some(CodeSet::parse_list("AMA;MOC").unwrap()),
            moc_consent: true,
            abim_id: Some("123456".into()),
            birth_mmdd: Some(birth.into()),
            evaluated_at: Some("2026-11-23T18:00:00Z".into()),
            ..Learner::default()
        },
    );
    out.insert(
        "+W2".to_string(),
        Learner {
            attendee: Some(person("+W2", Profession::Pharmacist)),
            claims: vec![claimed(session(
                "S2",
                "ACPE",
                "JA0000534-9999-26-001-L01-P",
                11,
            ))],
            codes: Some(CodeSet::parse_list("ACPE").unwrap()),
            epid: Some("1234567".into()),
            birth_mmdd: Some(birth.into()),
            pharm_role: Some("pharmacist".into()),
            ..Learner::default()
        },
    );
    out
}

fn cells(text: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// No cell of any CSV or TSV report starts with what a spreadsheet would
/// run as a formula, and the guard leaves a value it need not touch alone.
#[test]
fn no_report_cell_can_be_a_formula() {
    let config = config();
    let l = learners("0314");
    let pars = pars_records(&config, &l);
    let cpe = cpe_records(&config, &l);
    assert_eq!((pars.len(), cpe.len()), (1, 1));
    let held = vec![crate::hub::db::HeldClaim {
        badge_id: "@B".into(),
        name: "=1+1".into(),
        what: "-claim S9".into(),
        kiosk_id: "+K1".into(),
        at: "=NOW()".into(),
        reason: crate::hub::held::HeldReason::NotRead {
            reason: "\tbecause".into(),
        },
    }];
    let files = [
        (credits(&config, &l).unwrap(), b','),
        (held_csv(&held), b','),
        (
            pars_file(&changes(&pars, &SentRows::new(), false), Format::Tsv).unwrap(),
            b'\t',
        ),
        (
            pars_file(&changes(&pars, &SentRows::new(), false), Format::Csv).unwrap(),
            b',',
        ),
        (
            cpe_file(&changes(&cpe, &SentRows::new(), false)).unwrap(),
            b',',
        ),
        (
            deadlines_csv(&deadlines(
                pars.into_iter().chain(cpe).collect(),
                &HashMap::new(),
                "2026-11-24".parse().unwrap(),
            ))
            .unwrap(),
            b',',
        ),
    ];
    for (file, delimiter) in &files {
        let rows = cells(file, *delimiter);
        assert!(rows.len() > 1, "{}", String::from_utf8_lossy(file));
        for c in rows.iter().flatten() {
            assert!(
                !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{c:?} in {}",
                String::from_utf8_lossy(file)
            );
        }
    }
    let credit_rows = cells(&files[0].0, b',');
    assert_eq!(credit_rows[1][2], "'-Smith");
    assert_eq!(credit_rows[1][3], "MD");
    assert_eq!(credit_rows[1][5], "'@home");
    let held_rows = cells(&files[1].0, b',');
    assert_eq!(held_rows[1][2], "'-claim S9", "held.csv's what");
    assert_eq!(held_rows[1][4], "'=NOW()", "held.csv's at");
    assert_eq!(cell("Okafor"), "Okafor");
}

fn held_csv(rows: &[crate::hub::db::HeldClaim]) -> Vec<u8> {
    held(rows).unwrap()
}

fn record(key: &str, fields: &[&str]) -> CurrentRow {
    CurrentRow {
        system: System::Pars,
        key: key.into(),
        badge_id: key.into(),
        first_name: String::new(),
        last_name: String::new(),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        what: String::new(),
        from: None,
        due: None,
        problem: None,
    }
}

fn sent(rows: &[(&str, &[&str])]) -> SentRows {
    rows.iter()
        .map(|(k, f)| {
            (
                k.to_string(),
                Sent {
                    fields: f.iter().map(|x| x.to_string()).collect(),
                    at: "2026-11-24T10:00:00Z".into(),
                },
            )
        })
        .collect()
}

/// What the next file holds after a marked upload, against the rows as
/// they were sent: nothing for a row unchanged, an Add for a new one, a
/// Delete of the row as sent then an Add for a changed one, a Delete
/// alone for one that is gone; `all` gives every current row as an Add.
#[test]
fn the_next_file_holds_what_changed_since_the_rows_sent() {
    let now = [
        record("A1", &["20", "12"]),
        record("A2", &["8", "8"]),
        record("A4", &["4", "4"]),
    ];
    let was = sent(&[
        ("A1", &["20", "12"]),
        ("A2", &["12", "12"]),
        ("A3", &["4", "4"]),
    ]);
    let got: Vec<(RowAction, String, Vec<String>)> = changes(&now, &was, false)
        .into_iter()
        .map(|c| (c.action, c.key, c.fields))
        .collect();
    let v = |f: &[&str]| f.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (RowAction::Delete, "A2".into(), v(&["12", "12"])),
            (RowAction::Add, "A2".into(), v(&["8", "8"])),
            (RowAction::Delete, "A3".into(), v(&["4", "4"])),
            (RowAction::Add, "A4".into(), v(&["4", "4"])),
        ]
    );
    let every: Vec<(RowAction, String)> = changes(&now, &was, true)
        .into_iter()
        .map(|c| (c.action, c.key))
        .collect();
    assert_eq!(
        every,
        vec![
            (RowAction::Add, "A1".into()),
            (RowAction::Add, "A2".into()),
            (RowAction::Add, "A4".into())
        ]
    );
    // Nothing sent yet: every row is new.
    assert_eq!(changes(&now, &SentRows::new(), false).len(), 3);
    // In the files, each system's own words, the row as sent first.
    let padded = |rows: Vec<FileRow>, n: usize| -> Vec<FileRow> {
        rows.into_iter()
            .map(|mut c| {
                c.fields.resize(n, String::new());
                c
            })
            .collect()
    };
    let rows = changes(&now, &was, false);
    let pars = cells(
        &pars_file(&padded(rows.clone(), PARS_COLUMNS.len() - 1), Format::Csv).unwrap(),
        b',',
    );
    assert_eq!(pars[0], PARS_COLUMNS);
    assert_eq!(pars[1][..3], ["Delete", "12", "12"]);
    assert_eq!(pars[2][..3], ["Add", "8", "8"]);
    let cpe = cells(
        &cpe_file(&padded(rows, CPE_COLUMNS.len() - 1)).unwrap(),
        b',',
    );
    assert_eq!(cpe[0], CPE_COLUMNS);
    assert_eq!(cpe[1].last().unwrap(), "D");
    assert_eq!(cpe[2].last().unwrap(), "I");
}

/// A stored birth date the files cannot take as it stands ("1é1" would
/// have been sliced inside a character) goes out empty, with the reason
/// on the record for the Deadlines page and deadlines.csv, and no report
/// panics on it.
#[test]
fn a_stored_value_that_is_not_mmdd_goes_out_empty_with_the_reason() {
    let config = config();
    for birth in ["1é1", "1é", "é123", "", "13", "1332", "０３１４"] {
        let l = learners(birth);
        let pars = pars_records(&config, &l);
        let cpe = cpe_records(&config, &l);
        assert_eq!(pars[0].fields[4], "", "{birth}");
        assert_eq!(cpe[0].fields[2], "", "{birth}");
        for r in pars.iter().chain(&cpe) {
            let why = r.problem.as_deref().unwrap_or_default();
            assert!(why.contains("not a real MMDD"), "{birth}: {why}");
        }
        let rows = deadlines(
            pars.iter().chain(&cpe).cloned().collect(),
            &HashMap::new(),
            "2026-11-24".parse().unwrap(),
        );
        let text = String::from_utf8(deadlines_csv(&rows).unwrap()).unwrap();
        assert!(text.contains("not a real MMDD"), "{text}");
        pars_file(&changes(&pars, &SentRows::new(), false), Format::Xlsx).unwrap();
        prevalidation(&config, &l).unwrap();
        credits(&config, &l).unwrap();
    }
    let good = pars_records(&config, &learners("0314"));
    assert_eq!(good[0].fields[4], "03/14");
    assert_eq!(good[0].problem, None);
}

/// The boards want a record within 30 days of completion and by 31
/// December of that year, whichever is first.
#[test]
fn the_pars_deadline_is_30_days_or_31_december_whichever_is_first() {
    let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    assert_eq!(pars_due(d("2026-11-23")), d("2026-12-23"));
    assert_eq!(pars_due(d("2026-12-01")), d("2026-12-31"));
    assert_eq!(pars_due(d("2026-12-31")), d("2026-12-31"));
    assert_eq!(pars_due(d("2026-02-01")), d("2026-03-03"));
    assert_eq!(days_left(d("2026-12-31"), d("2026-12-01")), 30);
    assert_eq!(days_left(d("2026-12-01"), d("2026-12-03")), -2);
}
