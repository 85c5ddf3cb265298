//! Who may read what: reports need the admin token, and birth dates and
//! professional ids travel to the hub but never into a log, while kiosk
//! files stay readable by their owner only.

use cekiosk::domain::CodeSet;
use cekiosk::domain::ids::OsRandom;
use cekiosk::store::{CreditChoices, NewVisit, Store};

use crate::common::{ADMIN, Hub, KioskDb, TOKEN, cluster, db_name, get, get_auth, ok};
use crate::visit;

#[test]
fn reports_need_the_admin_token() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("reports")));
    let k = KioskDb::new();
    visit(&k, "A0012345", "AMA;MOC", &[("S009", 6)]);
    // A pharmacist with an e-Profile ID.
    {
        let mut store = Store::open(&k.db()).unwrap();
        let device = store.device_id(&mut OsRandom).unwrap();
        store
            .commit_visit(
                &NewVisit {
                    badge_id: "A0020001".into(),
                    kiosk_id: "K01".into(),
                    device_id: device,
                    profile: CreditChoices {
                        codes: CodeSet::parse_list("ACPE").unwrap(),
                        epid: Some("1234567".into()),
                        birth_mmdd: Some("0314".into()),
                        pharm_role: Some("pharmacist".into()),
                        ..CreditChoices::default()
                    },
                    claims: vec![("S002".into(), 5)],
                    answers: vec![("fair".into(), "Yes".into())],
                    summary: None,
                    language: None,
                    mail_declined: false,
                },
                &mut OsRandom,
            )
            .unwrap();
    }
    ok(&k.sync(&hub.url, &[]));
    for name in ["credits.csv", "cpe-monitor.csv", "pars.tsv"] {
        let url = format!("{}/reports/{name}", hub.url);
        assert_eq!(get(&url).0, 401, "{name} without a token");
        assert_eq!(get_auth(&url, TOKEN).0, 401, "{name} with a kiosk token");
        let (status, body) = get_auth(&url, ADMIN);
        assert_eq!(status, 200, "{name}");
        match name {
            "credits.csv" => {
                assert!(
                    body.starts_with(
                        "badge_id,first_name,last_name,degree,profession,email,credit_type,credits"
                    ),
                    "{body}"
                );
                assert!(
                    body.contains(
                        "A0012345,Amelia,Okafor,MD,physician,amelia.okafor@example.org,AMA,1.5"
                    ),
                    "{body}"
                );
                assert!(
                    body.contains(
                        "A0020001,Rosa,Delgado,PharmD,pharmacist,rosa.delgado@example.org,ACPE,1.25"
                    ),
                    "{body}"
                );
            }
            "cpe-monitor.csv" => {
                assert!(
                    body.starts_with(
                        "provider_number,epid,date_of_birth,uan,date_of_participation"
                    ),
                    "{body}"
                );
                assert!(
                    body.contains("JA0000534,1234567,0314,JA0000534-0000-26-002-L01-P,2026-11-23"),
                    "{body}"
                );
                assert!(
                    !body.contains("-L01-T"),
                    "technician UANs are not for pharmacists: {body}"
                );
            }
            _ => {
                // MOC was chosen but consent not given: no PARS row.
                assert!(
                    body.starts_with("Record Action\tACCME Activity ID\tCompletion Date"),
                    "{body}"
                );
                assert_eq!(body.lines().count(), 1, "{body}");
            }
        }
    }
}

/// Birth dates, e-Profile IDs and ABIM IDs travel to the hub (CPE Monitor
/// and PARS need them) but never into a log; kiosk files are owner-only.
#[test]
fn no_personal_ids_in_logs_and_kiosk_files_are_private() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("privacy")));
    let k = KioskDb::new();
    {
        let mut store = Store::open(&k.db()).unwrap();
        let device = store.device_id(&mut OsRandom).unwrap();
        for (badge, session, q, profile) in [
            (
                "A0020001",
                "S002",
                5,
                CreditChoices {
                    codes: CodeSet::parse_list("ACPE").unwrap(),
                    epid: Some("7654321".into()),
                    birth_mmdd: Some("1108".into()),
                    pharm_role: Some("pharmacist".into()),
                    ..CreditChoices::default()
                },
            ),
            (
                "A0012345",
                "S009",
                6,
                CreditChoices {
                    codes: CodeSet::parse_list("AMA;MOC").unwrap(),
                    moc_consent: true,
                    abim_id: Some("918273".into()),
                    birth_mmdd: Some("0229".into()),
                    ..CreditChoices::default()
                },
            ),
        ] {
            store
                .commit_visit(
                    &NewVisit {
                        badge_id: badge.into(),
                        kiosk_id: "K01".into(),
                        device_id: device.clone(),
                        profile,
                        claims: vec![(session.into(), q)],
                        answers: vec![("moc_reflection".into(), "Check TSH".into())],
                        summary: None,
                        language: None,
                        mail_declined: false,
                    },
                    &mut OsRandom,
                )
                .unwrap();
        }
    }
    ok(&k.sync(&hub.url, &[]));
    // The hub has them, for the reports.
    let (_, pars) = get_auth(&format!("{}/reports/pars.csv", hub.url), ADMIN);
    assert!(pars.contains("918273") && pars.contains("02/29"), "{pars}");
    let (_, cpe) = get_auth(&format!("{}/reports/cpe-monitor.csv", hub.url), ADMIN);
    assert!(cpe.contains("7654321,1108"), "{cpe}");
    // The logs do not.
    let kiosk_log = std::fs::read_to_string(k.dir.path().join("k.log")).unwrap();
    let hub_log = std::fs::read_to_string(&hub.log).unwrap_or_default();
    assert!(!kiosk_log.is_empty(), "the kiosk logged nothing at all");
    for secret in ["7654321", "918273", "1108", "0229"] {
        assert!(!kiosk_log.contains(secret), "{secret} in the kiosk log");
        assert!(!hub_log.contains(secret), "{secret} in the hub log");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["k.db", "k.db-wal", "k.db-shm", "k.log"] {
            let p = k.dir.path().join(f);
            if let Ok(m) = std::fs::metadata(&p) {
                assert_eq!(
                    m.permissions().mode() & 0o077,
                    0,
                    "{f} is readable by others"
                );
            } else {
                assert!(f.ends_with("-wal") || f.ends_with("-shm"), "{f} missing");
            }
        }
    }
}
